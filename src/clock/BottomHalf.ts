import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { scheduleTagged } from './scheduleTagged';
import { workTag, type WorkTag } from './WorkTag';

/**
 * What a {@link BottomHalf} delivers besides being pending (the device kit's
 * latest trigger), so that a fork of a system can note a pending bottom half
 * and a rewind can put it back (see {@link checkpointBottomHalves}).
 */
export interface BottomHalfPayload {
  /** What the pending bottom half would deliver if it ran now. */
  savePayload(): unknown;
  /** Makes it deliver `value` (one {@link BottomHalfPayload.savePayload} returned) when it runs. */
  loadPayload(value: unknown): void;
}

/** The bottom halves that carry a payload, by scheduler and owner (`null`: two share the owner, none can be put back). */
const registries = new WeakMap<SchedulerLike, Map<string, BottomHalf | null>>();

/**
 * The bottom halves on `scheduler` that carry a payload, by owner (`null`
 * for an owner two of them share). @internal
 */
export const bottomHalvesOn = (scheduler: SchedulerLike): ReadonlyMap<string, BottomHalf | null> | undefined => registries.get(scheduler);

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
   * @param payload - what it carries besides being pending (the device kit's latest trigger): given, a fork of the
   *   system can note it pending and put it back (see {@link checkpointBottomHalves}), if no other one with a payload
   *   has its owner on the scheduler
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    owner: string,
    private readonly handler: () => void,
    private readonly delay = 0,
    private readonly payload?: BottomHalfPayload,
  ) {
    this.tag = workTag('bottom-half', owner);
    if (payload !== undefined) {
      let registry = registries.get(scheduler);
      if (registry === undefined) registries.set(scheduler, (registry = new Map()));
      registry.set(owner, registry.has(owner) ? null : this);
    }
  }

  /** Whether it is scheduled and has not run yet. */
  get pending(): boolean {
    return this.action !== undefined;
  }

  /** Makes it pending (a no-op while it already is, or once disposed). */
  schedule(): void {
    if (this.action !== undefined || this.disposed) return;
    this.queue(this.delay);
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
    const registry = registries.get(this.scheduler);
    if (registry?.get(this.tag.owner) === this) registry.delete(this.tag.owner);
  }

  /** What it carries now (its payload's), for a fork that notes it pending. @internal */
  savePayload(): unknown {
    return this.payload?.savePayload();
  }

  /**
   * Puts it back as a fork noted it: pending at `pending.time` (ns, not before now) carrying `pending.value`, or
   * idle. Its place among the work of that instant is the caller's to put back (`VirtualClock.reorderPending`). @internal
   */
  restorePending(pending: { readonly time: number; readonly value: unknown } | undefined): void {
    this.cancel();
    if (pending === undefined || this.disposed || this.payload === undefined) return;
    this.payload.loadPayload(pending.value);
    this.queue(pending.time - this.scheduler.now());
  }

  private queue(delay: number): void {
    const self = this;
    this.action = scheduleTagged(
      this.scheduler,
      this.tag,
      function bottomHalf(this: SchedulerAction<undefined>) {
        self.action = undefined;
        self.handler();
      },
      delay,
    );
  }
}
