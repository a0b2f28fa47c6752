/**
 * Checks every device model must pass, written once (issue #5):
 * - {@link sweepRace}: G1 for the device's own registers: a guest reads the counter and
 *   then the interrupt status at every ns around an expiry, queued both before and after
 *   the device armed it; count the reads whose counter shows the expiry but whose status
 *   does not (or the reverse).
 * - {@link continuationDigests}: a snapshot taken mid-run, restored into a fresh system,
 *   continues with the same trace digest as the original.
 * - {@link fuzzDevice}: random guest accesses (any offset, size, value, instant) and clock
 *   changes: nothing throws, the interrupt line always equals what the device's own status
 *   registers say, and two runs of one input give one digest.
 */
import fc from 'fast-check';
import { from, concatMap, timer, map } from 'rxjs';
import { applyAccesses } from '../../operators/applyAccesses';
import {
  ACCESS_SIZES,
  ClockInput,
  irqEvents,
  Trace,
  VirtualClock,
  type AccessSize,
  type Device,
  type GuestAccess,
  type IrqSignal,
  type TriggerDelivery,
} from '../../index';
import { runs, seedFor } from './depth';

// ---- G1 sweep -------------------------------------------------------------------------

/** A device set up for one sweep read. */
export interface RaceProbe {
  /** Starts the device so that it expires at {@link RaceProbe.expiry} (this arms its timer). */
  start(): void;
  /** The first expiry instant, ns. */
  readonly expiry: number;
  /** The guest's two reads, in this order: the counter register, then the interrupt status (pending or not). */
  readPair(): readonly [counter: number, pending: boolean];
  /** Whether a counter value read at `at` shows that the expiry has happened (reloaded, wrapped, …). */
  showsExpiry(counter: number, at: number): boolean;
}

/** Result of {@link sweepRace}. */
export interface SweepResult {
  readonly reads: number;
  /** Reads whose counter and status disagree about whether the expiry happened. */
  readonly inconsistent: number;
  /** Where they were, e.g. `E+0 after`. */
  readonly where: readonly string[];
}

/**
 * Places the guest's read pair at every ns in [expiry - span, expiry + span], queued both
 * before the device arms its expiry (so at the expiry instant it runs first) and after.
 *
 * The expiry must be one that `start()` arms: an expiry re-armed later (e.g. a periodic
 * reload at an earlier expiry) is queued after both read placements, so the "before the
 * expiry" case never happens. To sweep such an expiry, make `start()` restore a snapshot
 * taken just before it (so the timer is armed inside `start()`).
 */
export const sweepRace = (
  make: (clock: VirtualClock, delivery: TriggerDelivery) => RaceProbe,
  delivery: TriggerDelivery,
  span: number,
): SweepResult => {
  const where: string[] = [];
  let reads = 0;
  const { expiry } = make(new VirtualClock(), delivery);
  for (let at = Math.max(0, expiry - span); at <= expiry + span; at++) {
    for (const placement of ['before', 'after'] as const) {
      const clock = new VirtualClock();
      let probe: RaceProbe | undefined;
      let seen: readonly [number, boolean] | undefined;
      const read = (): void => {
        seen = probe!.readPair();
      };
      if (placement === 'before') clock.schedule(read, at);
      probe = make(clock, delivery);
      probe.start();
      if (placement === 'after') clock.schedule(read, at);
      clock.advanceTo(at + span + 1);
      reads++;
      const [counter, pending] = seen!;
      if (probe.showsExpiry(counter, at) !== pending) where.push(`E${at - expiry >= 0 ? '+' : ''}${at - expiry} ${placement}`);
    }
  }
  return { reads, inconsistent: where.length, where };
};

// ---- snapshot continuation ------------------------------------------------------------

/** One guest access at an absolute virtual time. */
export interface ScriptStep {
  readonly at: number;
  readonly access: GuestAccess;
}

/** Runs `script` (sorted by time) on `device`, recording results and interrupt edges in `trace`. */
const play = (clock: VirtualClock, device: Device, irq: IrqSignal, script: readonly ScriptStep[], until: number, trace: Trace) => {
  irqEvents(irq, clock).subscribe((e) => trace.record(e));
  device.events$.subscribe((e) => trace.record(e));
  from(script)
    .pipe(
      concatMap((step) => timer(step.at - clock.now(), clock).pipe(map(() => step.access))),
      applyAccesses(device, clock, trace),
    )
    .subscribe();
  clock.advanceTo(until);
};

/**
 * The digests of the part of a run after `snapshotAt`, for the original run and for a fresh
 * system restored from a snapshot (JSON round trip) taken at `snapshotAt`. They must be equal.
 */
export const continuationDigests = <D extends Device>(
  make: (clock: VirtualClock) => { device: D; irq: IrqSignal },
  script: readonly ScriptStep[],
  snapshotAt: number,
  until: number,
): { original: string; restored: string } => {
  const before = script.filter((s) => s.at <= snapshotAt);
  const after = script.filter((s) => s.at > snapshotAt);
  // Original: the whole run; the digest covers only what comes after the snapshot instant.
  const clockA = new VirtualClock();
  const a = make(clockA);
  play(clockA, a.device, a.irq, before, snapshotAt, new Trace());
  const snapshot = JSON.parse(JSON.stringify(a.device.snapshot())) as unknown;
  const originalTrace = new Trace();
  play(clockA, a.device, a.irq, after, until, originalTrace);
  // Restored: a fresh clock at the snapshot time, a fresh device, the rest of the script.
  const clockB = new VirtualClock({ start: snapshotAt });
  const b = make(clockB);
  b.device.restore(snapshot);
  const restoredTrace = new Trace();
  play(clockB, b.device, b.irq, after, until, restoredTrace);
  return { original: originalTrace.digest(), restored: restoredTrace.digest() };
};

// ---- fuzz -------------------------------------------------------------------------------

/** A device under fuzz. */
export interface FuzzRig {
  readonly device: Device;
  /** The output line(s) the invariant is checked on. */
  readonly irq: IrqSignal;
  /** The level the device's own status registers say the line must have (read device-side, without side effects). */
  irqFromRegisters(): boolean;
  /** Clock inputs the fuzz may change (frequencies are drawn from `hzChoices`). */
  readonly clocks?: readonly ClockInput[];
}

type FuzzStep =
  | { readonly kind: 'read'; readonly offset: number; readonly size: AccessSize }
  | { readonly kind: 'write'; readonly offset: number; readonly size: AccessSize; readonly value: number }
  | { readonly kind: 'advance'; readonly ns: number }
  | { readonly kind: 'clock'; readonly input: number; readonly hz: number };

/** Options of {@link fuzzDevice}. */
export interface FuzzOptions {
  /** Offsets worth hitting often (the device's registers); random offsets are drawn too. */
  readonly offsets: readonly number[];
  /** Size of the device's region (random offsets fall below it). */
  readonly region: number;
  /** Largest single advance, ns. */
  readonly maxAdvance: number;
  /** Frequencies a clock change may pick. */
  readonly hzChoices?: readonly number[];
  /** Values writes draw from half of the time (keys, small loads, enable patterns); the rest are random. */
  readonly values?: readonly number[];
  /** Access sizes to draw from (default all four; a word-only device wants mostly [4]). */
  readonly sizes?: readonly AccessSize[];
  /** Longest step list (default 60). */
  readonly maxSteps?: number;
  /** Step lists to try (default 150; 2 000 in a deep run, PTIMER_DEEP=1: test/support/depth.ts). */
  readonly runs?: number;
  /** fast-check's seed (default 0x5eed; a deep run mixes in its own). */
  readonly seed?: number;
}

const stepArb = (o: FuzzOptions, clocks: number): fc.Arbitrary<FuzzStep> => {
  const offset = fc.oneof(fc.constantFrom(...o.offsets), fc.integer({ min: 0, max: o.region - 1 }));
  const size = fc.constantFrom(...(o.sizes ?? ACCESS_SIZES));
  const steps: fc.Arbitrary<FuzzStep>[] = [
    fc.record({ kind: fc.constant('read' as const), offset, size }),
    fc.record({
      kind: fc.constant('write' as const),
      offset,
      size,
      value:
        o.values !== undefined && o.values.length > 0
          ? fc.oneof(fc.constantFrom(...o.values), fc.nat({ max: 0xffff_ffff }))
          : fc.nat({ max: 0xffff_ffff }),
    }),
    fc.record({ kind: fc.constant('advance' as const), ns: fc.integer({ min: 0, max: o.maxAdvance }) }),
  ];
  if (clocks > 0 && o.hzChoices !== undefined && o.hzChoices.length > 0) {
    steps.push(
      fc.record({
        kind: fc.constant('clock' as const),
        input: fc.integer({ min: 0, max: clocks - 1 }),
        hz: fc.constantFrom(...o.hzChoices),
      }),
    );
  }
  return fc.oneof(...steps);
};

/** Plays fuzz steps on a fresh rig; returns the trace digest, throwing if the invariant breaks. */
const playFuzz = (make: (clock: VirtualClock) => FuzzRig, steps: readonly FuzzStep[]): string => {
  const clock = new VirtualClock();
  const rig = make(clock);
  const trace = new Trace();
  const check = (where: string): void => {
    if (rig.irq.level !== rig.irqFromRegisters()) {
      throw new Error(`at ${clock.now()} ns (${where}): irq line ${rig.irq.level} but the status registers say ${rig.irqFromRegisters()}`);
    }
  };
  irqEvents(rig.irq, clock).subscribe((e) => {
    trace.record(e);
  });
  rig.device.events$.subscribe((e) => trace.record(e));
  check('start');
  steps.forEach((step, i) => {
    const size = step.kind === 'read' || step.kind === 'write' ? step.size : 4;
    switch (step.kind) {
      case 'read':
        trace.record({ kind: 'read', time: clock.now(), source: 'guest', offset: step.offset, size, value: rig.device.read(step.offset, size) });
        break;
      case 'write': {
        const value = size === 8 ? step.value : step.value % 2 ** (8 * size);
        rig.device.write(step.offset, size, value);
        trace.record({ kind: 'write', time: clock.now(), source: 'guest', offset: step.offset, size, value });
        break;
      }
      case 'advance':
        clock.advanceBy(step.ns);
        break;
      case 'clock':
        rig.clocks![step.input]!.setHz(step.hz);
        break;
    }
    check(`step ${i}: ${JSON.stringify(step)}`);
  });
  return trace.digest();
};

/**
 * Random guest accesses and clock changes against a device: no exception escapes, the
 * interrupt line always equals what the status registers say, and the same input gives
 * the same digest twice.
 */
export const fuzzDevice = (make: (clock: VirtualClock) => FuzzRig, options: FuzzOptions): void => {
  const clocks = make(new VirtualClock()).clocks?.length ?? 0;
  fc.assert(
    // size 'max': fast-check's default size would cap the lists at 10 steps whatever maxLength says.
    fc.property(fc.array(stepArb(options, clocks), { maxLength: options.maxSteps ?? 60, size: 'max' }), (steps) => {
      const first = playFuzz(make, steps);
      const second = playFuzz(make, steps);
      if (first !== second) throw new Error(`same input, different digests: ${first} vs ${second}`);
    }),
    { numRuns: options.runs ?? runs(150, 2_000), seed: seedFor(options.seed ?? 0x5eed) },
  );
};
