import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { exploreInParts, rescanDelay, type PartRun } from '../../explore/exploreInParts';
import { raceExplorer } from '../../explore/exploreRace';
import { scenarioExplorer } from '../../explore/exploreScenario';
import { exploreSchedules, type ExploreOptions, type ExplorerRun, type ExploreResult, type Schedule } from '../../explore/exploreSchedules';
import { scheduleAs } from '../support/labelled';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';
import { keepOf, sharedPartControl, type HandOff } from '../../explore/sharedPartControl';

const A = "ptimer 'a.t' expiry";
const B = "ptimer 'b.t' expiry";
/** Work at two instants: 10 ns (a, b, g) and 20 ns (h, i); `check` sees the order. */
const twoInstants = (check: (log: readonly string[]) => string | undefined) => (): ExplorerRun => {
  const clock = new VirtualClock();
  const log: string[] = [];
  for (const l of [A, B, 'guest:g']) scheduleAs(clock, l, () => void log.push(l), 10);
  for (const l of ['guest:h', 'guest:i']) scheduleAs(clock, l, () => void log.push(l), 20);
  return { clock, run: () => clock.advanceTo(30), check: () => check(log) };
};

/**
 * Parts explored in this thread, as a pool would: each part stops to split
 * after every `splitEvery` runs (as if a thread were always idle) or when the
 * coordinator asks, and resolves after a pseudo-random number of ticks, so
 * parts finish out of order and the coordinator's bounds and end are
 * exercised with several parts in flight.
 */
const localParts = (build: () => ExplorerRun, options: ExploreOptions, splitEvery: number, seed: number, report = false): PartRun => {
  let s = seed;
  const delay = (): number => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) % 4;
  return ({ prefix }, control, maxMillis) => {
    let runs = 0;
    const result = exploreSchedules(build, {
      ...options,
      prefix,
      ...(maxMillis === undefined ? {} : { maxMillis }),
      control: {
        bound: () => {
          runs++;
          return boundOf(control);
        },
        splitRequested: () => control.splitAsked || runs % splitEvery === 0,
        // As a thread reports its count (through the block's shared memory), when asked to.
        ...(report ? { report: sharedPartControl(control.buffer).report } : {}),
      },
    });
    return new Promise<ExploreResult>((resolve) => setTimeout(() => resolve(result), delay()));
  };
};

/** The bound a control block holds (read through the thread's view). */
const boundOf = (control: { readonly buffer: SharedArrayBuffer }): number => {
  const b = new Int32Array(control.buffer)[0]!;
  return b < 0 ? Infinity : b;
};

const cases: [string, () => ExplorerRun, ExploreOptions][] = [
  ['two instants, reduced, whole space', twoInstants(() => undefined), {}],
  ['two instants, unreduced, bounded at 7', twoInstants(() => undefined), { reduce: false, maxSchedules: 7 }],
  ['two instants, a violation late in the order', twoInstants((log) => (log.join().endsWith('guest:i,guest:h') && log[0] === 'guest:g' ? 'late' : undefined)), { reduce: false }],
  ['the race, sync, whole space', raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build, {}],
  ['the race, sync, bounded at 40', raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build, { maxSchedules: 40 }],
  ['the race, bottom-half (a violation)', raceExplorer({ device: 'sp804', delivery: 'bottom-half' }).build, {}],
];

describe('exploreInParts: parts split on demand, a shared bound, merged in order (#18)', () => {
  it.each(cases)('%s: the same result as one search, whatever the splits and the order parts finish in', async (_name, build, options) => {
    const whole = exploreSchedules(build, options);
    for (const concurrency of [1, 2, 3]) {
      for (const splitEvery of [1, 3]) {
        const { result } = await exploreInParts({ maxSchedules: options.maxSchedules ?? 10_000, concurrency, run: localParts(build, options, splitEvery, concurrency * 7 + splitEvery) });
        expect(result).toEqual(whole);
      }
    }
  });

  it.each([
    ['sync', { from: 99_000, until: 101_000, observe: 1, reduce: false, maxSchedules: 25 }],
    ['bottom-half', { from: 99_000, until: 101_000, observe: 1, delivery: 'bottom-half' as const, invariants: { atomicExpiry: false } }],
  ])('a scenario under %s delivery: the same result as one search', async (_name, options) => {
    const explorer = scenarioExplorer(TWO_TICKS_SCENARIO, options);
    const whole = exploreSchedules(explorer.build, explorer.exploreOptions);
    const { result } = await exploreInParts({ maxSchedules: explorer.exploreOptions.maxSchedules ?? 10_000, concurrency: 2, run: localParts(explorer.build, explorer.exploreOptions, 2, 5) });
    expect(result).toEqual(whole);
  });

  it('one part at a time runs no run the result does not use: the bound is shared, not given to every part', async () => {
    const build = raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build;
    const whole = exploreSchedules(build, { maxSchedules: 40 });
    const { result, runs, parts } = await exploreInParts({ maxSchedules: 40, concurrency: 1, run: localParts(build, {}, 15, 1) });
    expect(result).toEqual(whole);
    expect(parts).toBeGreaterThan(5);
    expect(runs).toBe(whole.schedules + whole.pruned);
  });

  it('parts that report their count lower the bounds of the parts after them: fewer runs past the bound with several in flight, the same result', async () => {
    const build = raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build;
    const whole = exploreSchedules(build, { maxSchedules: 40 });
    const ran = async (report: boolean) => {
      const { result, runs } = await exploreInParts({ maxSchedules: 40, concurrency: 3, run: localParts(build, {}, 15, 3, report) });
      expect(result).toEqual(whole);
      return runs;
    };
    const [silent, reported] = [await ran(false), await ran(true)];
    expect(silent).toBeGreaterThan(whole.schedules + whole.pruned);
    expect(reported).toBeLessThan(silent);
  });

  it('a split hands back the rest of the part: exploring the rest in order gives the single search', () => {
    const build = twoInstants(() => undefined);
    const whole = exploreSchedules(build, { reduce: false });
    const first = exploreSchedules(build, { reduce: false, control: { bound: () => Infinity, splitRequested: () => true } });
    expect(first.outcomes).toBe('S');
    expect(first.rest).toEqual([
      [A, B, 'guest:i'],
      [A, 'guest:g'],
      [B],
      ['guest:g'],
    ]);
    const rest = first.rest!.map((prefix) => exploreSchedules(build, { reduce: false, prefix }).outcomes);
    expect(first.outcomes + rest.join('')).toBe(whole.outcomes);
  });
});

/**
 * Parts explored in this thread as the threads pool runs them: spans
 * (`fixed`, `end`), and splits that hand off the tail of the rest through
 * `sharedPartControl`'s hand-off while the part runs on. The hand-offs
 * reach the coordinator before the part's result, as the pool delivers them.
 */
const localSpans = (build: () => ExplorerRun, options: ExploreOptions, splitEvery: number, seed: number): PartRun => {
  let s = seed;
  const delay = (): number => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) % 4;
  return (part, control, maxMillis, handOff) => {
    const handed: HandOff[] = [];
    const thread = sharedPartControl(control.buffer, (h) => handed.push(h));
    let runs = 0;
    const result = exploreSchedules(build, {
      ...options,
      ...part,
      ...(maxMillis === undefined ? {} : { maxMillis }),
      control: {
        ...thread,
        splitRequested: () => thread.splitRequested() || ++runs % splitEvery === 0,
      },
    });
    return new Promise<ExploreResult>((resolve) =>
      setTimeout(() => {
        for (const h of handed) handOff(h);
        setTimeout(() => resolve(result), delay());
      }, delay()),
    );
  };
};

describe('exploreInParts with spans and hand-offs: a split keeps the part running (#18)', () => {
  it.each(cases)('%s: the same result as one search', async (_name, build, options) => {
    const whole = exploreSchedules(build, options);
    for (const concurrency of [1, 2, 3]) {
      for (const splitEvery of [1, 4]) {
        const { result } = await exploreInParts({ maxSchedules: options.maxSchedules ?? 10_000, concurrency, spans: true, run: localSpans(build, options, splitEvery, concurrency * 5 + splitEvery) });
        expect(result).toEqual(whole);
      }
    }
  });

  it('a scenario (forked runs): the same result as one search', async () => {
    const options = { from: 99_000, until: 101_000, observe: 1, reduce: false, maxSchedules: 25 };
    const explorer = scenarioExplorer(TWO_TICKS_SCENARIO, options);
    const whole = exploreSchedules(explorer.build, explorer.exploreOptions);
    const { result } = await exploreInParts({ maxSchedules: 25, concurrency: 2, spans: true, run: localSpans(explorer.build, explorer.exploreOptions, 2, 5) });
    expect(result).toEqual(whole);
  });

  it('the rest of a split part is one span: from its first prefix on, with `fixed`, it runs the single search to the end; with `end`, up to it', () => {
    const build = raceExplorer({ device: 'cmsdk-apb-timer', delivery: 'sync' }).build;
    const whole = exploreSchedules(build, {});
    for (const after of [1, 3, 7]) {
      let n = 0;
      const first = exploreSchedules(build, { control: { bound: () => Infinity, splitRequested: () => ++n >= after } });
      const rest = first.rest!;
      expect(rest.length).toBeGreaterThan(1);
      const span = exploreSchedules(build, { prefix: rest[0]!, fixed: 0 });
      expect(first.outcomes + span.outcomes).toBe(whole.outcomes);
      // Up to the last prefix of the rest, then that prefix's own part: the same again.
      const upTo = exploreSchedules(build, { prefix: rest[0]!, fixed: 0, end: rest.at(-1)! });
      const last = exploreSchedules(build, { prefix: rest.at(-1)! });
      expect(upTo.exhausted).toBe(true);
      expect(first.outcomes + upTo.outcomes + last.outcomes).toBe(whole.outcomes);
    }
  });

  it('a split that hands off the tail of the rest: the part runs on without it, and the tail as one span completes the single search', () => {
    const build = twoInstants(() => undefined);
    const whole = exploreSchedules(build, { reduce: false });
    for (let keep = 0; keep <= 3; keep++) {
      let tail: readonly Schedule[] = [];
      let asked = true;
      const part = exploreSchedules(build, {
        reduce: false,
        control: {
          bound: () => Infinity,
          splitRequested: () => asked,
          splitOff: (rest, sizes) => {
            asked = false;
            expect(sizes).toHaveLength(rest.length);
            tail = rest.slice(keep);
            return keep;
          },
        },
      });
      expect(part.exhausted).toBe(true);
      const after = exploreSchedules(build, { reduce: false, prefix: tail[0]!, fixed: 0 });
      expect(part.outcomes + after.outcomes).toBe(whole.outcomes);
    }
  });
});

describe('keepOf: where a split cuts its rest', () => {
  it('keeps the prefixes that come nearest half of what is left', () => {
    expect(keepOf([1, 4, 6, 12, 24, 48], Infinity, 1)).toBe(5); // 47 kept of 95
    expect(keepOf([100, 100], Infinity, 1)).toBe(1);
  });
  it('in a bounded search, half of what the bound leaves: the tail is still within it', () => {
    expect(keepOf([1, 4, 6, 12, 24, 48, 96, 192], 40, 1)).toBe(4); // 23 kept, ~20 of the bound
  });
  it('keeps everything when the tail is worth less than two starts of a thread on a part', () => {
    expect(keepOf([1, 2, 4], Infinity, 10)).toBe(3);
    expect(keepOf([1, 2, 40], Infinity, 10)).toBe(2);
  });
});

describe('rescanDelay: how often the bounds follow the parts (#18)', () => {
  it('every 2 ms near the bound, rarely far from it (a whole space leaves this thread idle)', () => {
    expect(rescanDelay(10, 3)).toBe(2); // ~3 ms of runs left: follow closely
    expect(rescanDelay(300, 3)).toBe(25); // ~100 ms left: a quarter of it
    expect(rescanDelay(1_000_000, 3)).toBe(50);
    expect(rescanDelay(1_000_000, 0)).toBe(2); // no rate yet
  });
});
