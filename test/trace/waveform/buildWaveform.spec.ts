import { describe, expect, it } from 'vitest';
import {
  buildWaveform,
  WaveformError,
  type CounterSample,
  type TraceEvent,
  type WaveSignal,
  type WaveformModel,
} from '../../../src/trace';
import { thrown } from '../../support/errors';
import { countdown, held } from '../../support/forecasts';

const irq = (time: number, level: boolean, source = 'timer0.irq'): TraceEvent => ({ time, source, kind: 'irq', level });
const read = (time: number, offset: number, value: number, source = 'timer0'): TraceEvent => ({
  time,
  source,
  kind: 'read',
  offset,
  size: 4,
  value,
});
const write = (time: number, offset: number, value: number, source = 'timer0'): TraceEvent => ({
  time,
  source,
  kind: 'write',
  offset,
  size: 4,
  value,
});
/** A sample whose value holds until the next one (a forecast that never changes). */
const counter = (time: number, value: bigint, source = 'timer0.counter'): CounterSample => ({ time, source, value, width: 32, forecast: held(value) });

const REGISTERS: Record<number, string> = { 0x0: 'CTRL', 0x4: 'VALUE', 0xc: 'INTSTATUS' };
const registerName = (_source: string, offset: number): string | undefined => REGISTERS[offset];

const signal = (model: WaveformModel, name: string): WaveSignal => {
  const found = model.signals.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no signal ${name} in ${model.signals.map((s) => s.name).join(', ')}`);
  // `step` (same-instant order) has tests of its own below; the others compare time, value and label.
  return { ...found, changes: found.changes.map(({ step: _step, ...change }) => change) };
};

const waveformError = (fn: () => unknown): WaveformError => {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(WaveformError);
  return error as WaveformError;
};

describe('buildWaveform', () => {
  describe('mapping', () => {
    it('makes an irq event a wire named after the line, low before its first rise (irq events come only on change)', () => {
      const model = buildWaveform({ events: [irq(0, false, 'other'), irq(100, true), irq(300, false)] });
      expect(signal(model, 'timer0.irq')).toStrictEqual({
        name: 'timer0.irq',
        kind: 'wire',
        width: 1,
        changes: [
          { time: 0, value: 0n },
          { time: 100, value: 1n },
          { time: 300, value: 0n },
        ],
      });
    });

    it('gives a line whose first event is at the window start no invented earlier value', () => {
      const model = buildWaveform({ events: [irq(100, true), irq(300, false)] });
      expect(model.start).toBe(100);
      expect(signal(model, 'timer0.irq').changes).toStrictEqual([
        { time: 100, value: 1n },
        { time: 300, value: 0n },
      ]);
    });

    it('makes counter samples a vector of the sample width', () => {
      const samples: CounterSample[] = [
        { time: 0, source: 'timer1.counter', value: 0xffffn, width: 16, forecast: held(0xffffn) },
        { time: 10, source: 'timer1.counter', value: 7n, width: 16, forecast: held(7n) },
      ];
      const model = buildWaveform({ events: [], samples });
      expect(model.signals).toStrictEqual([
        {
          name: 'timer1.counter',
          kind: 'vector',
          width: 16,
          changes: [
            { time: 0, step: 0, value: 0xffffn },
            { time: 10, step: 0, value: 7n },
          ],
        },
      ]);
    });

    it('labels guest reads and writes with the register name, reads in decimal and writes in hex', () => {
      const model = buildWaveform({ events: [write(0, 0x0, 3), read(50, 0x4, 12), read(60, 0xc, 1)] }, { registerName });
      expect(signal(model, 'guest.timer0.write')).toStrictEqual({
        name: 'guest.timer0.write',
        kind: 'event',
        width: 1,
        changes: [{ time: 0, value: 1n, label: 'W CTRL=0x3' }],
      });
      expect(signal(model, 'guest.timer0.read').changes).toStrictEqual([
        { time: 50, value: 1n, label: 'R VALUE=12' },
        { time: 60, value: 1n, label: 'R INTSTATUS=1' },
      ]);
    });

    it('holds the last value read in a 32-bit read_value vector, unknown before the first read', () => {
      const model = buildWaveform({ events: [write(0, 0, 1), read(50, 0x4, 12), read(60, 0xc, 1)] });
      expect(signal(model, 'guest.timer0.read_value')).toStrictEqual({
        name: 'guest.timer0.read_value',
        kind: 'vector',
        width: 32,
        changes: [
          { time: 50, value: 12n },
          { time: 60, value: 1n },
        ],
      });
    });

    it('widens read_value to 64 bits after an 8-byte read', () => {
      const big: TraceEvent = { time: 5, source: 'timer0', kind: 'read', offset: 0x10, size: 8, value: 2 ** 40 };
      const model = buildWaveform({ events: [read(0, 0, 1), big] });
      expect(signal(model, 'guest.timer0.read_value').width).toBe(64);
      expect(signal(model, 'guest.timer0.read_value').changes.at(-1)).toStrictEqual({ time: 5, value: 2n ** 40n });
    });

    it('falls back to the hex offset without a register name, and shows why a refused access failed', () => {
      const refused: TraceEvent = { time: 7, source: 'timer0', kind: 'read', offset: 0x40, size: 4, value: 0, error: 'unmapped' };
      const locked: TraceEvent = { time: 8, source: 'timer0', kind: 'write', offset: 0x8, size: 4, value: 255, error: 'locked' };
      const model = buildWaveform({ events: [read(1, 0x4, 9), refused, locked] }, { registerName });
      expect(signal(model, 'guest.timer0.read').changes.map((c) => c.label)).toStrictEqual([
        'R VALUE=9',
        'R 0x40=0 (unmapped)',
      ]);
      expect(signal(model, 'guest.timer0.write').changes.map((c) => c.label)).toStrictEqual(['W 0x8=0xff (locked)']);
    });

    it('keeps one signal set per device', () => {
      const model = buildWaveform({ events: [read(0, 0, 1, 'timer0'), read(1, 0, 2, 'timer1')] });
      expect(model.signals.map((s) => s.name)).toStrictEqual([
        'guest.timer0.read',
        'guest.timer0.read_value',
        'guest.timer1.read',
        'guest.timer1.read_value',
      ]);
    });

    it('maps expiry, bottom-half trigger, guest-error, unimplemented, violation and mark to labelled events', () => {
      const events: TraceEvent[] = [
        { time: 10, source: 'dev', kind: 'expiry', timer: 'dev.t0', cause: 'commit' },
        { time: 11, source: 'dev', kind: 'trigger', timer: 'dev.t0', delivery: 'bottom-half' },
        { time: 12, source: 'dev', kind: 'trigger', timer: 'dev.t0', delivery: 'sync' },
        { time: 13, source: 'dev', kind: 'guest-error', offset: 0x4, size: 2, reason: 'bad-size', detail: 'VALUE is 32-bit' },
        { time: 14, source: 'dev', kind: 'unimplemented', offset: 0, feature: 'CTRL.SELEXTEN' },
        { time: 15, source: 'check', kind: 'violation', message: 'count reloaded, IRQ not pending' },
        { time: 16, source: 'test', kind: 'mark', label: 'count', data: { n: 2n ** 64n - 1n } },
        { time: 17, source: 'test', kind: 'mark', label: 'phase' },
      ];
      const model = buildWaveform({ events }, { registerName });
      const seen = model.signals.map((s) => [s.name, s.kind, s.changes.map((c) => [c.time, c.value, c.label])]);
      expect(seen).toStrictEqual([
        ['check.violation', 'event', [[15, 1n, 'violation: count reloaded, IRQ not pending']]],
        ['dev.guest-error', 'event', [[13, 1n, 'bad-size at VALUE: VALUE is 32-bit']]],
        ['dev.t0.bottom-half', 'event', [[11, 1n, 'bottom-half trigger']]],
        ['dev.t0.expiry', 'event', [[10, 1n, 'commit']]],
        ['dev.unimplemented', 'event', [[14, 1n, 'CTRL.SELEXTEN']]],
        ['test.count', 'event', [[16, 1n, 'count={"n":"18446744073709551615"}']]],
        ['test.phase', 'event', [[17, 1n, 'phase']]],
      ]);
    });

    it('sorts signals by name (code unit order), whatever appeared first', () => {
      const model = buildWaveform({
        events: [irq(0, true, 'z.irq'), read(1, 0, 1, 'B'), irq(2, true, 'a.irq')],
        samples: [counter(0, 1n, 'm.counter')],
      });
      expect(model.signals.map((s) => s.name)).toStrictEqual(['a.irq', 'guest.B.read', 'guest.B.read_value', 'm.counter', 'z.irq']);
    });

    it('returns an empty model for no input', () => {
      expect(buildWaveform({ events: [] })).toStrictEqual({ signals: [], start: 0, end: 0 });
    });
  });

  describe('window', () => {
    const events = [irq(100, true), read(150, 4, 5), irq(300, false), read(350, 4, 6), irq(500, true)];
    const samples = [counter(0, 9n), counter(120, 8n), counter(240, 7n), counter(400, 6n)];

    it('defaults to the earliest and latest instant of events and samples', () => {
      const model = buildWaveform({ events, samples });
      expect([model.start, model.end]).toStrictEqual([0, 500]);
    });

    it('drops changes outside [from, to] but keeps each wire and vector value at from', () => {
      const model = buildWaveform({ events, samples }, { from: 200, to: 400, registerName });
      expect([model.start, model.end]).toStrictEqual([200, 400]);
      expect(signal(model, 'timer0.irq').changes).toStrictEqual([
        { time: 200, value: 1n },
        { time: 300, value: 0n },
      ]);
      expect(signal(model, 'timer0.counter').changes).toStrictEqual([
        { time: 200, value: 8n },
        { time: 240, value: 7n },
        { time: 400, value: 6n },
      ]);
      expect(signal(model, 'guest.timer0.read_value').changes).toStrictEqual([
        { time: 200, value: 5n },
        { time: 350, value: 6n },
      ]);
      expect(signal(model, 'guest.timer0.read').changes).toStrictEqual([{ time: 350, value: 1n, label: 'R VALUE=6' }]);
    });

    it('keeps the carried value before changes at exactly from', () => {
      const model = buildWaveform({ events: [irq(100, true), irq(200, false), irq(200, true)] }, { from: 200 });
      expect(signal(model, 'timer0.irq').changes).toStrictEqual([
        { time: 200, value: 1n },
        { time: 200, value: 0n },
        { time: 200, value: 1n },
      ]);
    });

    it('infers the irq level at from when its first event comes later', () => {
      const model = buildWaveform({ events: [irq(300, true)] }, { from: 100, to: 200 });
      expect(signal(model, 'timer0.irq').changes).toStrictEqual([{ time: 100, value: 0n }]);
    });

    it('keeps a signal with nothing in the window, so windows of one run list the same signals', () => {
      const model = buildWaveform({ events }, { from: 300, to: 340 });
      expect(model.signals.map((s) => [s.name, s.changes.length])).toStrictEqual([
        ['guest.timer0.read', 0],
        ['guest.timer0.read_value', 1],
        ['timer0.irq', 2],
      ]);
    });

    it('leaves out a read_value that is unknown throughout the window (no read at or before its end): no all-x row', () => {
      const model = buildWaveform({ events }, { from: 0, to: 50 });
      expect(model.signals.map((s) => [s.name, s.changes.length])).toStrictEqual([
        ['guest.timer0.read', 0],
        ['timer0.irq', 1],
      ]);
      expect(buildWaveform({ events }, { from: 0, to: 150 }).signals.map((s) => s.name)).toContain('guest.timer0.read_value');
    });

    it('with only from, ends at the latest instant (or at from when that is later)', () => {
      expect(buildWaveform({ events }, { from: 300 }).end).toBe(500);
      expect(buildWaveform({ events }, { from: 900 }).end).toBe(900);
      expect(buildWaveform({ events }, { to: 50 }).start).toBe(50);
    });
  });

  describe('counters: a value shown at an instant is the value then', () => {
    const ticking = (time: number, value: bigint, period: number, until = Infinity): CounterSample => ({
      time,
      source: 'timer0.counter',
      value,
      width: 32,
      forecast: countdown(time, value, period, until),
    });
    const changes = (model: WaveformModel): [number, bigint | undefined][] => signal(model, 'timer0.counter').changes.map((c) => [c.time, c.value]);

    it('draws every change a forecast gives up to the next sample, from the sample on', () => {
      // 9 at 0, one less every 10 ns; reprogrammed at 35 to 100, one less every 20 ns
      const model = buildWaveform({ events: [], samples: [ticking(0, 9n, 10), ticking(35, 100n, 20)] }, { to: 80 });
      expect(changes(model)).toStrictEqual([
        [0, 9n],
        [10, 8n],
        [20, 7n],
        [30, 6n],
        [35, 100n],
        [55, 99n],
        [75, 98n],
      ]);
    });

    it('a tick at the next sample instant comes first: the count changes at the start of its instant, before the work there', () => {
      const model = buildWaveform({ events: [], samples: [ticking(0, 3n, 10), ticking(20, 50n, 10)] }, { to: 20 });
      const counter = model.signals.find((s) => s.name === 'timer0.counter')!;
      expect(counter.changes.map((c) => [c.time, c.value, c.step])).toStrictEqual([
        [0, 3n, 0],
        [10, 2n, 0],
        [20, 1n, 0], // the tick, before any work at 20
        [20, 50n, 0], // the sample after the work (no trace event at 20, so it is first of the samples)
      ]);
    });

    it('starts a window with the forecast value at from, not the value sampled before it', () => {
      const model = buildWaveform({ events: [], samples: [ticking(0, 1000n, 1000)] }, { from: 996_000, to: 998_500 });
      expect(changes(model)).toStrictEqual([
        [996_000, 4n],
        [997_000, 3n],
        [998_000, 2n],
      ]);
    });

    it('without a forecast, a sample is known at its instant only: up to the next sample it is unknown, never held', () => {
      const samples: CounterSample[] = [
        { time: 0, source: 'timer0.counter', value: 9n, width: 32 },
        { time: 10, source: 'timer0.counter', value: 9n, width: 32 },
        { time: 11, source: 'timer0.counter', value: 5n, width: 32 },
      ];
      const model = buildWaveform({ events: [], samples }, { to: 30 });
      expect(signal(model, 'timer0.counter').changes).toStrictEqual([
        { time: 0, value: 9n },
        { time: 1, value: undefined, label: 'counting: sampled only (the probe has no forecast)' },
        { time: 10, value: 9n },
        { time: 11, value: 5n },
        { time: 12, value: undefined, label: 'counting: sampled only (the probe has no forecast)' },
      ]);
      // A window that starts between samples starts unknown.
      expect(signal(buildWaveform({ events: [], samples }, { from: 5, to: 9 }), 'timer0.counter').changes).toStrictEqual([
        { time: 5, value: undefined, label: 'counting: sampled only (the probe has no forecast)' },
      ]);
    });

    it('past the cap, the counter is unknown to the end of the window: later samples show nothing', () => {
      const samples = [ticking(0, 9n, 10), ticking(100, 50n, 10), ticking(200, 20n, 10)];
      const model = buildWaveform({ events: [], samples }, { to: 230, maxChanges: 3 });
      const label = 'counting: more than 3 changes in the window';
      expect(signal(model, 'timer0.counter').changes).toStrictEqual([
        { time: 0, value: 9n },
        { time: 10, value: 8n },
        { time: 20, value: 7n },
        { time: 30, value: 6n },
        { time: 40, value: undefined, label },
      ]);
      expect(changes(buildWaveform({ events: [], samples }, { to: 230, maxChanges: 0 }))[1]).toStrictEqual([10, undefined]);
    });

    it("a sample's new value counts against the cap as a forecast's change does; an unchanged one is free", () => {
      // 9 at 0 holds (no forecast changes), then samples at 100 (still 9: free) and 200 (4: counted).
      const samples = [counter(0, 9n), counter(100, 9n), counter(200, 4n), counter(300, 5n)];
      const label = 'counting: more than 1 changes in the window';
      expect(signal(buildWaveform({ events: [], samples }, { to: 400, maxChanges: 1 }), 'timer0.counter').changes).toStrictEqual([
        { time: 0, value: 9n },
        { time: 100, value: 9n },
        { time: 200, value: 4n },
        { time: 300, value: undefined, label },
      ]);
    });

    it('however long the window, a counter past its cap writes at most maxChanges + 2 changes', () => {
      const samples = Array.from({ length: 2_000 }, (_, i) => ticking(i * 100, 50n + BigInt(i % 7), 10));
      for (const maxChanges of [0, 5, 50, 500]) {
        const n = signal(buildWaveform({ events: [], samples }, { to: 200_000, maxChanges }), 'timer0.counter').changes.length;
        expect(n).toBeLessThanOrEqual(maxChanges + 2);
      }
      // Unbounded, the same samples give a change every 10 ns.
      expect(signal(buildWaveform({ events: [], samples }, { to: 200_000, maxChanges: 1_000_000 }), 'timer0.counter').changes.length).toBeGreaterThan(10_000);
    });

    it('past a forecast with no sample after it (its expiry was not sampled), the counter is unknown', () => {
      const model = buildWaveform({ events: [], samples: [ticking(0, 3n, 10, 30)] }, { to: 50 });
      expect(signal(model, 'timer0.counter').changes).toStrictEqual([
        { time: 0, value: 3n },
        { time: 10, value: 2n },
        { time: 20, value: 1n },
        { time: 30, value: undefined, label: 'counting: past its forecast (not sampled after the expiry)' },
      ]);
    });

    it('rejects a malformed forecast and a bad cap', () => {
      const bad = { time: 0, source: 'c', value: 1n, width: 8, forecast: { until: 5 } } as unknown as CounterSample;
      expect(waveformError(() => buildWaveform({ events: [], samples: [bad] })).message).toBe(
        'buildWaveform(samples[0].forecast): {"until":5} is invalid: must be a ValueForecast ({ until, valueAt, nextChange }) when present',
      );
      expect(waveformError(() => buildWaveform({ events: [] }, { maxChanges: -1 })).message).toBe(
        'buildWaveform(options.maxChanges): -1 is invalid: must be a non-negative safe integer',
      );
    });
  });

  describe('same instant', () => {
    it('G4: keeps changes at one instant in the order they happened, on wires and events', () => {
      const model = buildWaveform(
        {
          events: [
            irq(0, false),
            read(100, 0x4, 0), // the guest sees the reloaded counter...
            irq(100, true), // ...before the IRQ rises (the bottom-half race)
            read(100, 0xc, 1),
            irq(100, false),
            write(100, 0xc, 1),
          ],
        },
        { registerName },
      );
      expect(signal(model, 'timer0.irq').changes).toStrictEqual([
        { time: 0, value: 0n },
        { time: 100, value: 1n },
        { time: 100, value: 0n },
      ]);
      expect(signal(model, 'guest.timer0.read').changes.map((c) => c.label)).toStrictEqual(['R VALUE=0', 'R INTSTATUS=1']);
      expect(signal(model, 'guest.timer0.read_value').changes).toStrictEqual([
        { time: 100, value: 0n },
        { time: 100, value: 1n },
      ]);
    });
  });

  describe('errors', () => {
    it('rejects from after to, naming both', () => {
      const error = waveformError(() => buildWaveform({ events: [] }, { from: 20, to: 10 }));
      expect(error.message).toBe('buildWaveform(options.from): 20 is invalid: must not be after options.to (10)');
      expect(error.value).toBe(20);
    });

    it.each([
      ['a fraction', 1.5],
      ['a negative time', -1],
      ['NaN', Number.NaN],
    ])('rejects %s as an event time', (_what, time) => {
      const error = waveformError(() => buildWaveform({ events: [irq(0, true), irq(time, false)] }));
      expect(error.message).toBe(
        `buildWaveform(events[1].time): ${String(time)} is invalid: must be a non-negative safe integer (ns)`,
      );
    });

    it('rejects a non-integer window bound', () => {
      expect(waveformError(() => buildWaveform({ events: [] }, { to: 2.5 })).message).toBe(
        'buildWaveform(options.to): 2.5 is invalid: must be a non-negative safe integer (ns)',
      );
    });

    it('rejects a time going backwards within one signal', () => {
      const error = waveformError(() => buildWaveform({ events: [irq(100, true), read(50, 0, 1), irq(90, false)] }));
      expect(error.message).toBe(
        'buildWaveform(events[2].time): 90 is invalid: must not be before the previous change of "timer0.irq" (100)',
      );
    });

    it('accepts signals recorded one after another (order matters only within a signal)', () => {
      const model = buildWaveform({ events: [], samples: [counter(100, 1n, 'a.counter'), counter(0, 2n, 'b.counter')] });
      expect(model.signals.map((s) => s.changes[0]?.time)).toStrictEqual([100, 0]);
    });

    it('rejects a sample value that does not fit its width', () => {
      const error = waveformError(() =>
        buildWaveform({ events: [], samples: [{ time: 0, source: 'c', value: 256n, width: 8 }] }),
      );
      expect(error.message).toBe('buildWaveform(samples[0].value): 256n is invalid: must be an unsigned bigint that fits 8 bits');
    });

    it('rejects samples of one source with different widths', () => {
      const samples: CounterSample[] = [
        { time: 0, source: 'c', value: 1n, width: 8 },
        { time: 1, source: 'c', value: 1n, width: 16 },
      ];
      expect(waveformError(() => buildWaveform({ events: [], samples })).message).toBe(
        'buildWaveform(samples[1].width): 16 is invalid: must equal the width of "c" (8) set by samples[0]',
      );
    });

    it('rejects one name used for signals of different kinds', () => {
      const mark: TraceEvent = { time: 5, source: 'timer0', kind: 'mark', label: 'irq' };
      expect(waveformError(() => buildWaveform({ events: [irq(0, true), mark] })).message).toBe(
        'buildWaveform(events[1]): "timer0.irq" is invalid: names an event, but events[0] made it a wire',
      );
    });

    it('rejects an unknown event kind', () => {
      const odd = { time: 0, source: 's', kind: 'reload' } as unknown as TraceEvent;
      expect(waveformError(() => buildWaveform({ events: [odd] })).message).toBe(
        'buildWaveform(events[0].kind): "reload" is invalid: must be a known trace event kind',
      );
    });
  });

  it('G4: numbers the changes of one instant across signals in trace order, samples after the events', () => {
    const model = buildWaveform({
      events: [read(10, 0x4, 3), irq(10, true), write(10, 0xc, 1), irq(10, false), read(20, 0x4, 2)],
      samples: [counter(10, 9n)],
    });
    const steps = (name: string): (number | undefined)[] => model.signals.find((s) => s.name === name)!.changes.map((c) => c.step);
    expect(steps('guest.timer0.read')).toEqual([0, 0]);
    expect(steps('timer0.irq')).toEqual([1, 3]); // the window starts at the first change: no invented level
    expect(steps('guest.timer0.write')).toEqual([2]);
    expect(steps('timer0.counter')).toEqual([4]);
  });
});
