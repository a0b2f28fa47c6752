import type { Device, DeviceSnapshot } from '../src/bus/Device';
import type { PendingEvent, VirtualClock } from '../src/clock/VirtualClock';
import { describeValue } from '../src/shared/describeValue';
import { checkPendingWork, eventKey, tagKey } from './checkPendingWork';
import { checkSnapshotConsistency } from './checkSnapshotConsistency';
import { GuestProgramError, SystemSnapshotError } from './errors';
import { firstDifference, type Difference } from './firstDifference';
import type { GuestEntry } from './GuestRunner';
import { formatPath } from './schemaIssue';
import { takeSystemSnapshot, type GuestSnapshot, type SnapshotParts, type SystemSnapshot } from './SystemSnapshot';
import { checkSystemSnapshotShape } from './systemSnapshotSchema';

type Waiting = Extract<GuestSnapshot, { state: 'waiting' }>;

/** The system as it was before a restore began: what a refused restore puts back. */
interface Saved {
  readonly devices: ReadonlyMap<string, DeviceSnapshot>;
  readonly pending: readonly PendingEvent[];
}

/**
 * Loads a snapshot into a system built the same way that has neither run nor
 * been restored (see `System.restore`), exactly or not at all.
 *
 * First everything that can be checked without changing the system: the
 * structure (`SYSTEM_SNAPSHOT_SCHEMA`) and the rules between the parts and
 * against the system (`checkSnapshotConsistency`). Then the state is
 * re-created: guests waiting for a time are started first, so each wake-up is
 * queued before the devices re-arm and can wait for its recorded number of
 * device events at its instant (it can defer, never go earlier); then the
 * devices are restored, then the guests waiting for a line (which now has its
 * restored level). A snapshot of a system that had not run leaves the guests
 * to start at the first run, as they would have. What only re-creating can
 * show is checked last: each device accepts its part, each program its
 * position, the devices re-create exactly the device work that was pending
 * and the guests exactly their wake-ups, which are then put back in their
 * original order; and the system's own snapshot is then the one given.
 *
 * If any of that fails the system is rolled back: every device gets back the
 * snapshot it had before, every guest started is stopped (its pending work
 * leaves the clock), the guests are marked not started again, and the
 * clock's queue is put back in its order; the system can then be restored
 * again.
 * @param parts - the system's clock, devices, guests and recorder
 * @param input - untrusted, e.g. parsed JSON from `System.snapshot`
 * @throws SystemSnapshotError at the full path of the first part that does not fit, with the value and the rule
 * @internal
 */
export const restoreSystemSnapshot = (parts: SnapshotParts, input: unknown): void => {
  const { clock, devices, runner, recorder } = parts;
  const snapshot = checkSystemSnapshotShape(input);
  const saved: Saved = { devices: new Map([...devices].map(([name, d]) => [name, d.snapshot()])), pending: clock.pendingEvents() };
  checkSnapshotConsistency(snapshot, { time: clock.now(), devices: saved.devices, guests: runner.guests });
  recorder.muted = true;
  try {
    recreate(parts, snapshot);
  } catch (error) {
    try {
      rollBack(parts, saved);
    } catch (failed) {
      throw new SystemSnapshotError('(system)', 'partly restored', 'the restore was refused, and putting the system back failed too: dispose of it', {
        cause: new AggregateError([error, failed], 'the refusal, then the failure to roll back'),
      });
    }
    throw error;
  } finally {
    recorder.muted = false;
  }
};

/** Re-creates the snapshot's state in the system, checking what only that can show. */
const recreate = (parts: SnapshotParts, snapshot: SystemSnapshot): void => {
  const { clock, devices, runner } = parts;
  const { guests } = runner;
  const state = (g: GuestEntry): GuestSnapshot => snapshot.guests[g.name]!;
  const waiting = (g: GuestEntry): Waiting | undefined => {
    const s = state(g);
    return s.state === 'waiting' ? s : undefined;
  };
  const started = guests.length > 0 && state(guests[0]!).state !== 'not-started';
  if (started) {
    runner.beginRestore();
    for (const g of guests) if (state(g).state === 'done') g.done = true;
    // In their order in the clock's queue, so guests waking at one instant keep it.
    const timed = guests.filter((g) => waiting(g)?.wake !== undefined).sort((a, b) => waiting(a)!.wake!.rank - waiting(b)!.wake!.rank);
    for (const g of timed) {
      const { position, wake } = waiting(g)!;
      runner.startGuest(g, { position, wake: { time: wake!.time, after: wake!.after } });
    }
  }
  const createdBy = restoreDevices(clock, devices, snapshot);
  if (started) {
    for (const g of guests) {
      const s = waiting(g);
      if (s !== undefined && s.wake === undefined) runner.startGuest(g, { position: s.position });
    }
    checkResumed(runner.firstFailure, snapshot);
  }
  checkPendingWork(clock.pendingEvents(), snapshot, createdBy);
  if (started) checkWakeUps(clock, guests, snapshot);
  // Timers re-armed device after device: put same-instant work back in its original order.
  clock.reorderPending(snapshot.pending);
  checkRoundTrip(parts, snapshot);
};

/**
 * Restores each device from its part, in the order added (an interrupt
 * controller after the devices whose lines it follows, so the edges those
 * restores cause are overwritten by its own state).
 * @returns which device queued the work of each tag (`kind owner`), to name it when that work does not match
 */
const restoreDevices = (clock: VirtualClock, devices: ReadonlyMap<string, Device>, snapshot: SystemSnapshot): ReadonlyMap<string, string> => {
  const createdBy = new Map<string, string>();
  let before = new Set(clock.pendingEvents().map(tagKey));
  for (const [name, device] of devices) {
    try {
      device.restore(snapshot.devices[name]);
    } catch (error) {
      throw deviceRefusal(name, error, snapshot.devices[name]);
    }
    const now = clock.pendingEvents().map(tagKey);
    for (const key of now) if (!before.has(key)) createdBy.set(key, name);
    before = new Set(now);
  }
  return createdBy;
};

/**
 * A device's refusal of its part, at `devices.<name>.<field>` (the path
 * inside the device snapshot its error names), with its error as the cause.
 * Whatever the device throws is its refusal: a typed error with a `field`,
 * or any other (a device that crashes on malformed data refuses it too; its
 * error stays in `cause`).
 */
const deviceRefusal = (name: string, error: unknown, part: unknown): SystemSnapshotError => {
  const { field, value, rule } = (typeof error === 'object' && error !== null ? error : {}) as { field?: unknown; value?: unknown; rule?: unknown };
  const inner = typeof field === 'string' && field !== '' && field !== '(root)';
  const words = typeof rule === 'string' ? rule : error instanceof Error ? error.message : describeValue(error);
  return new SystemSnapshotError(`devices.${name}${inner ? `.${field}` : ''}`, inner || field === '(root)' ? value : part, `device "${name}" refuses it: ${words}`, {
    cause: error,
  });
};

/** A program that refused its position (its own SystemSnapshotError names the field) fails the restore at `guests.<name>.position…`. */
const checkResumed = (failure: unknown, snapshot: SystemSnapshot): void => {
  if (failure === undefined) return;
  if (!(failure instanceof GuestProgramError)) throw failure;
  const { guest } = failure;
  const cause = failure.cause;
  const position = (snapshot.guests[guest] as Waiting | undefined)?.position;
  if (cause instanceof SystemSnapshotError && cause.path.startsWith('position')) {
    throw new SystemSnapshotError(`guests.${guest}.${cause.path}`, cause.value, cause.rule, { cause: failure });
  }
  throw new SystemSnapshotError(`guests.${guest}.position`, position, `the program fails to resume from it: ${cause instanceof Error ? cause.message : describeValue(cause)}`, {
    cause: failure,
  });
};

/** Each guest resumed into exactly the wake-up its snapshot gives it: its one step at `wake.time`, or none while it waits for a line. */
const checkWakeUps = (clock: VirtualClock, guests: readonly GuestEntry[], snapshot: SystemSnapshot): void => {
  const steps = new Map<string, number[]>();
  for (const e of clock.pendingEvents()) {
    if (e.tag.kind === 'guest') steps.set(e.tag.owner, [...(steps.get(e.tag.owner) ?? []), e.time]);
  }
  for (const g of guests) {
    const s = snapshot.guests[g.name]!;
    if (s.state !== 'waiting') continue;
    const at = `guests.${g.name}.position`;
    if (g.done) throw new SystemSnapshotError(at, s.position, 'the program ends at once when resumed from it: a waiting guest waits');
    const times = steps.get(g.name) ?? [];
    const wake = s.wake?.time;
    if (wake === undefined && times.length > 0) {
      throw new SystemSnapshotError(
        at,
        s.position,
        `resumed from it, the guest wakes at ${times[0]} ns, but the snapshot gives it no wake-up (a guest waiting for a line wakes at once when the restored line is already at the level it waits for)`,
      );
    }
    if (wake !== undefined && (times.length !== 1 || times[0] !== wake)) {
      const found = times.length === 0 ? 'does not wait for a time' : `waits until ${times.join(', ')} ns`;
      throw new SystemSnapshotError(at, s.position, `resumed from it, the guest ${found}, but its wake-up is at ${wake} ns`);
    }
  }
};

/** The restored system's own snapshot is the one given: anything else means the snapshot is not a state this system can be in. */
const checkRoundTrip = (parts: SnapshotParts, snapshot: SystemSnapshot): void => {
  const d = firstDifference(snapshot, takeSystemSnapshot(parts));
  if (d === undefined) return;
  refuseLineDisagreement(parts, d);
  const found =
    d.actual === undefined
      ? 'the restored system has nothing here (a key its parts do not report)'
      : d.expected === undefined
        ? `is missing: the restored system reports ${describeValue(d.actual)} here`
        : `the restored system reports ${describeValue(d.actual)} here`;
  throw new SystemSnapshotError(formatPath(d.path), d.expected, `${found}: a restore must reproduce its snapshot exactly, and this one is not a state the system can be in`);
};

/**
 * A level input's PENDING bit is its line's level, which the line's device
 * sets from its own state: when the restored PENDING differs from the
 * snapshot's, the controller's snapshot and the device's disagree, and the
 * refusal names both (the device's snapshot may be the one changed).
 */
const refuseLineDisagreement = ({ routes }: SnapshotParts, d: Difference): void => {
  const [root, controller, registers, name] = d.path;
  if (root !== 'devices' || registers !== 'registers' || name !== 'PENDING' || d.path.length !== 4) return;
  const inputs = routes.get(String(controller));
  if (inputs === undefined || typeof d.expected !== 'number' || typeof d.actual !== 'number') return;
  const differs = (d.expected ^ d.actual) >>> 0;
  const k = inputs.findIndex((input, i) => !input.edge && ((differs >>> i) & 1) === 1);
  if (k < 0) return;
  const { path } = inputs[k]!;
  const level = inputs[k]!.signal.level ? 'high' : 'low';
  const device = path.slice(0, path.lastIndexOf('.'));
  throw new SystemSnapshotError(
    formatPath(d.path),
    d.expected,
    `bit ${k} is input ${k}, the level of line ${path}, which devices.${device} drives ${level} once restored: the two snapshots disagree (one of them is not a state the system can be in)`,
  );
};

/** Puts the system back as it was before the restore began (see {@link restoreSystemSnapshot}). */
const rollBack = ({ clock, devices, runner }: SnapshotParts, saved: Saved): void => {
  runner.abortRestore();
  for (const [name, device] of devices) device.restore(saved.devices.get(name));
  clock.reorderPending(saved.pending);
  // Work the restore queued and nothing took back (a device whose restore leaves its old timers armed) cannot be
  // cancelled from here: say so rather than leave it to run.
  const now = clock.pendingEvents().map(eventKey);
  const before = saved.pending.map(eventKey);
  if (now.length !== before.length || now.some((k, i) => k !== before[i])) {
    throw new Error(`the clock's queue differs from before the restore: [${now.join(', ')}] instead of [${before.join(', ')}]`);
  }
};
