import { map, merge, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { GuestAccess } from '../src/bus/GuestAccess';
import { accessRule, checkScheduler, nsRule, OperatorArgumentError, TimedAccessError } from './errors';

/** One entry of a timed access program: a guest access and when it happens. */
export interface TimedAccess {
  /** When, in ns after subscription (a whole, non-negative number; not before the previous entry's). */
  readonly at: number;
  /** The access (from `guestRead` / `guestWrite`). */
  readonly access: GuestAccess;
}

/**
 * Turns an array of timed guest accesses into a stream that emits each access
 * at its virtual time, then completes right after the last one.
 *
 * Times are relative to subscription, like `timer`'s delay: `at` is ns after
 * the instant the stream is subscribed, so the stream is cold and replays the
 * same program for each subscriber (subscribe at time 0 to read them as
 * absolute times). Entries must be in time order; entries with equal times
 * are emitted at the same instant, in array order. The array is checked and
 * copied when `accessesFrom` is called, so later changes to it do not matter.
 * An empty array gives a stream that completes at once.
 *
 * In marble tests no helper is needed: a marble with access values is already
 * an access stream, `m.cold('a-b', { a: guestRead(4), b: guestWrite(0, 1) })`.
 * Use this for programs written as data (a replayed trace, generated tests).
 *
 * Ordering: preserves G4 — every entry is scheduled on `scheduler` at
 * subscription, in array order, so entries at one instant keep their order,
 * and they run after the work queued for that instant before the
 * subscription (FIFO). An entry at `at = 0` is emitted through the scheduler
 * too, not synchronously during `subscribe`.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns
 * const accesses = accessesFrom(
 *   [{ at: 0, access: r }, { at: 2_000, access: w }, { at: 2_000, access: r }],
 *   ns,
 * );
 * m.expect(accesses).toBeObservable('r-(wr|)', { r, w });
 * ```
 *
 * @param timed - the program: entries `{ at, access }` in time order
 * @param scheduler - virtual time in ns
 * @returns a cold stream of the accesses, each at its time
 * @throws TimedAccessError naming the index and value of the first bad entry
 *   (negative, fractional or unsafe time, a time before the previous one, or
 *   an access that is not one)
 * @throws OperatorArgumentError if `timed` is not an array or `scheduler` not a scheduler
 * @see applyAccesses to perform the accesses on a device
 * @see runDriver for a guest that reacts to what it reads
 */
export const accessesFrom = (timed: readonly TimedAccess[], scheduler: SchedulerLike): Observable<GuestAccess> => {
  if (!Array.isArray(timed)) {
    throw new OperatorArgumentError(timed, 'must be an array of { at, access } entries', 'accessesFrom(timed)');
  }
  checkScheduler(scheduler, 'accessesFrom(scheduler)');
  const entries: TimedAccess[] = [];
  let previous = 0;
  timed.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new TimedAccessError(index, '', entry, 'must be an object { at, access }');
    }
    const { at, access } = entry as { at?: unknown; access?: unknown };
    const timeRule = nsRule(at);
    if (timeRule !== undefined) throw new TimedAccessError(index, 'at', at, timeRule);
    if ((at as number) < previous) {
      throw new TimedAccessError(index, 'at', at, `must not be before the previous entry's time (${previous} ns)`);
    }
    const rule = accessRule(access);
    if (rule !== undefined) throw new TimedAccessError(index, 'access', access, rule);
    previous = at as number;
    entries.push({ at: previous, access: access as GuestAccess });
  });
  return merge(...entries.map(({ at, access }) => timer(at, scheduler).pipe(map(() => access))));
};
