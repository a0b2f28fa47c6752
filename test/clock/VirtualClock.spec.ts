import { interval, NEVER, observeOn, of, take, timeout, TimeoutError, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ClockRangeError, ClockReentryError, RunawayError, VirtualClock } from '../../index';

describe('VirtualClock', () => {
  it('runs work in due-time order and sets now() to each due time before running it', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.schedule(() => log.push(`c@${clock.now()}`), 30);
    clock.schedule(() => log.push(`a@${clock.now()}`), 10);
    clock.schedule(() => log.push(`b@${clock.now()}`), 20);
    clock.advanceTo(25);
    expect(log).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    clock.advanceBy(5);
    expect(log).toEqual(['a@10', 'b@20', 'c@30']);
  });

  it('G4: same-instant work runs FIFO by scheduling order, also across many entries', () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    // Interleave due times so heap placement alone would not give FIFO.
    for (let i = 0; i < 200; i++) clock.schedule(() => log.push(i), i % 2 === 0 ? 100 : 50);
    clock.advanceTo(100);
    const odd = [...Array(100).keys()].map((k) => 2 * k + 1);
    const even = [...Array(100).keys()].map((k) => 2 * k);
    expect(log).toEqual([...odd, ...even]);
  });

  it('G4: re-arming takes a new sequence number, so a re-armed action runs after work already queued for that instant', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const first = clock.schedule(() => log.push('first'), 10);
    clock.schedule(() => log.push('second'), 10);
    (first as unknown as { schedule(s?: unknown, d?: number): void }).schedule(undefined, 10);
    clock.advanceTo(10);
    expect(log).toEqual(['second', 'first']);
  });

  it('work scheduled with delay 0 during an instant runs in that instant, after work already queued', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.schedule(() => {
      log.push('a');
      clock.schedule(() => log.push(`c@${clock.now()}`));
    }, 5);
    clock.schedule(() => log.push('b'), 5);
    clock.advanceTo(5);
    expect(log).toEqual(['a', 'b', 'c@5']);
  });

  it('runs work due exactly at the target of advanceTo', () => {
    const clock = new VirtualClock();
    let ran = false;
    clock.schedule(() => (ran = true), 7);
    clock.advanceTo(6);
    expect(ran).toBe(false);
    clock.advanceTo(7);
    expect(ran).toBe(true);
  });

  it('re-arms an action in place from inside its work (interval) without allocating a new one', () => {
    const clock = new VirtualClock();
    const actions = new Set<unknown>();
    const times: number[] = [];
    clock.schedule(function tick(this: unknown, n?: number) {
      actions.add(this);
      times.push(clock.now());
      if ((n ?? 0) < 4) (this as { schedule(s: number, d: number): void }).schedule((n ?? 0) + 1, 3);
    }, 3, 0);
    clock.run();
    expect(times).toEqual([3, 6, 9, 12, 15]);
    expect(actions.size).toBe(1);
  });

  it('cancels work when its subscription is unsubscribed', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const sub = clock.schedule(() => log.push('x'), 10);
    clock.schedule(() => log.push('y'), 10);
    sub.unsubscribe();
    expect(clock.pending).toBe(1);
    clock.run();
    expect(log).toEqual(['y']);
  });

  it('step() runs exactly the next instant and returns it; nextDeadline() reports it', () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.schedule(() => log.push(clock.now()), 4);
    clock.schedule(() => log.push(clock.now()), 4);
    clock.schedule(() => log.push(clock.now()), 9);
    expect(clock.nextDeadline()).toBe(4);
    expect(clock.step()).toBe(4);
    expect(log).toEqual([4, 4]);
    expect(clock.nextDeadline()).toBe(9);
    expect(clock.step()).toBe(9);
    expect(clock.step()).toBeUndefined();
    expect(clock.nextDeadline()).toBeUndefined();
  });

  it('drives rxjs time operators in virtual time', () => {
    const clock = new VirtualClock();
    const seen: Array<[number, number]> = [];
    interval(1_000, clock)
      .pipe(take(3))
      .subscribe((i) => seen.push([clock.now(), i]));
    timer(2_500, clock).subscribe(() => seen.push([clock.now(), -1]));
    of(42)
      .pipe(observeOn(clock))
      .subscribe((v) => seen.push([clock.now(), v]));
    clock.advanceBy(10_000);
    expect(seen).toEqual([
      [0, 42],
      [1_000, 0],
      [2_000, 1],
      [2_500, -1],
      [3_000, 2],
    ]);
  });

  it('never runs work scheduled with an infinite delay', () => {
    const clock = new VirtualClock();
    let ran = false;
    clock.schedule(() => (ran = true), Infinity);
    expect(clock.pending).toBe(0);
    clock.advanceBy(1_000_000);
    expect(ran).toBe(false);
  });

  it('runs work scheduled with a negative delay at the current instant, after the work already queued there, as asyncScheduler runs it at once (rxjs computes such delays, e.g. timeout({ first: pastDate }))', () => {
    const clock = new VirtualClock({ start: 100 });
    const ran: [string, number][] = [];
    clock.schedule(() => void ran.push(['queued', clock.now()]), 0);
    clock.schedule(() => void ran.push(['negative', clock.now()]), -50);
    expect(clock.nextDeadline()).toBe(100);
    clock.advanceTo(100);
    expect(ran).toEqual([
      ['queued', 100],
      ['negative', 100],
    ]);
  });

  it('rxjs timeout with a first deadline in the past errors at once, as on asyncScheduler', () => {
    const clock = new VirtualClock({ start: 1_000 });
    let error: unknown;
    NEVER.pipe(timeout({ first: new Date(500), scheduler: clock })).subscribe({ error: (e: unknown) => (error = e) });
    clock.advanceTo(1_000);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  describe('bad input', () => {
    const clock = new VirtualClock({ start: 100 });
    it.each([
      ['-Infinity', -Infinity, /delay: -Infinity is invalid/],
      ['negative fractional', -0.5, /delay: -0.5 is invalid: must be a whole number of nanoseconds/],
      ['NaN', Number.NaN, /delay: NaN is invalid: must be a number of nanoseconds/],
      ['fractional', 1.5, /delay: 1.5 is invalid: must be a whole number of nanoseconds/],
      ['past MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, /passes Number.MAX_SAFE_INTEGER/],
    ])('a %s delay throws ClockRangeError naming it', (_name, delay, message) => {
      const error = (() => {
        try {
          clock.schedule(() => undefined, delay);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ClockRangeError);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(message);
    });

    it('going backwards throws ClockRangeError naming both times', () => {
      expect(() => clock.advanceTo(99)).toThrow(ClockRangeError);
      expect(() => clock.advanceTo(99)).toThrow('target time: 99 is invalid: virtual time cannot go backwards (now is 100 ns)');
    });

    it('a non-integer or huge target throws ClockRangeError', () => {
      expect(() => clock.advanceTo(100.5)).toThrow(/must be a whole number/);
      expect(() => clock.advanceBy(Number.MAX_SAFE_INTEGER)).toThrow(/passes Number.MAX_SAFE_INTEGER/);
      expect(() => new VirtualClock({ start: -5 })).toThrow(ClockRangeError);
      expect(() => new VirtualClock({ maxEventsPerInstant: 0 })).toThrow(/maxEventsPerInstant: 0 is invalid/);
    });
  });

  describe('runaway guard', () => {
    it('ends a zero-delay loop with RunawayError naming the instant and the work', () => {
      const clock = new VirtualClock({ maxEventsPerInstant: 1_000 });
      clock.scheduleLabeled('spin', function spin(this: { schedule(): void }) {
        this.schedule();
      }, 50);
      let error: unknown;
      try {
        clock.advanceTo(100);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RunawayError);
      expect((error as RunawayError).time).toBe(50);
      expect((error as Error).message).toContain('more than 1000 events at virtual time 50 ns (last: spin)');
    });

    it('bounds run() on periodic work instead of hanging', () => {
      const clock = new VirtualClock({ maxEventsPerRun: 500 });
      interval(10, clock).subscribe();
      expect(() => clock.run()).toThrow(/run\(\) did not become idle within 500 events/);
    });
  });

  describe('errors thrown by work', () => {
    it('propagate at the failing instant with the rest of the queue intact', () => {
      const clock = new VirtualClock();
      const log: string[] = [];
      clock.schedule(() => {
        throw new Error('boom');
      }, 10);
      clock.schedule(() => log.push('same instant'), 10);
      clock.schedule(() => log.push('later'), 20);
      expect(() => clock.advanceTo(30)).toThrow('boom');
      expect(clock.now()).toBe(10);
      clock.advanceTo(30);
      expect(log).toEqual(['same instant', 'later']);
    });

    it('go to onError when given, and the run continues', () => {
      const seen: Array<[string, number]> = [];
      const clock = new VirtualClock({ onError: (e, t) => seen.push([(e as Error).message, t]) });
      const log: number[] = [];
      clock.schedule(() => {
        throw new Error('boom');
      }, 10);
      clock.schedule(() => log.push(clock.now()), 20);
      clock.advanceTo(30);
      expect(seen).toEqual([['boom', 10]]);
      expect(log).toEqual([20]);
    });
  });

  it('refuses to be driven from inside its own work', () => {
    const clock = new VirtualClock();
    let error: unknown;
    clock.schedule(() => {
      try {
        clock.advanceBy(1);
      } catch (e) {
        error = e;
      }
    }, 1);
    clock.run();
    expect(error).toBeInstanceOf(ClockReentryError);
  });

  it('counts scheduled and executed work', () => {
    const clock = new VirtualClock();
    interval(10, clock).pipe(take(5)).subscribe();
    clock.advanceTo(1_000);
    expect(clock.executedCount).toBe(5);
  });
});
