/**
 * The parallel explorer as it was before issue 18, rebuilt from its pieces so
 * that the explorer benchmarks measure it in the same process as the new one:
 * the space split at choice point 2 (`partitionSchedules`), every part
 * explored to the whole bound, in this thread for one worker (as the CLI ran
 * it) or all handed at once to a fresh pool of threads, the surplus dropped by
 * `mergeParts`. Only the clock's chooser is the new one (it no longer sorts
 * the whole queue at every step), so this baseline is slightly faster than
 * the old code was.
 */
import { createExplorePool, type ExplorePool } from '../explore/ExplorePool';
import { runOnPool } from '../explore/runParts';
import type { InPartsResult } from '../explore/exploreInParts';
import { exploreSchedules, type ExploreOptions, type ExploreResult, type ExplorerRun, type Schedule } from '../explore/exploreSchedules';
import type { ExploreTask } from '../explore/exploreWorker';
import { mergeParts, partitionSchedules } from '../explore/partitionSchedules';
import { runPartsEagerly } from '../explore/runParts';
import { partControlBlock } from '../explore/sharedPartControl';

/** One measured search: its result, wall time and the runs (systems built and run) it cost. */
export interface Measured {
  readonly result: ExploreResult;
  readonly ms: number;
  readonly runs: number;
  /** With `stats`: the parts as they ran (see `InPartsResult.timeline`). */
  readonly timeline?: InPartsResult['timeline'];
}

/** What a search needs to run either way. */
export interface Search {
  readonly build: () => ExplorerRun;
  /** The options of the whole search (bound, reduction, span…). */
  readonly options: ExploreOptions;
  /** The task a thread explores for a part. */
  readonly task: (prefix: Schedule) => ExploreTask;
}

const runsOf = (r: ExploreResult): number => r.schedules + r.pruned;

/** The search the old way, with 1 or more workers (on `pool` when given, else on a fresh one, as it was). */
export const before = async (search: Search, workers: number, pool?: ExplorePool): Promise<Measured> => {
  const t0 = performance.now();
  const { maxSchedules: _bound, ...splitOptions } = search.options;
  const partition = partitionSchedules(search.build, 2, splitOptions);
  let results: Map<number, ExploreResult>;
  if (workers === 1) {
    results = new Map(partition.parts.map((p) => [p.order, exploreSchedules(search.build, { ...search.options, prefix: p.prefix })]));
  } else {
    const threads = pool ?? createExplorePool(workers);
    try {
      results = await runPartsEagerly(partition.parts, threads, search.task);
    } finally {
      if (pool === undefined) await threads.destroy();
    }
  }
  const result = mergeParts(partition, results, search.options.maxSchedules);
  const ms = performance.now() - t0;
  // Every outcome of the split is a run (`X`: one stopped at the split point).
  return { result, ms, runs: partition.outcomes.length + [...results.values()].reduce((n, r) => n + runsOf(r), 0) };
};

/** The search the new way: one worker is the plain search in this thread; more run in parts (on `pool` when given, else on a fresh one). */
export const after = async (search: Search, workers: number, pool?: ExplorePool, stats = false): Promise<Measured> => {
  const t0 = performance.now();
  if (workers === 1) {
    const result = exploreSchedules(search.build, search.options);
    return { result, ms: performance.now() - t0, runs: runsOf(result) };
  }
  const { result, runs, timeline } = await runOnPool({
    pool,
    workers,
    maxSchedules: search.options.maxSchedules ?? 10_000,
    task: search.task,
    stats,
  });
  return { result, ms: performance.now() - t0, runs, ...(timeline === undefined ? {} : { timeline }) };
};

/** Schedules per second of a measured search. */
export const rate = (m: Measured): number => m.result.schedules / (m.ms / 1000);

/**
 * A pool of `workers` threads that have loaded the simulation and set up
 * this search (a first part run on each), so that what is measured on it is
 * the search, not the threads' start (which, from the TypeScript sources,
 * includes compiling them). With `on`, warms that pool for this search too.
 * @returns the pool and how long warming it took (ms)
 */
export const warmPool = async (search: Search, workers: number, on?: ExplorePool): Promise<{ readonly pool: ExplorePool; readonly ms: number }> => {
  const t0 = performance.now();
  const pool = on ?? createExplorePool(workers);
  // One schedule each (a bound of 1): enough to load and set up, not to explore.
  await Promise.all(Array.from({ length: workers }, () => pool.run({ ...search.task([]), control: partControlBlock(1).buffer })));
  return { pool, ms: performance.now() - t0 };
};
