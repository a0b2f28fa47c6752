import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTraceEvent, Trace, TraceDigest, TraceFormatError, type TraceEvent } from '../../src/trace';
import { thrown } from '../support/errors';
import { referenceFnv1a64, traceEvent } from './traceArbitraries';

const BASE: readonly TraceEvent[] = [
  { time: 0, source: 'dev', kind: 'write', offset: 8, size: 4, value: 6 },
  { time: 10, source: 'dev', kind: 'read', offset: 4, size: 4, value: 3, error: 'read-only' },
  { time: 20, source: 'dev', kind: 'guest-error', offset: 4, size: 4, reason: 'read-only', detail: 'VALUE' },
  { time: 30, source: 'dev', kind: 'unimplemented', offset: 0, feature: 'CTRL.SELEXTEN' },
  { time: 40, source: 'dev', kind: 'expiry', timer: 't0', cause: 'expiry' },
  { time: 40, source: 'dev', kind: 'trigger', timer: 't0', delivery: 'sync' },
  { time: 40, source: 'irq0', kind: 'irq', level: true },
  { time: 50, source: 'test', kind: 'mark', label: 'l', data: { n: 1n, list: [1, 'a'] } },
  { time: 60, source: 'check', kind: 'violation', message: 'm' },
];

/** For each field of each BASE event, a different valid value. */
const changed = (field: string, value: unknown): unknown => {
  switch (typeof value) {
    case 'number':
      return field === 'size' ? (value === 4 ? 2 : 4) : value + 1;
    case 'boolean':
      return !value;
    case 'string': {
      const alternatives: Record<string, string> = {
        kind: value === 'read' ? 'write' : value,
        error: 'locked',
        reason: 'locked',
        cause: 'commit',
        delivery: 'bottom-half',
      };
      return alternatives[field] ?? `${value}!`;
    }
    default:
      return { n: 2n, list: [1, 'a'] };
  }
};

const digestOf = (events: readonly TraceEvent[]): string => {
  const trace = new Trace();
  for (const event of events) trace.record(event);
  return trace.digest();
};

describe('Trace.digest / TraceDigest', () => {
  it('is FNV-1a 64 of the JSON lines export, as 16 hex digits', () => {
    const trace = new Trace();
    for (const event of BASE) trace.record(event);
    expect(trace.digest()).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
  });

  it('the empty trace has the FNV offset basis', () => {
    expect(new Trace().digest()).toBe('cbf29ce484222325');
    expect(new TraceDigest().digest()).toBe('cbf29ce484222325');
  });

  it('equal traces built separately (different key orders, undefined optionals) have equal digests', () => {
    const rebuilt = BASE.map((e) => ({ error: undefined, ...Object.fromEntries(Object.entries(e).reverse()) }) as unknown as TraceEvent);
    const mark = rebuilt[7] as { data: unknown };
    mark.data = { list: [1, 'a'], n: '1' }; // a bigint and its decimal string are the same data
    expect(digestOf(rebuilt)).toBe(digestOf(BASE));
  });

  it('changing any one field of any one event changes the digest', () => {
    const base = digestOf(BASE);
    const seen = new Set([base]);
    let cases = 0;
    BASE.forEach((event, i) => {
      for (const [field, value] of Object.entries(event)) {
        if (field === 'kind' && value !== 'read') continue; // other kinds cannot change kind and stay valid
        const events = BASE.map((e, j) => (j === i ? ({ ...e, [field]: changed(field, value) } as TraceEvent) : e));
        const digest = digestOf(events);
        expect(digest, `event ${i} field ${field}`).not.toBe(base);
        seen.add(digest);
        cases++;
      }
    });
    expect(seen.size).toBe(cases + 1); // every change gives its own digest
    expect(cases).toBeGreaterThan(35);
  });

  it('removing an optional field, or adding one, changes the digest', () => {
    const base = digestOf(BASE);
    const withoutError = BASE.map((e, i) => (i === 1 ? { ...e, error: undefined } : e)) as TraceEvent[];
    const withoutData = BASE.map((e, i) => (i === 7 ? { ...e, data: undefined } : e)) as TraceEvent[];
    const withError = BASE.map((e, i) => (i === 0 ? { ...e, error: 'locked' } : e)) as TraceEvent[];
    expect(new Set([base, digestOf(withoutError), digestOf(withoutData), digestOf(withError)]).size).toBe(4);
  });

  it('reordering events changes the digest, even events at the same instant', () => {
    const swapped = [...BASE];
    [swapped[4], swapped[5]] = [BASE[5] as TraceEvent, BASE[4] as TraceEvent];
    expect(digestOf(swapped)).not.toBe(digestOf(BASE));
    expect(digestOf([...BASE].reverse())).not.toBe(digestOf(BASE));
  });

  it('a trace and the same trace with one more event differ (line ends are hashed too)', () => {
    expect(digestOf(BASE.slice(0, -1))).not.toBe(digestOf(BASE));
  });

  it('TraceDigest counts events and may be read in the middle of a run', () => {
    const incremental = new TraceDigest();
    BASE.forEach((event, i) => {
      incremental.record(event);
      expect(incremental.count).toBe(i + 1);
      expect(incremental.digest()).toBe(digestOf(BASE.slice(0, i + 1)));
    });
  });

  it('TraceDigest rejects a bad event like Trace does, and its digest stays as it was', () => {
    const incremental = new TraceDigest();
    incremental.record(BASE[0] as TraceEvent);
    const before = incremental.digest();
    const error = thrown(() => incremental.record({ time: 1, source: 's', kind: 'irq' } as TraceEvent));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toBe("trace event 2, field 'level': undefined is invalid: required for kind 'irq'");
    expect(incremental.digest()).toBe(before);
    expect(incremental.count).toBe(1);
  });

  it('property: the incremental digest equals the digest of the full export', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 30 }), (events) => {
        const trace = new Trace();
        const incremental = new TraceDigest();
        for (const event of events) {
          trace.record(event);
          incremental.record(event);
        }
        expect(incremental.digest()).toBe(trace.digest());
        expect(incremental.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
        expect(Trace.fromJsonLines(trace.toJsonLines()).digest()).toBe(trace.digest());
      }),
    );
  });

  it('property: a trace asked for its digest between records gives the digest of the whole', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 20 }), fc.nat(20), (events, cut) => {
        const trace = new Trace();
        events.forEach((e, i) => {
          if (i === cut) trace.digest();
          trace.record(e);
        });
        expect(trace.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
        expect(trace.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
      }),
    );
  });

  it('property: a bad event fails TraceDigest.record with the error canonicalTraceEvent gives, the digest unchanged', () => {
    const field = fc.constantFrom('time', 'source', 'kind', 'offset', 'size', 'value', 'error', 'level', 'timer', 'cause', 'detail', 'extra');
    const value = fc.oneof(fc.constant(undefined), fc.constant(-1), fc.constant(0.5), fc.constant('x'), fc.constant(true), fc.constant(null), fc.constant(3));
    fc.assert(
      fc.property(traceEvent, field, value, (event, key, bad) => {
        const broken = { ...event, [key]: bad } as unknown as TraceEvent;
        const digest = new TraceDigest();
        let expected: unknown;
        try {
          canonicalTraceEvent(broken, 1, 'event');
        } catch (error) {
          expected = error;
        }
        if (expected === undefined) {
          digest.record(broken);
          expect(digest.digest()).toBe(referenceFnv1a64(`${JSON.stringify(canonicalTraceEvent(broken))}\n`));
        } else {
          const error = thrown(() => digest.record(broken));
          expect(error).toBeInstanceOf(TraceFormatError);
          expect((error as Error).message).toBe((expected as Error).message);
          expect(digest.digest()).toBe('cbf29ce484222325');
          expect(digest.count).toBe(0);
        }
      }),
    );
  });

  it('hashes text fields JSON escapes or encodes as multi-byte UTF-8 like the export', () => {
    const trace = new Trace();
    const digest = new TraceDigest();
    for (const source of ['plain', 'q"uote', 'back\\slash', 'tab\t', '\u007f', 'caf\u00e9', '\u{1f600}', 'lone \ud800', '\u0000']) {
      const event: TraceEvent = { time: 2 ** 53 - 1, source, kind: 'guest-error', offset: 0, size: 1, reason: 'locked', detail: source };
      trace.record(event);
      digest.record(event);
    }
    expect(digest.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
    expect(trace.digest()).toBe(digest.digest());
  });

  it('property: events of recurring names (whose line texts get prepared, #19) digest like their export, by every path', () => {
    // Past a few uses a name's constant line parts are hashed as prepared texts: names JSON escapes, multi-byte ones, the empty name too.
    const names = ['timer0', 'q"uote\\', 'caf\u00e9 \u{1f600}', 'lone \ud800', '\u0000\n', ''];
    const recurring = fc
      .tuple(traceEvent, fc.constantFrom(...names), fc.constantFrom(...names))
      .map(([event, source, timer]) => ({ ...event, source, ...(event.kind === 'expiry' || event.kind === 'trigger' ? { timer } : {}) }) as TraceEvent);
    fc.assert(
      fc.property(fc.array(recurring, { minLength: 100, maxLength: 200 }), (events) => {
        const trace = new Trace();
        const fields = new Trace();
        const digest = new TraceDigest();
        for (const event of events) {
          trace.record(event);
          digest.record(event);
          // The typed entry points, as a system's recorder calls them.
          if (event.kind === 'read' || event.kind === 'write') fields.recordAccess(event.time, event.source, event.kind, event.offset, event.size, event.value, event.error);
          else if (event.kind === 'irq') fields.recordIrq(event.time, event.source, event.level);
          else fields.record(event);
        }
        const expected = referenceFnv1a64(trace.toJsonLines());
        expect(trace.digest()).toBe(expected);
        expect(fields.digest()).toBe(expected);
        expect(digest.digest()).toBe(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('property: two different traces have different digests', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 6 }), fc.array(traceEvent, { maxLength: 6 }), (a, b) => {
        const [ta, tb] = [new Trace(), new Trace()];
        a.forEach((e) => ta.record(e));
        b.forEach((e) => tb.record(e));
        fc.pre(ta.toJsonLines() !== tb.toJsonLines());
        expect(ta.digest()).not.toBe(tb.digest());
      }),
    );
  });
});
