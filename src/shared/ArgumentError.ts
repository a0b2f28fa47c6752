import { describeValue } from './describeValue';

/** The one message grammar of a bad argument: `<what>: <value> is invalid: <rule>`. */
const messageOf = (what: string, value: unknown, rule: string): string => `${what}: ${describeValue(value)} is invalid: ${rule}`;

/**
 * A value given by our caller breaks a rule: out of range, not whole, in the
 * past, overlapping, unknown. The base of every such error in the project
 * whose JavaScript family is `RangeError` (`ClockRangeError`,
 * `PTimerRangeError`, `BusRangeError`, `OperatorArgumentError`, …); its twin
 * {@link ArgumentTypeError} is the base of those whose family is
 * `TypeError` (a value of the wrong shape). Both carry the same fields and
 * the same message, so code can catch either family, or both with
 * {@link isArgumentError}.
 *
 * The message is always `<what>: <value> is invalid: <rule>`, the value
 * rendered by {@link describeValue} (so a huge value gives a short message).
 *
 * ## Example
 * ```ts
 * new ArgumentError('setCount(count)', -1n, 'must not be negative').message;
 * // 'setCount(count): -1n is invalid: must not be negative'
 * ```
 *
 * @see ArgumentTypeError
 * @see isArgumentError
 */
export class ArgumentError extends RangeError {
  /** The error's class name (each subclass sets its own; kept when the code is minified). */
  override readonly name: string = 'ArgumentError';
  /** Where the value was given, e.g. `'setCount(count)'` or `'devices[1].type'`. */
  readonly what: string;
  /** The offending value, as given (the message shows it shortened). */
  readonly value: unknown;
  /** The rule it breaks, in words, e.g. `'must not be negative'`. */
  readonly rule: string;
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param what - where the value was given
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param options - `cause`, when another check found the fault
   */
  constructor(what: string, value: unknown, rule: string, options?: ErrorOptions) {
    super(messageOf(what, value, rule), options);
    this.what = what;
    this.value = value;
    this.rule = rule;
  }
}

// The twin's body repeats ArgumentError's rather than coming from a mixin: each class keeps a plain
// `extends` of its JavaScript family, and the API reference documents each member on its own class.
/**
 * A value given by our caller has the wrong shape: not a scheduler, not a
 * signal, a malformed snapshot or trace line. The twin of
 * {@link ArgumentError} for errors whose JavaScript family is `TypeError`
 * (`PTimerSnapshotError`, `IrqArgumentError`, `TraceFormatError`, …): the
 * same constructor, fields and message, `<what>: <value> is invalid: <rule>`.
 *
 * ## Example
 * ```ts
 * new ArgumentTypeError('irqEvents(signal)', 42, 'must be an IrqSignal').message;
 * // 'irqEvents(signal): 42 is invalid: must be an IrqSignal'
 * ```
 *
 * @see ArgumentError
 * @see isArgumentError
 */
export class ArgumentTypeError extends TypeError {
  /** The error's class name (each subclass sets its own; kept when the code is minified). */
  override readonly name: string = 'ArgumentTypeError';
  /** Where the value was given, e.g. `'irqEvents(signal)'` or `"snapshot field 'limit'"`. */
  readonly what: string;
  /** The offending value, as given (the message shows it shortened). */
  readonly value: unknown;
  /** The rule it breaks, in words. */
  readonly rule: string;
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param what - where the value was given
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param options - `cause`, when another check found the fault
   */
  constructor(what: string, value: unknown, rule: string, options?: ErrorOptions) {
    super(messageOf(what, value, rule), options);
    this.what = what;
    this.value = value;
    this.rule = rule;
  }
}

/**
 * Whether `error` reports a bad argument: an {@link ArgumentError} or an
 * {@link ArgumentTypeError} (or a subclass of either), so that its `what`,
 * `value` and `rule` can be read.
 *
 * ## Example
 * ```ts
 * try {
 *   timer.setCount(-1n);
 * } catch (error) {
 *   if (isArgumentError(error)) report(error.what, error.rule);
 *   else throw error;
 * }
 * ```
 *
 * @param error - anything caught
 * @returns `true` for an argument error of either family
 */
export const isArgumentError = (error: unknown): error is ArgumentError | ArgumentTypeError =>
  error instanceof ArgumentError || error instanceof ArgumentTypeError;
