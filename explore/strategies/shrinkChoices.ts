import { canonicalChoices, driveRun, pickChoices, type DriveSpan, type Driven } from './driveRun';
import type { ExplorerRun } from '../exploreSchedules';

/** A failing run (a violation, or the system threw) with its canonical choice sequence. @internal */
export interface FailedRun extends Driven {
  /** The index taken at each choice point, trailing FIFO picks dropped: replaying it is the same run. */
  readonly choices: readonly number[];
}

/** What {@link shrinkChoices} ended with. @internal */
export interface Shrunk {
  /** The smallest failing run found. */
  readonly best: FailedRun;
  /** Runs made while shrinking. */
  readonly attempts: number;
}

/**
 * Drives a choice sequence and returns the run when it fails (a violation or
 * a throw), reduced to its canonical choices (up to the point where the
 * invariant was seen broken: later picks cannot have caused it); `undefined`
 * when it passes.
 * @internal
 */
export const failingRun = (build: () => ExplorerRun, choices: readonly number[], span: DriveSpan): FailedRun | undefined => {
  const driven = driveRun(build, pickChoices(choices), span);
  if (driven.threw === undefined && driven.message === undefined) return undefined;
  return { ...driven, choices: canonicalChoices(driven.taken, driven.failedAt) };
};

/** Whether `a` is a smaller sequence than `b`: shorter, or as long and lexicographically smaller. */
const smaller = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

/** Chunk sizes for delta debugging: half the length, halving down to 1. */
function* chunkSizes(length: number): Generator<number> {
  for (let size = Math.max(1, length >> 1); ; size >>= 1) {
    yield size;
    if (size === 1) return;
  }
}

/**
 * Shrinks a failing choice sequence towards the normal (FIFO) order,
 * deterministically, in passes that each try bigger steps first:
 * 1. the shortest failing prefix among lengths 0, 1, 2, 4, ... (past its end
 *    every point takes the FIFO pick);
 * 2. delta debugging: chunks of choices set to 0 (the FIFO pick; a deferral
 *    is an option after every ready piece of work, so this drops deferrals),
 *    then chunks dropped, in halving sizes;
 * 3. polish, until no such change still fails (a local minimum): one
 *    choice dropped; the piece of work picked at a later point picked at an
 *    earlier one instead, FIFO after it (how `[1, 4]`, "a, then h", becomes
 *    `[5]`, "h first"); one choice lowered.
 * A candidate is kept only when it fails and its canonical sequence is
 * smaller (shorter, or as long and lexicographically smaller): so the result
 * is never longer than the input and shrinking ends. Failing means the same
 * as for the input: a violation, or the system threw.
 * @param build - makes a fresh run
 * @param failed - the failing run to shrink
 * @param span - its bottom-half window and explored span
 * @param maxAttempts - most runs to spend (the best so far is returned when they run out)
 * @returns the smallest failing run found and the runs spent
 * @internal
 */
export const shrinkChoices = (build: () => ExplorerRun, failed: FailedRun, span: DriveSpan, maxAttempts: number): Shrunk => {
  let best = failed;
  let attempts = 0;
  /** Tries a candidate; keeps it when it fails and is smaller. */
  const tryCandidate = (candidate: readonly number[]): boolean => {
    if (attempts >= maxAttempts || !smaller(candidate, best.choices)) return false;
    attempts++;
    const found = failingRun(build, candidate, span);
    if (found === undefined || !smaller(found.choices, best.choices)) return false;
    best = found;
    return true;
  };

  for (let length = 0; length < best.choices.length; length = length === 0 ? 1 : 2 * length) {
    if (tryCandidate(best.choices.slice(0, length))) break;
  }
  for (const size of chunkSizes(best.choices.length)) {
    for (let at = 0; at < best.choices.length; at += size) {
      const c = best.choices;
      if (c.slice(at, at + size).some((v) => v !== 0)) tryCandidate([...c.slice(0, at), ...c.slice(at, at + size).map(() => 0), ...c.slice(at + size)]);
    }
  }
  for (const size of chunkSizes(best.choices.length)) {
    // Dropping shifts later choices to earlier points; on success the same position is tried again.
    for (let at = 0; at < best.choices.length; ) {
      const c = best.choices;
      if (!tryCandidate([...c.slice(0, at), ...c.slice(at + size)])) at += size;
    }
  }
  for (let improved = true; improved && attempts < maxAttempts; ) {
    improved = false;
    const c = best.choices;
    for (let i = 0; i < c.length && !improved; i++) improved = tryCandidate([...c.slice(0, i), ...c.slice(i + 1)]);
    for (let j = 1; j < c.length && !improved; j++) {
      for (let i = 0; i < j && !improved; i++) {
        const at = best.options[i]!.indexOf(best.schedule[j]!);
        if (at > 0) improved = tryCandidate([...c.slice(0, i), at]);
      }
    }
    for (let i = 0; i < c.length && !improved; i++) {
      for (let v = 0; v < c[i]! && !improved; v++) improved = tryCandidate([...c.slice(0, i), v, ...c.slice(i + 1)]);
    }
  }
  return { best, attempts };
};
