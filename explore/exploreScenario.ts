import type { TriggerDelivery } from '../src/bus/kit/TriggerDelivery';
import type { RegisterInfo } from '../src/bus/Device';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { CounterSample } from '../src/trace/waveform/CounterSample';
import { SystemConfigError, SystemSnapshotError } from '../system/errors';
import { systemForks, type SystemFork, type SystemForks } from '../system/systemCheckpoint';
import { runForkOf } from './runForkOf';
import { buildSystem, parseScenario } from '../system/scenario/loadScenario';
import type { Scenario } from '../system/scenario/Scenario';
import type { System } from '../system/System';
import type { WorkTag } from '../src/clock/WorkTag';
import { exploreSchedules, replaySchedule, type ExploreOptions, type ExploreResult, type ExplorerRun, type RunFork } from './exploreSchedules';
import { expiryMonitor } from './scenario/expiryMonitor';
import {
  addObservers,
  attachObservers,
  calibrateInstants,
  judgeObservation,
  OBSERVER_PREFIX,
  observationKey,
  observedChannels,
  type Observation,
  type ObservedDevice,
} from './scenario/observers';
import { scenarioIndependence } from './scenario/scenarioFootprints';
import { systemFootprints } from './dpor/systemFootprints';

/** What a user's predicate sees after every event of an explored run. */
export interface ScenarioView {
  /** The run's system: its devices (`system.device(name)`, their probes and snapshots), trace and clock. */
  readonly system: System;
  /** The virtual time (ns). */
  readonly time: number;
}

/**
 * A user invariant over device state and the trace: a message when it is
 * broken, `undefined` while it holds. It must only look (no bus accesses),
 * and should not depend on the order of work on unrelated devices, which the
 * reduction treats as equivalent (use `reduce: false` if it does).
 */
export type ScenarioPredicate = (view: ScenarioView) => string | undefined;

/** The built-in invariants {@link exploreScenario} checks (each on unless turned off). */
export interface ScenarioInvariants {
  /** G1, atomic expiry: no guest reads a device between its timer's expiry and the device receiving it. */
  readonly atomicExpiry?: boolean;
  /** G1, consistent reads: the observers' counter and status reads at expiry instants agree. */
  readonly consistentReads?: boolean;
  /** G5, exactly once: every trigger reaches its device once, none lost or doubled. */
  readonly exactlyOnce?: boolean;
}

/** Options of {@link exploreScenario}. */
export interface ExploreScenarioOptions extends Pick<ExploreOptions, 'maxSchedules' | 'reduce' | 'bottomHalfWindow' | 'maxMillis' | 'prefix'> {
  /** See `ExploreOptions.stopAt` (how the parallel search splits the space). @internal */
  readonly stopAt?: number;
  /** Explore the instants from this time on (ns, default 0); earlier work runs in the normal order. */
  readonly from?: number;
  /** Run each schedule to this time (ns; default: the scenario's duration). */
  readonly until?: number;
  /** Override the scenario's delivery (e.g. `bottom-half` to show the race). */
  readonly delivery?: TriggerDelivery;
  /** Built-in invariants to check (all by default). */
  readonly invariants?: ScenarioInvariants;
  /**
   * Expiry instants per device at which observers read the counter and
   * status of every timer channel a guest runs (default 2; 0: no
   * observers). Each adds choice points: keep it small.
   */
  readonly observe?: number;
  /** User invariants, checked after every event like the built-in ones. */
  readonly predicates?: readonly ScenarioPredicate[];
  /**
   * Re-run every schedule from time 0 instead of rewinding one system to a
   * checkpoint at `from`: the reference the fork is tested against. @internal
   */
  readonly rerun?: boolean;
  /** Check the whole system's state after every rewind (tests; see `CheckpointOptions.verify`). @internal */
  readonly verifyFork?: boolean;
}

/** Where the observers of {@link exploreScenario} read. */
export interface ObservedSummary {
  /** The device. */
  readonly device: string;
  /** Its channels that were read. */
  readonly channels: readonly string[];
  /** The instants (ns) of the reads. */
  readonly instants: readonly number[];
}

/** What {@link exploreScenario} found. */
export interface ExploreScenarioResult extends ExploreResult {
  /** The devices the observers read, and at which instants (ns). */
  readonly observed: readonly ObservedSummary[];
  /** The span explored (ns). */
  readonly from: number;
  /** The end of every run (ns). */
  readonly until: number;
  /** The trace of the violating run (replayed from its schedule), when there is one. */
  readonly trace?: readonly TraceEvent[];
  /** The probe samples of the violating run (with forecasts), for its waveform (see `buildWaveform`). */
  readonly samples?: readonly CounterSample[];
  /** Every device's registers, by device name (to name accesses in the trace). */
  readonly registers?: Readonly<Record<string, readonly RegisterInfo[]>>;
}

/**
 * Checks a scenario against every order of its same-instant work: timer
 * expiries of different devices, guest steps, bottom halves (and, with a
 * window, every later point at which a bottom half may run). Instants before
 * `from` keep the normal order: the scenario runs to `from` once, and the
 * system is forked there and at every choice point of the search's current
 * path (see `systemForks`); each schedule starts from the deepest fork it
 * shares with the one before, the system rewound in place, with the counts,
 * outcomes and verdict of re-running it from time 0 each time (from 0, the
 * first fork is at the first choice point). Under bottom-half delivery a
 * fork notes the pending bottom halves and a rewind puts them back (no fork
 * is taken where a device refuses its state between an expiry and its
 * bottom half: the schedule starts from the fork below). With `predicates`,
 * which may read the trace, the forked system keeps its trace and a rewind
 * takes back the events recorded since. Checked after every event:
 * - G1 atomic expiry: no guest reads a device while one of its timers has
 *   emitted a trigger the device has not received;
 * - G1 consistent reads: observer guests (`observe:<device>`) read the
 *   counter and status of each channel the scenario's guests run, at the
 *   first `observe` expiry instants of its device; a counter that shows the
 *   expiry with the status clear, or the reverse, is a violation (judged
 *   against a reference run in which the observer reads before the
 *   instant's work; pairs after a guest wrote to the device at that instant
 *   are not judged);
 * - G5 exactly once: each trigger reaches its device once;
 * - the user's `predicates`.
 *
 * The reduction knows what each piece of work touches (a timer its device, a
 * guest the devices it accesses), so orders that only swap work on
 * different devices are run once.
 *
 * Ordering: explores the orders G4 fixes in a normal run, to show G1 and G5
 * hold in all of them under sync delivery (and break under bottom halves).
 *
 * @param scenario - a parsed {@link Scenario}, or scenario JSON
 * @param options - span, bound, reduction, delivery, invariants and predicates
 * @returns counts, whether the space was exhausted, the first violation with its trace
 * @throws ScenarioError for a bad scenario; SystemConfigError for bad options
 */
export const exploreScenario = (scenario: Scenario | unknown, options: ExploreScenarioOptions = {}): ExploreScenarioResult => {
  const explorer = scenarioExplorer(scenario, options);
  return explorer.withTrace(exploreSchedules(explorer.build, explorer.exploreOptions));
};

/** A scenario set up for exploration (calibration and reference runs done). @internal */
export interface ScenarioExplorer {
  /** A fresh run. */
  readonly build: () => ExplorerRun;
  /** The options to pass to `exploreSchedules` (span, reduction, independence, bounds). */
  readonly exploreOptions: ExploreOptions;
  /** Adds the observed instants and, for a violation, the replayed run's trace and the registers. */
  readonly withTrace: (result: ExploreResult) => ExploreScenarioResult;
}

/** Whether `value` is already a parsed scenario (durations in ns), not scenario JSON. @internal */
export const isParsedScenario = (value: unknown): value is Scenario =>
  typeof value === 'object' && value !== null && Array.isArray((value as Scenario).devices) && typeof (value as Scenario).duration === 'number';

/** The set-up {@link exploreScenario} and its worker threads share. @internal */
export const scenarioExplorer = (input: Scenario | unknown, options: ExploreScenarioOptions = {}): ScenarioExplorer => {
  const parsed = isParsedScenario(input) ? input : parseScenario(input);
  const scenario: Scenario = options.delivery === undefined ? parsed : { ...parsed, delivery: checkDelivery(options.delivery) };
  const until = whole(options.until ?? scenario.duration, 'until', 1);
  const from = whole(options.from ?? 0, 'from', 0);
  if (from > until) throw new SystemConfigError(from, `must not be after until (${until} ns)`, 'exploreScenario(from)');
  const observe = whole(options.observe ?? 2, 'observe', 0);
  const invariants = { atomicExpiry: true, consistentReads: true, exactlyOnce: true, ...options.invariants };
  const predicates = options.predicates ?? [];
  predicates.forEach((p, i) => {
    if (typeof p !== 'function') throw new SystemConfigError(p, 'must be a function (view) => string | undefined', `exploreScenario(predicates[${i}])`);
  });

  const channels = observedChannels(scenario);
  const observed: ObservedDevice[] =
    invariants.consistentReads && observe > 0 ? calibrateInstants(buildSystem(scenario).system, until, from, observe, channels).filter((o) => o.instants.length > 0) : [];

  // The references: each observer reads before any other work of its instants, and after all of it.
  const isObserver = (e: { readonly tag: WorkTag }): boolean => e.tag.kind === 'guest' && e.tag.owner.startsWith(OBSERVER_PREFIX);
  const referenceRun = (pick: (ready: readonly { readonly tag: WorkTag }[]) => number): Map<string, Observation> => {
    const reads = new Map<string, Observation>();
    if (observed.length === 0) return reads;
    const { system } = buildSystem(scenario);
    const log = addObservers(system, observed);
    const stop = system.clock.observe({ choose: (ready) => Math.max(0, pick(ready)) });
    try {
      system.run(until);
    } finally {
      stop();
    }
    for (const o of log) reads.set(observationKey(o), o);
    return reads;
  };
  const reference = referenceRun((ready) => ready.findIndex(isObserver));
  const settled = referenceRun((ready) => ready.findIndex((e) => !isObserver(e)));

  let last: System | undefined;
  const controllers = scenario.interruptController === undefined ? [] : [scenario.interruptController];
  /** A system with the invariants' monitors, observers and checker attached (and, for DPOR, its footprint recorder). */
  const checked = (system: System): CheckedRun => {
    const monitor = expiryMonitor(system, { atomic: invariants.atomicExpiry, exactlyOnce: invariants.exactlyOnce });
    const footprints = options.reduce === 'dpor' ? systemFootprints(system, controllers) : undefined;
    const observers = attachObservers(system, observed);
    const log = observers.log;
    let judged = 0;
    let found: string | undefined;
    const check = (): string | undefined => {
      if (found !== undefined) return found;
      found = monitor.violation;
      for (; found === undefined && judged < log.length; judged++) {
        const o = log[judged]!;
        found = judgeObservation(o, reference.get(observationKey(o)), settled.get(observationKey(o)));
      }
      for (let i = 0; found === undefined && i < predicates.length; i++) found = predicates[i]!({ system, time: system.clock.now() });
      return found;
    };
    return {
      run: {
        clock: system.clock,
        run: () => {
          system.run(until);
          found ??= check() ?? monitor.finish();
        },
        check,
        ...(footprints === undefined ? {} : { takeFootprint: footprints.take }),
      },
      checkpoint: () => {
        const back = [monitor.checkpoint(), observers.checkpoint()];
        // Predicates may read the trace: a rewind takes back the events recorded since (the trace is kept then).
        const traceBack = predicates.length > 0 ? system.traceMark() : undefined;
        if (traceBack !== undefined) back.push(traceBack);
        const saved = { judged, found };
        return () => {
          for (const b of back) b();
          ({ judged, found } = saved);
          // What the run before the rewind touched is no footprint of the next one.
          footprints?.take();
        };
      },
    };
  };
  // The explored runs sample nothing; the replay of a counterexample samples the probes for its waveform.
  const runOf = (sampleProbes: boolean): ExplorerRun => {
    const { system } = buildSystem(scenario, { sampleProbes });
    last = system;
    return checked(system).run;
  };

  // Forking: one system run once to just before `from` (every earlier instant in the normal order, the
  // invariants checked before each event as the explorer checks them), forked there and at the explorer's choice points.
  // User predicates may read the trace: with them a forked system keeps it, and a rewind takes back the events since.
  // Under bottom-half delivery a fork notes the pending bottom halves and a rewind puts them back (systemForks).
  // Explored runs keep the trace only for predicates, and never a running digest (nothing reads it, and a rewind
  // could not take it back): a system that records nothing runs its fastest paths.
  const recording = predicates.length > 0 ? { keepTrace: true } : { keepTrace: false, digest: false };
  let forkable = options.rerun !== true;
  const verify = options.verifyFork === true;
  /** Forks of `run` on `forks` at the explorer's choice points (each shares what did not change with the one below). */
  const forksOf = (run: CheckedRun, forks: () => SystemForks): (() => RunFork | undefined) => () => {
    let f: SystemFork | undefined;
    try {
      f = forks().take();
    } catch (error) {
      // A guest that cannot report its position: no forks, every schedule re-runs.
      if (!(error instanceof SystemSnapshotError)) throw error;
      forkable = false;
      return undefined;
    }
    if (f === undefined) return undefined;
    return runForkOf(f, run.checkpoint());
  };
  /** From 0: a fresh system per run the explorer cannot start from a fork (the first), forked from its first choice point. */
  const fresh = (): ExplorerRun => {
    const { system } = buildSystem(scenario, recording);
    const run = checked(system);
    let forks: SystemForks | undefined;
    return { ...run.run, fork: forksOf(run, () => (forks ??= systemForks(system, { verify }))) };
  };
  let fork: { readonly run: ExplorerRun; readonly rewind: () => boolean } | undefined;
  const forked = (): ExplorerRun | undefined => {
    if (fork !== undefined) {
      if (fork.rewind()) return fork.run;
      // A device refuses its state at `from` (taken with its bottom half pending): every schedule re-runs.
      fork = undefined;
      forkable = false;
      return undefined;
    }
    // The trace is kept only for predicates, which may read it (a rewind takes it back).
    const { system } = buildSystem(scenario, recording);
    const run = checked(system);
    const stop = system.clock.observe({
      choose: () => {
        run.run.check();
        return 0;
      },
    });
    try {
      system.run(from - 1);
    } finally {
      stop();
    }
    let forks: SystemForks;
    let base: SystemFork | undefined;
    try {
      forks = systemForks(system, { verify });
      base = forks.take();
    } catch (error) {
      // A state a rewind cannot re-create (a guest without a position): re-run instead.
      if (!(error instanceof SystemSnapshotError)) throw error;
      base = undefined;
    }
    if (base === undefined) {
      // Or a pending legacy bottom half.
      system.dispose();
      forkable = false;
      return undefined;
    }
    // The explorer forks the run again at the choice points of its path (each fork shares what did not change with the one below).
    fork = { run: { ...run.run, fork: forksOf(run, () => forks) }, rewind: runForkOf(base, run.checkpoint()).rewind };
    return fork.run;
  };

  const build = (): ExplorerRun => (forkable ? (from > 0 ? forked() : fresh()) : undefined) ?? runOf(false);
  const extra = new Map(observed.map((o) => [OBSERVER_PREFIX + o.device, [o.device]]));
  const exploreOptions: ExploreOptions = {
    independent: scenarioIndependence(scenario, extra),
    persistent: true,
    from,
    ...pick(options, ['maxSchedules', 'reduce', 'bottomHalfWindow', 'maxMillis', 'prefix', 'stopAt']),
  };
  const summary = observed.map((o) => ({ device: o.device, channels: o.channels.map((c) => c.name), instants: o.instants }));
  const withTrace = (result: ExploreResult): ExploreScenarioResult => {
    const base = { ...result, observed: summary, from, until };
    if (result.violation === undefined) return base;
    replaySchedule(runOf(true), result.violation.schedule, { from, ...pick(options, ['bottomHalfWindow']) });
    const system = last!;
    const registers: Record<string, readonly RegisterInfo[]> = {};
    for (const name of system.deviceNames) {
      const r = system.device(name).registers;
      if (r !== undefined) registers[name] = r;
    }
    return { ...base, trace: system.trace.events, samples: system.samples, registers };
  };
  return { build, exploreOptions, withTrace };
};

/** An explored run, and a checkpoint of its invariants' state for a system rewound in place. */
interface CheckedRun {
  readonly run: ExplorerRun;
  readonly checkpoint: () => () => void;
}

const pick = <T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> => {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
};

const whole = (value: number, what: string, min: number): number => {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new SystemConfigError(value, `must be a whole number${min > 0 ? ` of at least ${min}` : ', not negative'}`, `exploreScenario(${what})`);
  }
  return value;
};

const checkDelivery = (delivery: unknown): TriggerDelivery => {
  if (delivery !== 'sync' && delivery !== 'bottom-half') throw new SystemConfigError(delivery, "must be 'sync' or 'bottom-half'", 'exploreScenario(delivery)');
  return delivery;
};
