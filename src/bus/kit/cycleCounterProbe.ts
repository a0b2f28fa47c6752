import type { SchedulerLike } from 'rxjs';
import type { ValueForecast } from '../../shared/ValueForecast';
import type { DeviceProbe } from '../Device';
import { DeviceConfigError } from '../errors';

/** Where a free-running cycle counter stands: its count at an instant and the clock it counts. */
export interface CycleCounterOrigin {
  /** The count at `time` (cycles, unsigned). */
  readonly count: bigint;
  /** The instant of `count` (ns). */
  readonly time: number;
  /** The clock it counts (Hz, a whole number; 0: stopped). */
  readonly hz: number;
}

/** Options of {@link cycleCounterProbe}. */
export interface CycleCounterProbeOptions {
  /** The probe's local name, e.g. `cnt64`. */
  readonly name: string;
  /** Bits of the counter (1 to 64): it wraps modulo 2^width. */
  readonly width: number;
  /** Reads, now, where the counter stands (the device keeps it and moves it when the clock changes rate). */
  readonly origin: () => CycleCounterOrigin;
}

const NS_PER_S = 1_000_000_000n;

/**
 * A device probe of a free-running counter of clock cycles (a device kit
 * piece), e.g. a 64-bit counter of a 24 MHz oscillator: the count at `t` is
 * `count + ⌊(t − time)·hz / 10^9⌋` modulo 2^width, from the origin the
 * device keeps. No timer and no per-cycle work: the forecast computes each
 * cycle's instant (the first ns at which the floor steps), so waveforms
 * show every change. It holds until the device moves its origin (a clock
 * change); its `until` is `Infinity`.
 *
 * The forecast is reused (the same object) while the origin is unchanged.
 *
 * Ordering: none of its own; a forecast holds until work changes the origin (G4).
 *
 * ## Example
 * ```ts
 * cycleCounterProbe(scheduler, {
 *   name: 'cnt64', width: 64,
 *   origin: () => ({ count: this.cnt64.ticks, time: this.cnt64.anchor, hz: this.cnt64.hz }),
 * });
 * ```
 *
 * @param scheduler - virtual time (1 unit = 1 ns), for `read()`
 * @param options - name, width and the counter's origin
 * @returns the probe: `read()` is the count now, `forecast()` the count from now on
 * @throws DeviceConfigError for an empty name, a width outside 1..64, or an origin that is not a function
 */
export const cycleCounterProbe = (scheduler: SchedulerLike, options: CycleCounterProbeOptions): DeviceProbe => {
  const { name, width, origin } = options;
  if (typeof name !== 'string' || name === '') throw new DeviceConfigError(name, 'must be a non-empty string', 'cycleCounterProbe(name)');
  if (!Number.isSafeInteger(width) || width < 1 || width > 64) {
    throw new DeviceConfigError(width, 'must be a whole number of bits from 1 to 64', 'cycleCounterProbe(width)');
  }
  if (typeof origin !== 'function') throw new DeviceConfigError(origin, 'must be a function', 'cycleCounterProbe(origin)');
  const mask = (1n << BigInt(width)) - 1n;
  /** Whole cycles from the origin to `t` (ns, not before the origin). */
  const cycles = (o: CycleCounterOrigin, t: number): bigint => (BigInt(t - o.time) * BigInt(o.hz)) / NS_PER_S;
  let cache: { readonly origin: CycleCounterOrigin; readonly forecast: ValueForecast } | undefined;

  return Object.freeze({
    name,
    width,
    read: (): bigint => {
      const o = origin();
      return (o.count + cycles(o, scheduler.now())) & mask;
    },
    forecast: (): ValueForecast => {
      const live = origin();
      const o = cache?.origin;
      if (o !== undefined && o.count === live.count && o.time === live.time && o.hz === live.hz) return cache!.forecast;
      const from = { count: live.count, time: live.time, hz: live.hz };
      const made = scheduler.now();
      const check = (t: number, what: string): void => {
        if (!Number.isSafeInteger(t) || t < made) throw new DeviceConfigError(t, `must be a whole ns from ${made} (when the forecast of '${name}' was made) on`, what);
      };
      const hz = BigInt(from.hz);
      const forecast: ValueForecast = Object.freeze({
        until: Infinity,
        valueAt: (time: number): bigint => {
          check(time, 'forecast.valueAt(time)');
          return (from.count + cycles(from, time)) & mask;
        },
        nextChange: (after: number): number | undefined => {
          check(after, 'forecast.nextChange(after)');
          if (hz === 0n) return undefined;
          // The first ns at which ⌊elapsed·hz/10^9⌋ passes its value at `after`: ⌈(k+1)·10^9/hz⌉ ns from the origin.
          const k = cycles(from, after);
          const next = from.time + Number(((k + 1n) * NS_PER_S + hz - 1n) / hz);
          return Number.isSafeInteger(next) ? next : undefined;
        },
      });
      cache = { origin: from, forecast };
      return forecast;
    },
  });
};
