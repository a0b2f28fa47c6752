import { SystemConfigError } from '../system/errors';
import { ExploreTimeLimitError } from './ExploreTimeLimitError';
import type { ExploreResult, Schedule } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import type { SchedulePart } from './partitionSchedules';

/**
 * Where the worker's code is: next to this module in the built package
 * (`dist/exploreWorker.js`); from the TypeScript sources, a shim that loads
 * the `.ts` file through tsx.
 */
const workerFile = (): string => {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./exploreWorker.shim.mjs', here).href : new URL('./exploreWorker.js', here).href;
};

/** Checks the thread count and split depth of a parallel explorer. @internal */
export const checkParallel = (workers: number, splitDepth: number, what: string): void => {
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 256) {
    throw new SystemConfigError(workers, 'must be a whole number from 1 to 256', `${what}(workers)`);
  }
  if (!Number.isSafeInteger(splitDepth) || splitDepth < 1 || splitDepth > 16) {
    throw new SystemConfigError(splitDepth, 'must be a whole number from 1 to 16', `${what}(splitDepth)`);
  }
};

/**
 * Explores every part: with one worker in this thread (`local`), else on a
 * pool of threads (tinypool) running `task(prefix)`. Results are keyed by
 * the part's order, so merging them does not depend on arrival order.
 * @internal
 */
export const runParts = async (
  parts: readonly SchedulePart[],
  workers: number,
  task: (prefix: Schedule) => ExploreTask,
  local: ((prefix: Schedule) => ExploreResult) | undefined,
  deadlineMillis?: number,
): Promise<Map<number, ExploreResult>> => {
  const results = new Map<number, ExploreResult>();
  if (workers === 1 && local !== undefined) {
    for (const part of parts) results.set(part.order, local(part.prefix));
    return results;
  }
  // Loaded here, not at the top: the package root must load where worker threads do not exist (browsers).
  const { default: Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: workers });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Code that never returns (a user predicate that loops) cannot be stopped from inside its thread:
  // past the deadline the threads are ended, and the run fails with the limit.
  const deadline =
    deadlineMillis === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ExploreTimeLimitError(deadlineMillis)), deadlineMillis);
        });
  try {
    const all = Promise.all(
      parts.map(async (part) => {
        results.set(part.order, (await pool.run(task(part.prefix))) as ExploreResult);
      }),
    );
    await (deadline === undefined ? all : Promise.race([all, deadline]));
  } finally {
    clearTimeout(timer);
    await pool.destroy();
  }
  return results;
};
