import fc from 'fast-check';
import { describeValue } from '../src/shared/describeValue';
import { SystemConfigError } from '../system/errors';
import { checkWindow, type ExploreOptions, type ExplorerRun, type Schedule } from './exploreSchedules';
import { driveRun, pickChoices } from './strategies/driveRun';
import { failingRun, shrinkChoices } from './strategies/shrinkChoices';

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

/** Where the choice points of a sequence are: the options it was found with. */
export interface ReplayOptions {
  /** As {@link ExploreOptions.bottomHalfWindow} (default 0). */
  readonly bottomHalfWindow?: number;
  /** As {@link ExploreOptions.from}: instants before it run in the normal order and have no choice points (default 0). */
  readonly from?: number;
}

/** What one run driven by {@link replayChoices} did. */
export interface ReplayResult {
  /** The labels chosen at each choice point (two or more pieces of work ready), in order. */
  readonly schedule: string[];
  /** What the invariant said, the first time it was broken (absent while it held). */
  readonly message?: string;
}

/**
 * Runs one schedule again from a choice sequence: at the k-th choice point
 * (two or more options at the earliest instant: its ready work in FIFO
 * order, then any deferrals of a pending bottom half, see
 * `bottomHalfWindow`; from `from` on) the clock takes the `choices[k] % options`-th option;
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
 * @param options - the bottom-half window and start of the explored span the sequence was found with (a number: the window alone, as before)
 * @returns the labels chosen at each choice point, and the invariant's first message if it broke
 * @throws whatever the system throws on that schedule
 * @see {@link sampleSchedules}
 * @see {@link exploreRandom}
 */
export const replayChoices = (build: () => ExplorerRun, choices: readonly number[], options: number | ReplayOptions = 0): ReplayResult => {
  const { bottomHalfWindow, from = 0 } = typeof options === 'number' ? { bottomHalfWindow: options } : options;
  if (!Number.isSafeInteger(from) || from < 0) throw new SystemConfigError(from, 'must be a whole, non-negative number of ns', 'replayChoices(from)');
  const { schedule, message, threw } = driveRun(build, pickChoices(choices), { window: checkWindow(bottomHalfWindow), from });
  if (threw !== undefined) throw threw.error;
  return message === undefined ? { schedule: [...schedule] } : { schedule: [...schedule], message };
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

  const span = { window, from: 0 };
  const property = fc.property(fc.array(fc.nat(), { maxLength: maxChoices }), (choices) => {
    const { message, threw } = driveRun(build, pickChoices(choices), span);
    return message === undefined && threw === undefined;
  });
  const details = fc.check(property, { seed, numRuns: runs });
  if (!details.failed) return { runs: details.numRuns, seed };
  const shrunk = details.counterexample?.[0];
  if (shrunk === undefined) throw details.errorInstance; // fast-check itself failed, not the property

  const failed = failingRun(build, shrunk, span);
  if (failed === undefined) {
    throw new Error(`sampleSchedules: choices [${shrunk.join(', ')}] failed once but not on replay: build() must make the same system every time`);
  }
  const { choices, message, schedule, threw } = shrinkChoices(build, failed, span, SHRINK_ATTEMPTS).best;
  if (threw !== undefined) {
    const what = threw.error instanceof Error ? threw.error.message : describeValue(threw.error);
    throw new Error(`sampleSchedules: the run threw with choices [${choices.join(', ')}]: ${what}`, { cause: threw.error });
  }
  return { runs: details.numRuns, seed, violation: { message: message!, choices: [...choices], schedule: [...schedule] } }; // failed without throwing: a message
};

/** Most runs spent shrinking fast-check's counterexample further. */
const SHRINK_ATTEMPTS = 10_000;
