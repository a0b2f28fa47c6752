import { Observable, type MonoTypeOperatorFunction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { deliverAsBottomHalf } from './deliverAsBottomHalf';
import { triggerMonitorOf, triggerTimerName } from './monitorTriggers';

/** How a device receives its timers' triggers: synchronously (the fixed design) or through a legacy bottom half. */
export type TriggerDelivery = 'sync' | 'bottom-half';

/** Label prefix of a pending bottom half on a `VirtualClock`: `bottom-half '<timer>'`. */
export const BOTTOM_HALF_LABEL_PREFIX = 'bottom-half ';

/**
 * A device's trigger delivery as an operator: `sync` passes each trigger
 * through at once (inside the timer's expiry step); `bottom-half` defers it
 * with {@link deliverAsBottomHalf}, only so tests can show the LP #1777777
 * race on a real device model.
 *
 * On a `VirtualClock`, a pending bottom half is labelled
 * `bottom-half '<timer>'` (the trigger's timer name), so an ordering explorer
 * can tell it from other work. A trigger monitor (`monitorTriggers`) on the
 * scheduler is told of each trigger's emission and delivery.
 *
 * Ordering: `sync` preserves G1; `bottom-half` breaks it on purpose.
 *
 * ## Example
 * ```ts
 * timer.triggers$.pipe(deliverTriggers(options.delivery ?? 'sync', scheduler)).subscribe(() => this.onExpiry());
 * ```
 * @param delivery - `sync` or `bottom-half`
 * @param scheduler - where a bottom half is scheduled
 * @returns the triggers, delivered at once (`sync`) or by a bottom half
 * @see deliverAsBottomHalf
 */
export const deliverTriggers =
  <T>(delivery: TriggerDelivery, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> =>
  (source) =>
    new Observable<T>((subscriber) => {
      const delivered = (value: T): void => {
        subscriber.next(value);
        triggerMonitorOf(scheduler)?.delivered(triggerTimerName(value));
      };
      if (delivery !== 'bottom-half') {
        return source.subscribe({
          next: (value) => {
            triggerMonitorOf(scheduler)?.emitted(triggerTimerName(value));
            delivered(value);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      }
      // The label names the timer whose trigger made the bottom half pending (set just before auditTime schedules it).
      let timer = 'timer';
      const labelled = labelledScheduler(scheduler, () => `${BOTTOM_HALF_LABEL_PREFIX}'${timer}'`);
      const noted = new Observable<T>((inner) =>
        source.subscribe({
          next: (value) => {
            timer = triggerTimerName(value);
            triggerMonitorOf(scheduler)?.emitted(timer);
            inner.next(value);
          },
          error: (error: unknown) => inner.error(error),
          complete: () => inner.complete(),
        }),
      );
      return noted.pipe(deliverAsBottomHalf<T>(labelled)).subscribe({
        next: delivered,
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });

interface LabelledScheduling {
  scheduleLabeled<S>(label: string, work: (this: SchedulerAction<S>, state?: S) => void, delay?: number, state?: S): Subscription;
}

/** `scheduler` with its work labelled, where it takes labels (a `VirtualClock`); itself otherwise. */
const labelledScheduler = (scheduler: SchedulerLike, label: () => string): SchedulerLike => {
  const clock = scheduler as Partial<LabelledScheduling> & SchedulerLike;
  if (typeof clock.scheduleLabeled !== 'function') return scheduler;
  return {
    now: () => scheduler.now(),
    // One implementation serves SchedulerLike's overloads (state optional or not).
    schedule: ((work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay?: number, state?: unknown) =>
      clock.scheduleLabeled!(label(), work, delay, state)) as SchedulerLike['schedule'],
  };
};
