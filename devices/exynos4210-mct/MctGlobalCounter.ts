/**
 * The Exynos4210 MCT's global 64-bit free-running counter and its four comparators. The
 * decisions it implements (X1-X4) are in Exynos4210Mct.ts's header; the device owns the register
 * bank, the rate and the lines. Not part of the public API (the folder's index does not export it).
 *
 * Structure (as the i.MX GPT's): ONE ptimer counting counter cycles down to the next *event*,
 * the step into the value of the nearest enabled comparator (X1), or a {@link MILESTONE} when no
 * comparator is that near. `end` is the counter value the countdown ends at; while it runs,
 * G_CNT = end - count (NO_COUNTER_ROUND_DOWN: the start value throughout the first cycle, end - 1
 * in the last). At its expiry the comparators equal to `end` match (their G_INT_CSTAT bits, their
 * auto-increments, X2). Under `sync` delivery the ptimer runs periodic with the NEXT countdown's
 * length as its reload value, so each countdown starts at the exact instant the last one ended;
 * under `bottom-half` each runs one-shot and its bottom half plans the next (as QEMU re-arms its
 * one-shot ptimer). Not counting (TIMER_ENABLE 0 or no clock), the ptimer is stopped with a count
 * of 1 and `end` holds G_CNT.
 */
import { expectBottomHalfPutBack, expectTimerLimit, expectTimerMode, refuseSnapshot, registerPath, type CounterRate, type TimerPartView, type TriggerDelivery } from '../../src/bus';
import type { PTimer } from '../../src/ptimer';
import { afterMatch, countdownFrom, MASK64, type Comparator } from './mctCounting';

/** What the global counter asks its device: one table per device class, given the device (no closures per instance, #19). */
export interface MctGlobalHost<D> {
  /** G_TCON.TIMER_ENABLE now. */
  readonly enabled: (device: D) => boolean;
  /** The four comparators as the registers hold them now. */
  readonly comparators: (device: D) => readonly Comparator[];
  /** The counter stepped into `value`: the device sets the matches' status bits and auto-increments (X1, X2). */
  readonly match: (device: D, value: bigint) => void;
}

/** What the global counter needs from its device. */
export interface MctGlobalContext<D = any> {
  /** Its ptimer. */
  readonly timer: PTimer;
  /** The counters' rate (shared by the whole block; the device applies it). */
  readonly rate: CounterRate;
  /** How the ptimer's expiries reach it: only `sync` plans the next countdown ahead. */
  readonly delivery: TriggerDelivery;
  /** The device, given to `host`. */
  readonly device: D;
  /** The device's side. */
  readonly host: MctGlobalHost<D>;
}

/**
 * The global counter (see the module doc). Every method that changes the counter does it in one
 * transaction of its ptimer (joining the callback context when called from there).
 */
export class MctGlobalCounter {
  constructor(c: MctGlobalContext) {
    // The context's fields, held here: no context object (#19).
    this.timer = c.timer;
    this.rate = c.rate;
    this.delivery = c.delivery;
    this.device = c.device;
    this.host = c.host;
  }

  /** G_CNT as a guest read sees it now (no side effect). */
  value(): bigint {
    const t = this.timer;
    // Stopped: frozen (count 1), or a countdown that ended and whose bottom half is pending (count 0): G_CNT is `end` either way.
    return t.mode === 'stopped' ? this.end : (this.end - t.getCount()) & MASK64;
  }

  /** The counter value the current countdown ends at (frozen: G_CNT). */
  get endValue(): bigint {
    return this.end;
  }

  /**
   * The counter now holds `value` (a G_CNT write, an enable, a comparator change, or where it was
   * read): plan the countdown from it with a fresh cycle now, or freeze it (X3, X4).
   * @param value - default: where it reads now
   */
  restart(value: bigint = this.value()): void {
    this.timer.transaction((t) => this.plan(t, value));
  }

  /** A register changed only what follows the current countdown (ADD_INCR, AUTO_INC): its reload value (X4). */
  replanReload(): void {
    const t = this.timer;
    if (t.mode !== 'periodic') return; // bottom-half and frozen counters plan when they go on
    t.transaction((tt) => tt.setLimit(this.followingLength(this.end), false));
  }

  /** The countdown ended at `end` (in the ptimer's callback context under sync): the matches, then the next countdown. */
  onExpiry(): void {
    const t = this.timer;
    // Legacy bottom half: a write since the countdown ended re-planned it already (and took the match's place).
    if (this.delivery === 'bottom-half' && (t.mode !== 'stopped' || t.getCountNumber() !== 0)) return;
    const at = this.end;
    this.host.match(this.device, at);
    const next = countdownFrom(at, this.host.comparators(this.device));
    if (t.mode === 'periodic' && t.getLimit() === next) {
      // The ptimer's reload started the next countdown at this one's exact end: plan the one after.
      this.end = (at + next) & MASK64;
      t.transaction((tt) => tt.setLimit(this.followingLength(this.end), false));
    } else {
      t.transaction((tt) => this.plan(tt, at));
    }
  }

  /**
   * Applies the block's rate to the ptimer: running on, a new rate re-times the count with a fresh
   * cycle (the kit's CounterRate rule); a stopped clock freezes the counter, a restarted one plans
   * from it (X12).
   * @param hz - fin's rate
   * @param divisor - MCT_CFG's division
   * @param was - whether the clock ran before
   */
  applyRate(hz: number, divisor: number, was: boolean): void {
    this.timer.transaction((t) => {
      const now = this.value();
      const period = t.getPeriodRatio();
      const runs = this.rate.apply(t, hz, divisor);
      const after = t.getPeriodRatio();
      const retimed = after.numerator !== period.numerator || after.denominator !== period.denominator;
      // A new period latched the count: plan afresh from the value read (a fresh cycle either way), so a
      // countdown capped at the milestone is measured from where the counter is.
      if (runs !== was || (runs && retimed)) this.plan(t, now);
    });
  }

  /** Loads a snapshot's `end` (checked by {@link checkMctGlobal}; the ptimer restores on its own). */
  adopt(end: bigint): void {
    this.end = end;
  }

  private plan(t: PTimer, value: bigint): void {
    t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
    t.setLimit(0, false); // only a periodic ptimer has a reload value (the next countdown's length)
    if (!this.host.enabled(this.device) || !this.rate.running) {
      this.end = value;
      t.setCount(1);
      return;
    }
    const length = countdownFrom(value, this.host.comparators(this.device));
    this.end = (value + length) & MASK64;
    t.setCount(length);
    if (this.delivery === 'sync') {
      t.setLimit(this.followingLength(this.end), false);
      t.run(false);
    } else {
      t.run(true);
    }
  }

  /** The length of the countdown that follows one ending at `end` (its matches' auto-increments applied). */
  private followingLength(end: bigint): bigint {
    return countdownFrom(end, afterMatch(end, this.host.comparators(this.device)));
  }

  /** The counter value the current countdown ends at; frozen, G_CNT. */
  private end = 0n;
  private readonly timer: PTimer;
  private readonly rate: CounterRate;
  private readonly delivery: TriggerDelivery;
  private readonly device: unknown;
  private readonly host: MctGlobalHost<any>;
}

/**
 * The invariants of the global counter's part of a device snapshot (Exynos4210Mct.ts header,
 * "Snapshots"), on a part the schema and the ptimer accepted.
 * @param timer - the ptimer's part (`global.timer`)
 * @param end - `global.end`
 * @param comparators - the comparators the snapshot's registers hold
 * @param enabled - G_TCON.TIMER_ENABLE
 * @param clockRuns - whether the counters' rate is above 0
 * @param delivery - how the ptimer delivers its expiries
 * @throws RegisterSnapshotError at the field that breaks one
 */
export const checkMctGlobal = (
  timer: TimerPartView,
  end: bigint,
  comparators: readonly Comparator[],
  enabled: boolean,
  clockRuns: boolean,
  delivery: TriggerDelivery,
): void => {
  const tcon = registerPath('G_TCON');
  if (!enabled || !clockRuns) {
    const why = `while ${tcon}.TIMER_ENABLE is ${enabled ? 1 : 0} and the clock ${clockRuns ? 'runs' : 'is stopped'}`;
    expectTimerMode(timer, ['stopped'], `${why} (the counter is frozen)`);
    expectTimerLimit(timer, 0, `${why} (only a periodic ptimer has a reload value)`);
    if (timer.delta !== 1n) refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be 1 ${why}: global.end holds G_CNT`);
    return;
  }
  if (delivery === 'bottom-half' && timer.mode === 'stopped' && timer.delta === 0n) {
    // The countdown to global.end ended; its bottom half (the match, then the next countdown) is pending.
    expectBottomHalfPutBack(timer, 'a countdown');
    return;
  }
  if (timer.mode === 'stopped') refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be running while ${tcon}.TIMER_ENABLE is 1 and the clock runs: there is always a next event`);
  if (timer.delta < 1n) refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), 'must be at least 1 while counting (a countdown is 1 to 2^64 - 1 cycles)');
  const names = [0, 1, 2, 3].map((n) => `${registerPath(`G_COMP${n}_U`)}:${registerPath(`G_COMP${n}_L`)}`).join(', ');
  const increments = [0, 1, 2, 3].map((n) => registerPath(`G_COMP${n}_ADD_INCR`)).join(', ');
  const start = (end - timer.delta) & MASK64;
  const planned = (start + countdownFrom(start, comparators)) & MASK64;
  if (planned !== end) {
    refuseSnapshot(
      'global.end',
      end.toString(),
      `must be ${planned} while counting: the nearest match of an enabled comparator (${names}, enabled by ${tcon}) after the start value ${start} (global.end - ${timer.where}.delta; X1), or the milestone 2^64 - 1 cycles on`,
    );
  }
  if (delivery === 'bottom-half') {
    expectTimerMode(timer, ['oneshot'], "under 'bottom-half' delivery (each countdown runs one-shot and its bottom half plans the next)");
    expectTimerLimit(timer, 0, "under 'bottom-half' delivery (a one-shot ptimer has no reload value)");
    return;
  }
  expectTimerMode(timer, ['periodic'], "under 'sync' delivery while counting (the next countdown's length is its reload value)");
  expectTimerLimit(
    timer,
    countdownFrom(end, afterMatch(end, comparators)),
    `(the next countdown's length: from global.end ${end} to the next match of the comparators ${names} after the auto-increments ${tcon} and ${increments} make at it, X2)`,
  );
};
