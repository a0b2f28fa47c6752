/**
 * The benchmark workload: N periodic timers with distinct periods, all armed
 * at t = 0, run up to a horizon chosen so that at least a target number of
 * expiries happen. The expected number of expiries is computed here in closed
 * form, independently of every variant, so that each run can be checked.
 */

/** Timer i's period in ns: distinct, `1000 + i`. */
export const periodsFor = (n: number): number[] => Array.from({ length: n }, (_, i) => 1000 + i);

/**
 * One concrete run: timer i first expires at `first[i]` and then every
 * `period[i]` ns; everything due at or before `horizon` runs.
 */
export interface RunSpec {
  readonly n: number;
  readonly period: readonly number[];
  readonly first: readonly number[];
  readonly horizon: number;
  /** Expiries due at or before `horizon`, counted in closed form. */
  readonly expected: number;
}

/** Expiries due at or before `t` for timers (first[i], period[i]). */
export const expiriesUpTo = (first: readonly number[], period: readonly number[], t: number): number => {
  let total = 0;
  for (let i = 0; i < first.length; i++) {
    const f = first[i]!;
    if (t >= f) total += Math.floor((t - f) / period[i]!) + 1;
  }
  return total;
};

/**
 * The smallest horizon at which at least `target` expiries are due, and the
 * exact number due then (it may exceed `target` when several timers share the
 * last instant).
 * @param firstOffset - first expiry of timer i is `period[i] + firstOffset`
 */
export const specFor = (n: number, target: number, firstOffset = 0): RunSpec => {
  const period = periodsFor(n);
  const first = period.map((p) => p + firstOffset);
  let lo = 0;
  const maxOf = (xs: readonly number[]): number => xs.reduce((a, b) => (b > a ? b : a), 0);
  let hi = maxOf(first) + Math.ceil(target / n + 1) * maxOf(period);
  while (expiriesUpTo(first, period, hi) < target) hi *= 2;
  // Invariant: count(lo) < target <= count(hi) (count(0) is 0 because every first expiry is > 0).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (expiriesUpTo(first, period, mid) >= target) hi = mid;
    else lo = mid;
  }
  return { n, period, first, horizon: hi, expected: expiriesUpTo(first, period, hi) };
};
