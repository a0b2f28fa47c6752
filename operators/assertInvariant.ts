import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { ViolationEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import { checkFunction, checkName, checkScheduler, checkSink, InvariantViolationError, OperatorArgumentError } from './errors';

/** Default of {@link AssertInvariantOptions.history}. */
export const DEFAULT_INVARIANT_HISTORY = 16;

/**
 * An invariant over a stream: `true` when `value` is acceptable after the
 * values in `history` (the previous values, oldest first, at most the
 * configured number).
 */
export type InvariantPredicate<T> = (value: T, history: readonly T[]) => boolean;

/** Options of {@link assertInvariant}. */
export interface AssertInvariantOptions {
  /** Virtual time in ns, for the violation's time. */
  readonly scheduler: SchedulerLike;
  /** The invariant's name in messages and trace (default: the predicate's function name, else `'invariant'`). */
  readonly name?: string;
  /** How many previous values the predicate sees and the error carries (default {@link DEFAULT_INVARIANT_HISTORY}). */
  readonly history?: number;
  /** Receives a `ViolationEvent` (source = the invariant's name) when the invariant breaks (optional). */
  readonly sink?: TraceSink;
}

/**
 * Passes values through while `predicate(value, history)` holds; at the first
 * value for which it returns `false`, records a `ViolationEvent` to the sink
 * (if any) and errors the stream with an {@link InvariantViolationError}
 * carrying the virtual time, the value and the history that led to it.
 *
 * `history` is the up to `options.history` values before `value`, oldest
 * first, as a frozen copy (the predicate may keep it); the error carries the
 * same array. A predicate that throws errors the stream with what it threw;
 * one that returns something other than a boolean errors it with an
 * {@link OperatorArgumentError}. Errors and completion of the source pass
 * through.
 *
 * Ordering: preserves G4 — values are checked in order, in the step that
 * carries them, so the violation is recorded at the instant and in the step
 * of the value that broke the invariant, before anything downstream sees it.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns; counts must not go up between reloads
 * const countsDown = (c: bigint, h: readonly bigint[]) => h.length === 0 || c <= h[h.length - 1]! || c === LIMIT;
 * const counts = m.cold('a-b-c', { a: 5n, b: 3n, c: 4n });
 * m.expect(counts.pipe(assertInvariant(countsDown, { scheduler: ns }))).toBeObservable(
 *   'a-b-#', { a: 5n, b: 3n }, new InvariantViolationError('countsDown', 4_000, 4n, [5n, 3n]),
 * );
 * ```
 *
 * @param predicate - the invariant, `(value, history) => boolean`
 * @param options - scheduler, and optionally name, history length and sink
 * @returns an operator that emits what it receives until the invariant breaks
 * @throws OperatorArgumentError for a predicate that is not a function, or bad options
 * @see InvariantViolationError
 * @see sampleCount to turn a timer into a stream worth checking
 */
export const assertInvariant = <T>(
  predicate: InvariantPredicate<T>,
  options: AssertInvariantOptions,
): MonoTypeOperatorFunction<T> => {
  checkFunction(predicate, 'assertInvariant(predicate)');
  if (typeof options !== 'object' || options === null) {
    throw new OperatorArgumentError(options, 'must be an object { scheduler, name?, history?, sink? }', 'assertInvariant(options)');
  }
  const { scheduler, sink } = options;
  checkScheduler(scheduler, 'assertInvariant(options.scheduler)');
  checkSink(sink, 'assertInvariant(options.sink)');
  const name = options.name === undefined ? (predicate.name === '' ? 'invariant' : predicate.name) : options.name;
  checkName(name, 'assertInvariant(options.name)');
  const size = options.history ?? DEFAULT_INVARIANT_HISTORY;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new OperatorArgumentError(size, 'must be a whole, non-negative number of values', 'assertInvariant(options.history)');
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      const past: T[] = [];
      subscriber.add(
        source.subscribe({
          next: (value) => {
            if (subscriber.closed) return;
            const history: readonly T[] = Object.freeze(past.slice());
            let holds: unknown;
            try {
              holds = predicate(value, history);
              if (typeof holds !== 'boolean') {
                throw new OperatorArgumentError(holds, 'must return a boolean', `assertInvariant: predicate '${name}'`);
              }
              if (!holds) {
                const error = new InvariantViolationError(name, scheduler.now(), value, history);
                const event: ViolationEvent = { kind: 'violation', time: error.time, source: name, message: error.message };
                sink?.record(event);
                throw error;
              }
            } catch (error) {
              subscriber.error(error);
              return;
            }
            if (size > 0) {
              if (past.length === size) past.shift();
              past.push(value);
            }
            subscriber.next(value);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
    });
};
