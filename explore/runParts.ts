import { SystemConfigError } from '../system/errors';
import { checkThreads, createExplorePool, type ExplorePool } from './ExplorePool';
import { exploreInParts, type InPartsResult } from './exploreInParts';
import type { ExploreResult, Schedule } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import type { SchedulePart } from './partitionSchedules';

/** Checks the thread count and split depth of a parallel explorer. @internal */
export const checkParallel = (workers: number, splitDepth: number, what: string): void => {
  checkThreads(workers, `${what}(workers)`);
  if (!Number.isSafeInteger(splitDepth) || splitDepth < 1 || splitDepth > 16) {
    throw new SystemConfigError(splitDepth, 'must be a whole number from 1 to 16', `${what}(splitDepth)`);
  }
};

/** How {@link runOnPool} runs a search. @internal */
export interface OnPoolOptions {
  /** The pool to use; without it one of `workers` threads is started and ended. */
  readonly pool: ExplorePool | undefined;
  readonly workers: number;
  readonly maxSchedules: number;
  readonly maxMillis?: number;
  /** The task for a part (its prefix; the control is added here). */
  readonly task: (prefix: Schedule) => ExploreTask;
}

/**
 * Runs a search in parts on a pool of threads (see `exploreInParts`): the
 * given pool, or one started for this search and ended after it.
 * @internal
 */
export const runOnPool = async (options: OnPoolOptions): Promise<InPartsResult> => {
  const pool = options.pool ?? createExplorePool(options.workers);
  try {
    return await exploreInParts({
      maxSchedules: options.maxSchedules,
      ...(options.maxMillis === undefined ? {} : { maxMillis: options.maxMillis }),
      concurrency: pool.threads,
      spans: pool.spans === true,
      run: (part, control, maxMillis, handOff) =>
        pool.run(
          {
            ...options.task(part.prefix),
            control: control.buffer,
            ...(part.fixed === undefined ? {} : { fixed: part.fixed }),
            ...(part.end === undefined ? {} : { end: part.end }),
            ...(maxMillis === undefined ? {} : { maxMillis }),
          },
          handOff,
        ),
    });
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
};

/**
 * The parallel path before issue 18, kept as the baseline its benchmark
 * measures against in the same process: every part of a static partition
 * handed to the pool at once, each explored to the whole bound (the surplus
 * is dropped by `mergeParts`). Results are keyed by the part's order.
 * @internal
 */
export const runPartsEagerly = async (parts: readonly SchedulePart[], pool: ExplorePool, task: (prefix: Schedule) => ExploreTask): Promise<Map<number, ExploreResult>> => {
  const results = new Map<number, ExploreResult>();
  await Promise.all(
    parts.map(async (part) => {
      results.set(part.order, await pool.run(task(part.prefix)));
    }),
  );
  return results;
};
