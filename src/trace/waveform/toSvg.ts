import { checkWaveformModel, isWaveTime } from './checkWaveformModel';
import { WaveformError } from './errors';
import { signalWindow } from './signalWindow';
import type { WaveSignal, WaveformModel } from './WaveformModel';

/** One titled waveform in a {@link toSvg} drawing. */
export interface SvgPanel {
  /** Shown above the panel (and as its `data-panel` attribute); `''` draws no title. */
  readonly title: string;
  /** The waveform drawn in the panel. */
  readonly model: WaveformModel;
}

/** Options of {@link toSvg}. */
export interface ToSvgOptions {
  /** Drawing width in px (default 960, at least 200). */
  readonly width?: number;
  /** First instant drawn (ns); default: the earliest panel start. */
  readonly from?: number;
  /** Last instant drawn (ns); default: the latest panel end. */
  readonly to?: number;
  /**
   * Signals to draw, in this order: each entry is a full name or a dotted
   * prefix (`'timer0'` matches `timer0.irq` and `timer0.counter`); entries
   * matching nothing in a panel are skipped. Default: all, in model order.
   */
  readonly signals?: readonly string[];
}

const CALLER = 'toSvg';
const DEFAULT_WIDTH = 960;
const MIN_WIDTH = 200;
const FONT_SIZE = 11;
/** Advance of one monospace character at FONT_SIZE (0.6 em), for fitting text without a browser. */
const CHAR_W = 6.6;
const MARGIN = 8;
/** Room right of the plot for the last tick's label. */
const RIGHT = 28;
const TITLE_H = 20;
const AXIS_H = 24;
const ROW_H = 24;
const PANEL_GAP = 16;
/** Row-local y of a high level, a low level, and the middle. */
const HIGH = 5;
const LOW = 19;
const MID = 12;

/** A coordinate with fixed precision, so the output is byte-for-byte deterministic. */
const num = (n: number): string => {
  const text = n.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
};

const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe in XML content and attribute values: markup escaped, characters XML 1.0 forbids replaced. */
const xml = (text: string): string =>
  text
    // control characters, U+FFFE/U+FFFF and lone surrogates: XML 1.0 allows none of them, even escaped
    .replace(INVALID_XML_CHARS, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** `text` cut to `max` characters, ending with `…` when cut; `''` when fewer than 2 fit. */
const abbreviate = (text: string, max: number): string => {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return max < 2 ? '' : `${chars.slice(0, max - 1).join('')}…`;
};

/** Same, keeping the end (for names, whose last part says the most). */
const abbreviateLeft = (text: string, max: number): string => {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return max < 2 ? '' : `…${chars.slice(chars.length - max + 1).join('')}`;
};

/** Round tick spacing (1, 2 or 5 × 10^k ns, at least 1 ns) giving about five ticks over `span`. */
const tickStep = (span: number): number => {
  const raw = Math.max(span / 5, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
};

/** A tick label: ticks are multiples of the step, and the unit is the largest not above it, so labels are integers. */
const tickLabel = (time: number, step: number): string => {
  if (step >= 1e6) return `${Math.round(time / 1e6)} ms`;
  if (step >= 1e3) return `${Math.round(time / 1e3)} us`;
  return `${time} ns`;
};

/** The signals a panel shows: all in model order, or those the filter names, in filter order. */
const selectSignals = (model: WaveformModel, filter: readonly string[] | undefined): readonly WaveSignal[] => {
  if (filter === undefined) return model.signals;
  const chosen: WaveSignal[] = [];
  for (const entry of filter) {
    const prefix = entry.endsWith('.') ? entry : `${entry}.`;
    for (const signal of model.signals) {
      if ((signal.name === entry || signal.name.startsWith(prefix)) && !chosen.includes(signal)) chosen.push(signal);
    }
  }
  return chosen;
};

/** Geometry shared by all panels. */
interface Frame {
  readonly from: number;
  readonly to: number;
  readonly x0: number;
  readonly x1: number;
  readonly nameChars: number;
  readonly x: (time: number) => number;
}

const drawUnknown = (out: string[], xa: number, xb: number): void => {
  if (xb > xa) {
    out.push(`<rect x="${num(xa)}" y="${HIGH}" width="${num(xb - xa)}" height="${LOW - HIGH}" fill="#e4e4e4"/>`);
  }
};

const drawWire = (out: string[], signal: WaveSignal, frame: Frame): void => {
  const { before, changes } = signalWindow(signal, frame.from, frame.to);
  const level = (value: bigint): number => (value === 0n ? LOW : HIGH);
  let d = '';
  let current = before;
  let cx = frame.x0;
  for (const change of changes) {
    const x = frame.x(change.time);
    if (current === undefined) {
      drawUnknown(out, cx, x);
      d += `M${num(x)} ${level(change.value)}`;
    } else {
      if (d === '') d = `M${num(cx)} ${level(current)}`;
      // every change draws its edge, so a same-instant pulse shows as a spike
      if (num(x) !== num(cx)) d += `H${num(x)}`;
      d += `V${level(change.value)}`;
    }
    current = change.value;
    cx = x;
  }
  if (current === undefined) drawUnknown(out, cx, frame.x1);
  else d += `${d === '' ? `M${num(cx)} ${level(current)}` : ''}H${num(frame.x1)}`;
  if (d !== '') out.push(`<path d="${d}" fill="none" stroke="#1a7f37" stroke-width="1.5"/>`);
};

const drawVector = (out: string[], signal: WaveSignal, frame: Frame): void => {
  const { before, changes } = signalWindow(signal, frame.from, frame.to);
  // Runs of one value (a same-instant change gives an empty run, which is not drawn).
  const runs: { t0: number; t1: number; value: bigint | undefined }[] = [];
  let t0 = frame.from;
  let value = before;
  for (const change of changes) {
    if (change.value === value) continue;
    runs.push({ t0, t1: change.time, value });
    t0 = change.time;
    value = change.value;
  }
  runs.push({ t0, t1: frame.to, value });
  runs.forEach((run, i) => {
    const xa = frame.x(run.t0);
    const xb = i === runs.length - 1 ? frame.x1 : frame.x(run.t1);
    const w = xb - xa;
    if (w <= 0) return;
    if (run.value === undefined) {
      drawUnknown(out, xa, xb);
      return;
    }
    const slant = Math.min(3, w / 2);
    const points = [
      [xa, MID],
      [xa + slant, HIGH],
      [xb - slant, HIGH],
      [xb, MID],
      [xb - slant, LOW],
      [xa + slant, LOW],
    ]
      .map(([px, py]) => `${num(px ?? 0)},${num(py ?? 0)}`)
      .join(' ');
    out.push(`<polygon points="${points}" fill="#eef3fb" stroke="#1f4e99"/>`);
    const text = abbreviate(run.value.toString(), Math.floor((w - 2 * slant - 2) / CHAR_W));
    if (text !== '') out.push(`<text x="${num(xa + slant + 1)}" y="16">${xml(text)}</text>`);
  });
};

const drawEvents = (out: string[], signal: WaveSignal, frame: Frame): void => {
  const { changes } = signalWindow(signal, frame.from, frame.to);
  // Occurrences at one instant share a marker; their labels are joined in the order they happened.
  const groups: { time: number; labels: string[] }[] = [];
  for (const change of changes) {
    const last = groups.at(-1);
    const group = last !== undefined && last.time === change.time ? last : { time: change.time, labels: [] };
    if (group !== last) groups.push(group);
    if (change.label !== undefined && change.label !== '') group.labels.push(change.label);
  }
  groups.forEach((group, i) => {
    const x = frame.x(group.time);
    const next = groups[i + 1];
    const room = (next === undefined ? frame.x1 + RIGHT - MARGIN : frame.x(next.time)) - x - 8;
    const full = group.labels.join(' | ');
    const text = abbreviate(full, Math.floor(room / CHAR_W));
    out.push('<g>');
    if (full !== '') out.push(`<title>${xml(full)}</title>`);
    out.push(
      `<polygon points="${num(x - 4)},${HIGH} ${num(x + 4)},${HIGH} ${num(x)},${MID}" fill="#b35900"/>`,
      `<line x1="${num(x)}" y1="${MID}" x2="${num(x)}" y2="${LOW}" stroke="#b35900"/>`,
    );
    if (text !== '') out.push(`<text x="${num(x + 6)}" y="16" font-size="10">${xml(text)}</text>`);
    out.push('</g>');
  });
};

/** Draws one panel at `top`; returns its height. */
const drawPanel = (out: string[], panel: SvgPanel, signals: readonly WaveSignal[], frame: Frame, top: number): number => {
  const titleH = panel.title === '' ? 0 : TITLE_H;
  const rowsTop = titleH + AXIS_H;
  const height = rowsTop + signals.length * ROW_H;
  out.push(`<g data-panel="${xml(panel.title)}" transform="translate(0,${num(top)})">`);
  if (titleH > 0) out.push(`<text x="${MARGIN}" y="14" font-weight="bold">${xml(panel.title)}</text>`);

  const axisY = rowsTop - 4;
  out.push(`<line x1="${num(frame.x0)}" y1="${axisY}" x2="${num(frame.x1)}" y2="${axisY}" stroke="#555"/>`);
  const step = tickStep(frame.to - frame.from);
  for (let t = Math.ceil(frame.from / step) * step; t <= frame.to; t += step) {
    const x = num(frame.x(t));
    out.push(
      `<line x1="${x}" y1="${axisY - 4}" x2="${x}" y2="${height}" stroke="#ccc" stroke-dasharray="2,3"/>`,
      `<text x="${x}" y="${axisY - 6}" font-size="10" text-anchor="middle">${xml(tickLabel(t, step))}</text>`,
    );
  }

  signals.forEach((signal, i) => {
    out.push(`<g data-signal="${xml(signal.name)}" transform="translate(0,${num(rowsTop + i * ROW_H)})">`);
    out.push(`<text x="${MARGIN}" y="16">${xml(abbreviateLeft(signal.name, frame.nameChars))}</text>`);
    if (signal.kind === 'wire') drawWire(out, signal, frame);
    else if (signal.kind === 'vector') drawVector(out, signal, frame);
    else drawEvents(out, signal, frame);
    out.push('</g>');
  });
  out.push('</g>');
  return height;
};

/**
 * Draws one or more waveforms as a standalone SVG document, with no browser
 * and no external fonts or CSS (monospace text; widths are estimated at
 * 0.6 em per character).
 *
 * Each panel has its title (when not empty), a time axis with about five
 * round ticks labelled in ns, us or ms, and one row per signal with its name
 * at left: wires as step lines (grey where unknown), vectors as boxes
 * holding the value in decimal, events as small triangles with their label
 * (cut with `…` to the room before the next event; the full text is the
 * marker's `<title>`). Occurrences at one instant share a marker and their
 * labels are joined with ` | ` in the order they happened; a wire that
 * changes several times at one instant draws each edge, so a zero-width
 * pulse shows as a spike. Panels stack top to bottom, all on one time axis
 * (so the same race run two ways lines up).
 *
 * For tests and tools: each panel is a `<g data-panel="<title>">` placed by
 * `transform="translate(0,<y>)"`, each row a `<g data-signal="<name>">`
 * inside it. Coordinates have two decimals, so equal inputs give equal text.
 *
 * Ordering: shows same-instant changes in the order they happened (G4).
 *
 * ## Example
 * ```ts
 * const svg = toSvg(
 *   [{ title: 'bottom-half', model: legacyModel }, { title: 'sync', model: syncModel }],
 *   { signals: ['timer0.irq', 'guest.timer0'] },
 * );
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" …>…</svg>\n'
 * ```
 *
 * @param panels - one model (drawn untitled), or titled models drawn top to bottom
 * @param options - width, time window and the signals to draw
 * @returns the SVG document text
 * @throws WaveformError for a malformed model, an empty panel list, a title
 *   that is not a string, a width below 200 or not finite, a from or to that
 *   is not a non-negative safe integer, `from > to`, or a signal filter that
 *   is not an array of non-empty strings
 */
export const toSvg = (panels: WaveformModel | readonly SvgPanel[], options: ToSvgOptions = {}): string => {
  const list: readonly SvgPanel[] = Array.isArray(panels) ? panels : [{ title: '', model: panels as WaveformModel }];
  if (list.length === 0) throw new WaveformError(`${CALLER}(panels)`, panels, 'must hold at least one panel');
  list.forEach((panel, i) => {
    const path = Array.isArray(panels) ? `panels[${i}]` : 'model';
    if (typeof panel !== 'object' || panel === null) {
      throw new WaveformError(`${CALLER}(${path})`, panel, 'must be a { title, model } object');
    }
    if (typeof panel.title !== 'string') throw new WaveformError(`${CALLER}(${path}.title)`, panel.title, 'must be a string');
    checkWaveformModel(panel.model, CALLER, Array.isArray(panels) ? `${path}.model` : 'model');
  });

  const { width = DEFAULT_WIDTH, signals: filter } = options;
  if (typeof width !== 'number' || !Number.isFinite(width) || width < MIN_WIDTH) {
    throw new WaveformError(`${CALLER}(options.width)`, width, `must be a finite number of px, at least ${MIN_WIDTH}`);
  }
  if (filter !== undefined && (!Array.isArray(filter) || filter.some((s) => typeof s !== 'string' || s === ''))) {
    throw new WaveformError(`${CALLER}(options.signals)`, filter, 'must be an array of non-empty names or prefixes');
  }
  const from = options.from ?? Math.min(...list.map((p) => p.model.start));
  const to = options.to ?? Math.max(from, ...list.map((p) => p.model.end));
  if (!isWaveTime(from)) throw new WaveformError(`${CALLER}(options.from)`, from, 'must be a non-negative safe integer (ns)');
  if (!isWaveTime(to)) throw new WaveformError(`${CALLER}(options.to)`, to, 'must be a non-negative safe integer (ns)');
  if (from > to) throw new WaveformError(`${CALLER}(options.from)`, from, `must not be after options.to (${to})`);

  const chosen = list.map((panel) => selectSignals(panel.model, filter));
  const longest = Math.max(8, ...chosen.flat().map((s) => Array.from(s.name).length));
  const nameW = Math.min(longest * CHAR_W + 12, width * 0.35);
  const x0 = MARGIN + nameW;
  const x1 = width - RIGHT;
  const span = Math.max(to - from, 1);
  const frame: Frame = {
    from,
    to,
    x0,
    x1,
    nameChars: Math.floor((nameW - 8) / CHAR_W),
    x: (time) => x0 + ((time - from) * (x1 - x0)) / span,
  };

  const body: string[] = [];
  let top = MARGIN;
  list.forEach((panel, i) => {
    top += drawPanel(body, panel, chosen[i] ?? [], frame, top) + PANEL_GAP;
  });
  const height = top - PANEL_GAP + MARGIN;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="monospace" font-size="${FONT_SIZE}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
};
