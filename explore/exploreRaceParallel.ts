import { raceExplorer, type ExploreRaceOptions, type ExploreRaceResult } from './exploreRace';
import { exploreSchedules, type Schedule } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import { mergeParts, partitionSchedules } from './partitionSchedules';
import { checkParallel, runParts } from './runParts';

/** Options of {@link exploreRaceParallel}: those of `exploreRace`, plus the threads. */
export interface ExploreRaceParallelOptions extends ExploreRaceOptions {
  /** Worker threads (default 2). 1 runs the parts in this thread, through the same split and merge. */
  readonly workers?: number;
  /** The choice point at which the space is split into parts (default 2: one part per pair of first choices). */
  readonly splitDepth?: number;
}

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
  checkParallel(workers, splitDepth, 'exploreRaceParallel');
  const explorer = raceExplorer(race);
  const reduce = race.reduce === undefined ? {} : { reduce: race.reduce };
  const partition = partitionSchedules(explorer.build, splitDepth, reduce);
  const part = (prefix: Schedule): ExploreTask => ({ kind: 'race', options: race, prefix });
  const bound = race.maxSchedules === undefined ? {} : { maxSchedules: race.maxSchedules };
  // In this thread, the same search a worker makes for its part (explorePart).
  const results = await runParts(partition.parts, workers, part, (prefix) => exploreSchedules(explorer.build, { prefix, ...reduce, ...bound }));
  return explorer.withTrace(mergeParts(partition, results, race.maxSchedules));
};
