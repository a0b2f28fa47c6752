// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
import { delay, interval, map, observeOn, take, timer, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ClockRangeError, VirtualClock, scaleScheduler } from '../../index';
import { NS_PER_FRAME, framesToNs } from '../support/clock';
import { marbles, type Context } from '../support/marbles';

/** The marble scheduler in ns, and a log whose entries are `label@frame`. */
const setup = (m: Context) => {
  const ns = scaleScheduler(m.scheduler, NS_PER_FRAME);
  const log: string[] = [];
  const record =
    (label: string) =>
    (): void => {
      log.push(`${label}@${m.scheduler.now()}`);
    };
  return { ns, log, record };
};

/** Re-arms a pending action, as rxjs operators do with `this.schedule(...)`. */
const rearm = (subscription: Subscription, delayNs: number): Subscription =>
  (subscription as unknown as SchedulerAction<unknown>).schedule(undefined, delayNs);

describe('scaleScheduler', () => {
  describe('now()', () => {
    it('is the inner scheduler time times nsPerUnit', marbles((m) => {
      const { ns } = setup(m);
      const at = (frame: number) => timer(frame, m.scheduler).pipe(map(() => ns.now()));
      m.expect(at(0)).toBeObservable('(a|)', { a: 0 });
      m.expect(at(3)).toBeObservable('---(b|)', { b: framesToNs(3) });
      m.expect(at(7)).toBeObservable('-------(c|)', { c: framesToNs(7) });
    }));

    it('scales a VirtualClock too (its units become nsPerUnit each)', () => {
      const clock = new VirtualClock({ start: 5 });
      const ns = scaleScheduler(clock, 10);
      expect(ns.now()).toBe(50);
      const times: number[] = [];
      ns.schedule(() => times.push(ns.now()), 25); // ceil(25 / 10) = 3 clock units
      clock.advanceTo(7);
      expect(times).toEqual([]);
      clock.advanceTo(8);
      expect(times).toEqual([80]);
    });
  });

  describe('delays', () => {
    // A delay of d ns runs ceil(d / NS_PER_FRAME) frames later: never early.
    const cases: readonly (readonly [delayNs: number, expected: string])[] = [
      [0,                     '(a|)'],
      [1,                     '-(a|)'],
      [NS_PER_FRAME - 1,      '-(a|)'],
      [NS_PER_FRAME,          '-(a|)'],
      [NS_PER_FRAME + 1,      '--(a|)'],
      [2.5 * NS_PER_FRAME,    '---(a|)'],
      [3 * NS_PER_FRAME,      '---(a|)'],
    ];
    it.each(cases)('timer(%s ns) emits at the next whole frame: %s', (delayNs, expected) =>
      marbles((m: Context) => {
        const { ns } = setup(m);
        m.expect(timer(delayNs, ns)).toBeObservable(expected, { a: 0 });
      })(),
    );

    it('work never runs before its due time in ns', marbles((m) => {
      const { ns } = setup(m);
      const late: number[] = [];
      for (const d of [1, 499, 999, 1000, 1001, 1999, 2000, 2001, 7777]) {
        const due = ns.now() + d;
        ns.schedule(() => late.push(ns.now() - due), d);
      }
      m.flush();
      expect(late.every((l) => l >= 0 && l < NS_PER_FRAME)).toBe(true);
      expect(late).toHaveLength(9);
    }));

    it('interval re-arms from the frame it ran at, so a 2.5-frame period runs every 3 frames', marbles((m) => {
      const { ns } = setup(m);
      // exact ns:       2500, 5000, 7500 → frames 2.5, 5, 7.5
      // armed each run: 3000 + 2500 → 6000, 6000 + 2500 → 9000
      m.expect(interval(2.5 * NS_PER_FRAME, ns).pipe(take(3))).toBeObservable('---a--b--(c|)', { a: 0, b: 1, c: 2 });
    }));

    it('interval with a whole-frame period keeps its frames', marbles((m) => {
      const { ns } = setup(m);
      m.expect(interval(2 * NS_PER_FRAME, ns).pipe(take(3))).toBeObservable('--a-b-(c|)', { a: 0, b: 1, c: 2 });
    }));

    it('delay shifts each value by the rounded-up delay', marbles((m) => {
      const { ns } = setup(m);
      const source = m.cold(  'a-b-|');
      // a at 0 ns + 1500 → 1500 → frame 2; b at 2000 + 1500 → 3500 → frame 4
      const expected =        '--a-(b|)';
      m.expect(source.pipe(delay(1.5 * NS_PER_FRAME, ns))).toBeObservable(expected);
    }));

    it('observeOn with delay 0 delivers in the same frame', marbles((m) => {
      const { ns } = setup(m);
      const source = m.cold(  '-a--b|');
      const expected =        '-a--b|';
      m.expect(source.pipe(observeOn(ns))).toBeObservable(expected);
    }));
  });

  describe('actions', () => {
    it('re-arming replaces the pending run', marbles((m) => {
      const { ns, log, record } = setup(m);
      const action = ns.schedule(record('work'), framesToNs(5));
      m.scheduler.schedule(() => rearm(action, framesToNs(1)), 1);
      m.flush();
      expect(log).toEqual(['work@2']);
    }));

    it('re-arming from inside the work runs it again (one action, periodic)', marbles((m) => {
      const { ns, log } = setup(m);
      let runs = 0;
      ns.schedule(function (this: SchedulerAction<unknown>) {
        log.push(`run@${m.scheduler.now()}`);
        if (++runs < 3) this.schedule(undefined, framesToNs(2));
      }, framesToNs(2));
      m.flush();
      expect(log).toEqual(['run@2', 'run@4', 'run@6']);
    }));

    it('re-arming with Infinity cancels the pending run', marbles((m) => {
      const { ns, log, record } = setup(m);
      const action = ns.schedule(record('work'), framesToNs(3));
      m.scheduler.schedule(() => rearm(action, Infinity), 1);
      m.flush();
      expect(log).toEqual([]);
      expect(m.scheduler.actions).toHaveLength(0);
    }));

    it('unsubscribing cancels the pending run', marbles((m) => {
      const { ns, log, record } = setup(m);
      const action = ns.schedule(record('cancelled'), framesToNs(3));
      ns.schedule(record('kept'), framesToNs(3));
      m.scheduler.schedule(() => action.unsubscribe(), 1);
      m.flush();
      expect(log).toEqual(['kept@3']);
    }));

    it('an unsubscribed action cannot be re-armed', marbles((m) => {
      const { ns, log, record } = setup(m);
      const action = ns.schedule(record('work'), framesToNs(3));
      action.unsubscribe();
      rearm(action, framesToNs(1));
      m.flush();
      expect(log).toEqual([]);
      expect(m.scheduler.actions).toHaveLength(0);
    }));

    it('unsubscribing a timer subscription cancels its scheduled work', marbles((m) => {
      const { ns } = setup(m);
      const sub =    '^--!';
      const expected = '----';
      m.expect(timer(framesToNs(5), ns), sub).toBeObservable(expected);
      m.flush();
      expect(m.scheduler.actions).toHaveLength(0);
    }));

    it('G4: work landing on one frame runs in the order it was scheduled (FIFO), whatever its exact ns', marbles((m) => {
      const { ns, log, record } = setup(m);
      // All three round up to frame 2; the exact ns order (c < a < b) does not matter.
      ns.schedule(record('a'), 1_500);
      ns.schedule(record('b'), 2_000);
      ns.schedule(record('c'), 1_001);
      m.scheduler.schedule(record('raw'), 2); // the inner scheduler's own work shares the queue
      ns.schedule(record('d'), 2_000);
      m.flush();
      expect(log).toEqual(['a@2', 'b@2', 'c@2', 'raw@2', 'd@2']);
    }));

    it('G4: a re-armed action goes behind work already queued for its new frame', marbles((m) => {
      const { ns, log, record } = setup(m);
      const first = ns.schedule(record('first'), framesToNs(4));
      ns.schedule(record('second'), framesToNs(4));
      rearm(first, framesToNs(4));
      m.flush();
      expect(log).toEqual(['second@4', 'first@4']);
    }));

    it('Infinity never runs', marbles((m) => {
      const { ns, log, record } = setup(m);
      ns.schedule(record('never'), Infinity);
      m.flush();
      expect(log).toEqual([]);
      expect(m.scheduler.actions).toHaveLength(0);
    }));
  });

  describe('bad input', () => {
    const inner: SchedulerLike = new VirtualClock();

    it.each([0, -1, 1.5, Number.NaN, Infinity])('nsPerUnit %s throws ClockRangeError', (nsPerUnit) => {
      expect(() => scaleScheduler(inner, nsPerUnit)).toThrow(ClockRangeError);
      expect(() => scaleScheduler(inner, nsPerUnit)).toThrow(/nsPerUnit: .* must be a positive integer/);
    });

    it.each([-1, -0.5, Number.NaN, -Infinity])('delay %s throws ClockRangeError and schedules nothing', (delayNs) => {
      const clock = new VirtualClock();
      const ns = scaleScheduler(clock, 10);
      expect(() => ns.schedule(() => undefined, delayNs)).toThrow(ClockRangeError);
      expect(clock.pending).toBe(0);
    });

    it('a bad re-arm delay throws and leaves the pending run in place', () => {
      const clock = new VirtualClock();
      const ns = scaleScheduler(clock, 10);
      let ran = 0;
      const action = ns.schedule(() => ran++, 30);
      expect(() => rearm(action, -5)).toThrow(ClockRangeError);
      expect(() => rearm(action, Number.NaN)).toThrow(ClockRangeError);
      clock.advanceTo(3);
      expect(ran).toBe(1);
    });
  });
});
