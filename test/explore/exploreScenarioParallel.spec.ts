import { describe, expect, it } from 'vitest';
import { comparableSamples } from '../support/comparableSamples';
import { SystemConfigError } from '../../system';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exploreScenario, type ScenarioPredicate } from '../../explore/exploreScenario';
import { exploreScenarioParallel } from '../../explore/exploreScenarioParallel';
import { createExplorePool } from '../../explore/ExplorePool';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

const SCENARIO = TWO_TICKS_SCENARIO;
const SPAN = { from: 99_000, until: 101_000, observe: 1 };

describe('exploreScenarioParallel: worker threads, merged in exploration order', () => {
  it.each([
    ['sync, reduced, whole space', { ...SPAN }],
    ['sync, unreduced, bounded at 300', { ...SPAN, reduce: false, maxSchedules: 300 }],
    ['bottom-half, consistent reads only: a violation', { ...SPAN, delivery: 'bottom-half' as const, invariants: { atomicExpiry: false } }],
  ])('%s: 2 threads give exactly the single-threaded verdict, counts and counterexample', async (_name, options) => {
    const single = exploreScenario(SCENARIO, options);
    const parallel = await exploreScenarioParallel(SCENARIO, { ...options, workers: 2 });
    expect(comparableSamples(parallel)).toEqual(comparableSamples(single));
    const inThread = await exploreScenarioParallel(SCENARIO, { ...options, workers: 1, splitDepth: 1 });
    expect(comparableSamples(inThread)).toEqual(comparableSamples(single));
  });

  it('one pool kept warm across both delivery modes, bounded and not: each gives the single-threaded result (#18)', async () => {
    const pool = createExplorePool(2);
    try {
      for (const delivery of ['bottom-half', 'sync'] as const) {
        for (const maxSchedules of [10_000, 20]) {
          const options = { ...SPAN, delivery, reduce: false, maxSchedules };
          const single = exploreScenario(SCENARIO, options);
          expect(comparableSamples(await exploreScenarioParallel(SCENARIO, { ...options, pool }))).toEqual(comparableSamples(single));
        }
      }
    } finally {
      await pool.destroy();
    }
  });

  it('predicates run with one worker; more workers are refused (functions cannot cross threads)', async () => {
    const never = () => undefined;
    const result = await exploreScenarioParallel(SCENARIO, { ...SPAN, predicates: [never], workers: 1 });
    expect(result.exhausted).toBe(true);
    await expect(exploreScenarioParallel(SCENARIO, { ...SPAN, predicates: [never], workers: 2 })).rejects.toThrow(/must be 1 with predicates/);
    await expect(exploreScenarioParallel(SCENARIO, { workers: 0 })).rejects.toBeInstanceOf(SystemConfigError);
  });

  it('a checkModule is loaded by each thread: its predicates give the in-thread verdict with 2 workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-checkmodule-'));
    const source = "export default ({ system, time }) => time >= 100000 && system.trace.events.some((e) => e.kind === 'expiry' && e.time === 100000) ? 'expired at 100 us' : undefined;\n";
    writeFileSync(join(dir, 'check.mjs'), source);
    const predicate = (await import(pathToFileURL(join(dir, 'check.mjs')).href) as { default: ScenarioPredicate }).default;
    const single = exploreScenario(SCENARIO, { ...SPAN, predicates: [predicate] });
    expect(single.violation?.message).toBe('expired at 100 us');
    const parallel = await exploreScenarioParallel(SCENARIO, { ...SPAN, checkModule: pathToFileURL(join(dir, 'check.mjs')).href, workers: 2 });
    expect(comparableSamples(parallel)).toEqual(comparableSamples(single));
  });

  it('a checkModule whose default export is not a predicate is refused before any thread starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-checkmodule-'));
    writeFileSync(join(dir, 'bad.mjs'), 'export default 42;\n');
    await expect(exploreScenarioParallel(SCENARIO, { ...SPAN, checkModule: pathToFileURL(join(dir, 'bad.mjs')).href })).rejects.toThrow(
      /checkModule\): .* is invalid: must be a module whose default export is a predicate/,
    );
  });
});
