import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import type { VirtualClock } from '../src/clock/VirtualClock';
import { workTag, type WorkTag } from '../src/clock/WorkTag';

/**
 * Counts guest work per instant, shared by all of a system's guests, so the
 * system can tell how many *device* events ran at an instant before a guest
 * step: that number places a replayed or resumed input at the same point.
 * @internal
 */
export class GuestActivity {
  private instant = -1;
  private count = 0;
  /** Bumped at every guest step (clock work or a top-level start). */
  step = 0;

  /** A guest's clock work starts running at `now`. */
  enter(now: number): void {
    if (this.instant === now) this.count++;
    else {
      this.instant = now;
      this.count = 1;
    }
    this.step++;
  }

  /** Guest clock work that has run at `now`, counting the running one. */
  atInstant(now: number): number {
    return this.instant === now ? this.count : 0;
  }
}

/**
 * The scheduler a system gives one guest: the system's clock, with the
 * guest's work tagged `guest` (owner: the guest's name; the placer's anchors `placer`) and counted in {@link GuestActivity}.
 * @internal
 */
export class GuestScheduler implements SchedulerLike {
  private readonly tag: WorkTag;
  private hold: { readonly time: number; readonly place: (run: () => void) => void } | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly activity: GuestActivity,
    guest: string,
    kind: 'guest' | 'placer' = 'guest',
  ) {
    this.tag = workTag(kind, guest);
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The guest's next work due at `time` is handed to `place` when it comes
   * due, to run at its exact place in the instant (a resumed wake-up keeps
   * its place among the device events there: the system places it with its
   * `InstantPlacer`).
   */
  holdFirst(time: number, place: (run: () => void) => void): void {
    this.hold = { time, place };
  }

  /** Drops a {@link GuestScheduler.holdFirst} that has not come due (a restore that failed). */
  clearHold(): void {
    this.hold = undefined;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    const { clock, activity } = this;
    const self = this;
    return clock.scheduleTagged<T>(
      this.tag,
      function guestStep(this: SchedulerAction<T>, s?: T) {
        activity.enter(clock.now());
        const hold = self.hold;
        if (hold !== undefined && hold.time === clock.now()) {
          self.hold = undefined;
          const action = this;
          hold.place(() => work.call(action, s));
          return;
        }
        work.call(this, s);
      },
      delay,
      state,
    );
  }
}

/** Non-guest (device) events that have run at the clock's current instant, before the running guest step. @internal */
export const deviceEventsAtInstant = (clock: VirtualClock, activity: GuestActivity): number =>
  clock.executedAtInstant - activity.atInstant(clock.now());
