// setPeriodFromClock: QEMU's set_period_from_clock (reference §1.6, Example H).
import { describe, expect, it } from 'vitest';
import { PTimer, PTimerRangeError, PTimerTransactionError, VirtualClock, type PTimerDiagnostic } from '../../index';
import { periodOfClock } from '../../src/ptimer/arith';
import { thrown } from '../support/errors';

const periodAfter = (hz: number, divisor?: number) => {
  const timer = new PTimer(new VirtualClock());
  timer.transaction((t) => t.setPeriodFromClock(hz, divisor));
  return timer.getPeriod();
};

describe('setPeriodFromClock (Example H)', () => {
  it.each([
    [25_000_000, 1, 40n, 0n],
    [25_000_000, 256, 10_240n, 0n],
    [3_000_000, 1, 333n, 0x5555_5555n],
  ])('%i Hz ÷ %i: period %i ns + %i / 2^32', (hz, divisor, ns, frac32) => {
    expect(periodAfter(hz, divisor)).toEqual({ ns, frac32 });
  });

  it('the divider scales the fraction in 64.32 fixed point (3 MHz ÷ 3 is exactly 1000 ns less one unit)', () => {
    // raw = 0x14D_5555_5555; × 3 = 0x3E7_FFFF_FFFF: 999 ns + 0xFFFFFFFF / 2^32 (the clock's own rounding, kept)
    expect(periodOfClock(3_000_000n, 3n)).toEqual({ ns: 999n, frac: 0xffff_ffffn });
  });

  it('a timer on a 25 MHz clock ÷ 16 expires after limit × 640 ns', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const timer = new PTimer(clock, { onTrigger: ({ time }) => fired.push(time) });
    timer.transaction((t) => {
      t.setPeriodFromClock(25_000_000, 16);
      t.setLimit(100, true);
      t.run(true);
    });
    clock.advanceTo(64_000);
    expect(fired).toEqual([64_000]);
  });

  it('a stopped clock (0 Hz) gives a zero period: a running timer stops at commit, latching its count', () => {
    const clock = new VirtualClock();
    const diagnostics: PTimerDiagnostic[] = [];
    const timer = new PTimer(clock);
    timer.diagnostics$.subscribe((d) => diagnostics.push(d));
    timer.transaction((t) => {
      t.setPeriodFromClock(1_000_000); // 1000 ns
      t.setLimit(10, true);
      t.run(false);
    });
    clock.advanceTo(3_000);
    timer.transaction((t) => t.setPeriodFromClock(0));
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(7n);
    expect(diagnostics.map((d) => d.kind)).toEqual(['period-zero']);
  });

  it.each([
    ['a negative frequency', () => -1, () => 1, 'setPeriodFromClock(hz)'],
    ['a divisor of 0', () => 1_000, () => 0, 'setPeriodFromClock(divisor)'],
    ['a fractional divisor', () => 1_000, () => 1.5, 'setPeriodFromClock(divisor)'],
  ])('rejects %s with PTimerRangeError naming the argument', (_name, hz, divisor, what) => {
    const timer = new PTimer(new VirtualClock());
    const e = thrown(() => timer.transaction((t) => t.setPeriodFromClock(hz(), divisor())));
    expect(e).toBeInstanceOf(PTimerRangeError);
    expect((e as Error).message).toContain(what);
    expect(timer.getPeriod()).toEqual({ ns: 0n, frac32: 0n });
  });

  it('needs a transaction like every setter', () => {
    const timer = new PTimer(new VirtualClock());
    expect(() => timer.setPeriodFromClock(1_000)).toThrow(PTimerTransactionError);
  });
});
