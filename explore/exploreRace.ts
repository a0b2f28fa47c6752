import type { TriggerDelivery } from '../src/bus/kit/TriggerDelivery';
import { buildRace, raceExperiment, raceReference, raceSizes, raceTimes } from '../system/race/raceExperiment';
import type { RegisterInfo } from '../src/bus/Device';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { CounterSample } from '../src/trace/waveform/CounterSample';
import { systemFootprints } from './dpor/systemFootprints';
import { exploreSchedules, replaySchedule, type ExploreResult, type ExplorerRun, type Reduction, type RunFork } from './exploreSchedules';
import { systemForks, type SystemForks } from '../system/systemCheckpoint';
import { runForkOf } from './runForkOf';

/** Options of {@link exploreRace}. */
export interface ExploreRaceOptions {
  /** Catalogue device type (default `sp804`). */
  readonly device?: string;
  /** Its timer channel (default: the first). */
  readonly channel?: string;
  /** How the device's expiries reach it. */
  readonly delivery: TriggerDelivery;
  /** Expiries the guest reads around (default 3: each adds a factor to the space). */
  readonly expiries?: number;
  /** Counter cycles per expiry (default 1 000). */
  readonly ticks?: number;
  /** Partial-order reduction (default true; see `Reduction`). */
  readonly reduce?: Reduction;
  /** Bound on schedules (default 10 000). */
  readonly maxSchedules?: number;
  /** Re-run every schedule from time 0 instead of forking the race at its choice points: the reference the fork is tested against. @internal */
  readonly rerun?: boolean;
  /** Check every fork and rewind against the whole system's state (tests; see `CheckpointOptions.verify`). @internal */
  readonly verifyFork?: boolean;
}

/** What {@link exploreRace} found, with the device and channel it ran on. */
export interface ExploreRaceResult extends ExploreResult {
  /** The catalogue device type. */
  readonly device: string;
  /** Its channel. */
  readonly channel: string;
  /** The trace of the violating run (replayed from its schedule), when there is one; the device is named `dut`. */
  readonly trace?: readonly TraceEvent[];
  /** The probe samples of the violating run (with forecasts), for its waveform (see `buildWaveform`). */
  readonly samples?: readonly CounterSample[];
  /** The device's registers (for naming accesses in the trace). */
  readonly registers?: readonly RegisterInfo[];
  /** The race's read window: reads are placed from each expiry minus this to plus this (ns). */
  readonly window: number;
}

/**
 * The seed's race under every order of same-instant work: the race
 * experiment's guests (a reader queued before each expiry, one stepping
 * across it) on a catalogue device, with the explorer choosing, at each
 * expiry instant, the order of the readers, the expiry and (under legacy
 * delivery) its bottom half. The invariant is G1: no read pair sees the
 * counter's post-expiry value with the status clear, or the reverse. Values
 * are judged against a reference run in the normal order, so the judgement
 * does not depend on which reader made the read.
 *
 * Ordering: checks G1 over all orders G4 would otherwise fix.
 *
 * @param options - device, delivery, sizes, reduction and bound
 * @returns the explorer's counts and verdict, with the device and channel
 * @throws SystemConfigError for an unknown device or channel, or bad sizes
 */
export const exploreRace = (options: ExploreRaceOptions): ExploreRaceResult => {
  const explorer = raceExplorer(options);
  const result = exploreSchedules(explorer.build, {
    ...(options.reduce === undefined ? {} : { reduce: options.reduce }),
    ...(options.maxSchedules === undefined ? {} : { maxSchedules: options.maxSchedules }),
  });
  return explorer.withTrace(result);
};

/** A race set up for exploration: how to build a run, and how to attach the violating run's trace. @internal */
export interface RaceExplorer {
  /** Makes a fresh run of the race. */
  readonly build: () => ExplorerRun;
  /** Adds the device and channel and, for a violation, the replayed run's trace and the registers. */
  readonly withTrace: (result: ExploreResult) => ExploreRaceResult;
}

/**
 * The race's explorer set-up (calibration and the normal-order reference
 * run), shared by {@link exploreRace} and its worker threads. @internal
 */
export const raceExplorer = (options: ExploreRaceOptions): RaceExplorer => {
  const sizes = raceSizes({ ...options, expiries: options.expiries ?? 3 });
  const { type, channel, expiries, ticks, window, step } = sizes;
  const times = raceTimes(type, channel, ticks, expiries, window);
  const normal = raceExperiment({ ...options, expiries, delivery: 'sync', sampleProbes: false });
  const reference = raceReference(normal.observations, times);
  let last: ReturnType<typeof buildRace> | undefined;
  // The explored runs sample and keep nothing; the replay of a counterexample samples the probes for its waveform and keeps its trace.
  const runOf = (sampleProbes: boolean): ExplorerRun => {
    const race = buildRace({ type, channel, times, ticks, window, step, delivery: options.delivery, sampleProbes, keepTrace: sampleProbes, reference });
    last = race;
    const footprints = options.reduce === 'dpor' ? systemFootprints(race.system) : undefined;
    // Forked at the explorer's choice points (pending legacy bottom halves noted with the fork).
    let forks: SystemForks | undefined;
    const fork = (): RunFork | undefined => {
      const f = (forks ??= systemForks(race.system, { verify: options.verifyFork === true })).take();
      if (f === undefined) return undefined;
      return runForkOf(f, race.checkpoint());
    };
    return {
      ...(sampleProbes || options.rerun === true ? {} : { fork }),
      ...(footprints === undefined ? {} : { takeFootprint: footprints.take }),
      clock: race.system.clock,
      run: () => void race.system.run(race.until),
      check: () => {
        const bad = race.observations.find((o) => o.inconsistent);
        return bad === undefined
          ? undefined
          : `G1 at ${bad.time} ns (expiry ${bad.expiry} ns): counter ${bad.counter} ${bad.pending ? 'before the expiry with the status set' : 'after the expiry with the status clear'}`;
      },
    };
  };
  const build = (): ExplorerRun => runOf(false);
  const withTrace = (result: ExploreResult): ExploreRaceResult => {
    const base = { ...result, device: type.type, channel: channel.name, window };
    if (result.violation === undefined) return base;
    replaySchedule(runOf(true), result.violation.schedule);
    const { system } = last!;
    const registers = system.device('dut').registers;
    return { ...base, trace: system.trace.events, samples: system.samples, ...(registers === undefined ? {} : { registers }) };
  };
  return { build, withTrace };
};
