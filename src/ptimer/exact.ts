// Exact timing: the period is a rational number of ns and the countdown's
// anchor and deadline keep the fraction of a ns they fall at, so the k-th
// expiry of a timer started at A is at ⌊A + k·P⌋ however many periods pass.
// Times are whole ns plus a phase in units of 1/den ns (den = the period's
// reduced denominator); in QEMU timing den is 1 and every phase is 0.
import type { PolicyFlags } from './PTimerPolicy';
import { deadlineOf, inRestPeriod, setDeadline, type PTimerState } from './PTimerState';

/** Largest denominator an exact period may have: phases are kept as safe integer numbers. */
export const MAX_EXACT_DEN = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/** A period as a reduced fraction of ns (`0/1` for a zero period). */
export interface PeriodRatio {
  /** Numerator, ns. */
  readonly num: bigint;
  /** Denominator, positive. */
  readonly den: bigint;
}

/** `num/den` in lowest terms. */
export const reduceRatio = (num: bigint, den: bigint): PeriodRatio => {
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
};

/** The exact period of a clock of `hz` divided by `divisor`: 10^9·divisor/hz ns (0 for a stopped clock). */
export const ratioOfClock = (hz: bigint, divisor: bigint): PeriodRatio =>
  hz === 0n ? { num: 0n, den: 1n } : reduceRatio(1_000_000_000n * divisor, hz);

/** The exact value of a 64.32 fixed-point period. */
export const ratioOfFixed = (ns: bigint, frac32: bigint): PeriodRatio => reduceRatio((ns << 32n) + frac32, 1n << 32n);

/** A ratio as QEMU's 64.32 fixed point, floored (what `getPeriod()` reports in exact timing). */
export const fixedOfRatio = (ratio: PeriodRatio): { readonly ns: bigint; readonly frac: bigint } => ({
  ns: ratio.num / ratio.den,
  frac: ((ratio.num % ratio.den) << 32n) / ratio.den,
});

/** Whether the timer has no period (it cannot run). */
export const periodIsZero = (s: PTimerState): boolean =>
  s.exact ? s.periodNum === 0n : s.period === 0n && s.periodFrac === 0n;

/**
 * Re-anchors an exact countdown: it starts at the old deadline (its whole ns
 * and phase, so no fraction is lost from round to round) and lasts `d`
 * periods.
 */
export const anchorExact = (s: PTimerState, d: bigint): void => {
  s.lastEvent = s.nextEvent;
  s.lastPhase = s.nextPhase;
  const total = BigInt(s.lastPhase) + d * s.periodNum;
  const whole = total / s.periodDen;
  s.nextPhase = Number(total % s.periodDen);
  setDeadline(s, s.lastEvent, whole, whole <= SAFE_NS ? Number(whole) : -1);
};

/**
 * Time left until the exact deadline, in units of 1/den ns, as read at
 * `now`. At the anchor's ns (which the exact anchor may lie inside) the whole
 * countdown is left: the count does not run before it starts.
 */
const remainingUnits = (s: PTimerState, now: bigint, atAnchor: boolean): bigint =>
  atAnchor
    ? (deadlineOf(s) - BigInt(s.lastEvent)) * s.periodDen + BigInt(s.nextPhase - s.lastPhase)
    : (deadlineOf(s) - now) * s.periodDen + BigInt(s.nextPhase);

/**
 * {@link countAt} in exact timing: QEMU's read (whole periods left, with the
 * policy's W and D adjustments) on the exact remaining time.
 */
export const countAtExact = (s: PTimerState, flags: PolicyFlags, now: bigint): bigint => {
  if (s.periodNum === 0n) return s.delta;
  const atAnchor = now === BigInt(s.lastEvent);
  const r = remainingUnits(s, now, atAnchor);
  let c = 0n;
  if (r > 0n) {
    c = r / s.periodNum;
    if (inRestPeriod(s, c, atAnchor)) return 0n;
  }
  if (flags.noCounterRoundDown && !atAnchor) c += 1n;
  return c;
};

const ceilDiv = (x: bigint, d: bigint): bigint => (x > 0n ? (x + d - 1n) / d : -(-x / d));

/**
 * The first ns after `now` (past the anchor's ns) at which the whole periods
 * left fall below their value at `now`: the next tick of the exact grid.
 */
export const nextQuotientDropExact = (s: PTimerState, now: bigint): bigint => {
  const r = (deadlineOf(s) - now) * s.periodDen + BigInt(s.nextPhase);
  const v = r > 0n ? r / s.periodNum : 0n;
  return deadlineOf(s) - ceilDiv(v * s.periodNum - BigInt(s.nextPhase), s.periodDen) + 1n;
};
