import { Observable, type Subscriber } from 'rxjs';
import type { IrqSignal, WatchOptions } from '../shared/IrqSignal';

// The interface lives in src/shared, so that the bus's Device can name a device's lines without irq.
export type { IrqSignal, WatchOptions };

/** The empty list every line starts with (lists are replaced, never mutated, so one can be shared). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * An interrupt line driven by one device: a level, not a stream of events.
 * Setting the level it already has does nothing, so a device may call
 * {@link IrqLine.set} with its computed level after every state change
 * (STYLE.md 18: the level is computed in exactly one function).
 *
 * ## Example
 * ```ts
 * const irq = new IrqLine('timer0');
 * irq.level$.subscribe(console.log); // false
 * irq.set(true);                     // true
 * irq.set(true);                     // (nothing: no change)
 * irq.lower();                       // false
 * ```
 */
export class IrqLine implements IrqSignal {
  private current: boolean;
  /** The level last handed to subscribers (what a new subscriber gets first). */
  private delivered: boolean;
  /**
   * Subscribers, replaced (never mutated) on subscribe and unsubscribe, so an
   * emission iterates the list it started with. A line is on the expiry path
   * of every device: a plain list costs a fraction of a Subject and operator chain.
   */
  private observers: readonly Subscriber<boolean>[] = NONE;
  /** Direct listeners (see {@link IrqLine.watch}), replaced like `observers`. */
  private listeners: readonly ((level: boolean) => void)[] = NONE;
  /**
   * The listener when `listeners` holds exactly one (the usual case: a device's line followed
   * by one consumer), so an emission calls it without reading the list: one object fewer per
   * change on an expiry path that runs for thousands of lines in turn.
   */
  private sole: ((level: boolean) => void) | undefined = undefined;
  /** Direct listeners added with `first`, called before `observers` and `listeners`. */
  private recorders: readonly ((level: boolean) => void)[] = NONE;
  /** Levels set while an emission is under way, emitted after it (see `set`); created on first use. */
  private queue: boolean[] | undefined = undefined;
  private emitting = false;
  /** `level$`, built on first use: a line nobody subscribes to stays small (one per device channel). */
  private levelStream: Observable<boolean> | undefined = undefined;

  /**
   * Creates a line at level `initial`; `level$` replays the current level to each subscriber.
   *
   * @param name - the line's name
   * @param initial - its level at creation (default low)
   */
  constructor(
    readonly name: string,
    initial = false,
  ) {
    this.current = initial;
    this.delivered = initial;
  }

  /** The level as a signal: the level last emitted on subscription, then each change (see {@link IrqSignal.level$}). */
  get level$(): Observable<boolean> {
    return (this.levelStream ??= new Observable<boolean>((subscriber) => {
      subscriber.next(this.delivered);
      if (subscriber.closed) return undefined;
      this.observers = [...this.observers, subscriber];
      return () => {
        this.observers = this.observers.filter((o) => o !== subscriber);
      };
    }));
  }

  get level(): boolean {
    return this.current;
  }

  /**
   * Drives the line to `level`; no effect if it is already there. A change
   * made by a subscriber while a change is being emitted takes effect at once
   * (`level`) but is emitted after the current emission has reached every
   * subscriber, so all subscribers see the same levels in the same order.
   */
  set(level: boolean): void {
    if (level === this.current) return;
    this.current = level;
    this.emit(level);
  }

  /** Drives the line high. */
  raise(): void {
    this.set(true);
  }

  /** Drives the line low. */
  lower(): void {
    this.set(false);
  }

  /**
   * Calls `listener` with each change of level, in the same order and at the
   * same moments as `level$` delivers them, but without rxjs's subscriber
   * machinery: for consumers on the expiry path (tracing, interrupt
   * controllers), where a `level$` subscriber costs about twice the timer
   * itself. It does not get the current level. Each change reaches the
   * listeners added with `first` (recorders), then the `level$`
   * subscribers, then the other listeners, each group in the order added. A
   * listener that throws does
   * not keep the others (or a level queued meanwhile) from the change: the
   * first error reaches whoever changed the line once every listener has run
   * (on an expiry path, the clock call that ran it, as PTimerCallbackError).
   *
   * Ordering: preserves G1: called synchronously inside the change.
   *
   * ## Example
   * ```ts
   * const stop = irq.watch((level) => trace.record({ time: clock.now(), source: irq.name, kind: 'irq', level }));
   * irq.raise(); // recorded
   * stop();
   * ```
   *
   * @param listener - called with each new level
   * @param options - `first` for a recorder (see {@link WatchOptions.first})
   * @returns a function that removes the listener (idempotent)
   */
  watch(listener: (level: boolean) => void, options?: WatchOptions): () => void {
    const first = options?.first === true;
    if (first) this.recorders = [...this.recorders, listener];
    else if (this.emitting || this.listeners === NONE) this.setListeners([...this.listeners, listener]);
    else {
      // Outside a delivery nobody walks the list: grow it in place (a guest's wait comes and goes every tick).
      (this.listeners as ((level: boolean) => void)[]).push(listener);
      this.setListeners(this.listeners);
    }
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      if (first) {
        this.recorders = without(this.recorders, listener);
        return;
      }
      // This registration only (the same function may be watching twice); a delivery under way keeps the list it walks.
      const list = this.listeners as ((level: boolean) => void)[];
      if (this.emitting) this.setListeners(without(list, listener));
      else {
        list.splice(list.indexOf(listener), 1);
        this.setListeners(list.length === 0 ? NONE : list);
      }
    };
  }

  /**
   * A pulse: high, then low again, within one instant (for edge-triggered
   * consumers). On a line already held high it is absorbed: a level line
   * cannot show it, and lowering the line would lie about its holder.
   */
  pulse(): void {
    if (this.current) return;
    this.emit(true);
    this.emit(false);
  }

  private setListeners(list: readonly ((level: boolean) => void)[]): void {
    this.listeners = list;
    this.sole = list.length === 1 ? list[0] : undefined;
  }

  private emit(level: boolean): void {
    if (this.emitting) {
      (this.queue ??= []).push(level);
      return;
    }
    this.emitting = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let next: boolean | undefined = level; next !== undefined; next = this.queue?.shift()) {
        this.delivered = next;
        // Most lines have no recorder: skip the call (a line is on every expiry path).
        if (this.recorders.length > 0) failure = callEach(this.recorders, next, failure);
        const list = this.observers;
        for (let i = 0; i < list.length; i++) list[i]!.next(next);
        const sole = this.sole;
        if (sole === undefined) failure = callEach(this.listeners, next, failure);
        else {
          try {
            sole(next);
          } catch (error) {
            failure ??= { error };
          }
        }
      }
    } finally {
      this.emitting = false;
      if (this.queue !== undefined && this.queue.length > 0) this.queue.length = 0; // only after an observer threw mid-emission
    }
    if (failure !== undefined) throw failure.error;
  }
}

/** Calls every listener with `level`, even when one throws; returns the first failure (the one given, if any). */
/** `list` without one registration of `listener` (its first). */
const without = <T>(list: readonly T[], listener: T): readonly T[] => {
  const i = list.indexOf(listener);
  return [...list.slice(0, i), ...list.slice(i + 1)];
};

const callEach = (
  listeners: readonly ((level: boolean) => void)[],
  level: boolean,
  failure: { error: unknown } | undefined,
): { error: unknown } | undefined => {
  let first = failure;
  for (let i = 0; i < listeners.length; i++) {
    try {
      listeners[i]!(level);
    } catch (error) {
      first ??= { error };
    }
  }
  return first;
};
