import { describe, expect, it } from 'vitest';
import { toWaveDrom, WaveformError, type WaveDromDiagram, type WaveDromLane, type WaveSignal, type WaveformModel } from '../../../src/trace';
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

/** Lane `i` of a diagram of one untitled model (plain lanes, no groups). */
const lane = (diagram: WaveDromDiagram, i = 0): WaveDromLane => {
  const found = diagram.signal[i];
  if (found === undefined || Array.isArray(found)) throw new Error(`signal[${i}] is not a lane`);
  return found as WaveDromLane;
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
    expect(lane(diagram).wave).toBe('0.10.');
    expect(diagram.foot?.text).toBe('1 slot = 25 ns, slot 0 = 0 ns');
  });

  it('counts slots from the model start', () => {
    const model: WaveformModel = { start: 1000, end: 1300, signals: [wire('w', [[1000, 1n], [1200, 0n]])] };
    expect(lane(toWaveDrom(model)).wave).toBe('1.0.');
    expect(toWaveDrom(model).foot?.text).toBe('1 slot = 100 ns, slot 0 = 1000 ns');
  });

  it('uses a given step: a wire changing twice in one slot shows its last value, a vector moving twice shows counting', () => {
    const diagram = toWaveDrom(MODEL, { step: 200 });
    expect(diagram.signal).toStrictEqual([
      { name: 'timer0.irq', wave: '010' },
      // slot 0 holds 3 then 2, slot 1 holds 1 then 0: no one value to show
      { name: 'timer0.counter', wave: '=.=', data: ['counting', '3'] },
      { name: 'guest.timer0.read', wave: '0=0', data: ['R VALUE=1'] },
    ]);
  });

  it('draws an unknown span of a vector (value undefined) as a counting box, and x only before it is first known', () => {
    const model: WaveformModel = {
      start: 0,
      end: 500,
      signals: [
        {
          name: 'c',
          kind: 'vector',
          width: 8,
          changes: [
            { time: 100, value: 9n },
            { time: 200, value: undefined, label: 'counting: more than 10 changes in the window' },
            { time: 400, value: 4n },
          ],
        },
      ],
    };
    expect(lane(toWaveDrom(model))).toStrictEqual({ name: 'c', wave: 'x==.=.', data: ['9', 'counting', '4'] });
  });

  it('G4: a same-instant race of a vector is one move (its last value), not counting', () => {
    const model: WaveformModel = {
      start: 0,
      end: 200,
      signals: [vector('c', 16, [[0, 1n], [100, 0n], [100, 1000n]])],
    };
    expect(lane(toWaveDrom(model))).toStrictEqual({ name: 'c', wave: '==.', data: ['1', '1000'] });
  });

  it('draws titled panels as groups of lanes in one diagram, on one time axis', () => {
    const sync: WaveformModel = { start: 0, end: 300, signals: [wire('timer0.irq', [[0, 0n], [300, 1n]])] };
    const diagram = toWaveDrom(
      [
        { title: 'bottom-half', model: MODEL },
        { title: 'sync', model: sync },
      ],
      { title: 'the race' },
    );
    expect(diagram.head).toStrictEqual({ text: 'the race' });
    expect(diagram.signal.map((g) => (Array.isArray(g) ? g[0] : 'lane'))).toStrictEqual(['bottom-half', 'sync']);
    const [, ...syncLanes] = diagram.signal[1] as readonly [string, ...WaveDromLane[]];
    // one slot grid for both (the bottom-half model ends later): 6 slots of 100 ns
    expect(syncLanes).toStrictEqual([{ name: 'timer0.irq', wave: '0..1..' }]);
    expect(diagram.foot).toStrictEqual({ text: '1 slot = 100 ns, slot 0 = 0 ns' });
    // an untitled panel gives plain lanes
    expect(toWaveDrom([{ title: '', model: sync }]).signal).toStrictEqual([{ name: 'timer0.irq', wave: '01' }]);
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
    it('throws when a given step needs more than maxSlots slots (default 512)', () => {
      const model: WaveformModel = { start: 0, end: 1000, signals: [wire('w', [[0, 0n], [1, 1n]])] };
      const error = waveformError(() => toWaveDrom(model, { step: 1 }));
      expect(error.message).toBe(
        'toWaveDrom(slots): 1001 is invalid: must be at most maxSlots (512) for 1000 ns at 1 ns per slot; pass a larger step or maxSlots, or build a narrower window',
      );
      expect(error.value).toBe(1001);
      expect(lane(toWaveDrom(model, { step: 1, maxSlots: 1001 })).wave).toHaveLength(1001);
      expect(lane(toWaveDrom(model, { step: 2 })).wave).toHaveLength(501);
    });

    it('without a step, fits maxSlots: the smallest gap if it fits, else the smallest round step that does', () => {
      const model: WaveformModel = { start: 0, end: 1000, signals: [wire('w', [[0, 0n], [1, 1n]])] };
      const diagram = toWaveDrom(model);
      expect(diagram.foot?.text).toBe('1 slot = 2 ns, slot 0 = 0 ns');
      expect(lane(diagram).wave).toHaveLength(501);
      const five = toWaveDrom(MODEL, { maxSlots: 5 });
      expect(five.foot?.text).toBe('1 slot = 200 ns, slot 0 = 0 ns');
      expect(lane(five).wave).toHaveLength(3);
    });

    it('honours a smaller maxSlots', () => {
      expect(waveformError(() => toWaveDrom(MODEL, { step: 100, maxSlots: 5 })).value).toBe(6);
    });

    it('rejects an empty panel list and a panel without a string title', () => {
      expect(waveformError(() => toWaveDrom([])).message).toBe('toWaveDrom(panels): [] is invalid: must hold at least one panel');
      expect(waveformError(() => toWaveDrom([{ title: 3, model: MODEL } as never])).message).toBe('toWaveDrom(panels[0].title): 3 is invalid: must be a string');
    });

    it('rejects a step that is not a positive number', () => {
      expect(waveformError(() => toWaveDrom(MODEL, { step: 0 })).message).toBe(
        'toWaveDrom(options.step): 0 is invalid: must be a positive finite number of ns',
      );
    });
  });
});
