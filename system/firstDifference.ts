/** Where two JSON-like values first differ: the path, and the value each has there. @internal */
export interface Difference {
  /** Keys from the root. */
  readonly path: readonly PropertyKey[];
  /** What `expected` has there (`undefined`: nothing). */
  readonly expected: unknown;
  /** What `actual` has there (`undefined`: nothing). */
  readonly actual: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own keys with a value: a key holding `undefined` is no key, as in JSON. */
const keysOf = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);

/**
 * The first place, depth first in `expected`'s order, where two JSON-like
 * values differ: numbers are compared with `Object.is` (so `-0` is not `0`
 * and `NaN` is `NaN`), objects by their own keys that hold a value (their
 * order and prototypes aside), arrays item by item.
 * @param expected - e.g. a snapshot given to a restore
 * @param actual - e.g. the snapshot the restored system takes
 * @returns the first difference, or `undefined` when they are equal
 * @internal
 */
export const firstDifference = (expected: unknown, actual: unknown, path: readonly PropertyKey[] = []): Difference | undefined => {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= expected.length || i >= actual.length) return { path: [...path, i], expected: expected[i], actual: actual[i] };
      const d = firstDifference(expected[i], actual[i], [...path, i]);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of keysOf(expected)) {
      const d = firstDifference(expected[key], Object.hasOwn(actual, key) ? actual[key] : undefined, [...path, key]);
      if (d !== undefined) return d;
    }
    for (const key of keysOf(actual)) {
      if (!Object.hasOwn(expected, key) || expected[key] === undefined) return { path: [...path, key], expected: undefined, actual: actual[key] };
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path, expected, actual };
};
