import { describe, expect, it } from 'vitest';
import { clocksourceReader, followsReading, SystemConfigError } from '../../../system';
import { thrown } from '../../support/errors';
import { BASE, expectResumes, rig } from './rig';

const MS = 1_000_000;

const build = (typeName: string, channelName: string | undefined, everyNs: number, start = 0, clockHz?: number) => {
  const r = rig(typeName, channelName, { start });
  const program = clocksourceReader({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: clockHz ?? r.clockHz, everyNs });
  r.system.addGuest('cs', program);
  return { ...r, program };
};

describe('clocksourceReader', () => {
  describe.each([
    ['sp804', 'timer2', 100_000],
    ['xilinx-axi-timer', 'timer1', 250_000],
    ['altera-avalon-timer', undefined, 70_000], // read through the snapl/snaph latch
    ['allwinner-a10-pit', 'timer3', 33_333], // 24 MHz: a cycle of 41⅔ ns
    ['minimal-timer', undefined, 1_000], // LEGACY_POLICY, reads rounded down
    ['imx-gpt', undefined, 100_000], // counts up from 0 (66 MHz: a cycle of 15 5/33 ns)
  ] as const)('%s %s every %i ns', (typeName, channelName, every) => {
    it('reads at the start and every interval, each reading consistent with the one before', () => {
      const { system, program, channel, clockHz } = build(typeName, channelName, every);
      system.run(10 * MS);
      const reads = Math.floor((10 * MS) / every) + 1;
      expect(program.stats()).toMatchObject({ reads, inconsistent: 0 });
      // The last reading: started at maxTicks (counting down) or 0 (up), moved by the cycles of (reads - 1) intervals.
      const moved = (reads - 1) * every * (clockHz / 1e9);
      expect(Math.abs((channel.counter!.direction === 'down' ? channel.maxTicks - moved : moved) - program.stats().last)).toBeLessThanOrEqual(3);
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('resumes from a snapshot with the same continuation and counts', () => {
      const { original, restored } = expectResumes((start) => build(typeName, channelName, every, start), 4 * MS + 7, 10 * MS);
      expect(restored.program.stats()).toEqual(original.program.stats());
    });
  });

  it('counts readings that do not follow: a clock rate twice the real one expects twice the motion', () => {
    const { system, program } = build('sp804', 'timer2', 100_000, 0, 2_000_000);
    system.run(1 * MS);
    expect(program.stats()).toMatchObject({ reads: 11, inconsistent: 10 });
  });

  it('followsReading: motion by the elapsed cycles (± 2), a wrap only when there was time to reach the end', () => {
    expect(followsReading('down', 1_000, 900, 100, 2 ** 32)).toBe(true);
    expect(followsReading('down', 1_000, 902, 100, 2 ** 32)).toBe(true);
    expect(followsReading('down', 1_000, 903, 100, 2 ** 32)).toBe(false); // too little
    expect(followsReading('down', 1_000, 1_001, 100, 2 ** 32)).toBe(false); // backwards, no time to wrap
    expect(followsReading('down', 50, 2 ** 32 - 40, 100, 2 ** 32)).toBe(true); // wrapped after reaching 0
    expect(followsReading('up', 900, 1_000, 100, 2 ** 32)).toBe(true);
    expect(followsReading('up', 2 ** 32 - 10, 80, 100, 2 ** 32)).toBe(true);
    expect(followsReading('up', 1_000, 999, 100, 2 ** 32)).toBe(false);
  });

  it('rejects an interval of half the longest period or more, and bad options, with typed errors', () => {
    const r = rig('sp804', 'timer2');
    const make = (everyNs: number, clockHz = 1e6) => () => clocksourceReader({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz, everyNs });
    const error = thrown(make(2_200_000_000_000));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toContain("must be under half the channel's longest period (2147483647500 ns)");
    expect(thrown(make(0))).toBeInstanceOf(SystemConfigError);
    expect(thrown(make(1.5))).toBeInstanceOf(SystemConfigError);
    expect(thrown(make(1_000, 0))).toBeInstanceOf(SystemConfigError);
  });

  it('rejects a channel with no counter register (the i.MX2 WDOG) with a typed error', () => {
    const r = rig('imx2-wdt');
    const error = thrown(() => clocksourceReader({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: r.clockHz, everyNs: 1_000 }));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toMatch(/^clocksourceReader\(options\.channel\): "watchdog" is invalid: must be a channel with a counter register/);
  });

  it('rejects a channel with no counter register (the Allwinner watchdog), naming it (#16)', () => {
    const r = rig('allwinner-sun4i-wdt', 'watchdog');
    const error = thrown(() => clocksourceReader({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: 24e6, everyNs: 1_000 }));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe('clocksourceReader(options.channel): "watchdog" is invalid: must be a channel with a counter register (this device has no counter a guest can read)');
  });
});
