import { SystemConfigError } from '../system/errors';
import type { ExploreResult } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import type { HandOff } from './sharedPartControl';

/**
 * Worker threads for the parallel explorers, kept warm between searches:
 * each thread loads the simulation once and keeps the set-up (calibration,
 * reference run) of every race or scenario it has explored, so a second
 * search on the same pool (the other delivery mode of one `explore` call)
 * starts at once. Create it with {@link createExplorePool}, pass it as
 * `pool` to `exploreRaceParallel` or `exploreScenarioParallel`, and
 * `destroy()` it when done.
 */
export interface ExplorePool {
  /** How many threads it runs (the parts explored at once). */
  readonly threads: number;
  /**
   * Explores one part on a thread. With `onHandOff`, a split asked for in the
   * task's control keeps the part running and hands the tail of its rest to
   * `onHandOff`, each before the part's result; without it (or on a pool that
   * cannot), a split ends the part with its whole rest. @internal
   */
  run(task: ExploreTask, onHandOff?: (handOff: HandOff) => void): Promise<ExploreResult>;
  /** Whether its threads have been started (by a first part or {@link ExplorePool.prepare}). @internal */
  readonly started?: boolean;
  /**
   * Loads what starting the threads needs, so that a later `run` starts them
   * and hands them their first task at once, even from code that holds this
   * thread (a search running here that brings the threads in). @internal
   */
  prepare?(): Promise<void>;
  /** Whether its threads run a task's span (`fixed`, `end`) and hand-offs; a pool that does not gets one task per prefix. @internal */
  readonly spans?: boolean;
  /** Ends the threads (a part still running is abandoned). Idempotent. */
  destroy(): Promise<void>;
}

/**
 * Where the worker's code is: next to this module in the built package
 * (`dist/exploreWorker.js`); from the TypeScript sources, a shim that loads
 * the `.ts` file through tsx.
 */
const workerFile = (): string => {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./exploreWorker.shim.mjs', here).href : new URL('./exploreWorker.js', here).href;
};

/**
 * The young generation of each thread's heap (MB). A search makes many
 * short-lived objects per schedule; with the threads' default young
 * generation, scavenges in two threads at once cost the 2-thread search
 * about 1.6-1.8x the CPU time of the same search on one thread, with 64 MB
 * about 1.1-1.4x (default-scenario search, bound 2 000, 2 cores under load,
 * 2 runs each; 32 MB: 2.2x, 128 MB: 1.2x).
 */
const YOUNG_GENERATION_MB = 64;

/**
 * A pool of explorer threads (tinypool). The threads start with the first
 * part it runs (so a search refused for a bad option starts none), then stay
 * up until `destroy()`.
 *
 * Ordering: as the explorers that use it (results merged in exploration order).
 *
 * ## Example
 * ```ts
 * const pool = createExplorePool(2);
 * try {
 *   for (const delivery of ['bottom-half', 'sync'] as const) console.log(await exploreRaceParallel({ delivery, pool }));
 * } finally {
 *   await pool.destroy();
 * }
 * ```
 * @param threads - how many threads (1 to 256)
 * @returns the pool
 * @throws SystemConfigError for a bad thread count
 */
export const createExplorePool = (threads: number): ExplorePool => {
  checkThreads(threads, 'createExplorePool(threads)');
  type Pool = { run(task: unknown, options?: { transferList?: readonly unknown[] }): Promise<unknown>; destroy(): Promise<void> };
  type Loaded = { readonly Tinypool: new (options: object) => Pool; readonly channels: typeof import('node:worker_threads') };
  let loaded: Promise<Loaded> | undefined;
  let ready: Loaded | undefined;
  let pool: Pool | undefined;
  let destroyed: Promise<void> | undefined;
  // Loaded here, not at the top: the package root must load where worker threads do not exist (browsers).
  const load = (): Promise<Loaded> =>
    (loaded ??= Promise.all([import('tinypool'), import('node:worker_threads')]).then(([t, channels]) => (ready = { Tinypool: t.default as unknown as Loaded['Tinypool'], channels })));
  const start = (l: Loaded): Pool => (pool ??= new l.Tinypool({ filename: workerFile(), minThreads: threads, maxThreads: threads, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }));
  /** Runs a task; synchronous up to the task's dispatch once loaded (tinypool hands a fresh thread its first task at once). */
  const dispatch = async (l: Loaded, task: ExploreTask, onHandOff: ((handOff: HandOff) => void) | undefined): Promise<ExploreResult> => {
    if (destroyed !== undefined) throw new SystemConfigError('run', 'cannot be called on a destroyed pool', 'ExplorePool.run()');
    const threads = start(l);
    if (onHandOff === undefined) return (await threads.run(task)) as ExploreResult;
    const { MessageChannel, receiveMessageOnPort } = l.channels;
    const { port1, port2 } = new MessageChannel();
    port1.on('message', onHandOff);
    try {
      const result = (await threads.run({ ...task, handOff: port2 }, { transferList: [port2] })) as ExploreResult;
      // Hand-offs still queued on the port reach the coordinator before the result does (they precede it in order).
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) onHandOff(m.message as HandOff);
      return result;
    } finally {
      port1.close();
    }
  };
  return {
    threads,
    spans: true,
    get started() {
      return pool !== undefined;
    },
    prepare: async () => void (await load()),
    run: (task, onHandOff) => {
      if (destroyed !== undefined) return Promise.reject(new SystemConfigError('run', 'cannot be called on a destroyed pool', 'ExplorePool.run()'));
      return ready !== undefined ? dispatch(ready, task, onHandOff) : load().then((l) => dispatch(l, task, onHandOff));
    },
    destroy: () => (destroyed ??= loaded === undefined ? Promise.resolve() : loaded.then(() => pool?.destroy())),
  };
};

/** Checks a thread count (1 to 256). @internal */
export const checkThreads = (threads: number, what: string): void => {
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) {
    throw new SystemConfigError(threads, 'must be a whole number from 1 to 256', what);
  }
};
