import type { Subscription } from 'rxjs';
import { runDriver } from '../operators/runDriver';
import type { Device, DeviceSnapshot } from '../src/bus/Device';
import type { AccessSize } from '../src/bus/GuestAccess';
import { VirtualClock, type PendingEvent } from '../src/clock/VirtualClock';
import { labelOf } from '../src/clock/WorkTag';
import { InterruptController } from '../src/irq/InterruptController';
import type { IrqSignal } from '../src/irq/IrqLine';
import { Trace } from '../src/trace/Trace';
import type { TraceEvent } from '../src/trace/TraceEvent';
import type { TraceSink } from '../src/trace/TraceSink';
import type { CounterSample } from '../src/trace/waveform/CounterSample';
import { GuestProgramError, ReplayDivergenceError, SystemConfigError, SystemSnapshotError } from './errors';
import { fromGenerator, type GuestProgram } from './GuestProgram';
import { deviceEventsAtInstant, GuestActivity, GuestScheduler } from './GuestScheduler';
import { InstantPlacer } from './InstantPlacer';
import type { Recording, RecordedAccess, RecordedStep } from './Recording';
import { SystemBus, type BusRegion } from './SystemBus';

/** Guest work (a guest's steps, the placer's anchors) is not device work: restores re-create it separately. */
const isGuestWork = (e: PendingEvent): boolean => e.tag.kind === 'guest' || e.tag.kind === 'placer';

/** Options of {@link System}. */
export interface SystemOptions {
  /** Virtual time the system starts at (ns, default 0); a system restored from a snapshot starts at its time. */
  readonly start?: number;
  /**
   * Record each device probe's value whenever a trace event happens and the
   * value changed (for waveforms). Samples never enter the trace or its digest.
   * Default false.
   */
  readonly sampleProbes?: boolean;
}

/** Where a device sits on the bus. */
export interface MapOptions {
  /** First byte address (whole, non-negative). */
  readonly base: number;
  /**
   * Bytes it spans. Default: its registers' extent rounded up to 4 KiB, or
   * 4 KiB for a device that does not list its registers.
   */
  readonly size?: number;
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
  /** Called as virtual time passes (and once at the end); may call {@link System.stop}. */
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

/** Current {@link SystemSnapshot} format version. */
export const SYSTEM_SNAPSHOT_VERSION = 2;

/** A guest's state in a {@link SystemSnapshot}. */
export type GuestSnapshot =
  | {
      /** The program returned. */
      readonly state: 'done';
    }
  | {
      /** The system had not run yet. */
      readonly state: 'not-started';
    }
  | {
      /** Suspended at a wait. */
      readonly state: 'waiting';
      /** What the program's `position()` returned. */
      readonly position: unknown;
      /** Its pending wake-up, when it waits for a time: the instant and how many device events run there before it. */
      readonly wake?: {
        /** The instant (ns). */
        readonly time: number;
        /** Device events that run at that instant before it. */
        readonly after: number;
        /** Its place among all the work queued at the snapshot (orders guests that wake at one instant). */
        readonly rank: number;
      };
    };

/**
 * A whole system's state: every device (with its timers), every guest's
 * position, and the events pending on the clock (to check that the restore
 * re-created all of them). Plain JSON-safe data.
 */
export interface SystemSnapshot {
  /** Always `ptimer-rx-system`. */
  readonly format: 'ptimer-rx-system';
  /** {@link SYSTEM_SNAPSHOT_VERSION}. */
  readonly version: typeof SYSTEM_SNAPSHOT_VERSION;
  /** Virtual time it was taken at (ns). */
  readonly time: number;
  /** Each device's snapshot, by device name, in the order they were added. */
  readonly devices: Readonly<Record<string, DeviceSnapshot>>;
  /** Each guest's state, by guest name. */
  readonly guests: Readonly<Record<string, GuestSnapshot>>;
  /** Everything pending on the clock, in run order, with its work tag (a guest's steps are `guest` work owned by the guest). */
  readonly pending: readonly PendingEvent[];
}

interface GuestEntry {
  readonly name: string;
  readonly program: GuestProgram;
  readonly scheduler: GuestScheduler;
  subscription: Subscription | undefined;
  done: boolean;
  /** Set by a restore: the position to start from and the wake-up to honour. */
  resume: { readonly position: unknown; readonly wake?: { readonly time: number; readonly after: number } } | undefined;
}

const PAGE = 0x1000;

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * A simulated system: one virtual clock, devices at bus addresses, their
 * interrupt lines (traced, and optionally routed to an interrupt controller),
 * and guest programs that access the devices through the bus.
 *
 * Everything the system does is recorded in {@link System.trace} (device
 * events, line changes, each guest access as the device saw it), and every
 * guest access is also recorded as an input ({@link System.recording}) with
 * its place in its instant, so {@link System.replay} on a system built the
 * same way reproduces the trace bit for bit (same digest) without the guest
 * programs.
 *
 * Lifecycle: add devices, controllers and guests, then {@link System.run}
 * (or {@link System.runFor}) any number of times; {@link System.stop} ends a
 * run after the current instant, and the next `run` resumes. Guests start at
 * the first run, in the order they were added.
 *
 * Snapshots ({@link System.snapshot}/{@link System.restore}) cover devices,
 * timers, pending timer events and guests that can report their position
 * (the built-in programs can; a plain generator cannot, and makes
 * `snapshot()` refuse). Not covered, and refused at restore: legacy
 * bottom-half deliveries pending at the snapshot (they are not device
 * state). Restore into a system built the same way, starting at the
 * snapshot's time, before its first run.
 *
 * Ordering: relies on G1-G5 of the devices' timers; adds that guest accesses
 * run only in the guests' own clock steps (never inside a device event), so
 * the recording places each step exactly (G4): after the same number of
 * device events at its instant.
 *
 * ## Example
 * ```ts
 * const system = new System();
 * const pclk = new ClockInput('pclk', 25_000_000);
 * system.addDevice(new CmsdkApbTimer(system.clock, { pclk, name: 'timer0' }), { base: 0x4000_0000 });
 * system.addGuest('driver', function* () {
 *   yield guestWrite(0x4000_0008, 4, 25_000);   // RELOAD: 1 ms
 *   yield guestWrite(0x4000_0000, 4, 0b1001);   // CTRL: enable, interrupt enable
 * });
 * system.run(10_000_000);                       // 10 ms of virtual time
 * console.log(system.trace.events.length, system.digest());
 * ```
 */
export class System {
  /** The system's virtual time (1 unit = 1 ns). */
  readonly clock: VirtualClock;
  /** Everything that happened, in order. */
  readonly trace = new Trace();
  /** Probe values, when `sampleProbes` is on (see {@link SystemOptions.sampleProbes}). */
  readonly samples: CounterSample[] = [];
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
    this.sampling = options.sampleProbes === true;
    this.placer = new InstantPlacer(this.clock, this.activity);
    const sink: TraceSink = { record: (event) => this.record(event) };
    this.sink = sink;
    this.bus = new SystemBus(() => this.clock.now(), sink, (kind, address, size, value) =>
      this.recordInput(kind, address, size, value),
    );
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
    const { name } = device;
    if (this.devices.has(name) || name === this.bus.name) {
      throw new SystemConfigError(name, 'device names must be unique in a system (and not "bus")', 'addDevice(device.name)');
    }
    const { base } = options;
    if (!isWhole(base)) throw new SystemConfigError(base, 'must be a whole, non-negative address', `addDevice(${name}).base`);
    const size = options.size ?? defaultSize(device);
    if (!isWhole(size) || size === 0) throw new SystemConfigError(size, 'must be a positive whole number of bytes', `addDevice(${name}).size`);
    for (const r of this.bus.regions) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new SystemConfigError(
          `0x${base.toString(16)}..0x${(base + size - 1).toString(16)}`,
          `overlaps ${r.device.name} at 0x${r.base.toString(16)}..0x${(r.base + r.size - 1).toString(16)}`,
          `addDevice(${name})`,
        );
      }
    }
    const region: BusRegion = { device, base, size };
    this.bus.map(region);
    this.devices.set(name, region);
    // The synchronous path where the device has one: a sink's error then surfaces from the step that caused it.
    if (device.traceTo !== undefined) device.traceTo(this.sink);
    else device.events$.subscribe((event) => this.sink.record(event));
    for (const [key, signal] of Object.entries(device.lines ?? {})) {
      const source = `${name}.${key}`;
      this.lineByPath.set(source, signal);
      signal.watch((level) => this.sink.record({ time: this.clock.now(), source, kind: 'irq', level }), { first: true });
    }
    for (const probe of device.probes ?? []) {
      this.probes.push({ source: `${name}.${probe.name}`, width: probe.width, read: () => probe.read(), last: undefined });
    }
    return device;
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
    const signals = inputs.map((path, i) => {
      const signal = this.lineByPath.get(path);
      if (signal === undefined) {
        throw new SystemConfigError(path, `is not a device line; known lines: ${[...this.lineByPath.keys()].join(', ') || '(none)'}`, `addInterruptController(${name}).inputs[${i}]`);
      }
      return signal;
    });
    const controller = new InterruptController(this.clock, signals, { name, ...(options.edge === undefined ? {} : { edge: options.edge }) });
    return this.addDevice(controller, options);
  }

  /** The device named `name`. @throws SystemConfigError naming the known devices */
  device(name: string): Device {
    const region = this.devices.get(name);
    if (region === undefined) {
      throw new SystemConfigError(name, `is not a device of this system; devices: ${[...this.devices.keys()].join(', ') || '(none)'}`, 'device(name)');
    }
    return region.device;
  }

  /** The base address of device `name`. @throws SystemConfigError for an unknown device */
  baseOf(name: string): number {
    this.device(name);
    return this.devices.get(name)!.base;
  }

  /** The line at `<device>.<line>`. @throws SystemConfigError naming the known lines */
  line(path: string): IrqSignal {
    const signal = this.lineByPath.get(path);
    if (signal === undefined) {
      throw new SystemConfigError(path, `is not a device line; known lines: ${[...this.lineByPath.keys()].join(', ') || '(none)'}`, 'line(path)');
    }
    return signal;
  }

  /** Device names in the order they were added. */
  get deviceNames(): readonly string[] {
    return [...this.devices.keys()];
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
    this.watchers = [...this.watchers, listener];
    return () => {
      this.watchers = this.watchers.filter((w) => w !== listener);
    };
  }

  /**
   * Adds a guest program; it starts at the first run.
   * @param name - unique guest name (labels its clock work `guest:<name>`)
   * @param program - a {@link GuestProgram}, or a generator function (which cannot resume from a snapshot)
   * @throws SystemConfigError for a duplicate name or after the first run
   */
  addGuest(name: string, program: GuestProgram | (() => Iterator<unknown, unknown, number | undefined>)): this {
    this.checkNotStarted('addGuest');
    if (typeof name !== 'string' || name === '' || this.guests.some((g) => g.name === name) || name === REPLAY_GUEST) {
      throw new SystemConfigError(name, 'guest names must be non-empty and unique in a system', 'addGuest(name)');
    }
    const guest: GuestProgram =
      typeof program === 'function' ? fromGenerator(program as Parameters<typeof fromGenerator>[0]) : program;
    if (typeof guest.start !== 'function') {
      throw new SystemConfigError(program, 'must be a GuestProgram ({ start, position? }) or a generator function', `addGuest(${name})`);
    }
    this.guests.push({
      name,
      program: guest,
      scheduler: new GuestScheduler(this.clock, this.activity, name),
      subscription: undefined,
      done: false,
      resume: undefined,
    });
    return this;
  }

  /**
   * Replays recorded guest inputs instead of guest programs: each recorded
   * step runs at its instant after the same number of device events as when
   * it was recorded. The trace then equals the recorded run's (compare
   * digests).
   * @param recording - from {@link System.recording} of a system built the same way
   * @throws SystemConfigError after the first run, with guests added, or for a step before now
   * @throws ReplayDivergenceError (from `run`) when a step's place in its instant was passed
   */
  replay(recording: Recording): this {
    this.checkNotStarted('replay');
    if (this.guests.length > 0) throw new SystemConfigError(this.guests.map((g) => g.name), 'a replaying system runs no guest programs', 'replay()');
    if (this.replaySteps !== undefined) throw new SystemConfigError(recording, 'a system replays one recording', 'replay()');
    let last = this.clock.now();
    recording.steps.forEach((step, i) => {
      if (!isWhole(step.time) || step.time < last) {
        throw new SystemConfigError(step.time, `must be a whole ns, not before ${last} (steps in time order, none before now)`, `replay(steps[${i}].time)`);
      }
      last = step.time;
    });
    this.replaySteps = recording.steps;
    return this;
  }

  /**
   * Runs until virtual time `until` (ns, absolute) or until {@link System.stop}.
   * @param until - target time, not before now
   * @param options - progress reporting
   * @returns why it ended, the time and the events run
   * @throws SystemConfigError for a bad target; GuestProgramError when a guest fails; a device's or the clock's error as thrown
   */
  run(until: number, options: RunOptions = {}): RunResult {
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
    if (!this.started) this.start();
    this.throwIfFailed();
    let nextReport = from + every;
    for (;;) {
      const next = this.clock.nextDeadline();
      if (next === undefined || next > until) break;
      while (onProgress !== undefined && next >= nextReport) {
        report();
        nextReport += every;
      }
      this.clock.step();
      this.throwIfFailed();
      if (this.stopRequested) {
        report();
        return { reason: 'stopped', time: this.clock.now(), events: this.clock.executedCount - executed0 };
      }
    }
    this.clock.advanceTo(until);
    this.sampleProbes();
    report();
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

  /** The guest inputs so far: every bus access, grouped by guest step, with its place in its instant. */
  get recording(): Recording {
    return { steps: this.steps };
  }

  /** The trace digest (FNV-1a 64 of the canonical JSON lines). */
  digest(): string {
    return this.trace.digest();
  }

  /**
   * The whole system's state (see the class doc for what it covers).
   * @throws SystemSnapshotError naming a guest that is running but cannot report its position
   */
  snapshot(): SystemSnapshot {
    const devices: Record<string, DeviceSnapshot> = {};
    for (const [name, { device }] of this.devices) devices[name] = device.snapshot();
    const order = this.clock.pendingEvents();
    const guests: Record<string, GuestSnapshot> = {};
    for (const g of this.guests) {
      if (!this.started) guests[g.name] = { state: 'not-started' };
      else if (g.done) guests[g.name] = { state: 'done' };
      else {
        if (g.program.position === undefined) {
          throw new SystemSnapshotError(`guest ${JSON.stringify(g.name)}`, 'cannot report its position (a plain generator); use a GuestProgram with position() to snapshot');
        }
        const at = order.findIndex((e) => e.tag.kind === 'guest' && e.tag.owner === g.name);
        const position = g.program.position();
        if (at < 0) guests[g.name] = { state: 'waiting', position };
        else {
          const time = order[at]!.time;
          const after = order.slice(0, at).filter((e) => e.time === time && !isGuestWork(e)).length;
          // rank: its place in the clock's queue, so guests waking at one instant resume in that order
          guests[g.name] = { state: 'waiting', position, wake: { time, after, rank: at } };
        }
      }
    }
    if (this.replaySteps !== undefined) throw new SystemSnapshotError('replay', 'a replaying system cannot be snapshot');
    return {
      format: 'ptimer-rx-system',
      version: SYSTEM_SNAPSHOT_VERSION,
      time: this.clock.now(),
      devices,
      guests,
      pending: order,
    };
  }

  /**
   * Loads a snapshot into this system, which must be built the same way
   * (same devices and guests), start at the snapshot's time and not have run.
   * Guests resume from their positions (a timed wake-up keeps its place
   * among the device events of its instant); the trace restarts empty, so
   * the continuation can be compared with the original run's.
   * @throws SystemSnapshotError naming the first part that does not match, or an event the restore did not re-create
   */
  restore(snapshot: SystemSnapshot): void {
    if (this.started) throw new SystemSnapshotError('system', 'restore into a system that has not run');
    if (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== 'ptimer-rx-system') {
      throw new SystemSnapshotError('format', 'not a ptimer-rx system snapshot');
    }
    if (snapshot.version !== SYSTEM_SNAPSHOT_VERSION) {
      throw new SystemSnapshotError('version', `is ${String(snapshot.version)}; this version reads ${SYSTEM_SNAPSHOT_VERSION}`);
    }
    if (snapshot.time !== this.clock.now()) {
      throw new SystemSnapshotError('time', `taken at ${snapshot.time} ns but the system is at ${this.clock.now()} ns (build it with start: ${snapshot.time})`);
    }
    const names = Object.keys(snapshot.devices ?? {});
    const mine = [...this.devices.keys()];
    if (names.join() !== mine.join()) {
      throw new SystemSnapshotError('devices', `snapshot has [${names.join(', ')}], system has [${mine.join(', ')}]`);
    }
    const guestNames = Object.keys(snapshot.guests ?? {});
    if (guestNames.join() !== this.guests.map((g) => g.name).join()) {
      throw new SystemSnapshotError('guests', `snapshot has [${guestNames.join(', ')}], system has [${this.guests.map((g) => g.name).join(', ')}]`);
    }
    this.muted = true;
    try {
      this.started = true;
      const waiting = this.guests.filter((g) => snapshot.guests[g.name]!.state === 'waiting');
      for (const g of this.guests) {
        const s = snapshot.guests[g.name]!;
        if (s.state === 'done') g.done = true;
        else if (s.state === 'waiting') g.resume = s.wake === undefined ? { position: s.position } : { position: s.position, wake: s.wake };
      }
      // Timed wake-ups first: queued before the devices re-arm, each can then wait for its
      // recorded number of device events at its instant (it can defer, never go earlier).
      const rank = (g: GuestEntry): number => (snapshot.guests[g.name] as { wake?: { rank?: number } }).wake?.rank ?? 0;
      const timed = waiting.filter((g) => g.resume?.wake !== undefined).sort((a, b) => rank(a) - rank(b));
      const untimed = waiting.filter((g) => g.resume?.wake === undefined);
      for (const g of timed) this.startGuest(g);
      for (const [name, { device }] of this.devices) {
        try {
          device.restore(snapshot.devices[name]);
        } catch (error) {
          throw new SystemSnapshotError(`devices.${name}`, error instanceof Error ? error.message : String(error), { cause: error });
        }
      }
      // Guests waiting for a line start once the lines have their restored levels.
      for (const g of untimed) this.startGuest(g);
      for (const g of this.guests) if (snapshot.guests[g.name]!.state === 'not-started') this.startGuest(g);
      this.checkPending(snapshot.pending.filter((e) => !isGuestWork(e)));
      // Timers re-armed device after device: put same-instant work back in its original order.
      this.clock.reorderPending(snapshot.pending);
    } finally {
      this.muted = false;
    }
    this.throwIfFailed();
  }

  private watchers: ((event: TraceEvent) => void)[] = [];
  private readonly devices = new Map<string, BusRegion>();
  private readonly lineByPath = new Map<string, IrqSignal>();
  private readonly probes: { source: string; width: number; read: () => bigint; last: bigint | undefined }[] = [];
  private readonly guests: GuestEntry[] = [];
  private readonly activity = new GuestActivity();
  private readonly placer: InstantPlacer;
  private readonly steps: RecordedStep[] = [];
  private readonly sink: TraceSink;
  private readonly sampling: boolean;
  private replaySteps: readonly RecordedStep[] | undefined;
  private started = false;
  private stopRequested = false;
  private muted = false;
  private failure: unknown;
  private recordedStep = -1;

  private checkNotStarted(what: string): void {
    if (this.started) throw new SystemConfigError(what, 'must be called before the first run (or restore)', `${what}()`);
  }

  private record(event: TraceEvent): void {
    if (this.muted) return;
    this.trace.record(event);
    if (this.sampling) this.sampleProbes();
    const watchers = this.watchers;
    for (let i = 0; i < watchers.length; i++) watchers[i]!(event);
  }

  private sampleProbes(): void {
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

  private recordInput(kind: 'read' | 'write', address: number, size: AccessSize, value: number): void {
    if (this.activity.step !== this.recordedStep) {
      this.recordedStep = this.activity.step;
      this.steps.push({ time: this.clock.now(), after: deviceEventsAtInstant(this.clock, this.activity), accesses: [] });
    }
    const access: RecordedAccess = kind === 'read' ? { kind, address, size } : { kind, address, size, value };
    (this.steps[this.steps.length - 1]!.accesses as RecordedAccess[]).push(access);
  }

  private start(): void {
    this.started = true;
    this.sampleProbes();
    for (const g of this.guests) this.startGuest(g);
    if (this.replaySteps !== undefined) this.startReplay(this.replaySteps);
  }

  private startGuest(g: GuestEntry): void {
    const resume = g.resume;
    g.resume = undefined;
    const wake = resume?.wake;
    if (wake !== undefined) {
      g.scheduler.holdFirst(wake.time, wake.after, this.placer, (seen) =>
        new SystemSnapshotError(`guest ${JSON.stringify(g.name)}`, `its wake-up at ${wake.time} ns was due after ${wake.after} device event(s) there, but ${seen} ran first`),
      );
    }
    // A top-level start is a guest step of its own (its accesses form one recorded step).
    this.activity.step++;
    g.subscription = runDriver(() => (resume === undefined ? g.program.start() : g.program.start(resume.position)), {
      device: this.bus,
      scheduler: g.scheduler,
    }).subscribe({
      error: (error: unknown) => {
        this.failure ??= new GuestProgramError(g.name, this.clock.now(), error);
        this.stopRequested = true;
      },
      complete: () => {
        g.done = true;
      },
    });
  }

  private startReplay(steps: readonly RecordedStep[]): void {
    const { bus } = this;
    steps.forEach((step, index) => {
      this.placer.place(
        step.time,
        step.after,
        () => {
          for (const a of step.accesses) {
            if (a.kind === 'read') bus.read(a.address, a.size);
            else bus.write(a.address, a.size, a.value ?? 0);
          }
        },
        (seen) => new ReplayDivergenceError(index, step.time, step.after, seen),
      );
    });
  }

  private checkPending(expected: readonly PendingEvent[]): void {
    const actual = this.clock.pendingEvents().filter((e) => !isGuestWork(e));
    const key = (e: PendingEvent): string => `${e.time}:${labelOf(e.tag)}`;
    const left = new Map<string, number>();
    for (const e of actual) left.set(key(e), (left.get(key(e)) ?? 0) + 1);
    for (const e of expected) {
      const n = left.get(key(e)) ?? 0;
      if (n === 0) {
        throw new SystemSnapshotError(
          `pending event ${JSON.stringify(labelOf(e.tag))} at ${e.time} ns`,
          'was pending at the snapshot but no device re-created it (a legacy bottom half is not device state: snapshot where none is pending)',
        );
      }
      left.set(key(e), n - 1);
    }
    for (const [k, n] of left) {
      if (n > 0) throw new SystemSnapshotError(`pending event ${k}`, 'the restore created an event that was not pending at the snapshot');
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Name of the guest that replays a recording. */
const REPLAY_GUEST = '(replay)';

const defaultSize = (device: Device): number => {
  const regs = device.registers;
  if (regs === undefined || regs.length === 0) return PAGE;
  const end = Math.max(...regs.map((r) => r.offset + r.size));
  return Math.max(PAGE, Math.ceil(end / PAGE) * PAGE);
};
