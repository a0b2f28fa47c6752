import { RegisterSnapshotError } from './errors';
import { describeValue } from '../shared/describeValue';
import { snapshotPartError } from './timerPart';

/**
 * Opens an untrusted device snapshot: checks that it is an object of the
 * expected version and returns it as a record to read the parts from.
 *
 * ## Example
 * ```ts
 * const s = openSnapshot(snapshot, 'CmsdkApbTimer', CMSDK_APB_TIMER_SNAPSHOT_VERSION);
 * expectSame('pclkHz', s.pclkHz, this.pclk.hz, "the PCLK input's frequency now");
 * ```
 * @param snapshot - untrusted data (e.g. parsed JSON)
 * @param device - the class that made it, for the message
 * @param version - the version this device reads
 * @returns the snapshot as a record
 * @throws RegisterSnapshotError naming `(root)` or `version`
 * @deprecated Since #14 the catalogue devices check their snapshots with one
 *   strict schema each (`parseSnapshot`, `deviceSnapshotSchema`), which refuses
 *   unknown fields and names nested fields by their full path; this helper
 *   checks neither. It goes when the last caller outside the catalogue has moved.
 */
export const openSnapshot = (snapshot: unknown, device: string, version: number): Record<string, unknown> => {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new RegisterSnapshotError('(root)', snapshot, `must be an object made by ${device}.snapshot()`);
  }
  const s = snapshot as Record<string, unknown>;
  if (s.version !== version) throw new RegisterSnapshotError('version', s.version, `must be ${version}`);
  return s;
};

/**
 * Checks that a snapshot field equals what the device has now (a clock
 * frequency, a configuration the snapshot cannot change).
 * @param field - the field's path in the snapshot, for the message (e.g. `timclkHz[1]`)
 * @param value - its value in the snapshot
 * @param now - the device's current value
 * @param what - what `now` is, in words
 * @throws RegisterSnapshotError naming the field
 */
export const expectSame = (field: string, value: unknown, now: unknown, what: string): void => {
  if (value !== now) throw new RegisterSnapshotError(field, value, `must equal ${what} (${describeValue(now)}): set it first`);
};

/**
 * Restores a device all or nothing: runs `load` steps in order; if one
 * throws, runs `rollback` (which puts back the state saved before) and
 * rethrows, so a malformed snapshot changes nothing.
 * @param load - the restore steps (bank, timers, device fields)
 * @param rollback - restores the state saved before the first step
 */
export const restoreAtomically = (load: () => void, rollback: () => void): void => {
  try {
    load();
  } catch (error) {
    rollback();
    throw error;
  }
};

/** A part of a device's state: a register bank (`restore`) or a timer (`restoreState`). */
export type SnapshotPart =
  | {
      /** The part's state now (kept to put it back if a later part refuses its snapshot). */
      snapshot(): unknown;
      /** Loads a snapshot into the part, or throws without changing it. */
      restore(snapshot: unknown): void;
    }
  | {
      /** The part's state now (kept to put it back if a later part refuses its snapshot). */
      snapshot(): unknown;
      /** Loads a snapshot into the part, or throws without changing it. */
      restoreState(snapshot: unknown): void;
    };

/** One part of a device and the snapshot to load into it; `where` (e.g. `timers[1]`) prefixes the path of a refusal. */
export type SnapshotLoad = readonly [part: SnapshotPart, snapshot: unknown, where?: string];

const load = ([part, snapshot, where]: SnapshotLoad): void => {
  try {
    if ('restoreState' in part) part.restoreState(snapshot);
    else part.restore(snapshot);
  } catch (error) {
    throw where === undefined ? error : snapshotPartError(where, error);
  }
};

/**
 * Restores a device's parts all or nothing: loads each `[part, snapshot, where]`
 * in order, then runs `check` (a device-level rule across parts). If a part
 * refuses its snapshot, the parts loaded before it are put back; if `check`
 * throws, all are. Each part validates before it changes anything, so the
 * part that refused is already unchanged, and parts never touched keep
 * their place in the clock's same-instant order. A device checks its parts
 * first (`parseSnapshot`, `checkTimerPart`, its own rules), so that nothing
 * has to be put back in the usual case: a timer put back is re-armed, after
 * the work already due at its instant.
 *
 * A part's refusal is re-thrown as a `RegisterSnapshotError` at
 * `<where>.<the part's field>` when `where` is given.
 *
 * ## Example
 * ```ts
 * restoreParts([[this.bank, s.registers, 'registers'], [this.timer, s.timer, 'timer']]);
 * ```
 * @param parts - each part with the snapshot to load into it, and where that sits in the device snapshot
 * @param check - runs after every part is loaded; throws to reject the whole snapshot
 */
export const restoreParts = (parts: readonly SnapshotLoad[], check?: () => void): void => {
  const saved = parts.map(([part]) => part.snapshot());
  let loaded = 0;
  restoreAtomically(
    () => {
      for (const entry of parts) {
        load(entry);
        loaded++;
      }
      check?.();
    },
    () => {
      for (let i = 0; i < loaded; i++) load([parts[i]![0], saved[i]]);
    },
  );
};
