import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { ClockRangeError } from './errors';

/**
 * A device's clock input (a PCLK, TIMCLK, WDOGCLK …): a frequency in Hz that
 * the system may change while the simulation runs. 0 Hz means the clock is
 * stopped. Devices subscribe to `hz$` and reprogram their timers' periods in
 * a transaction (e.g. `t.setFreq(hz / prescale)`), so a change takes effect
 * at the virtual instant it is made.
 *
 * Ordering: `hz$` emits synchronously inside `setHz`, so every device on the
 * input is reprogrammed before `setHz` returns (no instant sees half the
 * devices on the old rate).
 *
 * ## Example
 * ```ts
 * const pclk = new ClockInput('pclk', 25_000_000);
 * const timer = new CmsdkApbTimer(clock, { pclk });
 * pclk.setHz(50_000_000); // the timer's counter now runs at 50 MHz
 * ```
 */
export class ClockInput {
  private readonly subject: BehaviorSubject<number>;
  /** The frequency: the current one on subscription, then each change. */
  readonly hz$: Observable<number>;

  /**
   * @param name - the input's name (for errors and traces)
   * @param hz - initial frequency, a non-negative safe integer (0 = stopped)
   * @throws ClockRangeError for a negative, fractional or unsafe frequency
   */
  constructor(
    readonly name: string,
    hz: number,
  ) {
    this.subject = new BehaviorSubject(ClockInput.check(hz, name));
    this.hz$ = this.subject.pipe(distinctUntilChanged());
  }

  /** The frequency now, Hz. */
  get hz(): number {
    return this.subject.value;
  }

  /**
   * Changes the frequency; subscribers reprogram synchronously.
   * @param hz - non-negative safe integer (0 = stopped)
   */
  setHz(hz: number): void {
    this.subject.next(ClockInput.check(hz, this.name));
  }

  private static check(hz: number, name: string): number {
    if (typeof hz !== 'number' || !Number.isSafeInteger(hz) || hz < 0) {
      throw new ClockRangeError(hz, 'must be a non-negative whole number of Hz (0 = stopped)', `clock input '${name}' frequency`);
    }
    return hz;
  }
}
