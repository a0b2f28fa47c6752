import { describe, expect, it } from 'vitest';
import { RegisterSnapshotError } from '../../src/bus/errors';
import { expectRunningMode, expectTimerCountAtMost, expectTimerLimit, expectTimerMode, expectTimerPeriod, expectTimerPeriodNs, type SnapshotReason } from '../../src/bus/snapshotRules';
import type { TimerPartView } from '../../src/bus/timerPart';
import { thrown } from '../support/errors';

/** A running exact-timing timer at 24 MHz ÷ 1 (125/3 ns a cycle), reload 100, count 7. */
const view = (over: Partial<TimerPartView> = {}): TimerPartView => ({
  where: 'timer',
  mode: 'periodic',
  limit: 100n,
  delta: 7n,
  timing: 'exact',
  period: 41n,
  periodFrac: 0n,
  periodNum: 125n,
  periodDen: 3n,
  ...over,
});

/** What `check` refused with: a RegisterSnapshotError (the test fails on anything else). */
const refusal = (check: () => void): RegisterSnapshotError => {
  const error = thrown(check);
  expect(error).toBeInstanceOf(RegisterSnapshotError);
  return error as RegisterSnapshotError;
};

describe('snapshot rules', () => {
  it('word a reason given as a function only when they refuse, and then as a string would be', () => {
    let asked = 0;
    const reason = (): string => {
      asked++;
      return '(the reason)';
    };
    expectTimerMode(view(), ['periodic'], reason);
    expectRunningMode(view(), false, reason);
    expectTimerLimit(view(), 100, reason);
    expectTimerCountAtMost(view(), 7, reason);
    expectTimerPeriod(view(), 24_000_000, 1, reason);
    expectTimerPeriodNs(view({ periodNum: 5n, periodDen: 1n }), 5n, reason);
    expect(asked).toBe(0);
    const cases: [(because: SnapshotReason) => void, string, string][] = [
      [(b) => expectTimerMode(view(), ['stopped'], b), 'timer.mode', "must be 'stopped' (the reason)"],
      [(b) => expectRunningMode(view(), true, b), 'timer.mode', "must be 'oneshot' (the reason)"],
      [(b) => expectTimerLimit(view(), 99, b), 'timer.limit', 'must be 99 (the reason)'],
      [(b) => expectTimerCountAtMost(view(), 6, b), 'timer.delta', 'must not exceed 6 (the reason)'],
      [(b) => expectTimerPeriod(view({ periodDen: 4n }), 24_000_000, 1, b), 'timer.periodDen', 'must be 125/3 ns, exactly 10^9·1/24000000 (the period (the reason))'],
      [(b) => expectTimerPeriod(view({ periodNum: 126n }), 24_000_000, 1, b), 'timer.periodNum', 'must be 125/3 ns'],
      [(b) => expectTimerPeriodNs(view(), 5n, b), 'timer.periodNum', 'must be 5 ns exactly (the period (the reason))'],
    ];
    for (const [check, field, rule] of cases) {
      const error = refusal(() => check(reason));
      expect(error.field).toBe(field);
      expect(error.message).toContain(rule);
      // The reason given as a string: the same message.
      expect(refusal(() => check('(the reason)')).message).toBe(error.message);
    }
    expect(asked).toBe(cases.length);
  });

  it('check QEMU timing against the fixed point of the rate, naming the part that differs', () => {
    const qemu = view({ timing: 'qemu', period: 41n, periodFrac: 2863311530n, periodNum: 0n, periodDen: 0n });
    expectTimerPeriod(qemu, 24_000_000, 1, 'x');
    expect(refusal(() => expectTimerPeriod({ ...qemu, periodFrac: 1n }, 24_000_000, 1, 'x')).field).toBe('timer.periodFrac');
    expect(refusal(() => expectTimerPeriod({ ...qemu, period: 40n }, 24_000_000, 1, 'x')).field).toBe('timer.period');
  });
});
