import { describe, expect, it } from 'vitest';
import { comparableSamples } from '../support/comparableSamples';
import { SystemConfigError } from '../../system';
import { exploreRace } from '../../explore/exploreRace';
import { exploreRaceParallel } from '../../explore/exploreRaceParallel';
import { createExplorePool } from '../../explore/ExplorePool';

describe('exploreRaceParallel: worker threads, merged in exploration order', () => {
  it.each([
    ['sync, whole space', { device: 'cmsdk-apb-timer', delivery: 'sync' as const }],
    ['sync, bounded at 100', { device: 'cmsdk-apb-timer', delivery: 'sync' as const, maxSchedules: 100 }],
    ['bottom-half, a violation', { device: 'sp804', delivery: 'bottom-half' as const }],
    ['sync, unreduced, 2 expiries', { device: 'minimal-timer', delivery: 'sync' as const, expiries: 2, reduce: false }],
  ])('%s: 2 threads give exactly the single-threaded verdict, counts and counterexample', async (_name, options) => {
    const single = exploreRace(options);
    const parallel = await exploreRaceParallel({ ...options, workers: 2 });
    expect(comparableSamples(parallel)).toEqual(comparableSamples(single));
    const inThread = await exploreRaceParallel({ ...options, workers: 1, splitDepth: 1 });
    expect(comparableSamples(inThread)).toEqual(comparableSamples(single));
  });

  it('one pool of 3 threads, kept warm across both delivery modes, gives each the single-threaded result (#18)', async () => {
    const pool = createExplorePool(3);
    try {
      for (const delivery of ['bottom-half', 'sync'] as const) {
        for (const maxSchedules of [10_000, 30]) {
          const options = { device: 'sp804', delivery, maxSchedules };
          const single = exploreRace(options);
          expect(comparableSamples(await exploreRaceParallel({ ...options, pool }))).toEqual(comparableSamples(single));
        }
      }
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a bad thread count or split depth', async () => {
    await expect(exploreRaceParallel({ delivery: 'sync', workers: 0 })).rejects.toBeInstanceOf(SystemConfigError);
    await expect(exploreRaceParallel({ delivery: 'sync', splitDepth: 0.5 })).rejects.toThrow(/splitDepth\): 0.5 is invalid/);
  });
});
