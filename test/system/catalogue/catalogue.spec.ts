// The recipes of every catalogue device type, run on the device itself through a System: a
// recipe is trustworthy when its first expiry comes exactly `ticks` clock cycles after the
// start, every later one `ticks` cycles after the one before, the status shows the expiry and
// the acknowledge (with the re-arm of a channel that needs one, acknowledgeOf) clears it.
// Clocks run at a rate with a whole-ns cycle, so instants are exact.
// A channel with a `divisor` counts steps of that many clock cycles (the i.MX2 WDOG's
// half-seconds): its `ticks` and instants are in steps.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitForIrq, waitUntil, type DriverCommand, type DriverInput } from '../../../operators/driverCommands';
import { guestRead, type GuestAccess } from '../../../src/bus/GuestAccess';
import { ClockInput } from '../../../src/clock/ClockInput';
import { SystemConfigError, System } from '../../../system';
import {
  acknowledgeOf,
  DEVICE_TYPES,
  deviceType,
  divisorOf,
  minTicksOf,
  ticksAtLeast,
  ticksTableOf,
  type CatalogueChannel,
  type CatalogueDeviceType,
} from '../../../system/catalogue';
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
  /** One counter step (ns): a cycle of the channel's clock, times its divisor. */
  readonly cycle: number;
  readonly lineLevel: () => boolean;
}

const rig = (type: CatalogueDeviceType, channel: CatalogueChannel, rate: (hz: number) => number = testHz): Rig => {
  const system = new System();
  const clocks = Object.fromEntries(type.clocks.map((c) => [c.name, new ClockInput(`dut.${c.name}`, rate(c.hz))]));
  const device = system.addDevice(type.create(system.clock, { name: 'dut', clocks, delivery: 'sync' }), { base: BASE });
  expect(device.lines![channel.line]).toBeDefined();
  const line = system.line(`dut.${channel.line}`);
  return { system, cycle: (divisorOf(channel) * 1e9) / clocks[channel.clock]!.hz, lineLevel: () => line.level };
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
      'mss-timer',
      'imx-gpt',
      'xlnx-zynqmp-can',
      'xlnx-versal-canfd',
      'lan9118-gpt',
      'imx2-wdt',
      'allwinner-sun4i-wdt',
      'allwinner-sun6i-wdt',
      'xilinx-axi-dma',
      'xlnx-csu-dma',
      'slavio-timer',
      'sh-tmu',
      'exynos4210-mct',
      'grlib-gptimer',
      'digic-timer',
      'mcf5206-timer',
      'mcf5208-pit',
      'mv88w8618-pit',
      'fsl-etsec-timer',
      'etraxfs-timer',
      'exynos4210-pwm',
      'exynos4210-rtc',
    ]);
    /** Catalogue types that are a variant of a folder's model, and their folder (#16). */
    const variants: Readonly<Record<string, string>> = {
      'luminary-watchdog': 'cmsdk-apb-watchdog',
      'xlnx-zynqmp-can': 'xlnx-can-timestamp',
      'xlnx-versal-canfd': 'xlnx-can-timestamp',
      'allwinner-sun4i-wdt': 'allwinner-wdt',
      'allwinner-sun6i-wdt': 'allwinner-wdt',
    };
    /** Types with no channel: a counter with no interrupt, shown by no register on demand (#16) or by one (the DIGIC timer's VALUE, #17). */
    const channelless = ['xlnx-zynqmp-can', 'digic-timer'];
    const folders = readdirSync(new URL('../../../devices', import.meta.url), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    // Every folder is a type of its own, or the folder of variant types only (allwinner-wdt, xlnx-can-timestamp).
    expect([...folders].sort()).toEqual([...new Set(DEVICE_TYPES.map((t) => variants[t.type] ?? t.type))].sort());
    for (const folder of Object.values(variants)) expect(folders).toContain(folder);
    expect(DEVICE_TYPES.flatMap((t) => t.channels.filter((c) => c.kind === 'watchdog').map((c) => `${t.type}.${c.name}`))).toEqual([
      'cmsdk-apb-watchdog.watchdog',
      'luminary-watchdog.watchdog',
      'imx2-wdt.watchdog',
      'allwinner-sun4i-wdt.watchdog',
      'allwinner-sun6i-wdt.watchdog',
      'xilinx-axi-dma.mm2s',
      'xilinx-axi-dma.s2mm',
    ]);
    // The channels with no counter register a guest can read, and the one counting steps of its clock.
    expect(cases.filter((c) => c.channel.counter === undefined).map((c) => c.label)).toEqual([
      'imx2-wdt watchdog',
      'allwinner-sun4i-wdt watchdog',
      'allwinner-sun6i-wdt watchdog',
      'xlnx-csu-dma src',
      'fsl-etsec-timer poll',
    ]);
    expect(cases.filter((c) => divisorOf(c.channel) !== 1).map((c) => [c.label, divisorOf(c.channel)])).toEqual([
      ['imx2-wdt watchdog', 16_384],
      // Pφ/4, the TMU's fastest count, as Linux's sh_tmu selects it (#17)
      ['sh-tmu tmu0', 4],
      ['sh-tmu tmu1', 4],
      ['sh-tmu tmu2', 4],
    ]);
    for (const type of DEVICE_TYPES) {
      expect(type.channels.length > 0, type.type).toBe(!channelless.includes(type.type));
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
    const table = ticksTableOf(channel);
    // A channel whose period comes from a table takes only its entries: its shortest two and its longest
    // (each once: a table may have one or two entries).
    const sizes =
      table !== undefined ? [...new Set([...table.slice(0, 2), table[table.length - 1]!])] : [...new Set([min, 2, 5, 64, 1_000])].filter((t) => t >= min && t <= channel.maxTicks);

    it.each(sizes)(
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
            yield* access(acknowledgeOf(channel, ticks));
            const after = (yield guestRead(BASE + channel.status.offset, channel.status.size)) ?? 0;
            seen.push({ time, before, after, lineAfter: lineLevel() });
          }
        });
        system.run(T0 + 5 * ticks * cycle - 1);
        expect(seen.map((s) => s.time)).toEqual([1, 2, 3, 4].map((k) => T0 + k * ticks * cycle));
        for (const s of seen) {
          // Unsigned: a status bit may be bit 31 (the SLAVIO counters' limit reached, #17).
          expect((s.before & channel.status.mask) >>> 0).toBe(channel.status.mask);
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
      const ticks = ticksAtLeast(channel, 1_000);
      const { system, cycle } = rig(type, channel, (hz) => hz);
      const line = system.line(`dut.${channel.line}`);
      const times: number[] = [];
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (let k = 0; k < 6; k++) {
          yield waitForIrq(line, true);
          times.push(system.clock.now());
          yield* access(acknowledgeOf(channel, ticks));
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
      const ticks = ticksAtLeast(channel, 10);
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

    it('start refuses ticks outside [minTicks, maxTicks] with a typed error', () => {
      expect(thrown(() => channel.start(channel.maxTicks + 1))).toBeInstanceOf(SystemConfigError);
      expect(thrown(() => channel.start(min - 1))).toBeInstanceOf(SystemConfigError);
      expect(thrown(() => channel.start(2.5))).toBeInstanceOf(SystemConfigError);
      expect(channel.start(channel.maxTicks).length).toBeGreaterThan(0);
      // A table's gaps are refused too; every entry is accepted.
      if (table !== undefined) {
        expect(thrown(() => channel.start(table[0]! + 1))).toBeInstanceOf(SystemConfigError);
        for (const ticks of table) expect(channel.start(ticks).length).toBeGreaterThan(0);
      }
    });
  });

  // Channels with a counter register (all but the i.MX2 and Allwinner watchdogs' and the CSU DMA timeout's).
  describe.each(cases.filter((c) => c.channel.counter !== undefined))('$label', ({ type, channel }) => {
    const counter = channel.counter!;

    it(`the counter moves ${counter.direction}, one step per cycle`, () => {
      const ticks = ticksAtLeast(channel, 1_000);
      // The last reading before the expiry (the AXI DMA's delay counter takes 255 at most).
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
      const sign = counter.direction === 'down' ? 1 : -1;
      const [r10, r20, r30, rLast] = readings as [number, number, number, number];
      expect(sign * (r10 - r20)).toBe(10);
      expect(sign * (r20 - r30)).toBe(10);
      expect(sign * (r30 - rLast)).toBe(last - 30);
      // After 10 cycles: a down-counter loaded with about `ticks` reads between ticks - 12 and ticks - 10;
      // an up-counter started at 0 (the i.MX GPT's restart rounds, a timestamp counter, a delay counter) between 9 and 11.
      expect(Math.abs(r10 - (counter.direction === 'down' ? ticks - 11 : 10))).toBeLessThanOrEqual(1);
      expect(system.trace.of('guest-error')).toEqual([]);
    });
  });

  // Channels with no counter register (the i.MX2 and Allwinner watchdogs, the CSU DMA's hidden timeout count).
  describe.each(cases.filter((c) => c.channel.counter === undefined))('$label', ({ type, channel }) => {
    it('has no counter register: readCounter refuses it with a typed error; the status is the only sign of an expiry', () => {
      expect(thrown(() => readCounter(BASE, channel).next())).toBeInstanceOf(SystemConfigError);
      const ticks = minTicksOf(channel);
      const { system, cycle } = rig(type, channel);
      const pending: boolean[] = [];
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (const at of [T0 + ticks * cycle - 1, T0 + ticks * cycle + 1]) {
          yield waitUntil(at);
          pending.push((((yield guestRead(BASE + channel.status.offset, channel.status.size)) ?? 0) & channel.status.mask) !== 0);
        }
      });
      system.run(T0 + ticks * cycle + 1);
      expect(pending).toEqual([false, true]);
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

  describe('imx2-wdt (#16)', () => {
    const type = deviceType('imx2-wdt');
    const channel = type.channels[0]!;
    const HALF_SECOND = 500_000_000;

    it('at 32.768 kHz a step is half a second; left unfed, wdog_rst rises one step after the pre-timeout interrupt, WDOG_B stays released', () => {
      const ticks = 6;
      const { system, cycle } = rig(type, channel, (hz) => hz);
      expect(cycle).toBe(HALF_SECOND);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
      });
      // Past the power-down counter's 16 s: the recipe turned it off (WMCR = 0).
      system.run(T0 + 40 * cycle);
      expect(system.trace.of('irq', 'dut.wdog_int').map((e) => [e.time, e.level])).toEqual([[T0 + 3_000_000_000, true]]);
      expect(system.trace.of('irq', 'dut.wdog_rst').map((e) => [e.time, e.level])).toEqual([[T0 + 3_500_000_000, true]]);
      expect(system.trace.of('irq', 'dut.wdog_b')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('fed (acknowledged) before each pre-timeout, it never interrupts', () => {
      const ticks = 4;
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        for (let k = 1; k <= 20; k++) {
          yield waitUntil(T0 + k * (ticks - 1) * cycle);
          yield* access(channel.acknowledge);
        }
      });
      // Up to a step before the interrupt that would follow the last feed.
      system.run(T0 + (21 * (ticks - 1) - 1) * cycle);
      expect(system.trace.of('irq')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('started again while running with another WT, it restarts the count from the new WT at the service, no guest error', () => {
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(10));
        yield waitUntil(T0 + 5 * cycle);
        yield* access(channel.start(3));
      });
      system.run(T0 + 30 * cycle);
      expect(system.trace.of('irq', 'dut.wdog_int').map((e) => [e.time, e.level])).toEqual([[T0 + 8 * cycle, true]]);
      expect(system.trace.of('irq', 'dut.wdog_rst').map((e) => [e.time, e.level])).toEqual([[T0 + 9 * cycle, true]]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });
  });

  describe.each(['allwinner-sun4i-wdt', 'allwinner-sun6i-wdt'])('%s', (name) => {
    const type = deviceType(name);
    const channel = type.channels[0]!;
    const ticks = minTicksOf(channel); // 0.5 s at 24 MHz; 480 ms at the test's 25 MHz

    it('left unfed, it times out once: the status, the interrupt and the reset request at `ticks` cycles, nothing after (W6, W7)', () => {
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
      });
      system.run(T0 + 4 * ticks * cycle);
      expect(system.trace.of('irq', 'dut.irq').map((e) => [e.time, e.level])).toEqual([[T0 + ticks * cycle, true]]);
      expect(system.trace.of('irq', 'dut.reset').map((e) => [e.time, e.level])).toEqual([[T0 + ticks * cycle, true]]);
      expect(system.trace.of('expiry').map((e) => e.time)).toEqual([T0 + ticks * cycle]);
    });

    it('fed (kicked) before each timeout, it never times out', () => {
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
      expect(system.trace.of('expiry')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('started again while running, it restarts the count with no guest error', () => {
      const { system, cycle } = rig(type, channel);
      system.addGuest('driver', function* () {
        yield waitUntil(T0);
        yield* access(channel.start(ticks));
        yield waitUntil(T0 + 50 * cycle);
        yield* access(channel.start(ticks));
      });
      system.run(T0 + 3 * ticks * cycle);
      expect(system.trace.of('irq', 'dut.irq').map((e) => [e.time, e.level])).toEqual([[T0 + (50 + ticks) * cycle, true]]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });
  });
});
