/**
 * One SP804-style counter/timer: the behaviour behind one channel of
 * {@link SP804_TIMER_BLOCK} (TimerXLoad … TimerXBGLoad), shared by the SP804 (two of them)
 * and the Integrator/CP counter/timers (three). The decisions it implements are the SP804
 * header's ambiguities 1-9 (devices/sp804/Sp804.ts); the device owns the register bank,
 * the outputs and what surrounds the counters (integration test mode, IDs). Not part of
 * the public API (the folder's index does not export it); devices/integrator-pit uses it.
 */
import type { SchedulerLike } from 'rxjs';
import {
  CounterRate,
  expectRunningMode,
  fieldHandle,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerHandle,
  registerPath,
  type EventOutlet,
  type FieldHandle,
  type RegisterBank,
  type RegisterHandle,
  type RegisterMap,
  type RegisterShape,
  type TimerPartView,
} from '../../src/bus';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PTimer } from '../../src/ptimer';
import { SP804_TIMER_BLOCK } from './SP804_REGISTERS';

/** One counter's register names by role (a channel of a map built from {@link SP804_TIMER_BLOCK}). */
export interface Sp804CounterNames {
  readonly Load: string;
  readonly Value: string;
  readonly Control: string;
  readonly IntClr: string;
  readonly RIS: string;
  readonly MIS: string;
  readonly BGLoad: string;
}

const CONTROL = SP804_TIMER_BLOCK.Control.fields;
const mask = (f: { readonly lsb: number; readonly width: number }): number => ((2 ** f.width - 1) * 2 ** f.lsb) >>> 0;
const ONE_SHOT = mask(CONTROL.OneShot);
const SIZE32 = mask(CONTROL.TimerSize);
const PRE = mask(CONTROL.TimerPre);
const PRE_LSB = CONTROL.TimerPre.lsb;
const PERIODIC = mask(CONTROL.TimerMode);
const ENABLE = mask(CONTROL.TimerEn);

const flag = (control: number, bits: number): boolean => (control & bits) !== 0;

/** TimerPre → divisor; 11 is undefined in the TRM and counted as ÷256 (SP804 ambiguity 4). */
const DIVISOR = [1, 16, 256, 256] as const;

/** The counter's value after reset (TRM: Value resets to 0xFFFFFFFF). */
export const SP804_VALUE_RESET = SP804_TIMER_BLOCK.Value.options?.reset ?? 0xffff_ffff;

const HALF = 0x1_0000;

/** A counter's fields and registers, looked up once per map (its expiry and the device's IRQ update read them every time). */
export interface Sp804CounterHandles {
  readonly rawInt: FieldHandle;
  readonly intEnable: FieldHandle;
  readonly timerSize: FieldHandle;
  readonly control: RegisterHandle;
  readonly load: RegisterHandle;
}

/** By the map's channel (its names object): made once for every device of the map. */
const HANDLES = new WeakMap<Sp804CounterNames, Sp804CounterHandles>();

/**
 * The handles of the counter named `names` in `map`, made on first use and shared.
 * @param map - a map built from {@link SP804_TIMER_BLOCK}
 * @param names - one of its channels
 * @returns the handles
 */
export const sp804CounterHandles = (map: RegisterMap, names: Sp804CounterNames): Sp804CounterHandles => {
  let handles = HANDLES.get(names);
  if (handles === undefined) {
    handles = {
      rawInt: fieldHandle(map, names.RIS, 'RawTimerInt'),
      intEnable: fieldHandle(map, names.Control, 'IntEnable'),
      timerSize: fieldHandle(map, names.Control, 'TimerSize'),
      control: registerHandle(map, names.Control),
      load: registerHandle(map, names.Load),
    };
    HANDLES.set(names, handles);
  }
  return handles;
};

/** What a counter needs from its device. */
export interface Sp804CounterContext {
  /** The device's register bank (any map built from {@link SP804_TIMER_BLOCK}). */
  readonly bank: RegisterBank<RegisterShape>;
  /** This counter's register names. */
  readonly names: Sp804CounterNames;
  /** The same, as handles ({@link sp804CounterHandles}). */
  readonly handles: Sp804CounterHandles;
  /** Its ptimer (policy SP804_POLICY). */
  readonly timer: PTimer;
  /** Its TIMCLK. */
  readonly clock: ClockInput;
  /** The device's name, scheduler and outlet, for the TimerPre = 11 report. */
  readonly device: string;
  readonly scheduler: SchedulerLike;
  readonly outlet: EventOutlet;
  /** TimerXControl's offset in the device's map. */
  readonly controlOffset: number;
}

/**
 * One SP804-style counter (see the module doc). Every method that changes the counter does
 * it in one transaction of its ptimer (joining the callback context when called from there).
 */
export class Sp804Counter {
  constructor(private readonly c: Sp804CounterContext) {}

  /** The counter reached 0: RIS rises whatever IntEnable says (ambiguity 9). */
  onExpiry(): void {
    this.c.bank.setFieldAt(this.c.handles.rawInt, 1);
  }

  /** Load write: BGLoad reads it too; the count restarts from it; Load = 0 interrupts at once (ambiguities 1, 2). */
  writeLoad(value: number): void {
    this.c.bank.set(this.c.names.BGLoad, value);
    this.sync({ count: value });
    if (this.counterPart(value) === 0) this.c.bank.setFieldAt(this.c.handles.rawInt, 1);
  }

  /** BGLoad write: the reload value only (ambiguity 6). */
  writeBgLoad(value: number): void {
    this.c.bank.set(this.c.names.Load, value);
    this.sync();
  }

  /** Control write: never reloads the count (ambiguity 3); TimerPre = 11 is reported (ambiguity 4). */
  writeControl(value: number, old: number): void {
    if (((value & PRE) >>> PRE_LSB) === 3) {
      this.c.outlet.record({
        kind: 'unimplemented',
        time: this.c.scheduler.now(),
        source: this.c.device,
        offset: this.c.controlOffset,
        feature: `${this.c.names.Control}.TimerPre=0b11 (undefined; counts ÷256)`,
      });
    }
    this.sync({ wasSize32: flag(old, SIZE32) });
  }

  /** IntClr write: RIS falls; the register keeps nothing. */
  clearInterrupt(): void {
    this.c.bank.setFieldAt(this.c.handles.rawInt, 0);
    this.c.bank.set(this.c.names.IntClr, 0);
  }

  /** MIS: RIS & IntEnable. */
  masked(): number {
    return this.c.bank.fieldAt(this.c.handles.rawInt) & this.c.bank.fieldAt(this.c.handles.intEnable);
  }

  /** Value: the count, with the held upper half in 16-bit mode (ambiguity 5). */
  value(): number {
    const count = this.c.timer.getCountNumber();
    return this.size32() ? count : this.upper * HALF + count;
  }

  /** After a register reset: stopped at 0xFFFFFFFF, with the current TIMCLK rate. */
  reset(): void {
    this.sync({ count: SP804_VALUE_RESET });
  }

  /**
   * Brings the ptimer in line with the registers and TIMCLK, in one transaction. Changing
   * nothing re-anchors nothing.
   * @param change - `count`: the counter is loaded with this 32-bit value; `wasSize32`: TimerSize before a Control write
   */
  sync(change: { readonly count?: number; readonly wasSize32?: boolean } = {}): void {
    const control = this.c.bank.getAt(this.c.handles.control);
    const size32 = flag(control, SIZE32);
    const oneShot = flag(control, ONE_SHOT);
    const enabled = flag(control, ENABLE);
    const periodic = flag(control, PERIODIC);
    const divisor = DIVISOR[(control & PRE) >>> PRE_LSB]!;
    const hz = this.c.clock.hz;
    const load = this.c.bank.getAt(this.c.handles.load);
    this.c.timer.transaction((t) => {
      // Read before any change: once a count is set, reads in the transaction are stale (reference §5.2 pitfall 2).
      let count = t.getCountNumber();
      let recount = false;
      if (change.wasSize32 !== undefined && change.wasSize32 !== size32) {
        if (size32) {
          count += this.upper * HALF;
        } else {
          this.upper = Math.floor(count / HALF);
          count %= HALF;
        }
        recount = true;
      }
      if (change.count !== undefined) {
        this.upper = Math.floor(change.count / HALF);
        count = size32 ? change.count : change.count % HALF;
        recount = true;
      }
      const max = size32 ? 0xffff_ffff : 0xffff;
      const limit = periodic ? (size32 ? load : load % HALF) : max;
      // A one-shot counter halts at 0, and so does a periodic one reloading 0 (ambiguities 2, 7);
      // a stopped TIMCLK holds the count (ambiguity 8).
      const counting = enabled && hz > 0 && !(count === 0 && (oneShot || limit === 0));
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      this.rate.apply(t, hz, divisor); // a rate it already runs at changes nothing (ambiguity 8)
      t.setLimit(limit, false); // takes effect at the next zero (ambiguity 6)
      if (recount) t.setCount(count);
      if (counting) t.run(oneShot); // on a running timer only a mode switch: no restart (ambiguity 3)
    });
  }

  /** The counter's upper half while it counts in 16-bit mode (ambiguity 5); part of the device's snapshot. */
  upper = SP804_VALUE_RESET >>> 16;

  private size32(): boolean {
    return this.c.bank.fieldAt(this.c.handles.timerSize) === 1;
  }

  /** The part of a 32-bit value the counter holds in the current size. */
  private counterPart(value: number): number {
    return this.size32() ? value : value % HALF;
  }

  /** The prescaled TIMCLK rate (ambiguity 8). */
  private readonly rate = new CounterRate();
}

/**
 * The snapshot invariants of one SP804-style counter (the SP804 header's "Snapshots"), on a
 * snapshot the schema and the counter accepted.
 * @param r - the snapshot's register values
 * @param reg - the counter's register names
 * @param clockField - the snapshot field of its clock rate, for messages (`timclkHz[1]`)
 * @param timer - its counter's part
 * @param hz - its TIMCLK now (already compared with the snapshot's)
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkSp804Counter = (r: Readonly<Record<string, number>>, reg: Sp804CounterNames, clockField: string, timer: TimerPartView, hz: number): void => {
  const control = r[reg.Control]!;
  const load = r[reg.Load]!;
  const at = (field: string): string => registerPath(reg.Control, field);
  if (r[reg.BGLoad] !== load) {
    refuseSnapshot(registerPath(reg.BGLoad), r[reg.BGLoad], `must equal ${registerPath(reg.Load)} (${load}): a write to either sets both`);
  }
  const size32 = flag(control, SIZE32);
  const periodic = flag(control, PERIODIC);
  const oneShot = flag(control, ONE_SHOT);
  const enabled = flag(control, ENABLE);
  const max = size32 ? 0xffff_ffff : 0xffff;
  const limit = periodic ? (size32 ? load : load % HALF) : max;
  // Reasons as functions: worded only when a rule refuses (the explorer restores this counter at nearly every schedule).
  expectTimerLimit(timer, limit, () =>
    periodic ? `(${registerPath(reg.Load)} cut to ${at('TimerSize')}: the periodic reload value)` : `(the maximum ${at('TimerSize')} allows: free-running, ${at('TimerMode')} 0)`,
  );
  expectTimerCountAtMost(timer, max, () => `(the largest count ${at('TimerSize')} allows)`);
  if (hz > 0) expectTimerPeriod(timer, hz, DIVISOR[(control & PRE) >>> PRE_LSB]!, () => `of one tick at ${clockField} ${hz} with ${at('TimerPre')}`);
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], () => `while ${at('TimerEn')} is ${enabled ? 1 : 0} and ${clockField} is ${hz} (it counts only when enabled with TIMCLK running)`);
    return;
  }
  expectRunningMode(timer, oneShot, () => `while ${at('OneShot')} is ${oneShot ? 1 : 0}`);
  if (timer.mode === 'stopped' && (timer.delta !== 0n || (!oneShot && limit !== 0))) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${at('TimerEn')} is 1 and TIMCLK runs, unless it holds a 0 nothing reloads (${timer.where}.delta 0, and ${at('OneShot')} 1 or a reload value of 0; here delta ${timer.delta}, OneShot ${oneShot ? 1 : 0}, reload ${limit})`,
    );
  }
};
