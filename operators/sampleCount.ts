import { map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { PTimer } from '../src/ptimer/PTimer';
import { checkScheduler, OperatorArgumentError } from './errors';

/** One reading of a timer's count. */
export interface CountSample {
  /** Virtual time (ns) of the reading. */
  readonly time: number;
  /** The timer's name. */
  readonly timer: string;
  /** The count a guest would read at that instant. */
  readonly count: bigint;
}

/** What {@link sampleCount} needs of a timer: its name and its count (a `PTimer` has both). */
export type CountSource = Pick<PTimer, 'name' | 'getCount'>;

/**
 * Reads `timer`'s count each time the source (the notifier) emits, and emits
 * the reading with its virtual time. The notifier's values are ignored;
 * errors and completion pass through.
 *
 * The count is read synchronously inside the notifier's emission, so it is
 * the count at that step: `getCount()` is pure and O(1), and sampling
 * schedules nothing.
 *
 * Ordering: relies on G1 — a sample taken in any step sees the timer either
 * before or after an expiry, never half-way (a reloaded count always comes
 * with its trigger already delivered); relies on G4 — a notifier due at an
 * expiry instant samples before the expiry if it was queued first, after it
 * otherwise; preserves G4 — samples come out in notifier order.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns = 1 tick; the timer counts down from 6, started at frame 0
 * const ticks = m.cold('a-b-c|');
 * m.expect(ticks.pipe(sampleCount(timer, ns))).toBeObservable('x-y-z|', {
 *   x: { time: 0,     timer: 't0', count: 6n },
 *   y: { time: 2_000, timer: 't0', count: 4n },
 *   z: { time: 4_000, timer: 't0', count: 2n },
 * });
 * ```
 *
 * @param timer - the timer to read (anything with `name` and `getCount()`)
 * @param scheduler - virtual time in ns, for the sample's time (the timer's own clock)
 * @returns an operator from notifications to count samples
 * @throws OperatorArgumentError for a timer without a name and `getCount`, or a bad scheduler
 * @see PTimer.getCount
 * @see assertInvariant to check a property of the samples
 */
export const sampleCount = (timer: CountSource, scheduler: SchedulerLike): OperatorFunction<unknown, CountSample> => {
  const t = timer as Partial<CountSource> | null;
  if (typeof timer !== 'object' || t === null || typeof t.name !== 'string' || typeof t.getCount !== 'function') {
    throw new OperatorArgumentError(timer, 'must be a timer (name and getCount())', 'sampleCount(timer)');
  }
  checkScheduler(scheduler, 'sampleCount(scheduler)');
  return map(() => ({ time: scheduler.now(), timer: timer.name, count: timer.getCount() }));
};
