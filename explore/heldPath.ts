/**
 * A thread's last explored path, held between the parts it explores of one
 * search, so that a part starts from the deepest fork that path shares with
 * its prefix instead of replaying the prefix from the start (a scenario's
 * checkpoint at `from`, or time 0): on the default scenario a part's first
 * run from `from` costs about 50-100 later runs, and parts handed off near one
 * another share most of their prefix.
 *
 * The frames of the shared choices are rebuilt as a part's prefix frames
 * are (the options a single search would have done before each choice), and
 * the run is rewound to the fork the path took before the first choice the
 * part replays: what a replay from the start reaches, exactly (forks are
 * exact), so the part's outcomes do not change (tested).
 * @internal
 * @module
 */
import type { WorkTag } from '../src/clock/WorkTag';
import { SearchFrame } from './SearchFrame';

/** Where a search lends its path when it ends, for the next search of the same explorer (see `ExploreOptions.hold`). @internal */
export interface PathHold<R> {
  /** The labels' work tags, shared by the searches that use the hold (the forks' choice points note them there). */
  readonly tags: Map<string, WorkTag>;
  /**
   * The frames of the held path that the search of `prefix` starts from, and
   * the run they fork (then no longer held); none when the path shares no
   * fork with the prefix (its forks are released).
   */
  resume(prefix: readonly string[], explorable: (options: readonly string[], sleep: ReadonlySet<string>) => readonly string[]): { readonly frames: SearchFrame[]; readonly last: R } | undefined;
  /** Lends a search's stack and last run, as they will be when it ends (read by the next `resume`). */
  lend(stack: readonly SearchFrame[], last: () => R | undefined): void;
  /** Forgets the path (a search that failed: its run may be anywhere); its forks are released. */
  clear(): void;
}

/** A hold for one explorer's searches, used by one search at a time (`R`: the search's last run). @internal */
export const pathHold = <R>(): PathHold<R> => {
  let lent: { readonly stack: readonly SearchFrame[]; readonly last: () => R | undefined } | undefined;
  const releaseAll = (stack: readonly SearchFrame[]): void => {
    // Releasing a point releases every later one: the shallowest is enough.
    stack.find((f) => f.point !== undefined)?.point!.fork.release();
  };
  return {
    tags: new Map(),
    resume: (prefix, explorable) => {
      const held = lent;
      lent = undefined;
      const last = held?.last();
      if (held === undefined || last === undefined) return undefined;
      const { stack } = held;
      // The deepest frame inside the prefix whose choices before it are the prefix's, with a point and the prefix's next choice explorable there.
      let at = -1;
      for (let d = 0; d < prefix.length && d < stack.length; d++) {
        const f = stack[d]!;
        if (f.point !== undefined && !f.sleep.has(prefix[d]!) && explorable(f.options, f.sleep).includes(prefix[d]!)) at = d;
        if (f.chosen !== prefix[d]) break;
      }
      if (at < 0) {
        releaseAll(stack);
        return undefined;
      }
      // The points past it go (a rewind to it would release them anyway).
      releaseAll(stack.slice(at + 1));
      const frames = stack.slice(0, at + 1).map((f, d): SearchFrame => {
        const chosen = prefix[d]!;
        const explore = explorable(f.options, f.sleep);
        const done = new Set(explore.slice(0, explore.indexOf(chosen)).filter((o) => !f.sleep.has(o)));
        const frame = new SearchFrame(f.options, explore, done, f.sleep, chosen);
        frame.point = f.point;
        frame.refused = f.refused;
        return frame;
      });
      return { frames, last };
    },
    lend: (stack, last) => {
      lent = { stack, last };
    },
    clear: () => {
      const held = lent;
      lent = undefined;
      if (held !== undefined && held.last() !== undefined) releaseAll(held.stack);
    },
  };
};
