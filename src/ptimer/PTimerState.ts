/** Whether a timer is stopped, or running and how. */
export type PTimerMode = 'stopped' | 'periodic' | 'oneshot';

/**
 * The whole arithmetic state of a timer (reference/qemu-ptimer.md §1.2).
 * The count is never stored while running: it is computed from the anchor
 * (`lastEvent`), the deadline (`nextEvent`) and the period when read.
 */
export interface PTimerState {
  mode: PTimerMode;
  /** Reload value. */
  limit: bigint;
  /** Stopped: the count. Running: the count at the anchor. */
  delta: bigint;
  /** Integer part of the period, ns. */
  period: bigint;
  /** Fractional part of the period, units of 2^-32 ns. */
  periodFrac: bigint;
  /** Anchor: virtual time (ns) at which the current countdown started. */
  lastEvent: bigint;
  /** Deadline: virtual time (ns) at which the current countdown reaches 0 (may lie beyond the clock's range). */
  nextEvent: bigint;
}
