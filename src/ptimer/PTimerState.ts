/** Whether a timer is stopped, or running and how. */
export type PTimerMode = 'stopped' | 'periodic' | 'oneshot';

/**
 * The whole arithmetic state of a timer (docs/semantics.md §1).
 * The count is never stored while running: it is computed from the anchor
 * (`lastEvent`), the deadline (`nextEvent`) and the period when read.
 */
export interface PTimerState {
  /** Stopped, periodic or one-shot (QEMU's `enabled`). */
  enabled: PTimerMode;
  /** Reload value. */
  limit: bigint;
  /** Stopped: the count. Running: the count at the anchor. */
  delta: bigint;
  /**
   * Under W, the count a countdown that began with W's rest period was
   * reloaded with: it lasts `wrapReload + 1` periods and reads 0 for the
   * first. -1n when the current countdown has no rest period. Kept apart
   * from `limit` and `delta` so that the round in progress keeps its length
   * and its rest whatever the guest writes during it (docs/semantics.md §6).
   */
  wrapReload: bigint;
  /** Integer part of the period, ns. */
  period: bigint;
  /** Fractional part of the period, units of 2^-32 ns (in exact timing: the exact period floored to it). */
  periodFrac: bigint;
  /**
   * Exact timing (the `timing: 'exact'` option): the period is
   * `periodNum/periodDen` ns and the anchor and deadline carry phases.
   * Otherwise QEMU's 64.32 fixed point, with `periodDen` 1 and phases 0.
   */
  exact: boolean;
  /** Exact timing: the period's numerator (ns), in lowest terms with `periodDen`. */
  periodNum: bigint;
  /** Exact timing: the period's denominator, at most 2^53 - 1; 1 in QEMU timing. */
  periodDen: bigint;
  /** The anchor lies `lastPhase/periodDen` ns after `lastEvent` (0 ≤ it < periodDen; 0 in QEMU timing). */
  lastPhase: number;
  /** The deadline lies `nextPhase/periodDen` ns after `nextEvent` (0 ≤ it < periodDen; 0 in QEMU timing). */
  nextPhase: number;
  /** Anchor: virtual time (ns, whole part in exact timing) at which the current countdown started; always a time the clock has reached. */
  lastEvent: number;
  /**
   * Deadline: virtual time (ns, whole part in exact timing: the expiry runs then) at which the current countdown reaches 0, or
   * `Infinity` when it lies past `Number.MAX_SAFE_INTEGER` (then `farNextEvent`
   * holds it exactly). Numbers keep the per-expiry path free of bigint work.
   */
  nextEvent: number;
  /** The exact deadline when `nextEvent` is `Infinity`; otherwise unused. */
  farNextEvent: bigint;
}

/** The deadline as an exact bigint. */
export const deadlineOf = (s: PTimerState): bigint =>
  s.nextEvent === Infinity ? s.farNextEvent : BigInt(s.nextEvent);

/** Sets the deadline to `anchor + span`, keeping it a number while it fits. */
export const setDeadline = (s: PTimerState, anchor: number, span: bigint, spanNum: number): void => {
  const next = anchor + spanNum;
  if (spanNum >= 0 && next <= Number.MAX_SAFE_INTEGER) {
    s.nextEvent = next;
  } else {
    s.nextEvent = Infinity;
    s.farNextEvent = BigInt(anchor) + span;
  }
};

/**
 * Whether `c` whole periods left (read at the anchor instant or after it)
 * lie in the rest period a countdown begun by W's reload starts with. The
 * test uses the reload that countdown began with, never the limit or count
 * now: a guest changing those during the rest must not lengthen or shorten
 * the round in progress (docs/semantics.md §6, step 4). QEMU compares with
 * the limit, so a limit written during the rest reads as the old reload + 1.
 */
export const inRestPeriod = (s: PTimerState, c: bigint, atAnchor: boolean): boolean =>
  s.wrapReload >= 0n && c === (atAnchor ? s.wrapReload + 1n : s.wrapReload);

/** A copy of the snapshotted fields of a state (a plain object: a timer's record keeps some of them behind accessors). */
export const copyState = (s: PTimerState): PTimerState => ({
  enabled: s.enabled,
  limit: s.limit,
  delta: s.delta,
  wrapReload: s.wrapReload,
  period: s.period,
  periodFrac: s.periodFrac,
  exact: s.exact,
  periodNum: s.periodNum,
  periodDen: s.periodDen,
  lastPhase: s.lastPhase,
  nextPhase: s.nextPhase,
  lastEvent: s.lastEvent,
  nextEvent: s.nextEvent,
  farNextEvent: s.farNextEvent,
});
