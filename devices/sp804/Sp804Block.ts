/**
 * The SP804-style bank device: N {@link Sp804Counter}s behind a register map whose channel
 * bank `Timer` is N copies of `SP804_TIMER_BLOCK`, with their TIMCLK inputs, timers,
 * hooks, probes, reset and snapshot format. The SP804 (two counters, plus integration test
 * and ID registers) and the Integrator/CP counter/timers (three, nothing else) are this
 * block with their own outputs (#16). The decisions are the SP804 header's (Sp804.ts).
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  expectResetValues,
  expectSame,
  restoreParts,
  snapshotHz,
  snapshotInteger,
  snapshotPart,
  snapshotTuple,
  type DeviceHooks,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterDef,
  type RegisterMap,
  type RegisterShape,
  type SnapshotLoad,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { IrqSignal } from '../../src/shared/IrqSignal';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { checkSp804Counter, Sp804Counter, sp804CounterHandles, type Sp804CounterNames } from './Sp804Counter';

/** What one kind of SP804-style block is: shared by every instance of the device class. */
export interface Sp804BlockKind {
  /** The device class, for snapshot messages (`must be an object made by Sp804.snapshot()`). */
  readonly device: string;
  /** Its snapshot format version. */
  readonly version: number;
  /** The register map; its channel bank `Timer` has one channel per counter. */
  readonly map: RegisterMap<RegisterShape>;
  /** The counters' ptimer policy. */
  readonly policy: readonly PTimerPolicy[];
  /** The number of the first timer in names (`timer1` on the SP804, `timer0` on the Integrator/CP). */
  readonly first: number;
  /** Registers the device never changes (a snapshot must hold their reset values). */
  readonly fixed: readonly RegisterDef[];
}

/** The snapshot of an SP804-style block of N counters (each device names its own, with tuples of N). */
export interface Sp804BlockSnapshot extends DeviceSnapshot {
  /** The register bank: every register's stored value (the Value registers keep their reset value: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The counters, first timer first. */
  readonly timers: readonly PTimerSnapshot[];
  /** Each counter's held upper half, Value[31:16] while it counts in 16-bit mode. */
  readonly upper: readonly number[];
  /** Each timer's TIMCLK rate in Hz when it was taken; restore requires the inputs to be at them. */
  readonly timclkHz: readonly number[];
}

/** The options every SP804-style block takes besides its clocks. */
export interface Sp804BlockOptions {
  /** How expiries reach the device: `sync` (default, at the expiry instant, G1) or the legacy `bottom-half`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or `'qemu'`. */
  readonly timing?: PTimerTiming;
}

/** `.timer<n>`, the timers' name suffixes (up to the Integrator's timer 2). */
const TIMER_SUFFIXES = ['.timer0', '.timer1', '.timer2'] as const;

/** Each SP804-style map's shared hooks (see `Sp804Block.hooksOf`). */
const HOOKS = new WeakMap<RegisterMap<RegisterShape>, DeviceHooks<RegisterShape, Sp804Block<any>>>();

/** Per kind: the tuple label of its snapshot (`timer 1, timer 2`). */
const labelOf = (kind: Sp804BlockKind, n: number): string => Array.from({ length: n }, (_, i) => `timer ${i + kind.first}`).join(', ');

/** Each counter's register names by role, first timer first. */
const channelNames = (kind: Sp804BlockKind): readonly Sp804CounterNames[] => kind.map.channels['Timer'] as unknown as readonly Sp804CounterNames[];

/**
 * N SP804-style counter/timers behind one register bank (see the module doc): the shell the
 * SP804 and the Integrator/CP counter/timers share. A subclass calls `super`, makes its
 * output lines, then `start()`; it computes its outputs in `updateIrq`.
 *
 * Ordering: G1 under the default `sync` delivery (Value reaching 0, RIS, MIS and the lines
 * change in one step at the expiry instant); G2/G3: each register write changes its timer
 * in one transaction.
 */
export abstract class Sp804Block<L extends Readonly<Record<string, IrqSignal>>> extends KitDevice<RegisterShape, L> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param name - the instance name
   * @param timclk - each counter's TIMCLK input, first timer first
   * @param options - trigger delivery and timing
   * @param kind - the device kind
   */
  protected constructor(scheduler: SchedulerLike, name: string, timclk: readonly ClockInput[], options: Sp804BlockOptions, kind: Sp804BlockKind) {
    super(scheduler, name);
    this.kind = kind;
    this.timclk = timclk;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One string piece per name, the suffix shared (#19).
    this.timers = this.attachTimers(timclk.map((_, i) => name + TIMER_SUFFIXES[i + kind.first]!), {
      policy: kind.policy,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: Sp804Block.expired,
    });
    const map = kind.map;
    const bank = this.attachBank(map, Sp804Block.hooksOf(map));
    const names = channelNames(kind);
    this.counters = timclk.map(
      (clock, i) =>
        new Sp804Counter({
          bank,
          names: names[i]!,
          handles: sp804CounterHandles(map, names[i]!),
          timer: this.timers[i]!,
          clock,
          device: name,
          scheduler,
          outlet: this.outlet,
          controlOffset: map.byName[names[i]!.Control]!.offset,
        }),
    );
  }

  /** The register hooks of an SP804-style map, built once per map and shared by every instance (#19). */
  private static hooksOf(map: RegisterMap<RegisterShape>): DeviceHooks<RegisterShape, Sp804Block<any>> {
    let hooks = HOOKS.get(map);
    if (hooks === undefined) {
      const build = deviceHooks<Sp804Block<any>>();
      hooks = build.of(
        map,
        build.channels(map, 'Timer', (i) => ({
          Load: { write: (d, v) => d.counters[i]!.writeLoad(v) },
          Value: { read: (d) => d.counters[i]!.value() },
          Control: { write: (d, v, old) => d.counters[i]!.writeControl(v, old) },
          IntClr: { write: (d) => d.counters[i]!.clearInterrupt() },
          MIS: { read: (d) => d.counters[i]!.masked() },
          BGLoad: { write: (d, v) => d.counters[i]!.writeBgLoad(v) },
        })),
      );
      HOOKS.set(map, hooks);
    }
    return hooks;
  }

  /** Reset: registers to their reset values, every counter stopped at 0xFFFFFFFF (16-bit, free-running). */
  override reset(): void {
    this.bank.reset();
    for (const counter of this.counters) counter.reset();
    this.updateIrq();
  }

  /**
   * Registers, the timers, the held upper halves and the TIMCLK rates, as plain versioned data.
   * @returns the snapshot
   */
  snapshot(): Sp804BlockSnapshot {
    return {
      ...this.snapshotHead(this.kind.version),
      timers: this.timers.map((t) => t.snapshot()),
      upper: this.counters.map((c) => c.upper),
      timclkHz: this.timclk.map((c) => c.hz),
    };
  }

  /**
   * Loads a snapshot taken at the current virtual time by a device of this class and name;
   * all or nothing (everything is checked before anything changes). The TIMCLK inputs are
   * the system's: set them to the snapshot's rates first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a TIMCLK rate that differs from its input's, a counter's own rules
   *   (`timers[i].<field>`), or an invariant of the device's header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const { kind, timers, counters, timclk } = this;
    const n = timers.length;
    const label = labelOf(kind, n);
    const each = <T>(make: () => T) => Array.from({ length: n }, make) as unknown as readonly [T, ...T[]];
    const s = this.parseSnapshot(snapshot, kind, () => ({
      timers: snapshotTuple(each(snapshotPart), label),
      upper: snapshotTuple(each(() => snapshotInteger(0, 0xffff)), label),
      timclkHz: snapshotTuple(each(snapshotHz), label),
    }));
    for (let i = 0; i < n; i++) expectSame(`timclkHz[${i}]`, s.timclkHz[i], timclk[i]!.hz, "the TIMCLK input's rate now in Hz");
    const views = timers.map((t, i) => this.checkTimer(t, s.timers[i], `timers[${i}]`));
    expectResetValues(s.registers.registers, kind.fixed);
    const names = channelNames(kind);
    for (let i = 0; i < n; i++) checkSp804Counter(s.registers.registers, names[i]!, `timclkHz[${i}]`, views[i]!, timclk[i]!.hz);
    restoreParts([[this.bank, s.registers, 'registers'], ...timers.map((t, i): SnapshotLoad => [t, s.timers[i], `timers[${i}]`])]);
    for (let i = 0; i < n; i++) counters[i]!.upper = s.upper[i]!;
    this.updateIrq();
  }

  /** Each timer's TIMCLK input, first timer first (one object more than once when shared). */
  readonly timclk: readonly ClockInput[];
  /** The counters' timers, first timer first (for inspection; the guest reaches them through the registers). */
  readonly timers: readonly PTimer[];

  /** The subclass's last constructor step, once its lines exist: reset, then follow each TIMCLK. */
  protected start(): void {
    this.reset();
    // reset() applied the current rates; each later change re-times the timer at its instant.
    // One listener per distinct input (most blocks share one TIMCLK), not one per timer (#19).
    for (const clock of new Set(this.timclk)) this.followClock(clock, Sp804Block.clockChanged);
  }

  /** A TIMCLK changed rate: each timer it feeds is re-timed, in timer order, as if each had its own listener. */
  private static readonly clockChanged = (d: Sp804Block<any>, _hz: number, clock: ClockInput): void => {
    d.timclk.forEach((c, i) => {
      if (c !== clock) return;
      d.counters[i]!.sync();
      d.updateIrq();
    });
  };

  /** `timer<n>.value` (32 bits): what a guest read of the Value register returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // The Value read hooks are pure (count plus the held upper half in 16-bit mode): the probes reuse them.
    return this.timers.map((timer, i) =>
      timerProbe(timer, {
        name: `timer${i + this.kind.first}.value`,
        width: 32,
        state: () => [this.counters[i]!.value() - timer.getCountNumber()] as const, // the held upper half (0 in 32-bit mode)
        value: (count, [upper]) => BigInt(upper) + count,
      }),
    );
  }

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: Sp804Block<any>, i: number): void => d.onExpiry(i);

  /** Timer `i` reached 0 (in its callback context when delivery is sync): RIS rises whatever IntEnable says. */
  private onExpiry(i: number): void {
    this.counters[i]!.onExpiry();
    this.updateIrq();
  }

  /** The kind: map, policy, snapshot format. */
  protected readonly kind: Sp804BlockKind;
  /** Each timer's counter behaviour (Sp804Counter.ts). */
  protected readonly counters: readonly Sp804Counter[];
}
