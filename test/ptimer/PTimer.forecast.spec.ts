// PTimer.forecast(): the count getCount() will read, and the instants it
// changes, computed from the state without running the clock. Checked
// against the plainest possible reference: advance the clock one ns at a
// time and read getCount() (nothing touches the timer in between, so the
// forecast must hold up to its `until`, the next expiry).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimer, PTimerRangeError, VirtualClock, policyCombinations, policyName, type PTimerPolicy } from '../../index';

type Timing = 'qemu' | 'exact';

interface Setup {
  readonly policy: readonly PTimerPolicy[];
  readonly timing: Timing;
  /** Period: ns (and a 2^-32 fraction in QEMU timing) or a clock ratio in exact timing. */
  readonly periodNs: number;
  readonly frac32: number;
  readonly den: number;
  readonly limit: number;
  readonly count: number | undefined;
  readonly oneshot: boolean;
  readonly rateClamp: boolean;
  /** When the forecast is taken, after the start (ns). */
  readonly at: number;
  /** A write just before the forecast: a new count, or a new limit with reload. */
  readonly write: { readonly count: number } | { readonly limit: number } | undefined;
}

const start = (s: Setup): { clock: VirtualClock; timer: PTimer } => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { policy: s.policy, timing: s.timing, rateClamp: s.rateClamp && s.timing === 'qemu' });
  timer.transaction((t) => {
    if (s.timing === 'exact') t.setPeriodRatio(s.periodNs * s.den + s.frac32 % s.den, s.den);
    else t.setPeriodFrac(s.periodNs, s.frac32);
    t.setLimit(s.limit, true);
    if (s.count !== undefined) t.setCount(s.count);
    t.run(s.oneshot);
  });
  return { clock, timer };
};

/** getCount() at every ns from `from` to `to` (inclusive), and the instants it changed. */
const scan = (clock: VirtualClock, timer: PTimer, from: number, to: number): { values: bigint[]; changes: number[] } => {
  const values: bigint[] = [];
  const changes: number[] = [];
  for (let t = from; t <= to; t++) {
    clock.advanceTo(t);
    const v = timer.getCount();
    if (values.length > 0 && v !== values.at(-1)) changes.push(t);
    values.push(v);
  }
  return { values, changes };
};

/** The forecast's view of the same span: valueAt at every ns, and the chain of nextChange. */
const predicted = (f: ReturnType<PTimer['forecast']>, from: number, to: number): { values: bigint[]; changes: number[] } => {
  const values: bigint[] = [];
  for (let t = from; t <= to; t++) values.push(f.valueAt(t));
  const changes: number[] = [];
  for (let t = f.nextChange(from); t !== undefined && t <= to; t = f.nextChange(t)) changes.push(t);
  return { values, changes };
};

const setup: fc.Arbitrary<Setup> = fc.record({
  policy: fc.constantFrom(...policyCombinations()),
  timing: fc.constantFrom<Timing>('qemu', 'exact'),
  periodNs: fc.integer({ min: 1, max: 9 }),
  frac32: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
  den: fc.integer({ min: 1, max: 7 }),
  limit: fc.integer({ min: 1, max: 12 }),
  count: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  oneshot: fc.boolean(),
  rateClamp: fc.boolean(),
  at: fc.integer({ min: 0, max: 150 }),
  write: fc.option(fc.oneof(fc.record({ count: fc.integer({ min: 0, max: 12 }) }), fc.record({ limit: fc.integer({ min: 1, max: 12 }) })), { nil: undefined }),
});

describe('PTimer.forecast()', () => {
  it('equals getCount() at every ns up to the next expiry, and nextChange lists exactly the instants it changes (random timers, every policy, both timings)', () => {
    fc.assert(
      fc.property(setup, (s) => {
        const { clock, timer } = start(s);
        clock.advanceTo(s.at);
        const { write } = s;
        if (write !== undefined) timer.transaction((t) => ('count' in write ? t.setCount(write.count) : t.setLimit(write.limit, true)));
        const f = timer.forecast();
        const now = clock.now();
        // Up to the expiry (the clock runs it at `until`), or a bounded span for a stopped timer.
        const end = Number.isFinite(f.until) ? Math.min(f.until - 1, now + 400) : now + 400;
        if (end < now) return;
        const truth = scan(clock, timer, now, end);
        expect(predicted(f, now, end)).toEqual(truth);
      }),
      { numRuns: 1_500 },
    );
  });

  it('until is the next expiry; at it, valueAt gives the count before the expiry runs', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { policy: [] });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    const f = timer.forecast();
    expect(f.until).toBe(10_000);
    expect(timer.deadline).toBe(10_000n);
    expect(f.valueAt(2_500)).toBe(7n);
    expect(f.nextChange(2_500)).toBe(3_001);
    expect(f.valueAt(10_000)).toBe(0n);
    expect(f.nextChange(9_999)).toBeUndefined();
    expect(f.nextChange(10_000)).toBeUndefined();
  });

  it('is the same object while the state is unchanged, and a new one after a change or a reload', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { policy: ['NO_COUNTER_ROUND_DOWN'] });
    timer.transaction((t) => {
      t.setPeriod(10);
      t.setLimit(5, true);
      t.run(false);
    });
    const first = timer.forecast();
    clock.advanceTo(20);
    expect(timer.forecast()).toBe(first); // time passing is not a change of state
    clock.advanceTo(50); // the expiry's reload re-anchors the countdown
    const second = timer.forecast();
    expect(second).not.toBe(first);
    expect(second.until).toBe(100);
    timer.transaction((t) => t.setCount(3));
    expect(timer.forecast()).not.toBe(second);
    // The old forecasts still describe the states they were made from.
    expect(first.valueAt(30)).toBe(3n);
    expect(second.valueAt(60)).toBe(5n);
  });

  it('inside the expiry callback: agrees with what getCount() reads there, and a new one follows the reload', () => {
    const clock = new VirtualClock();
    let inside: { count: bigint; forecast: ReturnType<PTimer['forecast']> } | undefined;
    const timer: PTimer = new PTimer(clock, {
      policy: ['WRAP_AFTER_ONE_PERIOD'],
      onTrigger: () => {
        inside = { count: timer.getCount(), forecast: timer.forecast() };
      },
    });
    timer.transaction((t) => {
      t.setPeriod(10);
      t.setLimit(4, true);
      t.run(false);
    });
    const deadline = Number(timer.deadline);
    clock.advanceTo(deadline);
    expect(inside!.forecast.valueAt(deadline)).toBe(inside!.count);
    const after = timer.forecast();
    expect(after.valueAt(deadline)).toBe(timer.getCount());
    expect(after.until).toBeGreaterThan(deadline);
  });

  it('of a stopped timer holds its count forever', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock);
    timer.transaction((t) => t.setCount(42));
    const f = timer.forecast();
    expect(f.until).toBe(Infinity);
    expect(f.valueAt(1e15)).toBe(42n);
    expect(f.nextChange(0)).toBeUndefined();
  });

  it('follows the exact grid: a 24 MHz count changes at ⌈k·41⅔⌉ ns, never drifting', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { timing: 'exact', policy: ['NO_COUNTER_ROUND_DOWN'] });
    timer.transaction((t) => {
      t.setPeriodFromClock(24_000_000);
      t.setLimit(1_000_000, true);
      t.run(true);
    });
    const f = timer.forecast();
    const changes: number[] = [];
    for (let t = f.nextChange(0); t !== undefined && changes.length < 6; t = f.nextChange(t)) changes.push(t);
    // The count drops one ns after each exact tick k·125/3 (the read rounds down the periods left).
    expect(changes).toEqual([42, 84, 126, 167, 209, 251]);
    // The millionth tick is at 41 666 666⅔ ns: the expiry runs at its whole ns.
    expect(f.until).toBe(41_666_666);
    expect(f.valueAt(41_666_665)).toBe(1n);
  });

  it('refuses an instant before it was made or after its expiry, naming the rule', () => {
    const clock = new VirtualClock({ start: 100 });
    const timer = new PTimer(clock, { name: 'tick' });
    timer.transaction((t) => {
      t.setPeriod(10);
      t.setLimit(5, true);
      t.run(true);
    });
    const f = timer.forecast();
    expect(() => f.valueAt(99)).toThrow(PTimerRangeError);
    expect(() => f.valueAt(99)).toThrow("forecast.valueAt(time): 99 is invalid: must be a whole ns from 100 (when the forecast of 'tick' was made) on");
    expect(() => f.valueAt(151)).toThrow("forecast.valueAt(time): 151 is invalid: must not be after 150 ns, where the expiry of 'tick' changes the count");
    expect(() => f.nextChange(1.5)).toThrow(PTimerRangeError);
  });
});

describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('PTimer.forecast() policy=%s', (name, policy) => {
  it.each(['qemu', 'exact'] as const)('in %s timing, across a whole periodic round and the next one', (timing) => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { policy, timing });
    timer.transaction((t) => {
      t.setPeriod(3);
      t.setLimit(4, true);
      t.run(false);
    });
    for (let round = 0; round < 2; round++) {
      const f = timer.forecast();
      const now = clock.now();
      expect(f.until, name).toBe(Number(timer.deadline));
      expect(f.until).toBeGreaterThan(now);
      expect(predicted(f, now, f.until - 1)).toEqual(scan(clock, timer, now, f.until - 1));
      clock.advanceTo(f.until);
    }
  });
});
