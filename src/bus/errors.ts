/**
 * A value given to the bus layer by our caller (not by the guest) breaks a
 * rule: a bad offset or size for an access, a field outside its register, a
 * register map whose registers or fields overlap. The message names the
 * value and the rule. Bad *guest* accesses are never exceptions: they are
 * guest-error events.
 */
export class BusRangeError extends RangeError {
  override readonly name = 'BusRangeError';
  /**
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param what - what it was meant to be
   */
  constructor(
    readonly value: unknown,
    readonly rule: string,
    what: string,
  ) {
    super(`${what}: ${String(value)} is invalid: ${rule}`);
  }
}
