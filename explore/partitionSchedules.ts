import { exploreSchedules, type ExploreOptions, type ExploreResult, type ExplorerRun, type Schedule } from './exploreSchedules';

/** One part of a schedule space: every schedule that starts with `prefix`. */
export interface SchedulePart {
  /** Position of the part in exploration order (parts merge in this order). */
  readonly order: number;
  /** The choices every schedule of the part starts with. */
  readonly prefix: Schedule;
}

/** The split of a space into parts, and what the split itself ran. */
export interface Partition {
  /** The parts, in exploration order. */
  readonly parts: readonly SchedulePart[];
  /**
   * The split's own outcomes in exploration order, `X` standing for each part
   * (see {@link ExploreResult.outcomes}); complete schedules shorter than the
   * split depth and pruned runs are here.
   */
  readonly outcomes: string;
  /** The split's result (a violation it met in a short schedule comes first). */
  readonly result: ExploreResult;
}

/**
 * Splits the schedule space at choice point `depth`: each part is one prefix
 * of `depth` choices, to be explored on its own (on another worker thread)
 * with `exploreSchedules(build, { prefix })`. Merging the parts' results in
 * order with {@link mergeParts} gives exactly the counts and the first
 * violation of one search over the whole space: with sleep sets, the options
 * a search explores at a choice point do not depend on what it found below.
 * @param build - makes a fresh run
 * @param depth - the choice point to split at (1 = by the first choice)
 * @param options - reduction and independence, as for the whole search
 * @returns the parts and the split's own outcomes
 */
export const partitionSchedules = (build: () => ExplorerRun, depth: number, options: Omit<ExploreOptions, 'prefix' | 'stopAt'> = {}): Partition => {
  const result = exploreSchedules(build, { ...options, maxSchedules: Number.MAX_SAFE_INTEGER, stopAt: depth });
  const parts = (result.prefixes ?? []).map((prefix, order) => ({ order, prefix }));
  return { parts, outcomes: result.outcomes, result };
};

/**
 * Merges the parts' results (in any arrival order) into what one search of
 * the whole space would have returned: counts in exploration order up to the
 * first violation or the bound, and that violation.
 * @param partition - from {@link partitionSchedules}
 * @param results - each part's result, by `order`
 * @param maxSchedules - the bound of the whole search (default 10 000)
 */
export const mergeParts = (partition: Partition, results: ReadonlyMap<number, ExploreResult>, maxSchedules = 10_000): ExploreResult => {
  let schedules = 0;
  let pruned = 0;
  let outcomes = '';
  let part = 0;
  const finish = (exhausted: boolean, violation?: ExploreResult['violation']): ExploreResult =>
    violation === undefined ? { schedules, pruned, exhausted, outcomes } : { schedules, pruned, exhausted, outcomes, violation };
  const step = (o: string, violation: () => ExploreResult['violation']): ExploreResult | undefined => {
    outcomes += o;
    if (o === 'P') {
      pruned++;
      return undefined;
    }
    schedules++;
    if (o === 'V') {
      const v = violation()!;
      return finish(false, { ...v, index: schedules });
    }
    return schedules >= maxSchedules ? finish(false) : undefined;
  };
  for (const o of partition.outcomes) {
    if (o !== 'X') {
      const done = step(o, () => partition.result.violation);
      if (done !== undefined) return done;
      continue;
    }
    const r = results.get(part);
    if (r === undefined) throw new Error(`mergeParts: no result for part ${part}`);
    for (const inner of r.outcomes) {
      const done = step(inner, () => r.violation);
      if (done !== undefined) return done;
    }
    if (!r.exhausted && r.violation === undefined) return finish(false); // the part hit its own bound
    part++;
  }
  return finish(true);
};
