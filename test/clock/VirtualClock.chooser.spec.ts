import { describe, expect, it } from 'vitest';
import { ClockRangeError, VirtualClock } from '../../src/clock';
import type { PendingEvent } from '../../src/clock/VirtualClock';

/** A clock with labelled work that logs `<label>@<time>` when it runs. */
const rig = () => {
  const clock = new VirtualClock();
  const log: string[] = [];
  const at = (label: string, time: number): void => {
    clock.scheduleLabeled(label, () => void log.push(`${label}@${clock.now()}`), time - clock.now());
  };
  return { clock, log, at };
};

describe('VirtualClock chooser', () => {
  it('picks the order of same-instant work; asked before every step with the ready work and the next instant', () => {
    const { clock, log, at } = rig();
    at('a', 10);
    at('b', 10);
    at('c', 10);
    at('d', 20);
    const asked: [string[], number | undefined][] = [];
    clock.setChooser((ready: readonly PendingEvent[], next) => {
      asked.push([ready.map((e) => e.label), next]);
      return ready.length - 1; // last first
    });
    clock.advanceTo(30);
    expect(log).toEqual(['c@10', 'b@10', 'a@10', 'd@20']);
    expect(asked).toEqual([
      [['a', 'b', 'c'], 20],
      [['a', 'b'], 20],
      [['a'], 20],
      [['d'], undefined],
    ]);
  });

  it('without a chooser (or after removing it) the order is FIFO', () => {
    const { clock, log, at } = rig();
    at('a', 10);
    at('b', 10);
    clock.setChooser(() => 1);
    clock.setChooser(undefined);
    clock.advanceTo(10);
    expect(log).toEqual(['a@10', 'b@10']);
  });

  it('an index outside the ready work is a ClockRangeError naming it', () => {
    const { clock, at } = rig();
    at('a', 10);
    clock.setChooser(() => 3);
    expect(() => clock.advanceTo(10)).toThrow(ClockRangeError);
    expect(() => clock.advanceTo(10)).toThrow(/3.*must index one of the 1 ready/);
  });

  it('defer moves ready work to the next instant that has work, behind what is queued there, without running or counting it', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    at('x', 25);
    at('y', 25);
    let deferred = false;
    clock.setChooser((ready) => {
      const bh = ready.findIndex((e) => e.label === 'bh');
      if (bh >= 0 && !deferred) {
        deferred = true;
        return { defer: bh };
      }
      return 0;
    });
    clock.advanceTo(30);
    expect(log).toEqual(['x@25', 'y@25', 'bh@25']);
    expect(clock.executedCount).toBe(3);
  });

  it('deferring with no later work is a ClockRangeError (work cannot be lost)', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    clock.setChooser(() => ({ defer: 0 }));
    expect(() => clock.advanceTo(10)).toThrow(/can only defer work when later work is queued/);
    clock.setChooser(undefined);
    clock.advanceTo(10);
    expect(log).toEqual(['bh@10']);
  });

  it('work deferred past the end of an advance stays queued for the next one', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    at('later', 50);
    let once = true;
    clock.setChooser((ready) => {
      if (once && ready[0]!.label === 'bh') {
        once = false;
        return { defer: 0 };
      }
      return 0;
    });
    clock.advanceTo(20);
    expect(log).toEqual([]);
    expect(clock.pendingEvents()).toEqual([
      { time: 50, label: 'later' },
      { time: 50, label: 'bh' },
    ]);
    clock.advanceTo(50);
    expect(log).toEqual(['later@50', 'bh@50']);
  });
});
