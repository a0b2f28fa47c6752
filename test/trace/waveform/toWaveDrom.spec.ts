import { describe, expect, it } from 'vitest';
import { toWaveDrom, WaveformError, type WaveSignal, type WaveformModel } from '../../../src/trace';
import { thrown } from '../../support/errors';

const wire = (name: string, changes: [number, bigint][]): WaveSignal => ({
  name,
  kind: 'wire',
  width: 1,
  changes: changes.map(([time, value]) => ({ time, value })),
});
const vector = (name: string, width: number, changes: [number, bigint][]): WaveSignal => ({
  name,
  kind: 'vector',
  width,
  changes: changes.map(([time, value]) => ({ time, value })),
});
const events = (name: string, changes: [number, string?][]): WaveSignal => ({
  name,
  kind: 'event',
  width: 1,
  changes: changes.map(([time, label]) => (label === undefined ? { time, value: 1n } : { time, value: 1n, label })),
});

// slot (100 ns): 0    1    2    3    4    5
// irq:           0    .    1    .    0    .
// counter:       3    2    1    0    3    .
// read:          -    -    R=1  -    -    -
const MODEL: WaveformModel = {
  start: 0,
  end: 500,
  signals: [
    wire('timer0.irq', [[0, 0n], [200, 1n], [400, 0n]]),
    vector('timer0.counter', 8, [[0, 3n], [100, 2n], [200, 1n], [300, 0n], [400, 3n]]),
    events('guest.timer0.read', [[200, 'R VALUE=1']]),
  ],
};

const waveformError = (fn: () => unknown): WaveformError => {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(WaveformError);
  return error as WaveformError;
};

describe('toWaveDrom', () => {
  it('draws wires as 0/1 with dots, vectors as = boxes with data, events as labelled boxes', () => {
    expect(toWaveDrom(MODEL)).toStrictEqual({
      signal: [
        { name: 'timer0.irq', wave: '0.1.0.' },
        { name: 'timer0.counter', wave: '=====.', data: ['3', '2', '1', '0', '3'] },
        { name: 'guest.timer0.read', wave: '0.=0..', data: ['R VALUE=1'] },
      ],
      foot: { text: '1 slot = 100 ns, slot 0 = 0 ns' },
    });
  });

  it('derives the step from the smallest gap between instants (here 25 ns)', () => {
    const model: WaveformModel = { start: 0, end: 100, signals: [wire('w', [[0, 0n], [50, 1n], [75, 0n]])] };
    const diagram = toWaveDrom(model);
    expect(diagram.signal[0]?.wave).toBe('0.10.');
    expect(diagram.foot?.text).toBe('1 slot = 25 ns, slot 0 = 0 ns');
  });

  it('counts slots from the model start', () => {
    const model: WaveformModel = { start: 1000, end: 1300, signals: [wire('w', [[1000, 1n], [1200, 0n]])] };
    expect(toWaveDrom(model).signal[0]?.wave).toBe('1.0.');
    expect(toWaveDrom(model).foot?.text).toBe('1 slot = 100 ns, slot 0 = 1000 ns');
  });

  it('uses a given step, a wire or vector changing twice in one slot showing its last value', () => {
    const diagram = toWaveDrom(MODEL, { step: 200 });
    expect(diagram.signal).toStrictEqual([
      { name: 'timer0.irq', wave: '010' },
      { name: 'timer0.counter', wave: '===', data: ['2', '0', '3'] },
      { name: 'guest.timer0.read', wave: '0=0', data: ['R VALUE=1'] },
    ]);
  });

  it('G4: joins the labels of events in one slot in the order they happened', () => {
    const model: WaveformModel = {
      start: 0,
      end: 20,
      signals: [events('guest.t.read', [[10, 'R VALUE=0'], [10, 'R INTSTATUS=1'], [20, 'R VALUE=9']])],
    };
    expect(toWaveDrom(model).signal[0]).toStrictEqual({
      name: 'guest.t.read',
      wave: '0==',
      data: ['R VALUE=0, R INTSTATUS=1', 'R VALUE=9'],
    });
  });

  it('draws unlabelled events as P pulses, returning to 0 after each', () => {
    const model: WaveformModel = { start: 0, end: 4, signals: [events('e', [[1], [2], [4]])] };
    expect(toWaveDrom(model).signal[0]).toStrictEqual({ name: 'e', wave: '0PP0P' });
  });

  it('shows unknown values as x (before a wire or vector is first known)', () => {
    const model: WaveformModel = {
      start: 0,
      end: 30,
      signals: [wire('w', [[20, 1n]]), vector('v', 4, [[10, 5n]])],
    };
    expect(toWaveDrom(model).signal).toStrictEqual([
      { name: 'w', wave: 'x.1.' },
      { name: 'v', wave: 'x=..', data: ['5'] },
    ]);
  });

  it('carries a value set before the window into slot 0', () => {
    const model: WaveformModel = { start: 100, end: 200, signals: [vector('v', 8, [[0, 7n], [200, 8n]])] };
    expect(toWaveDrom(model).signal[0]).toStrictEqual({ name: 'v', wave: '==', data: ['7', '8'] });
  });

  it('puts a title in head', () => {
    expect(toWaveDrom(MODEL, { title: 'bottom-half' }).head).toStrictEqual({ text: 'bottom-half' });
    expect(toWaveDrom(MODEL)).not.toHaveProperty('head');
  });

  it('is plain JSON (round-trips through JSON.stringify)', () => {
    const diagram = toWaveDrom(MODEL);
    expect(JSON.parse(JSON.stringify(diagram))).toStrictEqual(diagram);
  });

  describe('errors', () => {
    it('throws when the window needs more than maxSlots slots (default 512)', () => {
      const model: WaveformModel = { start: 0, end: 1000, signals: [wire('w', [[0, 0n], [1, 1n]])] };
      const error = waveformError(() => toWaveDrom(model));
      expect(error.message).toBe(
        'toWaveDrom(slots): 1001 is invalid: must be at most maxSlots (512) for 1000 ns at 1 ns per slot; pass a larger step or maxSlots, or build a narrower window',
      );
      expect(error.value).toBe(1001);
      expect(toWaveDrom(model, { maxSlots: 1001 }).signal[0]?.wave).toHaveLength(1001);
      expect(toWaveDrom(model, { step: 2 }).signal[0]?.wave).toHaveLength(501);
    });

    it('honours a smaller maxSlots', () => {
      expect(waveformError(() => toWaveDrom(MODEL, { maxSlots: 5 })).value).toBe(6);
    });

    it('rejects a step that is not a positive number', () => {
      expect(waveformError(() => toWaveDrom(MODEL, { step: 0 })).message).toBe(
        'toWaveDrom(options.step): 0 is invalid: must be a positive finite number of ns',
      );
    });
  });
});
