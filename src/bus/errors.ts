/**
 * A value given to the bus layer by our caller (not by the guest) breaks a
 * rule: a bad offset or size for an access, a field outside its register, a
 * register map whose registers or fields overlap. The message names the
 * value and the rule. Bad *guest* accesses are never exceptions: they are
 * guest-error events.
 */
export class BusRangeError extends RangeError {
  /** The error's class name, `'BusRangeError'` (kept when the code is minified). */
  override readonly name = 'BusRangeError';
  /**
   * Builds the error; the message names what the value was meant to be, the value and the rule.
   *
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

/** Prints untrusted data for a message: JSON where it can, else `String` (bigints, functions, cycles). */
const show = (value: unknown): string => {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/**
 * A register map breaks a rule when it is built (`defineRegisterMap`): a
 * field outside its register or overlapping another field, registers that
 * overlap, a misaligned offset, a reset value that does not fit, a bad access
 * mode or size list. `where` names the register (`CTRL`) or field
 * (`CTRL.EN`); the message names the value and the rule.
 */
export class RegisterMapError extends TypeError {
  /** The error's class name, `'RegisterMapError'` (kept when the code is minified). */
  override readonly name = 'RegisterMapError';
  /**
   * Builds the error; the message names the register or field, the value and the rule.
   *
   * @param where - the register or `REGISTER.FIELD` at fault
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param shown - how to print the value (default `String(value)`)
   */
  constructor(
    readonly where: string,
    readonly value: unknown,
    readonly rule: string,
    shown: string = String(value),
  ) {
    super(`register map ${where}: ${shown} is invalid: ${rule}`);
  }
}

/** A snapshot given to `restore()` is malformed or does not fit the register map; `field` is the path of the part at fault. */
export class RegisterSnapshotError extends TypeError {
  /** The error's class name, `'RegisterSnapshotError'` (kept when the code is minified). */
  override readonly name = 'RegisterSnapshotError';
  /**
   * Builds the error; the message names the field, its value and the rule.
   *
   * @param field - path of the offending part (e.g. `registers.CTRL`)
   * @param value - its value
   * @param rule - the rule it breaks
   */
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`snapshot field '${field}' = ${show(value)} is invalid: ${rule}`);
  }
}

/**
 * A device was configured with a value that breaks a rule (a constructor
 * argument from our caller, never a guest access). The message names the
 * value and the rule.
 */
export class DeviceConfigError extends RangeError {
  /** The error's class name, `'DeviceConfigError'` (kept when the code is minified). */
  override readonly name = 'DeviceConfigError';
  /**
   * Builds the error; the message names the argument, the value and the rule.
   *
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'InterruptController(inputs)'`)
   */
  constructor(
    readonly value: unknown,
    readonly rule: string,
    what: string,
  ) {
    super(`${what}: ${show(value)} is invalid: ${rule}`);
  }
}
