import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import type { TriggerNote } from './VirtualClock';
import type { WorkTag } from './WorkTag';

/** A scheduler that takes {@link WorkTag}s on its work and trigger notes (a {@link VirtualClock}, or an adapter of one). */
export interface TaggedScheduler extends SchedulerLike {
  /** Schedules tagged work (see {@link VirtualClock.scheduleTagged}). */
  scheduleTagged<T>(tag: WorkTag, work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription;
  /** Posts a trigger note to the scheduler's observers (see {@link VirtualClock.noteTrigger}). */
  noteTrigger(kind: TriggerNote['kind'], timer: string): void;
}

/**
 * Whether `scheduler` takes tags (has `scheduleTagged` and `noteTrigger`).
 * @param scheduler - any rxjs scheduler
 * @returns true for a {@link TaggedScheduler}
 */
export const isTaggedScheduler = (scheduler: SchedulerLike): scheduler is TaggedScheduler =>
  typeof (scheduler as Partial<TaggedScheduler>).scheduleTagged === 'function' &&
  typeof (scheduler as Partial<TaggedScheduler>).noteTrigger === 'function';

/**
 * Schedules `work` with `tag` where the scheduler takes tags, and plainly on
 * any other rxjs scheduler (which has nobody to tell). Timers and devices
 * schedule through this, so they run on any scheduler and stay observable
 * on a {@link VirtualClock}.
 * @param scheduler - where to schedule
 * @param tag - what the work is and whose
 * @param work - the work; `this` is its action
 * @param delay - ns from now
 * @param state - passed to `work`
 * @returns the action
 */
export const scheduleTagged = <T>(
  scheduler: SchedulerLike,
  tag: WorkTag,
  work: (this: SchedulerAction<T>, state?: T) => void,
  delay?: number,
  state?: T,
): Subscription =>
  isTaggedScheduler(scheduler) ? scheduler.scheduleTagged(tag, work, delay, state) : scheduler.schedule(work, delay, state);
