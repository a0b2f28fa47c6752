import { describe, expect, it } from 'vitest';
import { CounterRate, PTimer, PTimerRangeError, VirtualClock } from '../../../index';

/** A periodic timer counting 10 from 0 on a 1 MHz clock (1 µs per tick), and its rate. */
const rig = () => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { name: 't', policy: ['NO_IMMEDIATE_TRIGGER'] });
  const rate = new CounterRate();
  timer.transaction((t) => {
    rate.apply(t, 1_000_000);
    t.setLimit(10, true);
    t.run(false);
  });
  return { clock, timer, rate };
};

describe('CounterRate', () => {
  it('sets the period from the clock and divisor as set_period_from_clock (QEMU timing)', () => {
    const { timer, rate } = rig();
    expect(timer.getPeriod()).toEqual({ ns: 1_000n, frac32: 0n });
    timer.transaction((t) => rate.apply(t, 3_000_000, 3));
    expect(timer.getPeriod()).toEqual({ ns: 999n, frac32: 0xffff_ffffn }); // ⌊10^9·2^32/3e6⌋ · 3
    expect([rate.hz, rate.divisor, rate.running]).toEqual([3_000_000, 3, true]);
  });

  it('applying the rate the counter already has is a no-op: the partial cycle is kept', () => {
    const { clock, timer, rate } = rig();
    clock.advanceTo(2_500); // mid-cycle: 7.5 ticks left, the count reads 7
    timer.transaction((t) => rate.apply(t, 1_000_000));
    expect(timer.deadline).toBe(10_000n);
    // A real change latches the count and starts a fresh cycle at the new rate.
    timer.transaction((t) => rate.apply(t, 2_000_000));
    expect(timer.deadline).toBe(2_500n + 7n * 500n); // latched 7 (rounded down), 500 ns per tick
  });

  it('0 Hz: not running, the period is kept; the device stops the timer, which freezes the count; a new rate resumes from it', () => {
    const { clock, timer, rate } = rig();
    clock.advanceTo(3_000);
    timer.transaction((t) => {
      if (!rate.apply(t, 0)) t.stop();
    });
    expect(rate.running).toBe(false);
    expect(timer.getPeriod().ns).toBe(1_000n);
    const frozen = timer.getCount();
    clock.advanceTo(50_000);
    expect(timer.getCount()).toBe(frozen);
    timer.transaction((t) => {
      if (rate.apply(t, 1_000_000)) t.run(false);
    });
    expect(timer.deadline).toBe(50_000n + frozen * 1_000n);
  });

  it('adopt() records a rate without touching the timer (after a restore)', () => {
    const { timer, rate } = rig();
    const fresh = new CounterRate();
    fresh.adopt(1_000_000);
    const deadline = timer.deadline;
    timer.transaction((t) => fresh.apply(t, 1_000_000));
    expect(timer.deadline).toBe(deadline);
    expect(rate.running).toBe(true);
  });

  it('exact timing: the period is exactly divisor·10^9/hz ns', () => {
    const timer = new PTimer(new VirtualClock(), { timing: 'exact' });
    const rate = new CounterRate();
    timer.transaction((t) => rate.apply(t, 3_000_000, 3));
    expect(timer.getPeriodRatio()).toEqual({ numerator: 1_000n, denominator: 1n }); // 3·10^9/3·10^6
    timer.transaction((t) => rate.apply(t, 24_000_000, 128));
    expect(timer.getPeriodRatio()).toEqual({ numerator: 16_000n, denominator: 3n }); // 128·10^9/24·10^6 = 5 333⅓ ns
  });

  it('"the rate it already has" is judged on the timer: a period that came from a snapshot is left alone, another one is set', () => {
    const { clock, timer } = rig();
    clock.advanceTo(2_500);
    const copy = new PTimer(clock, { name: 't', policy: ['NO_IMMEDIATE_TRIGGER'] });
    copy.restoreState(timer.snapshot());
    const rate = new CounterRate(); // knows nothing of the restored timer's rate
    copy.transaction((t) => rate.apply(t, 1_000_000));
    expect(copy.deadline).toBe(10_000n); // kept: no latch, no lost partial cycle
    copy.transaction((t) => rate.apply(t, 1_000_000, 2));
    expect(copy.deadline).toBe(2_500n + 7n * 2_000n); // a new rate: latched 7, 2 µs per tick
  });

  it('CounterRate.applyTo: the same rule without a CounterRate (no-op at the rate the timer has, 0 Hz keeps the period)', () => {
    const { clock, timer } = rig();
    clock.advanceTo(2_500); // mid-cycle: 7.5 ticks left
    const running: boolean[] = [];
    timer.transaction((t) => void running.push(CounterRate.applyTo(t, 1_000_000)));
    expect(timer.deadline).toBe(10_000n); // kept: no latch, no lost partial cycle
    timer.transaction((t) => void running.push(CounterRate.applyTo(t, 0, 4)));
    expect(running).toEqual([true, false]);
    expect(timer.getPeriod().ns).toBe(1_000n);
    timer.transaction((t) => CounterRate.applyTo(t, 1_000_000, 2));
    expect(timer.deadline).toBe(2_500n + 7n * 2_000n); // a new rate: latched 7, 2 µs per tick
  });

  it('a rate that is not a whole number of Hz is refused by the timer with its typed error (apply and applyTo)', () => {
    const { timer, rate } = rig();
    expect(() => timer.transaction((t) => CounterRate.applyTo(t, 1.5))).toThrow(PTimerRangeError);
    expect(() => timer.transaction((t) => rate.apply(t, 1_000_000, 0.5))).toThrow(PTimerRangeError);
    expect([rate.hz, rate.divisor]).toEqual([1_000_000, 1]); // the refused rate is not recorded
  });
});
