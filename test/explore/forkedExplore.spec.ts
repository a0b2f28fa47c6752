import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exploreRace } from '../../explore/exploreRace';
import { exploreScenario, type ExploreScenarioOptions, type ScenarioPredicate } from '../../explore/exploreScenario';
import { exploreSchedules, type ExplorerRun } from '../../explore/exploreSchedules';
import { buildSystem, parseScenario } from '../../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../../system/scenario/defaultScenario';
import { checkpointSystem, systemForks } from '../../system/systemCheckpoint';
import { scenarioSubset } from '../support/scenarioSubset';
import type { System } from '../../system/System';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';
import { exploreScenarioRandom } from '../../explore/strategies/exploreScenarioRandom';

/** Everything a search reports, but the trace of its counterexample (compared separately). */
const verdict = (r: ReturnType<typeof exploreScenario>) => ({
  schedules: r.schedules,
  pruned: r.pruned,
  exhausted: r.exhausted,
  outcomes: r.outcomes,
  violation: r.violation,
  observed: r.observed,
});

/** The forked search (every rewind checked against the checkpoint's whole state) and the re-run one. */
const both = (scenario: unknown, options: ExploreScenarioOptions) => ({
  forked: exploreScenario(scenario, { ...options, verifyFork: true }),
  rerun: exploreScenario(scenario, { ...options, rerun: true }),
});

describe('exploreScenario forked from a checkpoint at `from`', () => {
  it('two ticks, sync delivery, exhausted: the same counts and outcomes as re-running every schedule', () => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { from: 99_000, until: 201_000, maxSchedules: 5_000 });
    expect(rerun.exhausted).toBe(true);
    expect(rerun.schedules).toBeGreaterThan(10);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('two ticks, a span that starts between the instants, without reduction: the same', () => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { from: 150_000, until: 201_000, maxSchedules: 5_000, reduce: false });
    expect(rerun.exhausted).toBe(true);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('with DPOR (footprints learned per run): the same counts, outcomes and verdicts as re-running', () => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { from: 99_000, until: 201_000, maxSchedules: 5_000, reduce: 'dpor' });
    expect(rerun.exhausted).toBe(true);
    expect(verdict(forked)).toEqual(verdict(rerun));
    const busy = both(parseScenario(DEFAULT_SCENARIO), { from: 500_000, until: 500_001, maxSchedules: 200, reduce: 'dpor' });
    expect(busy.rerun.exhausted).toBe(true);
    expect(verdict(busy.forked)).toEqual(verdict(busy.rerun));
  });

  it('the default scenario at its busiest instant, bounded: the same outcomes, every fork and rewind checked against the whole state', () => {
    // 25 of its devices run work in this span; its tick handlers are woken mid-instant (forks hold them woken).
    const { forked, rerun } = both(parseScenario(DEFAULT_SCENARIO), { from: 999_000, until: 1_000_100, maxSchedules: 120 });
    expect(rerun.schedules).toBe(120);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('the default scenario over two busy instants, without reduction: the same outcomes', () => {
    const { forked, rerun } = both(parseScenario(DEFAULT_SCENARIO), { from: 499_999, until: 502_001, maxSchedules: 80, reduce: false });
    expect(rerun.schedules).toBe(80);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('random systems (device subsets of the default scenario, spans at their busy instants): the same as re-running', () => {
    const names = parseScenario(DEFAULT_SCENARIO).devices.map((d) => d.name);
    const spans = [
      { from: 199_999, until: 200_001 },
      { from: 499_999, until: 502_001 },
      { from: 999_000, until: 1_000_100 },
    ];
    fc.assert(
      fc.property(
        fc.subarray(names, { minLength: 2, maxLength: 8 }),
        fc.constantFrom(...spans),
        fc.constantFrom<ExploreScenarioOptions['reduce']>(true, false, 'dpor'),
        (devices, span, reduce) => {
          const scenario = scenarioSubset(DEFAULT_SCENARIO, devices);
          const { forked, rerun } = both(scenario, { ...span, reduce, maxSchedules: 25 });
          expect(verdict(forked)).toEqual(verdict(rerun));
        },
      ),
      { numRuns: 8, seed: 18_1 },
    );
  });

  it('from 0 (no run before the span): forked from the first choice point on, the same counts, outcomes and counterexample', () => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { until: 201_000, maxSchedules: 5_000 });
    expect(rerun.exhausted).toBe(true);
    expect(verdict(forked)).toEqual(verdict(rerun));
    const busy = both(parseScenario(DEFAULT_SCENARIO), { until: 500_001, maxSchedules: 40 });
    expect(busy.rerun.schedules).toBe(40);
    expect(verdict(busy.forked)).toEqual(verdict(busy.rerun));
  });

  it('bottom-half delivery (forks note pending bottom halves, rewinds put them back): the same counterexample and trace', () => {
    const options: ExploreScenarioOptions = { from: 99_000, until: 201_000, delivery: 'bottom-half', maxSchedules: 5_000 };
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, options);
    expect(rerun.violation).toBeDefined();
    expect(verdict(forked)).toEqual(verdict(rerun));
    expect(forked.trace).toEqual(rerun.trace);
  });

  /** Bottom-half delivery with no invariant on: the search covers its whole space instead of stopping at the first break. */
  const NO_INVARIANTS = { atomicExpiry: false, consistentReads: false, exactlyOnce: false } as const;

  it.each([
    ['from 0', { until: 201_000 }],
    ['from 99 µs', { from: 99_000, until: 201_000 }],
    ['from 99 µs, without reduction', { from: 99_000, until: 201_000, reduce: false }],
    ['a 150 µs window (bottom halves deferred to the next instant)', { from: 99_000, until: 301_000, bottomHalfWindow: 150_000 }],
  ] as const)('bottom-half delivery, every order (%s): the same counts and outcomes as re-running', (_, span) => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { ...span, delivery: 'bottom-half', invariants: NO_INVARIANTS, maxSchedules: 3_000 });
    expect(rerun.schedules).toBeGreaterThan(10);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('bottom-half delivery on the default scenario (bounded, invariants on, with a window): the same outcomes and verdict', () => {
    for (const options of [
      { from: 999_000, until: 1_000_100, maxSchedules: 120 },
      { from: 499_999, until: 502_001, maxSchedules: 80, bottomHalfWindow: 1_000 },
    ]) {
      const { forked, rerun } = both(parseScenario(DEFAULT_SCENARIO), { ...options, delivery: 'bottom-half', invariants: NO_INVARIANTS });
      expect(rerun.schedules).toBeGreaterThan(40);
      expect(verdict(forked)).toEqual(verdict(rerun));
      const checked = both(parseScenario(DEFAULT_SCENARIO), { ...options, delivery: 'bottom-half' });
      expect(verdict(checked.forked)).toEqual(verdict(checked.rerun));
      expect(checked.forked.trace).toEqual(checked.rerun.trace);
    }
  });

  it('bottom-half delivery on random systems (device subsets of the default scenario): the same as re-running', () => {
    const names = parseScenario(DEFAULT_SCENARIO).devices.map((d) => d.name);
    fc.assert(
      fc.property(
        fc.subarray(names, { minLength: 2, maxLength: 6 }),
        fc.constantFrom({ from: 199_999, until: 200_001 }, { from: 499_999, until: 502_001 }, { from: 999_000, until: 1_000_100 }),
        fc.constantFrom(0, 2_000),
        (devices, span, bottomHalfWindow) => {
          const scenario = scenarioSubset(DEFAULT_SCENARIO, devices);
          const { forked, rerun } = both(scenario, { ...span, delivery: 'bottom-half', invariants: NO_INVARIANTS, bottomHalfWindow, maxSchedules: 25 });
          expect(verdict(forked)).toEqual(verdict(rerun));
          const dpor = both(scenario, { ...span, delivery: 'bottom-half', invariants: NO_INVARIANTS, reduce: 'dpor', maxSchedules: 25 });
          expect(verdict(dpor.forked)).toEqual(verdict(dpor.rerun));
          expect(verdict(forked)).toEqual(verdict(rerun));
        },
      ),
      { numRuns: 8, seed: 18_4 },
    );
  });
});

describe('exploreSchedules on a system rewound to a checkpoint', () => {
  /**
   * Order-dependent on purpose: broken when the mini tick handler acknowledges
   * before the SP804 one at one instant. Its own state (the acknowledgements
   * seen) is noted at the checkpoint and put back with the system.
   */
  const withAckOrder = (system: System) => {
    let acks: { time: number; source: string }[] = [];
    system.watchTrace((e) => {
      if (e.kind === 'write') acks.push({ time: e.time, source: e.source });
    });
    const check = (): string | undefined => {
      const now = system.clock.now();
      const at = acks.filter((a) => a.time === now).map((a) => a.source);
      return at[0] === 'mini' && at.includes('sp') ? `mini acknowledged first at ${now} ns` : undefined;
    };
    return { check, save: () => acks.slice(), load: (saved: typeof acks) => (acks = saved.slice()) };
  };
  const scenario = parseScenario(TWO_TICKS_SCENARIO);
  const from = 99_000;
  const until = 201_000;

  const rerunBuild = (): ExplorerRun => {
    const { system } = buildSystem(scenario);
    const { check } = withAckOrder(system);
    return { clock: system.clock, run: () => void system.run(until), check };
  };

  const forkBuild = (): { build: () => ExplorerRun; rewinds: () => number } => {
    const { system } = buildSystem(scenario);
    const state = withAckOrder(system);
    system.run(from - 1);
    const point = checkpointSystem(system, { verify: true });
    const saved = state.save();
    let first = true;
    let rewinds = 0;
    const run: ExplorerRun = { clock: system.clock, run: () => void system.run(until), check: state.check };
    return {
      build: () => {
        if (!first) {
          point.rewind();
          state.load(saved);
          rewinds++;
        }
        first = false;
        return run;
      },
      rewinds: () => rewinds,
    };
  };

  /** The system forked at `from` and again at every choice point of the explorer's path; counts the work run. */
  const deepForkBuild = (): { build: () => ExplorerRun; work: () => number } => {
    const { system } = buildSystem(scenario);
    const state = withAckOrder(system);
    system.run(from - 1);
    const forks = systemForks(system, { verify: true });
    const base = forks.take()!;
    const saved = state.save();
    let first = true;
    let work = 0;
    system.clock.observe({ before: () => void work++ });
    const fork = () => {
      const f = forks.take();
      if (f === undefined) return undefined;
      const acks = state.save();
      return { rewind: () => (f.rewind(), state.load(acks), true), release: f.release };
    };
    const run: ExplorerRun = { clock: system.clock, run: () => void system.run(until), check: state.check, fork };
    return {
      build: () => {
        if (!first) {
          base.rewind();
          state.load(saved);
        }
        first = false;
        return run;
      },
      work: () => work,
    };
  };

  it('forked at every choice point: the same result, with less work run than from `from`', () => {
    const options = { from, reduce: false, maxSchedules: 5_000 };
    const rerun = exploreSchedules(rerunBuild, options);
    const base = forkBuild();
    let baseWork = 0;
    const atFrom = exploreSchedules(() => {
      const run = base.build();
      const stop = run.clock.observe({ before: () => void baseWork++ });
      return { ...run, run: () => (run.run(), stop()) };
    }, options);
    const deep = deepForkBuild();
    const forked = exploreSchedules(deep.build, options);
    expect(forked).toEqual(rerun);
    expect(atFrom).toEqual(rerun);
    expect(rerun.schedules).toBeGreaterThan(3);
    // Each schedule but the first runs only the work after the last choice it shares with the one before.
    expect(deep.work()).toBeLessThan(baseWork * 0.75);
  });

  it('finds the same first counterexample, with the same counts, as re-running from time 0', () => {
    const options = { from, reduce: false, maxSchedules: 5_000 };
    const rerun = exploreSchedules(rerunBuild, options);
    const fork = forkBuild();
    const forked = exploreSchedules(fork.build, options);
    expect(rerun.violation?.message).toBe('mini acknowledged first at 102000 ns');
    expect(rerun.violation!.index).toBeGreaterThan(1);
    expect(forked).toEqual(rerun);
    expect(fork.rewinds()).toBe(rerun.schedules + rerun.pruned - 1);
  });
});

describe('exploreRace forked at its choice points', () => {
  /** Everything the race search reports, but the trace of its counterexample (compared separately). */
  const race = (r: ReturnType<typeof exploreRace>) => ({ schedules: r.schedules, pruned: r.pruned, exhausted: r.exhausted, outcomes: r.outcomes, violation: r.violation });

  it.each([
    ['sp804', 'sync', true, 'exhausted'],
    ['sp804', 'sync', false, 'bounded'],
    ['cmsdk-apb-timer', 'sync', true, 'exhausted'],
    ['sp804', 'bottom-half', true, 'broken'],
    ['sp804', 'sync', 'dpor', 'exhausted'],
    ['cmsdk-apb-timer', 'bottom-half', 'dpor', 'broken'],
  ] as const)('%s, %s delivery, reduce %s: the same counts, outcomes and counterexample as re-running (%s)', (device, delivery, reduce, end) => {
    const options = { device, delivery, reduce, expiries: 3, maxSchedules: end === 'bounded' ? 150 : 1_500 };
    const forked = exploreRace({ ...options, verifyFork: true });
    const rerun = exploreRace({ ...options, rerun: true });
    const enough = reduce === 'dpor' ? 5 : 150;
    expect(end === 'broken' ? rerun.violation !== undefined : rerun.exhausted === (end === 'exhausted') && rerun.schedules >= enough).toBe(true);
    expect(race(forked)).toEqual(race(rerun));
    expect(forked.trace).toEqual(rerun.trace);
  });
});

describe('random strategies on a scenario forked at `from`', () => {
  it.each([
    ['random', 'sync'],
    ['pct', 'sync'],
    ['random', 'bottom-half'],
    ['pct', 'bottom-half'],
  ] as const)('%s, %s delivery: the same runs, violation, shrunk choices and trace as re-running', (strategy, delivery) => {
    const options = { from: 99_000, until: 301_000, delivery, strategy, seed: 7, runs: 30, ...(strategy === 'pct' ? { depth: 2 } : {}) } as const;
    const forked = exploreScenarioRandom(TWO_TICKS_SCENARIO, { ...options, verifyFork: true });
    const rerun = exploreScenarioRandom(TWO_TICKS_SCENARIO, { ...options, rerun: true });
    if (delivery === 'bottom-half') expect(rerun.violation?.shrinkRuns).toBeGreaterThan(0);
    // Probe samples carry their forecasts' functions (of the replayed system): compared as data.
    const { samples, ...rest } = forked;
    const { samples: rerunSamples, ...rerunRest } = rerun;
    expect(rest).toEqual(rerunRest);
    const data = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(data(samples)).toBe(data(rerunSamples));
  });
});

describe('exploreScenario with predicates that read the trace, forked', () => {
  /** Order-dependent on purpose: the mini tick handler acknowledges before the SP804 one at 102 µs only in another order. */
  const order: ScenarioPredicate = ({ system, time }) => {
    const acks = system.trace.events.filter((e) => e.time === time && e.kind === 'write').map((e) => e.source);
    return acks[0] === 'mini' && acks.includes('sp') ? `mini acknowledged first at ${time} ns` : undefined;
  };
  /** Holds in every order, but reads the whole trace: any event a rewind left behind would show. */
  const counted = (seen: Set<unknown>): ScenarioPredicate => ({ system, time }) => {
    seen.add(system);
    const events = system.trace.events;
    const last = events[events.length - 1];
    if (system.trace.length !== events.length) return `length ${system.trace.length} but ${events.length} events`;
    return last !== undefined && last.time > time ? `an event at ${last.time} ns after the time ${time} ns (left by a rewind)` : undefined;
  };

  it('a broken predicate: the same verdict, schedule and counts as re-running', () => {
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, { from: 99_000, until: 201_000, maxSchedules: 5_000, reduce: false, predicates: [order] });
    expect(rerun.violation?.message).toBe('mini acknowledged first at 102000 ns');
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('a predicate that holds: the same counts and outcomes, from far fewer systems than schedules (forks, not re-runs)', () => {
    const forkedSystems = new Set<unknown>();
    const rerunSystems = new Set<unknown>();
    const options = { from: 99_000, until: 201_000, maxSchedules: 5_000 } as const;
    const forked = exploreScenario(TWO_TICKS_SCENARIO, { ...options, predicates: [counted(forkedSystems)], verifyFork: true });
    const rerun = exploreScenario(TWO_TICKS_SCENARIO, { ...options, predicates: [counted(rerunSystems)], rerun: true });
    expect(rerun.exhausted).toBe(true);
    expect(rerun.violation).toBeUndefined();
    expect(verdict(forked)).toEqual(verdict(rerun));
    expect(rerunSystems.size).toBeGreaterThanOrEqual(rerun.schedules);
    expect(forkedSystems.size).toBeLessThan(4);
  });
});
