import { ArgumentTypeError } from '../shared/ArgumentError';

/**
 * A value given to an interrupt-line helper by our caller breaks a rule (no
 * lines to combine, something that is not an {@link IrqSignal}, a name that
 * is not a string, a scheduler without `now()`). The message names the
 * value and the rule.
 *
 * @see anyOf
 * @see irqEvents
 */
export class IrqArgumentError extends ArgumentTypeError {
  /** The error's class name, `'IrqArgumentError'` (kept when the code is minified). */
  override readonly name = 'IrqArgumentError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'anyOf(signals[1])'`)
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}
