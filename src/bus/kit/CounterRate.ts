import { periodOfClock } from '../../ptimer/arith';
import { ratioOfClock } from '../../ptimer/exact';
import type { PTimer } from '../../ptimer/PTimer';

/** The period `setPeriodFromClock(hz, divisor)` gives, both ways: exact ratio and QEMU's 64.32 fixed point. */
interface Period {
  readonly num: bigint;
  readonly den: bigint;
  readonly ns: bigint;
  readonly frac: bigint;
}

/** A rate as applied: the clock and divisor, and their period when they have one (a whole rate above 0 Hz). */
interface Rate {
  readonly hz: number;
  readonly divisor: number;
  readonly period: Period | undefined;
}

/** Rates by clock and divisor: a system's counters run at a few rates, so they share these instead of one each (#19). */
const RATES = new Map<number, Map<number, Rate>>();
/** Rates held in RATES. */
let rateCount = 0;
/** Past this many distinct rates the cache starts again (a sweep over rates must not grow it without bound). */
const MAX_RATES = 256;

const rateOf = (hz: number, divisor: number): Rate => {
  let byDivisor = RATES.get(hz);
  let rate = byDivisor?.get(divisor);
  if (rate === undefined) {
    // Not a whole rate above 0 Hz: no period (setPeriodFromClock refuses it with the typed error).
    const whole = hz > 0 && Number.isSafeInteger(hz) && Number.isSafeInteger(divisor) && divisor > 0;
    let period: Period | undefined;
    if (whole) {
      const ratio = ratioOfClock(BigInt(hz), BigInt(divisor));
      const fixed = periodOfClock(BigInt(hz), BigInt(divisor));
      period = Object.freeze({ num: ratio.num, den: ratio.den, ns: fixed.ns, frac: fixed.frac });
    }
    rate = Object.freeze({ hz, divisor, period });
    if (rateCount >= MAX_RATES) {
      RATES.clear();
      rateCount = 0;
      byDivisor = undefined;
    }
    if (byDivisor === undefined) RATES.set(hz, (byDivisor = new Map()));
    byDivisor.set(divisor, rate);
    rateCount++;
  }
  return rate;
};

/** Whether `timer` already has `period`, in its own timing. */
const hasPeriod = (timer: PTimer, period: Period | undefined): boolean => {
  if (period === undefined) return false;
  if (timer.timing === 'exact') {
    const have = timer.getPeriodRatio();
    return have.numerator === period.num && have.denominator === period.den;
  }
  const have = timer.getPeriod();
  return have.ns === period.ns && have.frac32 === period.frac;
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
  /** The rate last applied or adopted, shared with every counter at that rate (one field, #19); absent before any. */
  private applied: Rate | undefined;

  /** The clock rate (Hz) last applied, or 0 before any. */
  get hz(): number {
    return Math.max(0, this.applied?.hz ?? 0);
  }

  /** The divisor last applied (1 before any). */
  get divisor(): number {
    return Math.max(1, this.applied?.divisor ?? 1);
  }

  /** Whether the counter may run: the last applied clock is not stopped. */
  get running(): boolean {
    return (this.applied?.hz ?? 0) > 0;
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
    // Devices re-apply one rate often: the last one is kept, no lookup.
    const last = this.applied;
    const rate = last !== undefined && last.hz === hz && last.divisor === divisor ? last : rateOf(hz, divisor);
    if (hz > 0 && !hasPeriod(timer, rate.period)) timer.setPeriodFromClock(hz, divisor);
    this.applied = rate;
    return hz > 0;
  }

  /**
   * Applies a rate to `timer` as {@link CounterRate.apply} does, for a
   * counter that keeps no CounterRate: the rate is not recorded (a device
   * with many counters reads it from its registers and inputs, #19).
   * @param timer - the device's timer, in a transaction
   * @param hz - the input clock's frequency, a non-negative integer (0 = stopped)
   * @param divisor - the prescaler's division, a positive integer (default 1)
   * @returns whether the counter may run (hz > 0)
   */
  static applyTo(timer: PTimer, hz: number, divisor = 1): boolean {
    if (hz > 0 && !hasPeriod(timer, rateOf(hz, divisor).period)) timer.setPeriodFromClock(hz, divisor);
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
    this.applied = rateOf(hz, divisor);
  }
}
