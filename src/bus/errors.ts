import { ArgumentError, ArgumentTypeError } from '../shared/ArgumentError';

/**
 * A value given to the bus layer by our caller (not by the guest) breaks a
 * rule: a bad offset or size for an access, a field outside its register, a
 * register map whose registers or fields overlap. The message names the
 * value and the rule. Bad *guest* accesses are never exceptions: they are
 * guest-error events.
 */
export class BusRangeError extends ArgumentError {
  /** The error's class name, `'BusRangeError'` (kept when the code is minified). */
  override readonly name = 'BusRangeError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param what - what it was meant to be
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}

/**
 * A register map breaks a rule when it is built (`defineRegisterMap`): a
 * field outside its register or overlapping another field, registers that
 * overlap, a misaligned offset, a reset value that does not fit, a bad access
 * mode or size list. `where` names the register (`CTRL`) or field
 * (`CTRL.EN`); the message names the value and the rule.
 */
export class RegisterMapError extends ArgumentTypeError {
  /** The error's class name, `'RegisterMapError'` (kept when the code is minified). */
  override readonly name = 'RegisterMapError';
  /**
   * Builds the error; the message reads `register map <where>: <value> is invalid: <rule>`.
   *
   * @param where - the register or `REGISTER.FIELD` at fault
   * @param value - the offending value
   * @param rule - the rule it breaks
   */
  constructor(
    readonly where: string,
    value: unknown,
    rule: string,
  ) {
    super(`register map ${where}`, value, rule);
  }
}

/**
 * A snapshot given to `restore()` is malformed, inconsistent, or does not fit
 * the device restoring it. `field` is the full path of the part at fault
 * inside the snapshot given to `restore()`: `version`, `timers[1].delta`,
 * `registers.registers.CTRL`; `(root)` only when the snapshot itself is not
 * an object. A rule that relates two fields refuses one of them and names
 * the other in `rule`. A timer part's refusal (a `PTimerSnapshotError`) is
 * re-thrown as this error at `<where the timer sits>.<its field>`, with the
 * timer's error as `cause`.
 */
export class RegisterSnapshotError extends ArgumentTypeError {
  /** The error's class name, `'RegisterSnapshotError'` (kept when the code is minified). */
  override readonly name = 'RegisterSnapshotError';
  /**
   * Builds the error; the message reads `snapshot field '<field>': <value> is invalid: <rule>`.
   *
   * @param field - full path of the offending part (e.g. `registers.registers.CTRL`, `timers[0].mode`)
   * @param value - its value
   * @param rule - the rule it breaks
   * @param options - `cause`, when a part (a timer) refused it first
   */
  constructor(
    readonly field: string,
    value: unknown,
    rule: string,
    options?: ErrorOptions,
  ) {
    super(`snapshot field '${field}'`, value, rule, options);
  }
}

/**
 * A device was configured with a value that breaks a rule (a constructor
 * argument from our caller, never a guest access). The message names the
 * value and the rule.
 */
export class DeviceConfigError extends ArgumentError {
  /** The error's class name, `'DeviceConfigError'` (kept when the code is minified). */
  override readonly name = 'DeviceConfigError';
  /**
   * Builds the error; the message reads `<what>: <value> is invalid: <rule>`.
   *
   * @param value - the offending value
   * @param rule - the rule it breaks
   * @param what - which argument it was (e.g. `'InterruptController(inputs)'`)
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}
