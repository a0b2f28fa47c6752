import type { ControllerInput } from './ControllerInput';
import type { Device, DeviceSnapshot } from '../src/bus/Device';
import type { PendingEvent, VirtualClock } from '../src/clock/VirtualClock';
import type { WorkTag } from '../src/clock/WorkTag';
import { SystemSnapshotError } from './errors';
import type { GuestEntry, GuestRunner } from './GuestRunner';
import type { SystemRecorder } from './SystemRecorder';

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
      /**
       * Its pending wake-up, when it waits for a time: its own step in the
       * snapshot's `pending`, and where that step runs among its instant's
       * device events. All three are read off `pending` (a restore refuses
       * a wake that does not match it).
       */
      readonly wake?: {
        /** The instant (ns): its step's time. */
        readonly time: number;
        /** Device events listed before its step at that instant (they run before it). */
        readonly after: number;
        /** Its step's index in `pending` (orders guests that wake at one instant). */
        readonly rank: number;
      };
    };

/**
 * A whole system's state: every device (with its timers), every guest's
 * position, and the events pending on the clock (to check that the restore
 * re-created all of them). Plain JSON-safe data; its structure is
 * `SYSTEM_SNAPSHOT_SCHEMA`, and a restore checks it as untrusted input.
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
  /** Each interrupt controller's inputs, by controller name. */
  readonly routes: ReadonlyMap<string, readonly ControllerInput[]>;
}

/** Guest work (a guest's steps, the placer's anchors) is not device work: restores re-create it separately. @internal */
export const isGuestWork = (tag: WorkTag): boolean => tag.kind === 'guest' || tag.kind === 'placer';

/**
 * Takes a system's snapshot (see `System.snapshot`). Its records are built
 * from entries, so every name is an own key (none can reach a prototype).
 * @param parts - the system's clock, devices and guests
 * @returns the snapshot
 * @throws SystemSnapshotError naming a guest that is running but cannot report its position, or for a replaying system
 * @internal
 */
export const takeSystemSnapshot = ({ clock, devices, runner }: SnapshotParts): SystemSnapshot => {
  if (runner.replaying) throw new SystemSnapshotError('(system)', 'replaying', 'a replaying system cannot be snapshot');
  const deviceSnapshots = Object.fromEntries([...devices].map(([name, device]) => [name, device.snapshot()]));
  const pending = clock.pendingEvents();
  const guests = Object.fromEntries(runner.guests.map((g) => [g.name, guestSnapshot(g, runner.started, pending)]));
  return { format: 'ptimer-rx-system', version: SYSTEM_SNAPSHOT_VERSION, time: clock.now(), devices: deviceSnapshots, guests, pending };
};

const guestSnapshot = (g: GuestEntry, started: boolean, pending: readonly PendingEvent[]): GuestSnapshot => {
  if (!started) return { state: 'not-started' };
  if (g.done) return { state: 'done' };
  if (g.program.position === undefined) {
    throw new SystemSnapshotError(
      `guests.${g.name}.position`,
      undefined,
      'cannot be taken: the program cannot report its position (a plain generator); use a GuestProgram with position() to snapshot',
    );
  }
  const at = pending.findIndex((e) => e.tag.kind === 'guest' && e.tag.owner === g.name);
  const position = g.program.position();
  if (at < 0) return { state: 'waiting', position };
  const time = pending[at]!.time;
  // rank: its place in the clock's queue, so guests waking at one instant resume in that order
  return { state: 'waiting', position, wake: { time, after: deviceWorkBefore(pending, at), rank: at } };
};

/**
 * How many device (non-guest) events are queued before `pending[at]` at its
 * instant: where a resumed guest step goes among them.
 * @internal
 */
export const deviceWorkBefore = (pending: readonly PendingEvent[], at: number): number => {
  const time = pending[at]!.time;
  let count = 0;
  for (let i = 0; i < at; i++) if (pending[i]!.time === time && !isGuestWork(pending[i]!.tag)) count++;
  return count;
};
