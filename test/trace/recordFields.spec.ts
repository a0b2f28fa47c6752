// Accesses and irq changes can be recorded as their fields (no event object): `recordAccess` on a
// Trace, a TraceDigest and a system's recorder, `recordIrq` internally (issue 19). Each must record
// exactly what `record` of the event object records (same events, export, digest and count), store
// a negative zero as 0 as the checked path does, and refuse a bad event with record's error,
// recording nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trace, TraceDigest, TraceFormatError, type AccessEvent, type TraceEvent } from '../../src/trace';
import { buildSystem, DEFAULT_SCENARIO, parseScenario } from '../../system';
import { thrown } from '../support/errors';
import { traceEvent } from './traceArbitraries';

/** Records `event` as fields where it is an access or an irq change, else as an object. */
const recordAsFields = (sink: Trace | TraceDigest, event: TraceEvent): void => {
  if (event.kind === 'read' || event.kind === 'write') {
    sink.recordAccess(event.time, event.source, event.kind, event.offset, event.size, event.value, event.error);
  } else if (event.kind === 'irq') sink.recordIrq(event.time, event.source, event.level);
  else sink.record(event);
};

const negativeZeros = (event: TraceEvent): TraceEvent =>
  event.kind === 'read' || event.kind === 'write' ? { ...event, time: -0, offset: -0, value: -0 } : event.kind === 'irq' ? { ...event, time: -0 } : event;

describe('recording accesses and irq changes as fields', () => {
  it('a Trace records the same events, JSON lines and digest as record() of the objects', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(traceEvent, traceEvent.map(negativeZeros)), { maxLength: 30 }), (events) => {
        const objects = new Trace();
        const fields = new Trace();
        for (const e of events) {
          objects.record(e);
          recordAsFields(fields, e);
        }
        expect(fields.events).toEqual(objects.events);
        // toEqual treats -0 and 0 alike: the export tells them apart.
        expect(fields.events.map((e) => Object.is(e.time, -0))).toEqual(objects.events.map((e) => Object.is(e.time, -0)));
        expect(fields.toJsonLines()).toBe(objects.toJsonLines());
        expect(fields.digest()).toBe(objects.digest());
      }),
      { numRuns: 200 },
    );
  });

  it('a TraceDigest gives the same digest and count as record() of the objects, and as a Trace', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(traceEvent, traceEvent.map(negativeZeros)), { maxLength: 30 }), (events) => {
        const objects = new TraceDigest();
        const fields = new TraceDigest();
        const trace = new Trace();
        for (const e of events) {
          objects.record(e);
          recordAsFields(fields, e);
          trace.record(e);
        }
        expect(fields.count).toBe(events.length);
        expect(fields.digest()).toBe(objects.digest());
        expect(fields.digest()).toBe(trace.digest());
      }),
      { numRuns: 200 },
    );
  });

  const good: AccessEvent = { time: 5, source: 'dev', kind: 'read', offset: 4, size: 4, value: 7 };
  const bad: [string, Record<string, unknown>][] = [
    ['a negative value', { value: -1 }],
    ['a fractional value', { value: 1.5 }],
    ['a value past 2^53', { value: 2 ** 53 }],
    ['an access size of 3', { size: 3 }],
    ['a negative offset', { offset: -4 }],
    ['an unknown error reason', { error: 'nope' }],
    ['a NaN time', { time: Number.NaN }],
    ['a source that is not a string', { source: 7 }],
  ];
  for (const [what, change] of bad) {
    it(`refuses ${what} with record()'s error and records nothing (Trace and TraceDigest)`, () => {
      const event = { ...good, ...change } as AccessEvent;
      const viaRecord = thrown(() => new Trace().record(event));
      expect(viaRecord).toBeInstanceOf(TraceFormatError);
      for (const sink of [new Trace(), new TraceDigest()]) {
        sink.recordAccess(1, 'dev', 'write', 0, 4, 1, undefined);
        const before = sink.digest();
        const error = thrown(() => sink.recordAccess(event.time, event.source, event.kind, event.offset, event.size, event.value, event.error));
        expect(error).toBeInstanceOf(TraceFormatError);
        // Named at the same line as record() names it for the same position (the second event).
        expect((error as Error).message).toBe((thrown(() => {
          const t = new Trace();
          t.recordAccess(1, 'dev', 'write', 0, 4, 1, undefined);
          t.record(event);
        }) as Error).message);
        expect(sink.digest()).toBe(before);
      }
      expect((viaRecord as Error).message).toContain(Object.keys(change)[0]!);
    });
  }

  it('refuses an irq level that is not a boolean with record()\'s error', () => {
    const t = new Trace();
    const error = thrown(() => t.recordIrq(1, 'irq0', 1 as unknown as boolean));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toContain('level');
    expect(t.events).toEqual([]);
  });
});

describe('a system records accesses and irq changes as fields when nothing needs the objects', () => {
  const RUN = 2_000_000; // 2 virtual ms of the default scenario: every device's first ticks and reads

  const build = (options: Parameters<typeof buildSystem>[1]) => buildSystem(parseScenario(DEFAULT_SCENARIO), options).system;

  it('the same trace with and without a watcher (which makes it record objects), and the same digest untraced', () => {
    const plain = build({});
    const watched = build({});
    const seen: TraceEvent[] = [];
    watched.watchTrace((e) => seen.push(e));
    const digestOnly = build({ keepTrace: false });
    plain.run(RUN);
    watched.run(RUN);
    digestOnly.run(RUN);
    expect(plain.trace.events.length).toBeGreaterThan(1000);
    expect(plain.trace.of('read').length).toBeGreaterThan(100);
    expect(plain.trace.of('irq').length).toBeGreaterThan(10);
    expect(watched.trace.toJsonLines()).toBe(plain.trace.toJsonLines());
    expect(seen).toEqual(plain.trace.events);
    expect(digestOnly.digest()).toBe(plain.digest());
  });

  it('a sink with recordAccess gets accesses as fields, one without gets objects: the same events either way', () => {
    const objects: TraceEvent[] = [];
    const fields: TraceEvent[] = [];
    let asFields = 0;
    const plainSink = { record: (e: TraceEvent): void => void objects.push(e) };
    const fieldSink = {
      record: (e: TraceEvent): void => void fields.push(e),
      recordAccess: (time: number, source: string, kind: 'read' | 'write', offset: number, size: 1 | 2 | 4 | 8, value: number, error: AccessEvent['error']): void =>
        void (asFields++, fields.push(error === undefined ? { time, source, kind, offset, size, value } : { time, source, kind, offset, size, value, error })),
    };
    const a = build({ keepTrace: false, traceSinks: [plainSink] });
    const b = build({ keepTrace: false, traceSinks: [fieldSink] });
    a.run(RUN);
    b.run(RUN);
    expect(fields.length).toBeGreaterThan(1000);
    expect(asFields).toBe(fields.filter((e) => e.kind === 'read' || e.kind === 'write').length);
    expect(fields).toEqual(objects);
    expect(b.digest()).toBe(a.digest());
  });
});
