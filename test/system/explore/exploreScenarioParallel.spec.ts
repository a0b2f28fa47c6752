import { describe, expect, it } from 'vitest';
import { SystemConfigError } from '../../../system';
import { exploreScenario } from '../../../system/explore/exploreScenario';
import { exploreScenarioParallel } from '../../../system/explore/exploreScenarioParallel';

/** Two devices ticking on the same instants, and a clocksource reader (as in exploreScenario.spec.ts). */
const SCENARIO = {
  duration: '1ms',
  devices: [
    { name: 'sp', type: 'sp804', base: '0x40000000', clocks: { timclk: '1MHz' } },
    { name: 'mini', type: 'minimal-timer', base: '0x40001000', clocks: { clk: '1MHz' } },
  ],
  guests: [
    { name: 'sp-tick', program: 'periodic-tick', device: 'sp', channel: 'timer1', hz: '10kHz', latency: '2us' },
    { name: 'mini-tick', program: 'periodic-tick', device: 'mini', channel: 'timer', hz: '10kHz', latency: '2us' },
    { name: 'sp-clock', program: 'clocksource-reader', device: 'sp', channel: 'timer2', every: '100us' },
  ],
};
const SPAN = { from: 99_000, until: 101_000, observe: 1 };

describe('exploreScenarioParallel: worker threads, merged in exploration order', () => {
  it.each([
    ['sync, reduced, whole space', { ...SPAN }],
    ['sync, unreduced, bounded at 300', { ...SPAN, reduce: false, maxSchedules: 300 }],
    ['bottom-half, consistent reads only: a violation', { ...SPAN, delivery: 'bottom-half' as const, invariants: { atomicExpiry: false } }],
  ])('%s: 2 threads give exactly the single-threaded verdict, counts and counterexample', async (_name, options) => {
    const single = exploreScenario(SCENARIO, options);
    const parallel = await exploreScenarioParallel(SCENARIO, { ...options, workers: 2 });
    expect(parallel).toEqual(single);
    const inThread = await exploreScenarioParallel(SCENARIO, { ...options, workers: 1, splitDepth: 1 });
    expect(inThread).toEqual(single);
  });

  it('predicates run with one worker; more workers are refused (functions cannot cross threads)', async () => {
    const never = () => undefined;
    const result = await exploreScenarioParallel(SCENARIO, { ...SPAN, predicates: [never], workers: 1 });
    expect(result.exhausted).toBe(true);
    await expect(exploreScenarioParallel(SCENARIO, { ...SPAN, predicates: [never], workers: 2 })).rejects.toThrow(/must be 1 with predicates/);
    await expect(exploreScenarioParallel(SCENARIO, { workers: 0 })).rejects.toBeInstanceOf(SystemConfigError);
  });
});
