import type { PTimer } from '../ptimer/PTimer';
import type { PTimerMode } from '../ptimer/PTimerState';
import { PTimerSnapshotError } from '../ptimer/errors';
import { ratioOfFixed } from '../ptimer/exact';
import { fromSnapshotFor, type ParsedPTimerSnapshot, type PTimerTiming } from '../ptimer/PTimerSnapshot';
import { RegisterSnapshotError } from './errors';
import { joinSnapshotPath } from './snapshotSchema';

/**
 * What a device's consistency rules read of one of its timers' snapshots,
 * once the timer has accepted it (see {@link checkTimerPart}). Each value
 * comes with the path of the field that holds it, for the message of a rule
 * that refuses it.
 */
export interface TimerPartView {
  /** Where the timer's snapshot sits in the device snapshot (`timers[1]`, `timer`). */
  readonly where: string;
  /** Stopped, periodic or one-shot. */
  readonly mode: PTimerMode;
  /** The reload value. */
  readonly limit: bigint;
  /** The count when stopped; the count at the countdown's start when running (the count never exceeds it until a reload). */
  readonly delta: bigint;
  /** How the timer keeps time. */
  readonly timing: PTimerTiming;
  /** Integer part of the period in ns (in exact timing, the exact period floored). */
  readonly period: bigint;
  /** Fractional part of the period in units of 2^-32 ns (in exact timing, floored). */
  readonly periodFrac: bigint;
  /** The exact period's numerator (ns) in exact timing; in QEMU timing, that of the fixed point. */
  readonly periodNum: bigint;
  /** The exact period's denominator. */
  readonly periodDen: bigint;
}

/**
 * Re-throws a part's refusal as a {@link RegisterSnapshotError} whose path is
 * the full path in the device snapshot: `<where>.<the part's field>`
 * (`timers[1].nextEvent`, `registers.registers.CTRL`). Other errors pass as they are.
 * @param where - where the part sits in the device snapshot
 * @param error - what the part threw
 * @returns the error to throw
 */
export const snapshotPartError = (where: string, error: unknown): unknown => {
  if (error instanceof PTimerSnapshotError || error instanceof RegisterSnapshotError) {
    return new RegisterSnapshotError(joinSnapshotPath(where, error.field), error.value, error.rule, { cause: error });
  }
  return error;
};

/**
 * Validates a device's timer snapshot with the timer's own rules, without
 * touching the timer: its parser (every field of the timer's format), then
 * what `PTimer.restoreState` requires of this timer (taken now, its policy,
 * its rate clamp). Checking before anything is loaded means a refused device
 * snapshot re-arms no timer (a re-armed timer would lose its place among the
 * work due at one instant, G4). `restoreState` stays the authority: a rule
 * it adds later still refuses at load time, with the same path.
 *
 * ## Example
 * ```ts
 * const view = checkTimerPart(this.timers[1], s.timers[1], 'timers[1]', this.scheduler.now());
 * if (view.mode !== 'stopped' && !enabled) throw new RegisterSnapshotError(`${view.where}.mode`, view.mode, 'must be stopped while …');
 * ```
 * @param timer - the timer that will load it
 * @param part - the untrusted timer snapshot
 * @param where - where it sits in the device snapshot (`timers[1]`)
 * @param now - the scheduler's time now (a snapshot restores only at its own time)
 * @returns what the device's consistency rules read of it
 * @throws RegisterSnapshotError at `<where>.<field>` for anything the timer refuses
 */
export const checkTimerPart = (timer: PTimer, part: unknown, where: string, now: number): TimerPartView => {
  let parsed: ParsedPTimerSnapshot;
  try {
    // The timer's own rules, restoreState's included (time, policy, timing, rate clamp), before anything loads.
    parsed = fromSnapshotFor(timer, part, now);
  } catch (error) {
    throw snapshotPartError(where, error);
  }
  const { state } = parsed;
  const ratio = state.exact ? { num: state.periodNum, den: state.periodDen } : ratioOfFixed(state.period, state.periodFrac);
  return {
    where,
    mode: state.enabled,
    limit: state.limit,
    delta: state.delta,
    timing: parsed.timing,
    period: state.period,
    periodFrac: state.periodFrac,
    periodNum: ratio.num,
    periodDen: ratio.den,
  };
};
