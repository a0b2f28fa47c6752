import type { Device, DeviceSnapshot } from '../src/bus/Device';
import type { PendingEvent, VirtualClock } from '../src/clock/VirtualClock';
import { labelOf, type WorkTag } from '../src/clock/WorkTag';
import { SystemSnapshotError } from './errors';
import type { GuestEntry, GuestRunner } from './GuestRunner';
import type { SystemRecorder } from './SystemRecorder';
import { describeValue } from '../src/shared/describeValue';

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

/** The parts of a system a snapshot reads and a restore writes. @internal */
export interface SnapshotParts {
  /** The system's clock. */
  readonly clock: VirtualClock;
  /** Its devices by name, in the order added. */
  readonly devices: ReadonlyMap<string, Device>;
  /** Its guests. */
  readonly runner: GuestRunner;
  /** Muted while the restore re-creates state. */
  readonly recorder: SystemRecorder;
}

/** Guest work (a guest's steps, the placer's anchors) is not device work: restores re-create it separately. */
const isGuestWork = (tag: WorkTag): boolean => tag.kind === 'guest' || tag.kind === 'placer';

/**
 * Takes a system's snapshot (see `System.snapshot`).
 * @param parts - the system's clock, devices and guests
 * @returns the snapshot
 * @throws SystemSnapshotError naming a guest that is running but cannot report its position, or for a replaying system
 * @internal
 */
export const takeSystemSnapshot = ({ clock, devices, runner }: SnapshotParts): SystemSnapshot => {
  const deviceSnapshots: Record<string, DeviceSnapshot> = {};
  for (const [name, device] of devices) deviceSnapshots[name] = device.snapshot();
  const pending = clock.pendingEvents();
  const guests: Record<string, GuestSnapshot> = {};
  for (const g of runner.guests) guests[g.name] = guestSnapshot(g, runner.started, pending);
  if (runner.replaying) throw new SystemSnapshotError('replay', 'a replaying system cannot be snapshot');
  return { format: 'ptimer-rx-system', version: SYSTEM_SNAPSHOT_VERSION, time: clock.now(), devices: deviceSnapshots, guests, pending };
};

const guestSnapshot = (g: GuestEntry, started: boolean, pending: readonly PendingEvent[]): GuestSnapshot => {
  if (!started) return { state: 'not-started' };
  if (g.done) return { state: 'done' };
  if (g.program.position === undefined) {
    throw new SystemSnapshotError(`guest ${describeValue(g.name)}`, 'cannot report its position (a plain generator); use a GuestProgram with position() to snapshot');
  }
  const at = pending.findIndex((e) => e.tag.kind === 'guest' && e.tag.owner === g.name);
  const position = g.program.position();
  if (at < 0) return { state: 'waiting', position };
  const time = pending[at]!.time;
  const after = pending.slice(0, at).filter((e) => e.time === time && !isGuestWork(e.tag)).length;
  // rank: its place in the clock's queue, so guests waking at one instant resume in that order
  return { state: 'waiting', position, wake: { time, after, rank: at } };
};

/**
 * Loads a snapshot into a system built the same way that has not run (see
 * `System.restore`). Guests waiting for a time are started first, so each
 * wake-up is queued before the devices re-arm and can wait for its recorded
 * number of device events at its instant (it can defer, never go earlier);
 * then the devices are restored, then the guests waiting for a line (which
 * now has its restored level) and those that had not started. The restore
 * must re-create exactly the device work that was pending, which is then put
 * back in its original order.
 * @param parts - the system's clock, devices, guests and recorder
 * @param snapshot - from `System.snapshot`
 * @throws SystemSnapshotError naming the first part that does not match, or an event the restore did not re-create
 * @internal
 */
export const restoreSystemSnapshot = ({ clock, devices, runner, recorder }: SnapshotParts, snapshot: SystemSnapshot): void => {
  if (runner.started) throw new SystemSnapshotError('system', 'restore into a system that has not run');
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== 'ptimer-rx-system') {
    throw new SystemSnapshotError('format', 'not a ptimer-rx system snapshot');
  }
  if (snapshot.version !== SYSTEM_SNAPSHOT_VERSION) {
    throw new SystemSnapshotError('version', `is ${describeValue(snapshot.version)}; this version reads ${SYSTEM_SNAPSHOT_VERSION}`);
  }
  if (snapshot.time !== clock.now()) {
    throw new SystemSnapshotError('time', `taken at ${describeValue(snapshot.time)} ns but the system is at ${clock.now()} ns (build it with start: ${describeValue(snapshot.time)})`);
  }
  const names = Object.keys(snapshot.devices ?? {});
  const mine = [...devices.keys()];
  if (names.join() !== mine.join()) {
    throw new SystemSnapshotError('devices', `snapshot has [${names.join(', ')}], system has [${mine.join(', ')}]`);
  }
  const { guests } = runner;
  const guestNames = Object.keys(snapshot.guests ?? {});
  if (guestNames.join() !== guests.map((g) => g.name).join()) {
    throw new SystemSnapshotError('guests', `snapshot has [${guestNames.join(', ')}], system has [${guests.map((g) => g.name).join(', ')}]`);
  }
  const state = (g: GuestEntry): GuestSnapshot => snapshot.guests[g.name]!;
  const waiting = (g: GuestEntry): Extract<GuestSnapshot, { state: 'waiting' }> | undefined => {
    const s = state(g);
    return s.state === 'waiting' ? s : undefined;
  };
  // Its place in the clock's queue at the snapshot (0 if a hand-written snapshot leaves it out).
  const rank = (g: GuestEntry): number => waiting(g)?.wake?.rank ?? 0;
  recorder.muted = true;
  try {
    runner.beginRestore();
    for (const g of guests) if (state(g).state === 'done') g.done = true;
    const timed = guests.filter((g) => waiting(g)?.wake !== undefined).sort((a, b) => rank(a) - rank(b));
    for (const g of timed) {
      const { position, wake } = waiting(g)!;
      runner.startGuest(g, { position, wake: { time: wake!.time, after: wake!.after } });
    }
    for (const [name, device] of devices) {
      try {
        device.restore(snapshot.devices[name]);
      } catch (error) {
        throw new SystemSnapshotError(`devices.${name}`, error instanceof Error ? error.message : describeValue(error), { cause: error });
      }
    }
    for (const g of guests) {
      const s = waiting(g);
      if (s !== undefined && s.wake === undefined) runner.startGuest(g, { position: s.position });
    }
    for (const g of guests) if (state(g).state === 'not-started') runner.startGuest(g);
    checkPending(clock, snapshot.pending.filter((e) => !isGuestWork(e.tag)));
    // Timers re-armed device after device: put same-instant work back in its original order.
    clock.reorderPending(snapshot.pending);
  } finally {
    recorder.muted = false;
  }
  runner.throwIfFailed();
};

/** The device work pending now is exactly `expected` (compared by time and work tag). */
const checkPending = (clock: VirtualClock, expected: readonly PendingEvent[]): void => {
  const key = (e: PendingEvent): string => JSON.stringify([e.time, e.tag.kind, e.tag.owner]);
  const left = new Map<string, PendingEvent[]>();
  for (const e of clock.pendingEvents()) {
    if (!isGuestWork(e.tag)) left.set(key(e), [...(left.get(key(e)) ?? []), e]);
  }
  for (const e of expected) {
    const same = left.get(key(e));
    if (same === undefined || same.length === 0) {
      throw new SystemSnapshotError(
        `pending event ${JSON.stringify(labelOf(e.tag))} at ${e.time} ns`,
        'was pending at the snapshot but no device re-created it (a legacy bottom half is not device state: snapshot where none is pending)',
      );
    }
    same.pop();
  }
  for (const same of left.values()) {
    const e = same[0];
    if (e !== undefined) {
      throw new SystemSnapshotError(`pending event ${JSON.stringify(labelOf(e.tag))} at ${e.time} ns`, 'the restore created an event that was not pending at the snapshot');
    }
  }
};
