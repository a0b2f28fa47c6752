/**
 * A value given to a timer breaks a rule (negative count, fraction out of
 * range, zero frequency, …). The message names the value and the rule.
 */
export class PTimerRangeError extends RangeError {
  override readonly name = 'PTimerRangeError';
  /**
   * @param value - the offending value, as given
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'setCount(count)'`)
   */
  constructor(
    readonly value: unknown,
    readonly rule: string,
    what: string,
  ) {
    super(`${what}: ${typeof value === 'bigint' ? `${value}n` : String(value)} is invalid: ${rule}`);
  }
}

/** A policy list names an unknown flag, repeats one, or combines flags that QEMU refuses together. */
export class PTimerPolicyError extends TypeError {
  override readonly name = 'PTimerPolicyError';
  /**
   * @param value - the offending flag or list
   * @param rule - the rule it breaks
   */
  constructor(
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`policy ${JSON.stringify(value)} is invalid: ${rule}`);
  }
}

/**
 * A transaction rule was broken: a change outside a transaction, a nested
 * `begin()`, a `commit()` without `begin()`, a transaction left open while
 * virtual time moved, or a runaway re-trigger loop in a callback.
 */
export class PTimerTransactionError extends Error {
  override readonly name = 'PTimerTransactionError';
  /**
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
  override readonly name = 'PTimerCallbackError';
  /**
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
      `ptimer '${timer}': trigger callback threw at ${time} ns: ${String(
        errors[0] instanceof Error ? errors[0].message : errors[0],
      )}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      { cause: errors[0] },
    );
  }
}

/** A snapshot given to `PTimer.restore` is malformed or does not fit; `field` names the part. */
export class PTimerSnapshotError extends TypeError {
  override readonly name = 'PTimerSnapshotError';
  /**
   * @param field - path of the offending field in the snapshot
   * @param value - its value
   * @param rule - the rule it breaks
   */
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`snapshot field '${field}' = ${JSON.stringify(value)} is invalid: ${rule}`);
  }
}
