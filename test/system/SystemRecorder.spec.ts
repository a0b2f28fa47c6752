// The recorder asks only the probes of devices that may have changed (issue 19): the samples must be
// those of asking every probe at every event and after every piece of work, as before. The truth is
// a second, identical system whose recorder asks everything (`sampleEverything`), compared sample
// by sample on random systems: random subsets of the default scenario (every catalogue device type,
// their guests and the controller), either delivery, plus a guest writing random values to random
// registers of random devices at random instants (what reprograms a device in ways its own guest
// never does). A change the tracking missed shows as a missing or late sample.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../operators/driverCommands';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import type { Device } from '../../src/bus/Device';
import type { CounterSample } from '../../src/trace';
import { buildSystem, DEFAULT_SCENARIO, parseScenario, System } from '../../system';
import type { SystemRecorder } from '../../system/SystemRecorder';
import { runs, seedFor } from '../support/depth';
import { scenarioSubset } from '../support/scenarioSubset';
import { TWO_TICKS_SCENARIO } from '../support/twoTicksScenario';

const NAMES = DEFAULT_SCENARIO.devices.map((d) => d.name);

interface Poke {
  readonly at: number;
  readonly device: number;
  readonly register: number;
  readonly value: number;
  readonly read: boolean;
}

interface Case {
  readonly names: readonly string[];
  readonly delivery: 'sync' | 'bottom-half';
  readonly pokes: readonly Poke[];
  readonly until: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  names: fc.subarray(NAMES, { minLength: 1, maxLength: 8 }),
  delivery: fc.constantFrom<'sync' | 'bottom-half'>('sync', 'bottom-half'),
  pokes: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 400_000 }),
      device: fc.nat(),
      register: fc.nat(),
      // Small values too: a count or reload of a few ticks makes expiries close together.
      value: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 0xffff_ffff })),
      read: fc.boolean(),
    }),
    { maxLength: 30 },
  ),
  until: fc.integer({ min: 1, max: 500_000 }),
});

/** The system of `c`, its recorder asking every probe every time when `everything`. */
const build = (c: Case, everything: boolean): System => {
  const scenario = parseScenario({ ...scenarioSubset(DEFAULT_SCENARIO, c.names), delivery: c.delivery });
  const { system } = buildSystem(scenario, { sampleProbes: true });
  (system as unknown as { recorder: SystemRecorder }).recorder.sampleEverything = everything;
  const targets = system.deviceNames.flatMap((name) => (system.device(name).registers ?? []).map((r) => ({ address: system.baseOf(name) + r.offset, size: r.size })));
  const pokes = [...c.pokes].sort((a, b) => a.at - b.at);
  if (targets.length > 0) {
    system.addGuest('poker', function* () {
      for (const p of pokes) {
        yield waitUntil(p.at);
        const { address, size } = targets[(p.device * 7 + p.register) % targets.length]!;
        const value = size === 4 ? p.value >>> 0 : p.value & ((1 << (8 * size)) - 1);
        yield p.read ? guestRead(address, size) : guestWrite(address, value, size);
      }
    });
  }
  return system;
};

/** A sample as plain data: its forecast (functions) by what it says at its instant. */
const plain = ({ forecast, ...sample }: CounterSample): object =>
  forecast === undefined ? sample : { ...sample, until: forecast.until, next: forecast.nextChange(sample.time) };

describe('SystemRecorder: probes of untouched devices are not asked (#19)', () => {
  it('random systems and random guest writes: the samples equal those of asking every probe every time', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const tracked = build(c, false);
        const truth = build(c, true);
        // Through a restore-free run in two legs: a run's start and end sample everything either way.
        for (const until of [Math.floor(c.until / 3), c.until]) {
          tracked.run(until);
          truth.run(until);
        }
        expect(tracked.digest()).toBe(truth.digest());
        expect(tracked.samples.length).toBe(truth.samples.length);
        expect(tracked.samples.map(plain)).toEqual(truth.samples.map(plain));
        tracked.dispose();
        truth.dispose();
      }),
      { numRuns: runs(25, 300), seed: seedFor(1919) },
    );
  });

  it('a guest step asks only the devices it accessed: an idle device is asked at the run\'s start and end only', () => {
    const system = new System({ sampleProbes: true });
    const asked = { busy: 0, idle: 0 };
    // The device with its probe counted: the same device (its traceTo, lines, registers), another probe list.
    const counted = (name: 'busy' | 'idle', base: number): void => {
      const timer = new MinimalTimer(system.clock, { name, periodNs: 100 });
      const probe = timer.probes[0]!;
      const device: Device = Object.create(timer, {
        probes: { value: [{ name: probe.name, width: probe.width, read: () => probe.read(), forecast: () => (asked[name]++, probe.forecast!()) }] },
      }) as Device;
      system.addDevice(device, { base });
    };
    counted('busy', 0x4000_0000);
    counted('idle', 0x4000_1000);
    system.addGuest('g', function* () {
      for (let t = 0; t < 100; t++) {
        yield waitUntil(t * 50);
        yield guestRead(0x4000_0000, 4);
      }
    });
    system.run(10_000);
    // 100 guest steps, each an access event and the step's end: the busy device is asked at each.
    expect(asked.busy).toBeGreaterThanOrEqual(200);
    expect(asked.idle).toBe(2);
  });

  it('a touch watcher hears every access, line change and event without turning the count-only path off; muted, nothing', () => {
    const { system } = buildSystem(parseScenario(TWO_TICKS_SCENARIO), { keepTrace: false, digest: false });
    const { recorder } = system.checkpointParts() as { recorder: SystemRecorder };
    const heard = new Set<string>();
    const stop = recorder.watchTouches((source, kind) => void heard.add(`${kind} ${source}`));
    // What it gets is what a trace watcher would get, event for event (kind and source).
    const seen = new Set<string>();
    const truth = buildSystem(parseScenario(TWO_TICKS_SCENARIO)).system;
    truth.watchTrace((e) => void seen.add(`${e.kind} ${e.source}`));
    expect(recorder.countsAccessesOnly).toBe(true);
    system.run(300_000);
    truth.run(300_000);
    expect(recorder.countsAccessesOnly).toBe(true);
    expect([...heard].sort()).toEqual([...seen].sort());
    expect([...heard].some((k) => k.startsWith('read '))).toBe(true);
    expect([...heard].some((k) => k.startsWith('irq '))).toBe(true);
    const count = heard.size;
    recorder.muted = true;
    recorder.countAccess('nobody', 'read', 0);
    recorder.muted = false;
    stop();
    system.run(600_000);
    expect(heard.size).toBe(count);
  });
});
