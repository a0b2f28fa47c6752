/**
 * One counter of the SmartFusion2 MSS timer: timer 1, timer 2 or the 64-bit timer. The three
 * behave alike (UG0331 §18.2.3: the 64-bit timer "operates either in Periodic mode or in
 * One-shot mode" with the same control bits); they differ only in where their reload value
 * lives (TIMx_LOADVAL, or TIM64_LOADVAL_U:L) and in their width, which the device supplies.
 * The decisions it implements (X1-X6) are in MssTimer.ts's header.
 */
import {
  CounterRate,
  expectRunningMode,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  refuseSnapshot,
  registerPath,
  type FieldHandle,
  type RegisterBank,
  type RegisterHandle,
  type RegisterShape,
  type TimerPartView,
} from '../../src/bus';
import type { ClockInput } from '../../src/clock/ClockInput';
import type { PTimer } from '../../src/ptimer';
import { MSS_TIMER_BLOCK } from './MSS_TIMER_REGISTERS';

const CTRL = MSS_TIMER_BLOCK.CTRL.fields;
const mask = (f: { readonly lsb: number; readonly width: number }): number => ((2 ** f.width - 1) * 2 ** f.lsb) >>> 0;
const ENABLE = mask(CTRL.ENABLE);
const ONE_SHOT = mask(CTRL.MODE);

const flag = (control: number, bits: number): boolean => (control & bits) !== 0;

/** What a counter needs from its device. */
export interface MssCounterContext {
  /** The device's register bank. */
  readonly bank: RegisterBank<RegisterShape>;
  /** The counter's control register (`TIM1_CTRL`, `TIM2_CTRL`, `TIM64_CTRL`). */
  readonly ctrl: string;
  /** The counter's raw interrupt status register (`TIM1_RIS`, …). */
  readonly ris: string;
  /** The same, looked up once: `ctrl`, its INTEN field and `ris`'s RIS field (read at every IRQ update, #19). */
  readonly handles: MssCounterHandles;
  /** Its ptimer (policy MSS_TIMER_POLICY). */
  readonly timer: PTimer;
  /** PCLK0, the clock it counts. */
  readonly clock: ClockInput;
  /** The value a periodic reload loads, read from the bank: TIMx_LOADVAL, or TIM64_LOADVAL_U:L (one function per counter kind, #19). */
  readonly reload: (bank: RegisterBank<RegisterShape>) => bigint;
}

/** A counter's registers and fields as handles (see {@link MssCounterContext.handles}). */
export interface MssCounterHandles {
  readonly ctrl: RegisterHandle;
  readonly inten: FieldHandle;
  readonly ris: FieldHandle;
}

/**
 * One MSS timer counter (see the module doc). Every method that changes the counter does it in
 * one transaction of its ptimer (joining the callback context when called from there).
 */
export class MssCounter {
  constructor(private readonly c: MssCounterContext) {}

  /**
   * The counter reached 0 (X6): RIS rises whatever INTEN says. A periodic counter reloading 0
   * rests at 0 (X2): it is stopped here, so the ptimer does not stop it with a "delta zero".
   */
  onExpiry(): void {
    this.c.bank.setFieldAt(this.c.handles.ris, 1);
    if (this.c.timer.getLimit() === 0n) this.c.timer.transaction((t) => t.stop());
  }

  /** A LOADVAL write (or TIM64_LOADVAL_L's commit): the counter is loaded with `count` at once (X2). */
  load(count: bigint): void {
    this.sync({ count });
  }

  /** MIS: RIS & INTEN. */
  masked(): number {
    const { bank, handles } = this.c;
    return bank.fieldAt(handles.ris) & bank.fieldAt(handles.inten);
  }

  /** The count a guest read of the value register returns now (no side effect). */
  value(): bigint {
    return this.c.timer.getCount();
  }

  /** {@link MssCounter.value} as a number, for a 32-bit counter (exact: no BigInt per read, #19). */
  valueNumber(): number {
    return this.c.timer.getCountNumber();
  }

  /** After a register reset: stopped at 0, reload 0, at the current PCLK0 rate. */
  reset(): void {
    this.sync({ count: 0n });
  }

  /**
   * Brings the ptimer in line with the registers and PCLK0, in one transaction: the reload
   * value (X3), ENABLE and MODE (X4, X5), the clock (X11). Changing nothing re-anchors nothing.
   * @param change - `count`: the counter is loaded with this value
   */
  sync(change: { readonly count?: bigint } = {}): void {
    const control = this.c.bank.getAt(this.c.handles.ctrl);
    const enabled = flag(control, ENABLE);
    const oneShot = flag(control, ONE_SHOT);
    const hz = this.c.clock.hz;
    const limit = this.c.reload(this.c.bank);
    this.c.timer.transaction((t) => {
      // Read before any change: once a count is set, reads in the transaction are stale (reference §5.2 pitfall 2).
      const count = change.count ?? t.getCount();
      // A one-shot counter at 0 waits for a load (X5); a periodic one reloading 0 rests at 0 (X2); PCLK0 at 0 Hz holds it (X11).
      const counting = enabled && hz > 0 && !(count === 0n && (oneShot || limit === 0n));
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      this.rate.apply(t, hz);
      t.setLimit(limit, false); // a new reload value takes effect at the next zero (X3)
      if (change.count !== undefined) t.setCount(change.count);
      // On a running counter `run` only switches the mode: a CTRL write never restarts the count (X4, X5).
      // A periodic counter found at 0 loads the reload value at once, silently (X5: TRIGGER_ONLY_ON_DECREMENT).
      if (counting) t.run(oneShot);
    });
  }

  /** PCLK0's rate as the counter last applied it. */
  private readonly rate = new CounterRate();
}

/** How the device names one counter's parts in messages. */
export interface MssCounterPaths {
  /** The control register's name (`TIM1_CTRL`). */
  readonly ctrl: string;
  /** Where its reload value is, in words (`registers.registers.TIM1_LOADVAL`). */
  readonly reload: string;
  /** The snapshot field of PCLK0's rate (`pclkHz`). */
  readonly clock: string;
}

/**
 * The snapshot invariants of one active counter (the device header, "Snapshots"), on a
 * snapshot the schema and the counter accepted.
 * @param control - the counter's control register in the snapshot
 * @param limit - its reload value in the snapshot
 * @param max - the largest count its width holds
 * @param timer - its counter's part
 * @param hz - PCLK0 now (already compared with the snapshot's)
 * @param paths - names for messages
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkMssCounter = (control: number, limit: bigint, max: bigint, timer: TimerPartView, hz: number, paths: MssCounterPaths): void => {
  const at = (field: string): string => registerPath(paths.ctrl, field);
  const enabled = flag(control, ENABLE);
  const oneShot = flag(control, ONE_SHOT);
  expectTimerLimit(timer, limit, `(${paths.reload}: the reload value)`);
  expectTimerCountAtMost(timer, max, `(the largest count the counter holds)`);
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${at('ENABLE')} is ${enabled ? 1 : 0} and ${paths.clock} is ${hz} (it counts only when enabled with PCLK0 running)`);
    return;
  }
  expectRunningMode(timer, oneShot, `while ${at('MODE')} is ${oneShot ? 1 : 0}`);
  const rests = timer.delta === 0n && (oneShot || limit === 0n);
  if (timer.mode === 'stopped' && !rests) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${at('ENABLE')} is 1 and PCLK0 runs, unless it rests at 0 with nothing to load (${timer.where}.delta 0, and ${at('MODE')} 1 or a reload value of 0; here delta ${timer.delta}, MODE ${oneShot ? 1 : 0}, reload ${limit})`,
    );
  }
  if (timer.mode !== 'stopped' && timer.delta === 0n) {
    refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be 'stopped' while ${timer.where}.delta is 0: a running countdown starts from a loaded, non-zero count (X2, X5)`);
  }
};
