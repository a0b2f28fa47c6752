/**
 * fast-check arbitraries for trace events, shared by the trace specs, and an
 * independent FNV-1a 64 (BigInt over `TextEncoder` bytes) to check the
 * library's two-halves implementation against.
 */
import fc from 'fast-check';
import type { TraceEvent } from '../../src/trace';

const text = fc.string({ unit: 'binary', maxLength: 8 });
const name = fc.oneof(fc.constantFrom('irq0', 'timer0', 'cmsdk-apb-timer', ''), text);
const uint = fc.oneof(fc.nat({ max: 4096 }), fc.maxSafeNat());
const size = fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const);
const reason = fc.constantFrom('unmapped', 'bad-size', 'misaligned', 'read-only', 'write-only', 'locked' as const);

/** A mark payload: JSON values with bigints mixed in (which export as decimal strings). */
const markData: fc.Arbitrary<unknown> = fc.letrec<{ data: unknown }>((tie) => ({
  data: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.bigInt(),
    fc.array(tie('data'), { maxLength: 3 }),
    fc.dictionary(text, tie('data'), { maxKeys: 3 }),
  ),
})).data;

/** Any valid trace event, optional fields sometimes absent. */
export const traceEvent: fc.Arbitrary<TraceEvent> = fc.oneof(
  fc.record(
    {
      time: uint,
      source: name,
      kind: fc.constantFrom('read' as const, 'write' as const),
      offset: uint,
      size,
      value: uint,
      error: reason,
    },
    { requiredKeys: ['time', 'source', 'kind', 'offset', 'size', 'value'] },
  ),
  fc.record({
    time: uint,
    source: name,
    kind: fc.constant('guest-error' as const),
    offset: uint,
    size,
    reason,
    detail: text,
  }),
  fc.record({ time: uint, source: name, kind: fc.constant('unimplemented' as const), offset: uint, feature: text }),
  fc.record({
    time: uint,
    source: name,
    kind: fc.constant('expiry' as const),
    timer: name,
    cause: fc.constantFrom('expiry' as const, 'commit' as const),
  }),
  fc.record({
    time: uint,
    source: name,
    kind: fc.constant('trigger' as const),
    timer: name,
    delivery: fc.constantFrom('sync' as const, 'bottom-half' as const),
  }),
  fc.record({ time: uint, source: name, kind: fc.constant('irq' as const), level: fc.boolean() }),
  fc.record(
    { time: uint, source: name, kind: fc.constant('mark' as const), label: text, data: markData },
    { requiredKeys: ['time', 'source', 'kind', 'label'] },
  ),
  fc.record({ time: uint, source: name, kind: fc.constant('violation' as const), message: text }),
);

/** A copy of `event` built with its keys inserted in the order `order` gives (a permutation of its keys). */
export const withKeyOrder = (event: TraceEvent, order: readonly string[]): TraceEvent => {
  const source = event as unknown as Readonly<Record<string, unknown>>;
  return Object.fromEntries(order.map((key) => [key, source[key]])) as unknown as TraceEvent;
};

/** An event together with a shuffled copy of its keys. */
export const traceEventWithKeyOrder: fc.Arbitrary<[TraceEvent, string[]]> = traceEvent.chain((event) =>
  fc
    .shuffledSubarray(Object.keys(event), { minLength: Object.keys(event).length })
    .map((order): [TraceEvent, string[]] => [event, order]),
);

/** FNV-1a 64 the textbook way: BigInt arithmetic over the bytes `TextEncoder` gives. */
export const referenceFnv1a64 = (text: string): string => {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffff_ffff_ffff_ffffn;
  }
  return hash.toString(16).padStart(16, '0');
};
