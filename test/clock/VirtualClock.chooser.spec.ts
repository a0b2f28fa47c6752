import { describe, expect, it } from 'vitest';
import { ClockObserverError, ClockRangeError, VirtualClock } from '../../src/clock';
import { workTag } from '../../src/clock/WorkTag';
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
    clock.observe({ choose: (ready: readonly PendingEvent[], next) => {
      asked.push([ready.map((e) => e.label), next]);
      return ready.length - 1; // last first
    } });
    clock.advanceTo(30);
    expect(log).toEqual(['c@10', 'b@10', 'a@10', 'd@20']);
    expect(asked).toEqual([
      [['a', 'b', 'c'], 20],
      [['a', 'b'], 20],
      [['a'], 20],
      [['d'], undefined],
    ]);
  });

  it('the ready work and the next instant match the whole queue in order, on a large queue with re-armed work (issue 18)', () => {
    const clock = new VirtualClock();
    // Deterministic pseudo-random times with many ties, some work re-armed in place (a new seq).
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const actions = Array.from({ length: 200 }, (_, i) => clock.scheduleLabeled(`w${i}`, () => undefined, 1 + rand(40)));
    for (let i = 0; i < 50; i++) (actions[rand(200)] as unknown as { schedule(s: unknown, d: number): void }).schedule(undefined, 1 + rand(40));
    let steps = 0;
    clock.observe({ choose: (ready, next) => {
      // The chooser's view must equal the whole queue's order, read before the pick changes it.
      const all = clock.pendingEvents();
      const at = all.filter((e) => e.time === all[0]!.time);
      expect(ready.map((e) => e.label)).toEqual(at.map((e) => e.label));
      expect(next).toBe(all[at.length]?.time);
      steps++;
      return rand(ready.length);
    } });
    clock.advanceTo(100);
    expect(steps).toBe(200);
  });

  it('without a chooser (or after removing it) the order is FIFO', () => {
    const { clock, log, at } = rig();
    at('a', 10);
    at('b', 10);
    const stop = clock.observe({ choose: () => 1 });
    stop();
    clock.advanceTo(10);
    expect(log).toEqual(['a@10', 'b@10']);
  });

  it('an index outside the ready work is a ClockRangeError naming it', () => {
    const { clock, at } = rig();
    at('a', 10);
    clock.observe({ choose: () => 3 });
    expect(() => clock.advanceTo(10)).toThrow(ClockRangeError);
    expect(() => clock.advanceTo(10)).toThrow(/3.*must index one of the 1 ready/);
  });

  it('defer moves ready work to the next instant that has work, behind what is queued there, without running or counting it', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    at('x', 25);
    at('y', 25);
    let deferred = false;
    clock.observe({ choose: (ready) => {
      const bh = ready.findIndex((e) => e.label === 'bh');
      if (bh >= 0 && !deferred) {
        deferred = true;
        return { defer: bh };
      }
      return 0;
    } });
    clock.advanceTo(30);
    expect(log).toEqual(['x@25', 'y@25', 'bh@25']);
    expect(clock.executedCount).toBe(3);
  });

  it('deferring with no later work is a ClockRangeError (work cannot be lost)', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    const stop = clock.observe({ choose: () => ({ defer: 0 }) });
    expect(() => clock.advanceTo(10)).toThrow(/can only defer work when later work is queued/);
    stop();
    clock.advanceTo(10);
    expect(log).toEqual(['bh@10']);
  });

  it('work deferred past the end of an advance stays queued for the next one', () => {
    const { clock, log, at } = rig();
    at('bh', 10);
    at('later', 50);
    let once = true;
    clock.observe({ choose: (ready) => {
      if (once && ready[0]!.label === 'bh') {
        once = false;
        return { defer: 0 };
      }
      return 0;
    } });
    clock.advanceTo(20);
    expect(log).toEqual([]);
    expect(clock.pendingEvents().map(({ time, label }) => ({ time, label }))).toEqual([
      { time: 50, label: 'later' },
      { time: 50, label: 'bh' },
    ]);
    clock.advanceTo(50);
    expect(log).toEqual(['later@50', 'bh@50']);
  });
});

describe('VirtualClock.observe (the clock seam)', () => {
  it('several observers see every piece of work before and after it runs, with its tag and time, in the order they were added', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.scheduleTagged(workTag('expiry', 'dev.t'), () => void seen.push('run expiry'), 10);
    clock.scheduleTagged(workTag('guest', 'g'), () => void seen.push('run guest'), 10);
    const stopA = clock.observe({
      before: (tag, time) => void seen.push(`A before ${tag.kind}:${tag.owner}@${time}`),
      after: (tag, time) => void seen.push(`A after ${tag.kind}:${tag.owner}@${time}`),
    });
    clock.observe({ after: (tag) => void seen.push(`B after ${tag.kind}`) });
    clock.advanceTo(10);
    expect(seen).toEqual([
      'A before expiry:dev.t@10',
      'run expiry',
      'A after expiry:dev.t@10',
      'B after expiry',
      'A before guest:g@10',
      'run guest',
      'A after guest:g@10',
      'B after guest',
    ]);
    stopA();
    stopA(); // idempotent
    seen.length = 0;
    clock.scheduleLabeled('x', () => void seen.push('run x'), 0);
    clock.advanceTo(10);
    expect(seen).toEqual(['run x', 'B after work']);
  });

  it('a second chooser is refused while the first is attached, accepted once it is removed', () => {
    const clock = new VirtualClock();
    const stop = clock.observe({ choose: () => 0 });
    expect(() => clock.observe({ choose: () => 0 })).toThrow(ClockObserverError);
    expect(() => clock.observe({ choose: () => 0 })).toThrow(/another observer already chooses/);
    stop();
    expect(() => clock.observe({ choose: () => 0 })).not.toThrow();
  });

  it('a hook that is not a function is a ClockObserverError naming it', () => {
    const clock = new VirtualClock();
    expect(() => clock.observe({ after: 5 as unknown as () => void })).toThrow(/observe\(observer\.after\).*must be a function/);
    expect(() => clock.observe(null as never)).toThrow(ClockObserverError);
  });

  it('pending work carries its tag; labels are derived from it', () => {
    const clock = new VirtualClock();
    clock.scheduleTagged(workTag('bottom-half', 'dev.t'), () => undefined, 5);
    clock.scheduleTagged(workTag('guest', 'g'), () => undefined, 5);
    expect(clock.pendingEvents()).toEqual([
      { time: 5, tag: { kind: 'bottom-half', owner: 'dev.t' }, label: "bottom-half 'dev.t'" },
      { time: 5, tag: { kind: 'guest', owner: 'g' }, label: 'guest:g' },
    ]);
  });

  it('trigger notes reach the observers that listen for them, with the time', () => {
    const clock = new VirtualClock({ start: 7 });
    const notes: unknown[] = [];
    clock.noteTrigger('emitted', 'nobody listens');
    const stop = clock.observe({ trigger: (note) => void notes.push(note) });
    clock.noteTrigger('emitted', 'dev.t');
    clock.noteTrigger('delivered', 'dev.t');
    stop();
    clock.noteTrigger('emitted', 'dev.t');
    expect(notes).toEqual([
      { kind: 'emitted', timer: 'dev.t', time: 7 },
      { kind: 'delivered', timer: 'dev.t', time: 7 },
    ]);
  });
});

describe('VirtualClock.observe: times', () => {
  it('after-hooks and onError get the instant the work ran at, also when the work re-armed its own action', () => {
    const errors: number[] = [];
    const clock = new VirtualClock({ onError: (_e, time) => void errors.push(time) });
    const after: number[] = [];
    clock.observe({ after: (_tag, time) => void after.push(time) });
    let n = 0;
    clock.schedule(function periodic(this: { schedule(s?: unknown, d?: number): void }) {
      n++;
      this.schedule(undefined, 100);
      if (n === 2) throw new Error('second run');
    }, 100);
    clock.advanceTo(300);
    expect(after).toEqual([100, 300]);
    expect(errors).toEqual([200]);
  });
});
