import { describe, expect, it } from 'vitest';
import { raceExplorer } from '../../explore/exploreRace';
import { scenarioExplorer } from '../../explore/exploreScenario';
import { exploreSchedules, type ExploreOptions, type ExplorerRun, type ExploreResult, type HeldRun, type RunFork, type Schedule } from '../../explore/exploreSchedules';
import { pathHold } from '../../explore/heldPath';
import { partitionSchedules } from '../../explore/partitionSchedules';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

/** Counts the runs built from scratch and the rewinds: where a part's runs start. */
const counted = (build: () => ExplorerRun) => {
  const counts = { builds: 0, rewinds: 0 };
  const wrapped = (): ExplorerRun => {
    counts.builds++;
    const run = build();
    if (run.fork === undefined) return run;
    const fork = run.fork;
    return {
      ...run,
      fork: (): RunFork | undefined => {
        const f = fork();
        return f === undefined ? undefined : { release: f.release, rewind: () => (counts.rewinds++, f.rewind()) };
      },
    };
  };
  return { build: wrapped, counts };
};

/** A pseudo-random order of 0..n-1 (a thread gets parts in no particular order). */
const shuffled = (n: number, seed: number): number[] => {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
};

const cases: [string, () => { build: () => ExplorerRun; options: ExploreOptions }][] = [
  ['the race, sync', () => ({ build: raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build, options: {} })],
  ['the race, bottom-half (a violation)', () => ({ build: raceExplorer({ device: 'sp804', delivery: 'bottom-half' }).build, options: {} })],
  [
    'a scenario forked at from',
    () => {
      const e = scenarioExplorer(TWO_TICKS_SCENARIO, { from: 99_000, until: 201_000, maxSchedules: 5_000 });
      return { build: e.build, options: e.exploreOptions };
    },
  ],
  [
    'a scenario forked at from, unreduced, each part bounded',
    () => {
      const e = scenarioExplorer(TWO_TICKS_SCENARIO, { from: 150_000, until: 201_000, maxSchedules: 40, reduce: false });
      return { build: e.build, options: e.exploreOptions };
    },
  ],
];

describe('pathHold: a part starts from the deepest fork its thread already holds (#18)', () => {
  it.each(cases)('%s: parts in any order on one held path give the results of parts started from scratch', (_name, make) => {
    const { build, options } = make();
    const { maxSchedules: _bound, ...split } = options;
    const partition = partitionSchedules(build, 3, split);
    const prefixes = partition.parts.map((p) => p.prefix).slice(0, 12);
    expect(prefixes.length).toBeGreaterThan(2);
    const fresh = prefixes.map((prefix) => exploreSchedules(build, { ...options, prefix }));
    for (const seed of [1, 7]) {
      const hold = pathHold<HeldRun>();
      const held = new Map<number, ExploreResult>();
      for (const i of shuffled(prefixes.length, seed)) held.set(i, exploreSchedules(build, { ...options, prefix: prefixes[i]!, hold }));
      prefixes.forEach((_, i) => expect(held.get(i)).toEqual(fresh[i]));
    }
  });

  it('a part next to the held path starts from a fork: no run built, no replay from the start', () => {
    const { build, counts } = counted(raceExplorer({ device: 'sp804', delivery: 'sync', expiries: 3 }).build);
    const whole = exploreSchedules(build, {});
    // The first part stops after a few runs (a split), and the rest of it continues as one span on the same hold.
    const hold = pathHold<HeldRun>();
    let runs = 0;
    const first = exploreSchedules(build, { hold, control: { bound: () => Infinity, splitRequested: () => ++runs >= 5 } });
    const rest: Schedule[] = [...first.rest!];
    const before = counts.builds;
    const span = exploreSchedules(build, { prefix: rest[0]!, fixed: 0, hold });
    expect(first.outcomes + span.outcomes).toBe(whole.outcomes);
    expect(counts.builds).toBe(before);
    // Without the hold, the span's first run is a fresh one.
    const again = exploreSchedules(build, { prefix: rest[0]!, fixed: 0 });
    expect(again).toEqual(span);
    expect(counts.builds).toBe(before + 1);
  });

  it('every path shares the first choice point: a part starts from its fork, also after a whole search (it lends its last path); a cleared hold builds a run, the same', () => {
    const { build, counts } = counted(raceExplorer({ device: 'sp804', delivery: 'sync', expiries: 3 }).build);
    const partition = partitionSchedules(build, 1, {});
    const [a, b] = [partition.parts[0]!.prefix, partition.parts.at(-1)!.prefix];
    const hold = pathHold<HeldRun>();
    exploreSchedules(build, { prefix: a, hold });
    let before = counts.builds;
    const held = exploreSchedules(build, { prefix: b, hold, maxSchedules: 3 });
    expect(counts.builds).toBe(before);
    expect(held).toEqual(exploreSchedules(build, { prefix: b, maxSchedules: 3 }));
    // A whole search backs out of every choice point, and lends the path it backed out of.
    const whole = exploreSchedules(build, { hold });
    expect(whole.exhausted).toBe(true);
    before = counts.builds;
    expect(exploreSchedules(build, { prefix: a, hold, maxSchedules: 3 })).toEqual(exploreSchedules(build, { prefix: a, maxSchedules: 3 }));
    expect(counts.builds).toBe(before + 1); // the comparison's own run
    hold.clear();
    before = counts.builds;
    expect(exploreSchedules(build, { prefix: b, hold, maxSchedules: 3 })).toEqual(held);
    expect(counts.builds).toBe(before + 1);
  });

  it('a search that failed leaves no path (cleared), and the next one is the same as from scratch', () => {
    const { build } = counted(raceExplorer({ device: 'sp804', delivery: 'sync', expiries: 3 }).build);
    const partition = partitionSchedules(build, 2, {});
    const hold = pathHold<HeldRun>();
    exploreSchedules(build, { prefix: partition.parts[0]!.prefix, hold, maxSchedules: 2 });
    expect(() => exploreSchedules(build, { prefix: ['not an option'], hold })).toThrow(/not an option explored here/);
    hold.clear();
    const p = partition.parts[1]!.prefix;
    expect(exploreSchedules(build, { prefix: p, hold })).toEqual(exploreSchedules(build, { prefix: p }));
  });
});
