import fc from 'fast-check';
import { describeValue } from '../src/shared/describeValue';
import { SystemConfigError } from '../system/errors';
import { checkWindow, type ExploreOptions, type ExplorerRun, type Schedule } from './exploreSchedules';
import { choicePoints } from './choicePoints';

/** Options of {@link sampleSchedules}. */
export interface SampleOptions {
  /** fast-check's seed: the same seed (and system) always gives the same result. */
  readonly seed: number;
  /** Random schedules to try before concluding none breaks the invariant (default 1000). */
  readonly runs?: number;
  /**
   * Longest choice sequence generated (default 256): choice points past it
   * take the normal (FIFO) order.
   */
  readonly maxChoices?: number;
  /** As {@link ExploreOptions.bottomHalfWindow}: a pending bottom half may also be deferred, up to this many ns after its expiry. */
  readonly bottomHalfWindow?: number;
}

/** What {@link sampleSchedules} found. */
export interface SampleResult {
  /** Random schedules run (up to and including the first that broke the invariant; shrinking not counted). */
  readonly runs: number;
  /** The seed used, to reproduce the result. */
  readonly seed: number;
  /** The violation found, shrunk to the choice sequence closest to the normal order. */
  readonly violation?: {
    /** What the invariant said on the shrunk sequence. */
    readonly message: string;
    /** The shrunk sequence: pass it to {@link replayChoices} to run it again. */
    readonly choices: readonly number[];
    /** The labels chosen at each choice point (two or more pieces of work ready) of that run. */
    readonly schedule: Schedule;
  };
}

/** What one run driven by {@link replayChoices} did. */
export interface ReplayResult {
  /** The labels chosen at each choice point (two or more pieces of work ready), in order. */
  readonly schedule: string[];
  /** What the invariant said, the first time it was broken (absent while it held). */
  readonly message?: string;
}

/** One driven run: what it did, the index taken at each choice point the sequence reached, and what it threw. */
interface Driven extends ReplayResult {
  /** The index taken at each choice point that consumed a choice. */
  readonly taken: readonly number[];
  /** Set when the system threw (a bug, not a violation): the run ended there. */
  readonly threw?: { readonly error: unknown };
}

const drive = (build: () => ExplorerRun, choices: readonly number[], window: number): Driven => {
  const run = build();
  const schedule: string[] = [];
  const taken: number[] = [];
  let message: string | undefined;
  const points = choicePoints(window);
  const stop = run.clock.observe({ choose: (ready, next) => {
    message ??= run.check();
    const options = points.options(ready, next);
    if (options.length < 2) return points.answer(0);
    const k = schedule.length;
    const index = k < choices.length ? choices[k]! % options.length : 0;
    if (k < choices.length) taken.push(index);
    schedule.push(options[index]!);
    return points.answer(index);
  } });
  try {
    run.run();
  } catch (error) {
    return { schedule, taken, threw: { error } };
  } finally {
    stop();
  }
  message ??= run.check();
  return message === undefined ? { schedule, taken } : { schedule, message, taken };
};

/**
 * The canonical sequence for the same run: each choice reduced to the index it
 * took, choices the run never reached and trailing FIFO picks dropped.
 */
const canonical = (taken: readonly number[]): number[] => {
  let end = taken.length;
  while (end > 0 && taken[end - 1] === 0) end--;
  return taken.slice(0, end);
};

/** A failing run with its canonical choice sequence. */
interface Failed extends Driven {
  readonly choices: readonly number[];
}

/** Sequences one step closer to FIFO order: one choice dropped, or one choice lowered. */
function* neighbours(choices: readonly number[]): Generator<number[]> {
  for (let i = 0; i < choices.length; i++) yield [...choices.slice(0, i), ...choices.slice(i + 1)];
  for (let i = 0; i < choices.length; i++) for (let v = 0; v < choices[i]!; v++) yield [...choices.slice(0, i), v, ...choices.slice(i + 1)];
}

/**
 * Runs one schedule again from a choice sequence: at the k-th choice point
 * (two or more options at the earliest instant: its ready work in FIFO
 * order, then any deferrals of a pending bottom half, see
 * `bottomHalfWindow`) the clock takes the `choices[k] % options`-th option;
 * past the end of the sequence it takes the first (the normal order). Steps
 * with one option consume no choice. The invariant is checked at every step
 * and at the end, as {@link exploreSchedules} does.
 *
 * Ordering: with `[]` the run keeps G4's same-instant FIFO order; every other
 * sequence is an order G4 excludes, to show which invariants depend on it.
 *
 * ## Example
 * ```ts
 * // three pieces of work due at 10 ns, FIFO order a b c
 * replayChoices(build, [2]);    // runs c, then a b       → schedule ['c', 'a']
 * replayChoices(build, [0, 1]); // runs a, then c, then b → schedule ['a', 'c']
 * ```
 *
 * @param build - makes a fresh run
 * @param choices - the choice sequence, e.g. a {@link SampleResult}'s shrunk `choices`
 * @param bottomHalfWindow - as {@link SampleOptions.bottomHalfWindow}: the window the sequence was sampled with
 * @returns the labels chosen at each choice point, and the invariant's first message if it broke
 * @throws whatever the system throws on that schedule
 * @see {@link sampleSchedules}
 */
export const replayChoices = (build: () => ExplorerRun, choices: readonly number[], bottomHalfWindow = 0): ReplayResult => {
  const { schedule, message, threw } = drive(build, choices, checkWindow(bottomHalfWindow));
  if (threw !== undefined) throw threw.error;
  return message === undefined ? { schedule } : { schedule, message };
};

/**
 * Samples random orders of the work that falls due at the same virtual
 * instant, for systems whose orders are too many for {@link exploreSchedules}
 * to exhaust, and shrinks a violation to the order closest to the normal one.
 *
 * Each run is a fresh `build()` driven by a random choice sequence (see
 * {@link replayChoices}), generated and shrunk by fast-check from `seed`: a
 * failing sequence is shrunk towards fewer and smaller choices, and since
 * choice 0 is the FIFO pick, towards the fewest departures from FIFO order.
 * Because `choice % ready.length` is not monotonic, fast-check alone can stop
 * at `[7]` where `[1]` takes the same pick; so the shrunk sequence is then
 * reduced to the picks it took and polished until neither dropping one choice
 * nor lowering one gives a sequence that still breaks the invariant.
 *
 * An exception thrown by the system is not a violation: sampling ends with an
 * error naming the shrunk choices that throw it (its `cause`).
 *
 * Ordering: it samples exactly what G4 fixes in a normal run (same-instant
 * FIFO order), to show which invariants hold whatever that order is.
 *
 * ## Example
 * ```ts
 * // work due at 10 ns, FIFO order g h a b c d; the invariant: h never runs before g
 * sampleSchedules(build, { seed: 42 });
 * // → { runs: 2, seed: 42, violation: { message: 'h ran before g', choices: [1], schedule: ['h', 'g', 'a', 'b', 'c'] } }
 * ```
 *
 * @param build - makes a fresh run (called once per schedule)
 * @param options - seed, number of runs and longest choice sequence
 * @returns the runs made, the seed, and the shrunk violation if one was found
 * @throws {@link SystemConfigError} when `seed` is not an integer, `runs` not a positive one or `maxChoices` a negative one
 * @see {@link replayChoices}
 * @see {@link exploreSchedules}
 */
export const sampleSchedules = (build: () => ExplorerRun, options: SampleOptions): SampleResult => {
  const { seed } = options;
  const runs = options.runs ?? 1000;
  const maxChoices = options.maxChoices ?? 256;
  const window = checkWindow(options.bottomHalfWindow);
  if (!Number.isSafeInteger(seed)) throw new SystemConfigError(seed, 'must be an integer', 'sampleSchedules(seed)');
  if (!Number.isSafeInteger(runs) || runs < 1) throw new SystemConfigError(runs, 'must be a positive integer', 'sampleSchedules(runs)');
  if (!Number.isSafeInteger(maxChoices) || maxChoices < 0) {
    throw new SystemConfigError(maxChoices, 'must be a non-negative integer', 'sampleSchedules(maxChoices)');
  }

  const property = fc.property(fc.array(fc.nat(), { maxLength: maxChoices }), (choices) => {
    const { message, threw } = drive(build, choices, window);
    return message === undefined && threw === undefined;
  });
  const details = fc.check(property, { seed, numRuns: runs });
  if (!details.failed) return { runs: details.numRuns, seed };
  const shrunk = details.counterexample?.[0];
  if (shrunk === undefined) throw details.errorInstance; // fast-check itself failed, not the property

  /** A failing run (a violation, or the system threw) reduced to its canonical choices; `undefined` when it passed. */
  const attempt = (choices: readonly number[]): Failed | undefined => {
    const driven = drive(build, choices, window);
    if (driven.threw === undefined && driven.message === undefined) return undefined;
    // The canonical sequence takes the same picks, so it is the same run: same message, schedule or error.
    return { ...driven, choices: canonical(driven.taken) };
  };

  let best = attempt(shrunk);
  if (best === undefined) {
    throw new Error(`sampleSchedules: choices [${shrunk.join(', ')}] failed once but not on replay: build() must make the same system every time`);
  }
  // Each accepted candidate is shorter, or as long and lexicographically smaller, so this ends.
  for (let improved = true; improved; ) {
    improved = false;
    for (const candidate of neighbours(best.choices)) {
      const found = attempt(candidate);
      if (found !== undefined) {
        best = found;
        improved = true;
        break;
      }
    }
  }
  const { choices, message, schedule, threw } = best;
  if (threw !== undefined) {
    const what = threw.error instanceof Error ? threw.error.message : describeValue(threw.error);
    throw new Error(`sampleSchedules: the run threw with choices [${choices.join(', ')}]: ${what}`, { cause: threw.error });
  }
  return { runs: details.numRuns, seed, violation: { message: message!, choices, schedule } }; // failed without throwing: a message
};
