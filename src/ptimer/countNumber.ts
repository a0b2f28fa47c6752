import { readCount } from './ticks';
import type { TimerRecord } from './TimerRecord';

const TWO32 = 4294967296;
const TWO16 = 65536;

/**
 * QEMU's quotient ⌊r·2^32 / (p·2^32 + f)⌋ for `r` and `p` below 2^32 (its
 * normalised division then shifts by 32 or more, so the divisor is exact;
 * see arith.ts `quotient`), in numbers: the double estimate is corrected with
 * the remainder kept as two 32-bit limbs, so the result is exact. @internal
 */
export const fracQuotient = (r: number, p: number, f: number): number => {
  let q = Math.floor(r / (p + f / TWO32));
  // Remainder T = r·2^32 − q·(p·2^32 + f) = (r − q·p)·2^32 − q·f, as hi·2^32 + lo with 0 ≤ lo < 2^32.
  const u = q * Math.floor(f / TWO16);
  const v = q * (f % TWO16);
  const low = (u % TWO16) * TWO16 + v;
  let hi = r - q * p - Math.floor(u / TWO16) - Math.floor(low / TWO32);
  let lo = low % TWO32;
  if (lo !== 0) {
    hi -= 1;
    lo = TWO32 - lo;
  }
  // The estimate is off by at most a few units: step until 0 ≤ T < p·2^32 + f.
  while (hi < 0) {
    q -= 1;
    hi += p;
    lo += f;
    if (lo >= TWO32) {
      lo -= TWO32;
      hi += 1;
    }
  }
  while (hi > p || (hi === p && lo >= f)) {
    q += 1;
    hi -= p;
    lo -= f;
    if (lo < 0) {
      lo += TWO32;
      hi -= 1;
    }
  }
  return q;
};

/**
 * The count a guest reads now as a number: `Number(readCount(r))`, computed
 * without BigInt arithmetic in the common case (QEMU timing, a running
 * countdown whose remaining time and period fit 32 bits, or a whole period
 * with both in the safe range), so a device reading its counter register
 * allocates nothing. Any other case (exact timing, the rate clamp, a period
 * change pending in the open transaction, far deadlines) takes the BigInt
 * read, so the value is always the same.
 */
export const readCountNumber = (r: TimerRecord): number => {
  const enabled = r.enabled;
  const delta = r.delta;
  if (enabled === 'stopped' || delta === 0n) return Number(delta);
  if (r.anchoredRate !== undefined) return Number(readCount(r));
  if (r.exact) return exactCountNumber(r);
  if (r.rateClamp) return Number(readCount(r));
  const now = r.scheduler.now();
  const left = r.nextEvent - now;
  const atAnchor = now === r.lastEvent;
  let c = 0;
  if (left > 0) {
    const p = Number(r.period);
    const f = Number(r.periodFrac);
    if (f === 0) {
      // ⌊left/p⌋ in doubles is exact while left + p is a safe integer (the rounded quotient cannot reach the next integer).
      if (p === 0 || left + p > Number.MAX_SAFE_INTEGER) return Number(readCount(r));
      c = Math.floor(left / p);
    } else {
      if (left >= TWO32 || p >= TWO32 || p === 0) return Number(readCount(r));
      c = fracQuotient(left, p, f);
    }
    // W's rest period (PTimerState.inRestPeriod). A reload past 2^53 converts to a double above any `c` here.
    const wrap = r.wrapReload;
    if (wrap >= 0n && Number(wrap) === (atAnchor ? c - 1 : c)) return 0;
  }
  if (r.flags.noCounterRoundDown && !atAnchor) c += 1;
  return c;
};

/** Below this, a whole number of 1/den ns and its quotient by the period are exact in doubles. */
const TWO52 = 2 ** 52;
const TWO53 = 2 ** 53;

/**
 * {@link readCountNumber} in exact timing (a device whose clock does not
 * divide 1 GHz: most of a catalogue's), as `countAtExact` reads it: whole
 * periods in the time left, counted in units of 1/den ns. In numbers while
 * the time left in those units stays below 2^53 (its quotient by the period
 * is then exact: a non-whole quotient lies at least 1/period from the next
 * whole number, farther than the division's rounding); else the BigInt read.
 */
const exactCountNumber = (r: TimerRecord): number => {
  const num = Number(r.periodNum);
  if (num === 0) return Number(r.delta);
  const next = r.nextEvent;
  const den = Number(r.periodDen);
  const now = r.scheduler.now();
  const left = next - now;
  // A far deadline (Infinity here) or a product that could round: the BigInt read.
  if (!(left * den <= TWO52) || num > Number.MAX_SAFE_INTEGER) return Number(readCount(r));
  const atAnchor = now === r.lastEvent;
  const phase = atAnchor ? r.nextPhase - r.lastPhase : r.nextPhase;
  const units = left * den + phase;
  // A sum at 2^53 or more may have rounded (and comes out at 2^53 or more): the BigInt read.
  if (!(units < TWO53)) return Number(readCount(r));
  let c = 0;
  if (units > 0) {
    c = Math.floor(units / num);
    const wrap = r.wrapReload;
    if (wrap >= 0n && Number(wrap) === (atAnchor ? c - 1 : c)) return 0;
  }
  if (r.flags.noCounterRoundDown && !atAnchor) c += 1;
  return c;
};
