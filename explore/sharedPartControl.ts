import type { PartControl, Schedule } from './exploreSchedules';

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

/** What a part hands off at a split: the tail of its rest, with each prefix's estimated schedules and what the part kept. @internal */
export interface HandOff {
  readonly rest: readonly Schedule[];
  readonly sizes: readonly number[];
  /** The estimated schedules of the prefixes the part kept (beside what it already ran). */
  readonly kept: number;
}

/**
 * The thread's side: reads the block the coordinator writes. With
 * `handOff`, a split keeps the part running on the first half of the work
 * left (see {@link keepOf}) and sends the rest through it. @internal
 * @param buffer - a block's `buffer`
 * @param handOff - sends handed-off prefixes to the coordinator at once (the part runs on)
 */
export const sharedPartControl = (buffer: SharedArrayBuffer, handOff?: (h: HandOff) => void): PartControl => {
  const view = new Int32Array(buffer);
  const bound = (): number => {
    const b = Atomics.load(view, BOUND);
    return b === UNBOUNDED ? Number.POSITIVE_INFINITY : b;
  };
  // Wall-clock times of the part's runs (never virtual time): how many runs a thread's start on a part is worth.
  const startedAt = performance.now();
  let firstRunMs = 0;
  let reports = 0;
  let lastAt = startedAt;
  // One object shape with or without `handOff` (a thread's parts have both kinds): the search reads it after every run.
  return {
    bound,
    splitRequested: () => Atomics.load(view, SPLIT) === 1,
    report: (schedules) => {
      const now = performance.now();
      if (reports++ === 0) firstRunMs = now - startedAt;
      lastAt = now;
      Atomics.store(view, PROGRESS, Math.min(schedules, 2 ** 31 - 1));
    },
    splitOff:
      handOff === undefined
        ? undefined
        : (rest, sizes) => {
            // A part's first run replays its prefix from the start of the span: worth many later runs, which resume deep.
            const laterRunMs = reports > 1 ? (lastAt - startedAt - firstRunMs) / (reports - 1) : firstRunMs;
            const startRuns = laterRunMs > 0 ? firstRunMs / laterRunMs : 1;
            const left = bound() - Atomics.load(view, PROGRESS);
            const keep = keepOf(sizes, left, startRuns);
            if (keep >= rest.length) return rest.length; // not worth a thread's start yet: asked again after the next run
            let kept = 0;
            for (let i = 0; i < keep; i++) kept += sizes[i]!;
            handOff({ rest: rest.slice(keep), sizes: sizes.slice(keep), kept });
            Atomics.store(view, SPLIT, 0);
            return keep;
          },
  };
};

/**
 * How many of a part's rest prefixes (estimated `sizes`, in order) it keeps
 * at a split: the cut whose kept schedules come nearest half of what is left
 * to run (the whole rest, or the part's bound less what it ran), so two
 * threads share it evenly and, in a bounded search, both run schedules the
 * merge will take. All of them when what would be handed off is worth less
 * than twice a thread's start on a part (`startRuns`, in runs). @internal
 */
export const keepOf = (sizes: readonly number[], left: number, startRuns: number): number => {
  const useful = Math.min(sizes.reduce((a, b) => a + b, 0), left);
  let best = 0;
  let bestKept = 0;
  let kept = 0;
  for (let k = 1; k <= sizes.length; k++) {
    kept += sizes[k - 1]!;
    if (Math.abs(kept - useful / 2) < Math.abs(bestKept - useful / 2)) {
      best = k;
      bestKept = kept;
    }
  }
  return useful - Math.min(bestKept, useful) < 2 * startRuns ? sizes.length : best;
};
