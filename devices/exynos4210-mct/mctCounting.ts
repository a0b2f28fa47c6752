/**
 * The MCT's counting arithmetic, as pure functions of the counters and registers (no timer, no
 * bank): where the global counter's next comparator match is, and what a local timer's tick and
 * interrupt counters read a number of cycles into a segment. `Exynos4210Mct` plans its ptimers'
 * countdowns with them and checks snapshots against them (decisions X1, X2, X5 in its header).
 */

/** 2^64: the global counter wraps at it. */
const U64 = 1n << 64n;
/** Keeps the low 64 bits. */
export const MASK64 = U64 - 1n;
/**
 * The longest countdown a ptimer holds (its count is at most 2^64 - 1): a countdown to no event
 * (no enabled comparator, or a local timer whose interrupt counter is not counting) is this long,
 * and one to an event 2^64 cycles away stops one cycle short of it, then counts that last cycle.
 */
export const MILESTONE = MASK64;

/** One global comparator as the planning sees it. */
export interface Comparator {
  /** G_COMPn_U:L. */
  readonly value: bigint;
  /** G_TCON.COMPn_ENABLE. */
  readonly enabled: boolean;
  /** G_TCON.COMPn_AUTO_INC. */
  readonly autoInc: boolean;
  /** G_COMPn_ADD_INCR. */
  readonly increment: bigint;
}

/**
 * Cycles from the counter value `from` until the counter next steps into `to`: 1 to 2^64 (a
 * comparator equal to the counter now matches only after a full wrap, X1).
 */
const cyclesTo = (from: bigint, to: bigint): bigint => ((to - from - 1n) & MASK64) + 1n;

/**
 * The length of the countdown that starts at the counter value `start`: to the nearest match of
 * an enabled comparator (X1), at most {@link MILESTONE}.
 * @param start - the counter's value in the countdown's first cycle
 * @param comparators - the four comparators
 * @returns cycles, 1 to 2^64 - 1
 */
export const countdownFrom = (start: bigint, comparators: readonly Comparator[]): bigint => {
  let best = MILESTONE;
  for (const c of comparators) {
    if (!c.enabled) continue;
    const cycles = cyclesTo(start, c.value);
    if (cycles < best) best = cycles;
  }
  return best;
};

/** Whether an enabled comparator matches when the counter steps into `value` (X1). */
export const matches = (c: Comparator, value: bigint): boolean => c.enabled && c.value === value;

/**
 * The comparators after the counter stepped into `value`: each that matched there with
 * auto-increment on has added its increment (X2).
 */
export const afterMatch = (value: bigint, comparators: readonly Comparator[]): Comparator[] =>
  comparators.map((c) => (matches(c, value) && c.autoInc ? { ...c, value: (c.value + c.increment) & MASK64 } : c));

/** A local timer's counters at the start of a segment of its tick countdown (X5). */
export interface TickSegment {
  /** TCNT in the segment's first cycle. */
  readonly tcnt: bigint;
  /** ICNT in the segment's first cycle. */
  readonly icnt: bigint;
  /** Whether ICNT counts the ticks in this segment (INT_START and not stopped by a one-shot). */
  readonly counting: boolean;
  /** Ln_TCNTB: a tick after the first lasts TCNTB + 1 cycles. */
  readonly tcntb: bigint;
}

/**
 * The segment's length: to the tick at which ICNT leaves 0 (the interrupt) when it counts,
 * else {@link MILESTONE} (no event: the tick counter just goes round).
 */
export const segmentLength = (s: TickSegment): bigint => (s.counting ? s.tcnt + 1n + s.icnt * (s.tcntb + 1n) : MILESTONE);

/** TCNT and ICNT `elapsed` cycles into a segment. */
export interface TickCounters {
  readonly tcnt: bigint;
  readonly icnt: bigint;
}

/**
 * TCNT and ICNT after `elapsed` whole cycles of the segment (0: its first cycle). For a counting
 * segment `elapsed` is below its length (at the length the interrupt's reload decides ICNT: the
 * device's business).
 */
export const countersAt = (s: TickSegment, elapsed: bigint): TickCounters => {
  if (elapsed <= s.tcnt) return { tcnt: s.tcnt - elapsed, icnt: s.icnt };
  const period = s.tcntb + 1n;
  const past = elapsed - s.tcnt - 1n;
  const ticks = 1n + past / period;
  return { tcnt: s.tcntb - (past % period), icnt: s.counting ? s.icnt - ticks : s.icnt };
};
