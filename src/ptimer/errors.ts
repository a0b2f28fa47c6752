import { ArgumentError, ArgumentTypeError } from '../shared/ArgumentError';
import { describeValue } from '../shared/describeValue';

/**
 * A value given to a timer breaks a rule (negative count, fraction out of
 * range, zero frequency, …). The message names the value and the rule.
 */
export class PTimerRangeError extends ArgumentError {
  /** The error's class name, `'PTimerRangeError'` (kept when the code is minified). */
  override readonly name = 'PTimerRangeError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>` (bigints with `n`).
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'setCount(count)'`)
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}

/** A policy list names an unknown flag, repeats one, or combines flags that QEMU refuses together. */
export class PTimerPolicyError extends ArgumentTypeError {
  /** The error's class name, `'PTimerPolicyError'` (kept when the code is minified). */
  override readonly name = 'PTimerPolicyError';
  /**
   * Builds the error; the message reads `policy: <value> is invalid: <rule>`.
   *
   * @param value - the offending flag or list
   * @param rule - the rule it breaks
   */
  constructor(value: unknown, rule: string) {
    super('policy', value, rule);
  }
}

/**
 * A transaction rule was broken: a change outside a transaction, a nested
 * `begin()`, a `commit()` without `begin()`, a transaction left open while
 * virtual time moved, or a runaway re-trigger loop in a callback.
 */
export class PTimerTransactionError extends Error {
  /** The error's class name, `'PTimerTransactionError'` (kept when the code is minified). */
  override readonly name = 'PTimerTransactionError';
  /**
   * Builds the error; the message is prefixed with the timer's name.
   *
   * @param timer - the timer's name
   * @param message - what was done and what to do instead
   */
  constructor(
    readonly timer: string,
    message: string,
  ) {
    super(`ptimer '${timer}': ${message}`);
  }
}

/**
 * A trigger callback (`onTrigger`) threw. The timer finished its step first,
 * so its state is consistent; the original errors are in `errors` (and the
 * first in `cause`).
 */
export class PTimerCallbackError extends Error {
  /** The error's class name, `'PTimerCallbackError'` (kept when the code is minified). */
  override readonly name = 'PTimerCallbackError';
  /**
   * Builds the error; the message names the timer, the instant and the first error's message, and `cause` is the first error.
   *
   * @param timer - the timer's name
   * @param time - virtual time (ns) of the trigger whose callback threw
   * @param errors - what the callback(s) threw, in order
   */
  constructor(
    readonly timer: string,
    readonly time: number,
    readonly errors: readonly unknown[],
  ) {
    super(
      `ptimer '${timer}': trigger callback threw at ${time} ns: ${
        errors[0] instanceof Error ? errors[0].message : describeValue(errors[0])
      }${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      { cause: errors[0] },
    );
  }
}

/** A snapshot given to `PTimer.restore` is malformed or does not fit; `field` names the part. */
export class PTimerSnapshotError extends ArgumentTypeError {
  /** The error's class name, `'PTimerSnapshotError'` (kept when the code is minified). */
  override readonly name = 'PTimerSnapshotError';
  /**
   * Builds the error; the message reads `snapshot field '<field>': <value> is invalid: <rule>`.
   *
   * @param field - path of the offending field in the snapshot
   * @param value - its value
   * @param rule - the rule it breaks
   */
  constructor(
    readonly field: string,
    value: unknown,
    rule: string,
  ) {
    super(`snapshot field '${field}'`, value, rule);
  }
}
