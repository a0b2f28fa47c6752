import type { ExploreResult } from '../exploreSchedules';
import type { RandomExploreResult } from './exploreRandom';

/**
 * A random search's result in the shape the exhaustive search reports, so
 * the race's and a scenario's `withTrace` replay its (shrunk) violation for
 * the trace and waveform. @internal
 */
export const asExploreResult = (result: RandomExploreResult): ExploreResult => {
  const { violation } = result;
  return {
    schedules: result.runs,
    pruned: 0,
    exhausted: false,
    outcomes: '',
    ...(violation === undefined ? {} : { violation: { message: violation.message, schedule: violation.schedule, index: violation.run } }),
  };
};
