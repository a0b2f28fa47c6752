export {
  exploreSchedules,
  independentByDevice,
  type ExploreOptions,
  type ExploreResult,
  type ExplorerRun,
  type Schedule,
} from './exploreSchedules';
export { exploreRace, type ExploreRaceOptions, type ExploreRaceResult } from './exploreRace';
