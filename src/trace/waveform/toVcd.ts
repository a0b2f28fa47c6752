import { checkWaveformModel } from './checkWaveformModel';
import { WaveformError } from './errors';
import { signalWindow } from './signalWindow';
import type { WaveChange, WaveSignal, WaveformModel } from './WaveformModel';

/** Options of {@link toVcd}. */
export interface ToVcdOptions {
  /** The only time unit: model times are integer nanoseconds. */
  readonly timescale?: '1ns';
  /** Text of the `$date` section; without it there is none (the wall clock is never read). */
  readonly date?: string;
  /** Text of the `$version` section; default `'ptimer-rx'`. */
  readonly version?: string;
  /** Name of the top `$scope module`; default `'ptimer_rx'`. */
  readonly scope?: string;
  /**
   * How changes that share an instant are written. `'last-wins'` (default):
   * timescale 1 ns, one value per variable per instant (a zero-width pulse
   * disappears). `'delta'`: timescale 1 ps, and a change with
   * {@link WaveChange.step} `n` is written `n` ps after its instant (at most
   * 999), so same-instant order and zero-width pulses stay visible in a
   * viewer, at the price of sub-ns offsets that are not real time.
   */
  readonly sameInstant?: 'last-wins' | 'delta';
}

const CALLER = 'toVcd';

/** First code of the printable range VCD identifier codes use (`!`), and how many codes it has (`!`..`~`). */
const FIRST_CODE = 33;
const CODES = 94;

/**
 * Identifier code number `index`: `!`, `"`, … `~`, then `!!`, `!"`, … (bijective base 94), so
 * every index gets a distinct code of printable ASCII 33..126.
 */
const identifierCode = (index: number): string => {
  let code = '';
  let n = index;
  do {
    code = String.fromCharCode(FIRST_CODE + (n % CODES)) + code;
    n = Math.floor(n / CODES) - 1;
  } while (n >= 0);
  return code;
};

/** A name part as a VCD reference: no whitespace, no `$` (it would start a keyword), never empty. */
const vcdName = (part: string): string => {
  let name = '';
  for (const ch of part) {
    const code = ch.codePointAt(0) ?? 0;
    name += code < FIRST_CODE || code > 126 || ch === '$' ? '_' : ch;
  }
  return name === '' ? '_' : name;
};

/** One `$scope` being declared: its variables and sub-scopes, in the order they first appear. */
interface Scope {
  readonly items: ({ readonly scope: string; readonly body: Scope } | { readonly line: string })[];
  readonly children: Map<string, Scope>;
}

const newScope = (): Scope => ({ items: [], children: new Map() });

const declare = (root: Scope, signal: WaveSignal, id: string): void => {
  const parts = signal.name.split('.').map(vcdName);
  const leaf = parts.pop() ?? '_';
  let scope = root;
  for (const part of parts) {
    let child = scope.children.get(part);
    if (child === undefined) {
      child = newScope();
      scope.children.set(part, child);
      scope.items.push({ scope: part, body: child });
    }
    scope = child;
  }
  const type = signal.kind === 'vector' ? 'reg' : signal.kind;
  scope.items.push({ line: `$var ${type} ${signal.width} ${id} ${leaf} $end` });
};

const writeScope = (out: string[], name: string, scope: Scope): void => {
  out.push(`$scope module ${name} $end`);
  for (const item of scope.items) {
    if ('line' in item) out.push(item.line);
    else writeScope(out, item.scope, item.body);
  }
  out.push('$upscope $end');
};

/** @internal `valueLine` for {@link VcdStream}. */
export const vcdValueLine = (signal: Pick<WaveSignal, 'kind'>, value: bigint | undefined, id: string): string => valueLine(signal as WaveSignal, value, id);

const valueLine = (signal: WaveSignal, value: bigint | undefined, id: string): string => {
  if (signal.kind === 'vector') return `b${value === undefined ? 'x' : value.toString(2)} ${id}`;
  return `${value === undefined ? 'x' : value.toString()}${id}`;
};

const checkText = (field: string, text: unknown, caller = CALLER): void => {
  if (typeof text !== 'string') throw new WaveformError(`${caller}(options.${field})`, text, 'must be a string');
  if (text.includes('$end')) {
    throw new WaveformError(`${caller}(options.${field})`, text, "must not contain '$end' (it would close the section)");
  }
};

/**
 * Checks the header options {@link toVcd} and {@link VcdStream} share and fills in their defaults.
 * @internal
 */
export const vcdHeaderOptions = (
  options: Pick<ToVcdOptions, 'date' | 'version' | 'scope'>,
  caller: string,
): { readonly date: string | undefined; readonly version: string; readonly scope: string } => {
  const { date, version = 'ptimer-rx', scope = 'ptimer_rx' } = options;
  if (date !== undefined) checkText('date', date, caller);
  checkText('version', version, caller);
  if (typeof scope !== 'string' || scope === '' || vcdName(scope) !== scope) {
    throw new WaveformError(`${caller}(options.scope)`, scope, 'must be a non-empty name of printable ASCII without whitespace or $');
  }
  return { date, version, scope };
};

/**
 * Writes a model as a Value Change Dump (IEEE 1364 §18), the text format
 * GTKWave, Surfer and most waveform viewers open.
 *
 * Layout: `$date` (only if `options.date` is given), `$version`,
 * `$timescale 1ns`, then one top `$scope module <scope>` holding a nested
 * `$scope module` per dotted name prefix (`timer0.irq` → scope `timer0`,
 * variable `irq`); wires are `$var wire 1`, vectors `$var reg <width>`
 * (values `b1010 <id>`), events `$var event 1` (`1<id>` at each
 * occurrence). Identifier codes are printable ASCII 33..126, one character
 * for the first 94 signals, then two, and so on. Names are kept, except that
 * whitespace, `$` and non-ASCII characters become `_`. The dump starts at
 * `#<start>` with `$dumpvars` giving each wire and vector its value at
 * `start` (`x` when unknown); events at `start` follow that block. A
 * vector's unknown span (a change whose value is `undefined`: a counter past
 * the cap of changes, or sampled without a forecast) is written `bx`, so a
 * viewer shows it unknown rather than holding the last value.
 * Timestamps strictly increase; a final `#<end>` marks the window's end.
 *
 * Same instant: VCD holds one value per variable per timestamp, so when a
 * wire or vector changes several times at one instant the last value wins
 * (and nothing is written when it ends where it started, e.g. a zero-width
 * pulse); several occurrences of one event at one instant are written once.
 * Within a timestamp, variables are written in model order. Other signals'
 * changes at that instant still appear; the model (and {@link toSvg}) keep
 * the full order.
 *
 * Ordering: preserves G4's order of instants; same-instant order within one
 * timestamp is not representable in VCD (see above).
 *
 * ## Example
 * ```ts
 * toVcd({ start: 0, end: 100, signals: [
 *   { name: 'timer0.irq', kind: 'wire', width: 1, changes: [{ time: 0, value: 0n }, { time: 60, value: 1n }] },
 * ] });
 * // $version\n  ptimer-rx\n$end\n$timescale 1ns $end\n$scope module ptimer_rx $end\n
 * // $scope module timer0 $end\n$var wire 1 ! irq $end\n$upscope $end\n$upscope $end\n
 * // $enddefinitions $end\n#0\n$dumpvars\n0!\n$end\n#60\n1!\n#100\n
 * ```
 *
 * @param model - the waveform (see {@link buildWaveform})
 * @param options - header texts and the top scope's name
 * @returns the VCD text, ending with a newline
 * @throws WaveformError for a malformed model, a timescale other than
 *   `'1ns'`, a date or version containing `$end`, or a scope name that is
 *   empty or has whitespace, `$` or non-ASCII characters
 */
export const toVcd = (model: WaveformModel, options: ToVcdOptions = {}): string => {
  checkWaveformModel(model, CALLER);
  const { timescale = '1ns' } = options;
  if (timescale !== '1ns') throw new WaveformError(`${CALLER}(options.timescale)`, timescale, "must be '1ns'");
  const { date, version, scope } = vcdHeaderOptions(options, CALLER);

  const sameInstant = options.sameInstant ?? 'last-wins';
  if (sameInstant !== 'last-wins' && sameInstant !== 'delta') {
    throw new WaveformError(`${CALLER}(options.sameInstant)`, sameInstant, "must be 'last-wins' or 'delta'");
  }
  if (sameInstant === 'delta') return deltaVcd(model, { date, version, scope });
  const { start, end } = model;
  const { ids, out } = vcdHeader(model, { date, version, scope }, timescale);

  // Changes after `start`, grouped by instant; within an instant, in model order.
  const dumpvars: string[] = [];
  const atStart: string[] = [];
  const later = new Map<number, string[]>();
  const emit = (time: number, line: string): void => {
    const lines = later.get(time);
    if (lines === undefined) later.set(time, [line]);
    else lines.push(line);
  };
  model.signals.forEach((signal, i) => {
    const id = ids[i] ?? '';
    const { before, changes } = signalWindow(signal, start, end);
    if (signal.kind === 'event') {
      let last = -1;
      for (const { time } of changes) {
        if (time === last) continue; // one occurrence per instant: VCD cannot show more
        last = time;
        if (time === start) atStart.push(`1${id}`);
        else emit(time, `1${id}`);
      }
      return;
    }
    let current = before;
    let k = 0;
    while (k < changes.length && changes[k]?.time === start) current = changes[k++]?.value;
    dumpvars.push(valueLine(signal, current, id));
    while (k < changes.length) {
      const time = changes[k]?.time ?? 0;
      let value = current;
      while (k < changes.length && changes[k]?.time === time) value = changes[k++]?.value;
      // last value wins at one instant; an unchanged value is not written again
      if (value !== current) emit(time, valueLine(signal, value, id));
      current = value;
    }
  });

  out.push(`#${start}`, '$dumpvars', ...dumpvars, '$end', ...atStart);
  let lastTime = start;
  for (const time of [...later.keys()].sort((a, b) => a - b)) {
    out.push(`#${time}`, ...(later.get(time) ?? []));
    lastTime = time;
  }
  if (end > lastTime) out.push(`#${end}`);
  return `${out.join('\n')}\n`;
};

/** Picoseconds per ns in `'delta'` mode, and the most same-instant steps it separates. */
const PS = 1000;
const MAX_STEP = PS - 1;

/** The header and declarations, up to `$enddefinitions`, and each signal's identifier code. @internal */
export const vcdHeader = (
  model: WaveformModel,
  options: { readonly date: string | undefined; readonly version: string; readonly scope: string },
  timescale: string,
): { readonly ids: readonly string[]; readonly out: string[] } => {
  const ids = model.signals.map((_, i) => identifierCode(i));
  const root = newScope();
  model.signals.forEach((signal, i) => declare(root, signal, ids[i] ?? ''));
  const out: string[] = [];
  if (options.date !== undefined) out.push('$date', `  ${options.date}`, '$end');
  out.push('$version', `  ${options.version}`, '$end', `$timescale ${timescale} $end`);
  writeScope(out, options.scope, root);
  out.push('$enddefinitions $end');
  return { ids, out };
};

/** `toVcd` with `sameInstant: 'delta'` (see {@link ToVcdOptions.sameInstant}). */
const deltaVcd = (model: WaveformModel, options: { readonly date: string | undefined; readonly version: string; readonly scope: string }): string => {
  const { start, end } = model;
  const { ids, out } = vcdHeader(model, options, '1ps');

  const at = (change: WaveChange, index: number): number => change.time * PS + Math.min(change.step ?? index, MAX_STEP);
  const dumpvars: string[] = [];
  const later = new Map<number, string[]>();
  const emit = (time: number, line: string): void => {
    const lines = later.get(time);
    if (lines === undefined) later.set(time, [line]);
    else lines.push(line);
  };
  model.signals.forEach((signal, i) => {
    const id = ids[i] ?? '';
    const { before, changes } = signalWindow(signal, start, end);
    // n-th change of this signal at its instant: the fallback step when the model gives none
    let instant = -1;
    let n = 0;
    const index = (time: number): number => (time === instant ? ++n : ((instant = time), (n = 0)));
    if (signal.kind === 'event') {
      let last = -1;
      for (const change of changes) {
        const t = at(change, index(change.time));
        if (t === last) continue;
        last = t;
        emit(t, `1${id}`);
      }
      return;
    }
    let current = before;
    let k = 0;
    // the value at `start` (before any later step at that instant) goes in $dumpvars
    while (k < changes.length && changes[k]?.time === start && (changes[k]?.step ?? 0) === 0 && k === 0) current = changes[k++]?.value;
    dumpvars.push(valueLine(signal, current, id));
    for (; k < changes.length; k++) {
      const change = changes[k]!;
      const t = at(change, index(change.time));
      if (change.value !== current) emit(t, valueLine(signal, change.value, id));
      current = change.value;
    }
  });

  out.push(`#${start * PS}`, '$dumpvars', ...dumpvars, '$end');
  let lastTime = start * PS;
  for (const time of [...later.keys()].sort((a, b) => a - b)) {
    if (time === start * PS) out.push(...(later.get(time) ?? []));
    else out.push(`#${time}`, ...(later.get(time) ?? []));
    lastTime = time;
  }
  if (end * PS > lastTime) out.push(`#${end * PS}`);
  return `${out.join('\n')}\n`;
};
