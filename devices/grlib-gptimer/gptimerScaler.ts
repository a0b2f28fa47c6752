/**
 * The GPTIMER prescaler's value, computed (no event per tick): the prescaler loaded `start` at
 * `anchor` and has counted clock cycles since, reloading `reload` at each underflow. The cycle
 * grid follows the counters' ptimers (NO_COUNTER_ROUND_DOWN): the edge at the end of a cycle
 * shows strictly after it, so the value at the anchor is `start`, over the first cycle too.
 * Decisions X1 and X9 of GrlibGptimer.ts.
 */
import type { PTimerTiming } from '../../src/ptimer';

/** One clock cycle as a ratio of ns: `num / den`. */
export interface CycleRatio {
  readonly num: bigint;
  readonly den: bigint;
}

const NS = 1_000_000_000n;

/**
 * A clock cycle in the given timing: exactly 10^9/hz ns, or QEMU's 64.32 fixed point of it
 * (the period a ptimer of that timing takes from `setPeriodFromClock(hz)`).
 * @param hz - the clock's rate, above 0
 * @param timing - the counters' timing
 * @returns the cycle as a ratio of ns
 */
export const cycleOf = (hz: number, timing: PTimerTiming): CycleRatio =>
  timing === 'exact' ? { num: NS, den: BigInt(hz) } : { num: (NS << 32n) / BigInt(hz), den: 1n << 32n };

/**
 * The prescaler's value at `now`: as a read shows it (a cycle ending exactly at `now` not yet
 * counted, as a ptimer's count shows it), or, with `after`, once that cycle has ended (the
 * value a countdown started at `now` counts from).
 * @param start - the value it was loaded with at `anchor` (may exceed `reload`)
 * @param reload - SRELOAD
 * @param anchor - when it was loaded (ns, not after `now`)
 * @param now - the instant (ns)
 * @param cycle - the clock cycle
 * @param after - count a cycle that ends exactly at `now`
 * @returns the value
 */
export const scalerAt = (start: number, reload: number, anchor: number, now: number, cycle: CycleRatio, after = false): number => {
  const elapsed = BigInt(now - anchor);
  if (elapsed <= 0n) return start;
  // Cycles ended: ⌊elapsed / cycle⌋ with `after`, else those ending strictly before now, ⌈elapsed / cycle⌉ - 1.
  const ended = after ? (elapsed * cycle.den) / cycle.num : (elapsed * cycle.den + cycle.num - 1n) / cycle.num - 1n;
  const left = BigInt(start) - ended;
  if (left >= 0n) return Number(left);
  const period = BigInt(reload) + 1n;
  return Number(((left % period) + period) % period);
};
