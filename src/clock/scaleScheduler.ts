import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { ClockRangeError } from './errors';

class ScaledAction<T> extends Subscription implements SchedulerAction<T> {
  private inner: Subscription | undefined;

  constructor(
    private readonly target: SchedulerLike,
    private readonly nsPerUnit: number,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay: number = 0): Subscription {
    if (this.closed) return this;
    if (typeof delay !== 'number' || Number.isNaN(delay) || delay < 0) {
      throw new ClockRangeError(delay, 'must be a non-negative number of nanoseconds', 'delay');
    }
    // A re-arm replaces the pending run, as on VirtualClock.
    this.inner?.unsubscribe();
    this.inner = undefined;
    if (delay === Infinity) return this;
    // Work due between two units runs at the later one: a deadline is never early.
    const units = Math.ceil(delay / this.nsPerUnit);
    const self = this;
    const inner = this.target.schedule(function runScaled() {
      self.work.call(self, state);
    }, units);
    this.inner = inner;
    this.add(inner);
    return this;
  }
}

/**
 * Presents any rxjs scheduler in nanoseconds: `now()` is the inner scheduler's
 * time times `nsPerUnit`, and a delay in ns becomes `ceil(delay / nsPerUnit)`
 * inner units (work is never run early; work due between two units runs at
 * the later one). Same-instant order is the inner scheduler's (FIFO for
 * rxjs's TestScheduler and VirtualTimeScheduler).
 *
 * Use it to drive ns-based timers from marble tests, where one frame is one
 * unit of `TestScheduler.run()`: pick `nsPerUnit` equal to the timer's period
 * (or a divisor of it) so that every deadline falls on a frame. Or wrap
 * `asyncScheduler` with `nsPerUnit = 1_000_000` to run in real time (ms).
 *
 * ## Example
 * ```ts
 * testScheduler.run(({ expectObservable }) => {
 *   const ns = scaleScheduler(testScheduler, 1_000); // 1 frame = 1 µs
 *   expectObservable(timer(3_000, ns)).toBe('---(a|)', { a: 0 });
 * });
 * ```
 *
 * @param scheduler - the scheduler that really runs the work
 * @param nsPerUnit - nanoseconds per unit of `scheduler.now()`, a positive integer
 * @returns a scheduler whose unit is 1 ns
 */
export const scaleScheduler = (scheduler: SchedulerLike, nsPerUnit: number): SchedulerLike => {
  if (!Number.isInteger(nsPerUnit) || nsPerUnit < 1) {
    throw new ClockRangeError(nsPerUnit, 'must be a positive integer', 'nsPerUnit');
  }
  return {
    now: () => scheduler.now() * nsPerUnit,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay: number = 0, state?: T): Subscription {
      return new ScaledAction<T>(scheduler, nsPerUnit, work).schedule(state, delay);
    },
  };
};
