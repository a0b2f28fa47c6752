export {
  exploreSchedules,
  independentByDevice,
  replaySchedule,
  type ExploreOptions,
  type Reduction,
  type ExploreResult,
  type ExplorerRun,
  type Schedule,
} from './exploreSchedules';
export { exploreRace, type ExploreRaceOptions, type ExploreRaceResult } from './exploreRace';
export {
  replayChoices,
  sampleSchedules,
  type ReplayOptions,
  type ReplayResult,
  type SampleOptions,
  type SampleResult,
} from './sampleSchedules';
export {
  exploreRaceRandom,
  exploreRandom,
  exploreScenarioRandom,
  RANDOM_STRATEGIES,
  type ExploreRaceRandomOptions,
  type ExploreRaceRandomResult,
  type ExploreScenarioRandomOptions,
  type ExploreScenarioRandomResult,
  type FoundRun,
  type PctGuarantee,
  type RandomExploreOptions,
  type RandomExploreResult,
  type RandomStrategy,
  type RandomViolation,
} from './strategies';
export {
  marbleLabel,
  MarbleDiagramError,
  registerNamesOf,
  toMarbleDiagram,
  type MarbleDiagram,
  type MarbleDiagramOptions,
  type MarbleLabelOptions,
} from './toMarbleDiagram';
export { mergeParts, partitionSchedules, type Partition, type SchedulePart } from './partitionSchedules';
export { exploreRaceParallel, type ExploreRaceParallelOptions } from './exploreRaceParallel';
export {
  exploreScenario,
  type ExploreScenarioOptions,
  type ExploreScenarioResult,
  type ObservedSummary,
  type ScenarioInvariants,
  type ScenarioPredicate,
  type ScenarioView,
} from './exploreScenario';
export { CHECK_GRACE_MILLIS, exploreScenarioParallel, type ExploreScenarioParallelOptions } from './exploreScenarioParallel';
export { ExploreTimeLimitError } from './ExploreTimeLimitError';
export { createExplorePool, type ExplorePool } from './ExplorePool';
