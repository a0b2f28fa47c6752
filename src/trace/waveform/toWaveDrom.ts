import { checkWaveformModel } from './checkWaveformModel';
import { WaveformError } from './errors';
import { signalWindow } from './signalWindow';
import type { WaveformModel } from './WaveformModel';

/** One lane of a WaveDrom diagram. */
export interface WaveDromLane {
  /** The signal's full dotted name. */
  readonly name: string;
  /** One character per slot (WaveDrom wave syntax). */
  readonly wave: string;
  /** Texts of the `=` boxes, in order; present only when the wave has any. */
  readonly data?: readonly string[];
}

/** A WaveDrom diagram (the JSON WaveDrom renders), as {@link toWaveDrom} makes it. */
export interface WaveDromDiagram {
  /** The lanes, one per signal. */
  readonly signal: readonly WaveDromLane[];
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
  /** Nanoseconds per slot; default: the smallest gap between two instants at which something changes. */
  readonly step?: number;
  /** Most slots allowed (default 512): WaveDrom becomes unreadable and slow beyond a few hundred. */
  readonly maxSlots?: number;
  /** Diagram title (`head.text`); none by default. */
  readonly title?: string;
}

const CALLER = 'toWaveDrom';
const DEFAULT_MAX_SLOTS = 512;

/** Wave character of a one-bit value: `0`, `1`, or `x` when unknown. */
const bit = (value: bigint | undefined): string => (value === undefined ? 'x' : value === 0n ? '0' : '1');

/**
 * Renders a model as a WaveDrom diagram: time is cut into equal slots of
 * `step` ns from `model.start` (slot `i` covers `[start + i·step,
 * start + (i+1)·step)`), one lane per signal, in model order.
 *
 * - wire: `0`/`1` when the level changes, `.` while it holds, `x` while
 *   unknown;
 * - vector: `=` with the value (decimal) in `data` when it changes, `.`
 *   while it holds, `x` while unknown;
 * - event: a slot with occurrences is a `=` box whose `data` entry is their
 *   labels joined by `, ` in the order they happened (so a same-instant race
 *   reads left to right), or a `P` pulse when none has a label; other slots
 *   are `0` (after an occurrence) or `.`.
 *
 * Same slot: a wire or vector that changes more than once within one slot
 * shows its last value (a pulse narrower than a slot is lost; use
 * {@link toSvg} or {@link toVcd} for it). The default step is the smallest
 * gap between distinct change instants, so distinct instants never share a
 * slot; a larger `step` may merge them.
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
 * @param model - the waveform (see {@link buildWaveform})
 * @param options - slot width, slot limit and title
 * @returns the diagram, ready for `JSON.stringify` and WaveDrom
 * @throws WaveformError for a malformed model, a step that is not a positive
 *   finite number, a maxSlots that is not a positive safe integer, or a
 *   window that needs more than maxSlots slots
 */
export const toWaveDrom = (model: WaveformModel, options: ToWaveDromOptions = {}): WaveDromDiagram => {
  checkWaveformModel(model, CALLER);
  const { maxSlots = DEFAULT_MAX_SLOTS, title } = options;
  if (!Number.isSafeInteger(maxSlots) || maxSlots < 1) {
    throw new WaveformError(`${CALLER}(options.maxSlots)`, maxSlots, 'must be a positive safe integer');
  }
  if (title !== undefined && typeof title !== 'string') {
    throw new WaveformError(`${CALLER}(options.title)`, title, 'must be a string when present');
  }
  const { start, end } = model;
  const windows = model.signals.map((signal) => signalWindow(signal, start, end));

  let step = options.step;
  if (step === undefined) {
    const instants = new Set<number>([start, end]);
    for (const w of windows) for (const c of w.changes) instants.add(c.time);
    const sorted = [...instants].sort((a, b) => a - b);
    let gap = Infinity;
    for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, (sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
    step = Number.isFinite(gap) ? gap : 1;
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

  const lanes = model.signals.map((signal, i): WaveDromLane => {
    const { before, changes } = windows[i] ?? { before: undefined, changes: [] };
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
    } else {
      let current = before;
      for (let s = 0; s < slots; s++) {
        let value = current;
        while (k < changes.length && slotOf(changes[k]?.time ?? 0) === s) value = changes[k++]?.value;
        if (s > 0 && value === current) {
          wave += '.';
        } else if (signal.kind === 'wire' || value === undefined) {
          wave += bit(value);
        } else {
          wave += '=';
          data.push(value.toString());
        }
        current = value;
      }
    }
    return data.length > 0 ? { name: signal.name, wave, data } : { name: signal.name, wave };
  });

  const foot = { text: `1 slot = ${slotStep} ns, slot 0 = ${start} ns` };
  return title === undefined ? { signal: lanes, foot } : { signal: lanes, head: { text: title }, foot };
};
