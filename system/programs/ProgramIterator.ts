import type { DriverCommand, DriverInput } from '../../operators/driverCommands';
import { PrecheckedIterator, precheck } from '../../operators/prechecked';
import { checkPosition } from './checkPosition';
import type { CounterReadPlan } from './readCounter';

/** A step that yields `command`: one frozen result per command, made once (see {@link ProgramIterator}). @internal */
export type Yielded = IteratorYieldResult<DriverCommand>;

/** The result of a finished program. */
const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

/**
 * `command` as the result of the step that yields it, frozen so that a program
 * may hand out the same one at every pass of its loop; the command is checked
 * here, once (see `PrecheckedIterator`: the driver does not check it again).
 * @throws DriverCommandError for a command `runDriver` would refuse
 * @internal
 */
export const yielded = (command: DriverCommand): Yielded => Object.freeze({ value: precheck(command), done: false });

/** Where every run starts: its position not yet looked at. @internal */
export const BEGIN = 0;
/** A fresh run yields its start accesses (see {@link ProgramIterator.starting}). @internal */
export const STARTING = 1;

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
 *
 * It yields only {@link yielded} results, whose commands were checked when
 * the program was built: the driver does not check them again at each yield
 * (a `PrecheckedIterator`), but for a `wait-until`'s time.
 *
 * `P` is what the program's runs share (its commands as results, its options
 * and its state); `at` is where the run stands ({@link BEGIN} first).
 * @internal
 */
export abstract class ProgramIterator<P> extends PrecheckedIterator implements Iterator<DriverCommand, void, DriverInput> {
  private ended = false;
  /** Where the run stands: {@link BEGIN}, {@link STARTING}, then the program's own places. */
  protected at = BEGIN;
  /** The next access of a list being yielded (see {@link ProgramIterator.starting}). */
  protected i = 0;

  /**
   * @param plan - what the program's runs share
   * @param position - where to resume (`undefined`: a fresh start)
   */
  constructor(
    protected readonly plan: P,
    protected readonly position: unknown,
  ) {
    super();
  }

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

  /**
   * The {@link BEGIN} step of a program whose position is its state: a fresh
   * run goes on at {@link STARTING}; a resumed one has its position checked
   * field by field and goes on at `top`.
   * @returns the checked position (the run's state), or `undefined` on a fresh start
   * @throws SystemSnapshotError naming the position's field at fault
   */
  protected resumed<S extends object>(fields: { readonly [K in keyof S]-?: (value: unknown) => boolean }, what: string, top: number): S | undefined {
    if (this.position === undefined) {
      this.at = STARTING;
      return undefined;
    }
    const state = checkPosition<S>(this.position, fields, what);
    this.at = top;
    return state;
  }

  /**
   * The next of `accesses` to yield, counting with `i` from 0; once all are
   * yielded, the run goes on at `then` (and `i` is 0 again).
   * @returns the access's result, or `undefined` when there is none left
   */
  protected each(accesses: readonly Yielded[], then: number): Yielded | undefined {
    if (this.i < accesses.length) return accesses[this.i++]!;
    this.i = 0;
    this.at = then;
    return undefined;
  }
}

/** A counter's read as results made once (see {@link counterReadPlan}). @internal */
export interface CounterResults {
  readonly before: readonly Yielded[];
  readonly read: Yielded;
  readonly high: Yielded | undefined;
  readonly value: (low: number, high: number) => number;
}

/** `plan`'s accesses as results. @internal */
export const counterResults = (plan: CounterReadPlan): CounterResults => ({
  before: plan.before.map(yielded),
  read: yielded(plan.read),
  high: plan.high === undefined ? undefined : yielded(plan.high),
  value: plan.value,
});

const LATCHING = 0;
const AFTER_LOW = 1;
const AFTER_HIGH = 2;

/**
 * One counter read spread over a run's steps, as `readCounter` makes it: the
 * latch accesses, the counter register, then its upper part. A run calls
 * {@link CounterRead.begin}, then {@link CounterRead.step} with each input
 * until it returns `undefined`: {@link CounterRead.value} is then the counter.
 * @internal
 */
export class CounterRead {
  private at = LATCHING;
  private i = 0;
  private low = 0;
  /** The counter's value, once the read is done. */
  value = 0;

  constructor(private readonly results: CounterResults) {}

  /** Starts a read. */
  begin(): void {
    this.at = LATCHING;
    this.i = 0;
  }

  /** The read's next access, given what the last one returned; `undefined` once {@link CounterRead.value} is known. */
  step(input: DriverInput): Yielded | undefined {
    const r = this.results;
    switch (this.at) {
      case LATCHING:
        if (this.i < r.before.length) return r.before[this.i++]!;
        this.at = AFTER_LOW;
        return r.read;
      case AFTER_LOW:
        this.low = input ?? 0;
        if (r.high !== undefined) {
          this.at = AFTER_HIGH;
          return r.high;
        }
        this.value = r.value(this.low, 0);
        return undefined;
      default:
        this.value = r.value(this.low, input ?? 0);
        return undefined;
    }
  }
}

/**
 * A {@link ProgramIterator} whose runs read a counter: each run holds its own
 * {@link CounterRead} over the plan's shared results.
 * @internal
 */
export abstract class CounterReadingIterator<P extends { readonly counter: CounterResults }> extends ProgramIterator<P> {
  /** This run's read of the counter. */
  protected readonly counter: CounterRead;

  /**
   * @param plan - what the program's runs share, its counter's read among it
   * @param position - where to resume (`undefined`: a fresh start)
   */
  constructor(plan: P, position: unknown) {
    super(plan, position);
    this.counter = new CounterRead(plan.counter);
  }
}
