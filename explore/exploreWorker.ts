/**
 * The worker-thread side of the parallel explorers: explores one part of a
 * race's or a scenario's schedule space. Loaded by the pool, never imported
 * by users.
 * @internal
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { Scenario } from '../system/scenario/Scenario';
import { raceExplorer, type ExploreRaceOptions, type RaceExplorer } from './exploreRace';
import { scenarioExplorer, type ExploreScenarioOptions, type ScenarioExplorer } from './exploreScenario';
import { exploreSchedules, type ExploreResult, type PartControl, type Schedule } from './exploreSchedules';
import { sharedPartControl } from './sharedPartControl';
import { loadPredicates } from './loadPredicates';

/** How the coordinator steers a part (see `exploreInParts`); absent, the part runs to the whole bound. */
interface TaskControl {
  /** The part's control block (see `partControlBlock`). */
  readonly control?: SharedArrayBuffer;
  /** The wall-clock time left for the part (ms), instead of the options' `maxMillis`. */
  readonly maxMillis?: number;
  /** How many of the prefix's choices are fixed, and where the part ends (see `ExploreOptions.fixed` and `end`): a part that runs on past its prefix's subtree. */
  readonly fixed?: number;
  readonly end?: Schedule;
  /** Where a split sends the prefixes it hands off (a `HandOff`) while the part runs on; without it, a split ends the part. */
  readonly handOff?: MessagePort;
}

/** One part to explore: the schedules of a race or a scenario that start with `prefix`. */
export type ExploreTask =
  | ({ readonly kind: 'race'; readonly options: ExploreRaceOptions; readonly prefix: Schedule } & TaskControl)
  | ({
      readonly kind: 'scenario';
      readonly scenario: Scenario;
      /** Plain data only: predicates (functions) cannot be sent to a thread. */
      readonly options: Omit<ExploreScenarioOptions, 'predicates' | 'prefix' | 'stopAt'>;
      /** URL of a module whose default export is the user's predicates (loaded in the thread). */
      readonly checkModule?: string;
      readonly prefix: Schedule;
    } & TaskControl);

// One set-up (calibration, reference run) per task description, reused by every part a thread gets.
const races = new Map<string, RaceExplorer>();
const scenarios = new Map<string, ScenarioExplorer>();

const cached = <E>(cache: Map<string, E>, key: string, make: () => E): E => {
  let found = cache.get(key);
  if (found === undefined) cache.set(key, (found = make()));
  return found;
};

/** Explores the schedules of the task's race or scenario that start with `task.prefix`. */
export default async function explorePart(task: ExploreTask): Promise<ExploreResult> {
  if (task.kind === 'scenario') {
    const predicates = task.checkModule === undefined ? undefined : await loadPredicates(task.checkModule);
    const explorer = cached(scenarios, JSON.stringify([task.scenario, task.options, task.checkModule]), () =>
      scenarioExplorer(task.scenario, { ...task.options, ...(predicates === undefined ? {} : { predicates }) }),
    );
    return exploreSchedules(explorer.build, { ...explorer.exploreOptions, prefix: task.prefix, ...steering(task) });
  }
  const explorer = cached(races, JSON.stringify(task.options), () => raceExplorer(task.options));
  const { reduce, maxSchedules } = task.options;
  return exploreSchedules(explorer.build, {
    prefix: task.prefix,
    ...(reduce === undefined ? {} : { reduce }),
    ...(maxSchedules === undefined ? {} : { maxSchedules }),
    ...steering(task),
  });
}

const steering = (task: TaskControl): { control?: PartControl; maxMillis?: number; fixed?: number; end?: Schedule } => ({
  ...(task.fixed === undefined ? {} : { fixed: task.fixed }),
  ...(task.end === undefined ? {} : { end: task.end }),
  ...(task.control === undefined ? {} : { control: sharedPartControl(task.control, task.handOff === undefined ? undefined : (h) => task.handOff!.postMessage(h)) }),
  ...(task.maxMillis === undefined ? {} : { maxMillis: task.maxMillis }),
});
