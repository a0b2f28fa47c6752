// The built-in Cortex-M scenario (examples/scenarios/cortex-m.json): SysTick as the RTOS tick,
// a CMSDK APB timer and the CMSDK watchdog fed by a guest, loaded from its file and run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSystem, parseScenario, type PeriodicTick, type WatchdogFeeder } from '../../../system';

const run = () => {
  const json = JSON.parse(readFileSync(new URL('../../../examples/scenarios/cortex-m.json', import.meta.url), 'utf8')) as unknown;
  const scenario = parseScenario(json);
  const built = buildSystem(scenario);
  const result = built.system.run(built.until);
  return { scenario, ...built, result };
};

describe('examples/scenarios/cortex-m.json', () => {
  it('runs 10 ms with no guest error and no unimplemented feature', () => {
    const { scenario, system, result } = run();
    expect(scenario.devices.map((d) => d.type)).toEqual(['armv7m-systick', 'cmsdk-apb-timer', 'cmsdk-apb-watchdog']);
    expect(result).toMatchObject({ reason: 'until', time: 10_000_000 });
    expect(system.trace.of('guest-error')).toEqual([]);
    expect(system.trace.of('unimplemented')).toEqual([]);
  });

  it('SysTick pends the exception every 1 ms (25 000 core cycles), each taken by the tick handler 2 µs later', () => {
    const { system, programs } = run();
    expect((programs['rtos-tick'] as PeriodicTick).stats()).toEqual({ ticks: 9, spurious: 0, cyclesPerTick: 25_000 });
    const edges = system.trace.of('irq', 'systick.systick').map((e) => [e.time, e.level]);
    const rises = edges.filter(([, level]) => level).map(([t]) => t as number);
    // the 10th rise is at the last instant (10 ms): its handler would run 2 µs after the end
    expect(rises).toEqual(Array.from({ length: 10 }, (_, k) => (k + 1) * 1_000_000));
    expect(edges.filter(([, level]) => !level).map(([t]) => t)).toEqual(rises.slice(0, 9).map((t) => t + 2_000));
  });

  it('the APB timer ticks at 4 kHz; the fed watchdog never interrupts nor resets', () => {
    const { system, programs } = run();
    expect((programs['timer0-tick'] as PeriodicTick).stats()).toMatchObject({ ticks: 39, spurious: 0 });
    expect((programs['wdog-feed'] as WatchdogFeeder).stats()).toEqual({ feeds: 25, timeoutCycles: 25_000 });
    expect(system.trace.of('irq', 'wdog.wdogint')).toEqual([]);
    expect(system.trace.of('irq', 'wdog.wdogres')).toEqual([]);
  });

  it('is deterministic: two runs, one digest', () => {
    expect(run().system.digest()).toBe(run().system.digest());
  });
});
