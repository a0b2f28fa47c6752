import { describe, expect, it } from 'vitest';
import { scaleScheduler } from '../../src/clock/scaleScheduler';
import { VirtualClock } from '../../src/clock/VirtualClock';
import { workTag } from '../../src/clock/WorkTag';
import { PTimer } from '../../src/ptimer/PTimer';
import { TestScheduler } from 'rxjs/testing';

/** A periodic timer (period 1 ns, limit 1 000) whose triggers are logged with the clock's time. */
const periodic = (clock: VirtualClock, name: string, log: string[]): PTimer => {
  const timer = new PTimer(clock, { name, onTrigger: (t) => log.push(`${name}@${t.time}`) });
  timer.transaction((t) => {
    t.setPeriod(1);
    t.setLimit(1_000, true);
    t.run(false);
  });
  return timer;
};

// On a VirtualClock a timer's record is its own queue entry (#19): what the clock's callers see must not change.
describe('a PTimer queued on a VirtualClock', () => {
  it('is listed, observed and chosen like any tagged work, and runs FIFO with actions at its instant', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    periodic(clock, 'a', log);
    clock.scheduleTagged(workTag('guest', 'g'), () => log.push(`g@${clock.now()}`), 1_000);
    periodic(clock, 'b', log);
    expect(clock.pendingEvents()).toEqual([
      { time: 1_000, tag: { kind: 'expiry', owner: 'a' }, label: "ptimer 'a' expiry" },
      { time: 1_000, tag: { kind: 'guest', owner: 'g' }, label: 'guest:g' },
      { time: 1_000, tag: { kind: 'expiry', owner: 'b' }, label: "ptimer 'b' expiry" },
    ]);
    const seen: string[] = [];
    const stop = clock.observe({
      before: (tag, time) => seen.push(`${tag.kind}:${tag.owner}@${time}`),
      // Run the last ready piece first: the timer's record is chosen like an action.
      choose: (ready) => ready.length - 1,
    });
    clock.advanceTo(1_000);
    stop();
    expect(seen).toEqual(['expiry:b@1000', 'guest:g@1000', 'expiry:a@1000']);
    expect(log).toEqual(['b@1000', 'g@1000', 'a@1000']);
    clock.advanceTo(2_000);
    expect(log.slice(3)).toEqual(['b@2000', 'a@2000']); // re-armed in the order they ran
  });

  it('stays dropped after cancelAll until a change re-anchors it, then expires from there', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const timer = periodic(clock, 't', log);
    clock.advanceTo(1_500);
    clock.cancelAll();
    expect(clock.pending).toBe(0);
    clock.advanceTo(5_000);
    expect(log).toEqual(['t@1000']);
    timer.transaction((t) => t.setCount(10));
    expect(clock.pending).toBe(1);
    clock.advanceTo(6_100);
    expect(log).toEqual(['t@1000', 't@5010', 't@6010']);
  });

  it('leaves the queue when stopped or disposed, and re-arms in place when restarted', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const timer = periodic(clock, 't', log);
    const other = periodic(clock, 'o', log);
    timer.transaction((t) => t.stop());
    expect(clock.pendingEvents().map((e) => e.tag.owner)).toEqual(['o']);
    timer.transaction((t) => t.run(false));
    expect(clock.pendingEvents().map((e) => e.tag.owner)).toEqual(['o', 't']);
    other.dispose();
    clock.advanceTo(1_000);
    expect(log).toEqual(['t@1000']);
    timer.dispose();
    expect(clock.pending).toBe(0);
  });
});

describe('a PTimer on another scheduler', () => {
  it('takes an action as before (rxjs TestScheduler through scaleScheduler)', () => {
    const scheduler = new TestScheduler(() => undefined);
    const ns = scaleScheduler(scheduler, 1_000);
    const log: number[] = [];
    const timer = new PTimer(ns, { onTrigger: (t) => log.push(t.time) });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(2, true);
      t.run(false);
    });
    scheduler.maxFrames = 7;
    scheduler.flush();
    expect(log).toEqual([2_000, 4_000, 6_000]);
    timer.dispose();
  });
});
