import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { TriggerDelivery } from '../src/bus/kit/TriggerDelivery';
import { BottomHalf } from '../src/clock/BottomHalf';
import { isTaggedScheduler } from '../src/clock/scheduleTagged';

export type { TriggerDelivery } from '../src/bus/kit/TriggerDelivery';

/** The timer's name of a trigger-like value (`{ timer: { name } }`), else `timer`. */
const timerName = (value: unknown): string => {
  const name = (value as { timer?: { name?: unknown } } | null)?.timer?.name;
  return typeof name === 'string' ? name : 'timer';
};

/**
 * A trigger delivery as an operator, for pipelines: `sync` passes each
 * trigger through at once (inside the timer's expiry step); `bottom-half`
 * defers it to a {@link BottomHalf} (one pending delivery, of the latest
 * trigger, after the work already queued for the instant), only so tests
 * can show the LP #1777777 race. Device models use the device kit's
 * `deviceTimer`, whose delivery is the same but whose errors surface from
 * the clock; errors thrown by this operator's subscribers are rxjs's to
 * report.
 *
 * On a `VirtualClock` a pending bottom half is `bottom-half` work owned by
 * the trigger's timer, and the clock's observers hear each trigger's
 * emission and delivery (trigger notes).
 *
 * Ordering: `sync` preserves G1; `bottom-half` breaks it on purpose.
 *
 * ## Example
 * ```ts
 * timer.triggers$.pipe(deliverTriggers('bottom-half', clock)).subscribe((t) => log(t.time, clock.now()));
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
      const notes = isTaggedScheduler(scheduler) ? scheduler : undefined;
      const delivered = (value: T): void => {
        subscriber.next(value);
        notes?.noteTrigger('delivered', timerName(value));
      };
      if (delivery !== 'bottom-half') {
        return source.subscribe({
          next: (value) => {
            notes?.noteTrigger('emitted', timerName(value));
            delivered(value);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      }
      let latest: { value: T } | undefined;
      let half: BottomHalf | undefined;
      let completed = false;
      const run = (): void => {
        const pending = latest!;
        latest = undefined;
        delivered(pending.value);
        if (completed) subscriber.complete();
      };
      const subscription = source.subscribe({
        next: (value) => {
          const timer = timerName(value);
          notes?.noteTrigger('emitted', timer);
          latest = { value };
          // The bottom half is owned by the timer whose trigger made it pending.
          half ??= new BottomHalf(scheduler, timer, run);
          half.schedule();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          // A pending delivery still runs, then the stream completes.
          if (half?.pending === true) completed = true;
          else subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        half?.dispose();
      };
    });
