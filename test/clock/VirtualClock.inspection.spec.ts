import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { workTag } from '../../src/clock/WorkTag';

describe('VirtualClock inspection', () => {
  it('executedAtInstant counts the work run at now(), including the running one', () => {
    const clock = new VirtualClock();
    const seen: [number, number][] = [];
    const note = (): void => void seen.push([clock.now(), clock.executedAtInstant]);
    clock.schedule(note, 10);
    clock.schedule(note, 10);
    clock.schedule(() => {
      note();
      clock.schedule(note, 0); // same instant, runs after
    }, 20);
    expect(clock.executedAtInstant).toBe(0);
    clock.advanceTo(30);
    expect(seen).toEqual([
      [10, 1],
      [10, 2],
      [20, 1],
      [20, 2],
    ]);
    // now() is 30 and nothing ran there
    expect(clock.executedAtInstant).toBe(0);
  });

  it('executedAtInstant carries across advances at the same instant', () => {
    const clock = new VirtualClock();
    clock.schedule(() => undefined, 5);
    clock.advanceTo(5);
    expect(clock.executedAtInstant).toBe(1);
    let during = -1;
    clock.schedule(() => (during = clock.executedAtInstant), 0);
    clock.advanceTo(5);
    expect(during).toBe(2);
  });

  it('pendingEvents lists queued work in run order, with labels', () => {
    const clock = new VirtualClock();
    clock.scheduleLabeled('b', () => undefined, 20);
    clock.scheduleLabeled('a', () => undefined, 10);
    clock.scheduleLabeled('c', () => undefined, 20);
    const named = function named(): void {};
    clock.schedule(named, 15);
    expect(clock.pendingEvents().map(({ time, label }) => ({ time, label }))).toEqual([
      { time: 10, label: 'a' },
      { time: 15, label: named.name },
      { time: 20, label: 'b' },
      { time: 20, label: 'c' },
    ]);
    clock.advanceTo(15);
    expect(clock.pendingEvents().map((e) => e.label)).toEqual(['b', 'c']);
  });

  it('reorderPending puts same-instant work back in a recorded order; unlisted work goes first', () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    const at = (label: string, time: number): void => void clock.scheduleLabeled(label, () => ran.push(label), time);
    at('b', 10);
    at('a', 10);
    at('x', 10); // not in the recorded order
    at('c', 20);
    clock.reorderPending([
      { time: 10, tag: workTag('work', 'a'), label: 'a' },
      { time: 10, tag: workTag('work', 'b'), label: 'b' },
      { time: 20, tag: workTag('work', 'c'), label: 'c' },
    ]);
    expect(clock.pendingEvents().map((e) => e.label)).toEqual(['x', 'a', 'b', 'c']);
    clock.advanceTo(20);
    expect(ran).toEqual(['x', 'a', 'b', 'c']);
  });
});

