// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { scaleScheduler, VirtualClock } from '../../index';
import { assertInvariant, DEFAULT_INVARIANT_HISTORY } from '../../operators/assertInvariant';
import { InvariantViolationError, OperatorArgumentError } from '../../operators/errors';
import type { TraceEvent } from '../../src/trace/TraceEvent';
import { NS_PER_FRAME, framesToNs } from '../support/clock';
import { thrown } from '../support/errors';
import { marbles, type Context } from '../support/marbles';

const setup = (m: Context) => ({ ns: scaleScheduler(m.scheduler, NS_PER_FRAME) });

/**
 * The expected error of a marble: rxjs-marbles compares errors by name and message only,
 * which for this error name the invariant, time, value and history.
 */
const violation = (invariant: string, time: number, value: unknown, history: readonly unknown[]) =>
  new InvariantViolationError(invariant, time, value, history);

/** The invariant of most tests: never below the previous value. */
const nonDecreasing = (value: number, history: readonly number[]): boolean =>
  history.length === 0 || value >= history[history.length - 1]!;

describe('assertInvariant', () => {
  describe('battery', () => {
    it('passes values through while the invariant holds', marbles((m) => {
      const { ns } = setup(m);
      const values = m.cold('a-b-c|', { a: 1, b: 1, c: 5 });
      m.expect(values.pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable('a-b-c|', { a: 1, b: 1, c: 5 });
    }));

    it('empty source: completes', marbles((m) => {
      const { ns } = setup(m);
      m.expect(m.cold('|').pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable('|');
    }));

    it('an error of the source passes through', marbles((m) => {
      const { ns } = setup(m);
      const failure = new Error('source failed');
      const values = m.cold('a-#', { a: 1 }, failure);
      m.expect(values.pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable('a-#', { a: 1 }, failure);
    }));

    it('early unsubscribe releases the source', marbles((m) => {
      const { ns } = setup(m);
      const values = m.cold('a-b-c|', { a: 1, b: 2, c: 3 });
      const sub =           '^--!';
      m.expect(values.pipe(assertInvariant(nonDecreasing, { scheduler: ns })), sub).toBeObservable('a-b', { a: 1, b: 2 });
      m.expect(values).toHaveSubscriptions(sub);
    }));

    it('values at one instant are checked in order, each after the ones before it', marbles((m) => {
      const { ns } = setup(m);
      const up = m.cold('(ab)|', { a: 1, b: 2 });
      m.expect(up.pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable('(ab)|', { a: 1, b: 2 });
      const down = m.cold('(ab)|', { a: 2, b: 1 });
      m.expect(down.pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable(
        '(a#)',
        { a: 2 },
        violation('nonDecreasing', 0, 1, [2]),
      );
    }));
  });

  describe('violation', () => {
    it('errors at the instant of the first bad value with time, value and history; the source is released', marbles((m) => {
      const { ns } = setup(m);
      const values = m.cold('a-b-c-d|', { a: 3, b: 5, c: 4, d: 9 });
      const expected =      'a-b-#';
      m.expect(values.pipe(assertInvariant(nonDecreasing, { scheduler: ns }))).toBeObservable(
        expected,
        { a: 3, b: 5 },
        violation('nonDecreasing', framesToNs(4), 4, [3, 5]),
      );
      m.expect(values).toHaveSubscriptions('^---!');
    }));

    it('the error names the invariant, the time and the value', () => {
      const clock = new VirtualClock({ start: 1_234 });
      let error: unknown;
      of(7, 3n as unknown as number)
        .pipe(assertInvariant((v) => typeof v === 'number', { scheduler: clock, name: 'numbers only' }))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(InvariantViolationError);
      const failure = error as InvariantViolationError<unknown>;
      expect(failure.name).toBe('InvariantViolationError');
      expect(failure.message).toBe("invariant 'numbers only' violated at 1234 ns by 3n (after [7])");
      expect(failure.invariant).toBe('numbers only');
      expect(failure.time).toBe(1_234);
      expect(failure.value).toBe(3n);
      expect(failure.history).toEqual([7]);
    });

    it('a violation by the first value says so', () => {
      const clock = new VirtualClock();
      let error: unknown;
      of({ count: 5n }).pipe(assertInvariant(() => false, { scheduler: clock, name: 'never' })).subscribe({ error: (e: unknown) => (error = e) });
      expect((error as Error).message).toBe('invariant \'never\' violated at 0 ns by {"count":5n} (the first value)');
    });

    it('records a ViolationEvent to the sink before erroring', () => {
      const clock = new VirtualClock({ start: 50 });
      const trail: string[] = [];
      const recorded: TraceEvent[] = [];
      of(1, 0)
        .pipe(
          assertInvariant(nonDecreasing, {
            scheduler: clock,
            sink: {
              record: (e) => {
                recorded.push(e);
                trail.push('recorded');
              },
            },
          }),
        )
        .subscribe({ error: () => trail.push('errored') });
      expect(trail).toEqual(['recorded', 'errored']);
      expect(recorded).toStrictEqual([
        { kind: 'violation', time: 50, source: 'nonDecreasing', message: "invariant 'nonDecreasing' violated at 50 ns by 0 (after [1])" },
      ]);
    });

    it('the name defaults to the predicate function name, else "invariant"; options.name wins', () => {
      const clock = new VirtualClock();
      const nameOf = (source: Parameters<typeof assertInvariant<number>>) => {
        let error: unknown;
        of(1).pipe(assertInvariant(...source)).subscribe({ error: (e: unknown) => (error = e) });
        return (error as InvariantViolationError).invariant;
      };
      function neverHolds(): boolean {
        return false;
      }
      expect(nameOf([neverHolds, { scheduler: clock }])).toBe('neverHolds');
      expect(nameOf([[() => false][0]!, { scheduler: clock }])).toBe('invariant');
      expect(nameOf([neverHolds, { scheduler: clock, name: 'count <= limit' }])).toBe('count <= limit');
    });
  });

  describe('history', () => {
    it(`the predicate sees the previous values, oldest first, at most ${DEFAULT_INVARIANT_HISTORY} by default`, () => {
      const clock = new VirtualClock();
      const seen: (readonly number[])[] = [];
      const values = Array.from({ length: 20 }, (_, i) => i);
      of(...values)
        .pipe(assertInvariant((_v, h: readonly number[]) => (seen.push(h), true), { scheduler: clock }))
        .subscribe();
      expect(seen[0]).toEqual([]);
      expect(seen[3]).toEqual([0, 1, 2]);
      expect(seen[19]).toEqual(values.slice(3, 19));
      expect(seen[19]).toHaveLength(16);
    });

    it('keeps `history` values; the error carries exactly what the predicate saw', () => {
      const clock = new VirtualClock();
      let error: unknown;
      let lastSeen: readonly number[] = [];
      of(1, 2, 3, 4, 0, 5)
        .pipe(assertInvariant((v: number, h: readonly number[]) => ((lastSeen = h), nonDecreasing(v, h)), { scheduler: clock, history: 2 }))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect((error as InvariantViolationError<number>).history).toEqual([3, 4]);
      expect((error as InvariantViolationError<number>).history).toBe(lastSeen);
    });

    it('history 0: the predicate sees none', () => {
      const clock = new VirtualClock();
      const lengths: number[] = [];
      of(1, 2, 3)
        .pipe(assertInvariant((_v: number, h: readonly number[]) => (lengths.push(h.length), true), { scheduler: clock, history: 0 }))
        .subscribe();
      expect(lengths).toEqual([0, 0, 0]);
    });

    it('the history given is a frozen copy: the predicate cannot change what the next check sees', () => {
      const clock = new VirtualClock();
      const seen: (readonly number[])[] = [];
      of(1, 2, 3)
        .pipe(
          assertInvariant(
            (_v: number, h: readonly number[]) => {
              seen.push(h);
              expect(Object.isFrozen(h)).toBe(true);
              return true;
            },
            { scheduler: clock },
          ),
        )
        .subscribe();
      expect(seen).toEqual([[], [1], [1, 2]]);
    });
  });

  describe('bad predicates and arguments', () => {
    const clock = new VirtualClock();

    it('a predicate that throws errors the stream with what it threw', () => {
      const failure = new Error('predicate bug');
      let error: unknown;
      of(1)
        .pipe(assertInvariant(() => { throw failure; }, { scheduler: clock }))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBe(failure);
    });

    it('a predicate that returns a non-boolean errors the stream with OperatorArgumentError', () => {
      let error: unknown;
      of(1)
        .pipe(assertInvariant((() => undefined) as never, { scheduler: clock, name: 'forgot return' }))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect((error as Error).message).toBe("assertInvariant: predicate 'forgot return': undefined is invalid: must return a boolean");
    });

    it.each([
      ['a predicate that is not a function', () => assertInvariant('x' as never, { scheduler: clock }), 'assertInvariant(predicate): "x" is invalid: must be a function'],
      ['no options', () => assertInvariant(nonDecreasing, undefined as never), 'assertInvariant(options): undefined is invalid: must be an object { scheduler, name?, history?, sink? }'],
      ['no scheduler', () => assertInvariant(nonDecreasing, {} as never), 'assertInvariant(options.scheduler): undefined is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)'],
      ['an empty name', () => assertInvariant(nonDecreasing, { scheduler: clock, name: '' }), 'assertInvariant(options.name): "" is invalid: must be a non-empty string'],
      ['a negative history', () => assertInvariant(nonDecreasing, { scheduler: clock, history: -1 }), 'assertInvariant(options.history): -1 is invalid: must be a whole, non-negative number of values'],
      ['a fractional history', () => assertInvariant(nonDecreasing, { scheduler: clock, history: 1.5 }), 'assertInvariant(options.history): 1.5 is invalid: must be a whole, non-negative number of values'],
      ['an infinite history', () => assertInvariant(nonDecreasing, { scheduler: clock, history: Infinity }), 'assertInvariant(options.history): Infinity is invalid: must be a whole, non-negative number of values'],
      ['a bad sink', () => assertInvariant(nonDecreasing, { scheduler: clock, sink: [] as never }), 'assertInvariant(options.sink): [] is invalid: must be a TraceSink (an object with a record(event) method) or undefined'],
    ])('%s: OperatorArgumentError', (_what, call, message) => {
      const error = thrown(call) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe(message);
    });
  });
});
