import type { SchedulerLike } from 'rxjs';
import type { ValueForecast } from '../../shared/ValueForecast';
import type { DeviceProbe } from '../Device';
import { DeviceConfigError } from '../errors';
import type { ProbeState, TimerProbeOptions } from './timerProbe';

/** Where a free-running cycle counter stands: its count at an instant and the clock it counts. */
export interface CycleCounterOrigin {
  /** The count at `time` (cycles, unsigned). */
  readonly count: bigint;
  /** The instant of `count` (ns). */
  readonly time: number;
  /** The clock it counts (Hz, a whole number; 0: stopped). */
  readonly hz: number;
  /**
   * The cycle's length in ns as `num / den`, when it is not exactly 10^9/hz
   * (QEMU's 32.32 fixed-point cycle); `hz` still says whether it counts.
   * Default: 10^9 / hz.
   */
  readonly cycle?: {
    /** Numerator: ns per cycle times `den`. */
    readonly num: bigint;
    /** Denominator, positive. */
    readonly den: bigint;
  };
}

/** Options of {@link cycleCounterProbe}. */
export interface CycleCounterProbeOptions<S extends readonly ProbeState[] = readonly []> {
  /** The probe's local name, e.g. `cnt64`. */
  readonly name: string;
  /** Bits of the counter (1 to 64): it wraps modulo 2^width. */
  readonly width: number;
  /** Reads, now, where the counter stands (the device keeps it and moves it when the clock changes rate). */
  readonly origin: () => CycleCounterOrigin;
  /**
   * When a cycle that ends exactly at an instant shows: `'on'` (default) at
   * that instant; `'after'` only after it, as a ptimer's count shows its
   * steps (a register read at the edge sees the value before it).
   */
  readonly edge?: 'on' | 'after';
  /** Reads, now, the device state the value depends on besides the count (as in {@link TimerProbeOptions.state}). Default: none. */
  readonly state?: () => S;
  /**
   * The value shown for a count of cycles and that state: pure (as in
   * {@link TimerProbeOptions.value}), e.g. a prescaler counting down from
   * where it was loaded and reloading. Default: the count itself.
   */
  readonly value?: (count: bigint, state: S) => bigint | number;
}

const NS_PER_S = 1_000_000_000n;

const EMPTY: readonly ProbeState[] = Object.freeze([]);

const sameState = (a: readonly ProbeState[], b: readonly ProbeState[]): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** An origin's cycle as ns = num / den (den 0n: stopped). */
const cycleOf = (o: CycleCounterOrigin): { readonly num: bigint; readonly den: bigint } => {
  if (o.hz === 0) return { num: 1n, den: 0n };
  const { cycle } = o;
  if (cycle === undefined) return { num: NS_PER_S, den: BigInt(o.hz) };
  if (typeof cycle.num !== 'bigint' || typeof cycle.den !== 'bigint' || cycle.num <= 0n || cycle.den <= 0n) {
    throw new DeviceConfigError(cycle, 'must be { num, den } with both positive bigints (ns per cycle = num / den)', 'cycleCounterProbe(origin().cycle)');
  }
  return cycle;
};

/**
 * A device probe of a free-running counter of clock cycles (a device kit
 * piece), e.g. a 64-bit counter of a 24 MHz oscillator: the count at `t` is
 * `count + ⌊(t − time)·hz / 10^9⌋` modulo 2^width, from the origin the
 * device keeps. No timer and no per-cycle work: the forecast computes each
 * cycle's instant (the first ns at which the floor steps), so waveforms
 * show every change. It holds until the device moves its origin (a clock
 * change); its `until` is `Infinity`.
 *
 * A device that shows something else than the count (a prescaler counting
 * down and reloading, a count that steps only after its clock edge) says so
 * with `value`, `state` and `edge`, as {@link timerProbe} does; a cycle that
 * is not exactly 10^9/hz ns comes with the origin (`cycle`).
 *
 * The forecast is reused (the same object) while the origin and the state
 * are unchanged.
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
 * @throws DeviceConfigError for an empty name, a width outside 1..64, an origin that is not a function, a state or value that is not a function, or an edge that is not 'on' or 'after'; `read()` and `forecast()` for an origin whose `cycle` is not a positive ratio
 */
export const cycleCounterProbe = <S extends readonly ProbeState[] = readonly []>(scheduler: SchedulerLike, options: CycleCounterProbeOptions<S>): DeviceProbe => {
  const { name, width, origin } = options;
  if (typeof name !== 'string' || name === '') throw new DeviceConfigError(name, 'must be a non-empty string', 'cycleCounterProbe(name)');
  if (!Number.isSafeInteger(width) || width < 1 || width > 64) {
    throw new DeviceConfigError(width, 'must be a whole number of bits from 1 to 64', 'cycleCounterProbe(width)');
  }
  if (typeof origin !== 'function') throw new DeviceConfigError(origin, 'must be a function', 'cycleCounterProbe(origin)');
  for (const key of ['state', 'value'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new DeviceConfigError(options[key], 'must be a function when present', `cycleCounterProbe(${key})`);
    }
  }
  const { edge = 'on' } = options;
  if (edge !== 'on' && edge !== 'after') throw new DeviceConfigError(edge, "must be 'on' or 'after' when present", 'cycleCounterProbe(edge)');
  const after = edge === 'after';
  const stateOf = options.state ?? ((): S => EMPTY as S);
  const map: TimerProbeOptions<S>['value'] = options.value;
  const mask = (1n << BigInt(width)) - 1n;
  const shown = (count: bigint, state: S): bigint => (map === undefined ? count : BigInt(map(count, state))) & mask;
  /**
   * Whole cycles from the origin to `t` (ns, not before the origin): ⌊elapsed / cycle⌋, or with
   * edge 'after' those ended strictly before `t`, ⌊(elapsed·den − 1) / num⌋.
   */
  const cycles = (o: CycleCounterOrigin, t: number): bigint => {
    const { num, den } = cycleOf(o);
    const scaled = BigInt(t - o.time) * den;
    if (!after) return scaled / num;
    return scaled === 0n ? 0n : (scaled - 1n) / num;
  };
  /** The first ns after the origin at which `k` cycles show: ⌈k·num / den⌉, or ⌈(k·num + 1) / den⌉ with edge 'after'. */
  const instantOf = (o: CycleCounterOrigin, k: bigint): bigint => {
    const { num, den } = cycleOf(o);
    const need = k * num + (after ? 1n : 0n);
    return (need + den - 1n) / den;
  };
  const sameOrigin = (a: CycleCounterOrigin, b: CycleCounterOrigin): boolean =>
    a.count === b.count && a.time === b.time && a.hz === b.hz && a.cycle?.num === b.cycle?.num && a.cycle?.den === b.cycle?.den;
  let cache: { readonly origin: CycleCounterOrigin; readonly state: S; readonly forecast: ValueForecast } | undefined;

  return Object.freeze({
    name,
    width,
    read: (): bigint => {
      const o = origin();
      return shown(o.count + cycles(o, scheduler.now()), stateOf());
    },
    forecast: (): ValueForecast => {
      const live = origin();
      cycleOf(live); // a bad cycle is refused now, not when the forecast is read
      const liveState = stateOf();
      if (cache !== undefined && sameOrigin(cache.origin, live) && sameState(cache.state, liveState)) return cache.forecast;
      // Copies: the forecast must keep the origin and state of this moment when asked about an instant ahead.
      const from: CycleCounterOrigin = { count: live.count, time: live.time, hz: live.hz, ...(live.cycle === undefined ? {} : { cycle: { num: live.cycle.num, den: live.cycle.den } }) };
      const state = Object.freeze([...liveState]) as unknown as S;
      const made = scheduler.now();
      const check = (t: number, what: string): void => {
        if (!Number.isSafeInteger(t) || t < made) throw new DeviceConfigError(t, `must be a whole ns from ${made} (when the forecast of '${name}' was made) on`, what);
      };
      const forecast: ValueForecast = Object.freeze({
        until: Infinity,
        valueAt: (time: number): bigint => {
          check(time, 'forecast.valueAt(time)');
          return shown(from.count + cycles(from, time), state);
        },
        nextChange: (t: number): number | undefined => {
          check(t, 'forecast.nextChange(after)');
          if (from.hz === 0) return undefined;
          // The next cycle's first instant; a value that shows a cycle's count unchanged is for the consumer to compare.
          const next = from.time + Number(instantOf(from, cycles(from, t) + 1n));
          return Number.isSafeInteger(next) ? next : undefined;
        },
      });
      cache = { origin: from, state, forecast };
      return forecast;
    },
  });
};
