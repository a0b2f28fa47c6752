/**
 * The coordinator of a search run in parts on several threads, built so that
 * threads add speed and never work (issue 18 item 4):
 *
 * - **Parts are handed out lazily, in exploration order.** The search starts
 *   as one part (the whole space). A thread that has nothing to do makes the
 *   coordinator ask the earliest running part to split. On a runner that
 *   takes spans (`spans`), the part keeps about half of what it has left and
 *   runs on, handing off the tail of its rest (`HandOff`, with each
 *   subtree's estimated size) as one part: a span from the tail's first
 *   prefix up to where the part's territory ends. Otherwise it stops after
 *   its current run and hands back its rest as prefixes
 *   (`ExploreResult.rest`, deepest first), one part each (one span with
 *   `spans`). Either way they join the queue right after it, so the queue
 *   always holds the work nearest in order, and a part is never explored
 *   twice. A queued part that the estimates say the parts before it fill
 *   the bound without is not started while a split may give work nearer.
 * - **A shared budget.** A bounded search's bound covers all parts in order:
 *   each running part's bound is the whole bound less the schedules of the
 *   parts before it, finished or as far as they have run (each reports its
 *   count after every run), lowered live (shared memory) as they go. That
 *   bound is never below what the merge will take from the part (the parts
 *   before it can only add schedules), so stopping there drops nothing; and
 *   once the parts before one have run the whole bound, it and the parts
 *   after it are not needed. A part that found a violation, hit its bound or ran out of time
 *   ends the search after it: parts past it get a bound of 0, are not handed
 *   out, and are left out of the merge.
 * - **Merged in exploration order.** The finished parts' outcomes are
 *   concatenated in order and counted as one search counts them, up to the
 *   first violation or the bound, so verdict, counts, outcomes and first
 *   counterexample are those of one thread (tested).
 *
 * Each thread runs its parts' schedules as `exploreSchedules` does (a
 * scenario's rewound to its checkpoint at `from`, kept by the thread across
 * its parts; the race's re-run): the merge relies only on a part's outcomes
 * depending on nothing but its prefix.
 * @internal
 * @module
 */
import type { ExploreResult, Schedule } from './exploreSchedules';
import { partControlBlock, type HandOff, type PartControlBlock } from './sharedPartControl';

/**
 * Explores one part: the schedules that start with `prefix`, steered by
 * `control`, within `maxMillis` when set; a split the control asks for may
 * end the part with its rest (`ExploreResult.rest`) or keep it running and
 * hand the tail of its rest to `handOff` (before the part's result). @internal
 */
export type PartRun = (part: PartSpan, control: PartControlBlock, maxMillis: number | undefined, handOff: (h: HandOff) => void) => Promise<ExploreResult>;

/**
 * Where a part lies in exploration order: from `prefix` on, through the
 * schedules that share its first `fixed` choices (all when absent), up to
 * `end` (the next part's first choices) when given (see
 * `ExploreOptions.fixed` and `end`). @internal
 */
export interface PartSpan {
  readonly prefix: Schedule;
  readonly fixed?: number;
  readonly end?: Schedule;
}

/** Options of {@link exploreInParts}. @internal */
export interface InPartsOptions {
  /** The whole search's bound on complete schedules. */
  readonly maxSchedules: number;
  /** The whole search's wall-clock budget (ms): a part gets what is left when it starts. */
  readonly maxMillis?: number;
  /** How many parts run at once (the threads). */
  readonly concurrency: number;
  /** Runs a part. */
  readonly run: PartRun;
  /**
   * Whether `run` runs spans (`fixed`, `end`): the rest of a split part is
   * then one part from its first prefix, not one part per prefix, so a thread
   * starts on a part (replaying its prefix) once per split.
   */
  readonly spans?: boolean;
  /** Note each part's span in time (`InPartsResult.timeline`). */
  readonly timeline?: boolean;
}

/** A part as it ran (see `InPartsOptions.timeline`): when it was handed out and finished (ms from the search's start), and its result. @internal */
export interface PartTime {
  readonly startMs: number;
  readonly endMs: number;
  readonly prefix: number;
  readonly fixed?: number;
  readonly result: ExploreResult;
}

/** What {@link exploreInParts} found, with what it cost. @internal */
export interface InPartsResult {
  /** The merged result: what one search of the whole space returns. */
  readonly result: ExploreResult;
  /** Parts explored (the first, the whole space, plus one per prefix handed back by a split). */
  readonly parts: number;
  /** Runs the parts made (complete and pruned), the merged ones and any past the end of the search. */
  readonly runs: number;
  /** With `timeline`: every part, in the order they were handed out, and the hand-offs received. */
  readonly timeline?: { readonly parts: readonly PartTime[]; readonly handOffs: number; readonly ms: number };
}

interface Segment extends PartSpan {
  /** Where the part ends: moved up to the first prefix it hands off. */
  end?: Schedule;
  state: 'queued' | 'running' | 'done';
  control?: PartControlBlock;
  result?: ExploreResult;
  /** The part's estimated complete schedules (a handed-off prefix's, or a running part's after it handed off), when known. */
  estimate?: number;
}

/**
 * How often (ms) the bounds of running parts follow the progress of the parts
 * before them: every 2 ms near the bound, less often while the schedules
 * left to the bound would take the parts longer to run (up to every 50 ms),
 * so that a search far from its bound (a whole space) keeps this thread idle.
 */
const RESCAN_MS = 2;
const RESCAN_MAX_MS = 50;

/** The next rescan's delay: a quarter of the time the parts would take to run the `slack` left at their `perMs` rate, within bounds. @internal */
export const rescanDelay = (slack: number, perMs: number): number =>
  Math.max(RESCAN_MS, Math.min(RESCAN_MAX_MS, perMs > 0 ? slack / perMs / 4 : RESCAN_MS));

/** Complete schedules in a part's outcomes. */
const completed = (r: ExploreResult): number => r.schedules;

/** Whether a finished part ends the search after it: a violation, its bound or its time ran out (it handed nothing back). */
const endsSearch = (r: ExploreResult): boolean => r.violation !== undefined || (!r.exhausted && r.rest === undefined);

/**
 * Runs a search in parts (see the module doc) and merges them.
 * @param options - the bound, time budget, concurrency and how to run a part
 * @returns the merged result and what the parts ran
 * @internal
 */
export const exploreInParts = (options: InPartsOptions): Promise<InPartsResult> => {
  const { maxSchedules, maxMillis, concurrency, run, spans = false } = options;
  const startedAt = maxMillis === undefined && options.timeline !== true ? 0 : performance.now();
  const times: PartTime[] | undefined = options.timeline === true ? [] : undefined;
  let handOffs = 0;
  const segments: Segment[] = [{ prefix: [], state: 'queued' }];
  let running = 0;
  let parts = 0;
  let runs = 0;
  let failed = false;

  return new Promise<InPartsResult>((resolve, reject) => {
    /**
     * One pass in order: the bound of every running part, and where the
     * search ends (the index after the part that ends it, or after the part
     * in which the finished parts before reach the bound).
     */
    const scan = (): number => {
      let before = 0;
      let end = segments.length;
      for (let i = 0; i < segments.length; i++) {
        const s = segments[i]!;
        if (i >= end) {
          s.control?.lowerBound(0);
          continue;
        }
        if (s.state === 'running') {
          s.control!.lowerBound(maxSchedules - before);
          // It ends with at least what it has run: the parts after it need that much less, none once the bound is reached.
          before += s.control!.progress;
          if (before >= maxSchedules) end = i + 1;
        }
        if (s.state !== 'done') continue;
        before += completed(s.result!);
        if (endsSearch(s.result!) || before >= maxSchedules) end = i + 1;
      }
      return end;
    };

    /** The parts that explore the rest of `s` (in order): one span from its first prefix up to where `s` ended, or one part per prefix. */
    const restOf = (s: Segment, rest: readonly Schedule[], sizes?: readonly number[]): Segment[] => {
      const estimate = (k: number, n: number): { estimate?: number } => (sizes === undefined ? {} : { estimate: sizes.slice(k, k + n).reduce((a, b) => a + b, 0) });
      if (rest.length === 0) return [];
      if (!spans) return rest.map((prefix, k): Segment => ({ prefix, state: 'queued', ...estimate(k, 1) }));
      return [{ prefix: rest[0]!, fixed: s.fixed ?? s.prefix.length, ...(s.end === undefined ? {} : { end: s.end }), state: 'queued', ...estimate(0, rest.length) }];
    };

    // The parts' progress moves between their ends: the bounds follow it every few ms while parts run.
    let ticker: ReturnType<typeof setTimeout> | undefined;
    let last = { at: 0, ran: 0 };
    /** What the parts have run (finished and as far as they have run), and the schedules left to the bound. */
    const ran = (): number => segments.reduce((n, s) => n + (s.state === 'done' ? completed(s.result!) : (s.control?.progress ?? 0)), 0);
    const tick = (): void => {
      scan();
      const now = performance.now();
      const total = ran();
      const perMs = last.at === 0 ? 0 : (total - last.ran) / Math.max(1e-3, now - last.at);
      last = { at: now, ran: total };
      ticker = setTimeout(tick, rescanDelay(maxSchedules - total, perMs));
      ticker.unref?.();
    };
    const follow = (): void => {
      if (running > 0 && ticker === undefined) {
        last = { at: 0, ran: 0 };
        ticker = setTimeout(tick, RESCAN_MS);
        ticker.unref?.();
      } else if (running === 0 && ticker !== undefined) {
        clearTimeout(ticker);
        ticker = undefined;
      }
    };

    const finish = (): void => {
      if (running > 0) return; // parts past the end stop after their current run: wait, so the pool is idle again
      resolve({ result: merge(segments, maxSchedules), parts, runs, ...(times === undefined ? {} : { timeline: { parts: times, handOffs, ms: performance.now() - startedAt } }) });
    };

    const start = (s: Segment, bound: number): void => {
      const left = maxMillis === undefined ? undefined : maxMillis - (performance.now() - startedAt);
      if (left !== undefined && left <= 0) {
        s.state = 'done';
        s.result = { schedules: 0, pruned: 0, exhausted: false, timedOut: true, outcomes: '' };
        return;
      }
      s.state = 'running';
      s.control = partControlBlock(bound);
      running++;
      parts++;
      follow();
      const handOff = (h: HandOff): void => {
        handOffs++;
        if (failed || s.state !== 'running') return;
        s.estimate = s.control!.progress + h.kept;
        segments.splice(segments.indexOf(s) + 1, 0, ...restOf(s, h.rest, h.sizes));
        if (spans && h.rest.length > 0) s.end = h.rest[0]!;
        step();
      };
      const t0 = times === undefined ? 0 : performance.now() - startedAt;
      const prefix = s.prefix.length;
      const fixed = s.fixed;
      run(s, s.control, left, handOff).then(
        (result) => {
          times?.push({ startMs: t0, endMs: performance.now() - startedAt, prefix, ...(fixed === undefined ? {} : { fixed }), result });
          running--;
          follow();
          runs += result.schedules + result.pruned;
          s.state = 'done';
          s.result = result;
          if (result.rest !== undefined) segments.splice(segments.indexOf(s) + 1, 0, ...restOf(s, result.rest));
          step();
        },
        (error: unknown) => {
          running--;
          follow();
          if (!failed) {
            failed = true;
            for (const x of segments) x.control?.lowerBound(0);
            reject(error);
          }
        },
      );
    };

    /** The complete schedules the parts before `i` will likely run: what finished ones ran, the others' estimates (or progress). */
    const estimatedBefore = (i: number): number => {
      let n = 0;
      for (let k = 0; k < i; k++) {
        const s = segments[k]!;
        n += s.state === 'done' ? completed(s.result!) : Math.max(s.estimate ?? 0, s.control?.progress ?? 0);
      }
      return n;
    };

    /** Hands out queued parts to free threads, in order; with none queued, asks the earliest running part to split. */
    const step = (): void => {
      if (failed) return;
      for (;;) {
        const end = scan();
        const open = segments.slice(0, end).some((s) => s.state !== 'done');
        if (!open) return finish();
        if (running >= concurrency) return;
        const i = segments.findIndex((s, k) => k < end && s.state === 'queued');
        // A queued part the parts before it will likely fill the bound without: a split of a running one is likelier to count.
        if (i < 0 || (running > 0 && estimatedBefore(i) >= maxSchedules)) {
          let idle = concurrency - running;
          for (let k = 0; k < end && idle > 0; k++) {
            const s = segments[k]!;
            if (s.state === 'running' && !s.control!.splitAsked) {
              s.control!.requestSplit();
              idle--;
            }
          }
          return;
        }
        let before = 0;
        for (let k = 0; k < i; k++) {
          const earlier = segments[k]!;
          before += earlier.state === 'done' ? completed(earlier.result!) : (earlier.control?.progress ?? 0);
        }
        start(segments[i]!, maxSchedules - before);
      }
    };

    step();
  });
};

/**
 * The finished parts' outcomes in order, counted as one search counts them:
 * up to the first violation, the bound, or a part that ran out of bound or
 * time.
 */
const merge = (segments: readonly Segment[], maxSchedules: number): ExploreResult => {
  let schedules = 0;
  let pruned = 0;
  let outcomes = '';
  for (const s of segments) {
    const r = s.result;
    if (r === undefined) throw new Error('exploreInParts: merging a part that did not finish');
    for (const o of r.outcomes) {
      outcomes += o;
      if (o === 'P') {
        pruned++;
        continue;
      }
      schedules++;
      if (o === 'V') return { schedules, pruned, exhausted: false, outcomes, violation: { ...r.violation!, index: schedules } };
      if (schedules >= maxSchedules) return { schedules, pruned, exhausted: false, outcomes };
    }
    if (r.rest === undefined && !r.exhausted) return { schedules, pruned, exhausted: false, outcomes, ...(r.timedOut === true ? { timedOut: true as const } : {}) };
  }
  return { schedules, pruned, exhausted: true, outcomes };
};
