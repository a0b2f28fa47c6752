// 1 frame = NS_PER_FRAME ns (test/support/clock.ts); 'ms' in marbles would mean frames here: don't use it.
import { map, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { PTimer, VirtualClock, scaleScheduler, type PTimerTrigger } from '../../index';
import { OperatorArgumentError } from '../../operators/errors';
import { toJsonSafe, traceAs } from '../../operators/traceAs';
import type { MarkEvent, TraceEvent } from '../../src/trace/TraceEvent';
import { NS_PER_FRAME, framesToNs } from '../support/clock';
import { thrown } from '../support/errors';
import { marbles, type Context } from '../support/marbles';

const setup = (m: Context) => {
  const recorded: TraceEvent[] = [];
  return { ns: scaleScheduler(m.scheduler, NS_PER_FRAME), recorded, sink: { record: (e: TraceEvent) => void recorded.push(e) } };
};

const mark = (frame: number, label: string, data?: unknown): MarkEvent => ({
  kind: 'mark',
  time: framesToNs(frame),
  source: label,
  label,
  ...(data === undefined ? {} : { data }),
});

describe('traceAs', () => {
  describe('battery', () => {
    it('passes values through unchanged and records a mark for each', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      const values = { a: 6n, b: 4n };
      const counts = m.cold('a-b|', values);
      m.expect(counts.pipe(traceAs('count', sink, ns))).toBeObservable('a-b|', values);
      m.flush();
      expect(recorded).toStrictEqual([mark(0, 'count', '6'), mark(2, 'count', '4')]);
    }));

    it('empty source: completes, records nothing', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      m.expect(m.cold('|').pipe(traceAs('count', sink, ns))).toBeObservable('|');
      m.flush();
      expect(recorded).toEqual([]);
    }));

    it('an error passes through and is not recorded', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      const failure = new Error('source failed');
      m.expect(m.cold('a-#', { a: 1 }, failure).pipe(traceAs('n', sink, ns))).toBeObservable('a-#', { a: 1 }, failure);
      m.flush();
      expect(recorded).toStrictEqual([mark(0, 'n', 1)]);
    }));

    it('early unsubscribe releases the source; nothing is recorded after it', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      const values = m.cold('a-b-c|', { a: 1, b: 2, c: 3 });
      const sub =           '^--!';
      m.expect(values.pipe(traceAs('n', sink, ns)), sub).toBeObservable('a-b', { a: 1, b: 2 });
      m.expect(values).toHaveSubscriptions(sub);
      m.flush();
      expect(recorded).toStrictEqual([mark(0, 'n', 1), mark(2, 'n', 2)]);
    }));

    it('values at one instant are recorded in order', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      m.expect(m.cold('-(ab)|', { a: 'x', b: 'y' }).pipe(traceAs('s', sink, ns))).toBeObservable('-(ab)|', { a: 'x', b: 'y' });
      m.flush();
      expect(recorded).toStrictEqual([mark(1, 's', 'x'), mark(1, 's', 'y')]);
    }));
  });

  describe('marks', () => {
    it('are recorded before anything downstream sees the value', marbles((m) => {
      const { ns, sink, recorded } = setup(m);
      const out = m.cold('a-b|').pipe(
        traceAs('v', sink, ns),
        map(() => recorded.length),
      );
      m.expect(out).toBeObservable('x-y|', { x: 1, y: 2 });
    }));

    it('label a trigger stream: the timer appears by name, the trace is JSON', () => {
      const clock = new VirtualClock();
      const recorded: TraceEvent[] = [];
      const timer = new PTimer(clock, { name: 't0' });
      timer.triggers$.pipe(traceAs<PTimerTrigger>('t0.triggers', { record: (e) => recorded.push(e) }, clock)).subscribe();
      timer.transaction((t) => {
        t.setPeriod(1_000);
        t.setLimit(3, true);
        t.run(true);
      });
      clock.advanceTo(10_000);
      expect(recorded).toStrictEqual([
        { kind: 'mark', time: 3_000, source: 't0.triggers', label: 't0.triggers', data: { timer: 't0', time: 3_000, cause: 'expiry', expiries: 1 } },
      ]);
      expect(JSON.parse(JSON.stringify(recorded))).toStrictEqual(recorded);
    });

    it('a value that has no JSON form (undefined) gives a mark without data', () => {
      const clock = new VirtualClock();
      const recorded: TraceEvent[] = [];
      of(undefined, () => 1).pipe(traceAs<unknown>('void', { record: (e) => recorded.push(e) }, clock)).subscribe();
      expect(recorded).toStrictEqual([
        { kind: 'mark', time: 0, source: 'void', label: 'void' },
        { kind: 'mark', time: 0, source: 'void', label: 'void' },
      ]);
      expect('data' in recorded[0]!).toBe(false);
    });

    it('a sink that throws errors the stream with what it threw', () => {
      const clock = new VirtualClock();
      const failure = new Error('sink full');
      let error: unknown;
      of(1)
        .pipe(traceAs('n', { record: () => { throw failure; } }, clock))
        .subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBe(failure);
    });
  });

  describe('toJsonSafe', () => {
    it('bigints become decimal strings, at any depth and over the full 64-bit range', () => {
      expect(toJsonSafe(2n ** 64n - 1n)).toBe('18446744073709551615');
      expect(toJsonSafe({ count: -5n, list: [1n, { deep: 0n }] })).toStrictEqual({ count: '-5', list: ['1', { deep: '0' }] });
    });

    it('keeps JSON values, names the non-finite numbers, drops what JSON drops', () => {
      expect(toJsonSafe({ s: 'x', n: 1.5, t: true, z: null })).toStrictEqual({ s: 'x', n: 1.5, t: true, z: null });
      expect(toJsonSafe([Number.NaN, Infinity, -Infinity])).toStrictEqual(['NaN', 'Infinity', '-Infinity']);
      expect(toJsonSafe({ u: undefined, f: () => 1, y: Symbol('s'), k: 1 })).toStrictEqual({ k: 1 });
      expect(toJsonSafe([undefined, () => 1])).toStrictEqual([null, null]);
      expect(toJsonSafe(undefined)).toBeUndefined();
    });

    it('Map, Set, Error, toJSON and named instances', () => {
      expect(toJsonSafe(new Map<string, bigint>([['a', 1n]]))).toStrictEqual([['a', '1']]);
      expect(toJsonSafe(new Set([2n, 3]))).toStrictEqual(['2', 3]);
      expect(toJsonSafe(new RangeError('bad'))).toBe('RangeError: bad');
      expect(toJsonSafe(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
      expect(toJsonSafe({ timer: new PTimer(new VirtualClock(), { name: 'sp804.0' }) })).toStrictEqual({ timer: 'sp804.0' });
      class Point {
        constructor(
          readonly x: number,
          readonly y: bigint,
        ) {}
      }
      expect(toJsonSafe(new Point(1, 2n))).toStrictEqual({ x: 1, y: '2' });
    });

    it('a cycle becomes "[Circular]"; shared (non-cyclic) parts are kept', () => {
      const a: Record<string, unknown> = { name: 'a' };
      a.self = a;
      expect(toJsonSafe(a)).toStrictEqual({ name: 'a', self: '[Circular]' });
      const shared = { v: 1n };
      expect(toJsonSafe([shared, shared])).toStrictEqual([{ v: '1' }, { v: '1' }]);
    });
  });

  describe('bad input', () => {
    const clock = new VirtualClock();
    const sink = { record: () => undefined };

    it.each([
      ['an empty label', () => traceAs('', sink, clock), 'traceAs(label): "" is invalid: must be a non-empty string'],
      ['a label that is not a string', () => traceAs(5 as never, sink, clock), 'traceAs(label): 5 is invalid: must be a non-empty string'],
      ['no sink', () => traceAs('x', undefined as never, clock), 'traceAs(sink): undefined is invalid: must be a TraceSink (an object with a record(event) method)'],
      ['a sink without record', () => traceAs('x', {} as never, clock), 'traceAs(sink): {} is invalid: must be a TraceSink (an object with a record(event) method)'],
      ['no scheduler', () => traceAs('x', sink, undefined as never), 'traceAs(scheduler): undefined is invalid: must be an rxjs SchedulerLike (e.g. a VirtualClock)'],
    ])('%s: OperatorArgumentError', (_what, call, message) => {
      const error = thrown(call) as OperatorArgumentError;
      expect(error).toBeInstanceOf(OperatorArgumentError);
      expect(error.message).toBe(message);
    });
  });
});
