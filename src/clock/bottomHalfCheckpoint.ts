import { bottomHalvesOn } from './BottomHalf';
import type { PendingEvent, VirtualClock } from './VirtualClock';

/** A pending bottom half as a {@link BottomHalfCheckpoint} notes it: when it is due, and what it delivers. */
interface NotedBottomHalf {
  readonly time: number;
  readonly value: unknown;
}

/**
 * The legacy bottom halves pending on a clock at one moment, to put back
 * after a rewind: what a fork of a system holds beyond its devices' state,
 * which a pending bottom half is not part of (see {@link checkpointBottomHalves}).
 */
export interface BottomHalfCheckpoint {
  /**
   * Puts back the bottom halves of the owners `changed` names, and of every
   * owner whose pending bottom half is not the checkpoint's (due at another
   * time, pending or not): each pending as noted (due when it was, carrying
   * what it did) or idle. Call it with the clock at the checkpoint's time or
   * later, before any of the work; the order within an instant is the
   * caller's to put back (`VirtualClock.reorderPending`).
   * @param changed - whether an owner's bottom half may have run or been made pending since (its device ran work or was accessed)
   */
  rewind(changed: (owner: string) => boolean): void;
}

/** A checkpoint with no bottom half pending on a clock that has none that could be (sync delivery only): a rewind does nothing. */
const NONE: BottomHalfCheckpoint = Object.freeze({ rewind: () => undefined });

/**
 * Notes the bottom halves pending on `clock` (their due time, from its
 * queue, and what each delivers), to put back later with
 * {@link BottomHalfCheckpoint.rewind}: how the ordering explorer forks a
 * system under legacy `bottom-half` delivery. Only bottom halves built with a
 * payload (the device kit's) can be noted.
 *
 * Ordering: a rewound queue holds the same bottom halves at the same times
 * (G4 once the caller puts the instant's order back).
 * @param clock - the clock the bottom halves were scheduled on
 * @param pending - its queue now (`clock.pendingEvents()`, which the caller has at hand)
 * @returns the checkpoint, or `undefined` when a pending bottom half cannot be put back (one without a payload, or whose owner another shares)
 */
export const checkpointBottomHalves = (clock: VirtualClock, pending: readonly PendingEvent[] = clock.pendingEvents()): BottomHalfCheckpoint | undefined => {
  const registry = bottomHalvesOn(clock);
  const noted = new Map<string, NotedBottomHalf>();
  for (const e of pending) {
    if (e.tag.kind !== 'bottom-half') continue;
    const half = registry?.get(e.tag.owner);
    if (half === undefined || half === null || noted.has(e.tag.owner)) return undefined;
    noted.set(e.tag.owner, { time: e.time, value: half.savePayload() });
  }
  if (registry === undefined || registry.size === 0) return NONE;
  return {
    rewind(changed) {
      // What is pending now, by owner: a bottom half deferred or made pending since differs from the noted one.
      const now = new Map<string, number>();
      for (const e of clock.pendingEvents()) if (e.tag.kind === 'bottom-half') now.set(e.tag.owner, e.time);
      for (const [owner, half] of registry) {
        if (half === null) continue;
        const was = noted.get(owner);
        if (changed(owner) || now.get(owner) !== was?.time) half.restorePending(was);
      }
    },
  };
};
