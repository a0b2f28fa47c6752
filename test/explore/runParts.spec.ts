import { describe, expect, it } from 'vitest';
import { SystemConfigError } from '../../system';
import { createExplorePool, type ExplorePool } from '../../explore/ExplorePool';
import { raceExplorer, type ExploreRaceOptions } from '../../explore/exploreRace';
import { exploreRaceParallel } from '../../explore/exploreRaceParallel';
import { exploreSchedules, type ExploreResult } from '../../explore/exploreSchedules';
import type { ExploreTask, PartStats } from '../../explore/exploreWorker';
import { runOnPool } from '../../explore/runParts';
import { sharedPartControl } from '../../explore/sharedPartControl';

const RACE: ExploreRaceOptions = { device: 'cmsdk-apb-timer', delivery: 'sync', expiries: 3 };

/**
 * A pool whose "threads" run in this thread, later: a first task with a
 * bound of 0 (a thread's warm-up) reports its run at once, as a thread
 * ready while this one is busy would; the others explore their span.
 */
const localPool = (): ExplorePool & { readonly tasks: ExploreTask[] } => {
  const build = raceExplorer(RACE).build;
  const tasks: ExploreTask[] = [];
  let started = false;
  return {
    threads: 2,
    spans: true,
    tasks,
    get started() {
      return started;
    },
    prepare: async () => undefined,
    run: (task) => {
      started = true;
      tasks.push(task);
      const control = sharedPartControl(task.control!);
      if (control.bound() === 0) {
        control.report!(1);
        return Promise.resolve({ schedules: 1, pruned: 0, exhausted: false, outcomes: 'S' });
      }
      return new Promise<ExploreResult>((resolve) =>
        setTimeout(() => resolve(exploreSchedules(build, { prefix: task.prefix, ...(task.fixed === undefined ? {} : { fixed: task.fixed }), ...(task.end === undefined ? {} : { end: task.end }), control })), 1),
      );
    },
    destroy: async () => undefined,
  };
};

describe('runOnPool with a lead: the search starts in this thread, threads only when it outlives the lead (#18)', () => {
  const explorer = raceExplorer(RACE);
  const whole = exploreSchedules(explorer.build, { maxSchedules: 10_000 });
  const task = (prefix: readonly string[]): ExploreTask => ({ kind: 'race', options: RACE, prefix });

  it('past the lead the threads are started while it runs; once one is set up the rest goes to them, as one span: the single search', async () => {
    const pool = localPool();
    const { result, parts } = await runOnPool({ pool, workers: 2, maxSchedules: 10_000, task, lead: { build: explorer.build, options: { maxSchedules: 10_000 }, leadMillis: 1e-9 } });
    expect(result).toEqual(whole);
    expect(pool.started).toBe(true);
    // The two warm-ups (a bound of 0), then the rest of the space from where this thread stopped, as one span.
    expect(pool.tasks.length).toBeGreaterThanOrEqual(3);
    expect(pool.tasks[2]!.fixed).toBe(0);
    expect(parts).toBe(pool.tasks.length - 2 + 1);
  });

  it('a bounded search, stopped in this thread and finished on the threads: the single search', async () => {
    const bounded = exploreSchedules(explorer.build, { maxSchedules: 50 });
    const { result } = await runOnPool({ pool: localPool(), workers: 2, maxSchedules: 50, task, lead: { build: explorer.build, options: { maxSchedules: 50 }, leadMillis: 1e-9 } });
    expect(result).toEqual(bounded);
  });

  it('a search over within the lead starts no thread', async () => {
    const pool = localPool();
    const { result, parts } = await runOnPool({ pool, workers: 2, maxSchedules: 10_000, task, lead: { build: explorer.build, options: { maxSchedules: 10_000 }, leadMillis: 60_000 } });
    expect(result).toEqual(whole);
    expect(pool.started).toBe(false);
    expect(parts).toBe(1);
  });
});

describe('exploreRaceParallel with leadMillis: real threads, lazily started', () => {
  const options = { device: 'sp804', delivery: 'sync' as const, expiries: 4 };
  const comparable = (r: ExploreResult) => ({ schedules: r.schedules, pruned: r.pruned, exhausted: r.exhausted, outcomes: r.outcomes, violation: r.violation });

  it('a lazily started pool gives the result of one thread and of an eagerly started pool', async () => {
    const single = await exploreRaceParallel({ ...options, workers: 1 });
    const eager = await exploreRaceParallel({ ...options, workers: 2 });
    const lazy = await exploreRaceParallel({ ...options, workers: 2, leadMillis: 1 });
    const never = await exploreRaceParallel({ ...options, workers: 2, leadMillis: 60_000 });
    expect(comparable(eager)).toEqual(comparable(single));
    expect(comparable(lazy)).toEqual(comparable(single));
    expect(comparable(never)).toEqual(comparable(single));
  });

  it('rejects a bad lead', async () => {
    await expect(exploreRaceParallel({ ...options, leadMillis: -1 })).rejects.toThrow(SystemConfigError);
    await expect(exploreRaceParallel({ ...options, leadMillis: 0.5 })).rejects.toThrow(/leadMillis/);
  });
});

describe('runOnPool with stats: every part measured on its thread (#18, the benchmark table)', () => {
  it('the same result; each part noted with its thread, first run and prefix, in the order handed out', async () => {
    const explorer = raceExplorer(RACE);
    const whole = exploreSchedules(explorer.build, { maxSchedules: 10_000 });
    const pool = createExplorePool(2);
    try {
      const task = (prefix: readonly string[]): ExploreTask => ({ kind: 'race', options: RACE, prefix });
      const { result, parts, timeline } = await runOnPool({ pool, workers: 2, maxSchedules: 10_000, task, stats: true });
      expect(result).toEqual(whole);
      expect(timeline!.parts).toHaveLength(parts);
      expect(timeline!.parts.reduce((n, p) => n + p.result.schedules, 0)).toBe(whole.schedules);
      for (const p of timeline!.parts) {
        const stats = (p.result as { stats?: PartStats }).stats!;
        expect(stats.thread).toBeGreaterThan(0); // a worker thread, not this one
        expect(stats.firstRunMs).toBeLessThanOrEqual(stats.ms);
        expect(stats.replayed).toBe(p.prefix);
        expect(p.endMs).toBeGreaterThanOrEqual(p.startMs);
      }
      const starts = timeline!.parts.map((p) => p.startMs);
      expect(Math.min(...starts)).toBeLessThan(timeline!.ms);
    } finally {
      await pool.destroy();
    }
  });
});
