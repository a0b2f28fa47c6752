import { checkpointClock } from '../src/clock/clockCheckpoint';
import type { PendingEvent } from '../src/clock/VirtualClock';
import { trustingData } from '../src/shared/parseWithSchema';
import { eventKey } from './checkPendingWork';
import { SystemSnapshotError } from './errors';
import { firstDifference } from './firstDifference';
import { formatPath } from './schemaIssue';
import type { System } from './System';
import { takeSystemSnapshot, type SystemSnapshot } from './SystemSnapshot';

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
 * @throws SystemSnapshotError for a system that cannot be snapshot (a guest without a position, a replay), or when a legacy bottom half is pending (not device state: nothing would re-create it)
 */
export const checkpointSystem = (system: System, options: CheckpointOptions = {}): SystemCheckpoint => {
  const parts = system.checkpointParts();
  const { clock, devices, runner, recorder, routes } = parts;
  if (!runner.started) throw new SystemSnapshotError('(system)', 'not started', 'a checkpoint is taken of a system that has run');
  // Frozen: restores take their parts unchecked and uncopied (see trustingData), so none may change them.
  const snapshot = deepFreeze(takeSystemSnapshot(parts));
  const bottomHalf = snapshot.pending.findIndex((e) => e.tag.kind === 'bottom-half');
  if (bottomHalf >= 0) {
    throw new SystemSnapshotError(`pending[${bottomHalf}]`, snapshot.pending[bottomHalf], 'a legacy bottom half is pending: it is not device state, so a rewind could not re-create it');
  }
  const point = checkpointClock(clock);
  const names = [...devices.keys()];
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
  // A guest's accesses and every line change are trace events of the device (or line) they touch.
  const stopTrace = system.watchTrace((event) => {
    if (event.kind !== 'mark' && event.kind !== 'violation') mark(event.source);
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
        trustingData(() => {
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

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};
