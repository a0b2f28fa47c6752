import type { VirtualClock } from '../src/clock/VirtualClock';
import { workTag, type WorkTag } from '../src/clock/WorkTag';
import { SystemConfigError } from '../system/errors';
import { choicePoints, DEFER_PREFIX, type ChoicePoints } from './choicePoints';
import { dporSearch, type DporRun, type DporSearch } from './dpor/dporSearch';
import type { Footprint } from './dpor/Footprint';
import type { PathHold } from './heldPath';
import { forkPoint, SearchFrame } from './SearchFrame';

/** One run the explorer drives: a fresh system, its clock, how to run it, and its invariant. */
export interface ExplorerRun {
  /** The run's clock: the explorer picks the order of same-instant work on it. */
  readonly clock: VirtualClock;
  /** Runs the system to its end (the explorer has set the clock's chooser). */
  run(): void;
  /**
   * The invariant, checked at every choice point and at the end: a message
   * when it is broken, `undefined` while it holds.
   */
  check(): string | undefined;
  /**
   * What the work run since the last call touched (registers read, devices
   * written, controller inputs changed), for `reduce: 'dpor'`; the explorer
   * calls it before each step and at the end. Without it, `'dpor'` judges
   * work by its tag (timer work touches its device; anything else,
   * everything). @internal
   */
  readonly takeFootprint?: () => Footprint;
  /**
   * Takes a point of the run now (inside a choice, before the explorer
   * answers it) that a later schedule sharing the choices so far starts
   * from, instead of building a fresh run: see {@link RunFork}. Forks are
   * released last taken first; `undefined` when the run cannot be forked
   * here. Without it, every schedule builds a run. @internal
   */
  readonly fork?: () => RunFork | undefined;
}

/**
 * A point of an explored run (see `ExplorerRun.fork`): rewound to, the run
 * is as it was when the point was taken, and running it on asks the clock's
 * chooser again with the same ready work. @internal
 */
export interface RunFork {
  /**
   * Puts the run back to the point (between runs; later points are
   * released), or returns false when it cannot (a device refuses the state
   * noted there): the explorer then starts from a point below it.
   */
  rewind(): boolean;
  /** Drops the point and every later one (idempotent). */
  release(): void;
}

/**
 * The partial-order reduction of {@link exploreSchedules}:
 * - `'sleep'` (also `true`): sleep sets over a static relation (`independent`),
 *   optionally with persistent sets;
 * - `'dpor'`: source-DPOR with sleep sets over footprints learned from what
 *   each step of the run did (registers read, devices written, controller
 *   inputs changed), so reads that commute are not ordered; one thread only
 *   (no `prefix`, `stopAt` or `control`), and with a bottom-half window it
 *   searches as `'sleep'`; a forked run puts back what it learnt up to the
 *   point it is rewound to, so it forks at choice points like the others;
 * - `false`: every order.
 */
export type Reduction = boolean | 'sleep' | 'dpor';

/** Options of {@link exploreSchedules}. */
export interface ExploreOptions {
  /** Stop after this many complete schedules (default 10 000). */
  readonly maxSchedules?: number;
  /**
   * Partial-order reduction: skip orders that only swap work that commutes
   * (see {@link Reduction}). Default true (`'sleep'`).
   */
  readonly reduce?: Reduction;
  /**
   * Whether two pieces of work commute, judged by their tags (see
   * `WorkTag`). Default {@link independentByDevice}: timer work of two
   * different devices.
   */
  readonly independent?: (a: WorkTag, b: WorkTag) => boolean;
  /**
   * With `reduce`, also explore only a persistent set at each choice point:
   * the first option and the options that depend on it (through
   * `independent`), leaving the rest to later points. Far fewer runs when
   * most work commutes, but sound only if a piece of work can bring on
   * same-instant work that touches nothing it does not touch itself (true
   * of scenarios, where a timer wakes only its own device's guests; not of
   * {@link independentByDevice}, where a timer can wake a guest that
   * depends on everything). Default false.
   */
  readonly persistent?: boolean;
  /**
   * Explore only the schedules that start with these choices (a part of the
   * space, as {@link partitionSchedules} hands out); counts cover that part.
   */
  readonly prefix?: Schedule;
  /**
   * With `prefix`: how many of its first choices are fixed (default all).
   * The part starts at `prefix` and runs on in the single search's order
   * through every schedule after it that shares those choices: the rest of
   * a split part (`ExploreResult.rest`) is one such part, from its first
   * prefix. @internal
   */
  readonly fixed?: number;
  /**
   * With `prefix`: where the part ends, the first choices of the part after
   * it in exploration order (it stops when its next schedule would start
   * with them). @internal
   */
  readonly end?: Schedule;
  /**
   * Stop each run at this choice point (0-based count of choice points) and
   * report the prefix that led there instead of running on: how the space is
   * split into parts. @internal
   */
  readonly stopAt?: number;
  /**
   * Under legacy bottom-half delivery: how long (ns) after its expiry a
   * pending bottom half may still run. With 0 (the default) it runs at the
   * expiry instant, in any order with that instant's other work; with more,
   * also at every later point up to the window's end (an option `defer
   * <label>` moves it past the rest of an instant).
   */
  readonly bottomHalfWindow?: number;
  /**
   * Stop starting new schedules after this much wall-clock time (ms). The
   * runs themselves are virtual-time and deterministic; only how many of
   * them fit depends on the machine. Default: no limit.
   */
  readonly maxMillis?: number;
  /**
   * Work at instants before this (ns) runs in the normal order: only the
   * instants from here on are explored. Default 0.
   */
  readonly from?: number;
  /**
   * Live control from a coordinator running parts on several threads: a
   * bound that shrinks as earlier parts finish, and a request to hand back
   * the rest of the part (see `ExploreResult.rest`). @internal
   */
  readonly control?: PartControl;
  /**
   * The path the last search of the same explorer ended on (its frames and
   * forks), kept between searches: a search with a `prefix` starts from the
   * deepest fork that path shares with it rather than from a fresh run (see
   * `pathHold`), and lends it its own path when it ends. Not with `'dpor'`.
   * @internal
   */
  readonly hold?: PathHold<HeldRun>;
}

/**
 * How a coordinator steers a part while it runs (see `ExploreOptions.control`):
 * read between runs, never inside one. @internal
 */
export interface PartControl {
  /** The most complete schedules this part may still need (the whole bound less what earlier parts ran). */
  bound(): number;
  /** Whether to stop after the current run and hand back the rest of the part's space as prefixes. */
  splitRequested(): boolean;
  /**
   * Hears how many complete schedules the part has run so far, after each
   * run: the coordinator lowers the bounds of the parts after it by what it
   * has run (it can only run more), not only by what finished parts ran.
   */
  report?(schedules: number): void;
  /**
   * With it, a split hands off only the tail of the part's rest and the part
   * runs on (no restart for the thread): given the rest (as `ExploreResult.rest`
   * would hold it) and an estimate of each prefix's schedules (the product of
   * the awake options below it on the current path), it returns how many of
   * the first prefixes the part keeps, and sends the others to the
   * coordinator itself. The part then leaves them out. @internal
   */
  splitOff?(rest: readonly Schedule[], sizes: readonly number[]): number;
}

/** A schedule: the label chosen at each choice point, in order. */
export type Schedule = readonly string[];

/** What {@link exploreSchedules} found. */
export interface ExploreResult {
  /** Complete schedules run (each a distinct order of same-instant work). */
  readonly schedules: number;
  /** Runs cut short because every order left at a point was known to be equivalent to one explored. */
  readonly pruned: number;
  /** The whole space was covered (no bound was hit). */
  readonly exhausted: boolean;
  /** Set when `maxMillis` ended the search. */
  readonly timedOut?: true;
  /**
   * Every run's outcome in exploration order: `S` a schedule, `P` pruned,
   * `V` the violating schedule, `X` a run stopped at `stopAt` (see
   * `prefixes`). Merging parts in order reproduces a single search's counts.
   */
  readonly outcomes: string;
  /** With `stopAt`: the prefix of each `X` run, in order. */
  readonly prefixes?: readonly Schedule[];
  /**
   * Set when the part stopped at its control's request: the rest of its
   * space, as prefixes in exploration order (the subtrees a single search
   * would explore next, deepest first). Exploring each with `prefix` and
   * appending their outcomes gives the single search's. @internal
   */
  readonly rest?: readonly Schedule[];
  /** The first violation, in exploration order, with its schedule. */
  readonly violation?: {
    /** What the invariant said. */
    readonly message: string;
    /** The labels chosen at each choice point of the run that broke it. */
    readonly schedule: Schedule;
    /** Which schedule it was (1 = the first run). */
    readonly index: number;
  };
}

/**
 * Timer work of two different devices commutes: `expiry` and `bottom-half`
 * work owned by timers named `<device>.<timer>`. Anything else (guest steps,
 * unknown work) is taken to depend on everything.
 * @param a - one piece of work's tag
 * @param b - the other's
 * @returns whether the two commute
 */
export const independentByDevice = (a: WorkTag, b: WorkTag): boolean => {
  const da = timerDevice(a);
  const db = timerDevice(b);
  return da !== undefined && db !== undefined && da !== db;
};

/** The device of timer work (`expiry`, `bottom-half`) whose timer is named `<device>.<timer>`. */
export const timerDevice = (tag: WorkTag): string | undefined => {
  if (tag.kind !== 'expiry' && tag.kind !== 'bottom-half') return undefined;
  const dot = tag.owner.indexOf('.');
  return dot > 0 ? tag.owner.slice(0, dot) : undefined;
};

/** Options never seen at a choice point (cannot happen in a run): unknown work, dependent on everything. */
const UNKNOWN = workTag('work', '');

/** The run of the last schedule and its choice points' state (see `ExploreOptions.hold`). @internal */
export type HeldRun = { readonly run: ExplorerRun; readonly points: ChoicePoints; readonly learn: DporRun | undefined };

/**
 * Whether to fork the run at the choice point of this depth: at every one of
 * the first 64, then at every 2nd up to 128, every 4th up to 256, and so on,
 * so a path holds about 32 points per doubling of its depth (a deep path
 * re-runs a few choices from the point below instead of holding one per choice).
 */
const forksAt = (depth: number): boolean => depth < 64 || depth % 2 ** (Math.floor(Math.log2(depth)) - 5) === 0;

/** Whether the search will come back to this frame for another option (without DPOR, whose source sets grow). */
const hasAlternative = (frame: SearchFrame): boolean => frame.explore.some((o) => o !== frame.chosen && !frame.done.has(o) && !frame.sleep.has(o));

/** The empty sleep set, shared (sleep sets are read, never changed). */
const NOTHING_ASLEEP: ReadonlySet<string> = new Set<string>();

/** Thrown through the clock to end a run whose every remaining order is redundant. */
class Pruned extends Error {}

/** Thrown through the clock to end a run at `stopAt`. */
class Stopped extends Error {}

/**
 * Explores the orders in which work that falls due at the same virtual
 * instant can run, by re-running a system from scratch once per order
 * (stateless depth-first search over the clock's choice points), and checks
 * an invariant along each.
 *
 * With `reduce`, sleep sets skip orders that differ only by swapping work that
 * commutes, so the verdict is the same as the full search with fewer runs.
 *
 * Ordering: it explores exactly what G4 fixes in a normal run (same-instant
 * FIFO order), to show which invariants hold whatever that order is.
 *
 * @param build - makes a fresh run (called once per schedule)
 * @param options - bound, reduction and independence
 * @returns counts, whether the space was exhausted, and the first violation
 */
export const exploreSchedules = (build: () => ExplorerRun, options: ExploreOptions = {}): ExploreResult => {
  const maxSchedules = options.maxSchedules ?? 10_000;
  const window = checkWindow(options.bottomHalfWindow);
  const maxMillis = options.maxMillis;
  if (maxMillis !== undefined && !(maxMillis > 0)) throw new SystemConfigError(maxMillis, 'must be a positive number of ms', 'exploreSchedules(maxMillis)');
  const startedAt = maxMillis === undefined ? 0 : performance.now();
  const from = options.from ?? 0;
  if (!Number.isSafeInteger(from) || from < 0) throw new SystemConfigError(from, 'must be a whole, non-negative number of ns', 'exploreSchedules(from)');
  const reduction = options.reduce ?? true;
  if (reduction !== true && reduction !== false && reduction !== 'sleep' && reduction !== 'dpor') {
    throw new SystemConfigError(reduction, "must be true, false, 'sleep' or 'dpor'", 'exploreSchedules(reduce)');
  }
  const dpor: DporSearch | undefined = reduction === 'dpor' && window === 0 ? dporSearch() : undefined;
  if (dpor !== undefined) {
    for (const key of ['prefix', 'stopAt', 'control'] as const) {
      if (options[key] !== undefined) throw new SystemConfigError(key, "cannot be used with reduce: 'dpor' (its source sets grow as the search goes: it runs in one part)", `exploreSchedules(${key})`);
    }
  }
  const reduce = reduction !== false;
  const persistent = (options.persistent ?? false) && dpor === undefined;
  const byTag = options.independent ?? independentByDevice;
  // Options are labels (schedules print them); the tag behind each is noted at its choice point.
  // A held path (not with DPOR, whose source sets grow as the search goes).
  const hold = dpor === undefined ? options.hold : undefined;
  const tags = hold?.tags ?? new Map<string, WorkTag>();
  const independent = (a: string, b: string): boolean => byTag(tags.get(a) ?? UNKNOWN, tags.get(b) ?? UNKNOWN);
  const prefix = options.prefix ?? [];
  const fixed = Math.min(options.fixed ?? prefix.length, prefix.length);
  // Frames up to this depth are rebuilt from `prefix`; once the search backs up above it (past `fixed`), it no longer applies there.
  let replay = prefix.length;
  const end = options.end;
  /** Whether the path's first choices are `end`'s (where the part after this one starts). */
  const atEnd = (path: readonly string[]): boolean => end !== undefined && path.length === end.length && path.every((c, i) => c === end[i]);
  const stopAt = options.stopAt;
  const control = options.control;
  const stack: SearchFrame[] = [];
  let schedules = 0;
  let pruned = 0;
  let outcomes = '';
  const prefixes: Schedule[] = [];

  /**
   * The options to explore at a point: with `persistent`, the first awake
   * option and every option that depends on it, directly or through others
   * (a persistent set, given that work only ever brings on same-instant work
   * that touches what it touches); every option otherwise.
   */
  const explorable = (options: readonly string[], sleep: ReadonlySet<string>): readonly string[] => {
    if (!persistent || !reduce) return options;
    const first = options.find((o) => !sleep.has(o));
    if (first === undefined) return options;
    const members = new Set([first]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const o of options) {
        if (members.has(o)) continue;
        for (const m of members) {
          if (!independent(m, o)) {
            members.add(o);
            grew = true;
            break;
          }
        }
      }
    }
    return options.filter((o) => members.has(o));
  };

  /**
   * What may still sleep after `chosen` ran, from the sleep set before it and the options done there. Most often
   * nothing: then the one shared empty set (sleep sets are never changed once made), not a new one per step.
   */
  const after = (sleep: ReadonlySet<string>, chosen: string, done?: ReadonlySet<string>): ReadonlySet<string> => {
    if (!reduce || (sleep.size === 0 && (done === undefined || done.size === 0))) return NOTHING_ASLEEP;
    let next: Set<string> | undefined;
    const keep = (s: string): void => {
      if (s !== chosen && independent(s, chosen)) (next ??= new Set()).add(s);
    };
    sleep.forEach(keep);
    done?.forEach(keep);
    return next ?? NOTHING_ASLEEP;
  };

  // The run of the last schedule, its choice points' state and (DPOR) what it learnt, while frames hold points of it.
  let last: HeldRun | undefined;
  if (hold !== undefined) {
    const held = hold.resume(prefix, explorable);
    if (held !== undefined) {
      stack.push(...held.frames);
      last = held.last;
    }
    hold.lend(stack, () => last);
  }

  /** Runs one schedule: from a fresh run, or from the point at `resume` (an index into the stack) of the last one. */
  const runOnce = (resume?: number): { violation?: string } => {
    let run: ExplorerRun;
    let points: ChoicePoints;
    let learn: DporRun | undefined;
    let depth: number;
    // A point that cannot be rewound to is dropped for the one below it (the choices above it are replayed).
    while (resume !== undefined && !stack[resume]!.point!.fork.rewind()) {
      const frame = stack[resume]!;
      frame.point!.fork.release();
      frame.point = undefined;
      frame.refused = true;
      resume = resumeAt();
    }
    if (resume === undefined) {
      run = build();
      points = choicePoints(window, tags);
      learn = dpor?.run(run, tags);
      depth = 0;
      last = { run, points, learn };
    } else {
      const point = stack[resume]!.point!;
      point.points();
      // DPOR: the run's steps up to the point, as learnt when it was taken.
      point.learnt?.();
      ({ run, points, learn } = last!);
      depth = resume;
    }
    const forkable = run.fork !== undefined;
    let violation: string | undefined;
    // The sleep set at the current step: work whose orders here were already covered.
    let sleep: ReadonlySet<string> = NOTHING_ASLEEP;
    const stop = run.clock.observe({ choose: (ready, next) => {
      violation ??= run.check();
      if (ready[0]!.time < from) {
        // Before the explored span: the normal order (the call keeps the bottom halves' origins).
        learn?.skip();
        points.options(ready, undefined);
        return points.answer(0);
      }
      const options = points.options(ready, next);
      if (learn !== undefined) {
        // The step before this one has run: its footprint decides what stays asleep.
        sleep = learn.step(ready[0]!.time, options);
      }
      if (options.length === 1) {
        const only = options[0]!;
        if (sleep.has(only)) throw new Pruned();
        if (learn !== undefined) learn.chose(only, -1, undefined);
        else sleep = after(sleep, only);
        return points.answer(0);
      }
      if (depth === stopAt) throw new Stopped();
      let frame = stack[depth];
      if (frame === undefined && depth < replay) {
        // A given prefix: the options a single search would have done before it here.
        const chosen = prefix[depth]!;
        const explore = explorable(options, sleep);
        const at = explore.indexOf(chosen);
        if (at < 0) throw new Error(`explorer: prefix choice ${depth + 1}: ${chosen} is not an option explored here (${explore.join(', ')})`);
        if (sleep.has(chosen)) throw new Pruned();
        frame = new SearchFrame(options, explore, new Set(explore.slice(0, at).filter((o) => !sleep.has(o))), sleep, chosen);
        stack.push(frame);
      } else if (frame === undefined) {
        const first = options.find((o) => !sleep.has(o));
        if (first === undefined) throw new Pruned();
        frame = new SearchFrame(options, explorable(options, sleep), new Set(), sleep, first, learn?.backtrackFor(options, first));
        stack.push(frame);
      }
      // Only where a later schedule will start: a point with an option left to explore (sleeping ones never are).
      if (forkable && frame.point === undefined && !frame.refused && forksAt(depth) && hasAlternative(frame)) {
        const fork = run.fork!();
        if (fork !== undefined) frame.point = forkPoint(fork, points.save(), learn?.save());
      }
      depth++;
      const index = options.indexOf(frame.chosen);
      if (index < 0) throw new Error(`explorer: replay diverged at choice ${depth}: ${frame.chosen} is not ready (${options.join(', ')})`);
      if (learn !== undefined) learn.chose(frame.chosen, depth - 1, frame);
      else sleep = after(frame.sleep, frame.chosen, frame.done);
      return points.answer(index);
    } });
    try {
      run.run();
    } finally {
      stop();
      // Races found in this run, pruned or not, add options to the choice points still on the stack.
      learn?.finish(stack);
    }
    violation ??= run.check();
    return violation === undefined ? {} : { violation };
  };

  /** The deepest frame with a point: where the next schedule starts (every frame below the top keeps its choice). */
  const resumeAt = (): number | undefined => {
    for (let d = stack.length - 1; d >= 0; d--) if (stack[d]!.point !== undefined) return d;
    return undefined;
  };

  for (;;) {
    let outcome: { violation?: string } | undefined;
    try {
      outcome = runOnce(resumeAt());
    } catch (error) {
      if (error instanceof Stopped) {
        outcomes += 'X';
        prefixes.push(stack.map((f) => f.chosen));
      } else if (error instanceof Pruned) {
        pruned++;
        outcomes += 'P';
      } else throw error;
    }
    if (outcome !== undefined) {
      schedules++;
      if (outcome.violation !== undefined) {
        outcomes += 'V';
        return {
          schedules,
          pruned,
          exhausted: false,
          outcomes,
          ...(stopAt === undefined ? {} : { prefixes }),
          violation: { message: outcome.violation, schedule: stack.map((f) => f.chosen), index: schedules },
        };
      }
      outcomes += 'S';
      if (schedules >= maxSchedules) return { schedules, pruned, exhausted: false, outcomes, ...(stopAt === undefined ? {} : { prefixes }) };
    }
    if (control !== undefined) {
      control.report?.(schedules);
      // The bound only shrinks to what the merge can still take from this part, so stopping here drops nothing it needs.
      if (schedules >= control.bound()) return { schedules, pruned, exhausted: false, outcomes };
      if (control.splitRequested()) {
        const all = restOfPart(stack, fixed);
        const stop = all.findIndex(atEnd);
        const rest = stop < 0 ? all : all.slice(0, stop);
        if (rest.length > 0 && control.splitOff !== undefined) handOffAfter(stack, fixed, control.splitOff(rest, restSizes(stack, fixed).slice(0, rest.length)));
        else if (rest.length > 0) return { schedules, pruned, exhausted: false, outcomes, rest };
      }
    }
    if (maxMillis !== undefined && performance.now() - startedAt >= maxMillis) {
      return { schedules, pruned, exhausted: false, timedOut: true, outcomes, ...(stopAt === undefined ? {} : { prefixes }) };
    }
    // Backtrack to the deepest choice point with an option left. With a hold, the points of the frames left go
    // only once that point is found: a part that backs out of its span lends its whole last path.
    const left: SearchFrame[] = [];
    const release = (): void => left.forEach((f) => f.point?.fork.release());
    for (;;) {
      const frame = stack.at(-1);
      // The given prefix is fixed: its part is done when the search backs up into it.
      if (frame === undefined || stack.length <= fixed) {
        hold?.lend([...stack, ...left.reverse()], () => last);
        return { schedules, pruned, exhausted: true, outcomes, ...(stopAt === undefined ? {} : { prefixes }) };
      }
      frame.done.add(frame.chosen);
      const backtrack = frame.backtrack;
      const next =
        backtrack === undefined
          ? frame.explore.find((o) => !frame.done.has(o) && !frame.sleep.has(o))
          : frame.options.find((o) => backtrack.has(o) && !frame.done.has(o) && !frame.sleep.has(o));
      if (next !== undefined) {
        frame.chosen = next;
        replay = Math.min(replay, stack.length);
        release();
        if (end !== undefined && stack.length === end.length && atEnd(stack.map((f) => f.chosen))) return { schedules, pruned, exhausted: true, outcomes, ...(stopAt === undefined ? {} : { prefixes }) };
        break;
      }
      if (hold === undefined) frame.point?.fork.release();
      else left.push(frame);
      stack.pop();
    }
  }
};

/**
 * What a search with this stack (the path of the run just finished) would
 * explore after it, as prefixes in its order: at each frame below the part's
 * own prefix, deepest first, the options after the chosen one that are
 * neither done nor asleep. A part explored from one of them rebuilds the
 * frames above it exactly (done: the options before it; sleep: from the
 * path), so the outcomes of these parts, in order, are the single search's.
 */
const restOfPart = (stack: readonly SearchFrame[], fixed: number): Schedule[] => {
  const rest: Schedule[] = [];
  for (let d = stack.length - 1; d >= fixed; d--) {
    const frame = stack[d]!;
    const path = stack.slice(0, d).map((f) => f.chosen);
    const after = frame.explore.slice(frame.explore.indexOf(frame.chosen) + 1);
    for (const o of after) if (!frame.done.has(o) && !frame.sleep.has(o)) rest.push([...path, o]);
  }
  return rest;
};

/** An estimate of each prefix of {@link restOfPart}'s schedules: the product of the awake options of the frames below its own. */
const restSizes = (stack: readonly SearchFrame[], fixed: number): number[] => {
  const sizes: number[] = [];
  let below = 1;
  for (let d = stack.length - 1; d >= fixed; d--) {
    const frame = stack[d]!;
    const after = frame.explore.slice(frame.explore.indexOf(frame.chosen) + 1);
    for (const o of after) if (!frame.done.has(o) && !frame.sleep.has(o)) sizes.push(below);
    below = Math.min(Number.MAX_SAFE_INTEGER, below * Math.max(1, frame.explore.filter((o) => !frame.sleep.has(o)).length));
  }
  return sizes;
};

/** Leaves out of the part every prefix of {@link restOfPart} after its first `keep` (handed off): the frames' options are cut there. */
const handOffAfter = (stack: readonly SearchFrame[], fixed: number, keep: number): void => {
  let kept = 0;
  for (let d = stack.length - 1; d >= fixed; d--) {
    const frame = stack[d]!;
    const at = frame.explore.indexOf(frame.chosen);
    let cut = frame.explore.length;
    for (let k = at + 1; k < frame.explore.length; k++) {
      const o = frame.explore[k]!;
      if (frame.done.has(o) || frame.sleep.has(o)) continue;
      if (kept === keep) {
        cut = k;
        break;
      }
      kept++;
    }
    if (cut < frame.explore.length) frame.explore = frame.explore.slice(0, cut);
  }
};

/**
 * Runs one schedule again (the labels {@link exploreSchedules} reported, in
 * order): at each step with several ready pieces of work it picks the next
 * label of the schedule, and FIFO once the schedule is used up.
 * @param run - a fresh run, built the same way as the explored ones
 * @param schedule - the labels to choose, one per choice point
 * @param options - the bottom-half window and start of the explored span the schedule was explored with
 * @returns what the invariant said at the end (or at the first step it failed)
 * @throws Error when a label of the schedule is not ready at its choice point
 */
export const replaySchedule = (run: ExplorerRun, schedule: Schedule, options: Pick<ExploreOptions, 'bottomHalfWindow' | 'from'> = {}): string | undefined => {
  let next = 0;
  let violation: string | undefined;
  const points = choicePoints(checkWindow(options.bottomHalfWindow));
  const from = options.from ?? 0;
  const stop = run.clock.observe({ choose: (ready, later) => {
    violation ??= run.check();
    if (ready[0]!.time < from) {
      points.options(ready, undefined);
      return points.answer(0);
    }
    const choices = points.options(ready, later);
    if (choices.length < 2 || next >= schedule.length) return points.answer(0);
    const index = choices.indexOf(schedule[next]!);
    if (index < 0) throw new Error(`replaySchedule: choice ${next + 1}: ${schedule[next]} is not an option (${choices.join(', ')})`);
    next++;
    return points.answer(index);
  } });
  try {
    run.run();
  } finally {
    stop();
  }
  return violation ?? run.check();
};

/** A bottom-half window, checked: whole ns, 0 by default. @internal */
export const checkWindow = (window: number | undefined): number => {
  if (window === undefined) return 0;
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new SystemConfigError(window, 'must be a whole, non-negative number of ns', 'bottomHalfWindow');
  }
  return window;
};

export { DEFER_PREFIX };
