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
const SAMPLES = [
  { time: 0, source: 'timer0.counter', value: 3n, width: 32 },
  { time: 50, source: 'timer0.counter', value: 2n, width: 32 },
  { time: 100, source: 'timer0.counter', value: 1234n, width: 32 },
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

  it('G4: joins same-instant event labels in order, and draws a zero-width pulse as a spike', () => {
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
    expect(textsOf(row(svg, 'reads'))).toStrictEqual(['reads', 'R A=1 | R B=2']);
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

  it('cuts a label to the room before the next event, keeping the full text in its title', () => {
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
      ],
    };
    const g = row(svgOf(toSvg(model, { width: 600 })), 'v');
    const [, shown] = textsOf(g);
    expect(shown?.endsWith('…')).toBe(true);
    expect(long.startsWith(shown?.slice(0, -1) ?? '-')).toBe(true);
    expect(textsOf(g, 'title')[0]).toBe(long);
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
