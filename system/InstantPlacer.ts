import type { SchedulerAction, Subscription } from 'rxjs';
import type { VirtualClock } from '../src/clock/VirtualClock';
import type { WorkTag } from '../src/clock/WorkTag';
import { deviceEventsAtInstant, GuestScheduler, type GuestActivity } from './GuestScheduler';

/** Something to run at an instant, right after a given number of that instant's device events. */
interface Placed {
  readonly time: number;
  readonly after: number;
  readonly run: () => void;
  /** The error to throw when the place was passed (more device events ran first). */
  readonly missed: (seen: number) => Error;
}

/**
 * Runs pieces of guest work at an exact place within an instant: right after
 * the `after`-th device (non-guest) event at `time`, before anything else
 * runs. That is how a recorded guest step is replayed, and a snapshot's
 * pending guest wake-up resumed, in the same same-instant order as the
 * original run (work queued before the snapshot ran before work queued after
 * it, and pieces placed at one point run in the order they were placed).
 *
 * Mechanism, on the clock's public seam only: an observer's `after` hook runs
 * what is due once a device event has run, and its `before` hook what is due
 * before the next one (device work is told from guest work by its
 * `WorkTag`); an anchor per instant (`placer` work, queued early) runs what
 * is due before the instant's first device event, makes the clock stop at an
 * instant that has no device event at all, and goes to the back of the
 * instant while work is left, to report a place the instant never reached.
 * @internal
 */
export class InstantPlacer {
  /** Work not yet run, by instant, each list in the order placed. */
  private readonly due = new Map<number, Placed[]>();
  private readonly scheduler: GuestScheduler;
  /** The anchors still queued, to cancel at {@link InstantPlacer.dispose}. */
  private readonly anchors = new Set<Subscription>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly activity: GuestActivity,
  ) {
    this.scheduler = new GuestScheduler(clock, activity, 'system', 'placer');
  }

  /** Stops watching the clock, takes its anchors off it and drops what was left to run (the system is disposed). */
  dispose(): void {
    this.unwatch();
    for (const anchor of this.anchors) anchor.unsubscribe();
    this.anchors.clear();
    this.due.clear();
  }

  /** Stops watching the clock, while it watches (see {@link InstantPlacer.watch}). */
  private detach: (() => void) | undefined = undefined;

  /**
   * Watches the clock while work is due (not for a whole run: a system that
   * replays nothing would pay two calls per clock event for nothing).
   */
  private watch(): void {
    if (this.detach !== undefined) return;
    const hook = (tag: WorkTag): void => {
      if (this.due.size === 0 || tag.kind === 'guest' || tag.kind === 'placer') return;
      this.runDue(false);
    };
    // After a device event: what is due right after it. Before one: what was due before it
    // (placed at an instant whose first device events were queued before the anchor).
    this.detach = this.clock.observe({ before: hook, after: hook });
  }

  private unwatch(): void {
    const detach = this.detach;
    this.detach = undefined;
    detach?.();
  }

  /**
   * Places `run` at `time` after `after` device events there (see the class
   * doc). Placed during that very instant, it runs at once if its place is now.
   */
  place(time: number, after: number, run: () => void, missed: (seen: number) => Error): void {
    this.watch();
    const list = this.due.get(time);
    if (list !== undefined) {
      list.push({ time, after, run, missed });
      if (time === this.clock.now()) this.runDue(false);
      return;
    }
    this.due.set(time, [{ time, after, run, missed }]);
    if (time === this.clock.now()) {
      this.runDue(false);
      if (!this.due.has(time)) return;
    }
    const { clock, anchors } = this;
    const self = this;
    const queued = this.scheduler.schedule(function anchor(this: SchedulerAction<unknown>) {
      let again = false;
      try {
        self.runDue(false);
        if (!self.due.has(time)) return;
        if (clock.nextDeadline() === time) {
          again = true;
          this.schedule(undefined, 0); // work left and more events at this instant: go behind them
          return;
        }
        self.runDue(true);
      } finally {
        if (!again) anchors.delete(this);
      }
    }, time - clock.now());
    anchors.add(queued);
  }

  /** Runs the work due now; at the instant's end (`last`), everything left for this instant was missed. */
  private runDue(last: boolean): void {
    const now = this.clock.now();
    const list = this.due.get(now);
    if (list === undefined) return;
    try {
      while (list.length > 0) {
        const p = list[0]!;
        const seen = deviceEventsAtInstant(this.clock, this.activity);
        if (p.after === seen) {
          list.shift();
          this.activity.step++;
          p.run();
          continue;
        }
        if (p.after < seen || last) {
          this.due.delete(now);
          throw p.missed(seen);
        }
        // Pieces are placed in non-decreasing `after` within an instant, so none behind it is due either.
        break;
      }
      if (list.length === 0) this.due.delete(now);
    } finally {
      if (this.due.size === 0) this.unwatch();
    }
  }
}
