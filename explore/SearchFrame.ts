/**
 * A choice point on a search's path (see `exploreSchedules`), with every
 * field set by its constructor.
 *
 * One class, so that every frame has one shape. Frames used to be object
 * literals of four kinds: a part's prefix, a new choice, DPOR's with a
 * source set, and a held path's copy. Fork points and refusals were added
 * later. A worker thread exploring parts meets them in a different mix than
 * a single search. Each new mix threw the search's optimized code away
 * (`wrong map`), and the code was compiled again: tens of ms per part on
 * each thread, for several searches.
 * @internal
 * @module
 */

/** Where a later schedule that changes a choice at or after a frame starts. @internal */
export interface ForkPoint {
  /** The run forked just before the frame's choice. */
  readonly fork: { rewind(): boolean; release(): void };
  /** Puts the choice points' state back as it was then. */
  readonly points: () => void;
  /** DPOR: puts back what the run had learnt then. */
  readonly learnt: (() => void) | undefined;
}

/** A choice point of a search's path. @internal */
export class SearchFrame {
  /** The run forked just before the choice here (see {@link ForkPoint}). */
  point: ForkPoint | undefined = undefined;
  /** The run could not be rewound to the point taken here: none is taken here again. */
  refused = false;

  /**
   * @param options - every option at the point (to find the chosen one's index)
   * @param explore - the options explored from here: all, or a persistent set; cut short when a split hands the later ones off
   * @param done - options already explored from here
   * @param sleep - options that need not be explored from here (sleep set)
   * @param chosen - the option the path takes here
   * @param backtrack - DPOR: the options to explore from here, growing as races are found (the source set)
   */
  constructor(
    readonly options: readonly string[],
    public explore: readonly string[],
    readonly done: Set<string>,
    readonly sleep: ReadonlySet<string>,
    public chosen: string,
    readonly backtrack: Set<string> | undefined = undefined,
  ) {}
}

/** Makes a fork point (one shape, learnt or not). @internal */
export const forkPoint = (fork: ForkPoint['fork'], points: () => void, learnt: (() => void) | undefined): ForkPoint => ({ fork, points, learnt });
