import { SystemConfigError } from '../system/errors';
import { checkThreads, createExplorePool, type ExplorePool } from './ExplorePool';
import { exploreInParts, type InPartsResult } from './exploreInParts';
import { exploreSchedules, type ExploreOptions, type ExploreResult, type ExplorerRun, type Schedule } from './exploreSchedules';
import { partControlBlock, sharedPartControl } from './sharedPartControl';
import type { ExploreTask } from './exploreWorker';
import type { SchedulePart } from './partitionSchedules';

/** Checks the thread count and split depth of a parallel explorer. @internal */
export const checkParallel = (workers: number, splitDepth: number, what: string): void => {
  checkThreads(workers, `${what}(workers)`);
  if (!Number.isSafeInteger(splitDepth) || splitDepth < 1 || splitDepth > 16) {
    throw new SystemConfigError(splitDepth, 'must be a whole number from 1 to 16', `${what}(splitDepth)`);
  }
};

/** Checks a lead time (a whole, non-negative number of ms). @internal */
export const checkLead = (leadMillis: number, what: string): void => {
  if (!Number.isSafeInteger(leadMillis) || leadMillis < 0) throw new SystemConfigError(leadMillis, 'must be a whole, non-negative number of ms', what);
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
  /**
   * With `leadMillis` above 0 and a pool whose threads have not started: the
   * search in this thread (`build`, `options` as for `exploreSchedules`)
   * runs first. Past `leadMillis` of CPU time it starts the threads, which set up the
   * search while it runs on; once one has, it stops and the threads explore
   * the rest. A search over sooner starts no thread.
   */
  readonly lead?: { readonly build: () => ExplorerRun; readonly options: ExploreOptions; readonly leadMillis: number };
  /** Measure every part (`ExploreTask.stats`) and note the timeline (`InPartsResult.timeline`): benchmarks. */
  readonly stats?: boolean;
}

/**
 * Runs a search in parts on a pool of threads (see `exploreInParts`): the
 * given pool, or one started for this search and ended after it.
 * @internal
 */
export const runOnPool = async (options: OnPoolOptions): Promise<InPartsResult> => {
  const pool = options.pool ?? createExplorePool(options.workers);
  const lead = options.lead !== undefined && options.lead.leadMillis > 0 && pool.started !== true && pool.prepare !== undefined ? options.lead : undefined;
  try {
    if (lead !== undefined) await pool.prepare!(); // so that the threads can be started from inside the search below
    let first = lead !== undefined;
    return await exploreInParts({
      maxSchedules: options.maxSchedules,
      ...(options.maxMillis === undefined ? {} : { maxMillis: options.maxMillis }),
      concurrency: pool.threads,
      spans: pool.spans === true,
      ...(options.stats === true ? { timeline: true } : {}),
      run: (part, control, maxMillis, handOff) => {
        if (first) {
          first = false;
          return Promise.resolve(leadPart(lead!, pool, options.task, control.buffer, maxMillis));
        }
        return pool.run(
          {
            ...options.task(part.prefix),
            control: control.buffer,
            ...(part.fixed === undefined ? {} : { fixed: part.fixed }),
            ...(part.end === undefined ? {} : { end: part.end }),
            ...(maxMillis === undefined ? {} : { maxMillis }),
            ...(options.stats === true ? { stats: true } : {}),
          },
          handOff,
        );
      },
    });
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
};

/**
 * The whole search in this thread, as the first part: past `leadMillis` it
 * gives every thread a first task (a bound of 0: set up, run one schedule),
 * dispatched at once though this thread is busy, and once one of them has
 * run it, it stops and hands back the rest (explored on the threads).
 */
const leadPart = (lead: NonNullable<OnPoolOptions['lead']>, pool: ExplorePool, task: (prefix: Schedule) => ExploreTask, buffer: SharedArrayBuffer, maxMillis: number | undefined): ExploreResult => {
  const shared = sharedPartControl(buffer);
  const spent = cpuMillis();
  const warming: ReturnType<typeof partControlBlock>[] = [];
  const warm = (): boolean => {
    if (warming.length === 0) {
      if (spent() < lead.leadMillis) return false;
      for (let i = 0; i < pool.threads; i++) {
        const block = partControlBlock(0);
        warming.push(block);
        // Its result is of no use: what counts is the thread, loaded and set up for this search.
        pool.run({ ...task([]), control: block.buffer }).catch(() => undefined);
      }
    }
    return warming.some((b) => b.progress > 0);
  };
  return exploreSchedules(lead.build, {
    ...lead.options,
    ...(maxMillis === undefined ? {} : { maxMillis }),
    control: { ...shared, splitRequested: warm },
  });
};

/**
 * The CPU time (ms) this process has used since the call: the lead's clock.
 * Before the threads start it is this thread's work, which a busy machine
 * does not stretch as it stretches wall-clock time (the wall clock where
 * there is no `process`).
 */
const cpuMillis = (): (() => number) => {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') {
    const t0 = performance.now();
    return () => performance.now() - t0;
  }
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
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
