import { checkCommand, type DriverCommand } from './driverCommands';

/**
 * A driver iterator whose commands were checked once, when its program was
 * built (with {@link precheck}), rather than at every yield: `runDriver`
 * checks what such an iterator yields only where it can still be wrong, the
 * time of a `wait-until` (a program changes it in place, and it must not be
 * in the past). A whole-system run yields millions of commands, each a
 * constant of its program; checking each at every yield was a twentieth of
 * the run (#19).
 *
 * The mark is a private field, so no other object can carry it. A subclass
 * must yield only results of {@link precheck}ed commands (the built-in
 * programs' `ProgramIterator` does).
 * @internal
 */
export abstract class PrecheckedIterator {
  readonly #prechecked = true;

  /** Whether `iterator` is one (its commands need no check at each yield). */
  static is(iterator: object): boolean {
    return #prechecked in iterator;
  }
}

/**
 * Checks `command` as `runDriver` would at a yield, then freezes it so that it
 * stays valid: what a {@link PrecheckedIterator} yields. A `wait-until` is
 * left unfrozen, as its time may be set in place (the driver checks it at
 * each yield).
 * @param command - a guest access or a wait
 * @returns `command`
 * @throws DriverCommandError naming the value and the rule
 * @internal
 */
export const precheck = <C extends DriverCommand>(command: C): C => {
  checkCommand(command, 0);
  return command.kind === 'wait-until' || Object.isFrozen(command) ? command : Object.freeze(command);
};
