import type { SchedulerLike } from 'rxjs';
import type { QueuedWork } from './VirtualAction';
import { VirtualClock } from './VirtualClock';

/**
 * Arms (or re-arms in place) work that is its own queue entry, `delay` ns
 * from now, when `scheduler` is a {@link VirtualClock}: a timer's record is
 * queued this way, so an expiry reaches the timer with no action object in
 * between. Other schedulers take an action as usual (the caller's fallback).
 * @param scheduler - where to arm
 * @param entry - the work, with its queue fields
 * @param delay - whole ns from now, non-negative
 * @returns whether the entry was armed (false: not a VirtualClock)
 */
export const armOwnEntry = (scheduler: SchedulerLike, entry: QueuedWork, delay: number): boolean => {
  if (!(scheduler instanceof VirtualClock)) return false;
  scheduler.enqueue(entry, delay);
  return true;
};

/**
 * Takes an entry armed with {@link armOwnEntry} off its clock's queue (it
 * may be armed again later).
 * @param scheduler - the clock it was armed on
 * @param entry - the work
 */
export const disarmOwnEntry = (scheduler: SchedulerLike, entry: QueuedWork): void => {
  if (entry.index >= 0) (scheduler as VirtualClock).dequeue(entry);
};
