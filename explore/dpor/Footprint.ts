/**
 * What one piece of work (a timer expiry, a bottom half, a guest step) was
 * seen to touch in one run, as the explorer's dynamic partial-order
 * reduction judges it: registers read (device and offset), devices written,
 * interrupt-controller inputs changed, or everything when the work could not
 * be observed.
 *
 * Two footprints conflict (the work does not commute) when:
 * - either touches everything;
 * - one writes a device the other reads, writes, or feeds through a
 *   controller input (a write is device-wide: device code behind one
 *   register can change what any other reads back, e.g. LOAD and VALUE);
 * - both change the same controller input;
 * - one changes an input of a controller whose registers the other reads.
 *
 * Reads commute with reads, whatever the register: a read that changes
 * state (its map says `readEffects`, or it has an `rc` field) is recorded as
 * a write of its device. Expiries of two devices on different inputs of one
 * controller commute (each sets its own input's level).
 * @internal
 */
export interface Footprint {
  /** Unobserved work: conflicts with all work. */
  readonly everything: boolean;
  /** Registers read without effect, as `<device>@<offset>` (for diagnostics and tests). */
  readonly reads: ReadonlySet<string>;
  /** Devices with a register read without effect. */
  readonly readDevices: ReadonlySet<string>;
  /** Devices written (guest writes, reads that change state, expiries and their deliveries). */
  readonly writes: ReadonlySet<string>;
  /** Controller inputs whose level changed, as `<controller>#<input>`. */
  readonly inputs: ReadonlySet<string>;
  /** The controllers of those inputs. */
  readonly inputControllers: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** The footprint of work that touched nothing observable (a guest step that only waits). @internal */
export const EMPTY_FOOTPRINT: Footprint = Object.freeze({ everything: false, reads: NONE, readDevices: NONE, writes: NONE, inputs: NONE, inputControllers: NONE });

/** The footprint of work that cannot be observed: it conflicts with all work. @internal */
export const EVERYTHING_FOOTPRINT: Footprint = Object.freeze({ ...EMPTY_FOOTPRINT, everything: true });

/** A footprint being collected during one piece of work. @internal */
export class FootprintBuilder {
  private everything = false;
  private reads = new Set<string>();
  private readDevices = new Set<string>();
  private writes = new Set<string>();
  private inputs = new Set<string>();
  private inputControllers = new Set<string>();
  private touched = false;

  /** A register read that changes nothing. */
  read(device: string, offset: number): void {
    this.touched = true;
    this.reads.add(`${device}@0x${offset.toString(16)}`);
    this.readDevices.add(device);
  }

  /** A write of a device (or a read that changes its state). */
  write(device: string): void {
    this.touched = true;
    this.writes.add(device);
  }

  /** Input `input` of `controller` changed level. */
  input(controller: string, input: number): void {
    this.touched = true;
    this.inputs.add(`${controller}#${input}`);
    this.inputControllers.add(controller);
  }

  /** Unobservable effects: the work conflicts with all work. */
  all(): void {
    this.touched = true;
    this.everything = true;
  }

  /** Adds what `other` touched. */
  merge(other: Footprint): void {
    if (other.everything) this.all();
    for (const r of other.reads) this.reads.add(r);
    for (const d of other.readDevices) this.readDevices.add(d);
    for (const d of other.writes) this.write(d);
    for (const i of other.inputs) this.inputs.add(i);
    for (const c of other.inputControllers) this.inputControllers.add(c);
    if (other.reads.size > 0 || other.inputs.size > 0) this.touched = true;
  }

  /** The footprint so far; the builder starts again empty. */
  take(): Footprint {
    if (!this.touched) return EMPTY_FOOTPRINT;
    const print: Footprint = this.everything
      ? EVERYTHING_FOOTPRINT
      : { everything: false, reads: this.reads, readDevices: this.readDevices, writes: this.writes, inputs: this.inputs, inputControllers: this.inputControllers };
    this.everything = false;
    this.reads = new Set();
    this.readDevices = new Set();
    this.writes = new Set();
    this.inputs = new Set();
    this.inputControllers = new Set();
    this.touched = false;
    return print;
  }
}

const meets = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => {
  if (a.size === 0 || b.size === 0) return false;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
};

/**
 * Whether two pieces of work conflict (see {@link Footprint}): running them
 * in the other order may end in another state.
 * @internal
 */
export const conflicts = (a: Footprint, b: Footprint): boolean => {
  if (a.everything || b.everything) return true;
  if (meets(a.writes, b.writes) || meets(a.writes, b.readDevices) || meets(b.writes, a.readDevices)) return true;
  if (meets(a.writes, b.inputControllers) || meets(b.writes, a.inputControllers)) return true;
  if (meets(a.inputs, b.inputs)) return true;
  return meets(a.inputControllers, b.readDevices) || meets(b.inputControllers, a.readDevices);
};

/** A footprint as text (`read sp@0x4, write mini, input intc#1`), for diagnostics and tests. @internal */
export const describeFootprint = (f: Footprint): string => {
  if (f.everything) return 'everything';
  return [...[...f.reads].map((r) => `read ${r}`), ...[...f.writes].map((w) => `write ${w}`), ...[...f.inputs].map((i) => `input ${i}`)].join(', ');
};
