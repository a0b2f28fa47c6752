import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSystem, DEFAULT_SCENARIO, deviceType, divisorOf, parseScenario, type PeriodicTick, type WatchdogFeeder } from '../../../system';

const run = () => {
  const scenario = parseScenario(DEFAULT_SCENARIO);
  const built = buildSystem(scenario, { recordInputs: true });
  const result = built.system.run(built.until);
  return { scenario, ...built, result };
};

describe('DEFAULT_SCENARIO', () => {
  it('is the same object as examples/scenarios/default.json', () => {
    const file = JSON.parse(readFileSync(new URL('../../../examples/scenarios/default.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(DEFAULT_SCENARIO);
  });

  it('runs 10 ms with no guest error, no unimplemented feature and no guest failure', () => {
    const { system, result } = run();
    expect(result).toMatchObject({ reason: 'until', time: 10_000_000 });
    expect(system.trace.of('guest-error')).toEqual([]);
    expect(system.trace.of('unimplemented')).toEqual([]);
  });

  it('the watchdogs never raise their reset lines; the fed one never even interrupts', () => {
    const { system, programs } = run();
    expect(system.line('wdog.wdogres').level).toBe(false);
    expect(system.line('twd.wdresetreq').level).toBe(false);
    expect(system.trace.of('irq', 'wdog.wdogres')).toEqual([]);
    expect(system.trace.of('irq', 'twd.wdresetreq')).toEqual([]);
    expect(system.trace.of('irq', 'wdog.wdogint')).toEqual([]);
    expect((programs['wdog-feed'] as WatchdogFeeder).stats()).toEqual({ feeds: 25, timeoutCycles: 25_000 });
    // The i.MX2 WDOG: its reset cause read as Linux's probe reads it (POR), started with a 30 s
    // timeout (60 half-second steps), asserting nothing in 10 ms.
    expect(system.trace.of('read', 'imxwdog').map((e) => [e.offset, e.value])).toEqual([[0x04, 0x10]]);
    expect((programs['imxwdog-feed'] as WatchdogFeeder).stats()).toEqual({ feeds: 0, timeoutCycles: 60 });
    expect(system.trace.of('irq').filter((e) => e.source.startsWith('imxwdog.'))).toEqual([]);
    // The Allwinner watchdogs (0.5 s and 1 s from their tables, on HOSC cycles) are kicked every 2 and 3 ms.
    for (const name of ['a10wdt', 'h3wdt']) {
      expect(system.trace.of('irq', `${name}.reset`)).toEqual([]);
      expect(system.trace.of('irq', `${name}.irq`)).toEqual([]);
    }
    expect((programs['a10wdt-feed'] as WatchdogFeeder).stats()).toEqual({ feeds: 5, timeoutCycles: 12_000_000 });
    expect((programs['h3wdt-feed'] as WatchdogFeeder).stats()).toEqual({ feeds: 3, timeoutCycles: 24_000_000 });
  });

  it('every periodic tick handler counted (duration - latency) / period ticks (±1), none spurious', () => {
    const { scenario, programs } = run();
    const ticks = scenario.guests.filter((g) => g.program === 'periodic-tick');
    expect(ticks.length).toBeGreaterThanOrEqual(9);
    for (const g of ticks) {
      const device = scenario.devices.find((d) => d.name === g.device)!;
      const channel = deviceType(device.type).channels.find((c) => c.name === g.channel)!;
      const stats = (programs[g.name] as PeriodicTick).stats();
      // `cyclesPerTick` counts the channel's steps, each `divisor` clock cycles (the SuperH TMU's Pφ/4, #17).
      const periodNs = (stats.cyclesPerTick * divisorOf(channel) * 1e9) / device.clocks[channel.clock]!;
      // A tick counts when its handler runs: `latency` after the expiry.
      const expected = Math.floor((scenario.duration - (g.latencyNs ?? 0)) / periodNs);
      expect({ guest: g.name, off: Math.abs(stats.ticks - expected) <= 1, spurious: stats.spurious }).toEqual({ guest: g.name, off: true, spurious: 0 });
      expect(stats.ticks).toBeGreaterThan(0);
    }
  });

  it('the clocksource readers saw only consistent readings; the interrupt controller saw the timers', () => {
    const { system, programs } = run();
    for (const name of ['sp804-clocksource', 'axi-clocksource', 'tmu-clocksource', 'pwm-clocksource']) {
      expect((programs[name] as { stats(): { reads: number; inconsistent: number } }).stats()).toMatchObject({ inconsistent: 0 });
    }
    expect((programs['sp804-clocksource'] as { stats(): { reads: number } }).stats().reads).toBe(101);
    // The controller, enabled by the setup guest at 0 ns, raised its output with the first expiry (the Avalon timer's, 5 kHz: 200 µs).
    expect(system.trace.of('irq', 'intc.output')[0]).toEqual({ time: 200_000, source: 'intc.output', kind: 'irq', level: true });
  });

  it('is deterministic: two runs give the same digest, and a replay of the recording (devices only) too', () => {
    const first = run();
    expect(run().system.digest()).toBe(first.system.digest());
    const replay = buildSystem(first.scenario, { guests: false });
    replay.system.replay(first.system.recording);
    replay.system.run(replay.until);
    expect(replay.system.digest()).toBe(first.system.digest());
  });

  it('without handler latency (acknowledges in the expiry instants) a replay still places every step exactly', () => {
    const json = JSON.parse(JSON.stringify(DEFAULT_SCENARIO)) as typeof DEFAULT_SCENARIO;
    for (const g of json.guests) delete (g as { latency?: string }).latency;
    const scenario = parseScenario(json);
    const original = buildSystem(scenario, { recordInputs: true });
    original.system.run(2_000_000);
    const replay = buildSystem(scenario, { guests: false });
    replay.system.replay(original.system.recording);
    replay.system.run(2_000_000);
    expect(replay.system.digest()).toBe(original.system.digest());
  });
});
