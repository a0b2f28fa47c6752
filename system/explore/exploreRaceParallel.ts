import { SystemConfigError } from '../errors';
import { raceExplorer, type ExploreRaceOptions, type ExploreRaceResult } from './exploreRace';
import type { ExploreResult } from './exploreSchedules';
import { mergeParts, partitionSchedules } from './partitionSchedules';
import type { RaceTask } from './raceWorker';

/** Options of {@link exploreRaceParallel}: those of `exploreRace`, plus the threads. */
export interface ExploreRaceParallelOptions extends ExploreRaceOptions {
  /** Worker threads (default 2). 1 runs the parts in this thread, through the same split and merge. */
  readonly workers?: number;
  /** The choice point at which the space is split into parts (default 2: one part per pair of first choices). */
  readonly splitDepth?: number;
}

/**
 * Where the worker's code is: next to this module in the built package
 * (`dist/raceWorker.js`); from the TypeScript sources, a shim that loads the
 * `.ts` file through tsx.
 */
const workerFile = (): string => {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./raceWorker.shim.mjs', here).href : new URL('./raceWorker.js', here).href;
};

/**
 * {@link exploreRace} on worker threads: the space is split at a choice point
 * into parts (each a prefix of choices), the parts run on a pool of threads
 * (tinypool), and their results are merged in exploration order, not arrival
 * order. The verdict, the counts and the first counterexample are therefore
 * exactly those of the single-threaded `exploreRace` (tested).
 *
 * Ordering: as `exploreRace`.
 *
 * @param options - as `exploreRace`, plus `workers` and `splitDepth`
 * @returns the same result `exploreRace` returns
 * @throws SystemConfigError for a bad `workers` or `splitDepth`, and as `exploreRace`
 */
export const exploreRaceParallel = async (options: ExploreRaceParallelOptions): Promise<ExploreRaceResult> => {
  const { workers = 2, splitDepth = 2, ...race } = options;
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 256) {
    throw new SystemConfigError(workers, 'must be a whole number from 1 to 256', 'exploreRaceParallel(workers)');
  }
  if (!Number.isSafeInteger(splitDepth) || splitDepth < 1 || splitDepth > 16) {
    throw new SystemConfigError(splitDepth, 'must be a whole number from 1 to 16', 'exploreRaceParallel(splitDepth)');
  }
  const explorer = raceExplorer(race);
  const reduce = race.reduce === undefined ? {} : { reduce: race.reduce };
  const partition = partitionSchedules(explorer.build, splitDepth, reduce);
  const results = new Map<number, ExploreResult>();
  if (workers === 1) {
    const run = (await import('./raceWorker')).default;
    for (const part of partition.parts) results.set(part.order, run({ options: race, prefix: part.prefix }));
  } else {
    // Loaded here, not at the top: the package root must load where worker threads do not exist (browsers).
    const { default: Tinypool } = await import('tinypool');
    const pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: workers });
    try {
      await Promise.all(
        partition.parts.map(async (part) => {
          const task: RaceTask = { options: race, prefix: part.prefix };
          results.set(part.order, (await pool.run(task)) as ExploreResult);
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  return explorer.withTrace(mergeParts(partition, results, race.maxSchedules));
};
