import { checkWaveformModel, isWaveTime } from './checkWaveformModel';
import { WaveformError } from './errors';
import { signalWindow } from './signalWindow';
import type { WaveChange, WaveSignal, WaveformModel, WaveformPanel } from './WaveformModel';

/** One titled waveform in a {@link toSvg} drawing (its title is also its `data-panel` attribute). */
export type SvgPanel = WaveformPanel;

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
/** Height of one line of event label text, and the baseline of the first (below the markers, so no marker sits in a label). */
const LINE_H = 13;
const FIRST_BASELINE = 24;
/** Horizontal room kept between two event labels on one line. */
const LABEL_GAP = 6;
/** A vector run narrower than this (px) has no room for any digit: two or more in a row are drawn as one counting box. */
const MIN_RUN_PX = 3;
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

/** A box for a value that is not drawn (unknown span, or too many changes to draw): dashed, labelled `counting`. */
const drawCounting = (out: string[], xa: number, xb: number, title: string): void => {
  const w = xb - xa;
  if (w <= 0) return;
  out.push('<g>', `<title>${xml(title)}</title>`);
  out.push(`<rect x="${num(xa)}" y="${HIGH}" width="${num(w)}" height="${LOW - HIGH}" fill="#fbf3e4" stroke="#b07a1f" stroke-dasharray="3,2"/>`);
  const text = abbreviate('counting', Math.floor((w - 4) / CHAR_W));
  if (text !== '') out.push(`<text x="${num(xa + 2)}" y="16" fill="#7a5310">${text}</text>`);
  out.push('</g>');
};

const drawWire = (out: string[], signal: WaveSignal, frame: Frame): void => {
  const { before, changes } = signalWindow(signal, frame.from, frame.to);
  const level = (value: bigint): number => (value === 0n ? LOW : HIGH);
  // One path per known stretch; unknown stretches are grey.
  const paths: string[] = [];
  let d = '';
  let current = before;
  let cx = frame.x0;
  const close = (x: number): void => {
    if (current !== undefined) d += `${d === '' ? `M${num(cx)} ${level(current)}` : ''}H${num(x)}`;
    if (d !== '') paths.push(d);
    d = '';
  };
  for (const change of changes) {
    const x = frame.x(change.time);
    if (current === undefined) {
      drawUnknown(out, cx, x);
      if (change.value !== undefined) d = `M${num(x)} ${level(change.value)}`;
    } else if (change.value === undefined) {
      close(x);
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
  else close(frame.x1);
  for (const path of paths) out.push(`<path d="${path}" fill="none" stroke="#1a7f37" stroke-width="1.5"/>`);
};

/** A stretch of one vector value: `undefined` and not counting is the grey "never known" before the first change. */
interface Run {
  readonly t0: number;
  t1: number;
  readonly value: bigint | undefined;
  readonly counting: boolean;
  /** Why it is counting (the unknown change's label, or how many values were merged). */
  readonly why: string;
}

const sameRun = (run: Run | undefined, value: bigint | undefined, counting: boolean): boolean =>
  run !== undefined && run.value === value && run.counting === counting;

const drawVector = (out: string[], signal: WaveSignal, frame: Frame): void => {
  const { before, beforeUnknownSpan, changes } = signalWindow(signal, frame.from, frame.to);
  // Runs of one value (a same-instant change gives an empty run, which is not drawn).
  const runs: Run[] = [{ t0: frame.from, t1: frame.to, value: before, counting: beforeUnknownSpan, why: 'counting' }];
  for (const change of changes as readonly WaveChange[]) {
    const counting = change.value === undefined;
    const last = runs.at(-1)!;
    if (sameRun(last, change.value, counting)) continue;
    last.t1 = change.time;
    runs.push({ t0: change.time, t1: frame.to, value: change.value, counting, why: change.label ?? 'counting' });
  }
  const xOf = (run: Run, i: number): { xa: number; xb: number } => ({ xa: frame.x(run.t0), xb: i === runs.length - 1 ? frame.x1 : frame.x(run.t1) });
  // Values too close together to show a digit: one counting box for each stretch of them (never a digit of a wrong value).
  const drawn: { run: Run; xa: number; xb: number }[] = [];
  for (let i = 0; i < runs.length; ) {
    const { xa, xb } = xOf(runs[i]!, i);
    let j = i;
    while (j < runs.length && runs[j]!.value !== undefined && xOf(runs[j]!, j).xb - xOf(runs[j]!, j).xa < MIN_RUN_PX) j++;
    if (j - i >= 2) {
      const first = runs[i]!.value;
      const lastValue = runs[j - 1]!.value;
      drawn.push({ run: { t0: runs[i]!.t0, t1: runs[j - 1]!.t1, value: undefined, counting: true, why: `counting: ${j - i} values from ${first} to ${lastValue}, too close to draw` }, xa, xb: xOf(runs[j - 1]!, j - 1).xb });
      i = j;
    } else {
      drawn.push({ run: runs[i]!, xa, xb });
      i++;
    }
  }
  for (const { run, xa, xb } of drawn) {
    const w = xb - xa;
    if (w <= 0) continue;
    if (run.counting) {
      drawCounting(out, xa, xb, run.why);
      continue;
    }
    if (run.value === undefined) {
      drawUnknown(out, xa, xb);
      continue;
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
    const full = run.value.toString();
    const text = abbreviate(full, Math.floor((w - 2 * slant - 2) / CHAR_W));
    // A value cut to fit keeps its digits in a title (a tooltip), so the box never hides what it holds.
    if (text !== full) out.push('<g>', `<title>${full}</title>`);
    out.push(`<polygon points="${points}" fill="#eef3fb" stroke="#1f4e99"/>`);
    if (text !== '') out.push(`<text x="${num(xa + slant + 1)}" y="16">${xml(text)}</text>`);
    if (text !== full) out.push('</g>');
  }
};

/** The occurrences at one instant of an event signal, and where their label lines go. */
interface EventGroup {
  readonly time: number;
  /** The labels of its occurrences, in order (its marker's title). */
  readonly labels: string[];
  /** The lines drawn: a label each, wrapped by {@link layoutLabels}. */
  lines: string[];
  /** First line (0 is the row's first text line) and left edge of the label block; set by {@link layoutLabels}. */
  line: number;
  left: number;
  width: number;
}

/** A label line longer than `max` characters, wrapped at spaces (or cut hard where a word is longer): text is never dropped. */
const wrap = (text: string, max: number): string[] => {
  const out: string[] = [];
  let rest = Array.from(text);
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut).join('').trimEnd());
    rest = Array.from(rest.slice(cut).join('').trimStart());
  }
  out.push(rest.join(''));
  return out;
};

/** The fewest characters a label line is wrapped to beside its marker before it moves to the drawing's right edge instead. */
const MIN_WRAP = 16;

/**
 * Places each instant's label block (one line per occurrence, in the order
 * they happened) next to its marker: right of it where it fits in the
 * drawing, else left of it, else wrapped at spaces to the room right (or
 * left) of it, else wrapped to the drawing's width against its right edge;
 * on the first text lines no earlier block uses at those x. Labels never
 * overlap and are never cut. Returns how many text lines the row needs.
 */
const layoutLabels = (groups: EventGroup[], frame: Frame): number => {
  const used: { a: number; b: number }[][] = [];
  const free = (line: number, a: number, b: number): boolean => (used[line] ?? []).every((r) => b + LABEL_GAP <= r.a || a >= r.b + LABEL_GAP);
  const right = frame.x1 + RIGHT - MARGIN;
  const chars = (px: number): number => Math.floor(px / CHAR_W);
  const widest = (lines: readonly string[]): number => Math.max(...lines.map((l) => Array.from(l).length));
  let lines = 0;
  for (const g of groups) {
    if (g.labels.length === 0) continue;
    const x = frame.x(g.time);
    const rightRoom = chars(right - (x + 6));
    const leftRoom = chars(x - 6 - frame.x0);
    const longest = widest(g.labels);
    let side: 'right' | 'left' | 'edge';
    let room: number;
    if (longest <= rightRoom) [side, room] = ['right', rightRoom];
    else if (longest <= leftRoom) [side, room] = ['left', leftRoom];
    else if (rightRoom >= MIN_WRAP) [side, room] = ['right', rightRoom];
    else if (leftRoom >= MIN_WRAP) [side, room] = ['left', leftRoom];
    else [side, room] = ['edge', Math.max(MIN_WRAP, chars(right - frame.x0))];
    g.lines = g.labels.flatMap((label) => wrap(label, room));
    g.width = widest(g.lines) * CHAR_W;
    g.left = side === 'right' ? x + 6 : side === 'left' ? x - 6 - g.width : Math.max(frame.x0, right - g.width);
    let line = 0;
    while (!g.lines.every((_, k) => free(line + k, g.left, g.left + g.width))) line++;
    g.line = line;
    g.lines.forEach((_, k) => (used[line + k] ??= []).push({ a: g.left, b: g.left + g.width }));
    lines = Math.max(lines, line + g.lines.length);
  }
  return lines;
};

/** The event row's groups and the height it needs. */
const eventRow = (signal: WaveSignal, frame: Frame): { readonly groups: EventGroup[]; readonly height: number } => {
  const { changes } = signalWindow(signal, frame.from, frame.to);
  // Occurrences at one instant share a marker; their labels are lines in the order they happened.
  const groups: EventGroup[] = [];
  for (const change of changes) {
    const last = groups.at(-1);
    const group = last !== undefined && last.time === change.time ? last : { time: change.time, labels: [], lines: [], line: 0, left: 0, width: 0 };
    if (group !== last) groups.push(group);
    if (change.label !== undefined && change.label !== '') group.labels.push(change.label);
  }
  const lines = layoutLabels(groups, frame);
  return { groups, height: lines === 0 ? ROW_H : FIRST_BASELINE + (lines - 1) * LINE_H + 6 };
};

const drawEvents = (out: string[], groups: readonly EventGroup[], frame: Frame): void => {
  for (const group of groups) {
    const x = frame.x(group.time);
    out.push('<g>');
    if (group.labels.length > 0) out.push(`<title>${xml(group.labels.join('\n'))}</title>`);
    out.push(`<polygon points="${num(x - 4)},${HIGH} ${num(x + 4)},${HIGH} ${num(x)},${MID}" fill="#b35900"/>`);
    // The stem reaches down to its label's last line, so a label on a lower line still points at its instant.
    const bottom = group.lines.length === 0 ? LOW : FIRST_BASELINE + (group.line + group.lines.length - 1) * LINE_H + 3;
    out.push(`<line x1="${num(x)}" y1="${MID}" x2="${num(x)}" y2="${bottom}" stroke="#b35900"${group.line > 0 ? ' stroke-opacity="0.45"' : ''}/>`);
    group.lines.forEach((line, k) => {
      out.push(`<text x="${num(group.left)}" y="${FIRST_BASELINE + (group.line + k) * LINE_H}">${xml(line)}</text>`);
    });
    out.push('</g>');
  }
};

/** Draws one panel at `top`; returns its height. */
const drawPanel = (out: string[], panel: SvgPanel, signals: readonly WaveSignal[], frame: Frame, top: number): number => {
  const titleH = panel.title === '' ? 0 : TITLE_H;
  const rowsTop = titleH + AXIS_H;
  // Event rows grow to hold their labels in full; the others are one row high.
  const rows = signals.map((signal) => (signal.kind === 'event' ? eventRow(signal, frame) : { groups: [], height: ROW_H }));
  const height = rowsTop + rows.reduce((sum, r) => sum + r.height, 0);
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

  let y = rowsTop;
  signals.forEach((signal, i) => {
    const rowInfo = rows[i]!;
    out.push(`<g data-signal="${xml(signal.name)}" transform="translate(0,${num(y)})">`);
    const shownName = abbreviateLeft(signal.name, frame.nameChars);
    if (shownName !== signal.name) out.push(`<title>${xml(signal.name)}</title>`);
    out.push(`<text x="${MARGIN}" y="16">${xml(shownName)}</text>`);
    if (signal.kind === 'wire') drawWire(out, signal, frame);
    else if (signal.kind === 'vector') drawVector(out, signal, frame);
    else drawEvents(out, rowInfo.groups, frame);
    out.push('</g>');
    y += rowInfo.height;
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
 * at left (cut at its start with `…` when the name column is too narrow,
 * the full name then in the row's `<title>`):
 * - wires as step lines, grey where unknown;
 * - vectors as boxes holding the value in decimal (a value too long for
 *   its box is cut with `…`, its digits in the box's `<title>`); grey before
 *   the first known value; a dashed box labelled `counting` where the model
 *   says the value is not known (see `WaveChange.value`, with the reason in
 *   its `<title>`), and for each stretch of two or more values too close
 *   together to show a digit (under 3 px each), so a box never shows a
 *   value the counter does not have then;
 * - events as small triangles with their labels below-right of them: the
 *   occurrences at one instant share a marker, one label line each, in the
 *   order they happened; a block that does not fit before the right edge
 *   goes left of its marker; blocks that would overlap go on lower lines
 *   (the row grows, the marker's stem reaching down to its block), and a
 *   line longer than the drawing is wrapped: a label is never cut. The
 *   marker's `<title>` has its lines too.
 *
 * A wire that changes several times at one instant draws each edge, so a
 * zero-width pulse shows as a spike. Panels stack top to bottom, all on one
 * time axis (so the same race run two ways lines up).
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
