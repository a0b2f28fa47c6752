// Exact integer arithmetic of a 64.32 fixed-point period (docs/semantics.md §4, §6).
// Spans are computed exactly, without QEMU's mod-2^64 wrap of d·p: the wrap
// only differs for spans beyond 2^64 ns (584 years), which we treat as "never".
import { PTimerRangeError } from './errors';

/** Largest unsigned 64-bit value. */
export const U64_MAX = (1n << 64n) - 1n;
const U32 = 1n << 32n;
const U32_MASK = U32 - 1n;

/**
 * Checks a count/limit argument: a safe non-negative integer number or a
 * bigint in [0, 2^64), and returns it as a bigint.
 */
export const toU64 = (value: bigint | number, what: string): bigint => {
  if (typeof value === 'bigint') {
    if (value < 0n || value > U64_MAX) throw new PTimerRangeError(value, 'must be in [0, 2^64 - 1]', what);
    return value;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PTimerRangeError(value, 'must be a bigint in [0, 2^64 - 1] or a safe non-negative integer number', what);
  }
  return BigInt(value);
};

/** Count of leading zero bits of `x` as a 64-bit value (0 for values of 64 bits or more, 64 for 0). */
export const clz64 = (x: bigint): number => {
  if (x > U64_MAX) return 0;
  const hi = Number(x >> 32n);
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(x & U32_MASK));
};

/** Length of a countdown of `d` periods of `p + f/2^32` ns, with the fraction floored once. */
export const spanNs = (d: bigint, p: bigint, f: bigint): bigint => (f === 0n ? d * p : d * p + ((f * d) >> 32n));

/**
 * Whole periods left in `r` ns, rounded down, by QEMU's normalised division:
 * numerator and divisor are shifted left by the common leading-zero count,
 * the top fraction bits are OR-ed into the divisor, and the divisor is
 * rounded up if lower fraction bits remain. So the result is `r / P` or one
 * less, never more. With `f = 0` it is exactly `r / p`.
 */
export const quotient = (r: bigint, p: bigint, f: bigint): bigint => {
  if (f === 0n) return r / p;
  const s = Math.min(clz64(r), clz64(p));
  return (r << BigInt(s)) / shiftedDivisor(p, f, s);
};

/**
 * The period `p + f/2^32` scaled by `2^s` as QEMU's normalised division forms
 * it: the fraction's top bits OR-ed in, rounded up if lower bits are dropped.
 */
const shiftedDivisor = (p: bigint, f: bigint, s: number): bigint => {
  const q = p << BigInt(s);
  if (s >= 32) return q + (f << BigInt(s - 32));
  const drop = BigInt(32 - s);
  return q + (f >> drop) + ((f & ((1n << drop) - 1n)) !== 0n ? 1n : 0n);
};

/**
 * The largest `r' < r` at which {@link quotient} differs from its value at
 * `r`, or `undefined` if it stays the same down to 1. Used to find when the
 * readable count next changes without stepping tick by tick. The divisor's
 * precision depends on the shift, so the search walks the shift ranges (at
 * most 64) and inside each uses the exact threshold of a monotone division.
 */
export const nextQuotientChange = (r: bigint, p: bigint, f: bigint): bigint | undefined => {
  const q0 = quotient(r, p, f);
  if (f === 0n) {
    const at = q0 * p - 1n;
    return q0 === 0n || at < 1n ? undefined : at;
  }
  const clzP = clz64(p);
  for (;;) {
    const clzR = clz64(r);
    const s = Math.min(clzR, clzP);
    // Lowest r with the same shift: the whole way down once the period sets it.
    const lo = clzR >= clzP ? 1n : 1n << BigInt(63 - clzR);
    if (q0 > 0n) {
      const scale = 1n << BigInt(s);
      // Largest r' with r'·2^s < q0·Q, i.e. whose quotient falls below q0.
      const threshold = (q0 * shiftedDivisor(p, f, s) + scale - 1n) / scale - 1n;
      if (threshold >= lo) return threshold >= 1n ? threshold : undefined;
    }
    if (lo <= 1n) return undefined;
    r = lo - 1n;
    if (quotient(r, p, f) !== q0) return r;
  }
};

/**
 * Period of a frequency as 64.32 fixed point: `⌊10^9/hz⌋` ns and the
 * fraction `⌊10^9·2^32/hz⌋ mod 2^32`.
 */
export const periodOfFreq = (hz: bigint): { readonly ns: bigint; readonly frac: bigint } => {
  const fixed = (1_000_000_000n << 32n) / hz;
  return { ns: fixed >> 32n, frac: fixed & U32_MASK };
};

/**
 * Period of a clock input divided by `divisor`, as QEMU derives it from a
 * Clock: the clock's period is first taken as `⌊10^9·2^32/hz⌋` units of
 * 2^-32 ns (0 for a stopped clock), then scaled by the divisor in 64.32
 * fixed point (reference §1.6 set_period_from_clock, Example H).
 */
export const periodOfClock = (hz: bigint, divisor: bigint): { readonly ns: bigint; readonly frac: bigint } => {
  const raw = hz === 0n ? 0n : (1_000_000_000n << 32n) / hz;
  const x = (raw & U32_MASK) * divisor;
  return { ns: (raw >> 32n) * divisor + (x >> 32n), frac: x & U32_MASK };
};
