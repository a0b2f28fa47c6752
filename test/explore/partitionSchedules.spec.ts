import { scheduleAs } from '../support/labelled';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { exploreSchedules, type ExploreOptions, type ExplorerRun, type ExploreResult } from '../../explore/exploreSchedules';
import { mergeParts, partitionSchedules } from '../../explore/partitionSchedules';
import { buildRace, raceExperiment, raceReference, raceSizes, raceTimes } from '../../system/race/raceExperiment';

/** Splits at `depth`, explores the parts in reverse (arrival order must not matter), merges. */
const split = (build: () => ExplorerRun, depth: number, options: ExploreOptions = {}): ExploreResult => {
  const partition = partitionSchedules(build, depth, options);
  const results = new Map<number, ExploreResult>();
  for (const part of [...partition.parts].reverse()) results.set(part.order, exploreSchedules(build, { ...options, prefix: part.prefix }));
  return mergeParts(partition, results, options.maxSchedules);
};

const A = "ptimer 'a.t' expiry";
const B = "ptimer 'b.t' expiry";
/** Work at two instants: 10 ns (a, b, g) and 20 ns (h, i), `check` sees the order. */
const twoInstants = (check: (log: readonly string[]) => string | undefined) => (): ExplorerRun => {
  const clock = new VirtualClock();
  const log: string[] = [];
  for (const l of [A, B, 'guest:g']) scheduleAs(clock, l, () => void log.push(l), 10);
  for (const l of ['guest:h', 'guest:i']) scheduleAs(clock, l, () => void log.push(l), 20);
  return { clock, run: () => clock.advanceTo(30), check: () => check(log) };
};

const race = (delivery: 'sync' | 'bottom-half') => {
  const { type, channel, ticks, window, step } = raceSizes({ device: 'cmsdk-apb-timer', delivery, expiries: 3 });
  const times = raceTimes(type, channel, ticks, 3);
  const normal = raceExperiment({ device: 'cmsdk-apb-timer', delivery: 'sync', expiries: 3, sampleProbes: false });
  const reference = raceReference(normal.observations, times);
  return (): ExplorerRun => {
    const r = buildRace({ type, channel, times, ticks, window, step, delivery, sampleProbes: false, reference });
    return { clock: r.system.clock, run: () => void r.system.run(r.until), check: () => r.observations.find((o) => o.inconsistent)?.where };
  };
};

describe('partitionSchedules + mergeParts: the same result as one search', () => {
  const cases: [string, () => ExplorerRun, ExploreOptions][] = [
    ['two instants, no violation, reduced', twoInstants(() => undefined), {}],
    ['two instants, no violation, unreduced', twoInstants(() => undefined), { reduce: false }],
    ['two instants, a violation late in the order', twoInstants((log) => (log.join().endsWith('guest:i,guest:h') && log[0] === 'guest:g' ? 'late' : undefined)), {}],
    ['two instants, bounded at 7', twoInstants(() => undefined), { reduce: false, maxSchedules: 7 }],
    ['the race, sync (216 schedules)', race('sync'), {}],
    ['the race, sync, bounded at 50', race('sync'), { maxSchedules: 50 }],
    ['the race, bottom-half (a violation)', race('bottom-half'), {}],
  ];
  it.each(cases)('%s, split at depths 1, 2 and 3', (_name, build, options) => {
    const whole = exploreSchedules(build, options);
    for (const depth of [1, 2, 3]) expect(split(build, depth, options)).toEqual(whole);
  });

  it('splits into one part per prefix, in exploration order', () => {
    const partition = partitionSchedules(twoInstants(() => undefined), 1, { reduce: false });
    expect(partition.parts.map((p) => p.prefix)).toEqual([[A], [B], ['guest:g']]);
    expect(partition.outcomes).toBe('XXX');
  });
});
