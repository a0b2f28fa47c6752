import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValueForecast } from '../../../src/shared/ValueForecast';
import type { TraceEvent } from '../../../src/trace';
import { buildWaveform, toVcd, VcdStream, WaveformError, type CounterSample, type VcdSpool } from '../../../src/trace/waveform';
import { thrown } from '../../support/errors';

/** A down-counter from `value` at `from`, one tick every `period` ns, wrapping at 0 to `reload`, forecast until `until`. */
const downCounter = (from: number, value: number, period: number, reload: number, until: number): ValueForecast => {
  const at = (time: number): bigint => {
    const ticks = Math.floor((time - from) / period);
    if (ticks <= value) return BigInt(value - ticks);
    return BigInt(reload - ((ticks - value - 1) % (reload + 1)));
  };
  return {
    until,
    valueAt: at,
    nextChange: (after) => {
      const next = from + (Math.floor((after - from) / period) + 1) * period;
      return next < until ? next : undefined;
    },
  };
};

type Item = { readonly event: TraceEvent } | { readonly sample: CounterSample };

/** Random runs: instants in order, each with events then samples (any order within), as a system delivers them. */
const runs = fc
  .array(
    fc.record({
      gap: fc.nat(40),
      items: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('irq' as const), line: fc.constantFrom('t0.irq', 't1.irq'), level: fc.boolean() }),
          fc.record({ kind: fc.constant('read' as const), dev: fc.constantFrom('t0', 't1'), size: fc.constantFrom(4 as const, 8 as const), value: fc.nat(1000) }),
          fc.record({ kind: fc.constant('write' as const), dev: fc.constantFrom('t0', 't1') }),
          fc.record({ kind: fc.constant('other' as const), which: fc.constantFrom('expiry', 'sync', 'bh', 'mark', 'guest-error') }),
          fc.record({ kind: fc.constant('sample' as const), src: fc.constantFrom('t0.counter', 't1.counter', 't2.value'), v: fc.nat(9), period: fc.integer({ min: 1, max: 7 }), life: fc.integer({ min: 0, max: 60 }), forecast: fc.boolean() }),
        ),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 25 },
  )
  .map((instants) => {
    const items: Item[] = [];
    let time = 0;
    for (const { gap, items: raw } of instants) {
      time += gap;
      for (const r of raw) {
        if (r.kind === 'irq') items.push({ event: { time, source: r.line, kind: 'irq', level: r.level } });
        else if (r.kind === 'read') items.push({ event: { time, source: r.dev, kind: 'read', offset: 4, size: r.size, value: r.value } });
        else if (r.kind === 'write') items.push({ event: { time, source: r.dev, kind: 'write', offset: 8, size: 4, value: 3 } });
        else if (r.kind === 'sample') {
          const forecast = r.forecast ? downCounter(time, r.v, r.period, 9, time + r.life) : undefined;
          items.push({ sample: { time, source: r.src, value: BigInt(r.v), width: r.src === 't2.value' ? 8 : 32, ...(forecast === undefined ? {} : { forecast }) } });
        } else if (r.which === 'expiry') items.push({ event: { time, source: 't0', kind: 'expiry', timer: 't0.timer', cause: 'expiry' } as TraceEvent });
        else if (r.which === 'sync') items.push({ event: { time, source: 't0', kind: 'trigger', timer: 't0.timer', delivery: 'sync' } as TraceEvent });
        else if (r.which === 'bh') items.push({ event: { time, source: 't1', kind: 'trigger', timer: 't1.timer', delivery: 'bottom-half' } as TraceEvent });
        else if (r.which === 'mark') items.push({ event: { time, source: 'guest', kind: 'mark', label: 'tick' } as TraceEvent });
        else items.push({ event: { time, source: 't1', kind: 'guest-error', offset: 0x40, size: 4, reason: 'unmapped', detail: 'x' } as TraceEvent });
      }
    }
    return items;
  });

const stream = (items: readonly Item[], maxChanges: number, spool?: VcdSpool): string => {
  const chunks: string[] = [];
  const vcd = new VcdStream({ write: (t) => void chunks.push(t), maxChanges, ...(spool === undefined ? {} : { spool }) });
  for (const item of items) {
    if ('event' in item) vcd.record(item.event);
    else vcd.sample(item.sample);
  }
  vcd.finish();
  return chunks.join('');
};

const whole = (items: readonly Item[], maxChanges: number): string => {
  const events = items.flatMap((i) => ('event' in i ? [i.event] : []));
  const samples = items.flatMap((i) => ('sample' in i ? [i.sample] : []));
  return toVcd(buildWaveform({ events, samples }, { maxChanges }), { sameInstant: 'delta' });
};

describe('VcdStream', () => {
  it('writes what toVcd(buildWaveform(...), delta) writes for the same events and samples, byte for byte, for any cap', () => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 0, max: 12 }), (items, cap) => {
        expect(stream(items, cap)).toBe(whole(items, cap));
      }),
      { numRuns: 400 },
    );
  });

  it('past the cap a counter writes nothing more, however long the run: its changes stay at most cap + 2', () => {
    /** Changes of `t0.counter` in a VCD (its id from the header). */
    const counterChanges = (text: string): number => {
      const id = /\$var reg 32 (\S+) counter \$end/.exec(text)![1]!;
      return text.split('\n').filter((line) => line.startsWith('b') && line.endsWith(` ${id}`)).length;
    };
    // A sample every 50 ns, each with a forecast ticking every 2 ns: 25 changes per span.
    const run = (spans: number): Item[] =>
      Array.from({ length: spans }, (_, i) => ({ sample: { time: 50 * i, source: 't0.counter', value: 30n, width: 32, forecast: downCounter(50 * i, 30, 2, 30, 50 * i + 50) } }));
    for (const cap of [0, 7, 100]) {
      const short = counterChanges(stream(run(10), cap));
      const long = counterChanges(stream(run(1_000), cap));
      expect(long).toBeLessThanOrEqual(cap + 2);
      expect(long).toBe(short);
      expect(stream(run(1_000), cap)).toBe(whole(run(1_000), cap));
    }
    // Uncapped, the long run writes every tick.
    expect(counterChanges(stream(run(1_000), 1_000_000))).toBeGreaterThan(20_000);
  });

  it('spools the body, reading it back in chunks of any size (a line may span two)', () => {
    const items: Item[] = [
      { sample: { time: 0, source: 't0.counter', value: 5n, width: 32, forecast: downCounter(0, 5, 3, 9, 40) } },
      { event: { time: 7, source: 't0.irq', kind: 'irq', level: true } },
      { event: { time: 21, source: 't0', kind: 'read', offset: 4, size: 4, value: 2 } },
      { sample: { time: 40, source: 't0.counter', value: 9n, width: 32 } },
    ];
    let body = '';
    const spool: VcdSpool = { write: (t) => void (body += t), read: () => body.match(/[^]{1,3}/g) ?? [] };
    expect(stream(items, 100, spool)).toBe(whole(items, 100));
    expect(body).not.toBe('');
  });

  it('refuses what it cannot write: time going back, a clashing signal, anything after finish, a bad option', () => {
    const vcd = new VcdStream({ write: () => {} });
    vcd.record({ time: 10, source: 'a.irq', kind: 'irq', level: true });
    expect(thrown(() => vcd.record({ time: 9, source: 'a.irq', kind: 'irq', level: false }))).toBeInstanceOf(WaveformError);
    vcd.sample({ time: 11, source: 'a.irq', value: 1n, width: 1 });
    expect(thrown(() => vcd.record({ time: 12, source: 'x', kind: 'irq', level: true }))).toMatchObject({ message: expect.stringContaining('"a.irq"') as unknown });
    const done = new VcdStream({ write: () => {} });
    done.finish();
    expect(thrown(() => done.finish())).toBeInstanceOf(WaveformError);
    expect(thrown(() => done.record({ time: 0, source: 'a.irq', kind: 'irq', level: true }))).toBeInstanceOf(WaveformError);
    expect(thrown(() => new VcdStream({ write: () => {}, maxChanges: -1 }))).toMatchObject({ message: 'VcdStream(options.maxChanges): -1 is invalid: must be a non-negative safe integer' });
    expect(thrown(() => new VcdStream({ write: () => {}, version: 'v $end' }))).toBeInstanceOf(WaveformError);
  });
});
