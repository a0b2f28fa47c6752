import { raceExplorer, type ExploreRaceOptions, type ExploreRaceResult } from './exploreRace';
import type { ExplorePool } from './ExplorePool';
import { exploreSchedules, type Schedule } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import { checkLead, checkParallel, runOnPool } from './runParts';

/** Options of {@link exploreRaceParallel}: those of `exploreRace`, plus the threads. */
export interface ExploreRaceParallelOptions extends ExploreRaceOptions {
  /** Worker threads (default 2). 1 runs the search in this thread. Ignored with `pool` (its threads count). */
  readonly workers?: number;
  /**
   * Checked (a whole number from 1 to 16) but no longer used: parts are split off as threads run out of work.
   * @deprecated since issue 18: the space is split on demand; to be removed at the next major version.
   */
  readonly splitDepth?: number;
  /** Threads to run on, kept warm between searches (see {@link createExplorePool}); not ended here. */
  readonly pool?: ExplorePool;
  /**
   * Lazy threads: the search first runs in this thread, and only one that
   * outlives this many ms of CPU time (which a busy machine does not
   * stretch) starts the threads (they set up the search while
   * it runs on, then explore the rest), so a short search costs no thread
   * start. Used when `pool` has not started its threads (a pool one lazy
   * search started stays warm for the next). The results are the same either
   * way. Default 0: threads from the start.
   */
  readonly leadMillis?: number;
}

/**
 * {@link exploreRace} on worker threads. The search starts as one part; a
 * thread that runs out of work has the earliest running part hand back the
 * rest of its space, so parts are handed out in exploration order, as they
 * are needed. A bounded search shares its bound: each part runs with what
 * the finished parts before it left, so no thread runs schedules the result
 * cannot use (beyond each thread's current run when the search ends). The
 * results are merged in exploration order: the verdict, the counts and the
 * first counterexample are exactly those of the single-threaded
 * `exploreRace` (tested).
 *
 * Ordering: as `exploreRace`.
 *
 * With `reduce: 'dpor'` the search runs on the calling thread (its space
 * cannot be split into parts) and `workers` and `pool` are not used.
 *
 * @param options - as `exploreRace`, plus `workers` or `pool`
 * @returns the same result `exploreRace` returns
 * @throws SystemConfigError for a bad `workers` or `splitDepth`, and as `exploreRace`
 */
export const exploreRaceParallel = async (options: ExploreRaceParallelOptions): Promise<ExploreRaceResult> => {
  const { workers = 2, splitDepth = 2, pool, leadMillis = 0, ...race } = options;
  checkParallel(workers, splitDepth, 'exploreRaceParallel');
  checkLead(leadMillis, 'exploreRaceParallel(leadMillis)');
  const explorer = raceExplorer(race);
  const reduce = race.reduce === undefined ? {} : { reduce: race.reduce };
  const maxSchedules = race.maxSchedules ?? 10_000;
  // DPOR's source sets grow as the search goes, so its space cannot be cut into parts: it runs here.
  if (race.reduce === 'dpor' || (pool === undefined && workers === 1)) return explorer.withTrace(exploreSchedules(explorer.build, { ...reduce, maxSchedules }));
  const task = (prefix: Schedule): ExploreTask => ({ kind: 'race', options: race, prefix });
  const { result } = await runOnPool({ pool, workers, maxSchedules, task, lead: { build: explorer.build, options: { ...reduce, maxSchedules }, leadMillis } });
  return explorer.withTrace(result);
};
