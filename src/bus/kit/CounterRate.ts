import { periodOfClock } from '../../ptimer/arith';
import { ratioOfClock } from '../../ptimer/exact';
import type { PTimer } from '../../ptimer/PTimer';

/** The period `setPeriodFromClock(hz, divisor)` gives, both ways: exact ratio and QEMU's 64.32 fixed point. */
interface Target {
  readonly hz: number;
  readonly divisor: number;
  readonly num: bigint;
  readonly den: bigint;
  readonly ns: bigint;
  readonly frac: bigint;
}

/** Targets by `hz/divisor`: a system's counters run at a few rates, so they share these instead of one each (#19). */
const TARGETS = new Map<string, Target>();
/** Past this many distinct rates the cache starts again (a sweep over rates must not grow it without bound). */
const MAX_TARGETS = 256;

const targetOf = (hz: number, divisor: number): Target => {
  const key = `${hz}/${divisor}`;
  let target = TARGETS.get(key);
  if (target === undefined) {
    const ratio = ratioOfClock(BigInt(hz), BigInt(divisor));
    const fixed = periodOfClock(BigInt(hz), BigInt(divisor));
    target = Object.freeze({ hz, divisor, num: ratio.num, den: ratio.den, ns: fixed.ns, frac: fixed.frac });
    if (TARGETS.size >= MAX_TARGETS) TARGETS.clear();
    TARGETS.set(key, target);
  }
  return target;
};

/** Whether `timer` already has `target`'s period, in its own timing. */
const hasPeriod = (timer: PTimer, target: Target): boolean => {
  if (timer.timing === 'exact') {
    const have = timer.getPeriodRatio();
    return have.numerator === target.num && have.denominator === target.den;
  }
  const have = timer.getPeriod();
  return have.ns === target.ns && have.frac32 === target.frac;
};

/**
 * The rate a device's counter runs at, from an input clock and a divisor,
 * with the kit's one rule for a stopped clock (a device kit piece).
 *
 * The rule: at 0 Hz the counter freezes at its reading (the device stops
 * its timer, which latches the count, and {@link CounterRate.running} is
 * false); when the clock runs again, or changes rate while the counter runs,
 * the count goes on from the value it reads with a fresh, full cycle at the
 * new rate (the partial cycle is lost, as with any ptimer period change).
 * Applying the rate the counter already has is a no-op: no latch, no lost
 * partial cycle, so re-evaluating a control register that does not change
 * the prescaler leaves the count alone. "Already has" is judged on the
 * timer's period, not on the last rate applied, so a timer whose period came
 * from a snapshot is left alone too.
 *
 * The period is the timer's `setPeriodFromClock(hz, divisor)`: exactly
 * 10^9·divisor/hz ns in exact timing (a device timer's default), QEMU's
 * `set_period_from_clock` (the clock's period at 2^-32 ns resolution, times
 * the divisor) in QEMU timing.
 *
 * ## Example
 * ```ts
 * this.timer.transaction((t) => {
 *   const running = this.rate.apply(t, this.pclk.hz, prescale);
 *   if (enabled && running) t.run(false); else t.stop();
 * });
 * ```
 */
export class CounterRate {
  private appliedHz = -1;
  private appliedDivisor = 0;
  /** The period last compared against (see `hasPeriod`). */
  private target: Target | undefined;

  /** The clock rate (Hz) last applied, or 0 before any. */
  get hz(): number {
    return Math.max(0, this.appliedHz);
  }

  /** The divisor last applied (1 before any). */
  get divisor(): number {
    return Math.max(1, this.appliedDivisor);
  }

  /** Whether the counter may run: the last applied clock is not stopped. */
  get running(): boolean {
    return this.appliedHz > 0;
  }

  /**
   * Applies a rate to `timer`, inside one of its transactions (or its
   * callback context). A non-zero rate whose period the timer does not have
   * yet sets it (latching a running count first); a zero rate leaves the
   * period: the caller stops the timer (see {@link CounterRate.running}).
   * @param timer - the device's timer, in a transaction
   * @param hz - the input clock's frequency, a non-negative integer (0 = stopped)
   * @param divisor - the prescaler's division, a positive integer (default 1)
   * @returns whether the counter may run (hz > 0)
   */
  apply(timer: PTimer, hz: number, divisor = 1): boolean {
    if (hz > 0 && !this.hasPeriod(timer, hz, divisor)) timer.setPeriodFromClock(hz, divisor);
    this.appliedHz = hz;
    this.appliedDivisor = divisor;
    return hz > 0;
  }

  /**
   * Records the rate a restored timer runs at without touching it (its
   * snapshot carries the period), so {@link CounterRate.hz} and
   * {@link CounterRate.running} report it.
   * @param hz - the clock rate the timer's period was set from
   * @param divisor - its divisor (default 1)
   */
  adopt(hz: number, divisor = 1): void {
    this.appliedHz = hz;
    this.appliedDivisor = divisor;
  }

  /** Whether the timer has the period of `hz` and `divisor` already; the target is kept, as devices re-apply one rate often. */
  private hasPeriod(timer: PTimer, hz: number, divisor: number): boolean {
    // Not a whole rate: setPeriodFromClock refuses it with the typed error.
    if (!Number.isSafeInteger(hz) || !Number.isSafeInteger(divisor) || divisor <= 0) return false;
    if (this.target?.hz !== hz || this.target.divisor !== divisor) this.target = targetOf(hz, divisor);
    return hasPeriod(timer, this.target);
  }
}
