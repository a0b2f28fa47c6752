import { describe, expect, it } from 'vitest';
import { wait, type DriverCommand, type DriverInput } from '../../../operators/driverCommands';
import { guestRead } from '../../../src/bus/GuestAccess';
import { clocksourceReader, periodicTick, pollingReader, watchdogFeeder } from '../../../system';
import { CounterRead, counterResults, ProgramIterator, yielded, type Yielded } from '../../../system/programs/ProgramIterator';
import { guestWrite } from '../../../src/bus/GuestAccess';
import { thrown } from '../../support/errors';
import { BASE, DEVICE, rig } from './rig';

const READ = yielded(guestRead(0x10));
const WAIT = yielded(wait(5));

/** Reads once, then waits once per value read until it has read `reads` times; throws on a read of 13. */
class Countdown extends ProgramIterator<number> {
  private left: number;
  private waiting = false;
  constructor(reads: number) {
    super(reads, undefined);
    this.left = reads;
  }
  protected step(input: DriverInput): IteratorResult<DriverCommand, void> {
    if (this.waiting) {
      if (input === 13) throw new Error('unlucky');
      this.waiting = false;
      return WAIT;
    }
    if (this.left === 0) return this.end();
    this.left--;
    this.waiting = true;
    return READ;
  }
}

/** The generator a Countdown stands for, to compare with. */
function* countdown(reads: number): Generator<DriverCommand, void, DriverInput> {
  for (let left = reads; left > 0; left--) {
    if ((yield READ.value) === 13) throw new Error('unlucky');
    yield WAIT.value;
  }
}

/** The results of driving `it` with `inputs`, each result or the error thrown. */
const drive = (it: Iterator<DriverCommand, unknown, DriverInput>, inputs: readonly (DriverInput | 'return' | 'throw')[]): unknown[] =>
  inputs.map((input) => {
    try {
      if (input === 'return') return { ...it.return!() };
      if (input === 'throw') return { ...it.throw!(new Error('from outside')) };
      return { ...it.next(input) };
    } catch (error) {
      return (error as Error).message;
    }
  });

describe('ProgramIterator', () => {
  it.each([
    ['to its end', [undefined, 1, undefined, 2, undefined, undefined]],
    ['when a step throws', [undefined, 13, undefined]],
    ['when returned in the middle', [undefined, 1, 'return', undefined]],
    ['when thrown into', [undefined, 'throw', undefined]],
    ['when returned before it starts', ['return', undefined]],
  ] as const)('runs %s as the generator it replaces', (_, inputs) => {
    expect(drive(new Countdown(2), inputs)).toEqual(drive(countdown(2), inputs));
  });

  it('hands out the same frozen result for a command at every pass', () => {
    const it = new Countdown(3);
    const results = [it.next(), it.next(), it.next(), it.next()];
    expect(results[0]).toBe(results[2]);
    expect(results[1]).toBe(results[3]);
    expect(Object.isFrozen(results[0])).toBe(true);
  });

  it('is its own iterator (for-of runs it to its end)', () => {
    const it = new Countdown(2);
    expect(it[Symbol.iterator]()).toBe(it);
    expect([...it].map((c) => c.kind)).toEqual(['read', 'wait', 'read', 'wait']);
  });

  it("yielded() results cannot be changed by a consumer (every run shares them)", () => {
    const r: Yielded = yielded(guestRead(0x20));
    expect(thrown(() => ((r as { done: boolean }).done = true))).toBeInstanceOf(TypeError);
  });
});

describe('the built-in programs as ProgramIterators', () => {
  it('run nothing before the first next: a bad position throws there, not at start', () => {
    const r = rig('cmsdk-apb-timer');
    const line = r.system.line(`${DEVICE}.timerint`);
    const programs = [
      periodicTick({ base: BASE, channel: r.channel, line, clockHz: 25e6, hz: 1_000 }),
      pollingReader({ base: BASE, channel: r.channel, clock: r.system.clock, everyNs: 1_000 }),
      clocksourceReader({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: 25e6, everyNs: 1_000 }),
    ];
    for (const program of programs) {
      const it = program.start('nowhere');
      expect(thrown(() => it.next())).toMatchObject({ name: 'SystemSnapshotError' });
      // Ended by the error, as a generator is.
      expect(it.next()).toEqual({ value: undefined, done: true });
    }
  });

  it('a watchdog feeder that stops after n feeds ends after its n-th feed, as its generator did', () => {
    const r = rig('cmsdk-apb-watchdog');
    const program = watchdogFeeder({ base: BASE, channel: r.channel, clock: r.system.clock, clockHz: r.clockHz, timeoutNs: 1_000_000, feedEveryNs: 400_000, stopAfter: 1 });
    const it = program.start();
    const kinds: string[] = [];
    for (let step = it.next(); step.done !== true; step = it.next(step.value.kind === 'read' ? 0 : undefined)) kinds.push(step.value.kind);
    const starts = r.channel.start(1).length;
    const feeds = r.channel.acknowledge.length;
    expect(kinds).toEqual([...Array<string>(starts).fill('write'), 'wait-until', ...r.channel.acknowledge.map((a) => a.kind)]);
    expect(kinds.length).toBe(starts + 1 + feeds);
    expect(program.stats().feeds).toBe(1);
  });
});

describe('CounterRead', () => {
  const latch = guestWrite(0x0c, 1);
  const low = guestRead(0x10);
  const high = guestRead(0x14);

  it('latches, reads the low then the high part, and puts them together, as readCounter does', () => {
    const read = new CounterRead(counterResults({ before: [latch], read: low, high, value: (l, h) => h * 2 ** 16 + l }));
    for (const [lowValue, highValue] of [
      [0x1234, 0x5],
      [0xffff, 0x0],
    ] as const) {
      read.begin();
      expect(read.step(undefined)?.value).toBe(latch);
      expect(read.step(undefined)?.value).toBe(low);
      expect(read.step(lowValue)?.value).toBe(high);
      expect(read.step(highValue)).toBeUndefined();
      expect(read.value).toBe(highValue * 2 ** 16 + lowValue);
    }
  });

  it('without an upper part, the value follows the counter register alone (a missing value counts as 0)', () => {
    const read = new CounterRead(counterResults({ before: [], read: low, high: undefined, value: (l) => l >>> 4 }));
    read.begin();
    expect(read.step(undefined)?.value).toBe(low);
    expect(read.step(0x120)).toBeUndefined();
    expect(read.value).toBe(0x12);
    read.begin();
    read.step(undefined);
    expect(read.step(undefined)).toBeUndefined();
    expect(read.value).toBe(0);
  });
});
