export {
  exploreRandom,
  RANDOM_STRATEGIES,
  type FoundRun,
  type PctGuarantee,
  type RandomExploreOptions,
  type RandomExploreResult,
  type RandomStrategy,
  type RandomViolation,
} from './exploreRandom';
export { exploreRaceRandom, type ExploreRaceRandomOptions, type ExploreRaceRandomResult } from './exploreRaceRandom';
export { exploreScenarioRandom, type ExploreScenarioRandomOptions, type ExploreScenarioRandomResult } from './exploreScenarioRandom';
