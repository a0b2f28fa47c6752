import { Subscription, UnsubscriptionError, type TeardownLogic } from 'rxjs';

/** A teardown this class holds itself: a function or an object with `unsubscribe` (not a Subscription). */
type Held = Exclude<TeardownLogic, void | Subscription>;

/**
 * A kit device's lifetime: a `Subscription` that holds its function and
 * object teardowns (the timers' wirings, a device's own) itself, one in a
 * field and more in an array of the exact size. rxjs's first `add` makes an
 * array with room for 17, about 180 bytes a device that holds one wiring
 * (#19). Child Subscriptions go to rxjs's own list, as before.
 *
 * Behaves as a `Subscription`: `add` on a closed one runs the teardown at
 * once; `remove` takes a teardown back; `unsubscribe` runs everything once
 * (the children first, then the held teardowns in the order added) and
 * throws one `UnsubscriptionError` with every error, after all ran.
 */
export class DeviceLifetime extends Subscription {
  override add(teardown: TeardownLogic): void {
    if (teardown === undefined || teardown === null || teardown === this || teardown instanceof Subscription || this.closed) {
      super.add(teardown);
      return;
    }
    const held = this.held;
    this.held = held === undefined ? teardown : Array.isArray(held) ? held.concat([teardown]) : [held, teardown];
  }

  override remove(teardown: Exclude<TeardownLogic, void>): void {
    const held = this.held;
    if (held === teardown) this.held = undefined;
    else if (Array.isArray(held)) this.held = held.filter((t) => t !== teardown);
    super.remove(teardown);
  }

  override unsubscribe(): void {
    if (this.closed) return;
    let errors: unknown[] = [];
    try {
      super.unsubscribe();
    } catch (error) {
      errors = error instanceof UnsubscriptionError ? [...error.errors] : [error];
    }
    const held = this.held;
    this.held = undefined;
    for (const teardown of held === undefined ? [] : Array.isArray(held) ? held : [held]) {
      try {
        if (typeof teardown === 'function') teardown();
        else teardown.unsubscribe();
      } catch (error) {
        if (error instanceof UnsubscriptionError) errors.push(...error.errors);
        else errors.push(error);
      }
    }
    if (errors.length > 0) throw new UnsubscriptionError(errors);
  }

  /** The held teardowns: none, one, or several in the order added. */
  private held: Held | readonly Held[] | undefined = undefined;
}
