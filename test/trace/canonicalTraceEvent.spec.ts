import { describe, expect, it } from 'vitest';
import { canonicalTraceEvent, TraceFormatError, type TraceEvent } from '../../src/trace';
import { thrown } from '../support/errors';

const mark = (data: unknown): TraceEvent => ({ time: 0, source: 's', kind: 'mark', label: 'l', data });

const dataError = (data: unknown): TraceFormatError => {
  const error = thrown(() => canonicalTraceEvent(mark(data)));
  expect(error).toBeInstanceOf(TraceFormatError);
  return error as TraceFormatError;
};

describe('canonicalTraceEvent', () => {
  it('puts time, source and kind first, then the fields in the order the interface declares them', () => {
    const event = canonicalTraceEvent({ detail: 'd', reason: 'locked', size: 4, offset: 8, kind: 'guest-error', source: 'x', time: 3 });
    expect(Object.keys(event)).toStrictEqual(['time', 'source', 'kind', 'offset', 'size', 'reason', 'detail']);
  });

  it('returns a frozen copy and leaves its argument alone', () => {
    const input = { level: true, kind: 'irq', source: 'irq0', time: 5 } as const;
    const event = canonicalTraceEvent(input);
    expect(event).not.toBe(input);
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.keys(input)).toStrictEqual(['level', 'kind', 'source', 'time']);
  });

  it('turns -0 into 0 (JSON cannot tell them apart, so neither may the trace)', () => {
    const event = canonicalTraceEvent({ time: -0, source: 's', kind: 'write', offset: -0, size: 4, value: -0 });
    expect(Object.is((event as { time: number }).time, 0)).toBe(true);
    expect(Object.is((event as { offset: number }).offset, 0)).toBe(true);
    expect(Object.is((event as { value: number }).value, 0)).toBe(true);
    expect(Object.is((canonicalTraceEvent(mark([-0])) as { data: number[] }).data[0], 0)).toBe(true);
  });

  it('without a line number, errors say "trace event"', () => {
    const error = thrown(() => canonicalTraceEvent({ time: 1, source: 's', kind: 'irq', level: 'high' }));
    expect((error as Error).message).toBe("trace event, field 'level': \"high\" is invalid: must be a boolean");
    expect(error).toMatchObject({ line: undefined, field: 'level' });
  });

  it('an unknown field with value undefined counts as absent; with a value it is an error', () => {
    expect(canonicalTraceEvent({ time: 1, source: 's', kind: 'irq', level: true, extra: undefined })).toStrictEqual({
      time: 1,
      source: 's',
      kind: 'irq',
      level: true,
    });
    expect(thrown(() => canonicalTraceEvent({ time: 1, source: 's', kind: 'irq', level: true, extra: 0 }))).toMatchObject({
      field: 'extra',
      rule: "is not a field of kind 'irq'",
    });
  });

  it('an own "__proto__" key in an event is an unknown field, not a prototype', () => {
    const error = thrown(() => canonicalTraceEvent(JSON.parse('{"time":1,"source":"s","kind":"irq","level":true,"__proto__":{}}')));
    expect(error).toMatchObject({ field: '__proto__' });
  });

  it('the kind is checked before the fields', () => {
    expect(thrown(() => canonicalTraceEvent({ kind: 'nope', time: 'bad' }))).toMatchObject({ field: 'kind' });
  });
});

describe('canonicalTraceEvent: mark data', () => {
  const canonicalData = (data: unknown): unknown => (canonicalTraceEvent(mark(data)) as { data?: unknown }).data;

  it('keeps JSON values; bigints become decimal strings', () => {
    expect(canonicalData({ a: [1, 'x', true, null, 2.5], b: -7n })).toStrictEqual({ a: [1, 'x', true, null, 2.5], b: '-7' });
  });

  it('sorts object keys, drops properties whose value is undefined, and freezes every level', () => {
    const data = canonicalData({ z: 1, y: undefined, a: { c: [1], b: 2 } }) as { a: { c: number[] } };
    expect(Object.keys(data)).toStrictEqual(['a', 'z']);
    expect(Object.keys(data.a)).toStrictEqual(['b', 'c']);
    expect(Object.isFrozen(data)).toBe(true);
    expect(Object.isFrozen(data.a)).toBe(true);
    expect(Object.isFrozen(data.a.c)).toBe(true);
  });

  it('data: undefined is an absent data field', () => {
    expect(canonicalTraceEvent(mark(undefined))).not.toHaveProperty('data');
  });

  it('a shared (non-cyclic) object is copied at each place', () => {
    const shared = { n: 1 };
    expect(canonicalData([shared, { s: shared }])).toStrictEqual([{ n: 1 }, { s: { n: 1 } }]);
  });

  it('a "__proto__" key is kept as data', () => {
    const data = canonicalData(JSON.parse('{"__proto__":{"x":1}}')) as object;
    expect(Object.keys(data)).toStrictEqual(['__proto__']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(JSON.stringify(data)).toBe('{"__proto__":{"x":1}}');
  });

  it.each([
    ['NaN', NaN, 'data'],
    ['Infinity', Infinity, 'data'],
    ['a function', { f: () => 1 }, 'data.f'],
    ['a symbol', [Symbol('s')], 'data[0]'],
    ['a Date', { when: new Date(0) }, 'data.when'],
    ['a Map', new Map(), 'data'],
    ['a class instance', { deep: [{ x: new (class Point {})() }] }, 'data.deep[0].x'],
  ])('rejects %s, naming the path', (_what, data, field) => {
    const error = dataError(data);
    expect(error.field).toBe(field);
    expect(error.rule).toMatch(/^must be JSON data: /);
  });

  it('rejects undefined as an array element (JSON would turn it into null)', () => {
    expect(dataError([1, undefined])).toMatchObject({ field: 'data[1]', rule: 'array elements must be JSON data, not undefined' });
  });

  it('rejects a cycle instead of recursing forever', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = { again: cyclic };
    expect(dataError(cyclic)).toMatchObject({ field: 'data.self.again', rule: 'must not contain itself (a cycle)' });
  });
});
