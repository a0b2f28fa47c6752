import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { scheduleTagged } from './scheduleTagged';
import { workTag, type WorkTag } from './WorkTag';

/**
 * A deferred callback in the manner of QEMU's bottom half: `schedule()` makes
 * it pending (once: scheduling it again while pending does nothing), and it
 * runs later as its own piece of work on the scheduler, tagged
 * `bottom-half` (owner: whose it is), after the work already queued for its
 * instant. It carries no payload: its handler reads the state current when
 * it runs.
 *
 * **Not for new devices.** The device kit uses it only for the legacy
 * `bottom-half` trigger delivery, which exists so that tests can show the
 * LP #1777777 race. An error its handler throws propagates from the clock
 * call that ran it (or goes to the clock's `onError`).
 *
 * Ordering: breaks G1 on purpose (other work runs between `schedule()` and
 * the handler); G4 holds (it is FIFO at its instant).
 */
export class BottomHalf {
  private readonly tag: WorkTag;
  private action: Subscription | undefined;
  private disposed = false;

  /**
   * Creates an idle bottom half.
   * @param scheduler - where it runs
   * @param owner - whose it is (a timer's name), for observers and diagnostics
   * @param handler - what runs
   * @param delay - ns between `schedule()` and the run (default 0: the same instant, after what is queued)
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    owner: string,
    private readonly handler: () => void,
    private readonly delay = 0,
  ) {
    this.tag = workTag('bottom-half', owner);
  }

  /** Whether it is scheduled and has not run yet. */
  get pending(): boolean {
    return this.action !== undefined;
  }

  /** Makes it pending (a no-op while it already is, or once disposed). */
  schedule(): void {
    if (this.action !== undefined || this.disposed) return;
    const self = this;
    this.action = scheduleTagged(
      this.scheduler,
      this.tag,
      function bottomHalf(this: SchedulerAction<undefined>) {
        self.action = undefined;
        self.handler();
      },
      this.delay,
    );
  }

  /** Cancels a pending run; it can be scheduled again. */
  cancel(): void {
    this.action?.unsubscribe();
    this.action = undefined;
  }

  /** Cancels it for good. */
  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}
