import { describe, expect, it } from 'vitest';
import { exploreScenario, type ExploreScenarioOptions } from '../../explore/exploreScenario';
import { exploreSchedules, type ExplorerRun } from '../../explore/exploreSchedules';
import { buildSystem, parseScenario } from '../../system/scenario/loadScenario';
import { DEFAULT_SCENARIO } from '../../system/scenario/defaultScenario';
import { checkpointSystem } from '../../system/systemCheckpoint';
import type { System } from '../../system/System';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

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

  it('the default scenario at its busiest instant, bounded: the same outcomes, every rewind back to the checkpoint state', () => {
    // 25 of its devices run work in this span: each rewind restores them and the interrupt controller.
    const { forked, rerun } = both(parseScenario(DEFAULT_SCENARIO), { from: 999_000, until: 1_000_100, maxSchedules: 30 });
    expect(rerun.schedules).toBe(30);
    expect(verdict(forked)).toEqual(verdict(rerun));
  });

  it('bottom-half delivery re-runs (a bottom half pending at the end of a run is not rewound): the same counterexample and trace', () => {
    const options: ExploreScenarioOptions = { from: 99_000, until: 201_000, delivery: 'bottom-half', maxSchedules: 5_000 };
    const { forked, rerun } = both(TWO_TICKS_SCENARIO, options);
    expect(rerun.violation).toBeDefined();
    expect(verdict(forked)).toEqual(verdict(rerun));
    expect(forked.trace).toEqual(rerun.trace);
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
