import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DESCRIBE_VALUE_MAX_LENGTH, describeValue } from '../../index';

class Point {
  constructor(
    readonly x: number,
    readonly y: bigint,
  ) {}
}

describe('describeValue: one rendering for every kind of value', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const shared = { v: 1 };

  it.each<readonly [string, unknown, string]>([
    ['a string, quoted', 'abc', '"abc"'],
    ['a string with quotes and newlines, escaped', 'a"b\n', '"a\\"b\\n"'],
    ['the empty string', '', '""'],
    ['an integer', 42, '42'],
    ['a fraction', 1.5, '1.5'],
    ['-0, keeping its sign', -0, '-0'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a bigint, with n', 5n, '5n'],
    ['a negative bigint', -(2n ** 64n), '-18446744073709551616n'],
    ['true', true, 'true'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a symbol', Symbol('tick'), 'Symbol(tick)'],
    ['a named function', function reload() {}, 'function reload'],
    ['an anonymous function', (() => () => 0)(), 'function (anonymous)'],
    ['an empty array', [], '[]'],
    ['an array as JSON; what JSON cannot show is null', [1, 'x', undefined, () => 0, 2n, NaN], '[1,"x",null,null,2n,NaN]'],
    ['an empty object', {}, '{}'],
    ['an object as JSON; what JSON cannot show is left out', { a: 1, b: undefined, c: () => 0, d: 5n, e: { f: [-0] } }, '{"a":1,"d":5n,"e":{"f":[-0]}}'],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 }), '{"a":1}'],
    ['a cycle', cyclic, '{"a":1,"self":[Circular]}'],
    ['a value seen twice, not in a cycle', [shared, shared], '[{"v":1},{"v":1}]'],
    ['a class instance, with its class name', new Point(1, 2n), 'Point {"x":1,"y":2n}'],
    ['a class instance inside an object', { s: new Subject<number>() }, '{"s":Subject {"closed":false,"currentObservers":null,"observers":[],"isStopped":false,"hasError":false,"thrownError":null}}'],
    ['a Map', new Map<string, number>([['a', 1]]), 'Map(1) [["a",1]]'],
    ['a Set', new Set([1, 2]), 'Set(2) [1,2]'],
    ['a Date', new Date(0), 'Date(1970-01-01T00:00:00.000Z)'],
    ['an invalid Date', new Date(Number.NaN), 'Date(Invalid)'],
    ['an Error', new RangeError('boom'), 'RangeError("boom")'],
  ])('%s', (_name, value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('shows characters that would not show as themselves as escapes, in strings and keys alike', () => {
    expect(describeValue('10\u00a0ms')).toBe('"10\\u00a0ms"');
    expect(describeValue('\ufeff{}')).toBe('"\\ufeff{}"');
    expect(describeValue({ 'a\u200bb': ['x\u2028'] })).toBe('{"a\\u200bb":["x\\u2028"]}');
  });

  it('never throws: a value whose properties cannot be read is shown by its tag', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(describeValue(revoked.proxy)).toBe('[unreadable]');
    const throwing = {
      get x(): number {
        throw new Error('no');
      },
    };
    expect(describeValue(throwing)).toBe('[object Object]');
  });
});

describe('describeValue: every rendering is cut at DESCRIBE_VALUE_MAX_LENGTH, with the size', () => {
  const max = DESCRIBE_VALUE_MAX_LENGTH;
  /** The longest a cut rendering can be: the kept part, the ellipsis, and a size such as ` (5242880 chars)`. */
  const bound = max + 30;

  it('the bound is documented as 120 to 200 characters', () => {
    expect(max).toBeGreaterThanOrEqual(120);
    expect(max).toBeLessThanOrEqual(200);
  });

  it('a string of exactly the bound (quotes included) is shown whole; one more character is cut', () => {
    const fits = 'a'.repeat(max - 2);
    expect(describeValue(fits)).toBe(JSON.stringify(fits));
    const over = 'a'.repeat(max - 1);
    expect(describeValue(over)).toBe(`"${'a'.repeat(max - 3)}…" (${max - 1} chars)`);
  });

  it('a 5 MB string: its start, an ellipsis inside the quotes, and its length', () => {
    const shown = describeValue('a'.repeat(5 * 1024 * 1024));
    expect(shown).toMatch(/^"a+…" \(5242880 chars\)$/);
    expect(shown.length).toBeLessThanOrEqual(bound);
  });

  it('a long string whose escapes make it longer is cut within the bound, never inside an escape', () => {
    const shown = describeValue('\u0001'.repeat(1_000));
    expect(shown).toMatch(/^"(\\u0001)+…" \(1000 chars\)$/);
    expect(shown.length).toBeLessThanOrEqual(bound);
  });

  it('a cut never splits a surrogate pair', () => {
    const shown = describeValue('😀'.repeat(1_000));
    expect(shown).toMatch(/^"(😀)+…" \(2000 chars\)$/u);
  });

  it('a 1e6-element array: its first items and its length, without walking it all', () => {
    const shown = describeValue(Array.from({ length: 1_000_000 }, (_, i) => i));
    expect(shown).toMatch(/^\[0,1,2,.*… \(1000000 items\)$/);
    expect(shown.length).toBeLessThanOrEqual(bound);
  });

  it('an object with many keys, and one holding a 5 MB string', () => {
    const many = describeValue(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])));
    expect(many).toMatch(/^\{"k0":0,"k1":1,.*… \(100 keys\)$/);
    expect(many.length).toBeLessThanOrEqual(bound);
    const deep = describeValue({ s: 'b'.repeat(5 * 1024 * 1024) });
    expect(deep).toMatch(/^\{"s":"b+… \(1 key\)$/);
    expect(deep.length).toBeLessThanOrEqual(bound);
  });

  it('a huge bigint keeps its n and says how many digits it has', () => {
    const shown = describeValue(10n ** 500n);
    expect(shown).toMatch(/^10+…n \(501 digits\)$/);
    expect(shown.length).toBeLessThanOrEqual(bound);
  });

  it('a Map with many entries, and a function with a very long name', () => {
    const map = describeValue(new Map(Array.from({ length: 1_000 }, (_, i) => [i, i])));
    expect(map).toMatch(/^Map\(1000\) \[\[0,0\],.*… \(1000 entries\)$/);
    const named = { [`f${'x'.repeat(500)}`]: () => 0 };
    const fn = Object.values(named)[0];
    expect(describeValue(fn)).toMatch(/^function fx+… \(510 chars\)$/);
  });
});
