import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTraceEvent, Trace, TraceDigest, TraceFormatError, type TraceEvent } from '../../src/trace';
import { thrown } from '../support/errors';
import { referenceFnv1a64, traceEvent, traceEventWithKeyOrder, withKeyOrder } from './traceArbitraries';

const irq = (time: number, level: boolean, source = 'irq0'): TraceEvent => ({ time, source, kind: 'irq', level });

const SAMPLE: readonly TraceEvent[] = [
  { time: 0, source: 'dev', kind: 'write', offset: 8, size: 4, value: 6 },
  { time: 6_000, source: 'dev', kind: 'expiry', timer: 'dev', cause: 'expiry' },
  irq(6_000, true),
  { time: 6_500, source: 'dev', kind: 'read', offset: 0xc, size: 4, value: 1 },
  { time: 7_000, source: 'dev', kind: 'read', offset: 0x40, size: 4, value: 0, error: 'unmapped' },
  { time: 7_000, source: 'dev', kind: 'guest-error', offset: 0x40, size: 4, reason: 'unmapped', detail: 'no register' },
  { time: 7_100, source: 'dev', kind: 'unimplemented', offset: 0, feature: 'CTRL.SELEXTEN' },
  { time: 7_200, source: 'dev', kind: 'trigger', timer: 'dev', delivery: 'bottom-half' },
  { time: 7_300, source: 'test', kind: 'mark', label: 'count', data: { count: 2n ** 64n - 1n, ok: true } },
  { time: 7_300, source: 'test', kind: 'mark', label: 'plain' },
  { time: 7_400, source: 'check', kind: 'violation', message: 'count read after reload without IRQ' },
];

/** SAMPLE's export, written out by hand: the format is a contract (replay files depend on it). */
const SAMPLE_LINES =
  '{"time":0,"source":"dev","kind":"write","offset":8,"size":4,"value":6}\n' +
  '{"time":6000,"source":"dev","kind":"expiry","timer":"dev","cause":"expiry"}\n' +
  '{"time":6000,"source":"irq0","kind":"irq","level":true}\n' +
  '{"time":6500,"source":"dev","kind":"read","offset":12,"size":4,"value":1}\n' +
  '{"time":7000,"source":"dev","kind":"read","offset":64,"size":4,"value":0,"error":"unmapped"}\n' +
  '{"time":7000,"source":"dev","kind":"guest-error","offset":64,"size":4,"reason":"unmapped","detail":"no register"}\n' +
  '{"time":7100,"source":"dev","kind":"unimplemented","offset":0,"feature":"CTRL.SELEXTEN"}\n' +
  '{"time":7200,"source":"dev","kind":"trigger","timer":"dev","delivery":"bottom-half"}\n' +
  '{"time":7300,"source":"test","kind":"mark","label":"count","data":{"count":"18446744073709551615","ok":true}}\n' +
  '{"time":7300,"source":"test","kind":"mark","label":"plain"}\n' +
  '{"time":7400,"source":"check","kind":"violation","message":"count read after reload without IRQ"}\n';

const traceOf = (events: readonly TraceEvent[]): Trace => {
  const trace = new Trace();
  for (const event of events) trace.record(event);
  return trace;
};

describe('Trace: recording', () => {
  it('keeps events in the order they were recorded', () => {
    const trace = traceOf([irq(5, true), irq(3, false), irq(5, false, 'irq1')]);
    expect(trace.events).toStrictEqual([irq(5, true), irq(3, false), irq(5, false, 'irq1')]);
  });

  it('stores frozen copies, so changing a recorded object later changes nothing', () => {
    const data = { values: [1, 2] };
    const event = { time: 1, source: 's', kind: 'mark' as const, label: 'l', data };
    const trace = traceOf([event]);
    const before = trace.toJsonLines();
    data.values.push(3);
    (event as { label: string }).label = 'changed';
    expect(trace.toJsonLines()).toBe(before);
    expect(Object.isFrozen(trace.events[0])).toBe(true);
    expect(Object.isFrozen((trace.events[0] as { data: { values: unknown } }).data.values)).toBe(true);
  });

  it('of(kind) returns the events of one kind, and of(kind, source) of one source too, in order', () => {
    const trace = traceOf(SAMPLE);
    expect(trace.of('irq')).toStrictEqual([irq(6_000, true)]);
    expect(trace.of('read').map((e) => e.offset)).toStrictEqual([0xc, 0x40]);
    expect(trace.of('mark', 'test').map((e) => e.label)).toStrictEqual(['count', 'plain']);
    expect(trace.of('mark', 'dev')).toStrictEqual([]);
  });

  it('rejects a bad event with a TraceFormatError naming its position and field, and records nothing', () => {
    const trace = traceOf([irq(1, true)]);
    const error = thrown(() => trace.record({ time: 2, source: 'dev', kind: 'read', offset: 0, size: 3, value: 0 } as never));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error).toMatchObject({ line: 2, field: 'size', value: 3 });
    expect((error as Error).message).toBe("trace event 2, field 'size': 3 is invalid: must be 1, 2, 4 or 8");
    expect(trace.events).toHaveLength(1);
  });
});

describe('Trace: compact storage (#19)', () => {
  it('property: the events read back are the canonical copies, and the digest is that of their JSON lines, past every growth of the columns', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 300 }), fc.nat(), (events, cut) => {
        const trace = new Trace();
        const digest = new TraceDigest();
        const at = events.length === 0 ? 0 : cut % events.length;
        // Read part way (events and digest), then record the rest: both catch up.
        events.slice(0, at).forEach((e) => (trace.record(e), digest.record(e)));
        const early = trace.events;
        expect(trace.digest()).toBe(digest.digest());
        events.slice(at).forEach((e) => (trace.record(e), digest.record(e)));
        const canonical = events.map((e) => canonicalTraceEvent(e));
        expect(trace.events).toBe(early);
        expect(trace.events).toEqual(canonical);
        expect(trace.events.every((e) => Object.isFrozen(e))).toBe(true);
        const lines = canonical.map((e) => `${JSON.stringify(e)}\n`).join('');
        expect(trace.toJsonLines()).toBe(lines);
        expect(trace.digest()).toBe(digest.digest());
        expect(trace.digest()).toBe(referenceFnv1a64(lines));
      }),
      { numRuns: 60, seed: 1919 },
    );
  });

  it('a long trace (several chunks of columns) reads back and digests as its events do', () => {
    const events: TraceEvent[] = [];
    for (let t = 0; t < 40_000; t++) {
      events.push(
        t % 3 === 0
          ? { time: t, source: `dev${t % 7}`, kind: 'read', offset: t % 64, size: 4, value: t * 7919 }
          : t % 3 === 1
            ? irq(t, t % 2 === 0, `dev${t % 5}.irq`)
            : { time: t, source: 'test', kind: 'mark', label: `m${t}`, data: { t } },
      );
    }
    const trace = traceOf(events);
    const digest = new TraceDigest();
    for (const e of events) digest.record(e);
    expect(trace.digest()).toBe(digest.digest());
    expect(trace.events).toEqual(events.map((e) => canonicalTraceEvent(e)));
  });

  it('values at the edges of their columns, given as objects or as fields, read back and digest as their export (an offset from 2^31 is kept as an object)', () => {
    const edges: TraceEvent[] = [];
    for (const offset of [0, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1]) {
      for (const value of [0, 2 ** 32 - 1, 2 ** 53 - 1]) {
        edges.push({ time: 2 ** 53 - 1, source: 'dev', kind: 'read', offset, size: 8, value });
        edges.push({ time: offset, source: 'd\u00e9v', kind: 'write', offset, size: 1, value, error: 'write-only' });
      }
      edges.push({ time: 1, source: 'dev', kind: 'guest-error', offset, size: 2, reason: 'misaligned', detail: '' });
      edges.push({ time: 1, source: 'dev', kind: 'unimplemented', offset, feature: 'F' });
    }
    edges.push({ time: 2, source: '', kind: 'expiry', timer: '', cause: 'commit' }, { time: 2, source: 'dev', kind: 'trigger', timer: 't', delivery: 'sync' });
    edges.push(irq(3, false, ''), { time: 4, source: 'v', kind: 'violation', message: '' });
    const objects = traceOf(edges);
    const fields = new Trace();
    for (const e of edges) {
      if (e.kind === 'read' || e.kind === 'write') fields.recordAccess(e.time, e.source, e.kind, e.offset, e.size, e.value, e.error);
      else if (e.kind === 'irq') fields.recordIrq(e.time, e.source, e.level);
      else fields.record(e);
    }
    const lines = edges.map((e) => `${JSON.stringify(canonicalTraceEvent(e))}\n`).join('');
    for (const trace of [objects, fields]) {
      expect(trace.events).toEqual(edges.map((e) => canonicalTraceEvent(e)));
      expect(trace.toJsonLines()).toBe(lines);
      expect(trace.digest()).toBe(referenceFnv1a64(lines));
    }
    // Taken back past a kept event and recorded again: the same again.
    fields.truncate(3);
    for (const e of edges.slice(3)) fields.record(e);
    expect(fields.toJsonLines()).toBe(lines);
    expect(fields.digest()).toBe(referenceFnv1a64(lines));
  });

  it('sources with many events (their line heads prepared for the digest) digest as their export, names JSON escapes too, read part way', () => {
    const names = ['dev', 'q"uote\\ \u00e9', ''];
    const trace = new Trace();
    const digest = new TraceDigest();
    let middle = '';
    for (let t = 0; t < 4_000; t++) {
      const source = names[t % 3]!;
      const e: TraceEvent =
        t % 4 === 0
          ? { time: t, source, kind: 'read', offset: t % 64, size: 4, value: t * 7919 }
          : t % 4 === 1
            ? { time: t, source, kind: 'write', offset: 8, size: 2, value: t, ...(t % 8 === 1 ? { error: 'locked' as const } : {}) }
            : irq(t, t % 4 === 2, source);
      if (e.kind === 'read' || e.kind === 'write') trace.recordAccess(e.time, e.source, e.kind, e.offset, e.size, e.value, e.error);
      else trace.record(e);
      digest.record(e);
      if (t === 2_500) middle = trace.digest();
      if (t === 2_500) expect(middle).toBe(digest.digest());
    }
    expect(trace.digest()).toBe(referenceFnv1a64(trace.toJsonLines()));
    expect(trace.digest()).toBe(digest.digest());
    expect(Trace.fromJsonLines(trace.toJsonLines()).digest()).toBe(digest.digest());
  });

  it('a refused event leaves the columns as they were, at a growth boundary too', () => {
    const trace = new Trace();
    for (let t = 0; t < 64; t++) trace.record(irq(t, t % 2 === 0));
    expect(() => trace.record({ ...irq(64, true), level: 1 } as unknown as TraceEvent)).toThrow(TraceFormatError);
    trace.record({ time: 64, source: 'dev', kind: 'read', offset: 4, size: 2, value: 0xffff_ffff_ffff });
    expect(trace.events.length).toBe(65);
    expect(trace.events[64]).toEqual({ time: 64, source: 'dev', kind: 'read', offset: 4, size: 2, value: 0xffff_ffff_ffff });
  });
});

describe('Trace: JSON lines export', () => {
  it('writes one compact object per line, keys in canonical order, each line ending in a newline', () => {
    expect(traceOf(SAMPLE).toJsonLines()).toBe(SAMPLE_LINES);
  });

  it('an empty trace exports as the empty string', () => {
    expect(new Trace().toJsonLines()).toBe('');
  });

  it('the same event built with its keys in a different order exports the same line', () => {
    const a = traceOf([{ time: 9, source: 'dev', kind: 'read', offset: 4, size: 2, value: 7, error: 'bad-size' }]);
    const b = traceOf([{ error: 'bad-size', value: 7, size: 2, offset: 4, kind: 'read', source: 'dev', time: 9 }]);
    expect(b.toJsonLines()).toBe(a.toJsonLines());
    expect(a.toJsonLines()).toBe('{"time":9,"source":"dev","kind":"read","offset":4,"size":2,"value":7,"error":"bad-size"}\n');
  });

  it('property: any key order of any event gives the same line', () => {
    fc.assert(
      fc.property(traceEventWithKeyOrder, ([event, order]) => {
        expect(traceOf([withKeyOrder(event, order)]).toJsonLines()).toBe(traceOf([event]).toJsonLines());
      }),
    );
  });

  it('an optional field set to undefined is the same as an absent one', () => {
    const absent = traceOf([{ time: 1, source: 'd', kind: 'read', offset: 0, size: 4, value: 3 }]);
    const undef = traceOf([{ time: 1, source: 'd', kind: 'read', offset: 0, size: 4, value: 3, error: undefined }]);
    expect(undef.toJsonLines()).toBe(absent.toJsonLines());
    expect(undef.events[0]).not.toHaveProperty('error');
  });

  it('bigints in mark data export as decimal strings, at any depth and sign', () => {
    const trace = traceOf([
      { time: 0, source: 't', kind: 'mark', label: 'big', data: [0n, -(2n ** 70n), { n: { m: 12345678901234567890n } }] },
      { time: 0, source: 't', kind: 'mark', label: 'bare', data: 2n ** 64n },
    ]);
    expect(trace.toJsonLines()).toBe(
      '{"time":0,"source":"t","kind":"mark","label":"big","data":["0","-1180591620717411303424",{"n":{"m":"12345678901234567890"}}]}\n' +
        '{"time":0,"source":"t","kind":"mark","label":"bare","data":"18446744073709551616"}\n',
    );
  });

  it('mark data objects export with sorted keys, whatever their insertion order', () => {
    const a = traceOf([{ time: 0, source: 't', kind: 'mark', label: 'l', data: { b: 1, a: { d: 2, c: 3 } } }]);
    const b = traceOf([{ time: 0, source: 't', kind: 'mark', label: 'l', data: { a: { c: 3, d: 2 }, b: 1 } }]);
    expect(a.toJsonLines()).toBe('{"time":0,"source":"t","kind":"mark","label":"l","data":{"a":{"c":3,"d":2},"b":1}}\n');
    expect(b.toJsonLines()).toBe(a.toJsonLines());
  });
});

describe('Trace.fromJsonLines', () => {
  it('reads back what toJsonLines wrote: equal events, equal bytes', () => {
    const trace = traceOf(SAMPLE);
    const back = Trace.fromJsonLines(trace.toJsonLines());
    expect(back.events).toStrictEqual(trace.events);
    expect(back.toJsonLines()).toBe(SAMPLE_LINES);
  });

  it('reads bigints back as the decimal strings they were exported as', () => {
    const back = Trace.fromJsonLines(SAMPLE_LINES);
    expect(back.of('mark')[0]?.data).toStrictEqual({ count: '18446744073709551615', ok: true });
  });

  it('property: any trace survives a round trip unchanged', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 20 }), (events) => {
        const trace = traceOf(events);
        const back = Trace.fromJsonLines(trace.toJsonLines());
        expect(back.events).toStrictEqual(trace.events);
        expect(back.toJsonLines()).toBe(trace.toJsonLines());
      }),
    );
  });

  it('accepts any key order, spaces, CRLF line ends and a missing final newline; re-exports canonically', () => {
    const text =
      '{ "level": true, "kind": "irq", "source": "irq0", "time": 5 }\r\n' +
      '{"kind":"irq","time":9,"level":false,"source":"irq0"}';
    expect(Trace.fromJsonLines(text).toJsonLines()).toBe(
      '{"time":5,"source":"irq0","kind":"irq","level":true}\n{"time":9,"source":"irq0","kind":"irq","level":false}\n',
    );
  });

  it('the empty string is the empty trace', () => {
    expect(Trace.fromJsonLines('').events).toStrictEqual([]);
  });

  const GOOD = '{"time":1,"source":"irq0","kind":"irq","level":true}';

  /** Parses `bad` as line 2 (after a good line) and returns the error. */
  const errorOnLine2 = (bad: string): TraceFormatError => {
    const error = thrown(() => Trace.fromJsonLines(`${GOOD}\n${bad}\n`));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TraceFormatError).name).toBe('TraceFormatError');
    expect((error as TraceFormatError).line).toBe(2);
    return error as TraceFormatError;
  };

  it('bad JSON: names the line, field (json), and keeps the parser error as cause', () => {
    const error = errorOnLine2('{"time":1,');
    expect(error.field).toBe('(json)');
    expect(error.value).toBe('{"time":1,');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toMatch(/^trace line 2: "\{\\"time\\":1," is invalid: must be valid JSON \(./);
  });

  it('a blank line is an error (one event per line)', () => {
    const error = errorOnLine2('');
    expect(error.field).toBe('(json)');
    expect(error.message).toBe('trace line 2: "" is invalid: the line is blank; each line must hold one event');
  });

  it.each([
    ['42', 42, '42'],
    ['null', null, 'null'],
    ['[1]', [1], '[1]'],
    ['"irq"', 'irq', '"irq"'],
  ])('JSON that is not an object (%s) is rejected as (root)', (line, value, shown) => {
    const error = errorOnLine2(line);
    expect(error.field).toBe('(root)');
    expect(error.value).toStrictEqual(value);
    expect(error.message).toBe(`trace line 2: ${shown} is invalid: must be an object (one trace event)`);
  });

  it('unknown kind', () => {
    const error = errorOnLine2('{"time":1,"source":"x","kind":"irqq","level":true}');
    expect(error.field).toBe('kind');
    expect(error.value).toBe('irqq');
    expect(error.message).toBe(
      "trace line 2, field 'kind': \"irqq\" is invalid: must be one of 'read', 'write', 'guest-error', " +
        "'unimplemented', 'expiry', 'trigger', 'irq', 'mark', 'violation'",
    );
  });

  it('missing kind', () => {
    const error = errorOnLine2('{"time":1,"source":"x","level":true}');
    expect(error.field).toBe('kind');
    expect(error.value).toBeUndefined();
    expect(error.message).toMatch(/^trace line 2, field 'kind': undefined is invalid: required: must be one of 'read', /);
  });

  it.each([
    ['time', '{"source":"x","kind":"irq","level":true}', 'irq'],
    ['source', '{"time":1,"kind":"irq","level":true}', 'irq'],
    ['level', '{"time":1,"source":"x","kind":"irq"}', 'irq'],
    ['value', '{"time":1,"source":"x","kind":"write","offset":0,"size":4}', 'write'],
    ['detail', '{"time":1,"source":"x","kind":"guest-error","offset":0,"size":4,"reason":"locked"}', 'guest-error'],
    ['label', '{"time":1,"source":"x","kind":"mark"}', 'mark'],
  ])('missing field %s', (field, line, kind) => {
    const error = errorOnLine2(line);
    expect(error.field).toBe(field);
    expect(error.value).toBeUndefined();
    expect(error.message).toBe(`trace line 2, field '${field}': undefined is invalid: required for kind '${kind}'`);
  });

  it.each([
    ['time', '"1"', 'must be a non-negative safe integer'],
    ['time', '-1', 'must be a non-negative safe integer'],
    ['time', '1.5', 'must be a non-negative safe integer'],
    ['time', '9007199254740992', 'must be a non-negative safe integer'],
    ['source', '7', 'must be a string'],
    ['level', '1', 'must be a boolean'],
    ['level', '"true"', 'must be a boolean'],
  ])('wrong type or range: %s = %s', (field, json, rule) => {
    const fields: Record<string, string> = { time: '1', source: '"x"', kind: '"irq"', level: 'true', [field]: json };
    const line = `{${Object.entries(fields)
      .map(([k, v]) => `"${k}":${v}`)
      .join(',')}}`;
    const error = errorOnLine2(line);
    expect(error.field).toBe(field);
    expect(error.value).toStrictEqual(JSON.parse(json));
    expect(error.rule).toBe(rule);
    expect(error.message).toMatch(new RegExp(`^trace line 2, field '${field}': .+ is invalid: ${rule}$`));
  });

  it.each([
    ['size', '{"time":1,"source":"x","kind":"read","offset":0,"size":3,"value":0}', 3, 'must be 1, 2, 4 or 8'],
    ['offset', '{"time":1,"source":"x","kind":"read","offset":-4,"size":4,"value":0}', -4, 'must be a non-negative safe integer'],
    [
      'error',
      '{"time":1,"source":"x","kind":"read","offset":0,"size":4,"value":0,"error":"oops"}',
      'oops',
      "must be one of 'unmapped', 'bad-size', 'misaligned', 'read-only', 'write-only', 'locked'",
    ],
    ['cause', '{"time":1,"source":"x","kind":"expiry","timer":"t","cause":"tick"}', 'tick', "must be one of 'expiry', 'commit'"],
    ['delivery', '{"time":1,"source":"x","kind":"trigger","timer":"t","delivery":"bh"}', 'bh', "must be one of 'sync', 'bottom-half'"],
    ['feature', '{"time":1,"source":"x","kind":"unimplemented","offset":0,"feature":null}', null, 'must be a string'],
  ])('wrong value for field %s', (field, line, value, rule) => {
    const error = errorOnLine2(line);
    expect(error).toMatchObject({ field, value, rule });
  });

  it('a field the kind does not have is rejected, naming it', () => {
    const error = errorOnLine2('{"time":1,"source":"x","kind":"irq","level":true,"offset":4}');
    expect(error).toMatchObject({ field: 'offset', value: 4 });
    expect(error.message).toBe("trace line 2, field 'offset': 4 is invalid: is not a field of kind 'irq'");
  });

  it('null inside mark data is data, not an absent field', () => {
    const back = Trace.fromJsonLines('{"time":1,"source":"x","kind":"mark","label":"l","data":[null,{"a":null}]}\n');
    expect(back.of('mark')[0]?.data).toStrictEqual([null, { a: null }]);
  });

  it('reports the first bad line when there are several', () => {
    const error = thrown(() => Trace.fromJsonLines(`${GOOD}\n${GOOD}\n{"kind":"nope"}\n{\n`));
    expect(error).toMatchObject({ line: 3, field: 'kind' });
  });

  it('a non-string input is rejected as (text)', () => {
    const error = thrown(() => Trace.fromJsonLines(42 as unknown as string));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error).toMatchObject({ line: undefined, field: '(text)', value: 42 });
    expect((error as Error).message).toBe('trace text: 42 is invalid: must be a string of JSON lines');
  });
});

describe('Trace.truncate (a fork rewinding a run whose trace a predicate reads)', () => {
  const record = (trace: Trace, events: readonly TraceEvent[]): void => {
    for (const e of events) {
      if (e.kind === 'read' || e.kind === 'write') trace.recordAccess(e.time, e.source, e.kind, e.offset, e.size, e.value, e.error);
      else trace.record(e);
    }
  };

  it('takes back the events from an index: the trace then equals one that never had them, in events, export and digest', () => {
    fc.assert(
      fc.property(fc.array(traceEvent, { maxLength: 40 }), fc.array(traceEvent, { maxLength: 40 }), fc.array(traceEvent, { maxLength: 40 }), fc.nat(3), (kept, dropped, after, look) => {
        const trace = new Trace();
        record(trace, kept);
        // Reading (events, digest) before and after the cut must not leave anything of the dropped events behind.
        if (look & 1) void trace.events;
        record(trace, dropped);
        if (look & 2) trace.digest();
        void trace.events;
        const held = trace.events;
        trace.truncate(kept.length);
        expect(trace.length).toBe(kept.length);
        record(trace, after);
        const fresh = new Trace();
        record(fresh, [...kept, ...after]);
        expect(trace.events).toEqual(fresh.events);
        expect(held).toBe(trace.events);
        expect(trace.toJsonLines()).toBe(fresh.toJsonLines());
        expect(trace.digest()).toBe(fresh.digest());
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a length that is not a whole number up to the events recorded', () => {
    const trace = new Trace();
    record(trace, SAMPLE);
    for (const bad of [-1, 1.5, SAMPLE.length + 1, Number.NaN]) {
      expect((thrown(() => trace.truncate(bad)) as Error).message).toBe(
        `Trace.truncate(length): ${String(bad)} is invalid: must be a whole number from 0 to the ${SAMPLE.length} events recorded`,
      );
    }
    expect(trace.length).toBe(SAMPLE.length);
  });
});
