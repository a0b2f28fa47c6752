import type { DeviceSnapshot } from '../src/bus/Device';
import { labelOf } from '../src/clock/WorkTag';
import { SystemSnapshotError } from './errors';
import type { GuestEntry } from './GuestRunner';
import { deviceWorkBefore, type GuestSnapshot, type SystemSnapshot } from './SystemSnapshot';

/** What a snapshot is checked against: the system it is restored into, before anything changes. @internal */
export interface RestoreTarget {
  /** The system's time (ns). */
  readonly time: number;
  /** Its devices' own snapshots now, by device name (what each reports as its `device`). */
  readonly devices: ReadonlyMap<string, DeviceSnapshot>;
  /** Its guests, in the order added. */
  readonly guests: readonly GuestEntry[];
}

type Waiting = Extract<GuestSnapshot, { state: 'waiting' }>;

const list = (names: Iterable<string>): string => [...names].join(', ') || '(none)';

/**
 * Checks the rules between the parts of a structurally valid snapshot, and
 * between it and the system it is restored into, before anything changes
 * (the rules a restore can only find while re-creating state, a device's
 * refusal and the device work it re-creates, are checked by the restore):
 *
 * - the time is the system's;
 * - the devices and guests are the system's, by name, and each device
 *   snapshot's `device` is what that device reports (not another device's);
 * - a waiting guest's program can resume from a position;
 * - `not-started` is all or nothing (a snapshot of a system that had not run);
 * - every pending event has the label of its tag, is due after the snapshot's
 *   time, in run order (no time before the one above it), and is no `placer`
 *   anchor (never pending between runs);
 * - a waiting guest's `wake` names its own pending step: `rank` is the step's
 *   index in `pending`, `time` its time, `after` the device events listed
 *   before it at that instant;
 * - every pending `guest` step belongs to a guest of the system that waits
 *   with a wake whose `rank` is that step (so no two guests share a rank, and
 *   a guest has one step at most).
 * @param snapshot - checked by the schema already
 * @param target - the system
 * @throws SystemSnapshotError at the path of the first part that breaks a rule, naming the rule
 * @internal
 */
export const checkSnapshotConsistency = (snapshot: SystemSnapshot, target: RestoreTarget): void => {
  if (snapshot.time !== target.time) {
    throw new SystemSnapshotError('time', snapshot.time, `must be the system's time, ${target.time} ns: build the system with start: ${snapshot.time}`);
  }
  checkNames(snapshot, target);
  checkGuestStates(snapshot, target.guests);
  checkPendingList(snapshot);
  checkWakes(snapshot, target.guests);
};

const checkNames = (snapshot: SystemSnapshot, { devices, guests }: RestoreTarget): void => {
  for (const name of Object.keys(snapshot.devices)) {
    if (!devices.has(name)) throw new SystemSnapshotError(`devices.${name}`, snapshot.devices[name], `is not a device of this system; its devices: ${list(devices.keys())}`);
  }
  for (const [name, own] of devices) {
    if (!Object.hasOwn(snapshot.devices, name)) throw new SystemSnapshotError(`devices.${name}`, undefined, 'is required: every device of the system has a snapshot');
    const given = snapshot.devices[name]!;
    if (given.device !== own.device) {
      throw new SystemSnapshotError(`devices.${name}.device`, given.device, `must be ${JSON.stringify(own.device)}, what device "${name}" reports: this is another device's snapshot`);
    }
  }
  const known = new Set(guests.map((g) => g.name));
  for (const name of Object.keys(snapshot.guests)) {
    if (!known.has(name)) throw new SystemSnapshotError(`guests.${name}`, snapshot.guests[name], `is not a guest of this system; its guests: ${list(known)}`);
  }
  for (const g of guests) {
    if (!Object.hasOwn(snapshot.guests, g.name)) throw new SystemSnapshotError(`guests.${g.name}`, undefined, 'is required: every guest of the system has a state');
  }
};

const checkGuestStates = (snapshot: SystemSnapshot, guests: readonly GuestEntry[]): void => {
  const first = guests[0];
  for (const g of guests) {
    const { state } = snapshot.guests[g.name]!;
    if (state === 'waiting' && g.program.position === undefined) {
      throw new SystemSnapshotError(`guests.${g.name}.state`, state, "cannot be restored: this guest's program cannot resume from a position (it has no position())");
    }
    const firstState = snapshot.guests[first!.name]!.state;
    if ((state === 'not-started') !== (firstState === 'not-started')) {
      throw new SystemSnapshotError(
        `guests.${g.name}.state`,
        state,
        `must be "not-started" exactly when every guest is (guest "${first!.name}" is "${firstState}"): only a system that has not run has guests not started, and then all of them`,
      );
    }
  }
};

const checkPendingList = (snapshot: SystemSnapshot): void => {
  snapshot.pending.forEach((e, i) => {
    const label = labelOf(e.tag);
    if (e.label !== label) throw new SystemSnapshotError(`pending[${i}].label`, e.label, `must be ${JSON.stringify(label)}, the label of its tag`);
    if (e.time <= snapshot.time) {
      throw new SystemSnapshotError(`pending[${i}].time`, e.time, `must be after the snapshot's time (${snapshot.time} ns): work due at that instant has run`);
    }
    const previous = snapshot.pending[i - 1];
    if (previous !== undefined && e.time < previous.time) {
      throw new SystemSnapshotError(`pending[${i}].time`, e.time, `must not be before pending[${i - 1}]'s time (${previous.time} ns): pending work is listed in run order`);
    }
    if (e.tag.kind === 'placer') {
      throw new SystemSnapshotError(`pending[${i}].tag.kind`, e.tag.kind, "must not be 'placer': a system's anchors for resumed steps never stay pending between runs");
    }
  });
};

const checkWakes = (snapshot: SystemSnapshot, guests: readonly GuestEntry[]): void => {
  const { pending } = snapshot;
  for (const g of guests) {
    const s = snapshot.guests[g.name]!;
    if (s.state !== 'waiting' || s.wake === undefined) continue;
    const { time, after, rank } = s.wake;
    const at = `guests.${g.name}.wake`;
    const step = pending[rank];
    if (step === undefined || step.tag.kind !== 'guest' || step.tag.owner !== g.name) {
      const found = step === undefined ? `there are ${pending.length} pending events` : `pending[${rank}] is ${JSON.stringify(step.label)}`;
      throw new SystemSnapshotError(`${at}.rank`, rank, `must be the index in pending of the guest's own step (${found})`);
    }
    if (step.time !== time) throw new SystemSnapshotError(`${at}.time`, time, `must be the time of its step pending[${rank}] (${step.time} ns)`);
    const before = deviceWorkBefore(pending, rank);
    if (after !== before) {
      throw new SystemSnapshotError(`${at}.after`, after, `must be the number of device events listed before its step pending[${rank}] at ${time} ns (${before})`);
    }
  }
  const byName = new Map(guests.map((g) => [g.name, snapshot.guests[g.name]!]));
  pending.forEach((e, i) => {
    if (e.tag.kind !== 'guest') return;
    const owner = e.tag.owner;
    const s = byName.get(owner);
    if (s === undefined) throw new SystemSnapshotError(`pending[${i}].tag.owner`, owner, `must be a guest of this system (a guest's step); its guests: ${list(byName.keys())}`);
    if (s.state !== 'waiting') {
      throw new SystemSnapshotError(`guests.${owner}.state`, s.state, `must be "waiting": the guest has a pending step (pending[${i}] at ${e.time} ns), and only a waiting guest has one`);
    }
    const wake = (s as Waiting).wake;
    if (wake === undefined) {
      throw new SystemSnapshotError(`guests.${owner}.wake`, undefined, `is required: the guest has a pending step (pending[${i}] at ${e.time} ns)`);
    }
    if (wake.rank !== i) {
      throw new SystemSnapshotError(`pending[${i}]`, e, `is a second pending step of guest "${owner}" (its wake is pending[${wake.rank}]): a guest has one at most`);
    }
  });
};
