import type { Device } from '../src/bus/Device';
import type { VirtualClock } from '../src/clock/VirtualClock';
import type { IrqSignal } from '../src/irq/IrqLine';
import { Trace } from '../src/trace/Trace';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { CounterSample } from '../src/trace/waveform/CounterSample';

interface Probe {
  readonly source: string;
  readonly width: number;
  readonly read: () => bigint;
  last: bigint | undefined;
}

/**
 * Where everything a system records goes: its trace, the listeners of
 * `watchTrace`, and, when sampling is on, the probe samples taken at each
 * event. The one place the system connects to what it traces: a device's
 * events ({@link SystemRecorder.traceDevice}) and a line's changes
 * ({@link SystemRecorder.traceLine}). Muted while a snapshot is restored.
 * @internal
 */
export class SystemRecorder implements TraceSink {
  /** Everything recorded, in order. */
  readonly trace = new Trace();
  /** Probe values, when sampling is on. */
  readonly samples: CounterSample[] = [];
  /** While true, nothing is recorded (a restore re-creates state, not history). */
  muted = false;
  private watchers: readonly ((event: TraceEvent) => void)[] = [];
  private readonly probes: Probe[] = [];

  /**
   * @param clock - stamps line changes and samples
   * @param sampling - whether to sample the probes at each event
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly sampling: boolean,
  ) {}

  /** Records `event` in the trace, samples the probes, then tells the watchers. */
  record(event: TraceEvent): void {
    if (this.muted) return;
    this.trace.record(event);
    if (this.sampling) this.sampleProbes();
    const watchers = this.watchers;
    for (let i = 0; i < watchers.length; i++) watchers[i]!(event);
  }

  /** Calls `listener` with every event recorded from now on; returns a function that stops it. */
  watch(listener: (event: TraceEvent) => void): () => void {
    this.watchers = [...this.watchers, listener];
    return () => {
      this.watchers = this.watchers.filter((w) => w !== listener);
    };
  }

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
    return signal.watch((level) => this.record({ time: this.clock.now(), source, kind: 'irq', level }), { first: true });
  }

  /** Samples `device`'s probes (as `<name>.<probe>`) from now on. */
  addProbes(name: string, device: Device): void {
    for (const probe of device.probes ?? []) {
      this.probes.push({ source: `${name}.${probe.name}`, width: probe.width, read: () => probe.read(), last: undefined });
    }
  }

  /** When sampling is on, records each probe whose value changed since its last sample. */
  sampleProbes(): void {
    if (!this.sampling) return;
    const time = this.clock.now();
    for (const p of this.probes) {
      const value = p.read();
      if (value !== p.last) {
        p.last = value;
        this.samples.push({ time, source: p.source, value, width: p.width });
      }
    }
  }

  /** Drops the watchers (the system is disposed). */
  dispose(): void {
    this.watchers = [];
  }
}
