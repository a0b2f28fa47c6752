import { describe, expect, it } from 'vitest';
import { pollingReader, SystemConfigError } from '../../../system';
import { thrown } from '../../support/errors';
import { BASE, expectResumes, rig } from './rig';

const MS = 1_000_000;
const US = 1_000;

const build = (typeName: string, channelName: string | undefined, everyNs: number, hz: number | undefined, start = 0) => {
  const r = rig(typeName, channelName, { start });
  const program = pollingReader({
    base: BASE,
    channel: r.channel,
    clock: r.system.clock,
    everyNs,
    ...(hz === undefined ? {} : { hz, clockHz: r.clockHz }),
  });
  r.system.addGuest('poll', program);
  return { ...r, program };
};

describe('pollingReader', () => {
  describe.each([
    ['cmsdk-apb-dualtimer', 'timer2'],
    ['altera-avalon-timer', undefined], // the counter through the latch: a write, then two reads
    ['allwinner-a10-pit', 'timer5'],
  ] as const)('%s %s', (typeName, channelName) => {
    it('reads the counter then the status in one step at each poll; counts the polls that found the status set', () => {
      // 1 kHz, polled every 300 µs: the first expiry at 1 ms is never acknowledged, so every poll from 1.2 ms on finds it.
      const { system, program, channel } = build(typeName, channelName, 300 * US, 1_000);
      system.run(2 * MS);
      expect(program.stats()).toMatchObject({ polls: 6, pending: 3 });
      const reads = system.trace.of('read');
      const statusReads = reads.filter((e) => e.offset === channel.status.offset);
      expect(statusReads.map((e) => e.time)).toEqual([1, 2, 3, 4, 5, 6].map((k) => k * 300 * US));
      // The counter read (the last access of the counter read) comes right before each status read.
      for (const s of statusReads) {
        const i = system.trace.events.indexOf(s);
        const before = system.trace.events[i - 1]!;
        expect(before).toMatchObject({ kind: 'read', time: s.time });
        expect((before as { offset: number }).offset).not.toBe(channel.status.offset);
      }
      expect(system.trace.of('guest-error')).toEqual([]);
    });

    it('resumes from a snapshot with the same continuation', () => {
      const { original, restored } = expectResumes((start) => build(typeName, channelName, 70 * US, 3_000, start), 1_000_001, 5 * MS);
      expect(restored.program.stats()).toEqual(original.program.stats());
    });
  });

  it('without hz it only polls: a stopped counter reads the same every time', () => {
    const { system, program } = build('sp804', 'timer1', 100 * US, undefined);
    system.run(MS);
    expect(program.stats()).toEqual({ polls: 10, pending: 0, lastCounter: 0xffff_ffff, lastStatus: 0 });
  });

  // Two guests waking at one instant resume in the order their wake-ups were queued: `a` polls every
  // 20 µs and `b` every 30 µs; at 60 µs `b` (queued at 30 µs) runs before `a` (queued at 40 µs), also
  // after a restore at 50 µs (the snapshot records each wake-up's rank in the queue).
  it('two pollers waking at one instant keep their order across a snapshot', () => {
    const build2 = (start: number) => {
      const r = rig('sp804', 'timer1', { start });
      const a = pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 20 * US, polls: 3 });
      const b = pollingReader({ base: BASE, channel: r.type.channels[1]!, clock: r.system.clock, everyNs: 30 * US, polls: 2 });
      r.system.addGuest('a', a);
      r.system.addGuest('b', b);
      return r;
    };
    expectResumes(build2, 50 * US, 100 * US);
  });

  it('rejects a missing clock rate with hz, and a bad interval', () => {
    const r = rig('sp804', 'timer1');
    expect(thrown(() => pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 1_000, hz: 1_000 }))).toBeInstanceOf(SystemConfigError);
    expect(thrown(() => pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 0 }))).toBeInstanceOf(SystemConfigError);
  });

  it('rejects a channel with no counter register (the i.MX2 WDOG), naming it', () => {
    const r = rig('imx2-wdt');
    const error = thrown(() => pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 1_000 }));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe(
      'pollingReader(options.channel): "watchdog" is invalid: must be a channel with a counter register (this device has no counter a guest can read)',
    );
  });

  it('rejects a channel with no counter register (the Allwinner watchdog), naming it (#16)', () => {
    const r = rig('allwinner-sun6i-wdt', 'watchdog');
    const error = thrown(() => pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 1_000 }));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe('pollingReader(options.channel): "watchdog" is invalid: must be a channel with a counter register (this device has no counter a guest can read)');
  });
});
