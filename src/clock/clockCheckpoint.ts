import { ClockRangeError } from './errors';
import type { VirtualClock } from './VirtualClock';

/**
 * A clock's time and counters at one moment, to put back later: what a tool
 * that rewinds a whole system in place (the ordering explorer's fork) needs
 * of the clock. The queue is not part of it: the owners of the work re-create
 * theirs (devices from their snapshots, guests from their positions), and the
 * tool puts the same-instant order back with `reorderPending`.
 */
export interface ClockCheckpoint {
  /** The virtual time it was taken at (ns). */
  readonly time: number;
  /**
   * Puts the time and the counters (`executedCount`, `scheduledCount`,
   * `executedAtInstant`) back as they were.
   * @throws ClockRangeError when work queued before the checkpoint's time is still pending (it could never run)
   */
  rewind(): void;
}

/**
 * Takes a {@link ClockCheckpoint} of `clock` now (between two pieces of work,
 * not while it runs one).
 * @param clock - the clock
 * @returns the checkpoint
 */
export const checkpointClock = (clock: VirtualClock): ClockCheckpoint => {
  const saved = clock.counters;
  return {
    time: saved.time,
    rewind: () => {
      const next = clock.nextDeadline();
      if (next !== undefined && next < saved.time) {
        throw new ClockRangeError(next, `is before the checkpoint's time (${saved.time} ns): work due then cannot stay pending across a rewind`, 'pending work time');
      }
      clock.counters = saved;
    },
  };
};
