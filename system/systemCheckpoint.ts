import { checkpointBottomHalves, type BottomHalfCheckpoint } from '../src/clock/bottomHalfCheckpoint';
import { checkpointClock, type ClockCheckpoint } from '../src/clock/clockCheckpoint';
import type { PendingEvent } from '../src/clock/VirtualClock';
import { trustingData } from '../src/shared/parseWithSchema';
import { withBottomHalvesPutBack } from '../src/bus/bottomHalvesPutBack';
import { eventKey } from './checkPendingWork';
import { SystemSnapshotError } from './errors';
import { firstDifference } from './firstDifference';
import { formatPath } from './schemaIssue';
import type { System } from './System';
import type { DeviceSnapshot, RegisterInfo } from '../src/bus/Device';
import { deviceWorkBefore, SYSTEM_SNAPSHOT_VERSION, takeSystemSnapshot, type GuestSnapshot, type SystemSnapshot } from './SystemSnapshot';

/**
 * Restores of the system's own, frozen snapshots (their schema's checks are skipped: they cannot fail; each
 * device's own rules still run), after which the bottom halves pending then are put back: a device may accept
 * its state between a timer's expiry and its bottom half.
 */
const restoring = <T>(load: () => T): T => trustingData(() => withBottomHalvesPutBack(load));

/** Options of {@link checkpointSystem}. */
export interface CheckpointOptions {
  /**
   * After each rewind, check that the system's whole snapshot is the
   * checkpoint's (every device, guest and pending piece of work): what tests
   * use to show that restoring only the devices that were touched is enough.
   * Costs a snapshot per rewind. Default false.
   */
  readonly verify?: boolean;
}

/**
 * A running system's state at one moment, to which it can be put back in
 * place, any number of times: how the ordering explorer starts every
 * schedule from the same state instead of re-running the system from time 0.
 */
export interface SystemCheckpoint {
  /** The virtual time it was taken at (ns). */
  readonly time: number;
  /** The system's snapshot at the checkpoint. */
  readonly snapshot: SystemSnapshot;
  /**
   * Puts the system back as it was at the checkpoint: the clock's time and
   * counters, every device that ran work or was accessed since (and then
   * every interrupt controller) from its snapshot, every guest from its
   * position, and the queue in its order. The trace is not rewound (its
   * events since stay recorded; see the module notes).
   * @throws SystemSnapshotError when the rewound queue is not the checkpoint's (work that no device or guest re-creates ran or was queued since), or with `verify` when the rewound state differs
   */
  rewind(): void;
  /** Stops watching the system (it can no longer be rewound). */
  dispose(): void;
}

/**
 * Takes a {@link SystemCheckpoint} of a system that has run (between two
 * runs, not inside one).
 *
 * A rewind restores only the devices that may have changed since: those
 * whose timer work ran (`expiry`, `tick`, `bottom-half` work of a timer named
 * `<device>.<timer>`) or that recorded a trace event (a guest access, a line
 * change), and, when any did, every interrupt controller (its inputs follow
 * their lines). Work or events of an owner that names no device make it
 * restore them all. Restores go through each device's own `restore` (its
 * checks included), with the recorder muted, after the clock's time is put
 * back; the guests are then started again from their positions, and the
 * queue is checked against the checkpoint's and put back in its order.
 *
 * Ordering: the rewound system runs on exactly as it did from the
 * checkpoint (same queue, same same-instant order, G4).
 * @param system - a system that has started (its guests must report positions)
 * @param options - verification
 * @returns the checkpoint
 * A pending legacy bottom half is noted with what it delivers and put back
 * pending at its time (see `checkpointBottomHalves`).
 * @throws SystemSnapshotError for a system that cannot be snapshot (a guest without a position, a replay), when a bottom half is pending that cannot be noted, or when a device refuses to be put back to its state while its bottom half is pending
 */
export const checkpointSystem = (system: System, options: CheckpointOptions = {}): SystemCheckpoint => {
  const parts = system.checkpointParts();
  const { clock, devices, runner, recorder, routes } = parts;
  if (!runner.started) throw new SystemSnapshotError('(system)', 'not started', 'a checkpoint is taken of a system that has run');
  // Frozen: restores take their parts unchecked and uncopied (see trustingData), so none may change them.
  const snapshot = deepFreeze(takeSystemSnapshot(parts));
  const halves = checkpointBottomHalves(clock, snapshot.pending);
  if (halves === undefined) {
    const at = snapshot.pending.findIndex((e) => e.tag.kind === 'bottom-half');
    throw new SystemSnapshotError(`pending[${at}]`, snapshot.pending[at], 'a bottom half is pending that carries nothing a checkpoint can note (not the device kit\'s): a rewind could not re-create it');
  }
  const names = [...devices.keys()];
  /** The device of a timer (`<device>.<timer>`), or '' when it names none. */
  const deviceOf = (owner: string): string => (devices.has(owner) ? owner : devices.has(owner.slice(0, owner.indexOf('.'))) ? owner.slice(0, owner.indexOf('.')) : '');
  // A device between a timer's expiry and its bottom half: put back into itself now, so that one whose restore
  // refuses that state fails here, not halfway through a rewind. The same state: only the queue's order moves.
  const midway = new Set(snapshot.pending.filter((e) => e.tag.kind === 'bottom-half').map((e) => deviceOf(e.tag.owner)));
  midway.delete('');
  if (midway.size > 0) {
    recorder.muted = true;
    try {
      restoring(() => {
        for (const name of names) {
          if (!midway.has(name)) continue;
          try {
            devices.get(name)!.restore(snapshot.devices[name]);
          } catch (error) {
            throw new SystemSnapshotError(`devices.${name}`, '(its state)', 'refuses to be put back while its bottom half is pending (between a timer\'s expiry and its handling)', { cause: error });
          }
        }
      });
    } finally {
      recorder.muted = false;
    }
    clock.reorderPending(snapshot.pending);
  }
  const point = checkpointClock(clock);
  const controllers = names.filter((n) => routes.has(n));
  const expected = multiset(snapshot.pending);
  const dirty = new Set<string>();
  let all = false;
  const mark = (owner: string): void => {
    if (devices.has(owner)) {
      dirty.add(owner);
      return;
    }
    const dot = owner.indexOf('.');
    const device = dot > 0 ? owner.slice(0, dot) : '';
    if (devices.has(device)) dirty.add(device);
    else all = true;
  };
  const stopClock = clock.observe({
    before: (tag) => {
      if (tag.kind !== 'guest' && tag.kind !== 'placer') mark(tag.owner);
    },
  });
  // A guest's accesses and every line change are trace events of the device (or line) they touch: followed without
  // an event object (a system that records nothing keeps its fast paths).
  const stopTrace = recorder.watchTouches((source, kind) => {
    if (kind !== 'mark' && kind !== 'violation') mark(source);
  });

  const rewind = (): void => {
    recorder.muted = true;
    try {
      point.rewind();
      // Stops every guest (their steps leave the queue) and keeps the runner started.
      runner.abortRestore();
      runner.beginRestore();
      const touched = all ? names : names.filter((n) => dirty.has(n));
      if (touched.length > 0) {
        const restore = new Set([...touched, ...controllers]);
        // In the order added: a controller after the devices whose lines it follows.
        // Each device's own snapshot, put back: its schema's checks are skipped (they cannot fail), its own rules still run.
        restoring(() => {
          for (const name of names) if (restore.has(name)) devices.get(name)!.restore(snapshot.devices[name]);
        });
      }
      for (const g of runner.guests) {
        const s = snapshot.guests[g.name]!;
        if (s.state === 'done') g.done = true;
        // Without its wake-up placement: the step is plain guest work again, which the queue order below puts back in place.
        else if (s.state === 'waiting') runner.startGuest(g, { position: s.position });
      }
      runner.endRestore();
      if (runner.firstFailure !== undefined) throw runner.firstFailure;
      // Pending bottom halves are not device state: those of the devices restored (and any deferred since) put back.
      halves.rewind((owner) => {
        const device = deviceOf(owner);
        return device === '' ? touched.length > 0 : touched.includes(device);
      });
      checkQueue(clock.pendingEvents(), expected);
      clock.reorderPending(snapshot.pending);
    } finally {
      recorder.muted = false;
      dirty.clear();
      all = false;
    }
    if (options.verify === true) {
      const d = firstDifference(snapshot, takeSystemSnapshot(parts));
      if (d !== undefined) {
        throw new SystemSnapshotError(formatPath(d.path), d.expected, `the rewound system reports ${JSON.stringify(d.actual)} here: a rewind must give back the checkpoint's state`);
      }
    }
  };
  return {
    time: point.time,
    snapshot,
    rewind,
    dispose: () => {
      stopClock();
      stopTrace();
    },
  };
};

const DONE: GuestState = Object.freeze({ state: 'done' });

/** A fork's guest state as a snapshot reports it (with its wake-up, read off the queue). */
const withWake = (name: string, s: GuestState, pending: readonly PendingEvent[]): GuestSnapshot => {
  if (s.state === 'done') return s;
  const at = pending.findIndex((e) => e.tag.kind === 'guest' && e.tag.owner === name);
  if (at < 0) return { state: 'waiting', position: s.position };
  return { state: 'waiting', position: s.position, wake: { time: pending[at]!.time, after: deviceWorkBefore(pending, at), rank: at } };
};

/** The guests whose pending steps are not the expected ones (by time). */
const guestsOff = (now: readonly PendingEvent[], expected: ReadonlyMap<string, number>): string[] => {
  const found = multiset(now);
  const off = new Set<string>();
  const note = (key: string, events: readonly PendingEvent[]): void => {
    const e = events.find((x) => eventKey(x) === key);
    if (e !== undefined && e.tag.kind === 'guest') off.add(e.tag.owner);
  };
  for (const [k, n] of found) if (expected.get(k) !== n) note(k, now);
  for (const [k] of expected) if (!found.has(k)) off.add(guestOwner(k));
  off.delete('');
  return [...off];
};

/** The guest named by a pending-work key of guest work (`<time> guest <name>`), or ''. */
const guestOwner = (key: string): string => {
  const m = /^\d+ guest (.*)$/.exec(key);
  return m === null ? '' : m[1]!;
};

const multiset = (events: readonly PendingEvent[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const e of events) {
    const k = eventKey(e);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
};

/** The rewound queue holds exactly the checkpoint's work (by time and tag). */
const checkQueue = (now: readonly PendingEvent[], expected: ReadonlyMap<string, number>): void => {
  const found = multiset(now);
  for (const [k, n] of found) {
    if (expected.get(k) !== n) {
      throw new SystemSnapshotError('pending', k, `after the rewind ${n} piece(s) of work "${k}" are queued, the checkpoint had ${expected.get(k) ?? 0}`);
    }
  }
  for (const [k, n] of expected) {
    if (!found.has(k)) throw new SystemSnapshotError('pending', k, `after the rewind no work "${k}" is queued, the checkpoint had ${n}`);
  }
};

/** A copy of a snapshot without the `time` it notes anywhere (what a fork shares across instants keeps the rest of). */
const withoutTimes = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'time') out[k] = withoutTimes(v);
  return out;
};

/** Freezes a snapshot and everything in it (snapshots are plain data: arrays and plain objects), allocating nothing: a fork's are frozen as they are first put back. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else for (const key in value) deepFreeze(value[key]);
  }
  return value;
};

/**
 * A point a {@link SystemForks} stack can put its system back to (see
 * {@link SystemForks.take}).
 */
export interface SystemFork {
  /** The virtual time it was taken at (ns). */
  readonly time: number;
  /**
   * Puts the system back as it was when the fork was taken, as
   * {@link SystemCheckpoint.rewind} does, restoring only the devices that ran
   * work or were accessed since this fork (and, when any were, every
   * interrupt controller). Forks taken after this one are released. Between
   * runs only (not while the clock runs work).
   * @throws SystemSnapshotError as {@link SystemCheckpoint.rewind}, when the fork was released, or when a device
   *   refuses a snapshot taken while its bottom half was pending (see {@link SystemFork.tryRewind})
   */
  rewind(): void;
  /**
   * As {@link SystemFork.rewind}, unless a device refuses its snapshot taken
   * while one of its legacy bottom halves was pending (between a timer's
   * expiry and the device handling it, a state some devices' own restore
   * checks do not accept): then it returns false, and the system must be
   * rewound to a fork below this one (devices tried before the one that
   * refused may have been put back, the clock is at the fork's time). Such
   * snapshots are tried first, the first time a rewind needs them.
   * @returns whether the system was rewound
   */
  tryRewind(): boolean;
  /** Drops the fork and every fork taken after it (idempotent). */
  release(): void;
}

/** A fork a device refused to be put back to (see `SystemFork.tryRewind`): nothing was changed. */
class RefusedFork extends Error {}

/**
 * A stack of forks of one running system: what the ordering explorer keeps
 * along its depth-first path, one at each choice point, so that the next
 * schedule starts from the deepest point it shares with the last one
 * instead of from the start of the span.
 */
export interface SystemForks {
  /**
   * Takes a fork now: between two pieces of work, between runs or inside a
   * clock chooser (the clock is then mid-instant, and a rewound system that
   * runs on asks the chooser again with the same ready work). A fork copies
   * only what changed since the fork below it (the devices touched since, the
   * guests' positions, the queue) and shares the rest with it, also across
   * instants: a shared snapshot notes the time it was taken at, and a rewind
   * restores it with the clock at that time (the device ran nothing since,
   * so it is then as it was at the fork). A pending legacy bottom half is
   * noted with what it delivers, and put back pending at its time.
   * @returns the fork, or `undefined` when a bottom half is pending that cannot be noted (one without a payload: not the device kit's), or whose device once refused its state (see {@link SystemFork.tryRewind})
   * @throws SystemSnapshotError for a system that cannot be snapshot (a guest without a position, a replay)
   */
  take(): SystemFork | undefined;
  /** Stops watching the system (every fork is released). */
  dispose(): void;
}

/** A guest's part of a fork: done, or where it resumes (its wake-up is the queue's). */
type GuestState = { readonly state: 'done' } | { readonly state: 'waiting'; readonly position: unknown; readonly woken: boolean };

interface ForkState {
  readonly epoch: number;
  readonly clock: ClockCheckpoint;
  /** Each device's snapshot by index (shared with the fork below when untouched since it). */
  readonly devices: readonly DeviceSnapshot[];
  /**
   * The clock when each device's snapshot was taken (shared with it): a snapshot shared across instants notes
   * an earlier time, and is restored with the clock at that time (see `rewindTo`).
   */
  readonly takenAt: readonly ClockCheckpoint[];
  /** With `verify`: the system's whole snapshot as the fork was taken, which every rewind to it must give back. */
  readonly whole?: SystemSnapshot;
  /** When each device was last touched as the fork was taken (put back with it). */
  readonly touchedAt: readonly number[];
  /** The epoch of the last touch of every device at once, as the fork was taken. */
  readonly allAt: number;
  /** Each guest's state by index (a position shared with the fork below when it ran no step since). */
  readonly guests: readonly GuestState[];
  /** When each guest last ran a step as the fork was taken. */
  readonly guestsAt: readonly number[];
  readonly pending: readonly PendingEvent[];
  /** The legacy bottom halves pending (not device state: put back beside it). */
  readonly halves: BottomHalfCheckpoint;
  expected?: Map<string, number>;
  released: boolean;
}

/**
 * Starts a {@link SystemForks} stack on a system that has run (its guests
 * started).
 *
 * What changed since a fork is tracked as {@link checkpointSystem} tracks
 * it: a device is touched when its timer work runs or it records a trace
 * event, but for a guest's read that its register map says has no effects
 * (`readEffects`), which changes nothing a restore would put back; work or
 * events of an owner that names no device touch them all. Each
 * fork has an epoch, and each device the epoch of its last touch: a rewind to
 * a fork restores the devices touched at or after its epoch, then gives them
 * back the touch epochs they had when it was taken, so the forks below it see
 * them as touched exactly when they were.
 *
 * Ordering: a rewound system runs on exactly as it did from the fork (same
 * queue, same same-instant order, G4).
 * @param system - a system that has started (its guests must report positions)
 * @param options - verification (each fork's shared snapshot is also checked against a whole one when taken)
 * @returns the stack
 * @throws SystemSnapshotError for a system that has not started
 */
export const systemForks = (system: System, options: CheckpointOptions = {}): SystemForks => {
  const parts = system.checkpointParts();
  const { clock, devices, runner, recorder, routes } = parts;
  if (!runner.started) throw new SystemSnapshotError('(system)', 'not started', 'forks are taken of a system that has run');
  const verify = options.verify === true;
  const names = [...devices.keys()];
  const list = names.map((n) => devices.get(n)!);
  const index = new Map(names.map((n, i) => [n, i]));
  const controllers = names.flatMap((n, i) => (routes.has(n) ? [i] : []));
  const touched: number[] = names.map(() => -1);
  const guestList = runner.guests;
  const guestIndex = new Map(guestList.map((g, i) => [g.name, i]));
  /** The epoch of each guest's last step. */
  const stepped: number[] = guestList.map(() => -1);
  /** The epoch of the last touch of an owner that names no device (it touches every device). */
  let allTouched = -1;
  let epoch = -1;
  let counter = 0;
  const stack: ForkState[] = [];
  /** Device snapshots taken while a bottom half of the device was pending, not yet put back once (see `tryRewind`). */
  const unproven = new WeakSet<DeviceSnapshot>();
  /** Whether any such snapshot was taken (never under sync delivery: no rewind looks for them). */
  let anyUnproven = false;
  /** Devices that refused such a snapshot once: no fork is taken while one of their bottom halves is pending. */
  const refusers = new Set<number>();

  /** Each owner's device (`<device>` or `<device>.<part>`), -1 for an owner that names none: looked up once per owner. */
  const owners = new Map<string, number>();
  const deviceOf = (owner: string): number => {
    let i = owners.get(owner);
    if (i === undefined) {
      const dot = owner.indexOf('.');
      i = index.get(owner) ?? (dot > 0 ? index.get(owner.slice(0, dot)) : undefined) ?? -1;
      owners.set(owner, i);
    }
    return i;
  };
  const mark = (owner: string): void => {
    const i = deviceOf(owner);
    if (i >= 0) touched[i] = epoch;
    else allTouched = epoch;
  };
  const stopClock = clock.observe({
    before: (tag) => {
      if (tag.kind === 'guest') stepped[guestIndex.get(tag.owner) ?? 0] = epoch;
      // The placer runs some guest's held step.
      else if (tag.kind === 'placer') stepped.fill(epoch);
      else mark(tag.owner);
    },
  });
  /** Each device's registers whose reads change its state (its map's `readEffects`), by index: looked up once per device. */
  const readEffects: (readonly RegisterInfo[] | undefined)[] = [];
  /** Whether a guest's read of `offset` of the device that `source` names leaves it as it was (its map says the read has no effects). */
  const pureRead = (source: string, offset: number): boolean => {
    const i = index.get(source);
    if (i === undefined) return false;
    const effects = (readEffects[i] ??= (list[i]!.registers ?? []).filter((r) => r.readEffects === true));
    for (const r of effects) if (offset >= r.offset && offset < r.offset + r.size) return false;
    return true;
  };
  // A read the register map says has no effects changes nothing a rewind would restore (events the device raised while
  // handling it still touch it): a device that was only read since a fork is not restored.
  // Followed without an event object (a system that records nothing keeps its fast paths, where an access is only
  // counted). A refused read counts as a read: a refused access changes nothing, and the device's guest-error event
  // touches it anyway.
  const stopTrace = recorder.watchTouches((source, kind, offset) => {
    if (kind === 'mark' || kind === 'violation') return;
    if (kind === 'read' && pureRead(source, offset)) return;
    mark(source);
  });

  // A snapshot is frozen when first put back (most never are), so no restore can change it for the next; verified,
  // when taken, so that a device whose snapshot shares live state fails loudly in tests (its own writes throw).
  const fresh = verify ? deepFreeze : <T>(value: T): T => value;

  /** Whether device `i` may have changed since the fork of epoch `e`. */
  const dirtySince = (i: number, e: number): boolean => touched[i]! >= e || allTouched >= e;

  /** The guest whose step is queued at `time`, first in the queue's order, or -1 (none: other work). */
  const earliestGuest = (time: number): number => {
    for (const e of clock.pendingEvents()) {
      if (e.time !== time) break;
      if (e.tag.kind === 'guest') return guestIndex.get(e.tag.owner) ?? -1;
    }
    return -1;
  };

  const releaseFrom = (at: number): void => {
    for (let k = stack.length - 1; k >= at; k--) stack[k]!.released = true;
    stack.length = Math.min(stack.length, at);
  };

  const whole = (f: ForkState): SystemSnapshot => ({
    format: 'ptimer-rx-system',
    version: SYSTEM_SNAPSHOT_VERSION,
    time: f.clock.time,
    devices: Object.fromEntries(names.map((n, i) => [n, f.devices[i]!])),
    guests: Object.fromEntries(guestList.map((g, i) => [g.name, withWake(g.name, f.guests[i]!, f.pending)])),
    pending: f.pending,
  });

  const take = (): SystemFork | undefined => {
    if (runner.replaying) throw new SystemSnapshotError('(system)', 'replaying', 'a replaying system cannot be snapshot');
    const pending = clock.pendingEvents();
    const halves = checkpointBottomHalves(clock, pending);
    if (halves === undefined) return undefined;
    // Shared across instants too: a device untouched since the fork below ran no work and saw no access since, so
    // its state now is the one its snapshot there holds, taken at that fork's time (`takenAt`, where a rewind restores it).
    const below = stack.at(-1);
    const anyDevice = below === undefined || allTouched >= below.epoch || touched.some((t) => t >= below.epoch);
    const now = checkpointClock(clock);
    const snapshots: DeviceSnapshot[] = [];
    const takenAt: ClockCheckpoint[] = [];
    /** The devices with a bottom half pending (their state is between a timer's expiry and its handling). */
    const midway = new Set<number>();
    for (const e of pending) if (e.tag.kind === 'bottom-half') midway.add(deviceOf(e.tag.owner));
    for (const i of midway) if (refusers.has(i)) return undefined;
    for (let i = 0; i < list.length; i++) {
      // A controller's inputs follow lines that any device may have moved: re-taken with any device.
      if (below === undefined || dirtySince(i, below.epoch) || (anyDevice && controllers.includes(i))) {
        const snapshot = fresh(list[i]!.snapshot());
        if (midway.has(i)) {
          unproven.add(snapshot);
          anyUnproven = true;
        }
        snapshots.push(snapshot);
        takenAt.push(now);
      } else {
        snapshots.push(below.devices[i]!);
        takenAt.push(below.takenAt[i]!);
      }
    }
    // A position changes only in its guest's steps: shared with the fork below (at any instant) when it ran none since
    // (and no line woke it since: a guest woken, its step not run yet, is started again woken).
    const top = stack.at(-1);
    const guests = guestList.map((g, i): GuestState => {
      const woken = g.wait === 'woken';
      const shared = top?.guests[i];
      if (shared !== undefined && stepped[i]! < top!.epoch && (shared.state === 'done' || shared.woken === woken)) return shared;
      if (g.done) return DONE;
      if (g.program.position === undefined) {
        throw new SystemSnapshotError(`guests.${g.name}.position`, undefined, 'cannot be taken: the program cannot report its position (a plain generator); use a GuestProgram with position() to fork');
      }
      return { state: 'waiting', position: g.program.position(), woken };
    });
    const full = verify ? takeSystemSnapshot(parts) : undefined;
    const state: ForkState = {
      epoch: (epoch = ++counter),
      clock: now,
      devices: snapshots,
      takenAt,
      ...(full === undefined ? {} : { whole: full }),
      touchedAt: touched.slice(),
      allAt: allTouched,
      guests,
      guestsAt: stepped.slice(),
      pending,
      halves,
      released: false,
    };
    if (full !== undefined) {
      const shared = whole(state);
      // Snapshots shared from a fork at an earlier instant note its time: the rest must be the system's now.
      const d = firstDifference({ ...full, devices: withoutTimes(full.devices) }, { ...shared, devices: withoutTimes(shared.devices) });
      if (d !== undefined) {
        throw new SystemSnapshotError(formatPath(d.path), d.actual, `a fork shares ${JSON.stringify(d.expected)} here with the fork below, but the system has changed it untouched`);
      }
    }
    stack.push(state);
    const at = stack.length - 1;
    const rewind = (): boolean => {
      if (state.released) throw new SystemSnapshotError('(fork)', 'released', 'a released fork cannot be rewound to');
      try {
        tryUnproven(state);
      } catch (error) {
        if (error instanceof RefusedFork) return false;
        throw error;
      }
      releaseFrom(at + 1);
      rewindTo(state);
      return true;
    };
    return {
      time: state.clock.time,
      rewind: () => {
        if (!rewind()) {
          throw new SystemSnapshotError('(fork)', state.clock.time, 'a device refuses its snapshot taken while its bottom half was pending: use tryRewind');
        }
      },
      tryRewind: rewind,
      release: () => {
        if (!state.released) releaseFrom(at);
      },
    };
  };

  /** The devices a rewind to `f` restores: those touched since, and then every controller. */
  const restoreSet = (f: ForkState): number[] => {
    const restore: number[] = [];
    for (let i = 0; i < list.length; i++) if (dirtySince(i, f.epoch)) restore.push(i);
    if (restore.length > 0) {
      for (const c of controllers) if (!restore.includes(c)) restore.push(c);
      restore.sort((a, b) => a - b);
    }
    return restore;
  };

  /**
   * Puts back, once each, the snapshots a rewind to `f` needs that were taken while their device's bottom half was
   * pending, before anything else changes, and throws {@link RefusedFork} when a device refuses one (its restore
   * changes nothing; devices tried before it are among those any rewind to a fork below restores).
   */
  const tryUnproven = (f: ForkState): void => {
    if (!anyUnproven) return;
    // Latest first: the clock only moves back, never past work a restore re-armed.
    const tried = restoreSet(f)
      .filter((i) => unproven.has(f.devices[i]!))
      .sort((a, b) => f.takenAt[b]!.time - f.takenAt[a]!.time);
    if (tried.length === 0) return;
    recorder.muted = true;
    let at = -1;
    try {
      restoring(() => {
        for (const i of tried) {
          at = i;
          f.takenAt[i]!.rewind();
          list[i]!.restore(deepFreeze(f.devices[i]));
          unproven.delete(f.devices[i]!);
        }
      });
    } catch (error) {
      refusers.add(at);
      throw new RefusedFork(error instanceof Error ? error.message : String(error));
    } finally {
      recorder.muted = false;
    }
  };

  const rewindTo = (f: ForkState): void => {
    recorder.muted = true;
    try {
      f.clock.rewind();
      // Only the guests that ran a step since: the others' programs and pending steps are as they were.
      const restart: number[] = [];
      for (let i = 0; i < guestList.length; i++) if (stepped[i]! >= f.epoch) restart.push(i);
      for (const i of restart) runner.stopGuest(guestList[i]!);
      const restore = restoreSet(f);
      if (restore.length > 0) {
        // A snapshot shared from a fork at an earlier instant is restored with the clock back at its time (which its
        // restore checks): the device ran nothing since, so restored there and left to the fork's time it is as it
        // was at the fork (its pending work, due at or after the fork's time, is re-armed at the same instants).
        let at = f.clock;
        const moveTo = (to: ClockCheckpoint): void => {
          // A guest woken at an earlier time by a line such a restore moved: started again from the fork below.
          for (let next = clock.nextDeadline(); next !== undefined && next < to.time; next = clock.nextDeadline()) {
            const i = earliestGuest(next);
            if (i < 0) break;
            runner.stopGuest(guestList[i]!);
            if (!restart.includes(i)) restart.push(i);
          }
          to.rewind();
          at = to;
        };
        // In the order added (a controller after the devices whose lines it follows); trusted: frozen, the device's own.
        restoring(() => {
          for (const i of restore) {
            const when = f.takenAt[i]!;
            if (when.time !== at.time) moveTo(when);
            list[i]!.restore(deepFreeze(f.devices[i]));
          }
        });
        if (at !== f.clock) moveTo(f.clock);
        for (const i of restore) touched[i] = f.touchedAt[i]!;
      }
      // A bottom half is not device state: those of the devices restored (and any deferred since) are put back as noted.
      f.halves.rewind((owner) => {
        const i = deviceOf(owner);
        return i >= 0 ? restore.includes(i) : restore.length > 0;
      });
      if (allTouched >= f.epoch) allTouched = f.allAt;
      const start = (i: number): void => {
        const s = f.guests[i]!;
        const g = guestList[i]!;
        if (s.state === 'done') g.done = true;
        else {
          const position = deepFreeze(s.position);
          runner.startGuest(g, s.woken ? { position, woken: true } : { position });
        }
        stepped[i] = f.guestsAt[i]!;
      };
      for (const i of restart) start(i);
      if (runner.firstFailure !== undefined) throw runner.firstFailure;
      // The queue as the fork had it, in its order: most often it holds the same work, in order or to be put back in
      // order (which matches work by time and tag, so the same work comes out in the fork's order).
      if (!clock.restoreOrder(f.pending)) {
        const expected = (f.expected ??= multiset(f.pending));
        // A line a device restore moved back woke (or put back to sleep) a guest that had not run: from the fork too.
        for (const name of guestsOff(clock.pendingEvents(), expected)) {
          const i = guestIndex.get(name)!;
          runner.stopGuest(guestList[i]!);
          start(i);
        }
        if (runner.firstFailure !== undefined) throw runner.firstFailure;
        checkQueue(clock.pendingEvents(), expected);
        clock.reorderPending(f.pending);
      }
    } finally {
      recorder.muted = false;
      epoch = f.epoch;
    }
    if (f.whole !== undefined) {
      const d = firstDifference(f.whole, takeSystemSnapshot(parts));
      if (d !== undefined) {
        throw new SystemSnapshotError(formatPath(d.path), d.expected, `the rewound system reports ${JSON.stringify(d.actual)} here: a rewind must give back the fork's state`);
      }
    }
  };

  return {
    take,
    dispose: () => {
      releaseFrom(0);
      stopClock();
      stopTrace();
    },
  };
};
