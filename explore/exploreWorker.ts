/**
 * The worker-thread side of the parallel explorers: explores one part of a
 * race's or a scenario's schedule space. Loaded by the pool, never imported
 * by users.
 * @internal
 * @module
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { threadId, type MessagePort } from 'node:worker_threads';
import type { Scenario } from '../system/scenario/Scenario';
import { raceExplorer, type ExploreRaceOptions, type RaceExplorer } from './exploreRace';
import { scenarioExplorer, type ExploreScenarioOptions, type ScenarioExplorer } from './exploreScenario';
import { pathHold, type PathHold } from './heldPath';
import { exploreSchedules, type ExploreResult, type HeldRun, type PartControl, type Schedule } from './exploreSchedules';
import { sharedPartControl } from './sharedPartControl';
import { loadPredicates } from './loadPredicates';
import { threadTimes } from './threadCpuMs';

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
  /** Measure the part (see {@link PartStats}): the result then carries `stats`. */
  readonly stats?: boolean;
}

/** What a part cost on its thread (with `ExploreTask.stats`; bench/exploreScaling.ts prints them). @internal */
export interface PartStats {
  /** The thread that ran it. */
  readonly thread: number;
  /** Wall time (ms) from the task's arrival to its first run's end (set-up, rewind and replay of the prefix included). */
  readonly firstRunMs: number;
  /** Wall time (ms) from the task's arrival to its result. */
  readonly ms: number;
  /** The thread's CPU time (ms) meanwhile. */
  readonly cpuMs: number;
  /** The time (ms) the thread waited meanwhile, ready to run, while other threads had the cores (NaN where unknown). */
  readonly waitMs: number;
  /** Choices replayed by its first run (the prefix). */
  readonly replayed: number;
  /** Garbage collection (ms, all kinds) on the thread meanwhile, and how many. */
  readonly gcMs: number;
  readonly gcs: number;
  /** Hand-offs it sent. */
  readonly handOffs: number;
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

// One set-up (calibration, reference run) per task description, reused by every part a thread gets, with
// the path the thread's last part of it ended on (a part starts from the deepest fork it shares).
const races = new Map<string, Held<RaceExplorer>>();
const scenarios = new Map<string, Held<ScenarioExplorer>>();

interface Held<E> {
  readonly explorer: E;
  readonly hold: PathHold<HeldRun>;
}

const cached = <E>(cache: Map<string, Held<E>>, key: string, make: () => E): Held<E> => {
  let found = cache.get(key);
  if (found === undefined) cache.set(key, (found = { explorer: make(), hold: pathHold() }));
  return found;
};

/** Searches with the thread's held path; a search that fails leaves none (its run may be anywhere). */
const withHold = (hold: PathHold<HeldRun>, search: (hold: PathHold<HeldRun>) => ExploreResult): ExploreResult => {
  try {
    return search(hold);
  } catch (error) {
    hold.clear();
    throw error;
  }
};

/** Explores the schedules of the task's race or scenario that start with `task.prefix`. */
export default async function explorePart(task: ExploreTask): Promise<ExploreResult & { readonly stats?: PartStats }> {
  if (task.stats !== true) return explore(task, steering(task));
  const meter = partMeter();
  let handOffs = 0;
  const steer = steering(task, () => handOffs++);
  const report = steer.control?.report;
  const control = steer.control === undefined ? undefined : { ...steer.control, report: (n: number) => (meter.ran(), report?.(n)) };
  const result = await explore(task, { ...steer, control });
  const stats = meter.done(task.prefix.length, handOffs);
  // Collections are reported on a later turn of the event loop (a timer's): wait for them.
  await new Promise((resolve) => setTimeout(resolve, 2));
  return { ...result, stats: { ...stats, ...meter.collected() } };
}

const explore = async (task: ExploreTask, steer: Steering): Promise<ExploreResult> => {
  if (task.kind === 'scenario') {
    const predicates = task.checkModule === undefined ? undefined : await loadPredicates(task.checkModule);
    const { explorer, hold } = cached(scenarios, JSON.stringify([task.scenario, task.options, task.checkModule]), () =>
      scenarioExplorer(task.scenario, { ...task.options, ...(predicates === undefined ? {} : { predicates }) }),
    );
    return withHold(hold, (h) => exploreSchedules(explorer.build, { ...explorer.exploreOptions, prefix: task.prefix, ...steer, hold: h }));
  }
  const { explorer, hold } = cached(races, JSON.stringify(task.options), () => raceExplorer(task.options));
  const { reduce, maxSchedules } = task.options;
  return withHold(hold, (h) =>
    exploreSchedules(explorer.build, { prefix: task.prefix, reduce, maxSchedules, ...steer, hold: h }),
  );
};

/**
 * How the part is steered, with every key present (`undefined` when not
 * given): the search reads its options and control in every part, and one
 * object shape for all of a thread's parts keeps its optimized code (a new
 * shape throws it away).
 */
const steering = (task: TaskControl, onHandOff?: () => void): Steering => ({
  fixed: task.fixed,
  end: task.end,
  control: task.control === undefined ? undefined : sharedPartControl(task.control, task.handOff === undefined ? undefined : (h) => (onHandOff?.(), task.handOff!.postMessage(h))),
  maxMillis: task.maxMillis,
});

interface Steering {
  readonly control: PartControl | undefined;
  readonly maxMillis: number | undefined;
  readonly fixed: number | undefined;
  readonly end: Schedule | undefined;
}

// Garbage collections on this thread, noted as they end (only while a measured part runs).
const collections: { start: number; duration: number }[] = [];
let gcObserver: PerformanceObserver | undefined;

/** Measures a part (see {@link PartStats}): its first run's end, its wall and CPU time, and the collections meanwhile. */
const partMeter = () => {
  gcObserver ??= new PerformanceObserver((list) => {
    for (const e of list.getEntries()) collections.push({ start: e.startTime, duration: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  const c0 = threadTimes();
  let first: number | undefined;
  let t1 = t0;
  return {
    ran: () => void (first ??= performance.now() - t0),
    done: (replayed: number, handOffs: number): PartStats => {
      t1 = performance.now();
      const c1 = threadTimes();
      return { thread: threadId, firstRunMs: first ?? t1 - t0, ms: t1 - t0, cpuMs: c1.cpuMs - c0.cpuMs, waitMs: c1.waitMs - c0.waitMs, replayed, gcMs: 0, gcs: 0, handOffs };
    },
    collected: (): Pick<PartStats, 'gcMs' | 'gcs'> => {
      const gcs = collections.filter((c) => c.start >= t0 && c.start <= t1);
      collections.length = 0;
      return { gcMs: gcs.reduce((a, c) => a + c.duration, 0), gcs: gcs.length };
    },
  };
};
