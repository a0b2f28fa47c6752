import type { ExplorerRun } from '../exploreSchedules';
import { choicePoints } from '../choicePoints';

/** Where a driven run's choice points are: the bottom-half window and the start of the explored span. @internal */
export interface DriveSpan {
  /** As `ExploreOptions.bottomHalfWindow` (ns, checked). */
  readonly window: number;
  /** As `ExploreOptions.from`: earlier instants run in the normal order and have no choice points (ns). */
  readonly from: number;
}

/**
 * Picks the option at the `point`-th choice point (0-based) of a run: an
 * index into `options` (the ready work in FIFO order, then the deferrals).
 * @internal
 */
export type Pick = (options: readonly string[], point: number) => number;

/** What one driven run did. @internal */
export interface Driven {
  /** The label chosen at each choice point, in order. */
  readonly schedule: readonly string[];
  /** The index chosen at each choice point, in order. */
  readonly taken: readonly number[];
  /** The options at each choice point, in order (what the strategies count). */
  readonly options: readonly (readonly string[])[];
  /** What the invariant said the first time it broke. */
  readonly message?: string;
  /**
   * With `message`: the choice points passed before the invariant was seen
   * broken (it is checked before each step); the picks from there on cannot
   * have caused it.
   */
  readonly failedAt?: number;
  /** Set when the system threw (a bug, not a violation): the run ended there. */
  readonly threw?: { readonly error: unknown };
}

/**
 * Runs a fresh system with `pick` choosing at every choice point (a step of
 * the explored span with two or more options), checking the invariant at
 * every step and at the end, as `exploreSchedules` does.
 * @internal
 */
export const driveRun = (build: () => ExplorerRun, pick: Pick, span: DriveSpan): Driven => {
  const run = build();
  const schedule: string[] = [];
  const taken: number[] = [];
  const seen: (readonly string[])[] = [];
  let message: string | undefined;
  const points = choicePoints(span.window);
  let failedAt: number | undefined;
  const stop = run.clock.observe({ choose: (ready, next) => {
    message ??= run.check();
    if (message !== undefined) failedAt ??= taken.length;
    if (ready[0]!.time < span.from) {
      // Before the explored span: the normal order (the call keeps the bottom halves' origins).
      points.options(ready, undefined);
      return points.answer(0);
    }
    const options = points.options(ready, next);
    if (options.length < 2) return points.answer(0);
    const index = pick(options, taken.length);
    taken.push(index);
    seen.push(options);
    schedule.push(options[index]!);
    return points.answer(index);
  } });
  try {
    run.run();
  } catch (error) {
    return { schedule, taken, options: seen, threw: { error } };
  } finally {
    stop();
  }
  message ??= run.check();
  return message === undefined ? { schedule, taken, options: seen } : { schedule, taken, options: seen, message, failedAt: failedAt ?? taken.length };
};

/**
 * The picks of a choice sequence: `choices[k] % options` at the k-th choice
 * point, the first option (FIFO) past its end. @internal
 */
export const pickChoices =
  (choices: readonly number[]): Pick =>
  (options, point) =>
    point < choices.length ? choices[point]! % options.length : 0;

/**
 * The canonical sequence for a run: the index it took at each choice point,
 * trailing FIFO picks dropped (past the end of a sequence is FIFO), so
 * replaying it takes the same picks (up to `end`). @internal
 */
export const canonicalChoices = (taken: readonly number[], upTo = taken.length): number[] => {
  let end = Math.min(upTo, taken.length);
  while (end > 0 && taken[end - 1] === 0) end--;
  return taken.slice(0, end);
};
