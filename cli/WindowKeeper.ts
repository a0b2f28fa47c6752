import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { CounterSample, CounterSampleSink } from '../src/trace/waveform/CounterSample';

/** A waveform window (ns, both ends included). */
export interface Window {
  readonly from: number;
  readonly to: number;
}

/** Default SVG/WaveDrom window length: long enough for a few expiries, short enough to read. */
export const WINDOW = 50_000;
/** How much of the default window comes before the first expiry: the counting that leads to it. */
export const LEAD = 10_000;

/**
 * The signal an event draws in `buildWaveform` (one per event; a read's
 * value rides with its `read` signal), or undefined for one it does not
 * draw (a synchronous trigger). An 8-byte read also widens `read_value`:
 * it gets a second key, so the widest read is kept too.
 */
const keysOf = (e: TraceEvent): readonly string[] => {
  switch (e.kind) {
    case 'irq':
      return [e.source];
    case 'read':
      return e.size === 8 ? [`guest.${e.source}.read`, `guest.${e.source}.read_value#8`] : [`guest.${e.source}.read`];
    case 'write':
      return [`guest.${e.source}.write`];
    case 'expiry':
      return [`${e.timer}.expiry`];
    case 'trigger':
      return e.delivery === 'bottom-half' ? [`${e.timer}.bottom-half`] : [];
    case 'mark':
      return [`${e.source}.${e.label}`];
    default:
      return [`${e.source}.${e.kind}`];
  }
};

interface Numbered<T> {
  readonly seq: number;
  readonly item: T;
}

/**
 * What `buildWaveform` needs of a run for one window `[from, to]`: every
 * event and sample inside it, and outside it only what changes the drawing:
 * per signal the last event before the window (the level it enters with)
 * and the first after it (a signal is listed even when it changes only
 * after the window), per probe the last sample before and the first after.
 * So the model equals the one built from the whole run, at the cost of the
 * window and the signals only.
 */
class FixedWindow {
  private readonly before = new Map<string, Numbered<TraceEvent>>();
  private readonly inside: Numbered<TraceEvent>[] = [];
  private readonly after = new Map<string, Numbered<TraceEvent>>();
  private readonly samplesBefore = new Map<string, CounterSample>();
  private readonly samplesInside: CounterSample[] = [];
  private readonly samplesAfter = new Map<string, CounterSample>();

  constructor(readonly window: Window) {}

  add(seq: number, event: TraceEvent): void {
    const { from, to } = this.window;
    if (event.time >= from && event.time <= to) {
      this.inside.push({ seq, item: event });
      return;
    }
    for (const key of keysOf(event)) {
      if (event.time < from) this.before.set(key, { seq, item: event });
      else if (!this.after.has(key)) this.after.set(key, { seq, item: event });
    }
  }

  sample(sample: CounterSample): void {
    const { from, to } = this.window;
    if (sample.time < from) this.samplesBefore.set(sample.source, sample);
    else if (sample.time <= to) this.samplesInside.push(sample);
    else if (!this.samplesAfter.has(sample.source)) this.samplesAfter.set(sample.source, sample);
  }

  /** The events kept, in their order in the run (an event kept under two keys once). */
  events(): TraceEvent[] {
    const outside = (map: Map<string, Numbered<TraceEvent>>): Numbered<TraceEvent>[] => {
      const bySeq = new Map<number, Numbered<TraceEvent>>();
      for (const n of map.values()) bySeq.set(n.seq, n);
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    };
    return [...outside(this.before), ...this.inside, ...outside(this.after)].map((n) => n.item);
  }

  samples(): CounterSample[] {
    return [...this.samplesBefore.values(), ...this.samplesInside, ...this.samplesAfter.values()];
  }
}

/**
 * A trace and sample sink that keeps what an SVG or WaveDrom window of a run
 * needs, and nothing else, so `run --svg/--wavedrom` works in bounded
 * memory. The window is given, or the default one: {@link WINDOW} ns from
 * {@link LEAD} ns before the first expiry (from 0 when nothing expires),
 * which is known only once that expiry happens: until then the keeper holds
 * the last {@link LEAD} ns, and the first {@link WINDOW} ns in case nothing
 * ever expires.
 */
export class WindowKeeper implements TraceSink, CounterSampleSink {
  private fixed: FixedWindow | undefined;
  /** Before the first expiry (default window): the window from 0, and the recent past. */
  private fallback: FixedWindow | undefined;
  private recent: Numbered<TraceEvent | CounterSample>[] = [];
  private head = 0;
  private readonly older = new Map<string, Numbered<TraceEvent>>();
  private readonly olderSamples = new Map<string, CounterSample>();
  private seq = 0;
  private readonly given: boolean;

  /** @param window - the window, or undefined for the default one */
  constructor(window: Window | undefined) {
    this.given = window !== undefined;
    if (window !== undefined) this.fixed = new FixedWindow(window);
    else this.fallback = new FixedWindow({ from: 0, to: WINDOW });
  }

  record(event: TraceEvent): void {
    const seq = this.seq++;
    if (this.fixed === undefined && event.kind === 'expiry') this.settle(event.time);
    if (this.fixed !== undefined) {
      this.fixed.add(seq, event);
      return;
    }
    this.fallback!.add(seq, event);
    this.remember({ seq, item: event }, event.time);
  }

  sample(sample: CounterSample): void {
    if (this.fixed !== undefined) {
      this.fixed.sample(sample);
      return;
    }
    this.fallback!.sample(sample);
    this.remember({ seq: -1, item: sample }, sample.time);
  }

  /**
   * The window and what to draw it from.
   * @param until - where the run ended (the default window ends there at the latest)
   */
  result(until: number): { readonly window: Window; readonly events: TraceEvent[]; readonly samples: CounterSample[] } {
    const kept = this.fixed ?? this.fallback!;
    const { from, to } = kept.window;
    // A given window is kept as given; the default one ends with the run at the latest.
    const window = this.given ? kept.window : { from, to: Math.min(until, to) };
    return { window, events: kept.events(), samples: kept.samples() };
  }

  /** Holds the last {@link LEAD} ns; what falls out of it leaves only its last event per signal. */
  private remember(n: Numbered<TraceEvent | CounterSample>, time: number): void {
    this.recent.push(n);
    const horizon = time - LEAD;
    while (this.head < this.recent.length && this.recent[this.head]!.item.time < horizon) {
      const old = this.recent[this.head++]!;
      if (old.seq < 0) this.olderSamples.set((old.item as CounterSample).source, old.item as CounterSample);
      else for (const key of keysOf(old.item as TraceEvent)) this.older.set(key, old as Numbered<TraceEvent>);
    }
    if (this.head > 4096 && this.head * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.head);
      this.head = 0;
    }
  }

  /** The first expiry, at `time`: the default window is fixed; what was held goes into it. */
  private settle(time: number): void {
    const from = Math.max(0, time - LEAD);
    const fixed = new FixedWindow({ from, to: from + WINDOW });
    const older = new Map<number, Numbered<TraceEvent>>();
    for (const n of this.older.values()) older.set(n.seq, n);
    for (const n of [...older.values()].sort((a, b) => a.seq - b.seq)) fixed.add(n.seq, n.item);
    for (const s of this.olderSamples.values()) fixed.sample(s);
    for (let i = this.head; i < this.recent.length; i++) {
      const n = this.recent[i]!;
      if (n.seq < 0) fixed.sample(n.item as CounterSample);
      else fixed.add(n.seq, n.item as TraceEvent);
    }
    this.fixed = fixed;
    this.fallback = undefined;
    this.recent = [];
    this.older.clear();
    this.olderSamples.clear();
  }
}
