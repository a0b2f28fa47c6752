import type { Scenario } from '../../system/scenario/Scenario';
import type { ExploreRaceOptions } from '../exploreRace';
import type { ExploreScenarioOptions } from '../exploreScenario';
import type { Schedule } from '../exploreSchedules';
import type { ExploreTask } from '../exploreWorker';

/**
 * What a queue worker needs to rebuild one part of a search, as a BullMQ
 * job's data (plain JSON: it crosses machines). The scenario travels as its
 * parsed JSON text, so a worker needs the package, not the file; a check
 * module travels as its URL, so a worker needs that file at the same path.
 * @internal
 */
export type QueueJob =
  | { readonly kind: 'race'; readonly options: ExploreRaceOptions; readonly prefix: Schedule; readonly bound: number; readonly maxMillis?: number }
  | {
      readonly kind: 'scenario';
      /** The parsed scenario (durations in ns), as JSON text. */
      readonly scenario: string;
      readonly options: Omit<ExploreScenarioOptions, 'predicates' | 'prefix' | 'stopAt'>;
      readonly checkModule?: string;
      readonly prefix: Schedule;
      readonly bound: number;
      readonly maxMillis?: number;
    };

/** A bound too large to matter (the control block's "none"). */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * The job for a pool task: the task without its shared memory, with the
 * part's bound when it is published.
 * @internal
 */
export const toQueueJob = (task: ExploreTask, bound: number): QueueJob => {
  const steering = { bound: Number.isFinite(bound) ? bound : UNBOUNDED, ...(task.maxMillis === undefined ? {} : { maxMillis: task.maxMillis }) };
  if (task.kind === 'race') return { kind: 'race', options: task.options, prefix: task.prefix, ...steering };
  return {
    kind: 'scenario',
    scenario: JSON.stringify(task.scenario),
    options: task.options,
    ...(task.checkModule === undefined ? {} : { checkModule: task.checkModule }),
    prefix: task.prefix,
    ...steering,
  };
};

/**
 * The pool task a worker runs for a job (its control block is added by the worker).
 * @internal
 */
export const fromQueueJob = (job: QueueJob): ExploreTask => {
  const steering = job.maxMillis === undefined ? {} : { maxMillis: job.maxMillis };
  if (job.kind === 'race') return { kind: 'race', options: job.options, prefix: job.prefix, ...steering };
  return {
    kind: 'scenario',
    scenario: JSON.parse(job.scenario) as Scenario,
    options: job.options,
    ...(job.checkModule === undefined ? {} : { checkModule: job.checkModule }),
    prefix: job.prefix,
    ...steering,
  };
};
