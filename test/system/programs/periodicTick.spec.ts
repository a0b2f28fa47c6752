import { describe, expect, it } from 'vitest';
import { guestWrite } from '../../../src/bus/GuestAccess';
import { periodicTick, pollingReader, SystemConfigError, SystemSnapshotError, timedAccesses, type CatalogueChannel } from '../../../system';
import { thrown } from '../../support/errors';
import { BASE, DEVICE, expectResumes, rig } from './rig';

const MS = 1_000_000;

/** A tick handler at `hz` on `typeName`'s channel, in a system at `start`. */
const build = (typeName: string, channelName: string | undefined, hz: number, start = 0, ticks?: number) => {
  const r = rig(typeName, channelName, { start });
  const program = periodicTick({
    base: BASE,
    channel: r.channel,
    line: r.system.line(`${DEVICE}.${r.channel.line}`),
    clockHz: r.clockHz,
    hz,
    ...(ticks === undefined ? {} : { ticks }),
  });
  r.system.addGuest('tick', program);
  return { ...r, program };
};

describe('periodicTick', () => {
  describe.each([
    ['cmsdk-apb-timer', undefined, 1_000],
    ['sp804', 'timer2', 4_000],
    ['xilinx-axi-timer', 'timer1', 3_000],
    ['altera-avalon-timer', undefined, 5_000],
    ['imx-epit', undefined, 2_000],
    ['cmsdk-apb-watchdog', undefined, 2_000], // a watchdog handled at each interrupt: the acknowledge feeds it
  ] as const)('%s %s at %i Hz', (typeName, channelName, hz) => {
    it('counts one tick per expiry, each acknowledged at its instant; no guest error, no spurious wake-up', () => {
      const { system, program } = build(typeName, channelName, hz);
      system.run(10 * MS);
      const expected = Math.floor((10 * MS) / ((program.cyclesPerTick * 1e9) / rigHz(typeName, channelName)));
      expect(program.stats()).toEqual({ ticks: expected, spurious: 0, cyclesPerTick: program.cyclesPerTick });
      expect(Math.abs(expected - 10 * (hz / 1_000))).toBeLessThanOrEqual(1);
      expect(system.trace.of('guest-error')).toEqual([]);
      const line = `${DEVICE}.${rig(typeName, channelName).channel.line}`;
      const rises = system.trace.of('irq', line).filter((e) => e.level);
      const falls = system.trace.of('irq', line).filter((e) => !e.level);
      expect(rises).toHaveLength(expected);
      // Each fall (the acknowledge) at the instant of its rise: the handler ran in the next step.
      expect(falls.map((e) => e.time)).toEqual(rises.map((e) => e.time));
    });

    it('resumes from a snapshot between ticks and at a tick instant: the same continuation and count', () => {
      for (const mid of [3 * MS + 123, 5 * MS]) {
        const { original, restored } = expectResumes((start) => build(typeName, channelName, hz, start), mid, 10 * MS);
        expect(restored.program.stats()).toEqual(original.program.stats());
      }
    });
  });

  it('with a latency it acknowledges that long after each rise (the line is high meanwhile), also across a snapshot in the latency', () => {
    const US = 1_000;
    const build2 = (start: number) => {
      const r = rig('cmsdk-apb-timer', undefined, { start });
      const program = periodicTick({
        base: BASE,
        channel: r.channel,
        line: r.system.line(`${DEVICE}.timerint`),
        clockHz: r.clockHz,
        hz: 1_000,
        latencyNs: 3 * US,
        clock: r.system.clock,
      });
      r.system.addGuest('tick', program);
      return { ...r, program };
    };
    const { system, program } = build2(0);
    system.run(2 * MS + US);
    expect(program.position()).toEqual({ ticks: 1, spurious: 0, waiting: 'latency', handleAt: 2 * MS + 3 * US });
    system.run(10 * MS);
    expect(system.trace.of('irq', `${DEVICE}.timerint`).map((e) => [e.time, e.level])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((k) => (k < 10 ? [[k * MS, true], [k * MS + 3 * US, false]] : [[k * MS, true]])),
    );
    expect(program.stats().ticks).toBe(9); // the 10th expiry, at 10 ms, is handled at 10.003 ms
    const { original, restored } = expectResumes(build2, 2 * MS + US, 10 * MS);
    expect(restored.program.stats()).toEqual(original.program.stats());
    expect(thrown(() => periodicTick({ base: BASE, channel: rig('cmsdk-apb-timer').channel, line: system.line(`${DEVICE}.timerint`), clockHz: 25e6, hz: 1_000, latencyNs: 5 }))).toBeInstanceOf(SystemConfigError);
  });

  it('returns after `ticks` ticks and leaves the next interrupt pending', () => {
    const { system, program, channel } = build('sp804', 'timer1', 1_000, 0, 3);
    system.run(10 * MS);
    expect(program.stats().ticks).toBe(3);
    expect(system.line(`${DEVICE}.${channel.line}`).level).toBe(true); // the 4th expiry, never acknowledged
    expect(system.snapshot().guests['tick']).toEqual({ state: 'done' });
  });

  it('a wake-up on a shared line with its own status clear is spurious: it waits for the line to fall, then goes on (also across a snapshot)', () => {
    // Timer 1's handler on TIMINTC (timer 1 OR timer 2). Timer 2 runs at 300 Hz (3 333 cycles at 1 MHz),
    // started by a poller that acknowledges nothing; a timed guest clears it 500 ns after each expiry
    // (before timer 1's next expiry: while timer 2 holds TIMINTC high, timer 1's expiries raise nothing).
    const US = 1_000;
    const build2 = (start: number) => {
      const r = rig('sp804', 'timer1', { start });
      const timer2 = r.type.channels[1]!;
      const shared: CatalogueChannel = { ...r.channel, line: 'timintc' };
      const program = periodicTick({ base: BASE, channel: shared, line: r.system.line(`${DEVICE}.timintc`), clockHz: r.clockHz, hz: 1_000 });
      r.system.addGuest('tick', program);
      r.system.addGuest('start2', pollingReader({ base: BASE, channel: timer2, clock: r.system.clock, everyNs: 5 * MS, hz: 300, clockHz: r.clockHz, polls: 1 }));
      const clears = [1, 2, 3].map((k) => ({ at: (k * 3_333 * US + 500), kind: 'write' as const, address: BASE + timer2.acknowledge[0]!.offset, value: 1 }));
      r.system.addGuest('clear2', timedAccesses({ accesses: clears }));
      return { ...r, program };
    };
    const { system, program } = build2(0);
    system.run(3_333 * US + 250);
    expect(program.position()).toEqual({ ticks: 3, spurious: 1, waiting: 'fall' });
    system.run(10 * MS);
    expect(program.stats()).toEqual({ ticks: 10, spurious: 3, cyclesPerTick: 1_000 });
    const { restored } = expectResumes(build2, 3_333 * US + 250, 10 * MS);
    expect(restored.program.stats()).toEqual({ ticks: 10, spurious: 3, cyclesPerTick: 1_000 });
  });

  it('rejects a rate the channel cannot make, and a malformed position, with typed errors', () => {
    const r = rig('cmsdk-apb-timer');
    const line = r.system.line(`${DEVICE}.timerint`);
    const tooFast = thrown(() => periodicTick({ base: BASE, channel: r.channel, line, clockHz: 25e6, hz: 20e6 }));
    expect(tooFast).toBeInstanceOf(SystemConfigError);
    expect((tooFast as Error).message).toBe(
      'periodicTick(options.hz): 20000000 is invalid: gives round(25000000 / 20000000) = 1 cycles of pclk per expiry; channel timer takes from 2 to 4294967295',
    );
    expect(thrown(() => periodicTick({ base: BASE, channel: r.channel, line, clockHz: 25e6, hz: 0.001 }))).toBeInstanceOf(SystemConfigError);
    expect(thrown(() => periodicTick({ base: BASE, channel: r.channel, line, clockHz: 0, hz: 1_000 }))).toBeInstanceOf(SystemConfigError);
    expect(thrown(() => periodicTick({ base: BASE, channel: r.channel, line, clockHz: 25e6, hz: 1_000, ticks: 0 }))).toBeInstanceOf(SystemConfigError);
    const program = periodicTick({ base: BASE, channel: r.channel, line, clockHz: 25e6, hz: 1_000 });
    expect(thrown(() => program.start({ ticks: -1, spurious: 0, waiting: 'rise' }).next())).toBeInstanceOf(SystemSnapshotError);
    expect(thrown(() => program.start('rise').next())).toBeInstanceOf(SystemSnapshotError);
  });

  it('starts with exactly the recipe, then waits: a fresh start yields the start accesses first', () => {
    const r = rig('cmsdk-apb-timer');
    const program = periodicTick({ base: BASE, channel: r.channel, line: r.system.line(`${DEVICE}.timerint`), clockHz: 25e6, hz: 1_000 });
    const it = program.start();
    const first = [0, 1, 2, 3, 4].map(() => it.next(undefined).value);
    expect(first).toEqual(r.channel.start(25_000).map((a) => (a.kind === 'write' ? guestWrite(BASE + a.offset, a.value) : a)));
    expect(it.next(undefined).value).toMatchObject({ kind: 'wait-for-irq', level: true });
    expect(program.position()).toEqual({ ticks: 0, spurious: 0, waiting: 'rise' });
  });
});

function rigHz(typeName: string, channelName: string | undefined): number {
  return rig(typeName, channelName).clockHz;
}
