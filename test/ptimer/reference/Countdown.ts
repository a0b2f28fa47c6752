/**
 * The "hardware" half of the reference model: a down-counter that moves toward
 * the timer's deadline one nanosecond at a time.
 *
 * It never stores an absolute deadline. It stores what a counter chip would
 * hold: the period it was started with, how many periods are still to go (the
 * one in progress counts as a whole one), and how many ns of the current
 * period have already passed. The deadline is reached when the last period
 * runs out. Reading it needs no division: between two period boundaries the
 * remaining span holds `periodsLeft - 1` whole periods, and exactly
 * `periodsLeft` of them at a boundary.
 *
 * It also keeps the two time comparisons the read rules need (qemu-ptimer.md
 * §1.9): whether the deadline has been reached (`now >= next_event`) and
 * whether no time has passed since the countdown was started
 * (`now = last_event`).
 *
 * A countdown keeps ticking after its timer is stopped, like the stale
 * `next_event`/`last_event` fields that QEMU leaves behind: a read that a
 * latch performs in the same transaction as a restart still sees them (§1.6).
 */
export class Countdown {
  private constructor(
    private periodsLeft: bigint,
    private nsIntoPeriod: number,
    private readonly periodNs: number,
    private due: boolean,
    private anchored: boolean,
  ) {}

  /** A countdown of `periods` whole periods of `periodNs` ns, started now. */
  static start(periods: bigint, periodNs: number): Countdown {
    if (periods <= 0n || periodNs <= 0) throw new Error(`reference model: empty countdown (${periods} x ${periodNs} ns)`);
    return new Countdown(periods, 0, periodNs, false, true);
  }

  /**
   * The state of a timer that has never been started: anchor and deadline
   * both at its creation instant, so the deadline is already reached and the
   * anchor is "now" until time passes.
   */
  static initial(): Countdown {
    return new Countdown(0n, 0, 1, true, true);
  }

  /** True if the deadline has been reached (`next_event <= now`). */
  get overdue(): boolean {
    return this.due;
  }

  /** True if no time has passed since the countdown was started (`now = last_event`). */
  get atAnchor(): boolean {
    return this.anchored;
  }

  /**
   * Advances by one nanosecond. Returns true when this nanosecond is the one
   * at which the deadline is reached.
   */
  tick(): boolean {
    this.anchored = false;
    if (this.due) return false;
    this.nsIntoPeriod += 1;
    if (this.nsIntoPeriod < this.periodNs) return false;
    this.nsIntoPeriod = 0;
    this.periodsLeft -= 1n;
    if (this.periodsLeft > 0n) return false;
    this.due = true;
    return true;
  }

  /** A commit moves the deadline to now without moving the anchor (§1.5: `next_event = now`). */
  pullDeadlineToNow(): void {
    this.due = true;
    this.periodsLeft = 0n;
    this.nsIntoPeriod = 0;
  }

  /**
   * How many whole periods of `periodNs` fit in the time left to the
   * deadline, or undefined once the deadline has been reached.
   */
  wholePeriodsLeft(periodNs: number): bigint | undefined {
    if (this.due) return undefined;
    if (periodNs === this.periodNs) {
      return this.nsIntoPeriod === 0 ? this.periodsLeft : this.periodsLeft - 1n;
    }
    // Only for the stale countdown of a stopped timer, read by a latch in
    // the transaction that restarts it after a period change (§1.6): the
    // deadline is the old one, measured in the new period. (A running
    // countdown is read at its own rate, see ReferenceTimer.readPeriod.)
    // This is the one place the model has to divide.
    if (periodNs <= 0) throw new Error('reference model: read with a zero period');
    const remaining = this.periodsLeft * BigInt(this.periodNs) - BigInt(this.nsIntoPeriod);
    return remaining / BigInt(periodNs);
  }
}
