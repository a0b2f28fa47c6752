import type { PTimer } from '../../ptimer/PTimer';
import type { ValueForecast } from '../../shared/ValueForecast';
import type { DeviceProbe } from '../Device';
import { DeviceConfigError } from '../errors';

/** A piece of device state a probe's value depends on: compared with `Object.is` to tell whether it changed. */
export type ProbeState = bigint | number | boolean | string | undefined;

/** Options of {@link timerProbe}. */
export interface TimerProbeOptions<S extends readonly ProbeState[]> {
  /** The probe's local name, e.g. `value` or `timer1.value`. */
  readonly name: string;
  /** Bits of the value (1 to 64): the value shown is taken modulo 2^width, as a register holds it. */
  readonly width: number;
  /**
   * Reads, now, the device state the value depends on besides the count (a
   * mode bit, a held upper half, a reload value), as primitives. Default:
   * none. Called at each sample; the value is recomputed from a forecast only
   * when the timer's state or one of these changed.
   */
  readonly state?: () => S;
  /**
   * The value the device shows for a count and that state: pure (it must
   * read nothing else, since it is also called later for instants ahead).
   * Default: the count itself (a down-counter's value register).
   */
  readonly value?: (count: bigint, state: S) => bigint | number;
  /**
   * Each value is shown over one run of consecutive counts, never again once
   * left (a count divided by a prescaler, a count clamped to a bound): then
   * `nextChange` finds a change however many count changes away, by
   * bisection over time, since a timer's count only goes down between
   * reloads and a reload ends the forecast. Default `false`: it steps
   * through at most 64 count changes (see {@link timerProbe}).
   */
  readonly coarse?: boolean;
}

/** How many count changes `nextChange` looks through for one that changes the value (a constant or coarse mapping). */
const MAX_STEPS = 64;

const EMPTY: readonly ProbeState[] = Object.freeze([]);

const sameState = (a: readonly ProbeState[], b: readonly ProbeState[]): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * The first instant after `from` (where the value has not changed yet) at which `changed` holds
 * of the count, or undefined if it does not by the forecast's end: a bisection, valid because
 * the value leaves its run of counts once (`coarse`).
 */
const firstChange = (count: ValueForecast, changed: (value: bigint) => boolean, from: number): number | undefined => {
  let hi = Math.min(count.until, Number.MAX_SAFE_INTEGER);
  if (hi <= from || !changed(count.valueAt(hi))) return undefined;
  let lo = from;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (changed(count.valueAt(mid))) hi = mid;
    else lo = mid;
  }
  return hi;
};

/**
 * A device probe whose value is derived from a timer's count (a device kit
 * piece), with a forecast (see `DeviceProbe.forecast`), so waveforms show
 * every tick of it, not just the values sampled at trace events.
 *
 * The mapping covers what device registers do with a ptimer's count: a
 * down-counter shows it as it is (the default); an up-counter shows
 * `limit - count`; a 16-bit mode adds a held upper half; a core that counts
 * one less shows `count - 1`. The state the mapping needs is read by
 * `state()` when the probe is sampled, and `value(count, state)` is pure, so
 * a forecast made now still gives the right value for an instant ahead
 * after the device has moved on.
 *
 * The forecast is reused (the same object) while the timer's forecast and
 * the state are unchanged. Its `nextChange` steps through the count's
 * changes until the value changes, at most 64 of them; past that it returns
 * the 64th, where the value may be unchanged, unless the mapping is
 * `coarse` (a prescaled value: one change per many counts), where it goes on
 * by bisection to the first instant the value differs.
 *
 * Ordering: a forecast holds until work changes the device (G4); the system
 * recorder samples after every piece of work, so each span between samples
 * is covered by the forecast taken at its start.
 *
 * ## Example
 * ```ts
 * this.probes = Object.freeze([
 *   timerProbe(this.timer, { name: 'value', width: 32 }),                  // a down-counter
 *   timerProbe(this.timer, {                                                 // an up-counter over [0, LOAD]
 *     name: 'up', width: 32, state: () => [this.bank.get('LOAD')] as const,
 *     value: (count, [load]) => BigInt(load) - count,
 *   }),
 * ]);
 * ```
 *
 * @param timer - the timer whose count the value is derived from
 * @param options - name, width, and the mapping from count to value
 * @returns the probe: `read()` is the value now, `forecast()` the value from now on
 * @throws DeviceConfigError for an empty name, a width outside 1..64, a state or value that is not a function, or a coarse that is not a boolean
 */
export const timerProbe = <S extends readonly ProbeState[] = readonly []>(timer: PTimer, options: TimerProbeOptions<S>): DeviceProbe => {
  const { name, width } = options;
  if (typeof name !== 'string' || name === '') throw new DeviceConfigError(name, 'must be a non-empty string', 'timerProbe(name)');
  if (!Number.isSafeInteger(width) || width < 1 || width > 64) throw new DeviceConfigError(width, 'must be a whole number of bits from 1 to 64', 'timerProbe(width)');
  for (const key of ['state', 'value'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      throw new DeviceConfigError(options[key], 'must be a function when present', `timerProbe(${key})`);
    }
  }
  if (options.coarse !== undefined && typeof options.coarse !== 'boolean') throw new DeviceConfigError(options.coarse, 'must be a boolean when present', 'timerProbe(coarse)');
  const coarse = options.coarse === true;
  const stateOf = options.state ?? ((): S => EMPTY as S);
  const map = options.value;
  const mask = (1n << BigInt(width)) - 1n;
  const shown = (count: bigint, state: S): bigint => (map === undefined ? count : BigInt(map(count, state))) & mask;
  let cache: { readonly count: ValueForecast; readonly state: S; readonly forecast: ValueForecast } | undefined;

  return Object.freeze({
    name,
    width,
    read: (): bigint => shown(timer.getCount(), stateOf()),
    forecast: (): ValueForecast => {
      const count = timer.forecast();
      const live = stateOf();
      if (cache !== undefined && cache.count === count && sameState(cache.state, live)) return cache.forecast;
      // A copy: the mapping must see the state of this moment when it is asked about an instant ahead.
      const state = Object.freeze([...live]) as unknown as S;
      // The last value computed: a waveform asks `nextChange(t)`, then `valueAt` of its result, then
      // `nextChange` from there, so each instant's count is computed once, not three times.
      let memoTime = -1;
      let memoValue = 0n;
      const valueAt = (time: number): bigint => {
        if (time !== memoTime) {
          memoValue = shown(count.valueAt(time), state);
          memoTime = time;
        }
        return memoValue;
      };
      const forecast: ValueForecast = Object.freeze({
        until: count.until,
        valueAt,
        nextChange: (after: number): number | undefined => {
          const value = valueAt(after);
          let t = after;
          for (let step = 1; ; step++) {
            const next = count.nextChange(t);
            if (next === undefined || valueAt(next) !== value) return next;
            if (step === MAX_STEPS) return coarse ? firstChange(count, (v) => shown(v, state) !== value, next) : next;
            t = next;
          }
        },
      });
      cache = { count, state, forecast };
      return forecast;
    },
  });
};
