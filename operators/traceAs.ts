import { tap, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { MarkEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import { checkName, checkScheduler, checkSink } from './errors';

const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const convert = (value: unknown, path: Set<object>): unknown => {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (path.has(object)) return '[Circular]';
  path.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => convert(item, path) ?? null);
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return convert((object as { toJSON: () => unknown }).toJSON(), path);
    }
    if (object instanceof Error) return `${object.name}: ${object.message}`;
    if (object instanceof Map) return convert([...object.entries()], path);
    if (object instanceof Set) return convert([...object.values()], path);
    if (!isPlain(object)) {
      // A timer, device or line: named as trace events name it (their `source`).
      const name = (object as { name?: unknown }).name;
      if (typeof name === 'string') return name;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      const converted = convert(item, path);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  } finally {
    path.delete(object);
  }
};

/**
 * A value as JSON-safe data for a trace: bigints become decimal strings,
 * non-finite numbers their names (`'NaN'`, `'Infinity'`), arrays, `Map`s (as
 * entry arrays), `Set`s (as arrays) and plain objects are converted member by
 * member (`undefined`, functions and symbols dropped, or `null` in arrays),
 * `toJSON()` is honoured, an `Error` becomes `'Name: message'`, and any
 * other class instance with a string `name` (a timer, a device, a line)
 * becomes that name, as trace events name them. A cycle becomes
 * `'[Circular]'`. `JSON.stringify` of the result never throws.
 *
 * Ordering: none (pure).
 *
 * ## Example
 * ```ts
 * toJsonSafe({ time: 6_000, timer, count: 5n }); // { time: 6000, timer: 't0', count: '5' }
 * ```
 *
 * @param value - anything
 * @returns the JSON-safe version, or `undefined` for `undefined`, a function or a symbol
 * @see traceAs
 */
export const toJsonSafe = (value: unknown): unknown => convert(value, new Set());

/**
 * An identity operator that labels a stream in the trace: for every value it
 * records a `MarkEvent` (`source` and `label` = `label`, the virtual time,
 * `data` = the value made JSON-safe by {@link toJsonSafe}; no `data` when
 * that is `undefined`) to `sink`, then passes the value on unchanged.
 * Errors and completion pass through and are not recorded. A sink that
 * throws errors the stream with what it threw.
 *
 * Ordering: preserves G4 — the mark is recorded synchronously, in the step
 * of the value and before anything downstream sees it, so marks interleave
 * with the other events of that step in their real order.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns
 * const counts = m.cold('a-b|', { a: 6n, b: 4n }).pipe(traceAs('count', sink, ns));
 * m.expect(counts).toBeObservable('a-b|', { a: 6n, b: 4n });
 * // sink got { kind: 'mark', time: 0, source: 'count', label: 'count', data: '6' },
 * //          { kind: 'mark', time: 2000, source: 'count', label: 'count', data: '4' }
 * ```
 *
 * @param label - the stream's name in the trace (non-empty)
 * @param sink - where the marks go
 * @param scheduler - virtual time in ns, for the marks' time
 * @returns an operator that emits what it receives
 * @throws OperatorArgumentError for an empty label, a sink without `record`, or a bad scheduler
 * @see toJsonSafe
 */
export const traceAs = <T>(label: string, sink: TraceSink, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> => {
  checkName(label, 'traceAs(label)');
  checkSink(sink, 'traceAs(sink)', false);
  checkScheduler(scheduler, 'traceAs(scheduler)');
  return tap((value) => {
    const data = toJsonSafe(value);
    const event: MarkEvent =
      data === undefined
        ? { kind: 'mark', time: scheduler.now(), source: label, label }
        : { kind: 'mark', time: scheduler.now(), source: label, label, data };
    sink.record(event);
  });
};
