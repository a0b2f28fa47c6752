import { ClockRangeError } from './errors';
import type { ClockCounters, VirtualClock } from './VirtualClock';

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
export const checkpointClock = (clock: VirtualClock): ClockCheckpoint => new ClockPoint(clock, clock.counters);

/**
 * A checkpoint whose time is read off the counters it holds, not copied into
 * a field of its own: the clock's time is sometimes a small integer and
 * sometimes not, and a copy made that field's kind flip between the two,
 * which threw the optimized code of every fork that took one back to the
 * interpreter (and recompiled it) many times per search.
 */
class ClockPoint implements ClockCheckpoint {
  constructor(
    private readonly clock: VirtualClock,
    private readonly saved: ClockCounters,
  ) {}

  get time(): number {
    return this.saved.time;
  }

  rewind(): void {
    const { clock, saved } = this;
    const next = clock.nextDeadline();
    if (next !== undefined && next < saved.time) {
      throw new ClockRangeError(next, `is before the checkpoint's time (${saved.time} ns): work due then cannot stay pending across a rewind`, 'pending work time');
    }
    clock.counters = saved;
  }
}
