import type { WorkTag } from '../../src/clock/WorkTag';
import { EMPTY_FOOTPRINT, EVERYTHING_FOOTPRINT, FootprintBuilder, conflicts, type Footprint } from './Footprint';
import { raceReversals, type RunStep } from './sourceSets';

/** The part of a choice point the DPOR bookkeeping reads and grows. @internal */
export interface DporFrame {
  /** Every option at the point. */
  readonly options: readonly string[];
  /** The source set: options to explore from here. */
  readonly backtrack?: Set<string>;
}

/** The learning side of one run (see {@link DporSearch.run}). @internal */
export interface DporRun {
  /** A step before the explored span is about to run: what ran before it is not recorded. */
  skip(): void;
  /**
   * A step in the span is about to be chosen among `options` at `time`: the
   * previous step has run, so its footprint is known.
   * @returns the sleep set here (the previous sleep set and the options done at the previous choice point, less what conflicts with the step that ran)
   */
  step(time: number, options: readonly string[]): ReadonlySet<string>;
  /** The option chosen at this step, at choice point `depth` (frame) or as the only option (-1). */
  chose(label: string, depth: number, frame: DporFrame | undefined): void;
  /** The source set of a new choice point whose first option is `first`. */
  backtrackFor(options: readonly string[], first: string): Set<string>;
  /** The run ended (or was cut short): adds the reversals of its races to the choice points on `stack`. */
  finish(stack: readonly DporFrame[]): void;
  /**
   * Notes what the run has learnt so far, at a choice point between its
   * `step` and its `chose` (where the explorer forks the run); the function
   * returned puts it back for the run rewound to that point, whose next
   * `step` (the same point asked again) then returns the same sleep set and
   * learns nothing.
   */
  save(): () => void;
}

/** The state a DPOR search keeps across its runs. @internal */
export interface DporSearch {
  /** Starts learning from one run. */
  run(run: { readonly takeFootprint?: () => Footprint }, tags: ReadonlyMap<string, WorkTag>): DporRun;
}

/** What a choice point keeps across runs: its sleep set's footprints, and the footprint of each option run from it. */
interface FrameData {
  readonly sleep: ReadonlyMap<string, Footprint>;
  readonly prints: Map<string, Footprint>;
}

/** The device of timer work (`expiry`, `bottom-half`) on a timer named `<device>.<timer>`. */
const timerWorkDevice = (tag: WorkTag): string | undefined => {
  if (tag.kind !== 'expiry' && tag.kind !== 'bottom-half') return undefined;
  const dot = tag.owner.indexOf('.');
  return dot > 0 ? tag.owner.slice(0, dot) : undefined;
};

/**
 * Source-DPOR with sleep sets (Abdulla et al., POPL 2014) over footprints
 * learned from each run (see `Footprint`, `raceReversals`): each choice point
 * starts with one option in its source set; after every run, each race
 * between two steps not ordered by happens-before adds an option to the
 * point where the first ran, unless one that can start the reversed order is
 * there already. Sleep sets carry each sleeping option's footprint from the
 * run in which it ran there.
 *
 * What a step touched is what the run observed (`takeFootprint`) plus what
 * its tag says: timer work writes its device; work that is neither a
 * timer's nor a guest's (and a guest's, when nothing observes the run)
 * touches everything.
 * @internal
 */
export const dporSearch = (): DporSearch => {
  const frames = new WeakMap<DporFrame, FrameData>();
  return {
    run(run, tags) {
      const observed = run.takeFootprint;
      const steps: RunStep[] = [];
      let sleep = new Map<string, Footprint>();
      /** What may stay asleep after the step that is running (filtered once its footprint is known). */
      let base: ReadonlyMap<string, Footprint> = new Map();
      let running: { label: string; frame: FrameData | undefined } | undefined;
      let previous: { time: number; ready: ReadonlySet<string> } | undefined;
      /** The options new at the current step and the step that brought them on (-1: the instant's first step). */
      let pendingCreation: { time: number; fresh: ReadonlySet<string>; created: number } | undefined;
      /** For each option waiting at this instant, the step that brought it on. */
      const creators = new Map<string, number>();
      /** Set for a run rewound to a point: the sleep set its next `step` (that point asked again) returns. */
      let resumed: ReadonlySet<string> | undefined;

      const printOf = (label: string): Footprint => {
        const tag = tags.get(label);
        const seen = observed?.() ?? EMPTY_FOOTPRINT;
        if (tag === undefined) return EVERYTHING_FOOTPRINT;
        const device = timerWorkDevice(tag);
        if (device === undefined && (tag.kind !== 'guest' || observed === undefined)) return EVERYTHING_FOOTPRINT;
        if (device === undefined) return seen;
        const b = new FootprintBuilder();
        b.merge(seen);
        b.write(device);
        return b.take();
      };
      /** Records the footprint of the step that just ran. */
      const settle = (): Footprint | undefined => {
        if (running === undefined) return undefined;
        const print = printOf(running.label);
        steps.at(-1)!.print = print;
        running.frame?.prints.set(running.label, print);
        running = undefined;
        return print;
      };

      return {
        skip() {
          observed?.();
          running = undefined;
          previous = undefined;
          pendingCreation = undefined;
          creators.clear();
          sleep = new Map();
        },
        step(time, options) {
          if (resumed !== undefined) {
            const again = resumed;
            resumed = undefined;
            return again;
          }
          const print = settle();
          // The first step of the span: what ran before it is not part of the search.
          if (print === undefined) observed?.();
          const next = new Map<string, Footprint>();
          const ranLabel = steps.at(-1)?.label;
          if (print !== undefined) for (const [label, p] of base) if (label !== ranLabel && !conflicts(p, print)) next.set(label, p);
          sleep = next;
          // Options new at this instant were brought on by the step that just ran.
          const created = previous !== undefined && previous.time === time ? steps.length - 1 : -1;
          const fresh = new Set<string>();
          if (created >= 0) for (const o of options) if (!previous!.ready.has(o) || o === ranLabel) fresh.add(o);
          pendingCreation = { time, fresh, created };
          previous = { time, ready: new Set(options) };
          return new Set(sleep.keys());
        },
        chose(label, depth, frame) {
          let data: FrameData | undefined;
          if (frame !== undefined) {
            data = frames.get(frame);
            if (data === undefined) frames.set(frame, (data = { sleep: new Map(sleep), prints: new Map() }));
            const b = new Map(data.sleep);
            for (const [done, p] of data.prints) if (done !== label) b.set(done, p);
            base = b;
          } else {
            base = sleep;
          }
          const creation = pendingCreation;
          let createdBy = -1;
          if (creation !== undefined) {
            if (creation.fresh.has(label)) createdBy = creation.created;
            else createdBy = creators.get(label) ?? -1;
          }
          // Remember who brought on each option still waiting, for when it runs later in the instant.
          if (creation !== undefined) {
            if (creation.created < 0) creators.clear();
            for (const o of creation.fresh) creators.set(o, creation.created);
          }
          creators.delete(label);
          steps.push({ label, time: creation?.time ?? 0, frame: depth, createdBy, print: EMPTY_FOOTPRINT });
          running = { label, frame: data };
        },
        save() {
          // Between `step` and `chose`: every step so far is settled (its footprint known, never changed again).
          const saved = { length: steps.length, sleep, previous, pendingCreation, creators: [...creators] };
          return () => {
            steps.length = saved.length;
            sleep = saved.sleep;
            previous = saved.previous;
            pendingCreation = saved.pendingCreation;
            creators.clear();
            for (const [o, c] of saved.creators) creators.set(o, c);
            running = undefined;
            resumed = new Set(sleep.keys());
          };
        },
        backtrackFor(options, first) {
          // Repeated labels (`x#1`) are told apart by queue position, not identity: explore every order there.
          return new Set(options.some((o) => /#\d+$/.test(o)) ? options : [first]);
        },
        finish(stack) {
          settle();
          for (const r of raceReversals(steps)) {
            const backtrack = stack[r.frame]?.backtrack;
            if (backtrack === undefined) continue;
            const options = stack[r.frame]!.options;
            const initials = r.initials.filter((o) => options.includes(o));
            if (initials.length === 0) {
              for (const o of options) backtrack.add(o);
              continue;
            }
            if (initials.some((o) => backtrack.has(o))) continue;
            backtrack.add(initials.includes(r.second) ? r.second : initials[0]!);
          }
        },
      };
    },
  };
};
