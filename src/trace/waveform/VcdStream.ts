import type { TraceEvent } from '../TraceEvent';
import type { TraceSink } from '../TraceSink';
import { DEFAULT_MAX_CHANGES } from './buildWaveform';
import type { CounterSample, CounterSampleSink } from './CounterSample';
import { WaveformError } from './errors';
import type { NumberedSample } from './expandSamples';
import { SampleStream } from './SampleStream';
import { vcdHeader, vcdHeaderOptions, vcdValueLine } from './toVcd';
import type { WaveChange, WaveKind, WaveSignal } from './WaveformModel';

/**
 * Where a {@link VcdStream} keeps the body of the dump while the run goes:
 * VCD declares every signal before the first value, and a run's signals are
 * known only at its end, so the changes wait here (in a compact form) and
 * are written after the header by {@link VcdStream.finish}. A CLI or server
 * spools to a temporary file; the default keeps the text in memory.
 */
export interface VcdSpool {
  /** Appends text. */
  write(text: string): void;
  /** Everything written, in order, in chunks of any size; called once, by `finish`. */
  read(): Iterable<string>;
}

/** Options of {@link VcdStream}. */
export interface VcdStreamOptions {
  /** Takes the VCD text, in order, in chunks, during {@link VcdStream.finish}. */
  readonly write: (text: string) => void;
  /** Where the body waits until the run ends (default: in memory; pass a file-backed one for long runs). */
  readonly spool?: VcdSpool;
  /** As {@link ToVcdOptions.date}. */
  readonly date?: string;
  /** As {@link ToVcdOptions.version}. */
  readonly version?: string;
  /** As {@link ToVcdOptions.scope}. */
  readonly scope?: string;
  /** As {@link BuildWaveformOptions.maxChanges}, over the whole run (default {@link DEFAULT_MAX_CHANGES}). */
  readonly maxChanges?: number;
}

const CALLER = 'VcdStream';
/** Picoseconds per ns, and the most same-instant steps a timestamp separates (as `toVcd` in `'delta'` mode). */
const PS = 1000;
const MAX_STEP = PS - 1;
/** Output is handed on in chunks of about this many characters. */
const CHUNK = 1 << 16;

/** A signal met so far, in the order met (its provisional number). */
interface Signal {
  readonly name: string;
  readonly index: number;
  readonly kind: WaveKind;
  width: number;
  /** Where its kind and width were set, for collision messages. */
  readonly origin: string;
  /** Whether its first change has been seen. */
  started: boolean;
  /** Wire or vector: its value in `$dumpvars` (known at its first change). */
  dumpvar: bigint | undefined;
  current: bigint | undefined;
  /** Event: the last timestamp written. */
  lastAt: number;
  /** The instant of its last change, and how many it had there (the fallback step of a change without one). */
  instant: number;
  n: number;
  /** A probe source: its samples' changes come from here. */
  samples: SampleStream | undefined;
}

/** In-memory spool: the default. */
const memorySpool = (): VcdSpool => {
  const parts: string[] = [];
  return { write: (text) => void parts.push(text), read: () => parts };
};

/**
 * A {@link TraceSink} and {@link CounterSampleSink} that writes a whole
 * run's Value Change Dump as the run goes: the same text as
 * `toVcd(buildWaveform({ events, samples }, { maxChanges }), { sameInstant: 'delta' })`
 * of the same events and samples, byte for byte, without keeping them.
 *
 * It holds the events and samples of the current instant, each signal's
 * state and each probe's open forecast span; the changes go to the
 * {@link VcdSpool} as each instant closes (time order), and
 * {@link VcdStream.finish} writes the header (signals sorted by name, as
 * `buildWaveform` lists them), `$dumpvars`, then the spooled body with the
 * final identifier codes. Memory is bounded by the signals and one instant,
 * not by the run's length; the spool grows like the file.
 *
 * Give it the events and samples in time order, as a system records them
 * (see `SystemOptions.traceSinks` and `SystemOptions.sampleSinks`); at one
 * instant the events come before the samples, whatever the order they came
 * in, as in `buildWaveform`.
 *
 * Ordering: keeps the order of instants and, with picosecond offsets, the
 * order of changes within an instant (G4), as `toVcd`'s `'delta'` mode.
 *
 * ## Example
 * ```ts
 * const chunks: string[] = [];
 * const vcd = new VcdStream({ write: (text) => chunks.push(text) });
 * const system = new System({ keepTrace: false, traceSinks: [vcd], sampleSinks: [vcd] });
 * // ... add devices and guests ...
 * system.run(1_000_000_000);
 * vcd.finish();
 * writeFileSync('run.vcd', chunks.join(''));
 * ```
 * @see toVcd for a model already in memory
 */
export class VcdStream implements TraceSink, CounterSampleSink {
  private readonly header: { readonly date: string | undefined; readonly version: string; readonly scope: string };
  private readonly maxChanges: number;
  private readonly spool: VcdSpool;
  private readonly out: (text: string) => void;
  private readonly signals = new Map<string, Signal>();
  private readonly list: Signal[] = [];
  private readonly probes: Signal[] = [];
  private instant = -1;
  private events: TraceEvent[] = [];
  private samples: CounterSample[] = [];
  private start: number | undefined;
  private end = 0;
  private lastAt = -1;
  private finished = false;
  /** The changes of the instants being closed: timestamp, then `<signal> <value>`. */
  private at: number[] = [];
  private lines: string[] = [];
  private seen = 0;

  /**
   * @param options - where the text goes, the spool, header texts and the cap
   * @throws WaveformError for a bad option (as {@link toVcd} and {@link buildWaveform} check it)
   */
  constructor(options: VcdStreamOptions) {
    if (typeof options?.write !== 'function') throw new WaveformError(`${CALLER}(options.write)`, options?.write, 'must be a function');
    this.out = options.write;
    this.header = vcdHeaderOptions(options, CALLER);
    const { maxChanges = DEFAULT_MAX_CHANGES } = options;
    if (!Number.isSafeInteger(maxChanges) || maxChanges < 0) {
      throw new WaveformError(`${CALLER}(options.maxChanges)`, maxChanges, 'must be a non-negative safe integer');
    }
    this.maxChanges = maxChanges;
    const spool = options.spool ?? memorySpool();
    if (typeof spool !== 'object' || spool === null || typeof spool.write !== 'function' || typeof spool.read !== 'function') {
      throw new WaveformError(`${CALLER}(options.spool)`, spool, 'must be a VcdSpool ({ write, read }) when present');
    }
    this.spool = spool;
  }

  /**
   * Takes one trace event.
   * @throws WaveformError for an event before the previous one, of an unknown kind, or whose signal clashes with another's kind or width; or after `finish`
   */
  record(event: TraceEvent): void {
    this.enter(event?.time, `events[${this.seen}]`);
    this.seen++;
    this.events.push(event);
  }

  /**
   * Takes one probe sample.
   * @returns false once the sample's counter is past the cap: nothing more of it is drawn, so no more of its samples are needed
   * @throws WaveformError for a sample before the previous event or sample; or after `finish`
   */
  sample(sample: CounterSample): boolean {
    this.enter(sample?.time, `sample at ${String(sample?.time)}`);
    this.samples.push(sample);
    return this.signals.get(sample.source)?.samples?.capped !== true;
  }

  /**
   * Ends the dump: writes the header, `$dumpvars`, the spooled body and the
   * final timestamp through `options.write`. Takes nothing more after.
   * @throws WaveformError when called twice; the spool's and `write`'s errors as thrown
   */
  finish(): void {
    if (this.finished) throw new WaveformError(`${CALLER}.finish()`, 'finished', 'may be called once');
    this.close();
    this.finished = true;
    for (const probe of this.probes) probe.samples!.finish(this.end);
    this.flush();
    const start = this.start ?? 0;
    const end = this.start === undefined ? 0 : this.end;
    const sorted = [...this.list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const model = {
      start,
      end,
      signals: sorted.map((s): WaveSignal => ({ name: s.name, kind: s.kind, width: s.width, changes: [] })),
    };
    const { ids, out: head } = vcdHeader(model, this.header, '1ps');
    const rank = new Array<number>(this.list.length);
    sorted.forEach((s, i) => (rank[s.index] = i));
    let text = `${head.join('\n')}\n#${start * PS}\n$dumpvars\n`;
    sorted.forEach((s, i) => {
      if (s.kind !== 'event') text += `${vcdValueLine(s, s.dumpvar, ids[i]!)}\n`;
    });
    text += '$end\n';
    // The body: each timestamp's changes in model order (as `toVcd` lists them), with the final codes.
    let group: { readonly r: number; readonly line: string }[] = [];
    const writeGroup = (): void => {
      if (group.length > 1) group.sort((a, b) => a.r - b.r);
      for (const { line } of group) text += `${line}\n`;
      group = [];
      if (text.length >= CHUNK) {
        this.out(text);
        text = '';
      }
    };
    let lastTime = start * PS;
    let carry = '';
    const take = (line: string): void => {
      if (line.startsWith('#')) {
        writeGroup();
        lastTime = Number(line.slice(1));
        if (lastTime !== start * PS) text += `${line}\n`;
        return;
      }
      const space = line.indexOf(' ');
      const r = rank[Number(line.slice(0, space))]!;
      const signal = sorted[r]!;
      const value = line.slice(space + 1);
      group.push({ r, line: signal.kind === 'vector' ? `${value} ${ids[r]!}` : `${value}${ids[r]!}` });
    };
    for (const chunk of this.spool.read()) {
      const parts = (carry + chunk).split('\n');
      carry = parts.pop()!;
      for (const line of parts) take(line);
    }
    if (carry !== '') take(carry);
    writeGroup();
    if (end * PS > lastTime) text += `#${end * PS}\n`;
    this.out(text);
  }

  private enter(time: unknown, where: string): void {
    if (this.finished) throw new WaveformError(`${CALLER}(${where})`, time, 'comes after finish()');
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) {
      throw new WaveformError(`${CALLER}(${where}.time)`, time, 'must be a non-negative safe integer (ns)');
    }
    if (time < this.instant) throw new WaveformError(`${CALLER}(${where}.time)`, time, `must not be before the previous event or sample (${this.instant})`);
    if (time > this.instant) {
      this.close();
      this.instant = time;
    }
  }

  private signal(name: string, kind: WaveKind, width: number, where: string, growWidth = false): Signal {
    let s = this.signals.get(name);
    if (s === undefined) {
      s = { name, index: this.list.length, kind, width, origin: where, started: false, dumpvar: undefined, current: undefined, lastAt: -1, instant: -1, n: 0, samples: undefined };
      this.signals.set(name, s);
      this.list.push(s);
    } else if (s.kind !== kind) {
      throw new WaveformError(`${CALLER}(${where})`, name, `names a ${kind === 'event' ? 'n event' : kind}, but ${s.origin} made it a ${s.kind}`);
    } else if (growWidth) {
      s.width = Math.max(s.width, width);
    } else if (s.width !== width) {
      throw new WaveformError(`${CALLER}(${where}.width)`, width, `must equal the width of ${JSON.stringify(name)} (${s.width}) set by ${s.origin}`);
    }
    return s;
  }

  /** The instant being held is complete: its changes (and the forecasts' changes up to it) go to the spool. */
  private close(): void {
    const events = this.events;
    const samples = this.samples;
    if (events.length === 0 && samples.length === 0) return;
    this.events = [];
    this.samples = [];
    const time = this.instant;
    // Each change's place in its instant: the events in order, then the samples (as `buildWaveform` numbers them).
    const changes: { readonly signal: Signal; readonly change: WaveChange }[] = [];
    const event = (name: string, step: number, where: string): void => {
      changes.push({ signal: this.signal(name, 'event', 1, where), change: { time, step, value: 1n } });
    };
    const base = this.seen - events.length;
    events.forEach((e, step) => {
      const where = `events[${base + step}]`;
      const { source } = e;
      switch (e.kind) {
        case 'irq':
          changes.push({ signal: this.signal(source, 'wire', 1, where), change: { time, step, value: e.level ? 1n : 0n } });
          return;
        case 'read':
          event(`guest.${source}.read`, step, where);
          changes.push({ signal: this.signal(`guest.${source}.read_value`, 'vector', Math.max(32, 8 * e.size), where, true), change: { time, step, value: BigInt(e.value) } });
          return;
        case 'write':
          event(`guest.${source}.write`, step, where);
          return;
        case 'expiry':
          event(`${e.timer}.expiry`, step, where);
          return;
        case 'trigger':
          if (e.delivery === 'bottom-half') event(`${e.timer}.bottom-half`, step, where);
          return;
        case 'guest-error':
        case 'unimplemented':
        case 'violation':
          event(`${source}.${e.kind}`, step, where);
          return;
        case 'mark':
          event(`${source}.${e.label}`, step, where);
          return;
        default:
          throw new WaveformError(`${CALLER}(${where}.kind)`, (e as { kind?: unknown }).kind, 'must be a known trace event kind');
      }
    });
    if (changes.length === 0 && samples.length === 0) return; // nothing to draw here (synchronous triggers only)
    this.start ??= time;
    this.end = time;
    const bySource = new Map<string, NumberedSample[]>();
    samples.forEach((sample, i) => {
      const s = this.signal(sample.source, 'vector', sample.width, `sample ${sample.source} at ${time}`);
      if (s.samples === undefined) {
        s.samples = new SampleStream(this.maxChanges, (at, step, value) => this.change(s, at, step, value));
        this.probes.push(s);
      }
      let list = bySource.get(s.name);
      if (list === undefined) bySource.set(s.name, (list = []));
      list.push({ sample, step: events.length + i });
    });
    for (const probe of this.probes) probe.samples!.advance(time, bySource.get(probe.name) ?? []);
    for (const { signal, change } of changes) this.change(signal, change.time, change.step, change.value);
    this.flush();
  }

  /** One change of `s` (instant, step there, value), written as `toVcd` writes it in `'delta'` mode (the first one may go to `$dumpvars`). */
  private change(s: Signal, time: number, step: number | undefined, value: bigint | undefined): void {
    const start = this.start!;
    if (!s.started) {
      s.started = true;
      if (s.kind === 'wire' && time > start && value !== undefined) {
        // An irq line changes only on change: before its first, it had the other level.
        s.dumpvar = s.current = 1n - value;
      } else if (s.kind !== 'event' && time === start && (step ?? 0) === 0) {
        s.dumpvar = s.current = value;
        return;
      }
    }
    const index = time === s.instant ? ++s.n : ((s.instant = time), (s.n = 0));
    const at = time * PS + Math.min(step ?? index, MAX_STEP);
    if (s.kind === 'event') {
      if (at === s.lastAt) return; // one occurrence per timestamp
      s.lastAt = at;
      this.at.push(at);
      this.lines.push(`${s.index} 1`);
      return;
    }
    if (value === s.current) return;
    s.current = value;
    this.at.push(at);
    const text = value === undefined ? 'x' : s.kind === 'vector' ? value.toString(2) : value.toString();
    this.lines.push(`${s.index} ${s.kind === 'vector' ? 'b' : ''}${text}`);
  }

  /** Spools the changes collected, by timestamp (stable: a signal's changes keep their order). */
  private flush(): void {
    const { at, lines } = this;
    if (lines.length === 0) return;
    let sorted = true;
    for (let i = 1; i < at.length && sorted; i++) sorted = at[i - 1]! <= at[i]!;
    const order = sorted ? undefined : lines.map((_, i) => i).sort((a, b) => at[a]! - at[b]! || a - b);
    let text = '';
    for (let k = 0; k < lines.length; k++) {
      const i = order === undefined ? k : order[k]!;
      const t = at[i]!;
      if (t !== this.lastAt) {
        text += `#${t}\n`;
        this.lastAt = t;
      }
      text += `${lines[i]!}\n`;
    }
    this.spool.write(text);
    this.at = [];
    this.lines = [];
  }
}
