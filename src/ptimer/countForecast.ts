import type { ValueForecast } from '../shared/ValueForecast';
import { countAt, nextCountChange } from './countAt';
import { PTimerRangeError } from './errors';
import type { PolicyFlags } from './PTimerPolicy';
import { copyState, deadlineOf, type PTimerState } from './PTimerState';

const SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

/** A count forecast and the state it was made from (compared to reuse it while the state is unchanged). Not exported from the package: kept in the declarations because the timer record holds one. */
export interface CountForecastEntry {
  /** The state copied when the forecast was made. */
  readonly state: PTimerState;
  /** The forecast. */
  readonly forecast: ValueForecast;
}

/** Whether the record's state equals a copy, field by field (the fields {@link countAt} reads). @internal */
export const sameCountState = (a: PTimerState, b: PTimerState): boolean =>
  a.enabled === b.enabled &&
  a.delta === b.delta &&
  a.wrapReload === b.wrapReload &&
  a.limit === b.limit &&
  a.lastEvent === b.lastEvent &&
  a.nextEvent === b.nextEvent &&
  a.lastPhase === b.lastPhase &&
  a.nextPhase === b.nextPhase &&
  a.period === b.period &&
  a.periodFrac === b.periodFrac &&
  a.periodNum === b.periodNum &&
  a.periodDen === b.periodDen &&
  a.farNextEvent === b.farNextEvent &&
  a.exact === b.exact;

/**
 * A forecast of the readable count (see `PTimer.forecast`): {@link countAt}
 * and {@link nextCountChange} on a copy of the state, so it never changes
 * after it is made. O(1) per call, no scheduling.
 *
 * @internal
 * @param s - the timer's state now (copied)
 * @param flags - its policy
 * @param rateClamp - its rate clamp
 * @param now - the instant the forecast is made (ns)
 * @param name - the timer's name, for errors
 * @returns the forecast and the state copy it reads
 */
export const countForecast = (s: PTimerState, flags: PolicyFlags, rateClamp: boolean, now: number, name: string): CountForecastEntry => {
  const state = copyState(s);
  const deadline = state.enabled === 'stopped' ? undefined : deadlineOf(state);
  // Made inside the expiry step before its reload, the deadline is now: the forecast speaks for now only.
  const until = deadline === undefined || deadline > SAFE_NS ? Infinity : Math.max(now, Number(deadline));
  const check = (time: number, what: string): void => {
    if (!Number.isSafeInteger(time) || time < now) {
      throw new PTimerRangeError(time, `must be a whole ns from ${now} (when the forecast of '${name}' was made) on`, what);
    }
  };
  const forecast: ValueForecast = Object.freeze({
    until,
    valueAt: (time: number): bigint => {
      check(time, 'forecast.valueAt(time)');
      if (time > until) {
        throw new PTimerRangeError(time, `must not be after ${until} ns, where the expiry of '${name}' changes the count`, 'forecast.valueAt(time)');
      }
      return countAt(state, flags, rateClamp, BigInt(time));
    },
    nextChange: (after: number): number | undefined => {
      check(after, 'forecast.nextChange(after)');
      if (after >= until) return undefined;
      const at = nextCountChange(state, flags, rateClamp, BigInt(after));
      return at === undefined || at > SAFE_NS ? undefined : Number(at);
    },
  });
  return { state, forecast };
};
