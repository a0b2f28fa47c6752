/**
 * Time scale and scheduler probes shared by the marble tests.
 *
 * Marble tests run on rxjs's `TestScheduler` in run mode, where one frame is
 * one unit of `scheduler.now()`. Timers count nanoseconds, so they run on
 * `scaleScheduler(testScheduler, NS_PER_FRAME)`:
 *
 * - 1 frame = {@link NS_PER_FRAME} ns = 1 µs of virtual time;
 * - the timers in ordering tests use {@link PERIOD_NS} = 1 frame, so one
 *   frame is one timer tick and a count of N expires N frames after a start;
 * - a delay that is not a whole number of frames runs at the next frame
 *   (never early), so deadlines that fall between frames show up late;
 * - time progression in marble strings (`'10ms '`, `'1s '`) would mean
 *   frames, not milliseconds, in run mode: never use it in these tests.
 */
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** Nanoseconds of timer time per marble frame. */
export const NS_PER_FRAME = 1_000;

/** The period the ordering tests give their timers: one tick per frame. */
export const PERIOD_NS = NS_PER_FRAME;

/** A number of frames as nanoseconds. */
export const framesToNs = (frames: number): number => frames * NS_PER_FRAME;

/** A scheduler that also reports how much of its work is still queued. */
export interface ProbedScheduler extends SchedulerLike {
  /** Work scheduled through this scheduler that has neither run nor been cancelled. */
  pending(): number;
}

/**
 * Wraps a scheduler so that:
 * - an error thrown by scheduled work goes to `onError` instead of aborting
 *   the whole run (a TestScheduler flush stops at the first error), the way
 *   `VirtualClock`'s `onError` option does;
 * - `pending()` counts the work scheduled through it that is still queued,
 *   so a test can check that cancelling a subscription cancels its work.
 *
 * Work that re-arms itself through `this.schedule(...)` creates actions the
 * probe does not see; `scaleScheduler` never does that (it schedules afresh
 * on its inner scheduler at each arm), which is how these tests use it.
 *
 * @param scheduler - the scheduler that really runs the work
 * @param onError - receives what a piece of work threw
 */
export const probeScheduler = (scheduler: SchedulerLike, onError: (error: unknown) => void): ProbedScheduler => {
  const live = new Set<Subscription>();
  return {
    now: () => scheduler.now(),
    pending: () => live.size,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      let subscription: Subscription | undefined;
      let ran = false;
      subscription = scheduler.schedule<T>(
        function probed(this: SchedulerAction<T>, s?: T) {
          ran = true;
          if (subscription !== undefined) live.delete(subscription);
          try {
            work.call(this, s);
          } catch (error) {
            onError(error);
          }
        },
        delay,
        state,
      );
      if (!ran && !subscription.closed) {
        live.add(subscription);
        const added = subscription;
        subscription.add(() => live.delete(added));
      }
      return subscription;
    },
  };
};
