import type { PTimer } from '../ptimer/PTimer';
import type { PTimerMode } from '../ptimer/PTimerState';
import { PTimerSnapshotError } from '../ptimer/errors';
import { fromSnapshot, type PTimerSnapshot } from '../ptimer/PTimerSnapshot';
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
  /** Integer part of the period in ns. */
  readonly period: bigint;
  /** Fractional part of the period in units of 2^-32 ns. */
  readonly periodFrac: bigint;
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
  try {
    fromSnapshot(part);
  } catch (error) {
    throw snapshotPartError(where, error);
  }
  // The parser accepted it: the fields below are there and well formed.
  const s = part as PTimerSnapshot;
  const at = (field: string): string => joinSnapshotPath(where, field);
  // The three rules of PTimer.restoreState, in its words.
  if (s.time !== now) {
    throw new RegisterSnapshotError(at('time'), s.time, `must equal the scheduler's now() (${now} ns): restore on a clock at the snapshot's time`);
  }
  if ([...s.policy].sort().join(',') !== [...timer.policy].sort().join(',')) {
    throw new RegisterSnapshotError(at('policy'), s.policy, `must match this timer's policy [${timer.policy.join(', ')}]`);
  }
  if (s.rateClamp !== timer.rateClamp) {
    throw new RegisterSnapshotError(at('rateClamp'), s.rateClamp, `must match this timer's rateClamp (${timer.rateClamp})`);
  }
  return {
    where,
    mode: s.mode,
    limit: BigInt(s.limit),
    delta: BigInt(s.delta),
    period: BigInt(s.period),
    periodFrac: BigInt(s.periodFrac),
  };
};
