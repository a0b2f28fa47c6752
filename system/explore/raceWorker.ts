/**
 * The worker-thread side of {@link exploreRaceParallel}: explores one part of
 * the race's schedule space. Loaded by the pool, never imported by users.
 * @internal
 * @module
 */
import type { ExploreRaceOptions } from './exploreRace';
import { raceExplorer, type RaceExplorer } from './exploreRace';
import { exploreSchedules, type ExploreResult, type Schedule } from './exploreSchedules';

/** One part to explore. */
export interface RaceTask {
  readonly options: ExploreRaceOptions;
  readonly prefix: Schedule;
}

// One set-up (calibration, reference run) per options, reused by every part a thread gets.
const explorers = new Map<string, RaceExplorer>();

/** Explores the schedules of the race that start with `task.prefix`. */
export default function exploreRacePart(task: RaceTask): ExploreResult {
  const key = JSON.stringify(task.options);
  let explorer = explorers.get(key);
  if (explorer === undefined) {
    explorer = raceExplorer(task.options);
    explorers.set(key, explorer);
  }
  const { reduce, maxSchedules } = task.options;
  return exploreSchedules(explorer.build, {
    prefix: task.prefix,
    ...(reduce === undefined ? {} : { reduce }),
    ...(maxSchedules === undefined ? {} : { maxSchedules }),
  });
}
