const describe = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
};

/**
 * A value given to an interrupt-line helper by our caller breaks a rule (no
 * lines to combine, something that is not an {@link IrqSignal}, a name that
 * is not a string, a scheduler without `now()`). The message names the
 * value and the rule.
 *
 * @see anyOf
 * @see irqEvents
 */
export class IrqArgumentError extends TypeError {
  /** The error's class name, `'IrqArgumentError'` (kept when the code is minified). */
  override readonly name = 'IrqArgumentError';
  /**
   * Builds the error; the message names the argument, a short description of the value and the rule.
   *
   * @param value - the offending value, as given
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'anyOf(signals[1])'`)
   */
  constructor(
    readonly value: unknown,
    readonly rule: string,
    what: string,
  ) {
    super(`${what}: ${describe(value)} is invalid: ${rule}`);
  }
}
