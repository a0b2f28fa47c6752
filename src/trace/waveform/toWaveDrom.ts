import { checkWaveformModel } from './checkWaveformModel';
import { WaveformError } from './errors';
import { signalWindow } from './signalWindow';
import type { WaveChange, WaveSignal, WaveformModel, WaveformPanel } from './WaveformModel';

/** One lane of a WaveDrom diagram. */
export interface WaveDromLane {
  /** The signal's full dotted name. */
  readonly name: string;
  /** One character per slot (WaveDrom wave syntax). */
  readonly wave: string;
  /** Texts of the `=` boxes, in order; present only when the wave has any. */
  readonly data?: readonly string[];
}

/** A named group of lanes, `[name, ...lanes]`: WaveDrom draws the name beside them (one per panel). */
export type WaveDromGroup = readonly [string, ...WaveDromLane[]];

/** A WaveDrom diagram (the JSON WaveDrom renders), as {@link toWaveDrom} makes it: one object, one diagram. */
export interface WaveDromDiagram {
  /** The lanes, one per signal; with titled panels, one group of lanes per panel. */
  readonly signal: readonly (WaveDromLane | WaveDromGroup)[];
  /** Title, from `options.title`. */
  readonly head?: {
    /** The title text. */
    readonly text: string;
  };
  /** The time scale: `1 slot = <step> ns, slot 0 = <start> ns`. */
  readonly foot?: {
    /** The time scale text: `1 slot = <step> ns, slot 0 = <start> ns`. */
    readonly text: string;
  };
}

/** Options of {@link toWaveDrom}. */
export interface ToWaveDromOptions {
  /**
   * Nanoseconds per slot. Default: the smallest gap between two instants at
   * which something changes, or, when that would need more than `maxSlots`
   * slots, the smallest round step (1, 2 or 5 × 10^k ns) that fits.
   */
  readonly step?: number;
  /** Most slots allowed (default 512): WaveDrom becomes unreadable and slow beyond a few hundred. */
  readonly maxSlots?: number;
  /** Diagram title (`head.text`); none by default. */
  readonly title?: string;
}

const CALLER = 'toWaveDrom';
const DEFAULT_MAX_SLOTS = 512;
/** The text of a slot whose value is not one number: unknown, or changing more than once in the slot. */
const COUNTING = 'counting';

/** Wave character of a one-bit value: `0`, `1`, or `x` when unknown. */
const bit = (value: bigint | undefined): string => (value === undefined ? 'x' : value === 0n ? '0' : '1');

/** The smallest 1, 2 or 5 × 10^k that is at least `n` (n ≥ 1). */
const roundUp = (n: number): number => {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * power >= n) return m * power;
  return 10 * power;
};

/** What one slot of a vector lane shows. */
type SlotValue = { readonly kind: 'value'; readonly value: bigint } | { readonly kind: 'counting' } | { readonly kind: 'unknown' };

const sameSlot = (a: SlotValue, b: SlotValue): boolean =>
  a.kind === b.kind && (a.kind !== 'value' || a.value === (b as { value: bigint }).value);

/**
 * Renders a model, or several titled ones, as one WaveDrom diagram: time is
 * cut into equal slots of `step` ns from the earliest start (slot `i` covers
 * `[start + i·step, start + (i+1)·step)`), one lane per signal, in model
 * order; titled panels become groups of lanes (`[title, ...lanes]`), all on
 * the same slots, so the file is one valid diagram WaveDrom renders.
 *
 * - wire: `0`/`1` when the level changes, `.` while it holds, `x` while
 *   unknown;
 * - vector: `=` with the value (decimal) in `data` when it changes, `.`
 *   while it holds, `x` before it is first known; a `=` box reading
 *   `counting` where the model says the value is not known (see
 *   `WaveChange.value`), and for a slot in which it takes more than one
 *   value (only each instant's last value counts, so a same-instant race
 *   does not make a slot `counting`);
 * - event: a slot with occurrences is a `=` box whose `data` entry is their
 *   labels joined by `, ` in the order they happened (so a same-instant race
 *   reads left to right), or a `P` pulse when none has a label; other slots
 *   are `0` (after an occurrence) or `.`.
 *
 * Time resolution is one slot: a change is drawn at the start of the slot
 * it falls in. A wire that changes more than once within one slot shows its
 * last value (a pulse narrower than a slot is lost; use {@link toSvg} or
 * {@link toVcd} for it). The default step is the smallest gap between
 * distinct change instants, so distinct instants never share a slot, unless
 * that needs more than `maxSlots` slots (a counter's every tick over a long
 * window): then the smallest round step that fits.
 *
 * Ordering: keeps same-instant event order in the box text (G4).
 *
 * ## Example
 * ```ts
 * toWaveDrom({ start: 0, end: 300, signals: [
 *   { name: 'timer0.irq', kind: 'wire', width: 1, changes: [{ time: 0, value: 0n }, { time: 200, value: 1n }] },
 *   { name: 'guest.timer0.read', kind: 'event', width: 1, changes: [{ time: 200, value: 1n, label: 'R VALUE=4' }] },
 * ] });
 * // { signal: [ { name: 'timer0.irq', wave: '0.1.' },
 * //             { name: 'guest.timer0.read', wave: '0.=0', data: ['R VALUE=4'] } ],
 * //   foot: { text: '1 slot = 100 ns, slot 0 = 0 ns' } }
 * ```
 *
 * @param panels - one model (plain lanes), or titled models (a group each; an untitled one gives plain lanes)
 * @param options - slot width, slot limit and title
 * @returns the diagram, ready for `JSON.stringify` and WaveDrom
 * @throws WaveformError for a malformed model, an empty panel list, a title
 *   that is not a string, a step that is not a positive finite number, a
 *   maxSlots that is not a positive safe integer, or a given step that
 *   needs more than maxSlots slots
 */
export const toWaveDrom = (panels: WaveformModel | readonly WaveformPanel[], options: ToWaveDromOptions = {}): WaveDromDiagram => {
  const list: readonly WaveformPanel[] = Array.isArray(panels) ? panels : [{ title: '', model: panels as WaveformModel }];
  if (list.length === 0) throw new WaveformError(`${CALLER}(panels)`, panels, 'must hold at least one panel');
  list.forEach((panel, i) => {
    const path = Array.isArray(panels) ? `panels[${i}]` : 'model';
    if (typeof panel !== 'object' || panel === null) throw new WaveformError(`${CALLER}(${path})`, panel, 'must be a { title, model } object');
    if (typeof panel.title !== 'string') throw new WaveformError(`${CALLER}(${path}.title)`, panel.title, 'must be a string');
    checkWaveformModel(panel.model, CALLER, Array.isArray(panels) ? `${path}.model` : 'model');
  });
  const { maxSlots = DEFAULT_MAX_SLOTS, title } = options;
  if (!Number.isSafeInteger(maxSlots) || maxSlots < 1) {
    throw new WaveformError(`${CALLER}(options.maxSlots)`, maxSlots, 'must be a positive safe integer');
  }
  if (title !== undefined && typeof title !== 'string') {
    throw new WaveformError(`${CALLER}(options.title)`, title, 'must be a string when present');
  }
  const start = Math.min(...list.map((p) => p.model.start));
  const end = Math.max(...list.map((p) => p.model.end));
  const windows = list.map((p) => p.model.signals.map((signal) => signalWindow(signal, start, end)));

  let step = options.step;
  if (step === undefined) {
    const instants = new Set<number>([start, end]);
    for (const panel of windows) for (const w of panel) for (const c of w.changes) instants.add(c.time);
    const sorted = [...instants].sort((a, b) => a - b);
    let gap = Infinity;
    for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, (sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
    step = Number.isFinite(gap) ? gap : 1;
    // Too many slots at that gap (a counter's ticks over a long window): the smallest round step that fits.
    if (Math.floor((end - start) / step) + 1 > maxSlots) step = maxSlots === 1 ? end - start + 1 : roundUp(Math.ceil((end - start) / (maxSlots - 1)));
  } else if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
    throw new WaveformError(`${CALLER}(options.step)`, step, 'must be a positive finite number of ns');
  }
  const slotStep = step;
  const slotOf = (time: number): number => Math.floor((time - start) / slotStep);
  const slots = slotOf(end) + 1;
  if (slots > maxSlots) {
    throw new WaveformError(
      `${CALLER}(slots)`,
      slots,
      `must be at most maxSlots (${maxSlots}) for ${end - start} ns at ${slotStep} ns per slot; pass a larger step or maxSlots, or build a narrower window`,
    );
  }

  const lane = (signal: WaveSignal, window: { before: bigint | undefined; beforeUnknownSpan: boolean; changes: readonly WaveChange[] }): WaveDromLane => {
    const { before, changes } = window;
    let wave = '';
    const data: string[] = [];
    let k = 0;
    if (signal.kind === 'event') {
      let previousHit = false;
      for (let s = 0; s < slots; s++) {
        const labels: string[] = [];
        let hit = false;
        while (k < changes.length && slotOf(changes[k]?.time ?? 0) === s) {
          const label = changes[k++]?.label;
          hit = true;
          if (label !== undefined && label !== '') labels.push(label);
        }
        if (hit && labels.length > 0) {
          wave += '=';
          data.push(labels.join(', '));
        } else if (hit) {
          wave += 'P';
        } else {
          wave += s === 0 || previousHit ? '0' : '.';
        }
        previousHit = hit;
      }
    } else if (signal.kind === 'wire') {
      let current = before;
      for (let s = 0; s < slots; s++) {
        let value = current;
        while (k < changes.length && slotOf(changes[k]?.time ?? 0) === s) value = changes[k++]?.value;
        wave += s > 0 && value === current ? '.' : bit(value);
        current = value;
      }
    } else {
      const of = (value: bigint | undefined, unknownSpan: boolean): SlotValue =>
        value !== undefined ? { kind: 'value', value } : unknownSpan ? { kind: 'counting' } : { kind: 'unknown' };
      let current = of(before, window.beforeUnknownSpan);
      let previous: SlotValue | undefined;
      for (let s = 0; s < slots; s++) {
        // Each instant's last value, in order: how many times the value moves within this slot.
        let moves = 0;
        let value = current;
        while (k < changes.length && slotOf(changes[k]?.time ?? 0) === s) {
          const time = changes[k]!.time;
          let last = changes[k++]!;
          while (k < changes.length && changes[k]!.time === time) last = changes[k++]!;
          const next = of(last.value, true);
          if (!sameSlot(next, value)) moves++;
          value = next;
        }
        const shown: SlotValue = moves > 1 ? { kind: 'counting' } : value;
        if (previous !== undefined && sameSlot(shown, previous)) wave += '.';
        else if (shown.kind === 'unknown') wave += 'x';
        else {
          wave += '=';
          data.push(shown.kind === 'value' ? shown.value.toString() : COUNTING);
        }
        previous = shown;
        current = value;
      }
    }
    return data.length > 0 ? { name: signal.name, wave, data } : { name: signal.name, wave };
  };

  const signal = list.flatMap((panel, p): (WaveDromLane | WaveDromGroup)[] => {
    const lanes = panel.model.signals.map((sig, i) => lane(sig, windows[p]![i]!));
    return panel.title === '' ? lanes : [[panel.title, ...lanes] as WaveDromGroup];
  });
  const foot = { text: `1 slot = ${slotStep} ns, slot 0 = ${start} ns` };
  return title === undefined ? { signal, foot } : { signal, head: { text: title }, foot };
};
