import { describe, expect, it } from 'vitest';
import { BottomHalf, VirtualClock } from '../../index';

describe('BottomHalf', () => {
  it('runs once per pending period, after the work already queued for its instant, as bottom-half work of its owner', () => {
    const clock = new VirtualClock({ start: 10 });
    const log: string[] = [];
    const bh = new BottomHalf(clock, 'dev.t', () => void log.push(`bh@${clock.now()}`));
    clock.schedule(() => void log.push('queued'), 0);
    bh.schedule();
    bh.schedule(); // already pending: nothing more
    expect(bh.pending).toBe(true);
    expect(clock.pendingEvents().map((e) => e.label)).toEqual(['anonymous work', "bottom-half 'dev.t'"]);
    expect(clock.pendingEvents()[1]!.tag).toEqual({ kind: 'bottom-half', owner: 'dev.t' });
    clock.advanceTo(10);
    expect(log).toEqual(['queued', 'bh@10']);
    expect(bh.pending).toBe(false);
    bh.schedule(); // no longer pending: a new period
    clock.advanceTo(10);
    expect(log).toEqual(['queued', 'bh@10', 'bh@10']);
  });

  it('a delay defers it; cancel drops a pending run; dispose ends it for good', () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    const bh = new BottomHalf(clock, 't', () => void log.push(clock.now()), 5);
    bh.schedule();
    clock.advanceTo(4);
    expect(log).toEqual([]);
    clock.advanceTo(5);
    expect(log).toEqual([5]);
    bh.schedule();
    bh.cancel();
    clock.advanceTo(20);
    expect(log).toEqual([5]);
    bh.dispose();
    bh.schedule();
    expect(clock.pending).toBe(0);
  });

  it('an error its handler throws propagates from the clock call that ran it; it can be scheduled again', () => {
    const clock = new VirtualClock();
    let fail = true;
    const bh = new BottomHalf(clock, 't', () => {
      if (fail) throw new Error('handler');
    });
    bh.schedule();
    expect(() => clock.advanceTo(1)).toThrow('handler');
    fail = false;
    bh.schedule();
    expect(() => clock.advanceTo(2)).not.toThrow();
  });
});
