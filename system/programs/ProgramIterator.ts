import type { DriverCommand, DriverInput } from '../../operators/driverCommands';

/** A step that yields `command`: one frozen result per command, made once (see {@link ProgramIterator}). @internal */
export type Yielded = IteratorYieldResult<DriverCommand>;

/** The result of a finished program. */
const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

/**
 * `command` as the result of the step that yields it, frozen so that a program
 * may hand out the same one at every pass of its loop.
 * @internal
 */
export const yielded = (command: DriverCommand): Yielded => Object.freeze({ value: command, done: false });

/**
 * A built-in program's run, written as a state machine rather than a
 * generator: a guest step of a whole-system run resumes one of these for
 * every access and wait (hundreds of thousands a virtual second, #19), and a
 * generator costs each a resume through its trampoline and a fresh result
 * object, where this returns the command's own frozen result.
 *
 * It behaves as the generator it replaces, seen from outside: the body runs
 * from the first `next` (so a bad position throws there, not at `start`), an
 * error thrown by a step ends it, `return()` ends it where it stands (no
 * program holds anything to release), `throw(error)` ends it and throws
 * `error`, and once ended every `next` is `{ value: undefined, done: true }`.
 * @internal
 */
export abstract class ProgramIterator implements Iterator<DriverCommand, void, DriverInput> {
  private ended = false;

  next(input?: DriverInput): IteratorResult<DriverCommand, void> {
    if (this.ended) return DONE;
    let result: IteratorResult<DriverCommand, void>;
    try {
      result = this.step(input);
    } catch (error) {
      this.ended = true;
      throw error;
    }
    if (result.done === true) this.ended = true;
    return result;
  }

  return(): IteratorResult<DriverCommand, void> {
    this.ended = true;
    return DONE;
  }

  throw(error: unknown): IteratorResult<DriverCommand, void> {
    this.ended = true;
    throw error;
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Runs the program from where it stands, with what the last command gave back, to its next command (or its end: {@link ProgramIterator.end}). */
  protected abstract step(input: DriverInput): IteratorResult<DriverCommand, void>;

  /** What `step` returns when the program is over. */
  protected end(): IteratorResult<DriverCommand, void> {
    return DONE;
  }
}
