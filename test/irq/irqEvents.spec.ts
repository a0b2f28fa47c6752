// Marble frames here are plain TestScheduler frames: events are stamped with m.scheduler.now(), in frames.
import { BehaviorSubject, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock';
import { anyOf } from '../../src/irq/anyOf';
import { IrqArgumentError } from '../../src/irq/IrqArgumentError';
import { irqEvents } from '../../src/irq/irqEvents';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import { Trace, type IrqEvent } from '../../src/trace';
import { thrown } from '../support/errors';
import { marbles } from '../support/marbles';
import { signalOf } from '../support/signals';

const irq = (time: number, level: boolean, source = 'irq0'): IrqEvent => ({ time, source, kind: 'irq', level });

/** Collects irqEvents(signal, clock) into an array. */
const collect = (signal: IrqSignal, clock: SchedulerLike): IrqEvent[] => {
  const events: IrqEvent[] = [];
  irqEvents(signal, clock).subscribe((e) => events.push(e));
  return events;
};

describe('irqEvents', () => {
  it('stamps each level change with the clock time at which it happens', () => {
    const clock = new VirtualClock();
    const line = new IrqLine('irq0');
    const events = collect(line, clock);
    clock.schedule(() => line.raise(), 100);
    clock.schedule(() => line.raise(), 180); // already high: not a change
    clock.schedule(() => line.lower(), 250);
    clock.schedule(() => line.set(false), 300); // already low
    clock.advanceTo(1_000);
    expect(events).toStrictEqual([irq(100, true), irq(250, false)]);
  });

  it('the level at subscription is not an event, even when high', () => {
    const clock = new VirtualClock({ start: 40 });
    const line = new IrqLine('irq0', true);
    const events = collect(line, clock);
    expect(events).toStrictEqual([]);
    clock.schedule(() => line.lower(), 10);
    clock.advanceBy(20);
    expect(events).toStrictEqual([irq(50, false)]);
  });

  it('changes before subscription are not events; later ones are', () => {
    const clock = new VirtualClock();
    const line = new IrqLine('irq0');
    line.raise();
    line.lower();
    const events = collect(line, clock);
    line.raise();
    expect(events).toStrictEqual([irq(0, true)]);
  });

  it('G1: the event is emitted inside the change, before set() returns', () => {
    const clock = new VirtualClock({ start: 7 });
    const line = new IrqLine('irq0');
    const events = collect(line, clock);
    line.raise();
    expect(events).toStrictEqual([irq(7, true)]);
  });

  it('a pulse is two events at one instant, high first', () => {
    const clock = new VirtualClock();
    const line = new IrqLine('timer0');
    const events = collect(line, clock);
    clock.schedule(() => line.pulse(), 30);
    clock.advanceBy(30);
    expect(events).toStrictEqual([irq(30, true, 'timer0'), irq(30, false, 'timer0')]);
  });

  it('traces a combination only when the OR changes, under its own name', () => {
    const clock = new VirtualClock();
    const [t1, t2] = [new IrqLine('timer1'), new IrqLine('timer2')];
    const events = collect(anyOf('dualtimer', t1, t2), clock);
    clock.schedule(() => t1.raise(), 10);
    clock.schedule(() => t2.raise(), 20);
    clock.schedule(() => t1.lower(), 30);
    clock.schedule(() => t2.lower(), 40);
    clock.advanceTo(50);
    expect(events).toStrictEqual([irq(10, true, 'dualtimer'), irq(40, false, 'dualtimer')]);
  });

  it('emits nothing for a repeated level even from a signal whose level$ repeats itself', () => {
    const subject = new BehaviorSubject(false);
    const clock = new VirtualClock();
    const events = collect(signalOf('raw', subject), clock);
    subject.next(false);
    subject.next(true);
    subject.next(true);
    expect(events).toStrictEqual([irq(0, true, 'raw')]);
  });

  it('recorded into a Trace, two equal runs give equal JSON lines and digests', () => {
    const run = (): Trace => {
      const clock = new VirtualClock();
      const trace = new Trace();
      const line = new IrqLine('irq0');
      irqEvents(line, clock).subscribe((e) => trace.record(e));
      for (const [t, level] of [[5, true], [9, false], [9, true], [12, false]] as const) {
        clock.schedule(() => line.set(level), t);
      }
      clock.advanceTo(20);
      return trace;
    };
    const [a, b] = [run(), run()];
    expect(a.toJsonLines()).toBe(
      '{"time":5,"source":"irq0","kind":"irq","level":true}\n' +
        '{"time":9,"source":"irq0","kind":"irq","level":false}\n' +
        '{"time":9,"source":"irq0","kind":"irq","level":true}\n' +
        '{"time":12,"source":"irq0","kind":"irq","level":false}\n',
    );
    expect(b.digest()).toBe(a.digest());
  });

  it('unsubscribing stops the events', () => {
    const clock = new VirtualClock();
    const line = new IrqLine('irq0');
    const events: IrqEvent[] = [];
    const subscription = irqEvents(line, clock).subscribe((e) => events.push(e));
    line.raise();
    subscription.unsubscribe();
    line.lower();
    expect(events).toStrictEqual([irq(0, true)]);
  });

  it(
    'the doc example: events at the frames of the changes, none for the first level',
    marbles((m) => {
      const signal = signalOf('irq0', m.cold('f--t---f--', { f: false, t: true }));
      m.expect(irqEvents(signal, m.scheduler)).toBeObservable('---r---l--', { r: irq(3, true), l: irq(7, false) });
    }),
  );
});

describe('irqEvents: bad arguments', () => {
  it('a signal that is not an IrqSignal', () => {
    const error = thrown(() => irqEvents({ name: 'x' } as unknown as IrqSignal, new VirtualClock()));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect((error as Error).message).toBe('irqEvents(signal): {"name":"x"} is invalid: must be an IrqSignal (name, level, level$ and watch)');
  });

  it.each([undefined, null, {}, { now: 5 }])('a scheduler without now(): %j', (scheduler) => {
    const error = thrown(() => irqEvents(new IrqLine('a'), scheduler as unknown as SchedulerLike));
    expect(error).toBeInstanceOf(IrqArgumentError);
    expect(error).toMatchObject({ value: scheduler, rule: 'must be a SchedulerLike with now()' });
  });
});
