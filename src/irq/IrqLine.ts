import { Observable, type Subscriber } from 'rxjs';
import type { IrqSignal, WatchOptions } from '../shared/IrqSignal';

// The interface lives in src/shared, so that the bus's Device can name a device's lines without irq.
export type { IrqSignal, WatchOptions };

/** The empty list every line starts with (lists are replaced, never mutated, so one can be shared). */
const NONE: readonly never[] = Object.freeze([]);

/** Bits of `IrqLine.bits`. */
const CURRENT = 1;
const DELIVERED = 2;
const EMITTING = 4;

/** The parts of a line most lines never need, made on first use. */
interface LineExtra {
  /** `level$` subscribers, replaced (never mutated) on subscribe and unsubscribe, so an emission iterates the list it started with. */
  observers: readonly Subscriber<boolean>[];
  /** Direct listeners added with `first`, called before `observers` and `listeners`. */
  recorders: readonly ((level: boolean) => void)[];
  /** Levels set while an emission is under way, emitted after it (see `set`). */
  queue: boolean[] | undefined;
  /** `level$`, built on first use. */
  levelStream: Observable<boolean> | undefined;
}

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
  // A device has a line per channel and an expiry drives one: the fields an emission reads come first, the
  // rest (subscribers, recorders, the queue of a re-entrant change, the stream) wait on a side record.

  /** The level (bit 0), the level last handed to subscribers (bit 1), an emission under way (bit 2). */
  private bits: number;
  /**
   * The listener when there is exactly one (the usual case: a device's line followed by one
   * consumer), held without a list (`listeners` is then empty), so a line costs no array and
   * an emission calls it without reading one: an expiry path runs for thousands of lines in turn.
   */
  private sole: ((level: boolean) => void) | undefined = undefined;
  /** Direct listeners (see {@link IrqLine.watch}) when there are two or more, replaced (never mutated) during an emission. */
  private listeners: readonly ((level: boolean) => void)[] = NONE;
  /** What most lines never need, made on first use (see {@link LineExtra}). */
  private extra: LineExtra | undefined = undefined;

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
    this.bits = initial ? CURRENT | DELIVERED : 0;
  }

  /** The level as a signal: the level last emitted on subscription, then each change (see {@link IrqSignal.level$}). */
  get level$(): Observable<boolean> {
    const x = this.more();
    return (x.levelStream ??= new Observable<boolean>((subscriber) => {
      subscriber.next((this.bits & DELIVERED) !== 0);
      if (subscriber.closed) return undefined;
      x.observers = [...x.observers, subscriber];
      return () => {
        x.observers = x.observers.filter((o) => o !== subscriber);
      };
    }));
  }

  get level(): boolean {
    return (this.bits & CURRENT) !== 0;
  }

  /**
   * Drives the line to `level`; no effect if it is already there. A change
   * made by a subscriber while a change is being emitted takes effect at once
   * (`level`) but is emitted after the current emission has reached every
   * subscriber, so all subscribers see the same levels in the same order.
   */
  set(level: boolean): void {
    const bits = this.bits;
    if (level === ((bits & CURRENT) !== 0)) return;
    const sole = this.sole;
    if (sole !== undefined && this.extra === undefined && (bits & EMITTING) === 0) {
      // The usual line: one listener, no recorder, subscriber or emission under way. The change goes
      // straight to it (an expiry raises and lowers a line once each); a level it sets meanwhile is
      // queued, and delivered by the general loop as before.
      this.bits = (level ? bits | CURRENT | DELIVERED : bits & ~(CURRENT | DELIVERED)) | EMITTING;
      let failure: { error: unknown } | undefined;
      try {
        sole(level);
      } catch (error) {
        failure = { error };
      }
      // Read again: the listener may have made the side record (TypeScript still narrows it to undefined).
      const queued = (this.extra as LineExtra | undefined)?.queue;
      if (queued !== undefined && queued.length > 0) {
        this.deliver(queued.shift()!, failure);
        return;
      }
      this.bits &= ~EMITTING;
      if (failure !== undefined) throw failure.error;
      return;
    }
    if (sole === undefined && this.extra === undefined && (bits & EMITTING) === 0 && this.listeners.length === 0) {
      // Nobody listens (a line not wired to anything): the level is the whole change, delivered to no one.
      this.bits = level ? bits | CURRENT | DELIVERED : bits & ~(CURRENT | DELIVERED);
      return;
    }
    this.bits = level ? bits | CURRENT : bits & ~CURRENT;
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
    if (first) {
      const x = this.more();
      x.recorders = [...x.recorders, listener];
    } else this.listen(listener);
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      if (first) {
        const x = this.more();
        x.recorders = without(x.recorders, listener);
        return;
      }
      this.unwatch(listener);
    };
  }

  /**
   * {@link IrqLine.watch} without `first`, returning nothing: stop it with
   * {@link IrqLine.unwatch} (a driver waits for a level at every tick: no
   * function made per wait, #19).
   * @param listener - called with each new level
   */
  listen(listener: (level: boolean) => void): void {
    const sole = this.sole;
    if (sole === undefined && this.listeners.length === 0) {
      // One listener is held alone, without a list: the usual line costs no array.
      this.sole = listener;
      this.listeners = NONE;
    } else if (sole !== undefined) {
      this.sole = undefined;
      this.listeners = [sole, listener];
    } else if ((this.bits & EMITTING) !== 0) {
      // A delivery under way keeps the list it walks.
      this.listeners = [...this.listeners, listener];
    } else {
      // Outside a delivery nobody walks the list: grow it in place (a guest's wait comes and goes every tick).
      (this.listeners as ((level: boolean) => void)[]).push(listener);
    }
  }

  /**
   * Stops one registration of `listener` made by {@link IrqLine.listen} (or by
   * `watch` without `first`); nothing if it has none. The others keep their order.
   * @param listener - as given to `listen`
   */
  unwatch(listener: (level: boolean) => void): void {
    if (this.sole === listener) {
      this.sole = undefined;
      return;
    }
    const list = this.listeners as ((level: boolean) => void)[];
    const at = list.indexOf(listener);
    if (at < 0) return;
    let rest: readonly ((level: boolean) => void)[];
    if ((this.bits & EMITTING) !== 0) rest = without(list, listener);
    else {
      list.splice(at, 1);
      rest = list;
    }
    if (rest.length === 1) {
      this.sole = rest[0];
      this.listeners = NONE;
    } else {
      this.listeners = rest.length === 0 ? NONE : rest;
    }
  }

  /**
   * A pulse: high, then low again, within one instant (for edge-triggered
   * consumers). On a line already held high it is absorbed: a level line
   * cannot show it, and lowering the line would lie about its holder.
   */
  pulse(): void {
    if ((this.bits & CURRENT) !== 0) return;
    this.emit(true);
    this.emit(false);
  }

  /** The side record, made now. */
  private more(): LineExtra {
    return (this.extra ??= { observers: NONE, recorders: NONE, queue: undefined, levelStream: undefined });
  }

  private emit(level: boolean): void {
    if ((this.bits & EMITTING) !== 0) {
      (this.more().queue ??= []).push(level);
      return;
    }
    this.bits |= EMITTING;
    this.deliver(level, undefined);
  }

  /**
   * Delivers `level`, then each level queued meanwhile, to every listener;
   * called with an emission under way (EMITTING set), which it ends.
   * @param failure - the first error of the emission so far, if any
   */
  private deliver(level: boolean, failure: { error: unknown } | undefined): void {
    try {
      for (let next: boolean | undefined = level; next !== undefined; next = this.extra?.queue?.shift()) {
        this.bits = next ? this.bits | DELIVERED : this.bits & ~DELIVERED;
        // Most lines have no recorder nor subscriber: no side record to read (a line is on every expiry path).
        let x = this.extra;
        if (x !== undefined && x.recorders.length > 0) failure = callEach(x.recorders, next, failure);
        x = this.extra; // a recorder may have subscribed
        if (x !== undefined) {
          const list = x.observers;
          for (let i = 0; i < list.length; i++) list[i]!.next(next);
        }
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
      this.bits &= ~EMITTING;
      const queue = this.extra?.queue;
      if (queue !== undefined && queue.length > 0) queue.length = 0; // only after an observer threw mid-emission
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
