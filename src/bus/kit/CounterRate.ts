import { periodOfClock } from '../../ptimer/arith';
import type { PTimer } from '../../ptimer/PTimer';

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
 * the prescaler leaves the count alone.
 *
 * The period is QEMU's `set_period_from_clock(hz, divisor)` (the clock's
 * period at 2^-32 ns resolution, times the divisor).
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
  /**
   * The period {@link CounterRate.apply} gives a timer at `hz` (above 0) and
   * `divisor`, as 64.32 fixed-point ns: what a restored snapshot's timer must
   * run at when its device's clock runs at `hz`.
   * @param hz - the input clock's frequency, a positive integer
   * @param divisor - the prescaler's division, a positive integer (default 1)
   */
  static periodOf(
    hz: number,
    divisor = 1,
  ): {
    /** Whole ns. */
    readonly ns: bigint;
    /** The fraction of a ns, in units of 2^-32 ns. */
    readonly frac32: bigint;
  } {
    const { ns, frac } = periodOfClock(BigInt(hz), BigInt(divisor));
    return { ns, frac32: frac };
  }

  private appliedHz = -1;
  private appliedDivisor = 0;

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
   * callback context). A changed non-zero rate sets the period (latching a
   * running count first); a zero rate leaves the period: the caller stops
   * the timer (see {@link CounterRate.running}).
   * @param timer - the device's timer, in a transaction
   * @param hz - the input clock's frequency, a non-negative integer (0 = stopped)
   * @param divisor - the prescaler's division, a positive integer (default 1)
   * @returns whether the counter may run (hz > 0)
   */
  apply(timer: PTimer, hz: number, divisor = 1): boolean {
    if (hz === this.appliedHz && divisor === this.appliedDivisor) return hz > 0;
    if (hz > 0) timer.setPeriodFromClock(hz, divisor);
    this.appliedHz = hz;
    this.appliedDivisor = divisor;
    return hz > 0;
  }

  /**
   * Records that the timer already runs at this rate without touching it:
   * after a restore, whose timer snapshot carries the period.
   * @param hz - the clock rate the timer's period was set from
   * @param divisor - its divisor (default 1)
   */
  adopt(hz: number, divisor = 1): void {
    this.appliedHz = hz;
    this.appliedDivisor = divisor;
  }
}
