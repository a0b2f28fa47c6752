import { SystemConfigError } from '../system/errors';
import { parseScenario } from '../system/scenario/loadScenario';
import type { Scenario } from '../system/scenario/Scenario';
import { isParsedScenario, scenarioExplorer, type ExploreScenarioOptions, type ExploreScenarioResult } from './exploreScenario';
import { exploreSchedules, type Schedule } from './exploreSchedules';
import type { ExploreTask } from './exploreWorker';
import { mergeParts, partitionSchedules } from './partitionSchedules';
import { loadPredicates } from './loadPredicates';
import { checkParallel, runParts } from './runParts';

/** Options of {@link exploreScenarioParallel}: those of `exploreScenario`, plus the threads. */
export interface ExploreScenarioParallelOptions extends Omit<ExploreScenarioOptions, 'prefix' | 'stopAt'> {
  /** Worker threads (default 2). 1 runs the parts in this thread, through the same split and merge. */
  readonly workers?: number;
  /** The choice point at which the space is split into parts (default 2). */
  readonly splitDepth?: number;
  /**
   * URL (`file:` for a file) of an ES module whose default export is more predicates, a
   * function or an array of them (what `ptimer-rx explore --check` loads). Each worker
   * thread loads it, so these predicates run with any number of `workers`, always on worker
   * threads; with `maxMillis`, threads still running {@link CHECK_GRACE_MILLIS} after it are
   * ended (a predicate that loops) and the exploration fails with an
   * {@link ExploreTimeLimitError}.
   */
  readonly checkModule?: string;
}

/** How long after `maxMillis` threads running a `checkModule`'s predicates are ended. */
export const CHECK_GRACE_MILLIS = 2_000;

/**
 * {@link exploreScenario} on worker threads: the space is split at a choice
 * point into parts, the parts run on a pool of threads (tinypool), and their
 * results are merged in exploration order, so the verdict, the counts and
 * the first counterexample are those of `exploreScenario` (tested; except
 * under `maxMillis`, where how far each part gets depends on the machine).
 *
 * User `predicates` are functions, which cannot be sent to a thread: with
 * them, use `workers: 1`, or give them as a `checkModule` each thread loads.
 *
 * Ordering: as `exploreScenario`.
 *
 * @param scenario - a parsed {@link Scenario}, or scenario JSON
 * @param options - as `exploreScenario`, plus `workers` and `splitDepth`
 * @returns the same result `exploreScenario` returns
 * @throws SystemConfigError for a bad `workers` or `splitDepth`, or predicates with more than one worker; as `exploreScenario` otherwise
 */
export const exploreScenarioParallel = async (scenario: Scenario | unknown, options: ExploreScenarioParallelOptions = {}): Promise<ExploreScenarioResult> => {
  const { workers = 2, splitDepth = 2, predicates, checkModule, ...rest } = options;
  checkParallel(workers, splitDepth, 'exploreScenarioParallel');
  if (predicates !== undefined && predicates.length > 0 && workers > 1) {
    throw new SystemConfigError(workers, 'must be 1 with predicates (functions cannot be sent to worker threads)', 'exploreScenarioParallel(workers)');
  }
  const parsed = isParsedScenario(scenario) ? scenario : parseScenario(scenario);
  const explorer = scenarioExplorer(parsed, { ...rest, ...(predicates === undefined ? {} : { predicates }) });
  const { maxSchedules: _bound, ...splitOptions } = explorer.exploreOptions;
  const partition = partitionSchedules(explorer.build, splitDepth, splitOptions);
  if (checkModule !== undefined) await loadPredicates(checkModule); // its export is checked here, once, before any thread starts
  const task = (prefix: Schedule): ExploreTask => ({ kind: 'scenario', scenario: parsed, options: rest, prefix, ...(checkModule === undefined ? {} : { checkModule }) });
  // A check module's predicates run only on threads, which can be ended when one never returns.
  const local = checkModule === undefined ? (prefix: Schedule) => exploreSchedules(explorer.build, { ...explorer.exploreOptions, prefix }) : undefined;
  const deadline = checkModule !== undefined && rest.maxMillis !== undefined ? rest.maxMillis + CHECK_GRACE_MILLIS : undefined;
  const results = await runParts(partition.parts, workers, task, local, deadline);
  return explorer.withTrace(mergeParts(partition, results, rest.maxSchedules));
};

