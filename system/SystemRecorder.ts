import type { Device, DeviceProbe } from '../src/bus/Device';
import type { VirtualClock } from '../src/clock/VirtualClock';
import type { WorkTag } from '../src/clock/WorkTag';
import type { ValueForecast } from '../src/shared/ValueForecast';
import type { IrqSignal } from '../src/irq/IrqLine';
import { Trace } from '../src/trace/Trace';
import { TraceDigest } from '../src/trace/TraceDigest';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { AccessSize } from '../src/shared/AccessSize';
import type { GuestErrorReason } from '../src/shared/GuestErrorReason';
import type { CounterSample, CounterSampleSink } from '../src/trace/waveform/CounterSample';
import { SystemConfigError } from './errors';

/** What a {@link SystemRecorder} keeps and where it streams. @internal */
export interface RecorderOptions {
  /** Keep the trace's events (else only its digest, when `digest`, and count). */
  readonly keepTrace: boolean;
  /** Keep a running digest when the events are not kept (else {@link SystemRecorder.digest} throws). */
  readonly digest: boolean;
  /** Keep the probe samples in {@link SystemRecorder.samples}. */
  readonly keepSamples: boolean;
  /** Also get every recorded event, in order, right after it is recorded. */
  readonly traceSinks: readonly TraceSink[];
  /** Also get every probe sample (giving any turns sampling on). */
  readonly sampleSinks: readonly CounterSampleSink[];
}

interface Probe {
  readonly source: string;
  readonly probe: DeviceProbe;
  /** Its device's change mark (see {@link SystemRecorder.sampleProbes}). */
  readonly device: DeviceMark;
  /** The last sample's value, instant and forecast. */
  last: bigint | undefined;
  lastTime: number;
  lastForecast: ValueForecast | undefined;
  /** The sinks that still want this probe's samples (a sink past its cap declines them). */
  sinks: CounterSampleSink[];
}

/** What {@link SystemRecorder.watchTouches} tells of each recorded event: its source, its kind and, for an access, its offset. @internal */
export type TouchListener = (source: string, kind: TraceEvent['kind'], offset: number) => void;

/** Whether a device may have changed since its probes were last sampled. */
interface DeviceMark {
  touched: boolean;
}

/** Work that changes devices only through their bus accesses (traced): a guest step, or the placer running replayed ones. */
const accessesOnly = (tag: WorkTag): boolean => tag.kind === 'guest' || tag.kind === 'placer';

/**
 * Where everything a system records goes: its trace, the listeners of
 * `watchTrace`, and, when sampling is on, the probe samples. The one place
 * the system connects to what it traces: a device's events
 * ({@link SystemRecorder.traceDevice}) and a line's changes
 * ({@link SystemRecorder.traceLine}). Muted while a snapshot is restored.
 *
 * Sampling: the probes are sampled at each trace event (so a waveform shows
 * a counter's value at each access, in the instant's order) and after every
 * piece of clock work (so the state a piece of work left is sampled before
 * time moves on: nothing changes a device between two pieces of work). A
 * probe with a forecast gets a sample only when its forecast changes (the
 * device kit's probes return the same forecast while their state is
 * unchanged); the forecast covers the span to the next sample. A probe
 * without one gets a sample when its value changes and at each new instant
 * of work, and the spans between are unknown. A probe that no sink wants
 * any more (each declined it: see `CounterSampleSink.sample`) and whose
 * samples are not kept is not sampled again.
 *
 * Only what may have changed is asked for a forecast (asking every probe at
 * every event was most of a waveform run's cost): inside a guest step (or
 * the placer's replayed steps) a device changes only through its bus
 * accesses, so only the devices an event of that step came from (an
 * access's, a line's `<device>.<line>`, an expiry's) are asked, from that
 * event to the end of the step; other work (an expiry, a bottom half) also
 * touches the device its owner names (`<device>` or `<device>.<timer>`),
 * and work or an event naming no device, anything outside clock work (a
 * run's start, a restore, a direct call) asks every probe. The samples are
 * the same as asking every probe every time (a test compares the two on
 * random systems): a probe whose device is untouched returns the forecast it
 * returned last. The same rule tells a checkpoint's rewind which devices to
 * restore (see `systemCheckpoint.ts`).
 *
 * Memory: it keeps only what it is asked to keep: the events (else a
 * running {@link TraceDigest}) and the samples; the sinks take the rest as
 * it happens, so a long run can stream its outputs in bounded memory.
 * @internal
 */
export class SystemRecorder implements TraceSink {
  /** Everything recorded, in order, when the trace is kept. */
  readonly trace: Trace | undefined;
  /** Probe values, when they are kept. */
  readonly samples: CounterSample[] = [];
  /** While true, nothing is recorded (a restore re-creates state, not history); once false again, every probe is asked at the next sampling. */
  get muted(): boolean {
    return this.isMuted;
  }
  set muted(muted: boolean) {
    this.isMuted = muted;
    if (!muted) this.everything = true;
  }
  /**
   * Ask every probe at every sampling, as before change tracking: the truth
   * the tracked sampling is tested against. Set before the first run.
   * @internal
   */
  sampleEverything = false;
  private isMuted = false;
  /** Each device's change mark, by device name. */
  private readonly marks = new Map<string, DeviceMark>();
  /** The mark a source or work owner names (its device's, by name or `<device>.` prefix), or null for none: cached. */
  private readonly markOf = new Map<string, DeviceMark | null>();
  /** The marks set since the last piece of work began. */
  private touched: DeviceMark[] = [];
  /** Whether every probe is asked at the next sampling (outside clock work, or in work that may change any device). */
  private everything = true;
  /** How many probes have no forecast (each is asked at every sampling). */
  private plain = 0;
  private watchers: readonly ((event: TraceEvent) => void)[] = [];
  private touchWatchers: readonly TouchListener[] = [];
  private probes: Probe[] = [];
  /** Probes declined by every sink since the last sampling, to drop from `probes`. */
  private declined = 0;
  private readonly stopObserving: (() => void) | undefined;
  /** The running digest, when the events are not kept. */
  private readonly digester: TraceDigest | undefined;
  private readonly sampling: boolean;
  private readonly traceSinks: readonly TraceSink[];
  private readonly sampleSinks: readonly CounterSampleSink[];
  private readonly keepSamples: boolean;
  private recorded = 0;
  /**
   * Whether an access can be passed on as its fields (no event object): no
   * sampling, no watcher, and every sink takes {@link TraceSink.recordAccess}.
   */
  private accessFields = false;
  /** Whether an irq change can be passed on as its fields: as {@link SystemRecorder.accessFields}, with no sink at all. */
  private irqFields = false;

  /**
   * @param clock - stamps line changes and samples
   * @param options - what to keep and where to stream
   */
  constructor(
    private readonly clock: VirtualClock,
    options: RecorderOptions,
  ) {
    this.trace = options.keepTrace ? new Trace() : undefined;
    this.digester = options.keepTrace || !options.digest ? undefined : new TraceDigest();
    this.traceSinks = [...options.traceSinks];
    this.sampleSinks = [...options.sampleSinks];
    this.keepSamples = options.keepSamples;
    this.sampling = options.keepSamples || options.sampleSinks.length > 0;
    this.updateFields();
    // Before each piece of work: what it may change. After it: the state it left holds until the next one.
    if (this.sampling) {
      this.stopObserving = this.clock.observe({
        before: (tag) => {
          this.everything = false;
          if (!accessesOnly(tag)) this.touch(tag.owner);
        },
        after: () => {
          this.sampleTouched();
          for (const mark of this.touched) mark.touched = false;
          this.touched = [];
          this.everything = true;
        },
      });
    }
  }

  /**
   * The digest of the events recorded so far (see `Trace.digest`).
   * @throws SystemConfigError when neither the trace nor its digest is kept
   */
  digest(): string {
    if (this.trace !== undefined) return this.trace.digest();
    if (this.digester !== undefined) return this.digester.digest();
    throw new SystemConfigError('digest', 'is not kept: the system was built with keepTrace: false and digest: false', 'digest()');
  }

  /** How many events have been recorded. */
  get count(): number {
    return this.recorded;
  }

  /**
   * A mark of what is recorded now, for a rewind that must take back what
   * was recorded since (an explorer's fork whose predicates read the trace).
   * @returns a function that truncates the kept trace to the mark and puts the
   *   count back; `undefined` when what is recorded cannot be taken back: no
   *   kept trace, or sinks that have had the events since
   */
  mark(): (() => void) | undefined {
    const { trace } = this;
    if (trace === undefined || this.traceSinks.length > 0) return undefined;
    const length = trace.length;
    const recorded = this.recorded;
    return () => {
      trace.truncate(length);
      this.recorded = recorded;
    };
  }

  /** Records `event` in the trace (or its digest), hands it to the sinks, samples the probes, then tells the watchers. */
  record(event: TraceEvent): void {
    if (this.muted) return;
    if (this.trace !== undefined) this.trace.record(event);
    else if (this.digester !== undefined) this.digester.record(event);
    // Counted once recorded (a bad event throws above, as the trace and the digest refuse it).
    this.recorded++;
    const sinks = this.traceSinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.record(event);
    if (this.sampling) {
      // A label or an invariant's verdict changes no device.
      if (event.kind !== 'mark' && event.kind !== 'violation') this.touch(event.source);
      this.sampleTouched();
    }
    const touches = this.touchWatchers;
    for (let i = 0; i < touches.length; i++) touches[i]!(event.source, event.kind, event.kind === 'read' || event.kind === 'write' ? event.offset : 0);
    const watchers = this.watchers;
    for (let i = 0; i < watchers.length; i++) watchers[i]!(event);
  }

  /**
   * {@link TraceSink.recordAccess}: the same as `record` of the access event,
   * without the event object when nothing needs one (the trace and the digest
   * take fields; sinks that take them get them).
   */
  recordAccess(time: number, source: string, kind: 'read' | 'write', offset: number, size: AccessSize, value: number, error: GuestErrorReason | undefined): void {
    if (!this.accessFields) {
      this.record(error === undefined ? { time, source, kind, offset, size, value } : { time, source, kind, offset, size, value, error });
      return;
    }
    if (this.isMuted) return;
    if (this.trace !== undefined) this.trace.recordAccess(time, source, kind, offset, size, value, error);
    else if (this.digester !== undefined) this.digester.recordAccess(time, source, kind, offset, size, value, error);
    this.recorded++;
    const sinks = this.traceSinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.recordAccess!(time, source, kind, offset, size, value, error);
    const touches = this.touchWatchers;
    for (let i = 0; i < touches.length; i++) touches[i]!(source, kind, offset);
  }

  /** Calls `listener` with every event recorded from now on; returns a function that stops it. */
  watch(listener: (event: TraceEvent) => void): () => void {
    this.watchers = [...this.watchers, listener];
    this.updateFields();
    return () => {
      this.watchers = this.watchers.filter((w) => w !== listener);
      this.updateFields();
    };
  }

  private updateFields(): void {
    const plain = !this.sampling && this.watchers.length === 0;
    this.accessFields = plain && this.traceSinks.every((sink) => typeof sink.recordAccess === 'function');
    this.irqFields = plain && this.traceSinks.length === 0;
    this.countsOnly = this.irqFields && this.trace === undefined && this.digester === undefined;
  }

  /**
   * Whether a guest access is only counted: nothing keeps or sees its fields
   * (no trace, digest, sink, watcher or sampling), so the bus may skip what
   * it does only to describe it (the refusal it would carry), and call
   * {@link SystemRecorder.countAccess} instead of `recordAccess`.
   * @internal
   */
  get countsAccessesOnly(): boolean {
    return this.countsOnly;
  }

  /** An access recorded while {@link SystemRecorder.countsAccessesOnly}: counted as `recordAccess` would count it. @internal */
  countAccess(source: string, kind: 'read' | 'write', offset: number): void {
    if (this.isMuted) return;
    this.recorded++;
    const touches = this.touchWatchers;
    for (let i = 0; i < touches.length; i++) touches[i]!(source, kind, offset);
  }

  /**
   * Calls `listener` with the source, kind and offset (0 but for an
   * access) of everything recorded from now on, as `watch` would with the
   * event, but without making one: it leaves the fast paths of a system that
   * records nothing open (an access only counted, a line change only
   * counted). What a tool that only needs to know what changed uses (the
   * ordering explorer's forks). @internal
   * @returns a function that stops it
   */
  watchTouches(listener: TouchListener): () => void {
    this.touchWatchers = [...this.touchWatchers, listener];
    return () => {
      this.touchWatchers = this.touchWatchers.filter((w) => w !== listener);
    };
  }

  private countsOnly = false;

  /**
   * Records the events `device` originates: synchronously through its
   * `traceTo` where it has one (a sink's error then surfaces from the step
   * that caused the event, G5), else through `events$`.
   * @returns a function that stops recording them
   */
  traceDevice(device: Device): () => void {
    if (device.traceTo !== undefined) return device.traceTo(this);
    const subscription = device.events$.subscribe((event) => this.record(event));
    return () => subscription.unsubscribe();
  }

  /**
   * Records each change of `signal` as an `irq` event from `source`: the one
   * place a system traces lines. The recorder watches `first`, so a change is
   * recorded before whatever it causes (an OR of lines, an interrupt
   * controller, a handler's accesses), whenever those started following it.
   * @returns a function that stops recording it
   */
  traceLine(source: string, signal: IrqSignal): () => void {
    return signal.watch(
      (level) => {
        if (!this.irqFields) this.record({ time: this.clock.now(), source, kind: 'irq', level });
        else if (!this.isMuted) {
          if (this.trace !== undefined) this.trace.recordIrq(this.clock.now(), source, level);
          else if (this.digester !== undefined) this.digester.recordIrq(this.clock.now(), source, level);
          this.recorded++;
          const touches = this.touchWatchers;
          for (let i = 0; i < touches.length; i++) touches[i]!(source, 'irq', 0);
        }
      },
      { first: true },
    );
  }

  /** Samples `device`'s probes (as `<name>.<probe>`) from now on. */
  addProbes(name: string, device: Device): void {
    const mark: DeviceMark = { touched: false };
    this.marks.set(name, mark);
    this.markOf.clear();
    for (const probe of device.probes ?? []) {
      if (probe.forecast === undefined) this.plain++;
      this.probes.push({ source: `${name}.${probe.name}`, probe, device: mark, last: undefined, lastTime: -1, lastForecast: undefined, sinks: [...this.sampleSinks] });
    }
  }

  /** When sampling is on, records each probe whose forecast changed (with one) or whose value changed or that was last sampled at an earlier instant (without). */
  sampleProbes(): void {
    this.everything = true;
    this.sampleTouched();
  }

  /** Marks the device `name` names (a device, `<device>.<line>`, `<device>.<timer>`) as maybe changed until the current work ends; a name of no device marks them all. */
  private touch(name: string): void {
    if (this.everything) return;
    let mark = this.markOf.get(name);
    if (mark === undefined) {
      const dot = name.indexOf('.');
      mark = this.marks.get(name) ?? (dot > 0 ? this.marks.get(name.slice(0, dot)) : undefined) ?? null;
      this.markOf.set(name, mark);
    }
    if (mark === null) {
      this.everything = true;
    } else if (!mark.touched) {
      mark.touched = true;
      this.touched.push(mark);
    }
  }

  /** {@link SystemRecorder.sampleProbes} of the probes that may have changed: every one, or those of touched devices and those without a forecast. */
  private sampleTouched(): void {
    if (!this.sampling || this.isMuted) return;
    const all = this.everything || this.sampleEverything;
    if (!all && this.touched.length === 0 && this.plain === 0) return;
    const time = this.clock.now();
    for (const p of this.probes) {
      const { probe } = p;
      const width = probe.width;
      if (probe.forecast !== undefined) {
        if (!all && !p.device.touched) continue;
        const forecast = probe.forecast();
        if (forecast === p.lastForecast) continue;
        const value = forecast.valueAt(time);
        p.lastForecast = forecast;
        p.last = value;
        p.lastTime = time;
        this.take(p, { time, source: p.source, value, width, forecast });
        continue;
      }
      const value = probe.read();
      if (value === p.last && time === p.lastTime) continue;
      p.last = value;
      p.lastTime = time;
      this.take(p, { time, source: p.source, value, width });
    }
    if (this.declined > 0) {
      this.declined = 0;
      this.probes = this.probes.filter((p) => p.sinks.length > 0 || this.keepSamples);
    }
  }

  private take(p: Probe, sample: CounterSample): void {
    if (this.keepSamples) this.samples.push(sample);
    const sinks = p.sinks;
    for (let i = 0; i < sinks.length; i++) {
      if (sinks[i]!.sample(sample) === false) {
        sinks.splice(i--, 1);
        if (sinks.length === 0) this.declined++;
      }
    }
  }

  /** Drops the watchers (the system is disposed). */
  dispose(): void {
    this.watchers = [];
    this.updateFields();
    this.stopObserving?.();
  }
}
