import type { PartControl } from './exploreSchedules';

/** Slots of a part's control block (an `Int32Array` on a `SharedArrayBuffer`). */
const BOUND = 0;
const SPLIT = 1;
/** The complete schedules the part has run so far (written by its thread after each run). */
const PROGRESS = 2;
const SLOTS = 3;
/** A bound of -1 means none: a part's bound only matters while it is below 2^31. */
const UNBOUNDED = -1;

/**
 * The coordinator's side of a part's live control: a few integers shared
 * with the thread exploring the part, so the bound and a split request reach
 * it between two runs without a message (the thread is busy in a synchronous
 * search and reads no messages until the part ends). @internal
 */
export interface PartControlBlock {
  /** The shared memory, sent to the thread with the part. */
  readonly buffer: SharedArrayBuffer;
  /** Lowers the part's bound (never raises it: the merge's need only shrinks). */
  lowerBound(bound: number): void;
  /** Asks the part to stop after its current run and hand back the rest. */
  requestSplit(): void;
  /** Whether a split was asked for. */
  readonly splitAsked: boolean;
  /** The complete schedules the part reported so far (0 from a thread that does not report). */
  readonly progress: number;
}

/**
 * A control block for a part that may run at most `bound` complete schedules. @internal
 * @param bound - the part's bound when it starts
 */
export const partControlBlock = (bound: number): PartControlBlock => {
  const buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const view = new Int32Array(buffer);
  const encode = (b: number): number => (b >= 2 ** 31 - 1 ? UNBOUNDED : Math.max(0, b));
  Atomics.store(view, BOUND, encode(bound));
  return {
    buffer,
    lowerBound(b) {
      const now = Atomics.load(view, BOUND);
      const next = encode(b);
      if (next !== UNBOUNDED && (now === UNBOUNDED || next < now)) Atomics.store(view, BOUND, next);
    },
    requestSplit() {
      Atomics.store(view, SPLIT, 1);
    },
    get splitAsked() {
      return Atomics.load(view, SPLIT) === 1;
    },
    get progress() {
      return Atomics.load(view, PROGRESS);
    },
  };
};

/**
 * The thread's side: reads the block the coordinator writes. @internal
 * @param buffer - a block's `buffer`
 */
export const sharedPartControl = (buffer: SharedArrayBuffer): PartControl => {
  const view = new Int32Array(buffer);
  return {
    bound: () => {
      const b = Atomics.load(view, BOUND);
      return b === UNBOUNDED ? Number.POSITIVE_INFINITY : b;
    },
    splitRequested: () => Atomics.load(view, SPLIT) === 1,
    report: (schedules) => void Atomics.store(view, PROGRESS, Math.min(schedules, 2 ** 31 - 1)),
  };
};
