import type { Subscription } from 'rxjs';
import { driverStream, type DriverWait } from '../operators/runDriver';
import type { DriverCommand, DriverInput } from '../operators/driverCommands';
import type { Device } from '../src/bus/Device';
import type { AccessSize } from '../src/bus/GuestAccess';
import type { VirtualClock } from '../src/clock/VirtualClock';
import { GuestProgramError, SystemConfigError, SystemSnapshotError } from './errors';
import { fromGenerator, type GuestProgram } from './GuestProgram';
import { deviceEventsAtInstant, GuestActivity, GuestScheduler } from './GuestScheduler';
import { InstantPlacer } from './InstantPlacer';
import { isWhole } from './isWhole';
import { isReservedName, RESERVED_NAME_RULE } from './reservedName';
import type { RecordedAccess, RecordedStep, RecordedStepSink, Recording } from './Recording';
import { replaySteps, type StreamedRecording } from './replaySteps';
import { SystemBus } from './SystemBus';

/** Name of the guest that replays a recording (no guest may take it). */
const REPLAY_GUEST = '(replay)';

/** One guest of a system. @internal */
export interface GuestEntry {
  /** Its unique name (the owner of its `guest` work). */
  readonly name: string;
  /** What it runs. */
  readonly program: GuestProgram;
  /** The program returned (or a restored snapshot says it had). */
  done: boolean;
  /** How it is suspended (see `RunDriverOptions.onWait`): what a fork notes to put it back exactly. */
  wait: DriverWait | undefined;
}

/** Where a guest resumes: a position its program reported, and the wake-up it was waiting for. @internal */
export interface GuestResume {
  /** What the program's `position()` returned. */
  readonly position: unknown;
  /** Its pending timed wake-up: the instant, and the device events that run there before it. */
  readonly wake?: { readonly time: number; readonly after: number };
  /** It was woken from a wait for a line's level and its step had not run: the step is queued again at once. */
  readonly woken?: boolean;
}

interface Guest extends GuestEntry {
  readonly scheduler: GuestScheduler;
  subscription: Subscription | undefined;
}

/**
 * The software side of a system: its guest programs, each on its own
 * {@link GuestScheduler}, or a recording replayed in their place; the
 * recording of every bus access with its place in its instant; and the
 * {@link InstantPlacer} that puts a replayed step or a resumed wake-up back
 * at that place. Guests start at the first run, in the order added.
 *
 * Ordering: guest accesses run only in the guests' own clock steps, never
 * inside a device event, so each step is recorded after the exact number of
 * device events that ran before it at its instant (G4).
 * @internal
 */
export class GuestRunner {
  private readonly activity = new GuestActivity();
  private readonly placer: InstantPlacer;
  private readonly list: Guest[] = [];
  private readonly steps: RecordedStep[] = [];
  private replaySteps: Iterable<RecordedStep> | undefined;
  private recordedStep = -1;
  private hasStarted = false;
  private failure: unknown;
  /** What {@link GuestRunner.abortRestore} puts back: the recording's length when the restore began. */
  private restoreMark: { readonly steps: number; readonly recordedStep: number } | undefined;

  /**
   * @param clock - the system's clock
   * @param bus - the device the guests access (the system bus)
   * @param recordTo - whether to record the inputs: `true` keeps them, a sink gets each complete step
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly bus: Device,
    private readonly recordTo: boolean | RecordedStepSink = false,
  ) {
    this.placer = new InstantPlacer(clock, this.activity);
    // Not recording: the bus skips the call it makes per guest access to say so (#19).
    if (bus instanceof SystemBus) bus.recordsInputs = recordTo !== false;
  }

  /** The guests, in the order added. */
  get guests(): readonly GuestEntry[] {
    return this.list;
  }

  /** Whether the guests have started (a first run, or a restore). */
  get started(): boolean {
    return this.hasStarted;
  }

  /** Whether a recording is replayed instead of guest programs. */
  get replaying(): boolean {
    return this.replaySteps !== undefined;
  }

  /** The guest inputs so far (see `System.recording`). */
  get recording(): Recording {
    if (this.recordTo !== true) {
      throw new SystemConfigError(
        'recording',
        this.recordTo === false ? 'is off: build the system with recordInputs: true to keep the guest inputs' : 'is streamed to the recordInputs sink, not kept',
        'recording',
      );
    }
    return { steps: this.steps };
  }

  /**
   * Hands every recorded step to the sink, when the inputs are streamed (a
   * run ends, or a new step begins); the next access starts a new step. Not
   * while a restore may still take its steps back.
   */
  flushRecording(): void {
    const sink = this.recordTo;
    if (typeof sink === 'boolean' || this.restoreMark !== undefined) return;
    for (const step of this.steps) sink.record(step);
    this.steps.length = 0;
    this.recordedStep = -1;
  }

  /** See `System.addGuest`. */
  addGuest(name: string, program: GuestProgram | (() => Iterator<unknown, unknown, number | undefined>)): void {
    if (typeof name !== 'string' || name === '' || this.list.some((g) => g.name === name) || name === REPLAY_GUEST) {
      throw new SystemConfigError(name, 'guest names must be non-empty and unique in a system', 'addGuest(name)');
    }
    if (isReservedName(name)) throw new SystemConfigError(name, RESERVED_NAME_RULE, 'addGuest(name)');
    const guest: GuestProgram =
      typeof program === 'function' ? fromGenerator(program as Parameters<typeof fromGenerator>[0]) : program;
    if (typeof guest.start !== 'function') {
      throw new SystemConfigError(program, 'must be a GuestProgram ({ start, position? }) or a generator function', `addGuest(${name})`);
    }
    this.list.push({ name, program: guest, scheduler: new GuestScheduler(this.clock, this.activity, name), subscription: undefined, done: false, wait: undefined });
  }

  /** See `System.replay`. */
  replay(recording: Recording | StreamedRecording): void {
    if (this.list.length > 0) throw new SystemConfigError(this.list.map((g) => g.name), 'a replaying system runs no guest programs', 'replay()');
    if (this.replaySteps !== undefined) throw new SystemConfigError(recording, 'a system replays one recording', 'replay()');
    let last = this.clock.now();
    // An array is checked whole now; steps given one at a time are checked as the replay takes them.
    if (Array.isArray(recording.steps)) {
      (recording.steps as readonly RecordedStep[]).forEach((step, i) => {
        if (!isWhole(step.time) || step.time < last) {
          throw new SystemConfigError(step.time, `must be a whole ns, not before ${last} (steps in time order, none before now)`, `replay(steps[${i}].time)`);
        }
        last = step.time;
      });
    }
    this.replaySteps = recording.steps;
  }

  /** Starts every guest (or the replay), in the order added. */
  start(): void {
    this.hasStarted = true;
    for (const g of this.list) this.startGuest(g);
    if (this.replaySteps !== undefined) replaySteps(this.clock, this.placer, this.bus, this.replaySteps);
  }

  /**
   * Marks the guests started without starting any: a restore starts each
   * itself, with {@link GuestRunner.startGuest}, and may undo all of it with
   * {@link GuestRunner.abortRestore}.
   */
  beginRestore(): void {
    this.restoreMark = { steps: this.steps.length, recordedStep: this.recordedStep };
    this.hasStarted = true;
  }

  /** A restore succeeded: what it recorded can no longer be taken back (a streamed recording may hand it on). */
  endRestore(): void {
    this.restoreMark = undefined;
  }

  /**
   * Undoes a restore that failed: stops every guest it started (their pending
   * steps and line watches leave the clock), drops their held wake-ups, their
   * `done` marks, the failure a resuming program reported and any input
   * recorded since {@link GuestRunner.beginRestore}, and marks the guests not
   * started, so that the system can be restored again.
   */
  abortRestore(): void {
    for (const g of this.list) {
      g.subscription?.unsubscribe();
      g.subscription = undefined;
      g.scheduler.clearHold();
      g.done = false;
    }
    const mark = this.restoreMark;
    if (mark !== undefined) {
      this.steps.length = mark.steps;
      this.recordedStep = mark.recordedStep;
    }
    this.restoreMark = undefined;
    this.failure = undefined;
    this.hasStarted = false;
  }

  /**
   * Stops one guest, as {@link GuestRunner.abortRestore} stops them all (its
   * pending step and line watches leave the clock, its held wake-up and its
   * `done` mark are dropped), to start it again with
   * {@link GuestRunner.startGuest}: a rewind to a fork restarts only the
   * guests that ran since it.
   * @param entry - one of {@link GuestRunner.guests}
   */
  stopGuest(entry: GuestEntry): void {
    const g = entry as Guest;
    g.subscription?.unsubscribe();
    g.subscription = undefined;
    g.scheduler.clearHold();
    g.done = false;
  }

  /** The first guest failure (a GuestProgramError), if any: a restore reads it to refuse a position a program does not accept. */
  get firstFailure(): unknown {
    return this.failure;
  }

  /**
   * Starts one guest: afresh, or from a position its program reported; a
   * timed wake-up then runs at its place among its instant's device events.
   * @param entry - one of {@link GuestRunner.guests}
   * @param resume - where to resume from (none: a fresh start)
   */
  startGuest(entry: GuestEntry, resume?: GuestResume): void {
    const g = entry as Guest;
    const wake = resume?.wake;
    if (wake !== undefined) {
      g.scheduler.holdFirst(wake.time, (run) =>
        this.placer.place(wake.time, wake.after, run, (seen) =>
          new SystemSnapshotError(`guests.${g.name}.wake.after`, wake.after, `its wake-up at ${wake.time} ns was due after ${wake.after} device event(s) there, but ${seen} ran first`),
        ),
      );
    }
    // A top-level start is a guest step of its own (its accesses form one recorded step).
    this.activity.step++;
    // No results: the bus records and traces each access itself.
    const start = (): Iterator<DriverCommand, unknown, DriverInput> => (resume === undefined ? g.program.start() : g.program.start(resume.position));
    const onWait = (wait: DriverWait): void => {
      g.wait = wait;
    };
    // Each guest through its own view of the bus: it remembers the device this guest reached last.
    const device = this.bus instanceof SystemBus ? this.bus.view() : this.bus;
    g.subscription = driverStream(start, { device, scheduler: g.scheduler, onWait, ...(resume?.woken === true ? { resumeWoken: true } : {}) }, false).subscribe({
      error: (error: unknown) => {
        this.failure ??= new GuestProgramError(g.name, this.clock.now(), error);
      },
      complete: () => {
        g.done = true;
      },
    });
  }

  /** Records a bus access as an input, in the step of the guest making it (the bus calls this before each access). */
  recordInput(kind: 'read' | 'write', address: number, size: AccessSize, value: number): void {
    if (this.recordTo === false) return;
    if (this.activity.step !== this.recordedStep) {
      // The step before is complete: a streamed recording hands it on rather than keep it.
      if (this.recordTo !== true && this.steps.length > 0) this.flushRecording();
      this.recordedStep = this.activity.step;
      this.steps.push({ time: this.clock.now(), after: deviceEventsAtInstant(this.clock, this.activity), accesses: [] });
    }
    const access: RecordedAccess = kind === 'read' ? { kind, address, size } : { kind, address, size, value };
    (this.steps[this.steps.length - 1]!.accesses as RecordedAccess[]).push(access);
  }

  /** Throws the first guest failure, as a GuestProgramError. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops every guest (their pending steps leave the clock) and the placer. */
  dispose(): void {
    for (const g of this.list) {
      g.subscription?.unsubscribe();
      g.subscription = undefined;
    }
    this.placer.dispose();
  }
}
