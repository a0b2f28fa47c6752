import { ArgumentError, ArgumentTypeError } from '../shared/ArgumentError';

/**
 * A time, delay or bound given to a clock breaks one of its rules (negative,
 * not an integer, not finite, going backwards, or past the representable
 * range). The message names the value and the rule.
 *
 * @see VirtualClock
 */
export class ClockRangeError extends ArgumentError {
  /** The error's class name, `'ClockRangeError'` (kept when the code is minified). */
  override readonly name = 'ClockRangeError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param what - what the value was meant to be (e.g. `'delay'`)
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}

/**
 * Too much work ran without virtual time moving (or without the clock going
 * idle in `run()`), which means a loop such as a zero-period timer that keeps
 * re-arming itself at the same instant. Raised instead of hanging.
 */
export class RunawayError extends Error {
  /** The error's class name, `'RunawayError'` (kept when the code is minified). */
  override readonly name = 'RunawayError';
  /**
   * Builds the error; the message names the instant, the work and the bound, and suggests a way out.
   *
   * @param time - the virtual time (ns) at which the guard tripped
   * @param work - label of the work that was about to run
   * @param limit - the bound that was exceeded
   * @param scope - `'instant'` (too many events at one time) or `'run'` (never idle)
   */
  constructor(
    readonly time: number,
    readonly work: string,
    readonly limit: number,
    readonly scope: 'instant' | 'run',
  ) {
    super(
      scope === 'instant'
        ? `runaway: more than ${limit} events at virtual time ${time} ns (last: ${work}); ` +
            'a zero-period or self-rescheduling loop never lets time advance'
        : `runaway: run() did not become idle within ${limit} events (at ${time} ns, next: ${work}); ` +
            'periodic work never ends, use advanceTo()/advanceBy() or raise maxEventsPerRun',
    );
  }
}

/**
 * A clock was driven (advanced, stepped or run) from inside work that the
 * same clock is running. Virtual time can only be driven from outside.
 */
export class ClockReentryError extends Error {
  /** The error's class name, `'ClockReentryError'` (kept when the code is minified). */
  override readonly name = 'ClockReentryError';
  /**
   * Builds the error; the message names the method and says to drive the clock from outside.
   *
   * @param method - the method that was called re-entrantly
   */
  constructor(readonly method: string) {
    super(`${method}() was called from inside work run by the same clock; drive the clock only from outside`);
  }
}

/**
 * An observer given to {@link VirtualClock.observe} breaks a rule: it is not
 * an object, a hook is not a function, or it chooses while another observer
 * already does. The message names the value and the rule.
 */
export class ClockObserverError extends ArgumentTypeError {
  /** The error's class name, `'ClockObserverError'` (kept when the code is minified). */
  override readonly name = 'ClockObserverError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param what - which argument it was (e.g. `'observe(observer.choose)'`)
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}
