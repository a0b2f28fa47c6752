import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { ClockObserverError, ClockRangeError, ClockReentryError, RunawayError } from './errors';
import { EventHeap } from './EventHeap';
import { VirtualAction, type QueuedWork } from './VirtualAction';
import { labelOf, workTag, type WorkTag } from './WorkTag';
import { compareWork, orderLike } from './orderLike';

/** A piece of work waiting on a {@link VirtualClock} (see {@link VirtualClock.pendingEvents}). */
export interface PendingEvent {
  /** Due time (ns). */
  readonly time: number;
  /** What the work is and whose (see {@link WorkTag}). */
  readonly tag: WorkTag;
  /** The work's diagnostic label, derived from its tag (see {@link labelOf}). */
  readonly label: string;
}

/** A chooser's answer that moves a ready piece of work to the next instant that has work (see {@link ClockObserver.choose}). */
export interface ChooserDefer {
  /** Index of the ready piece of work to defer. */
  readonly defer: number;
}

/**
 * Picks the next piece of work among those ready at an instant (see {@link ClockObserver.choose}).
 * @param ready - the work due at the earliest instant, in FIFO order
 * @param next - the next later instant that has work, if any
 * @returns the index of the work to run, or `{ defer: i }`
 */
export type Chooser = (ready: readonly PendingEvent[], next: number | undefined) => number | ChooserDefer;

/**
 * A trigger's passage through a device's delivery, as the device kit reports
 * it on the clock (see {@link ClockObserver.trigger}): the timer `emitted` it,
 * or the device's handler for it has run (`delivered`). Under synchronous
 * delivery both happen in one step; under the legacy bottom half the delivery
 * is a later step.
 */
export interface TriggerNote {
  /** Emitted by the timer, or delivered to (handled by) the device. */
  readonly kind: 'emitted' | 'delivered';
  /** The timer's name. */
  readonly timer: string;
  /** Virtual time (ns). */
  readonly time: number;
}

/**
 * A tool watching a {@link VirtualClock} (see {@link VirtualClock.observe}).
 * Every member is optional; several observers may watch one clock, and are
 * called in the order they were added. At most one may `choose`.
 */
export interface ClockObserver {
  /** Called before each piece of work runs, once `now()` is its time (before it is counted in `executedAtInstant`). */
  readonly before?: (tag: WorkTag, time: number) => void;
  /** Called after each piece of work has run and been counted; not when it threw. */
  readonly after?: (tag: WorkTag, time: number) => void;
  /**
   * Picks which piece of work runs next among those due at the earliest
   * instant (given in FIFO order, with the next later instant that has
   * work); asked before every step, also when only one is ready. Returning
   * `{ defer: i }` moves the i-th ready piece to that next instant, behind
   * the work already queued there (an explorer lets a bottom half run later
   * this way). Without a chooser the order is FIFO (G4).
   */
  readonly choose?: Chooser;
  /** Told of every trigger note posted on the clock (see {@link VirtualClock.noteTrigger}). */
  readonly trigger?: (note: TriggerNote) => void;
}

/** Options for {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Initial virtual time in ns (default 0). */
  readonly start?: number;
  /**
   * Runaway guard: the most work that may run at one virtual instant within
   * one advance before a {@link RunawayError} ends it (default 1 000 000).
   */
  readonly maxEventsPerInstant?: number;
  /** Bound on the work `run()`/`flush()` may do before giving up with a {@link RunawayError} (default 10 000 000). */
  readonly maxEventsPerRun?: number;
  /**
   * Where errors thrown by scheduled work go. Without it the error propagates
   * out of `advanceTo`/`advanceBy`/`step`/`run` at the failing instant, with
   * the rest of the queue intact, so the caller may catch it and advance
   * again. With it the error is handed over and the run goes on.
   */
  readonly onError?: (error: unknown, time: number) => void;
}

const checkTime = (value: unknown, what: string): number => {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ClockRangeError(value, 'must be a number of nanoseconds', what);
  }
  if (!Number.isInteger(value)) throw new ClockRangeError(value, 'must be a whole number of nanoseconds', what);
  if (value < 0) throw new ClockRangeError(value, 'must not be negative', what);
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new ClockRangeError(value, `must not exceed Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}) ns`, what);
  }
  return value;
};

const pendingOf = (a: QueuedWork): PendingEvent => ({ time: a.time, tag: a.tag, label: labelOf(a.tag) });

/** A listing of queued work, as `pendingEvents()` gives it: each entry a time and a tag of kind and owner. */
const checkOrder = (order: unknown, what: string): void => {
  if (!Array.isArray(order)) throw new ClockRangeError(order, 'must be an array of pending work, as pendingEvents() lists it', what);
  for (let i = 0; i < order.length; i++) {
    const e = order[i] as { time?: unknown; tag?: { kind?: unknown; owner?: unknown } } | null;
    if (typeof e !== 'object' || e === null || typeof e.time !== 'number' || typeof e.tag !== 'object' || e.tag === null || typeof e.tag.kind !== 'string' || typeof e.tag.owner !== 'string') {
      throw new ClockRangeError(e, 'must be pending work: { time, tag: { kind, owner } }, as pendingEvents() lists it', `${what}[${i}]`);
    }
  }
};

const checkBound = (value: number, what: string): number => {
  if (!Number.isInteger(value) || value < 1) throw new ClockRangeError(value, 'must be a positive integer', what);
  return value;
};

/** A clock's time and counters (see `VirtualClock.counters`). @internal */
export interface ClockCounters {
  readonly time: number;
  readonly scheduled: number;
  readonly executed: number;
  readonly instantTime: number;
  readonly instantCount: number;
}

/**
 * A virtual-time scheduler: one unit is one nanosecond, time moves only when
 * the caller advances it, and every rxjs operator that takes a scheduler
 * (`delay`, `interval`, `timer`, `observeOn`, …) runs on it unchanged.
 *
 * Ordering rules (each has a test in test/clock/VirtualClock.spec.ts):
 * - Work runs in order of due time; work due at the same instant runs in the
 *   order it was scheduled (a sequence number taken at each schedule or
 *   re-arm, not the heap's placement). This is guarantee G4.
 * - `advanceTo(t)` sets `now()` to each piece of work's own due time before
 *   running it, runs work due exactly at `t`, then leaves `now()` at `t`.
 * - Work scheduled with delay 0 while the clock runs an instant runs in that
 *   same instant, after the work already queued for it.
 * - Delays must be whole numbers of ns; `Infinity` means never (the work is
 *   not queued), and a negative delay means now (rxjs computes one in some
 *   operators, and its `asyncScheduler` runs such work at once). Times past
 *   `Number.MAX_SAFE_INTEGER`, NaN, fractions, `-Infinity` and going
 *   backwards throw {@link ClockRangeError}.
 * - More than `maxEventsPerInstant` pieces of work at one instant (a loop that
 *   never lets time advance) throws {@link RunawayError}; it never hangs.
 * - Re-arming an action moves it in the heap in place: O(log n), no allocation.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * interval(1_000, clock).pipe(take(3)).subscribe(i => log(clock.now(), i));
 * clock.advanceBy(5_000); // logs 1000 0, 2000 1, 3000 2
 * ```
 *
 * @see scaleScheduler to run ns-based code on rxjs's TestScheduler instead.
 */
// Not declared `implements ActionQueue`: that seam is internal (stripped from the published types); the actions reach it structurally.
export class VirtualClock implements SchedulerLike {
  private current: number;
  private readonly heap = new EventHeap<QueuedWork>();
  private nextSeq = 0;
  private draining = false;
  private readonly maxPerInstant: number;
  private readonly maxPerRun: number;
  private readonly onError: ((error: unknown, time: number) => void) | undefined;
  private scheduledTotal = 0;
  private executedTotal = 0;
  private instantTime = -1;
  private instantCount = 0;
  private observers: readonly ClockObserver[] = [];
  private befores: readonly NonNullable<ClockObserver['before']>[] = [];
  private afters: readonly NonNullable<ClockObserver['after']>[] = [];
  private triggerWatchers: readonly NonNullable<ClockObserver['trigger']>[] = [];
  private chooser: Chooser | undefined;

  /**
   * Creates an idle clock at `options.start` (default 0 ns).
   *
   * @param options - start time, runaway bounds and error channel
   * @throws ClockRangeError for a start time that is not a whole, non-negative, safe number of ns, or a bound that is not a positive integer
   */
  constructor(options: VirtualClockOptions = {}) {
    this.current = checkTime(options.start ?? 0, 'start time');
    this.maxPerInstant = checkBound(options.maxEventsPerInstant ?? 1_000_000, 'maxEventsPerInstant');
    this.maxPerRun = checkBound(options.maxEventsPerRun ?? 10_000_000, 'maxEventsPerRun');
    this.onError = options.onError;
  }

  /** Current virtual time in ns. */
  now(): number {
    return this.current;
  }

  /** Number of pieces of work queued. */
  get pending(): number {
    return this.heap.size;
  }

  /** How many times work has been queued or re-armed since construction. */
  get scheduledCount(): number {
    return this.scheduledTotal;
  }

  /** How many pieces of work have run since construction. */
  get executedCount(): number {
    return this.executedTotal;
  }

  /**
   * How many pieces of work have run at the instant `now()`, counting the one
   * running (0 when none has run at `now()` yet). It spans advances: work
   * queued at `now()` by top-level code after an advance adds to the same
   * count. Systems use it to place an input at the same position within an
   * instant when they replay or resume a run.
   */
  get executedAtInstant(): number {
    return this.instantTime === this.current ? this.instantCount : 0;
  }

  /**
   * The clock's time and counters, read and put back by `clockCheckpoint.ts`
   * (the queue is not part of them). @internal
   */
  get counters(): ClockCounters {
    return { time: this.current, scheduled: this.scheduledTotal, executed: this.executedTotal, instantTime: this.instantTime, instantCount: this.instantCount };
  }

  /** @internal */
  set counters(c: ClockCounters) {
    if (this.draining) throw new ClockReentryError('counters');
    this.current = c.time;
    this.scheduledTotal = c.scheduled;
    this.executedTotal = c.executed;
    this.instantTime = c.instantTime;
    this.instantCount = c.instantCount;
  }

  /**
   * The one seam through which tools watch and steer the clock: an
   * `observer` is told before and after each piece of work runs (with its
   * {@link WorkTag} and time), may choose the order of an instant's ready
   * work, and hears the trigger notes devices post (see
   * {@link ClockObserver}). A system's replay and resume, and the ordering
   * explorer, are built on it and on nothing else of the clock.
   *
   * Several observers may watch at once; they are called in the order they
   * were added. Only one may choose at a time.
   *
   * ## Example
   * ```ts
   * const seen: string[] = [];
   * const stop = clock.observe({ after: (tag, time) => seen.push(`${tag.kind}:${tag.owner}@${time}`) });
   * clock.advanceTo(10_000);
   * stop();
   * ```
   * @param observer - the hooks to call
   * @returns a function that removes the observer (idempotent)
   * @throws ClockObserverError for an observer that is not an object of functions, or a second chooser
   */
  observe(observer: ClockObserver): () => void {
    if (typeof observer !== 'object' || observer === null) {
      throw new ClockObserverError(observer, 'must be an object with before, after, choose or trigger functions', 'observe(observer)');
    }
    for (const key of ['before', 'after', 'choose', 'trigger'] as const) {
      const hook = observer[key];
      if (hook !== undefined && typeof hook !== 'function') {
        throw new ClockObserverError(hook, 'must be a function when present', `observe(observer.${key})`);
      }
    }
    if (observer.choose !== undefined && this.chooser !== undefined) {
      throw new ClockObserverError(observer.choose, 'another observer already chooses the order; remove it first', 'observe(observer.choose)');
    }
    this.observers = [...this.observers, observer];
    this.rebuildHooks();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.observers = this.observers.filter((o) => o !== observer);
      this.rebuildHooks();
    };
  }

  /**
   * Posts a trigger note to the observers that listen for them (see
   * {@link ClockObserver.trigger}). The device kit calls it when a timer
   * emits a trigger and when the device has handled it; nothing else does.
   * @param kind - `emitted` or `delivered`
   * @param timer - the timer's name
   */
  noteTrigger(kind: TriggerNote['kind'], timer: string): void {
    const list = this.triggerWatchers;
    if (list.length === 0) return;
    const note: TriggerNote = { kind, timer, time: this.current };
    for (let i = 0; i < list.length; i++) list[i]!(note);
  }

  /**
   * Re-orders queued work that shares an instant to follow `order` (a
   * {@link VirtualClock.pendingEvents} list taken earlier, e.g. in a
   * snapshot): work is matched to it by time and tag, work it does not list
   * goes first at its instant, in its current order. A restore uses it so
   * that timers re-armed one device after another run in their original
   * same-instant order (G4).
   * @param order - the wanted order, as `pendingEvents()` gave it
   * @throws ClockRangeError for an order that is not such a list (an entry without a numeric time or a tag)
   */
  reorderPending(order: readonly PendingEvent[]): void {
    checkOrder(order, 'reorderPending(order)');
    this.requeue(orderLike(this.heap.ordered(), order));
  }

  /**
   * Puts the queue in the order of `order` (as `pendingEvents()` gave it)
   * when it holds exactly that work, by time and tag, and changes nothing
   * otherwise: what a rewind in place does once the owners of the work have
   * re-created theirs. It lists the queue once and makes no
   * {@link PendingEvent} per piece of work (an explorer rewinds at nearly
   * every schedule).
   *
   * Ordering: as {@link VirtualClock.reorderPending}.
   * @param order - the wanted order, as `pendingEvents()` gave it
   * @returns whether the queue held that work (and now runs it in that order)
   * @throws ClockRangeError for an order that is not such a list (an entry without a numeric time or a tag)
   */
  restoreOrder(order: readonly PendingEvent[]): boolean {
    checkOrder(order, 'restoreOrder(order)');
    const queued = this.heap.ordered();
    const same = compareWork(queued, order);
    if (same === 'different') return false;
    if (same === 'reordered') this.requeue(orderLike(queued, order));
    return true;
  }

  /** Queues `entries` (in time order) again, in this order: fresh sequence numbers keep it inside each instant. */
  private requeue(entries: readonly QueuedWork[]): void {
    for (const a of entries) a.seq = this.nextSeq++;
    this.heap.replaceSorted(entries);
  }

  /** The queued work in the order it will run: (due time, then FIFO). O(n log n); for inspection. */
  pendingEvents(): readonly PendingEvent[] {
    return this.heap.ordered().map(pendingOf);
  }

  /** Due time (ns) of the earliest queued work, or `undefined` when idle. */
  nextDeadline(): number | undefined {
    // The heap's own key, not the entry's field: a system's run loop asks before every step.
    const time = this.heap.firstTime();
    return time === Infinity ? undefined : time;
  }

  /**
   * Schedules `work` to run `delay` ns from now (rxjs `SchedulerLike`).
   * @param work - runs with `this` bound to the action, which it may re-arm
   * @param delay - whole ns, default 0; `Infinity` never runs
   * @param state - passed to `work`
   * @returns the action, which cancels the work when unsubscribed
   */
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay: number = 0, state?: T): Subscription {
    return new VirtualAction<T>(this, work, workTag('work', work.name)).schedule(state, delay);
  }

  /**
   * Like {@link VirtualClock.schedule}, with a {@link WorkTag} saying what
   * the work is, which observers and choosers see and diagnostics name.
   * @param tag - what the work is and whose
   * @param work - runs with `this` bound to the action, which it may re-arm
   * @param delay - whole ns, default 0; `Infinity` never runs
   * @param state - passed to `work`
   * @returns the action, which cancels the work when unsubscribed
   */
  scheduleTagged<T>(tag: WorkTag, work: (this: SchedulerAction<T>, state?: T) => void, delay: number = 0, state?: T): Subscription {
    return new VirtualAction<T>(this, work, tag).schedule(state, delay);
  }

  /**
   * Like {@link VirtualClock.schedule} with a plain label (a `work` tag
   * owned by `label`), which diagnostics use to name the work.
   * @param label - the name
   * @param work - runs with `this` bound to the action
   * @param delay - whole ns, default 0
   * @param state - passed to `work`
   * @returns the action
   */
  scheduleLabeled<T>(
    label: string,
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay: number = 0,
    state?: T,
  ): Subscription {
    return this.scheduleTagged(workTag('work', label), work, delay, state);
  }

  /** @internal Queue side of {@link VirtualAction.schedule}. */
  enqueue(action: QueuedWork, delay: number): void {
    // The common case in three tests (a whole, non-negative delay whose due time is in range: every
    // re-arm of a timer); anything else (Infinity, NaN, negative, fractional, too far) takes the checks below.
    const due = this.current + delay;
    if (delay >= 0 && due <= Number.MAX_SAFE_INTEGER && Number.isInteger(delay)) {
      action.time = due;
      action.seq = this.nextSeq++;
      this.scheduledTotal++;
      if (action.index >= 0) this.heap.update(action);
      else this.heap.push(action);
      return;
    }
    if (delay === Infinity) {
      if (action.index >= 0) this.heap.remove(action);
      return;
    }
    // rxjs computes negative delays itself (e.g. `timeout({ first: pastDate })`) and means
    // "now", as asyncScheduler runs them; NaN, fractions and -Infinity are still bugs.
    if (delay < 0 && Number.isInteger(delay)) delay = 0;
    checkTime(delay, 'delay');
    const time = this.current + delay;
    if (time > Number.MAX_SAFE_INTEGER) {
      throw new ClockRangeError(delay, `now (${this.current}) + delay passes Number.MAX_SAFE_INTEGER ns`, 'delay');
    }
    action.time = time;
    action.seq = this.nextSeq++;
    this.scheduledTotal++;
    if (action.index >= 0) this.heap.update(action);
    else this.heap.push(action);
  }

  /** @internal */
  dequeue(action: QueuedWork): void {
    this.heap.remove(action);
  }

  /**
   * Runs all work due up to and including `time`, then sets `now()` to `time`.
   * @param time - target virtual time in ns, not before `now()`
   */
  advanceTo(time: number): void {
    checkTime(time, 'target time');
    if (time < this.current) {
      throw new ClockRangeError(time, `virtual time cannot go backwards (now is ${this.current} ns)`, 'target time');
    }
    this.drain('advanceTo', time, Infinity);
    this.current = time;
  }

  /**
   * Advances by `ns` nanoseconds (see {@link VirtualClock.advanceTo}).
   * @param ns - whole, non-negative ns
   */
  advanceBy(ns: number): void {
    checkTime(ns, 'advance');
    const target = this.current + ns;
    if (target > Number.MAX_SAFE_INTEGER) {
      throw new ClockRangeError(ns, `now (${this.current}) + advance passes Number.MAX_SAFE_INTEGER ns`, 'advance');
    }
    this.advanceTo(target);
  }

  /**
   * Runs every piece of work at the next instant that has any (including work
   * that schedules more at that same instant) and leaves `now()` there.
   * @returns the instant that ran, or `undefined` if nothing was queued
   */
  step(): number | undefined {
    const time = this.heap.firstTime();
    // Nothing queued (a queued entry's time is always finite: an Infinity delay never queues it).
    if (time === Infinity) return undefined;
    this.drain('step', time, Infinity);
    this.current = time;
    return time;
  }

  /**
   * Runs until nothing is queued. Periodic work never ends, so this is bounded
   * by `maxEventsPerRun` and throws {@link RunawayError} past it.
   */
  run(): void {
    this.drain('run', Number.MAX_SAFE_INTEGER, this.maxPerRun);
  }

  /** Alias of {@link VirtualClock.run}, by rxjs's name. */
  flush(): void {
    this.run();
  }

  /** Cancels all queued work without running it; time does not move. */
  cancelAll(): void {
    for (const action of this.heap.clear()) action.unsubscribe();
  }

  private rebuildHooks(): void {
    const list = this.observers;
    this.befores = list.flatMap((o) => (o.before === undefined ? [] : [o.before]));
    this.afters = list.flatMap((o) => (o.after === undefined ? [] : [o.after]));
    this.triggerWatchers = list.flatMap((o) => (o.trigger === undefined ? [] : [o.trigger]));
    this.chooser = list.find((o) => o.choose !== undefined)?.choose;
  }

  /** Runs one piece of work taken off the heap: time, hooks, counts, the error channel. */
  private runAction(action: QueuedWork): void {
    // Read once: work that re-arms its own action moves action.time while it runs.
    const time = action.time;
    this.current = time;
    const befores = this.befores;
    // Read only for observers: a timer's record makes its tag on first use (a timer nobody observes keeps none).
    let tag = befores.length > 0 ? action.tag : undefined;
    for (let i = 0; i < befores.length; i++) befores[i]!(tag!, time);
    this.executedTotal++;
    if (this.instantTime === time) this.instantCount++;
    else {
      this.instantTime = time;
      this.instantCount = 1;
    }
    if (this.onError === undefined) {
      action.execute();
    } else {
      try {
        action.execute();
      } catch (error) {
        this.onError(error, time);
        return;
      }
    }
    const afters = this.afters;
    if (afters.length === 0) return;
    tag ??= action.tag;
    for (let i = 0; i < afters.length; i++) afters[i]!(tag, time);
  }

  /**
   * The work the chooser picks among everything due at `time` (asked even when only one is:
   * it may track every step), or `undefined` when it deferred a piece of work instead.
   */
  private choose(time: number): QueuedWork | undefined {
    // Only the ready work and the next instant: sorting the whole queue at every step was most of a chooser's cost.
    const { ready, next } = this.heap.front(time);
    const result = this.chooser!(ready.map(pendingOf), next);
    if (typeof result === 'number') {
      const chosen = ready[result];
      if (chosen === undefined) throw new ClockRangeError(result, `must index one of the ${ready.length} ready pieces of work`, 'chooser result');
      return chosen;
    }
    const deferred = ready[result.defer];
    if (deferred === undefined) throw new ClockRangeError(result.defer, `must index one of the ${ready.length} ready pieces of work`, 'chooser result (defer)');
    if (next === undefined) throw new ClockRangeError(result.defer, 'can only defer work when later work is queued (there is none)', 'chooser result (defer)');
    deferred.time = next;
    deferred.seq = this.nextSeq++;
    this.heap.update(deferred);
    return undefined;
  }

  private drain(method: string, until: number, maxEvents: number): void {
    if (this.draining) throw new ClockReentryError(method);
    this.draining = true;
    const heap = this.heap;
    const maxPerInstant = this.maxPerInstant;
    let instant = -1;
    let atInstant = 0;
    let total = 0;
    try {
      for (;;) {
        // The heap's own key: no entry object is read until one runs (see EventHeap.firstTime).
        const time = heap.firstTime();
        // `until` is finite, so an empty heap (Infinity) ends the loop here too.
        if (time > until) break;
        if (time === instant) {
          if (++atInstant > maxPerInstant) {
            throw new RunawayError(instant, heap.peek()!.label, maxPerInstant, 'instant');
          }
        } else {
          instant = time;
          atInstant = 1;
        }
        if (++total > maxEvents) throw new RunawayError(time, heap.peek()!.label, maxEvents, 'run');
        if (this.chooser !== undefined) {
          const action = heap.peek()!;
          const chosen = this.choose(time);
          if (chosen === undefined) {
            // Deferred, nothing ran: not counted.
            atInstant--;
            total--;
            continue;
          }
          if (chosen !== action) {
            heap.remove(chosen);
            this.runAction(chosen);
            continue;
          }
        }
        // Popped before it runs, not left at the root for a re-arm to replace ("replace top"): the pop's sift
        // does not depend on the work, so its cache misses overlap the entry's. Replace top, measured in one
        // process at N = 10 000 self re-arming actions, took 1.11x the time of this (bench/RESULTS.md's workload).
        // Its slot is held while it runs: work re-arming itself is queued again without a free-list round trip.
        this.runAction(heap.popHeld()!);
        heap.releaseHeld();
      }
    } finally {
      heap.releaseHeld();
      this.draining = false;
    }
  }
}
