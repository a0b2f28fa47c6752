import type { ChooserDefer, PendingEvent } from '../src/clock/VirtualClock';
import type { WorkTag } from '../src/clock/WorkTag';

/** Option label prefix: the bottom half after it is deferred to the next instant that has work. */
export const DEFER_PREFIX = 'defer ';

/**
 * The options at each step of one run, as the explorers name them: the ready
 * work's labels (a repeated label numbered `#1`, `#2`, ...), and, with a
 * bottom-half window, `defer <bottom-half label>` for each pending bottom
 * half that may still run at the next instant that has work. Deferring is
 * offered only once nothing but bottom halves is left at the instant: every
 * point within an instant is already an order of its work, so this names each
 * point at which a bottom half can run exactly once.
 * @internal
 */
export interface ChoicePoints {
  /** The options at a step (the ready work first, in FIFO order, then the deferrals). */
  options(ready: readonly PendingEvent[], next: number | undefined): readonly string[];
  /** What to tell the clock for option `index` of the last `options` call. */
  answer(index: number): number | ChooserDefer;
  /** Notes the state now (the pending bottom halves' origins); the function returned puts it back, for a run rewound to this step. */
  save(): () => void;
}

/**
 * @param window - ns after its expiry (the instant it became pending) within which a bottom half may run; 0: at that instant only
 * @param tags - filled with each option's work tag (a deferral has its bottom half's), so reductions judge options by tag
 */
export const choicePoints = (window: number, tags?: Map<string, WorkTag>): ChoicePoints => {
  /** When each pending bottom half became pending, by label. */
  const origins = new Map<string, number>();
  let ready: readonly string[] = [];
  let deferrable: number[] = [];
  return {
    options(events, next) {
      ready = keys(events);
      deferrable = [];
      let onlyBottomHalves = true;
      events.forEach((e, i) => {
        const label = ready[i]!;
        tags?.set(label, e.tag);
        if (e.tag.kind !== 'bottom-half') {
          onlyBottomHalves = false;
          return;
        }
        if (!origins.has(label)) origins.set(label, e.time);
      });
      if (window === 0 || next === undefined || !onlyBottomHalves) return ready;
      ready.forEach((label, i) => {
        if (origins.get(label)! + window >= next) {
          deferrable.push(i);
          tags?.set(DEFER_PREFIX + label, events[i]!.tag);
        }
      });
      return deferrable.length === 0 ? ready : [...ready, ...deferrable.map((i) => DEFER_PREFIX + ready[i]!)];
    },
    answer(index) {
      if (index < ready.length) {
        origins.delete(ready[index]!);
        return index;
      }
      return { defer: deferrable[index - ready.length]! };
    },
    save() {
      const saved = [...origins];
      return () => {
        origins.clear();
        for (const [label, time] of saved) origins.set(label, time);
      };
    },
  };
};

/** The same label twice at one choice point (e.g. two anonymous pieces of work): tell them apart. */
export const keys = (ready: readonly PendingEvent[]): string[] => {
  const labels = ready.map((e) => e.label);
  // Most points offer a few distinct labels: compared pairwise, without a map per step (a long list goes by the map).
  let repeated = labels.length > 16;
  for (let i = 1; i < labels.length && !repeated; i++) for (let j = 0; j < i && !repeated; j++) repeated = labels[i] === labels[j];
  if (!repeated) return labels;
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    return n === 0 ? label : `${label}#${n}`;
  });
};
