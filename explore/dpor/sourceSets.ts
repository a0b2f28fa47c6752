import { conflicts, type Footprint } from './Footprint';

/** One piece of work of an explored run, as the race analysis sees it. @internal */
export interface RunStep {
  /** The option chosen (the work's label: its "thread"). */
  readonly label: string;
  /** Its instant (ns). */
  readonly time: number;
  /** The depth of its choice point on the explorer's stack; -1 when it was the only option. */
  readonly frame: number;
  /** The index of the step that brought it on at this instant (it was not ready before that step); -1 if it was ready when the instant began. */
  readonly createdBy: number;
  /** What it touched. */
  print: Footprint;
}

/** A race to reverse: at choice point `frame`, one of `initials` must be explored. @internal */
export interface Reversal {
  /** The depth of the choice point where the first step of the race ran. */
  readonly frame: number;
  /** The options that can start the reversed order (the initials of `notdep(e).e'`), in run order. */
  readonly initials: readonly string[];
  /** The second step's label (preferred when it is an initial). */
  readonly second: string;
}

/**
 * The races of one run and how to reverse each (source-DPOR, Abdulla,
 * Aronis, Jonsson and Sagonas, "Optimal dynamic partial order reduction",
 * POPL 2014, Algorithm 1, with races found after the run rather than step
 * by step, which finds the same pairs).
 *
 * Happens-before within an instant is the transitive closure of: program
 * order (two steps of one label), creation (a step that brought another on),
 * and conflict (footprints that do not commute). Work of different instants
 * is ordered by time and never races. Two steps race when they conflict, are
 * of different labels, the second was not brought on by the first, and no
 * third step lies between them in happens-before. For a race (e, e'), the
 * reversed order starts at e's choice point with one of the initials of
 * `v = notdep(e).e'`: the steps after e that do not happen after it,
 * followed by e'; an initial is the label of a step of v with no
 * happens-before predecessor in v.
 *
 * @param steps - the run's steps in the explored span, in order
 * @returns one reversal per race whose first step ran at a choice point
 * @internal
 */
export const raceReversals = (steps: readonly RunStep[]): Reversal[] => {
  const reversals: Reversal[] = [];
  let start = 0;
  while (start < steps.length) {
    let end = start + 1;
    while (end < steps.length && steps[end]!.time === steps[start]!.time) end++;
    instantReversals(steps, start, end, reversals);
    start = end;
  }
  return reversals;
};

/** The races among steps `[start, end)` (one instant). */
const instantReversals = (steps: readonly RunStep[], start: number, end: number, out: Reversal[]): void => {
  const n = end - start;
  if (n < 2) return;
  const at = (i: number): RunStep => steps[start + i]!;
  /** before[j]: the steps that happen before j (indices within the instant). */
  const before: Uint8Array[] = [];
  /** Direct predecessors other than by conflict, and by conflict. */
  const lastOfLabel = new Map<string, number>();
  const conflict: boolean[][] = [];
  for (let j = 0; j < n; j++) {
    const sj = at(j);
    const row = new Uint8Array(n);
    const direct: number[] = [];
    const previous = lastOfLabel.get(sj.label);
    if (previous !== undefined) direct.push(previous);
    if (sj.createdBy >= start && sj.createdBy < start + j) direct.push(sj.createdBy - start);
    const conflictsWith: boolean[] = [];
    for (let i = 0; i < j; i++) {
      conflictsWith[i] = conflicts(at(i).print, sj.print);
      if (conflictsWith[i]) direct.push(i);
    }
    conflict.push(conflictsWith);
    for (const p of direct) {
      row[p] = 1;
      const bp = before[p]!;
      for (let k = 0; k < p; k++) if (bp[k] === 1) row[k] = 1;
    }
    before.push(row);
    lastOfLabel.set(sj.label, j);

    // Races ending at j: a conflicting i with no other happens-before path to j.
    for (let i = 0; i < j; i++) {
      const si = at(i);
      if (!conflictsWith[i] || si.label === sj.label || sj.createdBy === start + i || si.frame < 0) continue;
      let ordered = false;
      for (const p of direct) {
        if (p !== i && before[p]![i] === 1) {
          ordered = true;
          break;
        }
      }
      if (ordered) continue;
      // v: the steps after i that do not happen after it, then j.
      const v: number[] = [];
      for (let k = i + 1; k < j; k++) if (before[k]![i] !== 1) v.push(k);
      v.push(j);
      const initials: string[] = [];
      for (const k of v) {
        const bk = before[k]!;
        if (v.some((m) => m !== k && bk[m] === 1)) continue;
        const label = at(k).label;
        if (!initials.includes(label)) initials.push(label);
      }
      out.push({ frame: si.frame, initials, second: sj.label });
    }
  }
};
