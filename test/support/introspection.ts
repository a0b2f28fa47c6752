/**
 * The checks every device's introspection members (`Device.lines`, `probes`, `registers`) must
 * pass, written once. A device's `*.introspection.spec.ts` gives its rig (how to build it, what
 * the guest reads where a probe reads, how to arm it, which instants to visit) to
 * {@link describeIntrospection}, which writes the six standard tests:
 *
 * - lines: exactly the expected names, in order, each the public member itself, the record frozen;
 * - probes: the expected names and widths, in order, the list and each probe frozen;
 * - tracking: each probe reads what the guest reads (after reset, at instants around the
 *   device's steps, reads queued before the device was armed), then a device-specific script;
 * - no side effect: 100 reads of every probe leave snapshot, events, lines and the clock's queue as they were;
 * - twin: a device probed at every step (and inside its line subscribers) behaves exactly like one never probed;
 * - registers: the map's list in map order, spot checks, frozen, one list shared by every instance.
 *
 * The checks are also exported one by one for specs that do not fit the whole (the interrupt controller).
 * The last section holds the spec parts the two SP804-layout devices (SP804, CMSDK APB dual timer) share.
 */
import { describe, expect, it } from 'vitest';
import type { Device, DeviceProbe, IrqSignal, RegisterInfo, RegisterMap, TraceEvent, VirtualClock } from '../../index';

/** Probe values (or what the guest reads in their place), by probe name. */
export type Reading = Readonly<Record<string, bigint>>;

/** A device's introspection members, and its state for comparing two runs. */
export interface Introspected {
  readonly lines: Readonly<Record<string, IrqSignal>>;
  readonly probes: readonly DeviceProbe[];
  readonly registers: readonly RegisterInfo[];
  snapshot(): unknown;
}

/** A device on its clock, with everything it emitted and every level change of its lines. */
export interface IntrospectionRig<D extends Introspected = Introspected> {
  readonly clock: VirtualClock;
  readonly device: D;
  /** Everything `device.events$` emitted. */
  readonly events: readonly unknown[];
  /** Every level of every line, as `<ns> <line>=<level>` (see {@link withLevels}). */
  readonly levels: readonly string[];
}

/** Adds to a rig the record of its device's line levels: `<ns> <line>=<level>`, from construction on. */
export const withLevels = <B extends { readonly clock: VirtualClock; readonly device: Pick<Introspected, 'lines'> }>(
  base: B,
): B & { readonly levels: string[] } => {
  const levels: string[] = [];
  for (const [key, line] of Object.entries(base.device.lines)) line.level$.subscribe((l) => levels.push(`${base.clock.now()} ${key}=${l}`));
  return { ...base, levels };
};

/** A rig for a device built in the spec itself: its events and levels recorded, 32-bit guest reads and writes. */
export const deviceRig = <D extends Device & Introspected>(clock: VirtualClock, device: D) => {
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const w = (offset: number, value: number): void => device.write(offset, 4, value);
  return withLevels({ clock, device, events, r, w });
};

/** Each probe's value now, by name. */
export const probed = (device: Pick<Introspected, 'probes'>): Record<string, bigint> =>
  Object.fromEntries(device.probes.map((p) => [p.name, p.read()]));

/** A `guest` that reads, for each probe name, the 32-bit register at the offset given (in that order). */
export const registerReads =
  (offsets: Readonly<Record<string, number>>) =>
  ({ r }: { r(offset: number): number }): Reading =>
    Object.fromEntries(Object.entries(offsets).map(([name, offset]) => [name, BigInt(r(offset))]));

/** Everything a probe read could disturb: the device's state, its events and lines, the clock's queue. */
export const world = ({ clock, device, events, levels }: IntrospectionRig) => ({
  snapshot: device.snapshot(),
  events: events.length,
  levels: levels.length,
  pending: clock.pending,
  scheduled: clock.scheduledCount,
  next: clock.nextDeadline(),
});

/** `device.lines` has exactly `expected`'s keys, in order, each line the very member given, and is frozen. */
export const expectLines = (device: Pick<Introspected, 'lines'>, expected: Readonly<Record<string, IrqSignal>>): void => {
  expect(Object.keys(device.lines)).toEqual(Object.keys(expected));
  for (const [key, line] of Object.entries(expected)) expect(device.lines[key], `lines.${key}`).toBe(line);
  expect(Object.isFrozen(device.lines)).toBe(true);
};

/** `device.probes` are exactly `expected` ([name, width] each, in order); the list and each probe are frozen. */
export const expectProbes = (device: Pick<Introspected, 'probes'>, expected: readonly (readonly [name: string, width: number])[]): void => {
  expect(device.probes.map((p) => [p.name, p.width])).toEqual(expected);
  expect(Object.isFrozen(device.probes)).toBe(true);
  expect(device.probes.every((p) => Object.isFrozen(p))).toBe(true);
};

/** At each instant in turn (the clock advanced to it), the probes read what `guest` reads; then `each(t)`, if given. */
export const expectProbesMatchGuest = <R extends IntrospectionRig>(
  rg: R,
  guest: (rg: R) => Reading,
  instants: readonly number[],
  each?: (t: number) => void,
): void => {
  for (const t of instants) {
    rg.clock.advanceTo(t);
    expect(probed(rg.device), `at ${t} ns`).toEqual(guest(rg));
    each?.(t);
  }
};

/**
 * Queues at each instant (now, so before anything armed later at the same instant) a probe
 * read and then a guest read `read` (the probes kept to `read`'s keys); returns where both land,
 * in that order.
 */
export const queueReads = <R extends IntrospectionRig>(
  rg: R,
  read: (rg: R) => Reading,
  instants: readonly number[],
): Readonly<Record<string, bigint | undefined>>[] => {
  const seen: Readonly<Record<string, bigint | undefined>>[] = [];
  for (const at of instants) {
    rg.clock.schedule(() => {
      const probes = probed(rg.device);
      const guest = read(rg);
      seen.push(Object.fromEntries(Object.keys(guest).map((name) => [name, probes[name]])), guest);
    }, at);
  }
  return seen;
};

/** At each instant (the clock advanced to it), 100 reads of every probe change nothing {@link world} shows. */
export const expectProbeReadsHaveNoSideEffects = (rg: IntrospectionRig, instants: readonly number[]): void => {
  for (const t of instants) {
    rg.clock.advanceTo(t);
    const before = world(rg);
    for (let i = 0; i < 100; i++) for (const p of rg.device.probes) p.read();
    expect(world(rg), `at ${t} ns`).toEqual(before);
  }
};

/** The twin run of {@link expectProbingChangesNothing}. */
export interface TwinRun<R> {
  /** Probes are read at `k * tick + offset` for k = 0 … rounds (instants below 0 skipped); the run ends at `rounds * tick`. */
  readonly tick: number;
  readonly rounds: number;
  /** Default: [-1, 0, 1, tick / 2]. */
  readonly offsets?: readonly number[];
  /** When the guest services the device, and how (after the device is armed). */
  readonly serviceAt: number;
  readonly service: (rg: R) => void;
  /** The probed twin must have read its probes more often than this. */
  readonly minSeen: number;
  /** Further checks on the two finished runs. */
  readonly after?: (plain: R, probed: R) => void;
}

/**
 * Two devices run the same guest script; one has its probes read at every step and inside
 * every line subscriber. Both must end with the same events, levels, snapshot and guest reads.
 */
export const expectProbingChangesNothing = <R extends IntrospectionRig>(
  make: () => R,
  guest: (rg: R) => Reading,
  program: (rg: R) => void,
  twin: TwinRun<R>,
): void => {
  const { tick, rounds, offsets = [-1, 0, 1, tick / 2] } = twin;
  const plain = make();
  const probedRig = make();
  const seen: Reading[] = [];
  for (let k = 0; k <= rounds; k++) {
    for (const t of offsets.map((o) => k * tick + o)) {
      if (t >= 0) probedRig.clock.schedule(() => seen.push(probed(probedRig.device)), t);
    }
  }
  for (const line of Object.values(probedRig.device.lines)) line.level$.subscribe(() => seen.push(probed(probedRig.device)));
  for (const rg of [plain, probedRig]) {
    program(rg);
    rg.clock.advanceTo(twin.serviceAt);
    twin.service(rg);
    rg.clock.advanceTo(rounds * tick);
  }
  expect(seen.length).toBeGreaterThan(twin.minSeen);
  twin.after?.(plain, probedRig);
  expect(probedRig.events).toEqual(plain.events);
  expect(probedRig.levels).toEqual(plain.levels);
  expect(probedRig.device.snapshot()).toEqual(plain.device.snapshot());
  expect(guest(probedRig)).toEqual(guest(plain));
};

/** Spot checks for {@link expectRegistersAreTheMap}. */
export interface RegisterSpots {
  /** Every register's name, in order, if the spec lists them. */
  readonly names?: readonly string[];
  /** Some registers' offsets, by name; each of these is 4 bytes wide. */
  readonly at: Readonly<Record<string, number>>;
}

/**
 * `device.registers` is `map`'s list in map order (name, offset, size in bytes), passes the spot
 * checks, is frozen with each entry frozen, and is the very list `other` (a second instance) has.
 */
export const expectRegistersAreTheMap = (
  device: Pick<Introspected, 'registers'>,
  other: Pick<Introspected, 'registers'>,
  map: RegisterMap,
  spots: RegisterSpots,
): void => {
  expect(device.registers).toEqual(map.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes, ...(reg.readEffects ? { readEffects: true } : {}) })));
  if (spots.names) expect(device.registers.map((reg) => reg.name)).toEqual(spots.names);
  const byName = new Map(device.registers.map((reg) => [reg.name, reg]));
  for (const [name, offset] of Object.entries(spots.at)) expect(byName.get(name)).toEqual({ name, offset, size: 4 });
  expect(Object.isFrozen(device.registers)).toBe(true);
  expect(device.registers.every((reg) => Object.isFrozen(reg))).toBe(true);
  expect(other.registers).toBe(device.registers); // computed once, shared by every instance
};

/** A device's rig and expectations for {@link describeIntrospection}. */
export interface IntrospectionSpec<R extends IntrospectionRig> {
  /** A fresh device with its records, each call a new one. */
  readonly rig: () => R;
  /** The lines the device must list, in order, each the public member it must be. */
  readonly lines: (device: R['device']) => Readonly<Record<string, IrqSignal>>;
  /** The probes it must list: [name, width], in order. */
  readonly probes: readonly (readonly [name: string, width: number])[];
  /** What the guest reads now where each probe reads, keyed like the probes (it may be an access with side effects). */
  readonly guest: (rg: R) => Reading;
  /** Arms the device (for the tracking, side-effect and twin tests). */
  readonly program: (rg: R) => void;
  readonly tracking: {
    readonly title: string;
    /** The probes' values after reset, if the spec names them (they are compared with `guest` in any case). */
    readonly initially?: Reading;
    /** Probe and guest reads queued before the device is armed, at these instants ... */
    readonly queuedAt: readonly number[];
    /** ... reading this (default: `guest`) ... */
    readonly queuedRead?: (rg: R) => Reading;
    /** ... must each see this, one per instant (the probes and the guest alike). */
    readonly queuedSee: readonly Reading[];
    /** The instants at which, once armed, the probes must read what `guest` reads. */
    readonly instants: readonly number[];
    /** The device's own script after that; `sweep` is {@link expectProbesMatchGuest} on this rig. */
    readonly then: (rg: R, sweep: (instants: readonly number[], each?: (t: number) => void) => void) => void;
  };
  /** Where probe reads must change nothing, after `program` and then `prepare` (e.g. a latch to disturb). */
  readonly noSideEffects: { readonly instants: readonly number[]; readonly prepare?: (rg: R) => void };
  readonly twin: TwinRun<R>;
  readonly registers: RegisterSpots & {
    readonly map: RegisterMap;
    /** Further checks on the list. */
    readonly also?: (registers: readonly RegisterInfo[]) => void;
  };
}

/**
 * `describe('<name> introspection')` with the six standard tests for `spec` (see the module
 * header); `more` adds the device's own tests inside it.
 */
export const describeIntrospection = <R extends IntrospectionRig>(name: string, spec: IntrospectionSpec<R>, more?: () => void): void => {
  const { rig, guest, program, tracking } = spec;
  describe(`${name} introspection`, () => {
    it('lines: exactly the listed ones, in order, each the public member itself', () => {
      const { device } = rig();
      expectLines(device, spec.lines(device));
    });

    it(`probes: ${spec.probes.map(([probe, width]) => `${probe} (${width} bits)`).join(', ')}, fixed at construction`, () => {
      expectProbes(rig().device, spec.probes);
    });

    it(`each probe reads what the guest reads: ${tracking.title}`, () => {
      const rg = rig();
      if (tracking.initially) expect(probed(rg.device)).toEqual(tracking.initially);
      expect(probed(rg.device)).toEqual(guest(rg));
      const queued = queueReads(rg, tracking.queuedRead ?? guest, tracking.queuedAt);
      program(rg);
      expectProbesMatchGuest(rg, guest, tracking.instants);
      expect(queued).toEqual(tracking.queuedSee.flatMap((reading) => [reading, reading]));
      tracking.then(rg, (instants, each) => expectProbesMatchGuest(rg, guest, instants, each));
    });

    it('reading the probes has no side effect: same snapshot, no event, no line change, nothing scheduled', () => {
      const rg = rig();
      program(rg);
      spec.noSideEffects.prepare?.(rg);
      expectProbeReadsHaveNoSideEffects(rg, spec.noSideEffects.instants);
    });

    it('a device whose probes are read at every step, also inside its line subscribers, behaves exactly like one never probed', () => {
      expectProbingChangesNothing(rig, guest, program, spec.twin);
    });

    it('registers: the full map in map order, with offsets and sizes in bytes, shared by every instance', () => {
      const { device } = rig();
      expectRegistersAreTheMap(device, rig().device, spec.registers.map, spec.registers);
      spec.registers.also?.(device.registers);
    });

    more?.();
  });
};

// ---- The SP804 layout: the ARM SP804 and the CMSDK APB dual timer, its derivative ------------

/** The register offsets and Control bits the SP804 and the CMSDK APB dual timer share; timer 2's registers are timer 1's + `T2`. */
export const SP804_LAYOUT = {
  LOAD: 0x00,
  VALUE: 0x04,
  CONTROL: 0x08,
  INTCLR: 0x0c,
  T2: 0x20,
  SIZE32: 1 << 1,
  INTEN: 1 << 5,
  PERIODIC: 1 << 6,
  ENABLE: 1 << 7,
} as const;

/** A rig of an SP804-layout device: its TIMINT lines, and 32-bit guest reads and writes. */
export interface Sp804LayoutRig extends IntrospectionRig<Introspected & Readonly<Record<'timint1' | 'timint2' | 'timintc', IrqSignal>>> {
  r(offset: number): number;
  w(offset: number, value: number): void;
}

/**
 * The spec parts the SP804-layout devices share, for TIMCLK ticks of `tick` ns: the lines TIMINT1,
 * TIMINT2 and TIMINTC; the probes timer1.value and timer2.value, read by the guest from TimerXValue;
 * the program (timer 1: Load 3, periodic, 32-bit; timer 2: Load `timer2Load`, periodic, 16-bit, so
 * Value[31:16] holds its upper half); the twin run (both interrupts cleared at 5 ticks + 1 ns, 12
 * ticks in all).
 */
export const sp804LayoutSpec = (tick: number, timer2Load: number) => {
  const { LOAD, VALUE, CONTROL, INTCLR, T2, SIZE32, INTEN, PERIODIC, ENABLE } = SP804_LAYOUT;
  return {
    lines: (device: Sp804LayoutRig['device']) => ({ timint1: device.timint1, timint2: device.timint2, timintc: device.timintc }),
    probes: [
      ['timer1.value', 32],
      ['timer2.value', 32],
    ] as const,
    guest: registerReads({ 'timer1.value': VALUE, 'timer2.value': T2 + VALUE }),
    program: ({ w }: Sp804LayoutRig): void => {
      w(LOAD, 3);
      w(CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
      w(T2 + LOAD, timer2Load);
      w(T2 + CONTROL, ENABLE | PERIODIC | INTEN);
    },
    twin: {
      tick,
      rounds: 12,
      serviceAt: 5 * tick + 1,
      service: ({ w }: Sp804LayoutRig): void => {
        w(INTCLR, 1);
        w(T2 + INTCLR, 1);
      },
      minSeen: 40,
    },
  };
};
