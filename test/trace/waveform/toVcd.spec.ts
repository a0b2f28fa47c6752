import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  buildWaveform,
  toVcd,
  WaveformError,
  type CounterSample,
  type TraceEvent,
  type WaveSignal,
  type WaveformModel,
} from '../../../src/trace';
import { thrown } from '../../support/errors';
import { held } from '../../support/forecasts';

/** What vcd-parser 1.0 resolves to (see node_modules/vcd-parser/lib/vcd-parser.js): waves are [time, value] string pairs. */
interface ParsedSignal {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly refName: string;
  readonly signalName: string;
  readonly module: string;
  readonly wave: readonly (readonly [string, string])[];
}
interface ParsedVcd {
  readonly signal: readonly ParsedSignal[];
  readonly date?: string;
  readonly version?: string;
  readonly timescale?: string;
  readonly endtime: string;
}
const vcdParser = createRequire(import.meta.url)('vcd-parser') as { parse(text: string): Promise<ParsedVcd> };

const parsed = async (text: string): Promise<Map<string, ParsedSignal>> => {
  const data = await vcdParser.parse(text);
  return new Map(data.signal.map((s) => [s.name, s]));
};

/** The `#<time>` lines of a dump, in order. */
const timestamps = (text: string): number[] =>
  text
    .split('\n')
    .filter((line) => /^#\d+$/.test(line))
    .map((line) => Number(line.slice(1)));

/** The lines written at one timestamp (up to the next one). */
const linesAt = (text: string, time: number): string[] => {
  const lines = text.split('\n');
  const at = lines.indexOf(`#${time}`);
  if (at < 0) return [];
  const rest = lines.slice(at + 1);
  const next = rest.findIndex((line) => line.startsWith('#'));
  return (next < 0 ? rest : rest.slice(0, next)).filter((line) => line !== '');
};

const varLines = (text: string): RegExpMatchArray[] =>
  text.split('\n').flatMap((line) => {
    const m = /^\$var (\w+) (\d+) (\S+) (\S+) \$end$/.exec(line);
    return m === null ? [] : [m];
  });

const wire = (name: string, changes: [number, bigint][]): WaveSignal => ({
  name,
  kind: 'wire',
  width: 1,
  changes: changes.map(([time, value]) => ({ time, value })),
});

// A small hand-made trace: a counter counting down, the guest reading it, an IRQ pulse.
//   time:      0    100   150   200        250   300
//   counter:   5    4           3                2
//   read:                 R=3   R=1 (INTSTATUS)
//   irq:       0                1          0
const EVENTS: readonly TraceEvent[] = [
  { time: 150, source: 'timer0', kind: 'read', offset: 0x4, size: 4, value: 3 },
  { time: 200, source: 'timer0.irq', kind: 'irq', level: true },
  { time: 200, source: 'timer0', kind: 'read', offset: 0xc, size: 4, value: 1 },
  { time: 250, source: 'timer0.irq', kind: 'irq', level: false },
];
// Each value holds until the next sample (a forecast that never changes).
const SAMPLES: readonly CounterSample[] = [5n, 4n, 3n, 2n].map((value, i) => ({
  time: i * 100,
  source: 'timer0.counter',
  value,
  width: 8,
  forecast: held(value),
}));
const MODEL = buildWaveform({ events: EVENTS, samples: SAMPLES });

describe('toVcd', () => {
  describe('value changes (read back with vcd-parser)', () => {
    it('dumps an irq wire rising and falling', async () => {
      const irq = (await parsed(toVcd(MODEL))).get('ptimer_rx.timer0.irq');
      expect(irq).toMatchObject({ type: 'wire', size: 1, signalName: 'irq', module: 'timer0' });
      expect(irq?.wave).toStrictEqual([
        ['0', '0'],
        ['200', '1'],
        ['250', '0'],
      ]);
    });

    it('dumps a counter as a reg vector of its width, in binary', async () => {
      const count = (await parsed(toVcd(MODEL))).get('ptimer_rx.timer0.counter');
      expect(count).toMatchObject({ type: 'reg', size: 8 });
      expect(count?.wave).toStrictEqual([
        ['0', '101'],
        ['100', '100'],
        ['200', '11'],
        ['300', '10'],
      ]);
    });

    it('writes an unknown span of a counter (value undefined) as bx, never the last value held', async () => {
      const model: WaveformModel = {
        start: 0,
        end: 100,
        signals: [
          {
            name: 'c',
            kind: 'vector',
            width: 4,
            changes: [
              { time: 0, value: 9n },
              { time: 10, value: undefined, label: 'counting: more than 1 changes in the window' },
              { time: 50, value: 3n },
            ],
          },
        ],
      };
      const text = toVcd(model);
      expect(text).toContain('#10\nbx !\n#50\nb11 !');
      expect((await parsed(text)).get('ptimer_rx.c')?.wave).toStrictEqual([
        ['0', '1001'],
        ['10', 'x'],
        ['50', '11'],
      ]);
    });

    it('dumps guest reads as events, and the value read as a vector unknown (x) until the first read', async () => {
      const signals = await parsed(toVcd(MODEL));
      expect(signals.get('ptimer_rx.guest.timer0.read')).toMatchObject({ type: 'event', size: 1 });
      expect(signals.get('ptimer_rx.guest.timer0.read')?.wave).toStrictEqual([
        ['150', '1'],
        ['200', '1'],
      ]);
      expect(signals.get('ptimer_rx.guest.timer0.read_value')?.wave).toStrictEqual([
        ['0', 'x'],
        ['150', '11'],
        ['200', '1'],
      ]);
      expect(toVcd(MODEL)).toContain('\n$dumpvars\nbx ');
    });

    it('writes nothing for a variable whose value did not change', async () => {
      const model: WaveformModel = {
        start: 0,
        end: 30,
        signals: [wire('a', [[0, 1n], [10, 1n], [20, 0n]])],
      };
      expect((await parsed(toVcd(model))).get('ptimer_rx.a')?.wave).toStrictEqual([
        ['0', '1'],
        ['20', '0'],
      ]);
    });

    it('starts each wire at its value carried into the window, and shows an unknown wire as x', async () => {
      const model: WaveformModel = {
        start: 100,
        end: 200,
        signals: [wire('held', [[0, 1n], [150, 0n]]), wire('late', [[180, 1n]])],
      };
      const signals = await parsed(toVcd(model));
      expect(signals.get('ptimer_rx.held')?.wave).toStrictEqual([
        ['100', '1'],
        ['150', '0'],
      ]);
      expect(signals.get('ptimer_rx.late')?.wave).toStrictEqual([
        ['100', 'x'],
        ['180', '1'],
      ]);
    });

    it('writes an event at the start instant after the $dumpvars block', async () => {
      const model: WaveformModel = {
        start: 0,
        end: 10,
        signals: [{ name: 'e', kind: 'event', width: 1, changes: [{ time: 0, value: 1n }] }],
      };
      const text = toVcd(model);
      expect(linesAt(text, 0)).toStrictEqual(['$dumpvars', '$end', '1!']);
      expect((await parsed(text)).get('ptimer_rx.e')?.wave).toStrictEqual([['0', '1']]);
    });
  });

  describe('same instant', () => {
    // At t=50: p pulses 0→1→0, q goes 0→1→0→1, v goes 3 then 4, e occurs twice.
    const model: WaveformModel = {
      start: 0,
      end: 100,
      signals: [
        wire('p', [[0, 0n], [50, 1n], [50, 0n]]),
        wire('q', [[0, 0n], [50, 1n], [50, 0n], [50, 1n]]),
        {
          name: 'v',
          kind: 'vector',
          width: 4,
          changes: [
            { time: 0, value: 1n },
            { time: 50, value: 3n },
            { time: 50, value: 4n },
          ],
        },
        {
          name: 'e',
          kind: 'event',
          width: 1,
          changes: [
            { time: 50, value: 1n, label: 'first' },
            { time: 50, value: 1n, label: 'second' },
          ],
        },
      ],
    };

    it('keeps the last value of a wire or vector, drops a zero-width pulse, writes a repeated event once', () => {
      expect(linesAt(toVcd(model), 50)).toStrictEqual(['1"', 'b100 #', '1$']);
    });

    it('is read back the same way', async () => {
      const signals = await parsed(toVcd(model));
      expect(signals.get('ptimer_rx.p')?.wave).toStrictEqual([['0', '0']]);
      expect(signals.get('ptimer_rx.q')?.wave).toStrictEqual([
        ['0', '0'],
        ['50', '1'],
      ]);
      expect(signals.get('ptimer_rx.e')?.wave).toStrictEqual([['50', '1']]);
    });

    it('writes strictly increasing timestamps, one per instant, ending at the window end', () => {
      const text = toVcd({ ...MODEL, end: 1000 });
      expect(timestamps(text)).toStrictEqual([0, 100, 150, 200, 250, 300, 1000]);
      expect(text.endsWith('\n#1000\n')).toBe(true);
      expect(timestamps(toVcd(model))).toStrictEqual([0, 50, 100]);
    });
  });

  describe('header', () => {
    it('has $version, $timescale 1ns and $enddefinitions, and no $date unless given', async () => {
      const text = toVcd(MODEL);
      expect(text.startsWith('$version\n  ptimer-rx\n$end\n$timescale 1ns $end\n$scope module ptimer_rx $end\n')).toBe(true);
      expect(text).not.toContain('$date');
      expect(text.split('\n').filter((line) => line === '$enddefinitions $end')).toHaveLength(1);
      expect(text.indexOf('$enddefinitions $end')).toBeLessThan(text.indexOf('\n#0\n'));
      const data = await vcdParser.parse(text);
      expect(data.timescale).toBe('1ns');
      expect(data.version).toBe('ptimer-rx');
    });

    it('writes $date, $version and the top scope when given', async () => {
      const text = toVcd(MODEL, { date: 'Mon Jan  1 00:00:00 2024', version: 'scenario 7', scope: 'top' });
      expect(text.startsWith('$date\n  Mon Jan  1 00:00:00 2024\n$end\n$version\n  scenario 7\n$end\n')).toBe(true);
      const data = await vcdParser.parse(text);
      expect(data.signal.map((s) => s.name)).toContain('top.timer0.irq');
    });

    it('nests one $scope per dotted prefix and closes each', () => {
      const text = toVcd(MODEL);
      expect(text).toContain(
        [
          '$scope module guest $end',
          '$scope module timer0 $end',
          '$var event 1 ! read $end',
          '$var reg 32 " read_value $end',
          '$upscope $end',
          '$upscope $end',
          '$scope module timer0 $end',
          '$var reg 8 # counter $end',
          '$var wire 1 $ irq $end',
          '$upscope $end',
          '$upscope $end',
          '$enddefinitions $end',
        ].join('\n'),
      );
      const scopes = text.split('\n').filter((line) => line.startsWith('$scope ')).length;
      expect(text.split('\n').filter((line) => line === '$upscope $end')).toHaveLength(scopes);
    });

    it('replaces whitespace and $ in names, which would break the $var line', () => {
      const model = buildWaveform({ events: [{ time: 0, source: 'test', kind: 'mark', label: 'my $mark' }] });
      expect(varLines(toVcd(model)).map((m) => m[4])).toStrictEqual(['my__mark']);
    });

    it('gives more than 94 signals distinct printable identifier codes', async () => {
      const count = 150;
      const signals = Array.from({ length: count }, (_, i) => wire(`bank.w${i}`, [[0, 0n], [10 + i, 1n]]));
      const text = toVcd({ start: 0, end: 200, signals });
      const ids = varLines(text).map((m) => m[3] ?? '');
      expect(new Set(ids).size).toBe(count);
      expect(ids.every((id) => [...id].every((ch) => ch.charCodeAt(0) >= 33 && ch.charCodeAt(0) <= 126))).toBe(true);
      expect(ids.slice(0, 94).every((id) => id.length === 1)).toBe(true);
      expect(ids.slice(94).every((id) => id.length === 2)).toBe(true);
      const read = await parsed(text);
      for (let i = 0; i < count; i++) {
        expect(read.get(`ptimer_rx.bank.w${i}`)?.wave).toStrictEqual([
          ['0', '0'],
          [String(10 + i), '1'],
        ]);
      }
    });
  });

  describe('errors', () => {
    const error = (fn: () => unknown): WaveformError => {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(WaveformError);
      return e as WaveformError;
    };

    it('rejects a date or version that would close its section early', () => {
      expect(error(() => toVcd(MODEL, { date: 'today $end' })).message).toBe(
        "toVcd(options.date): \"today $end\" is invalid: must not contain '$end' (it would close the section)",
      );
    });

    it('rejects a scope name with whitespace', () => {
      expect(error(() => toVcd(MODEL, { scope: 'my scope' })).message).toBe(
        'toVcd(options.scope): "my scope" is invalid: must be a non-empty name of printable ASCII without whitespace or $',
      );
    });

    it('rejects a malformed model, naming the field', () => {
      const bad: WaveformModel = { start: 0, end: 10, signals: [wire('w', [[0, 2n]])] };
      expect(error(() => toVcd(bad)).message).toBe(
        'toVcd(model.signals[0].changes[0].value): 2n is invalid: must be 0n or 1n for a wire',
      );
      expect(error(() => toVcd({ start: 5, end: 1, signals: [] })).message).toBe(
        'toVcd(model.start): 5 is invalid: must not be after model.end (1)',
      );
    });
  });
});
