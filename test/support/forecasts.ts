import type { ValueForecast } from '../../src/shared/ValueForecast';

/** A forecast of a value that holds (until the next sample): what a sample used to mean before forecasts. */
export const held = (value: bigint): ValueForecast => ({ until: Infinity, valueAt: () => value, nextChange: () => undefined });

/**
 * A down-counter's forecast made at `from`: `value` then one less every `period` ns (never below 0),
 * up to `until` (its expiry), like a timer's count without the policy details.
 */
export const countdown = (from: number, value: bigint, period: number, until = Infinity): ValueForecast => ({
  until,
  valueAt: (t) => {
    const v = value - BigInt(Math.floor((t - from) / period));
    return v < 0n ? 0n : v;
  },
  nextChange: (after) => {
    const next = from + (Math.floor((after - from) / period) + 1) * period;
    return next < until ? next : undefined;
  },
});
