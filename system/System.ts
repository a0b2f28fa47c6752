import type { Device } from '../src/bus/Device';
import { VirtualClock } from '../src/clock/VirtualClock';
import type { InterruptController } from '../src/irq/InterruptController';
import type { IrqSignal } from '../src/irq/IrqLine';
import type { Trace } from '../src/trace/Trace';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { CounterSample, CounterSampleSink } from '../src/trace/waveform/CounterSample';
import { SystemConfigError, SystemSnapshotError } from './errors';
import type { GuestProgram } from './GuestProgram';
import { GuestRunner } from './GuestRunner';
import { isWhole } from './isWhole';
import type { RecordedStepSink, Recording } from './Recording';
import type { StreamedRecording } from './replaySteps';
import { SystemBuilder, type MapOptions } from './SystemBuilder';
import type { SystemBus } from './SystemBus';
import { restoreSystemSnapshot } from './restoreSystemSnapshot';
import { takeSystemSnapshot, type SnapshotParts, type SystemSnapshot } from './SystemSnapshot';
import { SystemRecorder } from './SystemRecorder';

/** Options of {@link System}. */
export interface SystemOptions {
  /** Virtual time the system starts at (ns, default 0); a system restored from a snapshot starts at its time. */
  readonly start?: number;
  /**
   * Record the device probes for waveforms: at each trace event and after
   * every piece of clock work, a probe with a forecast whenever its forecast
   * changes, one without whenever its value changes or time has moved (see
   * {@link System.samples}). Samples never enter the trace or its digest.
   * Default false.
   */
  readonly sampleProbes?: boolean;
  /**
   * Keep every trace event in memory, as {@link System.trace} (default
   * true). With false, the system keeps only the trace's digest and count
   * ({@link System.digest} is the same either way), so a long run's memory
   * does not grow with its trace; `traceSinks` can stream the events out.
   */
  readonly keepTrace?: boolean;
  /**
   * With `keepTrace: false`, still keep the trace's running digest for
   * {@link System.digest} (default true). False with `keepTrace: false`:
   * the system records nothing itself (only the trace's length), hashes
   * nothing, and `digest()` throws; sinks and `watchTrace` still get every
   * event. A run that needs no output runs fastest so.
   */
  readonly digest?: boolean;
  /**
   * Sinks that get every trace event as it is recorded, in trace order,
   * synchronously (e.g. a `VcdStream`, a `TraceDigest`, a file writer). A
   * sink's error surfaces from the step that recorded the event (G5).
   */
  readonly traceSinks?: readonly TraceSink[];
  /**
   * Sinks that get every probe sample as it is taken (see `sampleProbes`
   * for when). Giving any turns sampling on without keeping the samples
   * (unless `sampleProbes` is true as well).
   */
  readonly sampleSinks?: readonly CounterSampleSink[];
  /**
   * Record the guest inputs for {@link System.replay}: `true` keeps them as
   * {@link System.recording}; a sink gets each guest step once it is
   * complete (at the latest when `run` returns) and nothing is kept. Default
   * false: nothing is recorded, since a long run makes millions of accesses.
   */
  readonly recordInputs?: boolean | RecordedStepSink;
}

/** Progress of a {@link System.run}, reported every `progressEvery` ns of virtual time. */
export interface RunProgress {
  /** Virtual time now (ns). */
  readonly time: number;
  /** Where this run started (ns). */
  readonly from: number;
  /** Where this run ends (ns). */
  readonly until: number;
  /** Clock events run since this run started. */
  readonly events: number;
}

/** Options of {@link System.run}. */
export interface RunOptions {
  /**
   * Called as virtual time passes: once after each step that reaches or passes the next multiple of
   * `progressEvery` (with the time that step reached, so a step over several multiples is one report),
   * and once at the end unless the last report was already there. May call {@link System.stop}.
   */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Virtual ns between progress reports (default: a hundredth of the run, at least 1). */
  readonly progressEvery?: number;
}

/** How a {@link System.run} ended. */
export interface RunResult {
  /** `until`: the target time was reached; `stopped`: {@link System.stop} was called. */
  readonly reason: 'until' | 'stopped';
  /** Virtual time at the end (ns). */
  readonly time: number;
  /** Clock events run by this call. */
  readonly events: number;
}

/** Checks that each of `sinks` has the method `method`. */
const checkSinks = (sinks: unknown, method: string, field: string): void => {
  if (!Array.isArray(sinks) && field !== 'recordInputs') throw new SystemConfigError(sinks, 'must be an array of sinks', `new System(${field})`);
  (sinks as unknown[]).forEach((sink, i) => {
    if (typeof sink !== 'object' || sink === null || typeof (sink as Record<string, unknown>)[method] !== 'function') {
      if (field === 'recordInputs') throw new SystemConfigError(sink, `must be a boolean or an object with a ${method}() method`, `new System(${field})`);
      throw new SystemConfigError(sink, `must be an object with a ${method}() method`, `new System(${field}[${i}])`);
    }
  });
};

/**
 * A simulated system: one virtual clock, devices at bus addresses, their
 * interrupt lines (traced, and optionally routed to an interrupt controller),
 * and guest programs that access the devices through the bus.
 *
 * Everything the system does is recorded in {@link System.trace} (device
 * events, line changes, each guest access as the device saw it), and, when
 * asked ({@link SystemOptions.recordInputs}), every guest access is also
 * recorded as an input ({@link System.recording}) with its place in its
 * instant, so {@link System.replay} on a system built the same way
 * reproduces the trace bit for bit (same digest) without the guest
 * programs. A long run can keep neither and stream both instead
 * ({@link SystemOptions.keepTrace}, {@link SystemOptions.traceSinks},
 * {@link SystemOptions.sampleSinks}): its memory then stays bounded.
 *
 * Lifecycle: add devices, controllers and guests, then {@link System.run}
 * (or {@link System.runFor}) any number of times; {@link System.stop} ends a
 * run after the current instant, and the next `run` resumes. Guests start at
 * the first run, in the order they were added. {@link System.dispose} ends
 * the system and releases everything it holds.
 *
 * Snapshots ({@link System.snapshot}/{@link System.restore}) cover devices,
 * timers, pending timer events and guests that can report their position
 * (the built-in programs can; a plain generator cannot, and makes
 * `snapshot()` refuse). Not covered, and refused at restore: legacy
 * bottom-half deliveries pending at the snapshot (they are not device
 * state). Restore into a system built the same way, starting at the
 * snapshot's time, before its first run. A restore is exact or refused:
 * a refused one leaves the system as it was.
 *
 * The system is a façade over three parts: the hardware (devices, bus,
 * lines, controllers and their tracing), the guest runner (guests, the
 * recording, replay) and the system snapshot.
 *
 * Ordering: relies on G1-G5 of the devices' timers; adds that guest accesses
 * run only in the guests' own clock steps (never inside a device event), so
 * the recording places each step exactly (G4): after the same number of
 * device events at its instant. A line change is recorded before whatever
 * it causes (an OR of lines, an interrupt controller's output).
 *
 * ## Example
 * ```ts
 * const system = new System();
 * const pclk = new ClockInput('pclk', 25_000_000);
 * system.addDevice(new CmsdkApbTimer(system.clock, { pclk, name: 'timer0' }), { base: 0x4000_0000 });
 * system.addGuest('driver', function* () {
 *   yield guestWrite(0x4000_0008, 25_000);      // RELOAD: 1 ms
 *   yield guestWrite(0x4000_0000, 0b1001);      // CTRL: enable, interrupt enable
 * });
 * system.run(10_000_000);                       // 10 ms of virtual time
 * console.log(system.trace.events.length, system.digest());
 * system.dispose();
 * ```
 */
export class System {
  /** The system's virtual time (1 unit = 1 ns). */
  readonly clock: VirtualClock;
  /**
   * Everything that happened, in order.
   * @throws SystemConfigError when the system was built with `keepTrace: false`
   */
  get trace(): Trace {
    const { trace } = this.recorder;
    if (trace === undefined) throw new SystemConfigError('trace', 'is not kept: the system was built with keepTrace: false (use digest(), or traceSinks)', 'trace');
    return trace;
  }
  /**
   * Probe values, when `sampleProbes` is on (see {@link SystemOptions.sampleProbes}),
   * each with the probe's forecast when it has one: what `buildWaveform`
   * draws every counter tick from.
   */
  readonly samples: CounterSample[];
  /** The guest's view: absolute addresses routed to devices. */
  readonly bus: SystemBus;

  /**
   * Creates an empty system: a clock at `options.start`, a bus with nothing mapped.
   * @param options - start time and probe sampling
   */
  constructor(options: SystemOptions = {}) {
    const start = options.start ?? 0;
    if (!isWhole(start)) throw new SystemConfigError(start, 'must be a whole, non-negative number of ns', 'new System(start)');
    this.clock = new VirtualClock({ start });
    const { keepTrace = true, digest = true, traceSinks = [], sampleSinks = [], recordInputs = false } = options;
    if (typeof keepTrace !== 'boolean') throw new SystemConfigError(keepTrace, 'must be a boolean', 'new System(keepTrace)');
    if (typeof digest !== 'boolean') throw new SystemConfigError(digest, 'must be a boolean', 'new System(digest)');
    checkSinks(traceSinks, 'record', 'traceSinks');
    checkSinks(sampleSinks, 'sample', 'sampleSinks');
    if (typeof recordInputs !== 'boolean') checkSinks([recordInputs], 'record', 'recordInputs');
    this.recorder = new SystemRecorder(this.clock, { keepTrace, digest, keepSamples: options.sampleProbes === true, traceSinks, sampleSinks });
    this.samples = this.recorder.samples;
    // Every bus access is a guest input: the runner records it (when asked) before it is performed.
    this.builder = new SystemBuilder(this.clock, this.recorder, (kind, address, size, value) => this.runner.recordInput(kind, address, size, value));
    this.bus = this.builder.bus;
    this.runner = new GuestRunner(this.clock, this.bus, recordInputs);
  }

  /**
   * Maps a device on the bus and starts tracing its events and lines.
   * @param device - the device; its `name` must be unique in the system (it names its trace events)
   * @param options - base address and optional size
   * @returns the device, for chaining into later wiring
   * @throws SystemConfigError for a duplicate name, a bad or overlapping range, or after the first run
   */
  addDevice<D extends Device>(device: D, options: MapOptions): D {
    this.checkNotStarted('addDevice');
    return this.builder.addDevice(device, options);
  }

  /**
   * Adds an interrupt controller fed by device lines, mapped like a device.
   * Its input `i` is `inputs[i]`.
   * @param name - its device name
   * @param inputs - line paths `<device>.<line>` (see `Device.lines`)
   * @param options - base address, and which inputs are edge-triggered
   * @throws SystemConfigError for an unknown line (naming the known ones)
   */
  addInterruptController(
    name: string,
    inputs: readonly string[],
    options: MapOptions & { readonly edge?: readonly number[] },
  ): InterruptController {
    this.checkNotStarted('addInterruptController');
    return this.builder.addInterruptController(name, inputs, options);
  }

  /** The device named `name`. @throws SystemConfigError naming the known devices */
  device(name: string): Device {
    return this.builder.region(name).device;
  }

  /** The base address of device `name`. @throws SystemConfigError for an unknown device */
  baseOf(name: string): number {
    return this.builder.region(name).base;
  }

  /** The line at `<device>.<line>`. @throws SystemConfigError naming the known lines */
  line(path: string): IrqSignal {
    return this.builder.lineAt(path, 'line(path)');
  }

  /** Device names in the order they were added. */
  get deviceNames(): readonly string[] {
    return [...this.builder.devices.keys()];
  }

  /**
   * Calls `listener` with every trace event as it is recorded, inside the
   * step that produced it (an access's event right after the access): what
   * an invariant needs to judge the moment, not the step's end. The listener
   * must not access the bus or run the clock.
   * @param listener - receives each event, in trace order
   * @returns a function that stops the calls
   */
  watchTrace(listener: (event: TraceEvent) => void): () => void {
    if (typeof listener !== 'function') throw new SystemConfigError(listener, 'must be a function', 'watchTrace(listener)');
    return this.recorder.watch(listener);
  }

  /**
   * Adds a guest program; it starts at the first run.
   * @param name - unique guest name (labels its clock work `guest:<name>`)
   * @param program - a {@link GuestProgram}, or a generator function (which cannot resume from a snapshot)
   * @throws SystemConfigError for a duplicate name or after the first run
   */
  addGuest(name: string, program: GuestProgram | (() => Iterator<unknown, unknown, number | undefined>)): this {
    this.checkNotStarted('addGuest');
    this.runner.addGuest(name, program);
    return this;
  }

  /**
   * Replays recorded guest inputs instead of guest programs: each recorded
   * step runs at its instant after the same number of device events as when
   * it was recorded. The trace then equals the recorded run's (compare
   * digests).
   *
   * The steps are taken from `recording.steps` only as the replay reaches
   * them (an instant's steps at a time), so a {@link StreamedRecording} whose
   * steps are read lazily (the steps of a recording file, see
   * `RecordingReader`) replays a recording of any length in bounded memory.
   * @param recording - from {@link System.recording} of a system built the same way, or steps given one at a time
   * @throws SystemConfigError after the first run, with guests added, or for a step before now (an array is checked
   *   at once; steps given by another iterable, from the `run` that takes them)
   * @throws ReplayDivergenceError (from `run`) when a step's place in its instant was passed
   */
  replay(recording: Recording | StreamedRecording): this {
    this.checkNotStarted('replay');
    this.runner.replay(recording);
    return this;
  }

  /**
   * Runs until virtual time `until` (ns, absolute) or until {@link System.stop}.
   * @param until - target time, not before now
   * @param options - progress reporting
   * @returns why it ended, the time and the events run
   * @throws SystemConfigError for a bad target or a disposed system; GuestProgramError when a guest fails; a device's or the clock's error as thrown
   */
  run(until: number, options: RunOptions = {}): RunResult {
    if (this.disposed) throw new SystemConfigError('run', 'cannot be called on a disposed system', 'run()');
    const from = this.clock.now();
    if (!isWhole(until) || until < from) {
      throw new SystemConfigError(until, `must be a whole number of ns, not before now (${from} ns)`, 'run(until)');
    }
    const every = options.progressEvery ?? Math.max(1, Math.ceil((until - from) / 100));
    if (!isWhole(every) || every === 0) throw new SystemConfigError(every, 'must be a positive whole number of ns', 'run(progressEvery)');
    const { onProgress } = options;
    const executed0 = this.clock.executedCount;
    const report = (): void => onProgress?.({ time: this.clock.now(), from, until, events: this.clock.executedCount - executed0 });
    this.stopRequested = false;
    // What changed since the last run (a clock input set in between) is sampled before time moves on.
    this.recorder.sampleProbes();
    if (!this.runner.started) this.runner.start();
    this.runner.throwIfFailed();
    // One report per crossing, after the step that crossed it, with the time that step reached:
    // a quiet stretch spanning several report points is one report, never repeats of a stale time.
    let nextReport = from + every;
    let reportedAt = -1;
    const reportOnce = (): void => {
      reportedAt = this.clock.now();
      report();
    };
    for (;;) {
      const next = this.clock.nextDeadline();
      if (next === undefined || next > until) break;
      this.clock.step();
      this.runner.throwIfFailed();
      const now = this.clock.now();
      if (onProgress !== undefined && now >= nextReport) {
        reportOnce();
        nextReport = from + (Math.floor((now - from) / every) + 1) * every;
      }
      if (this.stopRequested) {
        this.runner.flushRecording();
        if (reportedAt !== now) reportOnce();
        return { reason: 'stopped', time: now, events: this.clock.executedCount - executed0 };
      }
    }
    this.clock.advanceTo(until);
    this.recorder.sampleProbes();
    this.runner.flushRecording();
    if (reportedAt !== until) reportOnce();
    return { reason: 'until', time: until, events: this.clock.executedCount - executed0 };
  }

  /** Runs for `duration` ns from now (see {@link System.run}). */
  runFor(duration: number, options?: RunOptions): RunResult {
    if (!isWhole(duration)) throw new SystemConfigError(duration, 'must be a whole, non-negative number of ns', 'runFor(duration)');
    return this.run(this.clock.now() + duration, options);
  }

  /** Ends the current run after the instant in progress (callable from progress callbacks, guests and device subscribers). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * The guest inputs so far: every bus access, grouped by guest step, with its place in its instant.
   * @throws SystemConfigError unless the system was built with `recordInputs: true`
   */
  get recording(): Recording {
    return this.runner.recording;
  }

  /**
   * The trace digest (FNV-1a 64 of the canonical JSON lines), whether or not the trace is kept.
   * @throws SystemConfigError when the system was built with `keepTrace: false` and `digest: false`
   */
  digest(): string {
    return this.recorder.digest();
  }

  /** How many trace events have been recorded, whether or not the trace is kept. */
  get traceLength(): number {
    return this.recorder.count;
  }

  /**
   * The whole system's state (see the class doc for what it covers).
   * @throws SystemSnapshotError naming a guest that is running but cannot report its position
   */
  snapshot(): SystemSnapshot {
    return takeSystemSnapshot(this.parts());
  }

  /**
   * Loads a snapshot into this system, which must be built the same way
   * (same devices and guests), start at the snapshot's time and have neither
   * run nor been restored. Guests resume from their positions (a timed
   * wake-up keeps its place among the device events of its instant); guests
   * of a snapshot taken before the first run start at this system's first
   * run. The trace restarts empty, so the continuation can be compared with
   * the original run's.
   *
   * Exactly or not at all: the restored system's own {@link System.snapshot}
   * is then the one given, and a snapshot that cannot be restored so (a
   * malformed or tampered one, one of another system, one with a legacy
   * bottom half pending) is refused with the system left as it was, ready to
   * restore another.
   * @param snapshot - from {@link System.snapshot} (possibly read back from JSON); checked as untrusted data
   * @throws SystemSnapshotError at the full path of the first part that does not fit (e.g. `devices.timer0.registers.registers.CTRL`, `guests.tick.wake.rank`, `pending[3].time`), with the value and the rule
   */
  restore(snapshot: SystemSnapshot): void {
    if (this.disposed) throw new SystemSnapshotError('(system)', 'disposed', 'restore into a system that is not disposed');
    if (this.restored || this.runner.started) {
      throw new SystemSnapshotError('(system)', this.restored ? 'restored' : 'has run', 'restore into a system built the same way that has neither run nor been restored');
    }
    restoreSystemSnapshot(this.parts(), snapshot);
    this.runner.endRestore();
    this.restored = true;
  }

  /**
   * Ends the system and releases everything it holds: the guests and their
   * pending steps, the replay, the clock observer that places replayed and
   * resumed steps, the tracing of every device and line, the bus's listeners;
   * then disposes of every device that has `dispose()` (the interrupt
   * controllers included), the last added first. A system whose devices all
   * have `dispose()` leaves nothing on its clock and nothing listening to the
   * `ClockInput`s it was given, which other systems may go on sharing. A
   * device without `dispose()` is only let go of: its own timers and
   * clock-input listeners stay. The trace, samples and recording stay
   * readable; `run`, `restore` and the builder methods then refuse.
   * Idempotent.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runner.dispose();
    this.builder.dispose();
    this.recorder.dispose();
  }

  private readonly recorder: SystemRecorder;
  private readonly builder: SystemBuilder;
  private readonly runner: GuestRunner;
  private stopRequested = false;
  private disposed = false;
  /** A snapshot was restored: the system's state is set, so nothing more may be added or restored. */
  private restored = false;

  /**
   * A mark of the trace recorded so far: the function it returns takes back
   * every event recorded since (see `SystemRecorder.mark`). @internal
   */
  traceMark(): (() => void) | undefined {
    return this.recorder.mark();
  }

  /** The parts a checkpoint reads and rewinds (see `systemCheckpoint.ts`). @internal */
  checkpointParts(): SnapshotParts {
    if (this.disposed) throw new SystemConfigError('checkpoint', 'cannot be taken of a disposed system', 'checkpoint()');
    return this.parts();
  }

  private parts(): SnapshotParts {
    return { clock: this.clock, devices: this.builder.devices, runner: this.runner, recorder: this.recorder, routes: this.builder.routes };
  }

  private checkNotStarted(what: string): void {
    if (this.disposed) throw new SystemConfigError(what, 'cannot be called on a disposed system', `${what}()`);
    if (this.runner.started || this.restored) throw new SystemConfigError(what, 'must be called before the first run (or restore)', `${what}()`);
  }
}
