import { ArgumentError, ArgumentTypeError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';

/**
 * A system was built or used against its rules: a duplicate device name, an
 * overlapping address range, a run target in the past, a guest added after a
 * snapshot was restored. The message names what, the value and the rule.
 */
export class SystemConfigError extends ArgumentError {
  /** Always `'SystemConfigError'`. */
  override readonly name: string = 'SystemConfigError';
  /**
   * Builds the message, `<what>: <value> is invalid: <rule>`.
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   * @param what - where it was given, e.g. `'addDevice(base)'`
   */
  constructor(value: unknown, rule: string, what: string) {
    super(what, value, rule);
  }
}

/**
 * A guest program failed: it threw, yielded something that is not a command,
 * or ran away at one instant. `cause` is the program's error.
 */
export class GuestProgramError extends Error {
  /** Always `'GuestProgramError'`. */
  override readonly name: string = 'GuestProgramError';
  /**
   * Builds the message from its parts.
   * @param guest - the guest's name
   * @param time - virtual time (ns) of the failure
   * @param cause - what the program (or its driver) threw
   */
  constructor(
    readonly guest: string,
    readonly time: number,
    cause: unknown,
  ) {
    super(`guest ${describeValue(guest)} failed at ${time} ns: ${cause instanceof Error ? cause.message : describeValue(cause)}`, { cause });
  }
}

/**
 * A system snapshot cannot be taken or restored: a field of the wrong shape, a
 * name the system does not have, a guest's wake-up that no pending event
 * matches, a device that refuses its part, an event pending at the snapshot
 * that the restore did not re-create (a legacy bottom half), a guest that
 * cannot report its position. `path` is the full path of the part at fault in
 * the snapshot, as `a.b[2].c` (`devices.dut.timers[0].count`, `pending[3].time`,
 * `guests.tick.wake.rank`); `(system)` when the system, not the snapshot, is
 * the reason. The message is `<path>: <value> is invalid: <rule>`.
 *
 * A restore that throws it has changed nothing: the system can be restored
 * again.
 */
export class SystemSnapshotError extends ArgumentTypeError {
  /** Always `'SystemSnapshotError'`. */
  override readonly name: string = 'SystemSnapshotError';
  /**
   * Builds the message from its parts.
   * @param path - where in the snapshot, e.g. `'devices.timer0.registers.registers.CTRL'`
   * @param value - the value found there (`undefined` when missing)
   * @param rule - the rule it breaks, in words
   * @param options - `cause` when a device or a guest program refused its part
   */
  constructor(
    readonly path: string,
    value: unknown,
    rule: string,
    options?: ErrorOptions,
  ) {
    super(path, value, rule, options);
  }
}

/**
 * A replay could not follow its recording: an input's place in its instant
 * was passed before it could run (the system behaves differently from the
 * recorded one). The digest check reports any other difference.
 */
export class ReplayDivergenceError extends Error {
  /** Always `'ReplayDivergenceError'`. */
  override readonly name: string = 'ReplayDivergenceError';
  /**
   * Builds the message from its parts.
   * @param step - index of the recorded step
   * @param time - its virtual time (ns)
   * @param expected - non-guest events that ran before it at that instant when recorded
   * @param actual - how many had run when it came due in the replay
   */
  constructor(
    readonly step: number,
    readonly time: number,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `replay diverged at step ${step} (${time} ns): recorded after ${expected} event(s) of that instant, but ${actual} had already run`,
    );
  }
}
