import type { WaveChange, WaveSignal } from './WaveformModel';

/** A signal seen through a window: its value just before the window and the changes inside it. */
export interface SignalWindow {
  /**
   * Wire or vector: the value held just before `from` (its last change
   * earlier than `from`), or `undefined` when unknown. Always `undefined`
   * for an event.
   */
  readonly before: bigint | undefined;
  /**
   * Wire or vector: whether the value before `from` is unknown because the
   * signal's last earlier change made it so (an unknown span, see
   * `WaveChange.value`), rather than because it never had a value.
   */
  readonly beforeUnknownSpan: boolean;
  /** Changes with `from <= time <= to`, in order (same-instant ones included, in order). */
  readonly changes: readonly WaveChange[];
}

/**
 * The part of a signal the exporters draw in `[from, to]`, with the level a
 * wire or vector carries into the window.
 *
 * @internal
 * @param signal - a checked signal (changes in time order)
 * @param from - first instant (ns)
 * @param to - last instant (ns)
 * @returns the value before the window and the changes inside it
 */
export const signalWindow = (signal: WaveSignal, from: number, to: number): SignalWindow => {
  let before: WaveChange | undefined;
  const changes: WaveChange[] = [];
  for (const change of signal.changes) {
    if (change.time < from) {
      if (signal.kind !== 'event') before = change;
    } else if (change.time <= to) {
      changes.push(change);
    }
  }
  return { before: before?.value, beforeUnknownSpan: before !== undefined && before.value === undefined, changes };
};
