import { nextQuotientChange, quotient } from './arith';
import { countAtExact, nextQuotientDropExact } from './exact';
import type { PolicyFlags } from './PTimerPolicy';
import { deadlineOf, inRestPeriod, type PTimerState } from './PTimerState';

/** Periodic spans shorter than this are stretched when the rate clamp is on (QEMU's 10 µs). */
export const RATE_CLAMP_NS = 10_000n;

/** Period actually used for a countdown of `d` periods, after the optional rate clamp (§1.8a). */
export const effectivePeriod = (
  s: PTimerState,
  d: bigint,
  rateClamp: boolean,
): { readonly p: bigint; readonly f: bigint } => {
  if (rateClamp && s.enabled === 'periodic' && d * s.period < RATE_CLAMP_NS) {
    // QEMU's ⌊10000/d⌋ reaches 0 for d > 10000 with a sub-ns period and then
    // re-fires at one instant forever; at least 1 ns keeps time moving.
    const p = RATE_CLAMP_NS / d;
    return { p: p === 0n ? 1n : p, f: 0n };
  }
  return { p: s.period, f: s.periodFrac };
};

/**
 * The count a guest reads at virtual time `now` (reference §1.9): pure, O(1).
 * Between boundaries the legacy read is one less than hardware shows; the
 * policy flags adjust that (W's zero window, D's `+1`).
 */
export const countAt = (s: PTimerState, flags: PolicyFlags, rateClamp: boolean, now: bigint): bigint => {
  if (s.enabled === 'stopped' || s.delta === 0n) return s.delta;
  if (s.exact) return countAtExact(s, flags, now);
  const r = deadlineOf(s) - now;
  const atAnchor = now === BigInt(s.lastEvent);
  let c = 0n;
  if (r > 0n) {
    const { p, f } = effectivePeriod(s, s.delta, rateClamp);
    // Only reachable inside a transaction after setPeriod(0): commit will stop the timer.
    if (p === 0n && f === 0n) return s.delta;
    c = quotient(r, p, f);
    if (inRestPeriod(s, c, atAnchor)) return 0n;
  }
  if (flags.noCounterRoundDown && !atAnchor) c += 1n;
  return c;
};

/**
 * The first virtual time after `now` and before the deadline at which
 * {@link countAt} returns a different value, or `undefined` if the count
 * holds until the deadline (where the expiry itself changes it) or forever.
 * The value can only change where the quotient changes or one ns after the
 * anchor (where W's and D's "at the anchor" tests flip), so only those
 * instants are examined.
 */
export const nextCountChange = (
  s: PTimerState,
  flags: PolicyFlags,
  rateClamp: boolean,
  now: bigint,
): bigint | undefined => {
  if (s.enabled === 'stopped' || s.delta === 0n) return undefined;
  const { p, f } = effectivePeriod(s, s.delta, rateClamp);
  if (s.exact ? s.periodNum === 0n : p === 0n && f === 0n) return undefined;
  const value = countAt(s, flags, rateClamp, now);
  const next = deadlineOf(s);
  const afterAnchor = BigInt(s.lastEvent) + 1n;
  let t = now;
  for (;;) {
    const r = next - t;
    if (r <= 1n) return undefined;
    let candidate: bigint;
    if (s.exact) {
      candidate = nextQuotientDropExact(s, t);
    } else {
      const drop = nextQuotientChange(r, p, f);
      candidate = drop === undefined ? next : next - drop;
    }
    if (t < afterAnchor && afterAnchor < candidate) candidate = afterAnchor;
    if (candidate >= next) return undefined;
    if (countAt(s, flags, rateClamp, candidate) !== value) return candidate;
    t = candidate;
  }
};
