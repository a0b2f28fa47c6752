import { describe, expect, it } from 'vitest';
import { SystemConfigError, watchdogFeeder } from '../../../system';
import { deviceType } from '../../../system/catalogue';
import { thrown } from '../../support/errors';
import { BASE, DEVICE, expectResumes, rig } from './rig';

const MS = 1_000_000;
const US = 1_000;

const build = (options: { start?: number; wdogclk?: number; timeoutNs: number; feedEveryNs: number; stopAfter?: number }) => {
  const r = rig('cmsdk-apb-watchdog', undefined, { start: options.start ?? 0, ...(options.wdogclk === undefined ? {} : { clocks: { wdogclk: options.wdogclk } }) });
  const program = watchdogFeeder({
    base: BASE,
    channel: r.channel,
    clock: r.system.clock,
    clockHz: r.clockHz,
    timeoutNs: options.timeoutNs,
    feedEveryNs: options.feedEveryNs,
    ...(options.stopAfter === undefined ? {} : { stopAfter: options.stopAfter }),
  });
  r.system.addGuest('feeder', program);
  return { ...r, program };
};

describe('watchdogFeeder', () => {
  // The CMSDK watchdog's channel runs here at two WDOGCLK rates (its Luminary variant's recipe: test/system/catalogue).
  describe.each([25_000_000, 32_768])('cmsdk-apb-watchdog at %i Hz', (wdogclk) => {
    it('fed every 400 µs with a 1 ms timeout: never interrupts, never resets; a feed every interval', () => {
      const { system, program } = build({ wdogclk, timeoutNs: MS, feedEveryNs: 400 * US });
      system.run(10 * MS);
      expect(program.stats()).toEqual({ feeds: 25, timeoutCycles: Math.round((MS * wdogclk) / 1e9) });
      expect(system.trace.of('irq')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('stops after `stopAfter` feeds: the interrupt comes one timeout after the last feed, the reset one timeout + 1 cycle later', () => {
      const { system, program } = build({ wdogclk, timeoutNs: MS, feedEveryNs: 400 * US, stopAfter: 3 });
      const ticks = program.stats().timeoutCycles;
      system.run(10 * MS);
      const lastFeed = 3 * 400 * US;
      const cycle = 1e9 / wdogclk;
      const at = (cycles: number): number => lastFeed + cycles * cycle;
      const interrupt = system.trace.of('irq', `${DEVICE}.wdogint`).filter((e) => e.level)[0]!.time;
      const reset = system.trace.of('irq', `${DEVICE}.wdogres`).filter((e) => e.level)[0]!.time;
      // Whole-ns instants: at most a ns before the exact cycle edge (each countdown is floored).
      expect(at(ticks) - interrupt).toBeGreaterThanOrEqual(0);
      expect(at(ticks) - interrupt).toBeLessThan(1);
      expect(at(2 * ticks + 1) - reset).toBeGreaterThanOrEqual(0);
      expect(at(2 * ticks + 1) - reset).toBeLessThan(2);
      expect(system.snapshot().guests['feeder']).toEqual({ state: 'done' });
    });

    it('resumes from a snapshot (also at a feed instant) with the same continuation', () => {
      for (const mid of [1_234_567, 2 * MS]) {
        const { original, restored } = expectResumes((start) => build({ start, wdogclk, timeoutNs: MS, feedEveryNs: 400 * US }), mid, 10 * MS);
        expect(restored.program.stats()).toEqual(original.program.stats());
      }
    });
  });

  // The i.MX2 WDOG's channel counts half-second steps of its 32.768 kHz clock (divisor 16384):
  // the timeout is a whole number of steps, the pre-timeout interrupt its `wdog_int`.
  describe('imx2-wdt (a channel with a divisor)', () => {
    const S = 1_000_000_000;
    const wdog = (options: { start?: number; stopAfter?: number } = {}) => {
      const r = rig('imx2-wdt', undefined, { start: options.start ?? 0 });
      const program = watchdogFeeder({
        base: BASE,
        channel: r.channel,
        clock: r.system.clock,
        clockHz: r.clockHz,
        timeoutNs: 30 * S,
        feedEveryNs: 10 * S,
        ...(options.stopAfter === undefined ? {} : { stopAfter: options.stopAfter }),
      });
      r.system.addGuest('feeder', program);
      return { ...r, program };
    };

    it('a 30 s timeout is 60 steps; fed every 10 s it never interrupts nor resets, also past the power-down counter\'s 16 s', () => {
      const { system, program } = wdog();
      system.run(200 * S);
      expect(program.stats()).toEqual({ feeds: 20, timeoutCycles: 60 });
      expect(system.trace.of('irq')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('stops after 2 feeds: the pre-timeout interrupt 30 s after the last feed, the reset 0.5 s later', () => {
      const { system } = wdog({ stopAfter: 2 });
      system.run(100 * S);
      expect(system.trace.of('irq', `${DEVICE}.wdog_int`).map((e) => [e.time, e.level])).toEqual([[50 * S, true]]);
      expect(system.trace.of('irq', `${DEVICE}.wdog_rst`).map((e) => [e.time, e.level])).toEqual([[50.5 * S, true]]);
    });

    it('resumes from a snapshot with the same continuation', () => {
      const { original, restored } = expectResumes((start) => wdog({ start }), 25 * S, 100 * S);
      expect(restored.program.stats()).toEqual(original.program.stats());
    });

    it('refuses a timeout that is not a whole number of steps the channel takes, naming the steps', () => {
      const r = rig('imx2-wdt');
      const make = (timeoutNs: number) => () =>
        watchdogFeeder({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: r.clockHz, timeoutNs, feedEveryNs: 100_000_000 });
      expect((thrown(make(200 * S)) as Error).message).toBe(
        'watchdogFeeder(options.timeoutNs): 200000000000 is invalid: gives round(200000000000 ns × 32768 Hz / 16384) = 400 steps of 16384 cycles of ckil; channel watchdog takes from 1 to 255',
      );
      expect(thrown(make(100_000_000))).toBeInstanceOf(SystemConfigError); // 0.1 s: 0 steps
    });
  });

  it('rejects a timer channel, a feed interval not under the timeout, and a timeout the channel cannot make', () => {
    const timer = rig('sp804', 'timer1');
    const timerError = thrown(() =>
      watchdogFeeder({ base: BASE, channel: timer.channel, clock: timer.system.clock, clockHz: 1e6, timeoutNs: MS, feedEveryNs: 400 * US }),
    );
    expect(timerError).toBeInstanceOf(SystemConfigError);
    expect((timerError as Error).message).toBe(
      `watchdogFeeder(options.channel): "timer1" is invalid: must be a watchdog channel (kind 'watchdog'), not a timer channel`,
    );
    const channel = deviceType('cmsdk-apb-watchdog').channels[0]!;
    const r = rig('cmsdk-apb-watchdog');
    const make = (timeoutNs: number, feedEveryNs: number) => () =>
      watchdogFeeder({ base: BASE, channel, clock: r.system.clock, clockHz: 25e6, timeoutNs, feedEveryNs });
    expect((thrown(make(MS, MS)) as Error).message).toBe(
      'watchdogFeeder(options.feedEveryNs): 1000000 is invalid: must be a positive whole number of ns under the timeout (25000 cycles = 1000000 ns), or the watchdog bites between feeds',
    );
    expect(thrown(make(10, 5))).toBeInstanceOf(SystemConfigError); // 10 ns at 25 MHz: 0 cycles
    expect(thrown(make(200 * 1e9, MS))).toBeInstanceOf(SystemConfigError); // 5e12 cycles: beyond 32 bits
  });

  // The Allwinner watchdogs' timeouts come from a table (#16): 0.5 s = 12 000 000 HOSC cycles at 24 MHz.
  describe.each(['allwinner-sun4i-wdt', 'allwinner-sun6i-wdt'])('%s', (typeName) => {
    const feeder = (stopAfter?: number) => {
      const r = rig(typeName);
      const program = watchdogFeeder({
        base: BASE,
        channel: r.channel,
        clock: r.system.clock,
        clockHz: r.clockHz,
        timeoutNs: 500 * MS,
        feedEveryNs: 200 * MS,
        ...(stopAfter === undefined ? {} : { stopAfter }),
      });
      r.system.addGuest('feeder', program);
      return { ...r, program };
    };

    it('fed every 200 ms with a 0.5 s timeout: never times out in 10 s', () => {
      const { system, program } = feeder();
      system.run(10_000 * MS);
      expect(program.stats()).toEqual({ feeds: 50, timeoutCycles: 12_000_000 });
      expect(system.trace.of('expiry')).toEqual([]);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('stops after 3 feeds: the timeout, its interrupt and the reset request 0.5 s after the last feed', () => {
      const { system } = feeder(3);
      system.run(10_000 * MS);
      const at = 600 * MS + 500 * MS;
      expect(system.trace.of('irq').filter((e) => e.level).map((e) => [e.source, e.time])).toEqual([
        [`${DEVICE}.irq`, at],
        [`${DEVICE}.reset`, at],
      ]);
    });

    it('refuses a timeout the table does not have', () => {
      const r = rig(typeName);
      const error = thrown(() => watchdogFeeder({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: 24e6, timeoutNs: 700 * MS, feedEveryNs: MS }));
      expect(error).toBeInstanceOf(SystemConfigError);
      expect((error as Error).message).toMatch(/^allwinner-sun\di-wdt\.watchdog\.start\(ticks\): 16800000 is invalid: must be one of the interval table's cycle counts \(12000000, 24000000, /);
    });
  });
});
