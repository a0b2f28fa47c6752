import { Observable, type Subscriber } from 'rxjs';
import { ClockRangeError } from './errors';

/**
 * A device's clock input (a PCLK, TIMCLK, WDOGCLK …): a frequency in Hz that
 * the system may change while the simulation runs. 0 Hz means the clock is
 * stopped. Devices `watch` it and reprogram their timers' periods in a
 * transaction, so a change takes effect at the virtual instant it is made.
 *
 * Ordering: listeners are called synchronously inside `setHz`, in the order
 * they were added, so every device on the input is reprogrammed before
 * `setHz` returns (no instant sees half the devices on the old rate). A
 * listener that throws does not keep the others from the change; the first
 * error is thrown from `setHz` once all have run.
 *
 * ## Example
 * ```ts
 * const pclk = new ClockInput('pclk', 25_000_000);
 * const timer = new CmsdkApbTimer(clock, { pclk });
 * pclk.setHz(50_000_000); // the timer's counter now runs at 50 MHz
 * ```
 */
export class ClockInput {
  /** The frequency: the current one on subscription, then each change (for observers; devices use {@link ClockInput.watch}). */
  readonly hz$: Observable<number>;
  private current: number;
  private listeners: readonly ((hz: number) => void)[] = [];

  /**
   * @param name - the input's name (for errors and traces)
   * @param hz - initial frequency, a non-negative safe integer (0 = stopped)
   * @throws ClockRangeError for a negative, fractional or unsafe frequency
   */
  constructor(
    readonly name: string,
    hz: number,
  ) {
    this.current = ClockInput.check(hz, name);
    this.hz$ = new Observable<number>((subscriber: Subscriber<number>) => {
      subscriber.next(this.current);
      return this.watch((value) => subscriber.next(value));
    });
  }

  /** The frequency now, in Hz. */
  get hz(): number {
    return this.current;
  }

  /**
   * Calls `listener` synchronously with each change of frequency (not with
   * the current one: read {@link ClockInput.hz}). Errors it throws surface
   * from `setHz`.
   * @param listener - called with the new frequency
   * @returns a function that removes the listener (idempotent)
   */
  watch(listener: (hz: number) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Removes `listener`, as the function {@link ClockInput.watch} returned does
   * (idempotent): for a holder that follows inputs for a long time and would
   * rather not keep one such function per input (a device, #19).
   * @param listener - a listener given to `watch`
   */
  unwatch(listener: (hz: number) => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  /**
   * Changes the frequency (a no-op when it is unchanged).
   * @param hz - non-negative safe integer Hz (0 = stopped)
   * @throws ClockRangeError for a negative, fractional or unsafe frequency
   */
  setHz(hz: number): void {
    const value = ClockInput.check(hz, this.name);
    if (value === this.current) return;
    this.current = value;
    let first: { error: unknown } | undefined;
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        first ??= { error };
      }
    }
    if (first !== undefined) throw first.error;
  }

  private static check(hz: number, name: string): number {
    if (typeof hz !== 'number' || !Number.isSafeInteger(hz) || hz < 0) {
      throw new ClockRangeError(hz, 'must be a non-negative whole number of Hz (0 = stopped)', `clock input '${name}' frequency`);
    }
    return hz;
  }
}
