import { describeValue } from '../../src/shared/describeValue';
import { SystemConfigError } from '../../system/errors';
import { checkWindow, type ExplorerRun, type Schedule } from '../exploreSchedules';
import { canonicalChoices, driveRun, type DriveSpan, type Driven, type Pick } from './driveRun';
import { pctPicker } from './pctPicker';
import { seededRandom } from './seededRandom';
import { shrinkChoices } from './shrinkChoices';

/** The random strategies of {@link exploreRandom}. */
export type RandomStrategy = 'random' | 'pct';

/** Every {@link RandomStrategy}. */
export const RANDOM_STRATEGIES: readonly RandomStrategy[] = Object.freeze(['random', 'pct']);

/** Options of {@link exploreRandom}. */
export interface RandomExploreOptions {
  /**
   * `random`: each choice uniform among its options; `pct`: probabilistic
   * concurrency testing (random priorities and `depth - 1` change points).
   */
  readonly strategy: RandomStrategy;
  /** The seed (any safe integer): the same seed and system always give the same runs and result. */
  readonly seed: number;
  /** Runs to make before concluding that none breaks the invariant (default 1000). */
  readonly runs?: number;
  /** `pct` only: the bug depth d searched for, at least 1 (default 2): d - 1 priority change points per run. */
  readonly depth?: number;
  /**
   * `pct` only: k, the choice points a run has, if known (an upper bound
   * keeps the guarantee). Default: estimated, as the most choice points seen
   * in any run so far, starting from one run in the normal order.
   */
  readonly steps?: number;
  /** As `ExploreOptions.bottomHalfWindow`: a pending bottom half may also be deferred, up to this many ns after its expiry. */
  readonly bottomHalfWindow?: number;
  /** As `ExploreOptions.from`: instants before it (ns) run in the normal order and have no choice points. */
  readonly from?: number;
  /** Stop starting runs after this much wall-clock time (ms): then how many runs are made depends on the machine. */
  readonly maxMillis?: number;
  /** Most runs spent shrinking a violation (default 1000): the smallest failing sequence by then is reported. */
  readonly maxShrinkRuns?: number;
}

/**
 * The PCT guarantee for what a search saw: a run finds a bug of depth `depth`
 * with probability at least `bound` = 1 / (n · k^(depth - 1)).
 */
export interface PctGuarantee {
  /** The depth d searched for. */
  readonly depth: number;
  /** n: the most distinct pieces of work (option labels) competing at the choice points of one run. */
  readonly n: number;
  /** k: the most choice points in one run (or `steps` when given and larger). */
  readonly k: number;
  /** 1 / (n · k^(d - 1)): the least probability that one run finds a given bug of depth d. */
  readonly bound: number;
  /**
   * Runs that had more choice points than the estimate their change points
   * were drawn from (later points could not be change points): for those the
   * bound is not guaranteed. 0 when `steps` is a true upper bound.
   */
  readonly overSteps: number;
}

/** A failing run as a random strategy found it, before shrinking. */
export interface FoundRun {
  /** What the invariant said (or what the system threw). */
  readonly message: string;
  /** Its choice sequence: the index taken at each choice point, trailing FIFO picks dropped. */
  readonly choices: readonly number[];
  /** The labels chosen at each of its choice points, up to the one at which the invariant was seen broken. */
  readonly schedule: Schedule;
}

/** A violation found by {@link exploreRandom}, shrunk. */
export interface RandomViolation {
  /** What the invariant said on the shrunk run. */
  readonly message: string;
  /** The shrunk choice sequence: `replayChoices(build, choices, { bottomHalfWindow, from })` runs it again. */
  readonly choices: readonly number[];
  /**
   * The labels chosen at each choice point of the shrunk run up to the one
   * at which the invariant was seen broken (what `replaySchedule` takes;
   * past it, replays take the FIFO pick).
   */
  readonly schedule: Schedule;
  /** Which run found it (1 = the first). */
  readonly run: number;
  /** The run as found, before shrinking (its `choices` are at least as long as the shrunk ones). */
  readonly found: FoundRun;
  /** Runs spent shrinking. */
  readonly shrinkRuns: number;
}

/** What {@link exploreRandom} found. */
export interface RandomExploreResult {
  /** The strategy used. */
  readonly strategy: RandomStrategy;
  /** The seed used, to reproduce the result. */
  readonly seed: number;
  /** Runs made, up to and including the first that broke the invariant (shrinking and PCT's normal-order run not counted). */
  readonly runs: number;
  /** Set when `maxMillis` ended the search. */
  readonly timedOut?: true;
  /** `pct` only: the guarantee's bound for the n and k observed. */
  readonly pct?: PctGuarantee;
  /** The first violation, shrunk. */
  readonly violation?: RandomViolation;
}

/**
 * Checks an invariant on random orders of the work that falls due at the
 * same virtual instant, for systems whose orders are too many for
 * `exploreSchedules` to exhaust; a violation is shrunk towards the normal
 * order and reported with a choice sequence that replays it.
 *
 * A choice point is a step of the explored span with two or more options:
 * the work ready at the earliest instant (in FIFO order) and, with a
 * bottom-half window, each deferral of a pending bottom half (as
 * `exploreSchedules` names them). Each run is a fresh `build()`.
 *
 * Strategies:
 * - `random` (uniform sampling): at every choice point, independently, each
 *   of its m options is taken with probability exactly 1/m. This is uniform
 *   per choice, not over whole schedules: a schedule's probability is the
 *   product of 1/m over its choice points.
 * - `pct` (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A randomized
 *   scheduler with probabilistic guarantees of finding bugs", ASPLOS 2010).
 *   The "threads" are the pieces of work competing at choice points, one per
 *   option label: a timer's expiries (`ptimer '<timer>' expiry`), a guest's
 *   steps (`guest:<name>`), a timer's bottom halves (`bottom-half '<timer>'`)
 *   and, with a window, deferring one (`defer bottom-half '<timer>'`).
 *   Each gets a random priority (a uniform random order of all of them);
 *   d - 1 change points are drawn among the choice points 1..k, distinct and
 *   uniform; at each choice point the option of highest priority runs, and
 *   at the i-th change point the option that would run is first lowered to
 *   priority i, below all initial ones. Here n is the number of distinct
 *   option labels at the choice points of a run, and k the number of its
 *   choice points (steps with a single option cannot order anything, so they
 *   are not counted). The guarantee follows as in the paper: a bug that
 *   shows once d ordering constraints between pieces of work hold (depth d)
 *   is found by one run with probability at least 1 / (n · k^(d-1)): the
 *   piece of work that must go first has the top priority with probability
 *   1/n, and each of the other d - 1 constraints holds when its change point
 *   lands on its choice point, probability at least 1/k each. k is taken
 *   from `steps` or estimated (the most choice points of any run so far,
 *   starting from a normal-order run that is made only to count and is not
 *   checked); the result gives the bound for the largest n and k observed,
 *   and counts the runs whose k exceeded their estimate (`overSteps`).
 *
 * Seeded and repeatable: run r draws from its own stream of a PRNG seeded
 * by `(seed, r)` (never `Math.random` or the wall clock), so the same seed
 * and system give the same runs, violation and shrunk sequence.
 *
 * Shrinking (deterministic): from the failing run's choice sequence (the
 * index taken at each choice point, 0 the FIFO pick, cut at the point where
 * the invariant was seen broken), it tries prefixes, then chunks set to FIFO
 * picks (which also drops deferrals, the last options) or dropped, then
 * single choices dropped, moved earlier or lowered, keeping a candidate only
 * when it still fails and is smaller (shorter, or as long and
 * lexicographically smaller): the result is never longer than the run found.
 *
 * An exception thrown by the system is not a violation: the search ends with
 * an error naming the shrunk choices that throw it (its `cause`).
 *
 * Ordering: it samples exactly what G4 fixes in a normal run (same-instant
 * FIFO order), to show which invariants hold whatever that order is.
 *
 * ## Example
 * ```ts
 * // work due at 10 ns, FIFO order g a b c d h; the invariant: h never runs before g
 * exploreRandom(build, { strategy: 'pct', seed: 1, runs: 100, depth: 1 });
 * // → { strategy: 'pct', seed: 1, runs: 2, pct: { depth: 1, n: 6, k: 5, bound: 1/6, overSteps: 0 },
 * //     violation: { message: 'h ran before g', choices: [5], schedule: ['guest:h'], run: 2,
 * //                  found: { choices: [4, 4], schedule: ['guest:d', 'guest:h'], ... }, shrinkRuns: ... } }
 * ```
 *
 * @param build - makes a fresh run (called once per run, and per shrinking step)
 * @param options - strategy, seed, runs, depth and span
 * @returns the runs made, the seed, PCT's bound, and the shrunk violation if one was found
 * @throws {@link SystemConfigError} for an unknown strategy, a seed that is not a safe integer, runs, depth or steps that are not positive integers, or depth or steps with `random`
 * @see {@link replayChoices}
 * @see {@link sampleSchedules}
 */
export const exploreRandom = (build: () => ExplorerRun, options: RandomExploreOptions): RandomExploreResult => {
  const checked = checkRandomOptions(options, 'exploreRandom');
  const { strategy, seed, runs, depth } = checked;
  const span: DriveSpan = { window: checked.window, from: checked.from };
  const startedAt = options.maxMillis === undefined ? 0 : performance.now();

  let n = 0;
  let k = 0;
  let estimate = checked.steps ?? 0;
  let overSteps = 0;
  /** Notes n and k of a run. */
  const count = (driven: Driven): void => {
    k = Math.max(k, driven.options.length);
    n = Math.max(n, new Set(driven.options.flat()).size);
  };
  if (strategy === 'pct' && checked.steps === undefined) {
    const normal = driveRun(build, () => 0, span);
    count(normal);
    estimate = k;
  }

  let made = 0;
  let failed: Driven | undefined;
  let timedOut = false;
  while (made < runs) {
    if (options.maxMillis !== undefined && made > 0 && performance.now() - startedAt >= options.maxMillis) {
      timedOut = true;
      break;
    }
    made++;
    const random = seededRandom(seed, made);
    const steps = Math.max(estimate, 1);
    const pick: Pick = strategy === 'random' ? (options) => random.below(options.length) : pctPicker(random, depth, steps).pick;
    const driven = driveRun(build, pick, span);
    count(driven);
    if (driven.options.length > steps) overSteps++;
    if (checked.steps === undefined) estimate = Math.max(estimate, driven.options.length);
    if (driven.message !== undefined || driven.threw !== undefined) {
      failed = driven;
      break;
    }
  }

  const pct = strategy === 'pct' ? guarantee(depth, n, Math.max(k, checked.steps ?? 0), overSteps) : undefined;
  const base: RandomExploreResult = { strategy, seed, runs: made, ...(timedOut ? { timedOut: true as const } : {}), ...(pct === undefined ? {} : { pct }) };
  if (failed === undefined) return base;

  const choices = canonicalChoices(failed.taken, failed.failedAt);
  const { best, attempts } = shrinkChoices(build, { ...failed, choices }, span, checked.maxShrinkRuns);
  if (best.threw !== undefined) {
    const what = best.threw.error instanceof Error ? best.threw.error.message : describeValue(best.threw.error);
    throw new Error(`exploreRandom: run ${made} (seed ${seed}, ${strategy}) threw; shrunk, the choices [${best.choices.join(', ')}] throw: ${what}`, { cause: best.threw.error });
  }
  // A run that failed without throwing has a message, and so has a smaller one that fails the same way.
  const violation: RandomViolation = {
    message: best.message!,
    choices: [...best.choices],
    schedule: best.schedule.slice(0, best.failedAt),
    run: made,
    found: { message: failed.message ?? `threw: ${describeValue(failed.threw?.error)}`, choices, schedule: failed.schedule.slice(0, failed.failedAt) },
    shrinkRuns: attempts,
  };
  return { ...base, violation };
};

const guarantee = (depth: number, n: number, k: number, overSteps: number): PctGuarantee => {
  // With no choice point (one schedule only) every run is that schedule: bound 1.
  const bound = n < 2 || k < 1 ? 1 : 1 / (n * k ** (depth - 1));
  return { depth, n, k, bound, overSteps };
};

/** The options of a random search, checked. @internal */
export interface CheckedRandomOptions {
  readonly strategy: RandomStrategy;
  readonly seed: number;
  readonly runs: number;
  readonly depth: number;
  readonly steps: number | undefined;
  readonly window: number;
  readonly from: number;
  readonly maxShrinkRuns: number;
}

/**
 * Checks the options of a random search, naming them after `where`
 * (`exploreRandom(runs)`, ...). @internal
 */
export const checkRandomOptions = (options: RandomExploreOptions, where: string): CheckedRandomOptions => {
  const { strategy, seed } = options;
  if (!(RANDOM_STRATEGIES as readonly unknown[]).includes(strategy)) throw new SystemConfigError(strategy, "must be 'random' or 'pct'", `${where}(strategy)`);
  if (!Number.isSafeInteger(seed)) throw new SystemConfigError(seed, 'must be an integer', `${where}(seed)`);
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v < 1) throw new SystemConfigError(v, 'must be a positive integer', `${where}(${name})`);
    return v;
  };
  if (strategy === 'random') {
    if (options.depth !== undefined) throw new SystemConfigError(options.depth, "applies to strategy 'pct' only", `${where}(depth)`);
    if (options.steps !== undefined) throw new SystemConfigError(options.steps, "applies to strategy 'pct' only", `${where}(steps)`);
  }
  const from = options.from ?? 0;
  if (!Number.isSafeInteger(from) || from < 0) throw new SystemConfigError(from, 'must be a whole, non-negative number of ns', `${where}(from)`);
  const maxMillis = options.maxMillis;
  if (maxMillis !== undefined && !(maxMillis > 0)) throw new SystemConfigError(maxMillis, 'must be a positive number of ms', `${where}(maxMillis)`);
  return {
    strategy,
    seed,
    runs: positive(options.runs, 1000, 'runs'),
    depth: positive(options.depth, 2, 'depth'),
    steps: options.steps === undefined ? undefined : positive(options.steps, 1, 'steps'),
    window: checkWindow(options.bottomHalfWindow),
    from,
    maxShrinkRuns: positive(options.maxShrinkRuns, 1000, 'maxShrinkRuns'),
  };
};
