// The recipes of every catalogue device type, run on the device itself through a System: a
// recipe is trustworthy when its first expiry comes exactly `ticks` clock cycles after the
// start, every later one `ticks` cycles after the one before, the status shows the expiry and
// the acknowledge clears it. Clocks run at a rate with a whole-ns cycle, so instants are exact.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitForIrq, waitUntil, type DriverCommand, type DriverInput } from '../../../operators/driverCommands';
import { guestRead, type GuestAccess } from '../../../src/bus/GuestAccess';
import { ClockInput } from '../../../src/clock/ClockInput';
import { SystemConfigError, System } from '../../../system';
import { counterHiddenOf, DEVICE_TYPES, deviceType, minTicksOf, type CatalogueChannel, type CatalogueDeviceType } from '../../../system/catalogue';
import { readCounter } from '../../../system/programs/readCounter';
import { relocate } from '../../../system/programs/relocate';
import { thrown } from '../../support/errors';

const BASE = 0x4000_0000;
/** The start instant: not 0, so nothing depends on the system's first instant. */
const T0 = 1_000;
/** A clock rate with a whole-ns cycle: the type's default if it has one, else 25 MHz (40 ns). */
const testHz = (hz: number): number => (Number.isInteger(1e9 / hz) ? hz : 25_000_000);

interface Rig {
  readonly system: System;
  readonly cycle: number;
  readonly lineLevel: () => boolean;
}

const rig = (type: CatalogueDeviceType, channel: CatalogueChannel, rate: (hz: number) => number = testHz): Rig => {
  const system = new System();
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(`dut.${c.name}`, rate(c.hz))]));
  const device = system.addDevice(type.create(system.clock, { name: 'dut', clocks, delivery: 'sync' }), { base: BASE });
  expect(device.lines![channel.line]).toBeDefined();
  const line = system.line(`dut.${channel.line}`);
  return { system, cycle: 1e9 / clocks[channel.clock]!.hz, lineLevel: () => line.level };
};

const cases = DEVICE_TYPES.flatMap((type) => type.channels.map((channel) => ({ label: `${type.type} ${channel.name}`, type, channel })));

/** A recipe's accesses at the device's base. */
function* access(list: readonly GuestAccess[]): Generator<DriverCommand, void, DriverInput> {
  for (const a of list) yield relocate(BASE, a);
}

describe('catalogue', () => {
  it('has the device types, each named like its device folder or a variant of one, with unique names', () => {
    expect(DEVICE_TYPES.map((t) => t.type)).toEqual([
      'minimal-timer',
      'cmsdk-apb-timer',
      'cmsdk-apb-dualtimer',
      'cmsdk-apb-watchdog',
      'sp804',
      'arm-mptimer',
      'xilinx-axi-timer',
      'allwinner-a10-pit',
      'imx-epit',
      'altera-avalon-timer',
      'armv7m-systick',
      'luminary-watchdog',
      'integrator-pit',
      'xilinx-axi-dma',
      'xlnx-csu-dma',
    ]);
    /** Catalogue types that are a variant of a folder's model, and their folder (#16). */
    const variants: Readonly<Record<string, string>> = { 'luminary-watchdog': 'cmsdk-apb-watchdog' };
    const folders = readdirSync(new URL('../../../devices', import.meta.url), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect([...folders].sort()).toEqual(DEVICE_TYPES.map((t) => t.type).filter((t) => variants[t] === undefined).sort());
    for (const folder of Object.values(variants)) expect(folders).toContain(folder);
    expect(DEVICE_TYPES.flatMap((t) => t.channels.filter((c) => c.kind === 'watchdog').map((c) => `${t.type}.${c.name}`))).toEqual([
      'cmsdk-apb-watchdog.watchdog',
      'luminary-watchdog.watchdog',
      'xilinx-axi-dma.mm2s',
      'xilinx-axi-dma.s2mm',
    ]);
    for (const type of DEVICE_TYPES) {
      expect(type.channels.length).toBeGreaterThan(0);
      for (const channel of type.channels) expect(type.clocks.map((c) => c.name)).toContain(channel.clock);
    }
  });

  it('deviceType finds a type by name and names the known ones for an unknown name', () => {
    expect(deviceType('sp804').type).toBe('sp804');
    const error = thrown(() => deviceType('sp805'));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe(
      `deviceType(name): "sp805" is invalid: is not a catalogue device type; known types: ${DEVICE_TYPES.map((t) => t.type).join(', ')}`,
    );
  });

  describe.each(cases)('$label', ({ type, channel }) => {
    const min = minTicksOf(channel);
    /** 1000 cycles a round, or the channel's longest (the AXI DMA's 8-bit IRQDelay: 255). */
    const long = Math.min(1_000, channel.maxTicks);

    it.each([...new Set([min, 2, 5, 64, 1_000])].filter((t) => t >= min && t <= channel.maxTicks))(
      'start(%i): the line rises exactly every `ticks` cycles from the start; status set, acknowledge clears it',
      (ticks) => {
        const { system, cycle, lineLevel } = rig(type, channel);
        const line = system.line(`dut.${channel.line}`);
        const seen: { time: number; before: number; after: number; lineAfter: boolean }[] = [];
        system.addGuest('driver', function* () {
          yield waitUntil(T0);
          yield* access(channel.start(ticks));
          for (let k = 0; k < 4; k++) {
            yield waitForIrq(line, true);
            const time = system.clock.now();
            const before = (yield guestRead(BASE + channel.status.offset, channel.status.size)) ?? 0;
            yield* access(channel.acknowledge);
            const after = (yield guestRead(BASE + channel.status.offset, channel.status.size)) ?? 0;
            seen.push({ time, before, after, lineAfter: lineLevel() });
          }
        });
        system.run(T0 + 5 * ticks * cycle - 1);
        expect(seen.map((s) => s.time)).toEqual([1, 2, 3, 4].map((k) => T0 + k * ticks * cycle));
        for (const s of seen) {
          expect(s.before & channel.status.mask).toBe(channel.status.mask);
          expect(s.after & channel.status.mask).toBe(0);
          expect(s.lineAfter).toBe(false);
        }
        expect(system.trace.of('guest-error')).toEqual([]);
        // One rise per expiry: the line rose at each expiry instant and nowhere else.
        const rises = system.trace.of('irq', `dut.${channel.line}`).filter((e) => e.level);
        expect(rises.map((e) => e.time)).toEqual(seen.map((s) => s.time));
      },
    );

    it('at the default clock rates: the k-th expiry at most k ns before its exact instant (each round floored to whole ns)', () => {
      const ticks = long;
      const { system, cycle } = rig(type, channel, (hz) => hz);
      const line = system.line(`dut.${channel.line}`);
      const times: number[] = [];
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (let k = 0; k < 6; k++) {
          yield waitForIrq(line, true);
          times.push(system.clock.now());
          yield* access(channel.acknowledge);
        }
      });
      system.run(Math.ceil(T0 + 7 * ticks * cycle));
      expect(times).toHaveLength(6);
      times.forEach((t, k) => {
        const exact = T0 + (k + 1) * ticks * cycle;
        expect(exact - t).toBeGreaterThanOrEqual(0);
        expect(exact - t).toBeLessThan(k + 1);
      });
    });

    it('the line stays low until the first expiry: no rise one ns before it', () => {
      const ticks = Math.max(min, 10);
      const { system, cycle, lineLevel } = rig(type, channel);
      const levels: boolean[] = [];
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        levels.push(lineLevel());
        yield waitUntil(T0 + ticks * cycle - 1);
        levels.push(lineLevel());
        yield waitUntil(T0 + ticks * cycle);
        levels.push(lineLevel());
      });
      system.run(T0 + ticks * cycle);
      expect(levels).toEqual([false, false, true]);
    });

    const moves = counterHiddenOf(channel) ? 'stays put until the expiry (the count is hidden)' : `moves ${channel.counter.direction}, one step per cycle`;
    it(`the counter ${moves}`, () => {
      const ticks = long;
      const last = Math.min(500, ticks - 10);
      const { system, cycle } = rig(type, channel);
      const readings: number[] = [];
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (const n of [10, 20, 30, last]) {
          yield waitUntil(T0 + n * cycle + 1);
          readings.push(yield* readCounter(BASE, channel));
        }
      });
      system.run(T0 + (last + 100) * cycle);
      expect(system.trace.of('guest-error')).toEqual([]);
      if (counterHiddenOf(channel)) {
        // The counter register is the status: clear, the same at every read before the expiry.
        expect(readings).toEqual([readings[0], readings[0], readings[0], readings[0]]);
        expect(readings[0]! & channel.status.mask).toBe(0);
        return;
      }
      const sign = channel.counter.direction === 'down' ? 1 : -1;
      const [r10, r20, r30, rLast] = readings as [number, number, number, number];
      expect(sign * (r10 - r20)).toBe(10);
      expect(sign * (r20 - r30)).toBe(10);
      expect(sign * (r30 - rLast)).toBe(last - 30);
      // After 10 cycles: a down-counter loaded with about `ticks` reads between ticks - 12 and
      // ticks - 10; an up-counter started from 0 reads between 9 and 11.
      expect(Math.abs(r10 - (channel.counter.direction === 'down' ? ticks - 11 : 10))).toBeLessThanOrEqual(1);
    });

    it('start refuses ticks outside [minTicks, maxTicks] with a typed error', () => {
      expect(thrown(() => channel.start(channel.maxTicks + 1))).toBeInstanceOf(SystemConfigError);
      expect(thrown(() => channel.start(min - 1))).toBeInstanceOf(SystemConfigError);
      expect(thrown(() => channel.start(2.5))).toBeInstanceOf(SystemConfigError);
      expect(channel.start(channel.maxTicks).length).toBeGreaterThan(0);
    });
  });

  describe.each(['cmsdk-apb-watchdog', 'luminary-watchdog'])('%s', (name) => {
    const type = deviceType(name);
    const channel = type.channels[0]!;

    it('left unfed, WDOGRES rises ticks + 1 cycles after the interrupt', () => {
      const ticks = 100;
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
      });
      system.run(T0 + 3 * ticks * cycle);
      expect(system.trace.of('irq', 'dut.wdogint').map((e) => [e.time, e.level])).toEqual([[T0 + ticks * cycle, true]]);
      expect(system.trace.of('irq', 'dut.wdogres').map((e) => [e.time, e.level])).toEqual([[T0 + (2 * ticks + 1) * cycle, true]]);
    });

    it('fed (acknowledged) before each timeout, it never interrupts', () => {
      const ticks = 100;
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (let k = 1; k <= 20; k++) {
          yield waitUntil(T0 + k * (ticks - 1) * cycle);
          yield* access(channel.acknowledge);
        }
      });
      system.run(T0 + 20 * ticks * cycle);
      expect(system.trace.of('irq')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('started again while running, it restarts the count with no guest error (#16: the Luminary WDTCTL cannot be cleared)', () => {
      const ticks = 100;
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        yield waitUntil(T0 + 50 * cycle);
        yield* access(channel.start(ticks));
      });
      system.run(T0 + 3 * ticks * cycle);
      expect(system.trace.of('irq', 'dut.wdogint').map((e) => [e.time, e.level])).toEqual([[T0 + (50 + ticks) * cycle, true]]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });
  });
});
