import { scenarioExplorer, type ExploreScenarioOptions, type ExploreScenarioResult } from '../exploreScenario';
import type { Scenario } from '../../system/scenario/Scenario';
import { exploreRandom, type RandomExploreOptions, type RandomExploreResult } from './exploreRandom';
import { asExploreResult } from './asExploreResult';

/** Options of {@link exploreScenarioRandom}: the scenario explorer's (without the exhaustive search's) and the random search's. */
export interface ExploreScenarioRandomOptions
  extends Omit<ExploreScenarioOptions, 'maxSchedules' | 'reduce' | 'prefix' | 'stopAt' | 'maxMillis' | 'bottomHalfWindow'>,
    Omit<RandomExploreOptions, 'from'> {}

/** What {@link exploreScenarioRandom} found, with the observed instants and the shrunk violation's run. */
export interface ExploreScenarioRandomResult
  extends RandomExploreResult,
    Pick<ExploreScenarioResult, 'observed' | 'from' | 'until' | 'trace' | 'samples' | 'registers'> {}

/**
 * A scenario (see `exploreScenario`: the same invariants, observers, span
 * and predicates) under random orders of its same-instant work, with the
 * `random` or `pct` strategy of {@link exploreRandom}; a violation is shrunk
 * and its run replayed for its trace and probe samples. The shrunk
 * `choices` replay with `replayChoices` given the scenario's `from` and
 * `bottomHalfWindow`.
 *
 * Ordering: samples the orders G4 fixes in a normal run, to show G1 and G5
 * hold in them under sync delivery (and break under bottom halves).
 *
 * ## Example
 * ```ts
 * const r = exploreScenarioRandom(scenario, { delivery: 'bottom-half', strategy: 'random', seed: 3, runs: 500 });
 * r.violation?.choices; // the shrunk choice sequence ([] when the normal order breaks it)
 * ```
 *
 * @param scenario - a parsed {@link Scenario}, or scenario JSON
 * @param options - span, delivery, invariants, predicates, strategy, seed and runs
 * @returns the random search's result, with the observed instants, the span and, for a violation, its trace
 * @throws ScenarioError for a bad scenario; SystemConfigError for bad options
 * @see {@link exploreRandom}
 */
export const exploreScenarioRandom = (scenario: Scenario | unknown, options: ExploreScenarioRandomOptions): ExploreScenarioRandomResult => {
  const { strategy, seed, runs, depth, steps, maxShrinkRuns, maxMillis, ...rest } = options;
  const explorer = scenarioExplorer(scenario, rest);
  const { from = 0, bottomHalfWindow } = explorer.exploreOptions;
  const result = exploreRandom(explorer.build, {
    strategy,
    seed,
    from,
    ...(runs === undefined ? {} : { runs }),
    ...(depth === undefined ? {} : { depth }),
    ...(steps === undefined ? {} : { steps }),
    ...(maxShrinkRuns === undefined ? {} : { maxShrinkRuns }),
    ...(maxMillis === undefined ? {} : { maxMillis }),
    ...(bottomHalfWindow === undefined ? {} : { bottomHalfWindow }),
  });
  const traced = explorer.withTrace(asExploreResult(result));
  const { observed, until, trace, samples, registers } = traced;
  return {
    ...result,
    observed,
    from: traced.from,
    until,
    ...(trace === undefined ? {} : { trace }),
    ...(samples === undefined ? {} : { samples }),
    ...(registers === undefined ? {} : { registers }),
  };
};
