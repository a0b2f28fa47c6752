import type { Observable } from 'rxjs';

/** Anything that has an interrupt level: a line a device drives, or a combination of lines. */
export interface IrqSignal {
  /** Name used as the `source` of its `irq` trace events. */
  readonly name: string;
  /** The level now. */
  readonly level: boolean;
  /**
   * The level as a signal: the current level on subscription, then each
   * change, never the same level twice in a row. Emissions are synchronous
   * with the change (G1: a device's callback that raises its line is seen by
   * subscribers inside the same step).
   */
  readonly level$: Observable<boolean>;
  /**
   * Calls `listener` synchronously with each change of level (not with the
   * current one: read `level`), in the order the changes happen; a pulse is
   * two calls. This is how consumers on the expiry path follow a signal
   * (a system's trace, an interrupt controller, an OR of lines): a listener's
   * error propagates to whoever changed the level (on an expiry path, the
   * clock call that ran it), once every listener has had the change.
   * Listeners are called in the order they were added, those added with
   * `first` before all others (see {@link WatchOptions.first}).
   * @param listener - called with each new level
   * @param options - `first` for a recorder
   * @returns a function that removes the listener (idempotent)
   */
  watch(listener: (level: boolean) => void, options?: WatchOptions): () => void;
  /**
   * Optional, with {@link IrqSignal.unwatch}: {@link IrqSignal.watch} without
   * `first`, returning nothing. For a consumer that starts and stops
   * following the signal over and over (a guest driver's wait for a level, at
   * every tick): no function is made per watch. A signal has both or neither.
   * @param listener - called with each new level
   */
  listen?(listener: (level: boolean) => void): void;
  /**
   * Optional, with {@link IrqSignal.listen}: stops one registration of
   * `listener` made by `listen` (nothing if it has none).
   * @param listener - as given to `listen`
   */
  unwatch?(listener: (level: boolean) => void): void;
}

/** Options of {@link IrqSignal.watch}. */
export interface WatchOptions {
  /**
   * Call the listener before the listeners added without `first` and the
   * `level$` subscribers: for a recorder (a system's trace), so that what
   * the others do in response to a change, an OR of lines or an interrupt
   * controller following it included, is recorded after the change itself,
   * whenever they started following. Default false.
   */
  readonly first?: boolean;
}
