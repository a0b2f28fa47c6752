import type { Pick } from './driveRun';
import type { SeededRandom } from './seededRandom';

/** One run's PCT scheduler (see {@link pctPicker}). @internal */
export interface PctPicker {
  /** Picks at each choice point. */
  readonly pick: Pick;
}

/**
 * One run's PCT scheduler (Burckhardt et al., ASPLOS 2010), adapted to the
 * clock's choice points: each option label (a piece of work: a timer's
 * expiries, a guest's steps, a bottom half, or `defer <bottom half>`) is a
 * "thread". A label gets a uniformly random rank among those seen so far the
 * first time it is an option: inserting each newcomer at a uniform position
 * gives a uniform random order of all of them, as drawing all priorities up
 * front would. At each choice point the option of highest priority runs; at
 * the i-th of the d - 1 change points (distinct choice points drawn
 * uniformly among 1..steps), the option that would run is first lowered to
 * priority i, below every initial priority, and the highest is picked again.
 * @param random - this run's random source
 * @param depth - the bug depth d searched for: d - 1 priority change points
 * @param steps - the estimate of k, the choice points of a run: the change points are drawn among choice points 1..steps
 * @returns the run's picker
 * @internal
 */
export const pctPicker = (random: SeededRandom, depth: number, steps: number): PctPicker => {
  // d - 1 distinct change points among 1..steps (fewer when there are fewer points); the i-th drawn lowers to priority i.
  const changeAt = new Map<number, number>();
  const count = Math.min(depth - 1, steps);
  for (let i = 1; changeAt.size < count; ) {
    const point = 1 + random.below(steps);
    if (!changeAt.has(point)) changeAt.set(point, i++);
  }
  /** Labels at their initial priorities, highest first (all above every lowered one). */
  const ranked: string[] = [];
  /** Labels lowered at a change point, with the priority they took (1..d-1: higher runs first). */
  const lowered = new Map<string, number>();

  const highest = (options: readonly string[]): number => {
    let best = -1;
    let bestRank = Infinity;
    let bestLow = -Infinity;
    options.forEach((o, i) => {
      const low = lowered.get(o);
      if (low === undefined) {
        const rank = ranked.indexOf(o);
        if (bestRank === Infinity || rank < bestRank) {
          best = i;
          bestRank = rank;
        }
      } else if (bestRank === Infinity && low > bestLow) {
        best = i;
        bestLow = low;
      }
    });
    return best;
  };

  return {
    pick(options, point) {
      for (const o of options) {
        if (!lowered.has(o) && !ranked.includes(o)) ranked.splice(random.below(ranked.length + 1), 0, o);
      }
      const change = changeAt.get(point + 1);
      if (change !== undefined) {
        // The work that would run here loses its priority to the change point's, below every initial one.
        const top = options[highest(options)]!;
        const at = ranked.indexOf(top);
        if (at >= 0) ranked.splice(at, 1);
        lowered.set(top, change);
      }
      return highest(options);
    },
  };
};
