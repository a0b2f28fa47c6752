import { SystemConfigError } from '../system/errors';
import { parseScenario } from '../system/scenario/loadScenario';
import type { Scenario } from '../system/scenario/Scenario';
import { isParsedScenario, scenarioExplorer, type ExploreScenarioOptions, type ExploreScenarioResult } from './exploreScenario';
import { createExplorePool, type ExplorePool } from './ExplorePool';
import { exploreSchedules, type Schedule } from './exploreSchedules';
import { ExploreTimeLimitError } from './ExploreTimeLimitError';
import type { ExploreTask } from './exploreWorker';
import { loadPredicates } from './loadPredicates';
import { checkLead, checkParallel, runOnPool } from './runParts';

/** Options of {@link exploreScenarioParallel}: those of `exploreScenario`, plus the threads. */
export interface ExploreScenarioParallelOptions extends Omit<ExploreScenarioOptions, 'prefix' | 'stopAt'> {
  /**
   * Worker threads (default 2). 1 runs the search in this thread (on one thread with a `checkModule`). Ignored with `pool`.
   * Threads pay off on long searches: each compiles the search's code for itself, and the garbage collector's helper
   * threads, which a one-thread search gets on an idle core, then compete with them. The README's default-scenario
   * search (100-150 ms on one thread) ran 1.1-1.6x faster on 2 threads of a warm pool, and slower on a cold one
   * (bench/RESULTS.md); give `leadMillis` (the command line uses 2 000) so a short search starts no thread.
   */
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
   * way. Not with a `checkModule` (its predicates run only on threads).
   * Default 0: threads from the start.
   */
  readonly leadMillis?: number;
  /**
   * URL (`file:` for a file) of an ES module whose default export is more predicates, a
   * function or an array of them (what `ptimer-rx explore --check` loads). Each worker
   * thread loads it, so these predicates run with any number of `workers`, always on worker
   * threads; with `maxMillis`, threads still running {@link CHECK_GRACE_MILLIS} after it are
   * ended (a predicate that loops; a given `pool` is destroyed then) and the exploration fails with an
   * {@link ExploreTimeLimitError}.
   */
  readonly checkModule?: string;
}

/** How long after `maxMillis` threads running a `checkModule`'s predicates are ended. */
export const CHECK_GRACE_MILLIS = 2_000;

/**
 * {@link exploreScenario} on worker threads. The search starts as one part;
 * a thread that runs out of work has the earliest running part hand back the
 * rest of its space, so parts are handed out in exploration order, as they
 * are needed. A bounded search shares its bound: each part runs with what
 * the finished parts before it left, so no thread runs schedules the result
 * cannot use (beyond each thread's current run when the search ends). The
 * results are merged in exploration order, so the verdict, the counts and
 * the first counterexample are those of `exploreScenario` (tested; except
 * under `maxMillis`, where how far the search gets depends on the machine).
 *
 * User `predicates` are functions, which cannot be sent to a thread: with
 * them, use `workers: 1`, or give them as a `checkModule` each thread loads.
 * With `reduce: 'dpor'` the search runs on the calling thread (its space
 * cannot be split into parts; a `checkModule` is loaded there) and
 * `workers` and `pool` are not used.
 *
 * Ordering: as `exploreScenario`.
 *
 * @param scenario - a parsed {@link Scenario}, or scenario JSON
 * @param options - as `exploreScenario`, plus `workers` or `pool`
 * @returns the same result `exploreScenario` returns
 * @throws SystemConfigError for a bad `workers` or `splitDepth`, or predicates with more than one worker; as `exploreScenario` otherwise
 */
export const exploreScenarioParallel = async (scenario: Scenario | unknown, options: ExploreScenarioParallelOptions = {}): Promise<ExploreScenarioResult> => {
  const { workers = 2, splitDepth = 2, pool, predicates, checkModule, leadMillis = 0, ...rest } = options;
  checkParallel(workers, splitDepth, 'exploreScenarioParallel');
  checkLead(leadMillis, 'exploreScenarioParallel(leadMillis)');
  if (rest.reduce === 'dpor') {
    // DPOR's source sets grow as the search goes, so its space cannot be cut into parts: it runs here,
    // with a check module's predicates loaded on this thread.
    const loaded = checkModule === undefined ? [] : await loadPredicates(checkModule);
    const all = [...(predicates ?? []), ...loaded];
    const parsed = isParsedScenario(scenario) ? scenario : parseScenario(scenario);
    const explorer = scenarioExplorer(parsed, { ...rest, ...(all.length === 0 ? {} : { predicates: all }) });
    return explorer.withTrace(exploreSchedules(explorer.build, explorer.exploreOptions));
  }
  const threads = pool?.threads ?? workers;
  if (predicates !== undefined && predicates.length > 0 && (threads > 1 || pool !== undefined)) {
    throw new SystemConfigError(threads, 'must be 1 with predicates (functions cannot be sent to worker threads)', 'exploreScenarioParallel(workers)');
  }
  const parsed = isParsedScenario(scenario) ? scenario : parseScenario(scenario);
  const explorer = scenarioExplorer(parsed, { ...rest, ...(predicates === undefined ? {} : { predicates }) });
  // A check module's predicates run only on threads, which can be ended when one never returns.
  if (checkModule === undefined && pool === undefined && workers === 1) return explorer.withTrace(exploreSchedules(explorer.build, explorer.exploreOptions));
  if (checkModule !== undefined) await loadPredicates(checkModule); // its export is checked here, once, before any thread starts
  const task = (prefix: Schedule): ExploreTask => ({ kind: 'scenario', scenario: parsed, options: rest, prefix, ...(checkModule === undefined ? {} : { checkModule }) });
  const own = pool === undefined ? createExplorePool(workers) : undefined;
  const threadsUsed = (pool ?? own)!;
  try {
    const search = runOnPool({
      pool: threadsUsed,
      workers,
      maxSchedules: rest.maxSchedules ?? 10_000,
      ...(rest.maxMillis === undefined ? {} : { maxMillis: rest.maxMillis }),
      task,
      ...(checkModule === undefined ? { lead: { build: explorer.build, options: explorer.exploreOptions, leadMillis } } : {}),
    });
    const deadline = checkModule !== undefined && rest.maxMillis !== undefined ? rest.maxMillis + CHECK_GRACE_MILLIS : undefined;
    const { result } = deadline === undefined ? await search : await withDeadline(search, deadline, threadsUsed);
    return explorer.withTrace(result);
  } finally {
    await own?.destroy();
  }
};

/**
 * Code that never returns (a user predicate that loops) cannot be stopped
 * from inside its thread: past the deadline the threads are ended (the given
 * pool, or the search's own), and the search fails with the limit.
 */
const withDeadline = async <T>(search: Promise<T>, millis: number, pool: ExplorePool): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExploreTimeLimitError(millis)), millis);
  });
  try {
    return await Promise.race([search, deadline]);
  } catch (error) {
    if (error instanceof ExploreTimeLimitError) {
      search.catch(() => undefined); // its threads are ended below: it fails too, with nothing to say
      await pool.destroy();
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
};
