// Waveforms never show a wrong value (#15 item 1): a value a VCD shows at an
// instant is the counter's value then. The ground truth is the plainest one:
// an identical system run to that instant, its probe read after all the work
// of the instant (what a last-wins VCD shows there). Nothing per tick is
// simulated for the waveform: the ticks come from the samples' forecasts.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { waitUntil } from '../../operators/driverCommands';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { Device, DeviceProbe } from '../../src/bus/Device';
import type { TriggerDelivery } from '../../src/bus/kit/TriggerDelivery';
import { buildWaveform, toVcd } from '../../src/trace';
import { System } from '../../system';
import { DEVICE_TYPES } from '../../system/catalogue/catalogue';
import { buildSystem, parseScenario } from '../../system/scenario';

const DEFAULT = JSON.parse(readFileSync(resolve(__dirname, '../../examples/scenarios/default.json'), 'utf8')) as Record<string, unknown>;

/** Each signal of a (last-wins, 1 ns) VCD as its value changes: [time, value or 'x'], by dotted name under the top scope. */
const readVcd = (text: string): Map<string, [number, string][]> => {
  const names = new Map<string, string>();
  const scopes: string[] = [];
  const waves = new Map<string, [number, string][]>();
  let time = 0;
  for (const line of text.split('\n')) {
    const scope = /^\$scope module (\S+) \$end$/.exec(line);
    if (scope !== null) scopes.push(scope[1]!);
    else if (line === '$upscope $end') scopes.pop();
    else if (line.startsWith('$var ')) {
      const [, , , id, leaf] = line.split(' ');
      names.set(id!, [...scopes.slice(1), leaf].join('.'));
    } else if (line.startsWith('#')) time = Number(line.slice(1));
    else if (line.startsWith('b')) {
      const [bits, id] = line.slice(1).split(' ');
      const name = names.get(id!)!;
      const wave = waves.get(name) ?? [];
      wave.push([time, bits === 'x' ? 'x' : BigInt(`0b${bits}`).toString()]);
      waves.set(name, wave);
    }
  }
  return waves;
};

/** The value a wave shows at `t` (its last change at or before t), or undefined before its first. */
const shownAt = (wave: readonly [number, string][], t: number): string | undefined => {
  let value: string | undefined;
  for (const [time, v] of wave) {
    if (time > t) break;
    value = v;
  }
  return value;
};

/** Every probe of a system by `<device>.<probe>`. */
const probesOf = (system: System): Map<string, DeviceProbe> => {
  const probes = new Map<string, DeviceProbe>();
  for (const name of system.deviceNames) for (const p of system.device(name).probes ?? []) probes.set(`${name}.${p.name}`, p);
  return probes;
};

/**
 * Checks windows of a run against a second, identical run read at each instant checked: every value
 * the VCD shows at a change instant, just before it, and at random instants equals the probe then.
 * @returns how many values were checked, and how many were shown unknown
 */
const checkWindows = (
  make: () => System,
  until: number,
  windows: readonly { readonly from: number; readonly to: number; readonly instants: readonly number[] }[],
  maxChanges?: number,
): { checked: number; unknown: number; changes: number } => {
  const recorded = make();
  recorded.run(until);
  const checks: { time: number; signal: string; shown: string }[] = [];
  let changes = 0;
  for (const { from, to, instants } of windows) {
    const model = buildWaveform({ events: recorded.trace.events, samples: recorded.samples }, { from, to, ...(maxChanges === undefined ? {} : { maxChanges }) });
    const waves = readVcd(toVcd(model));
    for (const [signal, wave] of waves) {
      if (signal.startsWith('guest.')) continue;
      const times = new Set<number>(instants);
      for (const [time] of wave) {
        times.add(time);
        if (time > from) times.add(time - 1);
      }
      changes += wave.length;
      for (const time of times) {
        if (time < from || time > to) continue;
        const shown = shownAt(wave, time);
        if (shown !== undefined) checks.push({ time, signal, shown });
      }
    }
  }
  checks.sort((a, b) => a.time - b.time);
  const truth = make();
  const probes = probesOf(truth);
  let unknown = 0;
  let started = false;
  for (const check of checks) {
    // run(t) does all the work of t (the first call also starts the guests, even at t = 0)
    if (!started || truth.clock.now() < check.time) truth.run(check.time);
    started = true;
    if (check.shown === 'x') {
      // Every probe drawn here has a forecast (checked below): within the cap nothing is unknown.
      unknown++;
      continue;
    }
    const probe = probes.get(check.signal);
    expect(probe, check.signal).toBeDefined();
    expect(`${check.signal} at ${check.time} ns: ${check.shown}`).toBe(`${check.signal} at ${check.time} ns: ${probe!.read()}`);
  }
  return { checked: checks.length, unknown, changes };
};

/**
 * Probes that may go without a forecast, `<device type>.<probe>` with the reason: they are drawn at
 * their samples only. None today: every probe of a catalogue device is a counter, or a countdown
 * of the model's own (eTSEC's poll interval, the Allwinner watchdog's count), and forecasts it.
 */
const WITHOUT_FORECAST: ReadonlyMap<string, string> = new Map<string, string>([]);

describe('waveforms of a run show each counter value at its instant (#15)', () => {
  it('every probe of every catalogue device type has a forecast, but the listed exceptions', () => {
    const { system } = buildSystem(parseScenario(DEFAULT));
    const types = new Map<string, string>();
    for (const d of DEFAULT['devices'] as { type: string; name: string }[]) types.set(d.name, d.type);
    // The default scenario holds every device type of the catalogue, so the check covers them all.
    expect([...new Set(types.values())].sort()).toEqual(DEVICE_TYPES.map((t) => t.type).sort());
    const missing: string[] = [];
    for (const name of system.deviceNames) {
      for (const probe of system.device(name).probes ?? []) {
        const key = `${types.get(name)}.${probe.name}`;
        if ((probe.forecast === undefined) !== WITHOUT_FORECAST.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each<TriggerDelivery>(['sync', 'bottom-half'])(
    'every catalogue device, %s delivery: random windows of the default scenario, every value the VCD shows equals the probe then',
    (delivery) => {
      const scenario = parseScenario({ ...DEFAULT, delivery });
      const make = (): System => buildSystem(scenario).system;
      const until = 2_000_000;
      const sampled = (): System => buildSystem(scenario, { sampleProbes: true }).system;
      // Windows from 2 to 20 µs anywhere in the run, a few random instants each (seeded: the same every run).
      const windows = fc.sample(
        fc
          .record({ from: fc.integer({ min: 0, max: until - 20_000 }), length: fc.integer({ min: 2_000, max: 20_000 }), extra: fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 20 }) })
          .map(({ from, length, extra }) => ({ from, to: from + length, instants: extra.map((d) => from + (d % (length + 1))) })),
        { numRuns: 6, seed: delivery === 'sync' ? 15 : 16 },
      );
      // The first expiry window too: counters across a reload.
      const firstExpiry = make();
      firstExpiry.run(until);
      const e = firstExpiry.trace.events.find((ev) => ev.kind === 'expiry')!.time;
      const result = checkWindows(() => sampled(), until, [...windows, { from: Math.max(0, e - 3_000), to: e + 3_000, instants: [e] }]);
      // The windows drew the forecast counters tick by tick (nothing past the cap, nothing unknown).
      expect(result.unknown).toBe(0);
      expect(result.changes).toBeGreaterThan(10_000);
      expect(result.checked).toBeGreaterThan(20_000);
    },
  );

  it('past the cap the VCD shows x, and every value it still shows is right', () => {
    const scenario = parseScenario(DEFAULT);
    const result = checkWindows(() => buildSystem(scenario, { sampleProbes: true }).system, 500_000, [{ from: 100_000, to: 140_000, instants: [] }], 50);
    expect(result.unknown).toBeGreaterThan(0);
    expect(result.checked - result.unknown).toBeGreaterThan(100);
  });

  it('a guest reprogramming a timer at random instants: the VCD follows every write and reload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 1, max: 20_000 }), load: fc.integer({ min: 1, max: 40 }), ctrl: fc.constantFrom(0b01, 0b11, 0b00) }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 15_000 }),
        (writes, from) => {
          const sorted = [...writes].sort((a, b) => a.at - b.at);
          const make = (): System => {
            const system = new System({ sampleProbes: true });
            system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 37 }), { base: 0x4000_0000 });
            system.addGuest('g', function* () {
              yield guestWrite(0x4000_0000, 7);
              yield guestWrite(0x4000_0008, 0b11);
              for (const w of sorted) {
                yield waitUntil(w.at);
                yield guestWrite(0x4000_0000, w.load);
                yield guestWrite(0x4000_0008, w.ctrl);
              }
            });
            return system;
          };
          const result = checkWindows(make, 25_000, [{ from, to: from + 5_000, instants: [] }]);
          expect(result.unknown).toBe(0);
        },
      ),
      { numRuns: 40, seed: 15 },
    );
  });
});

describe('the recorder samples after every piece of work, and only when a forecast changes', () => {
  const build = (): { system: System; device: Device } => {
    const system = new System({ sampleProbes: true });
    const device = system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 }), { base: 0x4000_0000 });
    return { system, device };
  };

  it('a timer left running gets one sample per expiry (its reload), not one per event or per tick', () => {
    const { system } = build();
    system.addGuest('g', function* () {
      yield guestWrite(0x4000_0000, 9);
      yield guestWrite(0x4000_0008, 0b01);
    });
    system.run(10_000);
    const times = system.samples.filter((s) => s.source === 'timer0.value').map((s) => s.time);
    // at 0: the start (count 0, stopped), the LOAD write, the CTRL write; then one per 900 ns round
    expect(times).toEqual([0, 0, 0, ...Array.from({ length: 11 }, (_, k) => (k + 1) * 900)]);
    expect(system.samples.every((s) => s.forecast !== undefined)).toBe(true);
  });

  it('a probe without a forecast is sampled at each instant of work, and its spans between are unknown', () => {
    const system = new System({ sampleProbes: true });
    const timer = new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 });
    // The same device, but its probe only reads: no forecast.
    const plain: Device = {
      name: timer.name,
      read: (offset, size) => timer.read(offset, size),
      write: (offset, size, value) => timer.write(offset, size, value),
      reset: () => timer.reset(),
      snapshot: () => timer.snapshot(),
      restore: (snapshot) => timer.restore(snapshot),
      events$: timer.events$,
      traceTo: (sink) => timer.traceTo(sink),
      lines: timer.lines,
      registers: timer.registers,
      probes: [{ name: 'value', width: 32, read: () => timer.probes[0]!.read() }],
    };
    system.addDevice(plain, { base: 0x4000_0000 });
    system.addGuest('g', function* () {
      yield guestWrite(0x4000_0000, 9);
      yield guestWrite(0x4000_0008, 0b01);
      yield waitUntil(450);
      yield waitUntil(451);
    });
    system.run(1_000);
    const samples = system.samples.filter((s) => s.source === 'timer0.value');
    expect(samples.every((s) => s.forecast === undefined)).toBe(true);
    // LEGACY rounding: 450 ns before the 900-ns expiry reads 4 (whole periods left); the run's end is sampled too
    expect(samples.map((s) => [s.time, s.value])).toEqual([
      [0, 0n],
      [0, 9n],
      [450, 4n],
      [451, 4n],
      [900, 9n],
      [1_000, 8n],
    ]);
    const model = buildWaveform({ events: system.trace.events, samples: system.samples }, { from: 400, to: 1_000 });
    expect(model.signals.find((s) => s.name === 'timer0.value')!.changes.map((c) => [c.time, c.value])).toEqual([
      [400, undefined],
      [450, 4n],
      [451, 4n],
      [452, undefined],
      [900, 9n],
      [901, undefined],
      [1_000, 8n],
    ]);
  });
});
