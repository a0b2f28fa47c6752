import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { ClockRangeError, ClockReentryError, RunawayError } from './errors';
import { EventHeap } from './EventHeap';
import { VirtualAction, type ActionQueue } from './VirtualAction';

/** A piece of work waiting on a {@link VirtualClock} (see {@link VirtualClock.pendingEvents}). */
export interface PendingEvent {
  /** Due time (ns). */
  readonly time: number;
  /** The work's label (see {@link VirtualClock.scheduleLabeled}); the work function's name otherwise. */
  readonly label: string;
}

/** A chooser's answer that moves a ready piece of work to the next instant that has work (see {@link VirtualClock.setChooser}). @internal */
export interface ChooserDefer {
  /** Index of the ready piece of work to defer. */
  readonly defer: number;
}

/**
 * Picks the next piece of work among those ready at an instant (see {@link VirtualClock.setChooser}).
 * @internal
 */
export type Chooser = (ready: readonly PendingEvent[], next: number | undefined) => number | ChooserDefer;

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

const checkBound = (value: number, what: string): number => {
  if (!Number.isInteger(value) || value < 1) throw new ClockRangeError(value, 'must be a positive integer', what);
  return value;
};

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
 * - Delays must be whole, non-negative numbers of ns; `Infinity` means never
 *   (the work is not queued). Times past `Number.MAX_SAFE_INTEGER`, NaN,
 *   fractions, negative delays and going backwards throw {@link ClockRangeError}.
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
export class VirtualClock implements SchedulerLike, ActionQueue {
  private current: number;
  private readonly heap = new EventHeap<VirtualAction<any>>();
  private nextSeq = 0;
  private draining = false;
  private readonly maxPerInstant: number;
  private readonly maxPerRun: number;
  private readonly onError: ((error: unknown, time: number) => void) | undefined;
  private scheduledTotal = 0;
  private executedTotal = 0;
  private instantTime = -1;
  private instantCount = 0;
  private afterEach: ((label: string) => void) | undefined;
  private beforeEach: ((label: string) => void) | undefined;
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
   * Sets a function called after each piece of work has run (and been
   * counted in {@link VirtualClock.executedAtInstant}), with its label. A
   * system uses it to slot a replayed or resumed input right after a given
   * event of an instant. One hook; `undefined` removes it. Not called when
   * the work threw.
   * @internal
   */
  setAfterEach(hook: ((label: string) => void) | undefined): void {
    this.afterEach = hook;
  }

  /**
   * Like {@link VirtualClock.setAfterEach}, before each piece of work runs
   * (after `now()` has moved to its time, before it is counted).
   * @internal
   */
  setBeforeEach(hook: ((label: string) => void) | undefined): void {
    this.beforeEach = hook;
  }

  /**
   * Re-orders queued work that shares an instant to follow `order` (a
   * {@link VirtualClock.pendingEvents} list taken earlier, e.g. in a
   * snapshot): work is matched to it by time and label, work it does not
   * list goes first at its instant, in its current order. A restore uses it
   * so that timers re-armed one device after another run in their original
   * same-instant order (G4).
   * @internal
   */
  resequence(order: readonly PendingEvent[]): void {
    const key = (time: number, label: string): string => `${time}\u0000${label}`;
    const slots = new Map<string, number[]>();
    order.forEach((e, i) => {
      const k = key(e.time, e.label);
      const list = slots.get(k);
      if (list === undefined) slots.set(k, [i]);
      else list.push(i);
    });
    const entries = this.heap.ordered();
    const rank = new Map<VirtualAction<any>, number>();
    for (const a of entries) rank.set(a, slots.get(key(a.time, a.label))?.shift() ?? -1);
    entries.sort((a, b) => a.time - b.time || rank.get(a)! - rank.get(b)! || a.seq - b.seq);
    this.heap.clear();
    for (const a of entries) {
      a.seq = this.nextSeq++;
      this.heap.push(a);
    }
  }

  /**
   * Lets `chooser` pick which piece of work runs next among those due at the
   * earliest instant (it gets them in FIFO order with their labels, and the
   * next later instant that has work, and returns an index; it is asked
   * before every step, also when there is only one). It may instead return
   * `{ defer: i }`: the i-th ready piece of work is moved to that next
   * instant (behind the work already queued there), which is how an explorer
   * lets a bottom half run later. Without a chooser the order is FIFO (G4);
   * an ordering explorer uses this to try the other orders. `undefined`
   * removes it.
   * @internal
   */
  setChooser(chooser: Chooser | undefined): void {
    this.chooser = chooser;
  }

  /** The queued work in the order it will run: (due time, then FIFO). O(n log n); for inspection. */
  pendingEvents(): readonly PendingEvent[] {
    return this.heap.ordered().map((a) => ({ time: a.time, label: a.label }));
  }

  /** Due time (ns) of the earliest queued work, or `undefined` when idle. */
  nextDeadline(): number | undefined {
    return this.heap.peek()?.time;
  }

  /**
   * Schedules `work` to run `delay` ns from now (rxjs `SchedulerLike`).
   * @param work - runs with `this` bound to the action, which it may re-arm
   * @param delay - whole ns, default 0; `Infinity` never runs
   * @param state - passed to `work`
   * @returns the action, which cancels the work when unsubscribed
   */
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay: number = 0, state?: T): Subscription {
    return new VirtualAction<T>(this, work).schedule(state, delay);
  }

  /**
   * Like {@link VirtualClock.schedule} but with a label that diagnostics
   * (runaway errors) use to name the work.
   */
  scheduleLabeled<T>(
    label: string,
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay: number = 0,
    state?: T,
  ): Subscription {
    return new VirtualAction<T>(this, work, label).schedule(state, delay);
  }

  /** @internal Queue side of {@link VirtualAction.schedule}. */
  enqueue(action: VirtualAction<any>, delay: number): void {
    if (delay === Infinity) {
      if (action.index >= 0) this.heap.remove(action);
      return;
    }
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
  dequeue(action: VirtualAction<any>): void {
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
    const next = this.heap.peek();
    if (next === undefined) return undefined;
    const time = next.time;
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

  /** Runs one piece of work taken off the heap: time, hooks, counts, the error channel. */
  private runAction(action: VirtualAction<any>): void {
    this.current = action.time;
    if (this.beforeEach !== undefined) this.beforeEach(action.label);
    this.executedTotal++;
    if (this.instantTime === action.time) this.instantCount++;
    else {
      this.instantTime = action.time;
      this.instantCount = 1;
    }
    if (this.onError === undefined) {
      action.execute();
    } else {
      try {
        action.execute();
      } catch (error) {
        this.onError(error, action.time);
        return;
      }
    }
    if (this.afterEach !== undefined) this.afterEach(action.label);
  }

  /**
   * The work the chooser picks among everything due at `time` (asked even when only one is:
   * it may track every step), or `undefined` when it deferred a piece of work instead.
   */
  private choose(time: number): VirtualAction<any> | undefined {
    const ordered = this.heap.ordered();
    let count = 0;
    while (count < ordered.length && ordered[count]!.time === time) count++;
    const ready = ordered.slice(0, count);
    const next = ordered[count]?.time;
    const result = this.chooser!(
      ready.map((a) => ({ time: a.time, label: a.label })),
      next,
    );
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
    let instant = -1;
    let atInstant = 0;
    let total = 0;
    try {
      for (;;) {
        const action = heap.peek();
        if (action === undefined || action.time > until) break;
        if (action.time === instant) {
          if (++atInstant > this.maxPerInstant) {
            throw new RunawayError(instant, action.label, this.maxPerInstant, 'instant');
          }
        } else {
          instant = action.time;
          atInstant = 1;
        }
        if (++total > maxEvents) throw new RunawayError(action.time, action.label, maxEvents, 'run');
        if (this.chooser !== undefined) {
          const chosen = this.choose(action.time);
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
        heap.pop();
        this.runAction(action);
      }
    } finally {
      this.draining = false;
    }
  }
}
