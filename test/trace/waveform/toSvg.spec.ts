import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buildWaveform,
  toSvg,
  WaveformError,
  type TraceEvent,
  type WaveSignal,
  type WaveformModel,
} from '../../../src/trace';
import { thrown } from '../../support/errors';
import { held } from '../../support/forecasts';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** The parsed `<svg>` element (after checking the text is well-formed XML). */
const svgOf = (text: string): XmlNode => {
  expect(XMLValidator.validate(text)).toBe(true);
  const svg = (parser.parse(text) as { svg?: XmlNode[] }).svg?.[0];
  if (svg === undefined) throw new Error('no <svg> root');
  return svg;
};

/** Every element below `node` (depth first, document order) that has attribute `attr`. */
const withAttr = (node: unknown, attr: string, found: XmlNode[] = []): XmlNode[] => {
  if (Array.isArray(node)) {
    for (const item of node) withAttr(item, attr, found);
  } else if (typeof node === 'object' && node !== null) {
    const element = node as XmlNode;
    if (`@_${attr}` in element) found.push(element);
    for (const [key, value] of Object.entries(element)) if (!key.startsWith('@_')) withAttr(value, attr, found);
  }
  return found;
};

/** Texts of the `<text>` and `<title>` elements below `node`, in document order. */
const textsOf = (node: unknown, tag: 'text' | 'title' = 'text', found: string[] = []): string[] => {
  if (Array.isArray(node)) {
    for (const item of node) textsOf(item, tag, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key.startsWith('@_')) continue;
      if (key === tag && Array.isArray(value)) {
        for (const v of value) found.push(typeof v === 'string' ? v : String((v as XmlNode)['#text'] ?? ''));
      }
      textsOf(value, tag, found);
    }
  }
  return found;
};

const attr = (node: XmlNode | undefined, name: string): string => String(node?.[`@_${name}`]);
const translateY = (node: XmlNode | undefined): number => {
  const m = /^translate\(0,([\d.]+)\)$/.exec(attr(node, 'transform'));
  if (m === null) throw new Error(`no translate in ${attr(node, 'transform')}`);
  return Number(m[1]);
};
const row = (svg: XmlNode, name: string): XmlNode => {
  const found = withAttr(svg, 'data-signal').find((g) => attr(g, 'data-signal') === name);
  if (found === undefined) throw new Error(`no row ${name}`);
  return found;
};

const EVENTS = (bottomHalf: boolean): TraceEvent[] => [
  { time: 0, source: 'timer0', kind: 'write', offset: 0, size: 4, value: 3 },
  { time: 100, source: 'timer0', kind: 'expiry', timer: 'timer0', cause: 'expiry' },
  ...(bottomHalf
    ? ([
        { time: 100, source: 'timer0', kind: 'read', offset: 0xc, size: 4, value: 0 },
        { time: 100, source: 'timer0.irq', kind: 'irq', level: true },
      ] as const)
    : ([
        { time: 100, source: 'timer0.irq', kind: 'irq', level: true },
        { time: 100, source: 'timer0', kind: 'read', offset: 0xc, size: 4, value: 1 },
      ] as const)),
  { time: 300, source: 'timer0.irq', kind: 'irq', level: false },
];
// Each value holds until the next sample (a forecast that never changes).
const SAMPLES = [
  { time: 0, source: 'timer0.counter', value: 3n, width: 32, forecast: held(3n) },
  { time: 50, source: 'timer0.counter', value: 2n, width: 32, forecast: held(2n) },
  { time: 100, source: 'timer0.counter', value: 1234n, width: 32, forecast: held(1234n) },
];
const names = (_s: string, offset: number): string | undefined => (offset === 0 ? 'CTRL' : offset === 0xc ? 'INTSTATUS' : undefined);
const LEGACY = buildWaveform({ events: EVENTS(true), samples: SAMPLES }, { to: 400, registerName: names });
const SYNC = buildWaveform({ events: EVENTS(false), samples: SAMPLES }, { to: 400, registerName: names });
const ALL = [
  'guest.timer0.read',
  'guest.timer0.read_value',
  'guest.timer0.write',
  'timer0.counter',
  'timer0.expiry',
  'timer0.irq',
];

const waveformError = (fn: () => unknown): WaveformError => {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(WaveformError);
  return error as WaveformError;
};

describe('toSvg', () => {
  it('is a well-formed standalone SVG document with no external fonts or CSS', () => {
    const text = toSvg(LEGACY);
    const svg = svgOf(text);
    expect(attr(svg, 'xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(attr(svg, 'font-family')).toBe('monospace');
    expect(text).not.toMatch(/<style|href=|@import|url\(/);
  });

  it('has one g[data-panel] per panel with its title, and one g[data-signal] per signal in model order', () => {
    const svg = svgOf(toSvg([{ title: 'bottom-half', model: LEGACY }, { title: 'sync', model: SYNC }]));
    const panels = withAttr(svg, 'data-panel');
    expect(panels.map((p) => attr(p, 'data-panel'))).toStrictEqual(['bottom-half', 'sync']);
    for (const panel of panels) {
      expect(withAttr(panel, 'data-signal').map((g) => attr(g, 'data-signal'))).toStrictEqual(ALL);
      expect(textsOf(panel)).toContain(attr(panel, 'data-panel'));
    }
  });

  it('stacks panels top to bottom, the second below all rows of the first', () => {
    const svg = svgOf(toSvg([{ title: 'bottom-half', model: LEGACY }, { title: 'sync', model: SYNC }]));
    const [first, second] = withAttr(svg, 'data-panel');
    const lastRowOfFirst = withAttr(first, 'data-signal').at(-1);
    expect(translateY(second)).toBeGreaterThan(translateY(first) + translateY(lastRowOfFirst));
    expect(Number(attr(svg, 'height'))).toBeGreaterThan(translateY(second));
  });

  it('draws a single model as one untitled panel', () => {
    const svg = svgOf(toSvg(SYNC));
    expect(withAttr(svg, 'data-panel').map((p) => attr(p, 'data-panel'))).toStrictEqual(['']);
  });

  it('labels each row with its signal name', () => {
    const svg = svgOf(toSvg(SYNC));
    for (const name of ALL) expect(textsOf(row(svg, name))[0]).toBe(name);
  });

  it('shows vectors as boxes holding the value in decimal, and events with their labels', () => {
    const svg = svgOf(toSvg(SYNC));
    expect(textsOf(row(svg, 'timer0.counter'))).toStrictEqual(['timer0.counter', '3', '2', '1234']);
    expect(withAttr(row(svg, 'timer0.counter'), 'points')).toHaveLength(3);
    expect(textsOf(row(svg, 'guest.timer0.write'))).toStrictEqual(['guest.timer0.write', 'W CTRL=0x3']);
    expect(textsOf(row(svg, 'guest.timer0.read'))).toStrictEqual(['guest.timer0.read', 'R INTSTATUS=1']);
  });

  it('draws a wire as a step line rising and falling at its changes', () => {
    const d = attr(withAttr(row(svgOf(toSvg(SYNC)), 'timer0.irq'), 'd')[0], 'd');
    // low until the rise, high until the fall, then low to the right edge: one H/V pair per change
    expect(d).toMatch(/^M[\d.]+ 19H[\d.]+V5H[\d.]+V19H[\d.]+$/);
  });

  it('G4: lists same-instant event labels in order, one line each, and draws a zero-width pulse as a spike', () => {
    const pulse: WaveSignal = {
      name: 'line',
      kind: 'wire',
      width: 1,
      changes: [
        { time: 0, value: 0n },
        { time: 50, value: 1n },
        { time: 50, value: 0n },
      ],
    };
    const reads: WaveSignal = {
      name: 'reads',
      kind: 'event',
      width: 1,
      changes: [
        { time: 50, value: 1n, label: 'R A=1' },
        { time: 50, value: 1n, label: 'R B=2' },
      ],
    };
    const svg = svgOf(toSvg({ start: 0, end: 100, signals: [pulse, reads] }));
    expect(textsOf(row(svg, 'reads'))).toStrictEqual(['reads', 'R A=1', 'R B=2']);
    const ys = withAttr(row(svg, 'reads'), 'y')
      .filter((t) => String(t['#text']).startsWith('R '))
      .map((t) => Number(attr(t, 'y')));
    expect(ys).toEqual([24, 37]); // one line below the other, under the marker
    expect(attr(withAttr(row(svg, 'line'), 'd')[0], 'd')).toMatch(/V5V19H/);
  });

  it('escapes text and attributes for XML', () => {
    const events: TraceEvent[] = [
      { time: 5, source: 'check', kind: 'violation', message: 'count < limit & "irq" off' },
      { time: 6, source: 'test', kind: 'mark', label: 'a<b&c' },
    ];
    const text = toSvg([{ title: 'race <&>', model: buildWaveform({ events }) }]);
    expect(text).toContain('violation: count &lt; limit &amp; &quot;irq&quot; off');
    expect(text).toContain('data-signal="test.a&lt;b&amp;c"');
    expect(text).toContain('data-panel="race &lt;&amp;&gt;"');
    const svg = svgOf(text);
    expect(textsOf(row(svg, 'check.violation'), 'title')).toStrictEqual(['violation: count < limit & "irq" off']);
    expect(withAttr(svg, 'data-signal').map((g) => attr(g, 'data-signal'))).toStrictEqual(['check.violation', 'test.a<b&c']);
    expect(attr(withAttr(svg, 'data-panel')[0], 'data-panel')).toBe('race <&>');
  });

  it('replaces characters XML 1.0 forbids, so any label still gives a well-formed document', () => {
    const events: TraceEvent[] = [{ time: 0, source: 'check', kind: 'violation', message: 'bell\u0007 nul\u0000 half\ud800' }];
    const text = toSvg(buildWaveform({ events }), { width: 2000 });
    expect(textsOf(row(svgOf(text), 'check.violation'), 'title')).toStrictEqual(['violation: bell\ufffd nul\ufffd half\ufffd']);
  });

  it('never cuts a label: blocks that would overlap go on lower lines (the row grows), and the marker keeps the text in its title', () => {
    const long = 'violation: the counter was read after the reload but before the interrupt became pending';
    const model: WaveformModel = {
      start: 0,
      end: 1000,
      signals: [
        {
          name: 'v',
          kind: 'event',
          width: 1,
          changes: [
            { time: 100, value: 1n, label: long },
            { time: 200, value: 1n, label: 'next' },
          ],
        },
        { name: 'w', kind: 'wire', width: 1, changes: [{ time: 0, value: 0n }] },
      ],
    };
    const svg = svgOf(toSvg(model, { width: 600 }));
    const g = row(svg, 'v');
    const lines = textsOf(g).slice(1);
    // Too long for the room right of its marker: wrapped at spaces, every word kept, in order.
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((l) => l !== 'next').join(' ')).toBe(long);
    expect(lines.every((l) => !l.includes('…'))).toBe(true);
    expect(textsOf(g, 'title').sort()).toEqual([long, 'next'].sort());
    // The row below starts after all of them.
    expect(translateY(row(svg, 'w')) - translateY(g)).toBeGreaterThanOrEqual(24 + (lines.length - 1) * 13);
  });

  it('puts a label that does not fit right of its marker on its left, and one too long for either side against the right edge, wrapped', () => {
    const model: WaveformModel = {
      start: 0,
      end: 100,
      signals: [{ name: 'e', kind: 'event', width: 1, changes: [{ time: 100, value: 1n, label: 'W CTRL=0x3' }] }],
    };
    const text = withAttr(row(svgOf(toSvg(model, { width: 400 })), 'e'), 'x').filter((t) => textsOf(t).length === 0 && t['#text'] === 'W CTRL=0x3');
    expect(text).toHaveLength(1);
    // the marker is at the plot's right end (372 px): the label ends left of it
    expect(Number(attr(text[0], 'x')) + 'W CTRL=0x3'.length * 6.6).toBeLessThanOrEqual(372 - 6 + 0.01);
  });

  describe('counters: never a value the counter does not have', () => {
    const counting = (changes: WaveSignal['changes']): WaveformModel => ({
      start: 0,
      end: 1000,
      signals: [{ name: 'c', kind: 'vector', width: 16, changes }],
    });

    it('draws an unknown span (value undefined) as a dashed counting box with the reason in its title', () => {
      const svg = svgOf(
        toSvg(
          counting([
            { time: 0, value: 9n },
            { time: 300, value: undefined, label: 'counting: more than 3 changes in the window' },
            { time: 700, value: 5n },
          ]),
        ),
      );
      const g = row(svg, 'c');
      expect(textsOf(g).sort()).toStrictEqual(['5', '9', 'c', 'counting']);
      expect(textsOf(g, 'title')).toStrictEqual(['counting: more than 3 changes in the window']);
      expect(withAttr(g, 'stroke-dasharray')).toHaveLength(1);
    });

    it('keeps the grey "never known" look before the first value, distinct from counting', () => {
      const g = row(svgOf(toSvg(counting([{ time: 500, value: 3n }]))), 'c');
      expect(textsOf(g)).toStrictEqual(['c', '3']);
      expect(withAttr(g, 'fill').some((n) => attr(n, 'fill') === '#e4e4e4')).toBe(true);
      expect(withAttr(g, 'stroke-dasharray')).toHaveLength(0);
    });

    it('draws values too close together for a digit as one counting box, saying how many and from what to what', () => {
      // 1000 at 0, one less every ns to 501 at 499 (held to 600), then 7: under a px each until 499
      const ticks = Array.from({ length: 500 }, (_, i) => ({ time: i, value: BigInt(1000 - i) }));
      const g = row(svgOf(toSvg(counting([...ticks, { time: 600, value: 7n }]))), 'c');
      expect(textsOf(g).sort()).toStrictEqual(['501', '7', 'c', 'counting']);
      expect(textsOf(g, 'title')).toStrictEqual(['counting: 499 values from 1000 to 502, too close to draw']);
    });

    it('cuts a value too long for its box with … and keeps its digits in a title', () => {
      const g = row(svgOf(toSvg(counting([{ time: 0, value: 65535n }, { time: 150, value: 1n }]), { width: 300 })), 'c');
      const cut = textsOf(g).filter((t) => t.endsWith('…'));
      expect(cut).toHaveLength(1);
      expect('65535'.startsWith(cut[0]!.slice(0, -1))).toBe(true);
      expect(textsOf(g, 'title')).toStrictEqual(['65535']);
    });
  });

  it('keeps only the signals asked for, by name or dotted prefix, in that order', () => {
    const extra = buildWaveform({
      events: [...EVENTS(false), { time: 1, source: 'timer01', kind: 'read', offset: 0, size: 4, value: 0 }],
    });
    const svg = svgOf(toSvg(extra, { signals: ['timer0.irq', 'guest.timer0', 'nothing'] }));
    expect(withAttr(svg, 'data-signal').map((g) => attr(g, 'data-signal'))).toStrictEqual([
      'timer0.irq',
      'guest.timer0.read',
      'guest.timer0.read_value',
      'guest.timer0.write',
    ]);
  });

  it.each([
    [500, ['0 ns', '100 ns', '200 ns', '300 ns', '400 ns', '500 ns']],
    [20_000, ['0 us', '5 us', '10 us', '15 us', '20 us']],
    [3_000_000, ['0 ms', '1 ms', '2 ms', '3 ms']],
  ])('labels about five round ticks in ns, us or ms (window of %i ns)', (end, ticks) => {
    const svg = svgOf(toSvg({ start: 0, end, signals: [] }));
    expect(textsOf(withAttr(svg, 'data-panel'))).toStrictEqual(ticks);
  });

  it('draws only the window given by from and to', () => {
    const svg = svgOf(toSvg(SYNC, { from: 200, to: 400 }));
    expect(textsOf(row(svg, 'guest.timer0.read'))).toStrictEqual(['guest.timer0.read']);
    expect(textsOf(row(svg, 'timer0.counter'))).toStrictEqual(['timer0.counter', '1234']);
  });

  it('is deterministic, with fixed-precision coordinates', () => {
    const text = toSvg([{ title: 'a', model: LEGACY }]);
    expect(toSvg([{ title: 'a', model: LEGACY }])).toBe(text);
    const points = [...text.matchAll(/points="([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split(/[ ,]/));
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => /^\d+(\.\d{2})?$/.test(p))).toBe(true);
  });

  describe('errors', () => {
    it('rejects from after to', () => {
      expect(waveformError(() => toSvg(SYNC, { from: 300, to: 200 })).message).toBe(
        'toSvg(options.from): 300 is invalid: must not be after options.to (200)',
      );
    });

    it('rejects a width too small to draw', () => {
      expect(waveformError(() => toSvg(SYNC, { width: 50 })).message).toBe(
        'toSvg(options.width): 50 is invalid: must be a finite number of px, at least 200',
      );
    });

    it('rejects an empty panel list and names the bad panel of a list', () => {
      expect(waveformError(() => toSvg([])).message).toBe('toSvg(panels): [] is invalid: must hold at least one panel');
      expect(waveformError(() => toSvg([{ title: 'a', model: SYNC }, { title: 'b', model: { ...SYNC, end: -1 } }])).message).toBe(
        'toSvg(panels[1].model.end): -1 is invalid: must be a non-negative safe integer (ns)',
      );
    });
  });
});
