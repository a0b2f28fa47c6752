import { Subscription, type SchedulerAction } from 'rxjs';
import type { HeapEntry } from './EventHeap';
import { labelOf, type WorkTag } from './WorkTag';

/**
 * What a {@link VirtualClock} queues: a {@link VirtualAction}, or an object
 * of the library's own that is its own queue entry (a timer's record, so an
 * expiry reaches the timer without an action object in between). @internal
 */
export interface QueuedWork extends HeapEntry {
  /** What the work is and whose. */
  readonly tag: WorkTag;
  /** The work's diagnostic label. */
  readonly label: string;
  /** Runs the work once; the clock calls this after taking it off the queue. */
  execute(): void;
  /** Called by `cancelAll` after taking it off the queue. */
  unsubscribe(): void;
}

/** The part of a clock an action talks to (kept narrow so the action stays a plain record). */
export interface ActionQueue {
  enqueue(action: QueuedWork, delay: number): void;
  dequeue(action: QueuedWork): void;
}

/**
 * One unit of scheduled work on a {@link VirtualClock}. It is also the
 * `Subscription` that `schedule` returns and the `this` of the work, so
 * `this.schedule(state, delay)` inside the work re-arms the same object
 * (no allocation per period, which is how `interval` and the timers re-arm).
 */
export class VirtualAction<T> extends Subscription implements SchedulerAction<T>, HeapEntry {
  time = 0;
  seq = 0;
  index = -1;
  state: T | undefined = undefined;

  /**
   * @param queue - the clock that owns the action
   * @param work - the function to run; `this` is the action
   * @param tag - what the work is, for observers, choosers and diagnostics
   */
  constructor(
    private readonly queue: ActionQueue,
    readonly work: (this: SchedulerAction<T>, state?: T) => void,
    readonly tag: WorkTag,
  ) {
    super();
  }

  /** The work's diagnostic label (see {@link labelOf}). */
  get label(): string {
    return labelOf(this.tag);
  }

  /** Arms (or re-arms, replacing the pending due time) this action `delay` ns from now. */
  schedule(state?: T, delay: number = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.queue.enqueue(this, delay);
    return this;
  }

  /** Takes the action off the queue but keeps it open, so a later `schedule` re-arms it without allocating. */
  park(): void {
    if (this.index >= 0) this.queue.dequeue(this);
  }

  /** Runs the work once; the clock calls this after taking the action off the heap. */
  execute(): void {
    this.work.call(this, this.state);
  }

  override unsubscribe(): void {
    if (this.closed) return;
    if (this.index >= 0) this.queue.dequeue(this);
    super.unsubscribe();
  }
}
