import { raceExplorer, type ExploreRaceOptions, type ExploreRaceResult } from '../exploreRace';
import { exploreRandom, type RandomExploreOptions, type RandomExploreResult } from './exploreRandom';
import { asExploreResult } from './asExploreResult';

/** Options of {@link exploreRaceRandom}: the race's (without the exhaustive search's) and the random search's. */
export interface ExploreRaceRandomOptions
  extends Omit<ExploreRaceOptions, 'reduce' | 'maxSchedules'>,
    Omit<RandomExploreOptions, 'bottomHalfWindow' | 'from'> {}

/** What {@link exploreRaceRandom} found, with the device, and the shrunk violation's run. */
export interface ExploreRaceRandomResult
  extends RandomExploreResult,
    Pick<ExploreRaceResult, 'device' | 'channel' | 'window' | 'trace' | 'samples' | 'registers'> {}

/**
 * The seed's race (see `exploreRace`) under random orders of each expiry
 * instant's work, with the `random` or `pct` strategy of
 * {@link exploreRandom}; a violation is shrunk and its run replayed for its
 * trace and probe samples.
 *
 * Ordering: checks G1 over orders G4 would otherwise fix.
 *
 * ## Example
 * ```ts
 * const r = exploreRaceRandom({ delivery: 'bottom-half', strategy: 'pct', seed: 1, runs: 100 });
 * r.violation?.message; // 'G1 at 1000000 ns (expiry 1000000 ns): counter 0 after the expiry with the status clear'
 * r.pct;                // { depth: 2, n, k, bound: 1 / (n * k), overSteps: 0 }
 * ```
 *
 * @param options - device, delivery, sizes, strategy, seed and runs
 * @returns the random search's result, with the device, channel and, for a violation, its trace
 * @throws SystemConfigError for an unknown device or channel, bad sizes, or bad strategy options
 * @see {@link exploreRandom}
 */
export const exploreRaceRandom = (options: ExploreRaceRandomOptions): ExploreRaceRandomResult => {
  const explorer = raceExplorer(options);
  const result = exploreRandom(explorer.build, options);
  // The race's own replay (probes sampled for the waveform), on the shrunk run's labels.
  const traced = explorer.withTrace(asExploreResult(result));
  const { device, channel, window, trace, samples, registers } = traced;
  return { ...result, device, channel, window, ...(trace === undefined ? {} : { trace }), ...(samples === undefined ? {} : { samples }), ...(registers === undefined ? {} : { registers }) };
};
