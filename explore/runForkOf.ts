import type { SystemFork } from '../system/systemCheckpoint';
import type { RunFork } from './exploreSchedules';

/**
 * An explorer's point of a run: the system's fork, and what the run keeps
 * beside the system (its observations, its invariants' state) put back after
 * the system at every rewind.
 * @param fork - the system's fork
 * @param putBack - restores the run's own state as it was when the fork was taken
 * @returns the point, released with the fork
 * @internal
 */
export const runForkOf = (fork: SystemFork, putBack: () => void): RunFork => ({
  rewind: () => {
    if (!fork.tryRewind()) return false;
    putBack();
    return true;
  },
  release: fork.release,
});
