import type { AccessEvent, TraceEvent } from '../TraceEvent';
import type { CounterSample } from './CounterSample';
import { isWaveTime } from './checkWaveformModel';
import { WaveformError } from './errors';
import { expandSamples, type NumberedSample } from './expandSamples';
import type { WaveChange, WaveKind, WaveSignal, WaveformModel } from './WaveformModel';

/** What {@link buildWaveform} reads: a trace's events and, optionally, counter samples. */
export interface WaveformInput {
  /** Trace events, each signal's events in time order (e.g. `Trace.events`). */
  readonly events: readonly TraceEvent[];
  /** Probe samples, each source's samples in time order. */
  readonly samples?: readonly CounterSample[];
}

/** Options of {@link buildWaveform}. */
export interface BuildWaveformOptions {
  /** First instant kept (ns); default: the earliest event or sample (0 if none). */
  readonly from?: number;
  /** Last instant kept (ns); default: the latest event or sample (at least `from`). */
  readonly to?: number;
  /**
   * Names the register at `offset` of device `source` for access labels
   * (`R VALUE=4`); return `undefined` to fall back to the hex offset (`R 0x4=4`).
   */
  readonly registerName?: (source: string, offset: number) => string | undefined;
  /**
   * The cap: most changes of value of one counter signal inside the window,
   * after its first value (default {@link DEFAULT_MAX_CHANGES}); a sample's
   * new value counts as a forecast's change does. The change that would
   * pass it makes the counter unknown (`undefined`, labelled
   * `counting: more than … changes in the window`) from its instant to the
   * end of the window, so a counter signal never holds more than
   * `maxChanges + 2` changes however long the window is.
   */
  readonly maxChanges?: number;
}

/**
 * The default cap of {@link BuildWaveformOptions.maxChanges}: 10 000 changes
 * per counter signal, about ten times what a 1 000-px drawing can show and a
 * few hundred kB of VCD per signal.
 */
export const DEFAULT_MAX_CHANGES = 10_000;

/** A signal being collected. */
interface Collected {
  readonly kind: WaveKind;
  width: number;
  readonly changes: WaveChange[];
  /** Where its first change came from, for collision messages. */
  readonly origin: string;
}

const CALLER = 'buildWaveform';

const hex = (n: number): string => `0x${n.toString(16)}`;

const aKind = (kind: WaveKind): string => (kind === 'event' ? 'an event' : `a ${kind}`);

/** A mark's payload as text: JSON with bigints as decimal strings, `String` if JSON fails. */
const showData = (data: unknown): string => {
  try {
    return JSON.stringify(data, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(data);
  } catch {
    return String(data);
  }
};

/**
 * Turns trace events and counter samples into a {@link WaveformModel} that
 * the exporters ({@link toVcd}, {@link toWaveDrom}, {@link toSvg}) render.
 *
 * Mapping (each signal named `<hierarchy>.<leaf>`):
 *
 * | input                           | signal                                   | kind   | change                              |
 * | ------------------------------- | ---------------------------------------- | ------ | ----------------------------------- |
 * | `irq` (source is the line)      | `<source>`, e.g. `timer0.irq`            | wire   | `1n` / `0n`                         |
 * | counter sample                  | `<source>`, e.g. `timer0.counter`        | vector | the value, width from the sample, and every change its forecast gives up to the next sample |
 * | `read`                          | `guest.<source>.read`                    | event  | label `R <reg>=<decimal>`           |
 * |                                 | `guest.<source>.read_value`              | vector | the value read (32 bits; 64 after an 8-byte read) |
 * | `write`                         | `guest.<source>.write`                   | event  | label `W <reg>=0x<hex>`             |
 * | `expiry`                        | `<timer>.expiry`                         | event  | label: the cause                    |
 * | `trigger`, `bottom-half`        | `<timer>.bottom-half`                    | event  | label `bottom-half trigger`         |
 * | `guest-error`                   | `<source>.guest-error`                   | event  | label `<reason> at <reg>: <detail>` |
 * | `unimplemented`                 | `<source>.unimplemented`                 | event  | label: the feature                  |
 * | `violation`                     | `<source>.violation`                     | event  | label `violation: <message>`        |
 * | `mark`                          | `<source>.<label>`                       | event  | label: `<label>=<data as JSON>`, or the label |
 *
 * `<reg>` is `options.registerName(source, offset)`, or the offset in hex.
 * Reads are shown in decimal (counters), writes in hex (control bits); a
 * refused access adds its reason: `R 0x40=0 (unmapped)`. Synchronous
 * triggers are left out: the device callback ran inside the expiry, which
 * the `expiry` signal already marks.
 *
 * An irq wire's level before its first event is known: irq events are
 * emitted only on change, so it is the opposite of that event's level. Other
 * wires and vectors are unknown until their first change.
 *
 * Counters: a value shown at an instant is the counter's value then. Each
 * sample gives the value at its instant; its forecast (see
 * {@link CounterSample.forecast}) gives every change after it, up to the
 * next sample of its source, inside the window, up to
 * {@link BuildWaveformOptions.maxChanges} per signal. Where the value is not
 * known (from that cap to the window's end; between samples without a forecast; past a
 * forecast's end with no sample after it) the change's value is
 * `undefined`, with a label saying why. Nothing is held stale.
 *
 * Window: changes outside `[from, to]` are dropped, but each wire and vector
 * keeps the value it has at `from` as a change at `from` (before any
 * changes at exactly `from`). Every signal met in the input is listed, even
 * one with no change in the window, except a guest's `read_value` that is
 * unknown throughout it (no read of that device at or before `to`): a row
 * of `x` says nothing.
 *
 * Signals are sorted by name (UTF-16 code unit order), so a hierarchy stays
 * together and two runs with the same signals list them in the same order
 * whatever happened first.
 *
 * Ordering: changes at one instant keep their order in the input (G4), so a
 * same-instant race (a read just before or just after an IRQ rise) stays
 * visible.
 *
 * ## Example
 * ```ts
 * const model = buildWaveform(
 *   {
 *     events: [
 *       { time: 100, source: 'timer0.irq', kind: 'irq', level: true },
 *       { time: 100, source: 'timer0', kind: 'read', offset: 4, size: 4, value: 9 },
 *     ],
 *   },
 *   { from: 0, registerName: (_device, offset) => (offset === 4 ? 'VALUE' : undefined) },
 * );
 * // model.start === 0, model.end === 100; model.signals, by name:
 * //   guest.timer0.read       event   'R VALUE=9' at 100
 * //   guest.timer0.read_value vector  32 bits: 9n at 100 (unknown before)
 * //   timer0.irq              wire    0n at 0 (inferred), 1n at 100
 * ```
 *
 * @param input - the trace events and optional counter samples
 * @param options - window, register naming and the cap on computed changes
 * @returns the model: signals sorted by name, window `[from, to]`
 * @throws WaveformError for a time that is not a non-negative safe integer,
 *   `from > to`, a time going backwards within one signal, a sample whose
 *   width is not a positive safe integer or whose value does not fit it, a
 *   forecast that is not one, a maxChanges that is not a non-negative safe integer, an
 *   access value that is not a non-negative safe integer, an unknown event
 *   kind, or one name used for signals of different kinds or widths
 * @see toVcd
 * @see toWaveDrom
 * @see toSvg
 */
export const buildWaveform = (input: WaveformInput, options: BuildWaveformOptions = {}): WaveformModel => {
  const { from, to, registerName, maxChanges = DEFAULT_MAX_CHANGES } = options;
  if (!Number.isSafeInteger(maxChanges) || maxChanges < 0) {
    throw new WaveformError(`${CALLER}(options.maxChanges)`, maxChanges, 'must be a non-negative safe integer');
  }
  if (from !== undefined && !isWaveTime(from)) {
    throw new WaveformError(`${CALLER}(options.from)`, from, 'must be a non-negative safe integer (ns)');
  }
  if (to !== undefined && !isWaveTime(to)) {
    throw new WaveformError(`${CALLER}(options.to)`, to, 'must be a non-negative safe integer (ns)');
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new WaveformError(`${CALLER}(options.from)`, from, `must not be after options.to (${to})`);
  }
  if (registerName !== undefined && typeof registerName !== 'function') {
    throw new WaveformError(`${CALLER}(options.registerName)`, registerName, 'must be a function when present');
  }
  if (typeof input !== 'object' || input === null || !Array.isArray(input.events)) {
    throw new WaveformError(`${CALLER}(input.events)`, input?.events, 'must be an array of trace events');
  }
  const samples = input.samples ?? [];
  if (!Array.isArray(samples)) {
    throw new WaveformError(`${CALLER}(input.samples)`, samples, 'must be an array of counter samples when present');
  }

  const signals = new Map<string, Collected>();
  let earliest = Infinity;
  let latest = -Infinity;

  /** Appends a change to signal `name`; `growWidth`: a wider value widens the vector instead of failing. */
  const add = (name: string, kind: WaveKind, width: number, change: WaveChange, where: string, growWidth = false): void => {
    let signal = signals.get(name);
    if (signal === undefined) {
      signal = { kind, width, changes: [], origin: where };
      signals.set(name, signal);
    } else if (signal.kind !== kind) {
      throw new WaveformError(`${CALLER}(${where})`, name, `names ${aKind(kind)}, but ${signal.origin} made it ${aKind(signal.kind)}`);
    } else if (growWidth) {
      signal.width = Math.max(signal.width, width);
    } else if (signal.width !== width) {
      throw new WaveformError(
        `${CALLER}(${where}.width)`,
        width,
        `must equal the width of ${JSON.stringify(name)} (${signal.width}) set by ${signal.origin}`,
      );
    }
    const last = signal.changes.at(-1);
    if (last !== undefined && change.time < last.time) {
      throw new WaveformError(
        `${CALLER}(${where}.time)`,
        change.time,
        `must not be before the previous change of ${JSON.stringify(name)} (${last.time})`,
      );
    }
    signal.changes.push(change);
    earliest = Math.min(earliest, change.time);
    latest = Math.max(latest, change.time);
  };

  const regOf = (source: string, offset: number): string => {
    const name = registerName?.(source, offset);
    return typeof name === 'string' && name !== '' ? name : hex(offset);
  };

  const access = (event: AccessEvent, where: string, step: number): void => {
    if (!Number.isSafeInteger(event.value) || event.value < 0) {
      throw new WaveformError(`${CALLER}(${where}.value)`, event.value, 'must be a non-negative safe integer');
    }
    if (!Number.isSafeInteger(event.offset) || event.offset < 0) {
      throw new WaveformError(`${CALLER}(${where}.offset)`, event.offset, 'must be a non-negative safe integer');
    }
    const device = `guest.${event.source}`;
    const reg = regOf(event.source, event.offset);
    const refused = event.error === undefined ? '' : ` (${event.error})`;
    const { time } = event;
    if (event.kind === 'read') {
      add(`${device}.read`, 'event', 1, { time, step, value: 1n, label: `R ${reg}=${event.value}${refused}` }, where);
      const width = Math.max(32, 8 * event.size);
      add(`${device}.read_value`, 'vector', width, { time, step, value: BigInt(event.value) }, where, true);
    } else {
      add(`${device}.write`, 'event', 1, { time, step, value: 1n, label: `W ${reg}=${hex(event.value)}${refused}` }, where);
    }
  };

  // Each change's place in its instant: trace events in order, then the samples of that instant.
  const stepsAt = new Map<number, number>();
  const nextStep = (time: number): number => {
    const n = stepsAt.get(time) ?? 0;
    stepsAt.set(time, n + 1);
    return n;
  };
  input.events.forEach((event, i) => {
    const where = `events[${i}]`;
    if (typeof event !== 'object' || event === null) {
      throw new WaveformError(`${CALLER}(${where})`, event, 'must be a trace event object');
    }
    const { time, source } = event;
    if (!isWaveTime(time)) throw new WaveformError(`${CALLER}(${where}.time)`, time, 'must be a non-negative safe integer (ns)');
    if (typeof source !== 'string' || source === '') {
      throw new WaveformError(`${CALLER}(${where}.source)`, source, 'must be a non-empty string');
    }
    const kind = event.kind as string;
    const step = nextStep(time);
    switch (event.kind) {
      case 'irq':
        add(source, 'wire', 1, { time, step, value: event.level ? 1n : 0n }, where);
        return;
      case 'read':
      case 'write':
        access(event, where, step);
        return;
      case 'expiry':
        add(`${event.timer}.expiry`, 'event', 1, { time, step, value: 1n, label: event.cause }, where);
        return;
      case 'trigger':
        if (event.delivery === 'bottom-half') {
          add(`${event.timer}.bottom-half`, 'event', 1, { time, step, value: 1n, label: 'bottom-half trigger' }, where);
        }
        return;
      case 'guest-error': {
        const label = `${event.reason} at ${regOf(source, event.offset)}: ${event.detail}`;
        add(`${source}.guest-error`, 'event', 1, { time, step, value: 1n, label }, where);
        return;
      }
      case 'unimplemented':
        add(`${source}.unimplemented`, 'event', 1, { time, step, value: 1n, label: event.feature }, where);
        return;
      case 'violation':
        add(`${source}.violation`, 'event', 1, { time, step, value: 1n, label: `violation: ${event.message}` }, where);
        return;
      case 'mark': {
        const label = event.data === undefined ? event.label : `${event.label}=${showData(event.data)}`;
        add(`${source}.${event.label}`, 'event', 1, { time, step, value: 1n, label }, where);
        return;
      }
      default:
        throw new WaveformError(`${CALLER}(${where}.kind)`, kind, 'must be a known trace event kind');
    }
  });

  const sampled = new Map<string, NumberedSample[]>();
  samples.forEach((sample, i) => {
    const where = `samples[${i}]`;
    if (typeof sample !== 'object' || sample === null) {
      throw new WaveformError(`${CALLER}(${where})`, sample, 'must be a counter sample object');
    }
    const { time, source, value, width } = sample;
    if (!isWaveTime(time)) throw new WaveformError(`${CALLER}(${where}.time)`, time, 'must be a non-negative safe integer (ns)');
    if (typeof source !== 'string' || source === '') {
      throw new WaveformError(`${CALLER}(${where}.source)`, source, 'must be a non-empty string');
    }
    if (!Number.isSafeInteger(width) || width < 1) {
      throw new WaveformError(`${CALLER}(${where}.width)`, width, 'must be a positive safe integer (bits)');
    }
    if (typeof value !== 'bigint' || value < 0n || value >= 1n << BigInt(width)) {
      throw new WaveformError(`${CALLER}(${where}.value)`, value, `must be an unsigned bigint that fits ${width} bits`);
    }
    const { forecast } = sample;
    if (
      forecast !== undefined &&
      (typeof forecast !== 'object' || forecast === null || typeof forecast.valueAt !== 'function' || typeof forecast.nextChange !== 'function' || typeof forecast.until !== 'number')
    ) {
      throw new WaveformError(`${CALLER}(${where}.forecast)`, forecast, 'must be a ValueForecast ({ until, valueAt, nextChange }) when present');
    }
    const step = nextStep(time);
    add(source, 'vector', width, { time, step, value }, where);
    let list = sampled.get(source);
    if (list === undefined) sampled.set(source, (list = []));
    list.push({ sample, step });
  });

  const known = earliest <= latest;
  const start = from ?? (to === undefined ? (known ? earliest : 0) : Math.min(known ? earliest : to, to));
  const end = to ?? Math.max(known ? latest : start, start);

  const names = [...signals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // A guest's read_value is only known once the guest read the device: left out where it is unknown throughout.
  const unread = (name: string, signal: Collected): boolean =>
    name.startsWith('guest.') && name.endsWith('.read_value') && !sampled.has(name) && !signal.changes.some((c) => c.time <= end);
  return {
    start,
    end,
    signals: names.flatMap((name): WaveSignal[] => {
      const signal = signals.get(name) as Collected;
      if (unread(name, signal)) return [];
      const list = sampled.get(name);
      if (list !== undefined) return [{ name, kind: 'vector', width: signal.width, changes: expandSamples(list, start, end, maxChanges) }];
      const inside = signal.changes.filter((c) => c.time >= start && c.time <= end);
      if (signal.kind === 'event') return [{ name, kind: 'event', width: 1, changes: inside }];
      let before: WaveChange | undefined;
      for (const change of signal.changes) if (change.time < start) before = change;
      // Only irq events make wires, and they come only on change: before the first, the level was the opposite.
      const first = signal.changes[0];
      const initial: bigint | undefined =
        before !== undefined
          ? before.value
          : signal.kind === 'wire' && first?.value !== undefined && first.time > start
            ? 1n - first.value
            : undefined;
      const changes = initial === undefined ? inside : [{ time: start, value: initial }, ...inside];
      return [{ name, kind: signal.kind, width: signal.width, changes }];
    }),
  };
};
