// PTimer.getCountNumber(): the count as a number, read without BigInt work in
// the common case. It must always equal Number(getCount()): checked on random
// timers (policies, whole and fractional periods, frequencies, exact timing,
// the rate clamp, limits up to 2^64 - 1), at random instants, inside open
// transactions after a period change, and in the trigger callback.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimer, RunawayError, VirtualClock, policyCombinations } from '../../index';
import { quotient } from '../../src/ptimer/arith';
import { fracQuotient } from '../../src/ptimer/countNumber';

const u32 = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(0, 1, 2, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1));

describe('fracQuotient (QEMU quotient with a 32-bit fraction, in numbers)', () => {
  it('equals the BigInt quotient for remaining times and periods below 2^32', () => {
    fc.assert(
      fc.property(u32, u32.filter((p) => p > 0), u32.filter((f) => f > 0), (r, p, f) => {
        expect(fracQuotient(r, p, f)).toBe(Number(quotient(BigInt(r), BigInt(p), BigInt(f))));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is exact at the edges of its range', () => {
    const max = 2 ** 32 - 1;
    for (const [r, p, f] of [
      [max, 1, max],
      [max, 1, 1],
      [max, max, max],
      [1, 1, max],
      [0, 1, 1],
      [max, 41, 2863311531], // 24 MHz
    ] as const) {
      expect(fracQuotient(r, p, f)).toBe(Number(quotient(BigInt(r), BigInt(p), BigInt(f))));
    }
  });
});

type Period = { readonly kind: 'ns'; readonly ns: number } | { readonly kind: 'frac'; readonly ns: number; readonly frac: number } | { readonly kind: 'freq'; readonly hz: number };

const period: fc.Arbitrary<Period> = fc.oneof(
  fc.record({ kind: fc.constant('ns' as const), ns: fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom(2 ** 32, 2 ** 40)) }),
  fc.record({ kind: fc.constant('frac' as const), ns: fc.integer({ min: 0, max: 3_000 }), frac: fc.integer({ min: 1, max: 2 ** 32 - 1 }) }),
  fc.record({ kind: fc.constant('freq' as const), hz: fc.oneof(fc.integer({ min: 1, max: 3_000_000_000 }), fc.constantFrom(24_000_000, 19_200_000, 32_768, 66_000_000, 1_000_000)) }),
);
const limit = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.constantFrom(2n ** 53n, 2n ** 64n - 1n, 2n ** 53n + 1n),
);

/** How far a step goes: a few ns, or to a point of the way to the next deadline (at most a few expiries per step). */
type Step = { readonly kind: 'ns'; readonly ns: number } | { readonly kind: 'toward'; readonly part: number; readonly offset: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('ns' as const), ns: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('toward' as const), part: fc.double({ min: 0, max: 1, noNaN: true }), offset: fc.integer({ min: -2, max: 2 }) }),
);
const target = (clock: VirtualClock, s: Step): number => {
  const now = clock.now();
  if (s.kind === 'ns') return now + s.ns;
  const next = clock.nextDeadline();
  if (next === undefined || next - now > 2 ** 45) return now + 1_000;
  return Math.max(now, Math.floor(now + (next - now) * s.part) + s.offset);
};

const setPeriod = (t: PTimer, p: Period): void => {
  if (p.kind === 'ns') t.setPeriod(p.ns);
  else if (p.kind === 'frac') t.setPeriodFrac(p.ns, p.frac);
  else t.setFreq(p.hz);
};

describe('PTimer.getCountNumber', () => {
  it('equals Number(getCount()) at every read, in transactions and callbacks', () => {
    const policies = policyCombinations();
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.constantFrom('qemu' as const, 'exact' as const),
        fc.boolean(),
        period,
        period,
        limit,
        fc.option(limit, { nil: undefined }),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (policy, timing, clamp, p1, p2, lim, count, oneshot, steps) => {
          // A tiny period with a small limit expires many times per ns: such a case stops at the clock's
          // runaway guard (kept low so that it stops soon), having checked every read up to there.
          const clock = new VirtualClock({ start: 7, maxEventsPerInstant: 2_000, maxEventsPerRun: 20_000 });
          const timer: PTimer = new PTimer(clock, {
            policy,
            timing,
            rateClamp: clamp && timing === 'qemu',
            onTrigger: () => {
              expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
            },
          });
          timer.transaction((t) => {
            setPeriod(t, p1);
            t.setLimit(lim, true);
            if (count !== undefined) t.setCount(count);
            t.run(oneshot);
          });
          expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
          for (const [i, step] of steps.entries()) {
            try {
              clock.advanceTo(target(clock, step));
            } catch (error) {
              if (error instanceof RunawayError) return;
              throw error;
            }
            expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
            if (i === 3) {
              // A period change pending in an open transaction: reads keep the running countdown's rate.
              timer.begin();
              setPeriod(timer, p2);
              expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
              timer.commit();
              expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
            }
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('reads a 24 MHz countdown exactly, including W rest and D rounding', () => {
    for (const policy of policyCombinations()) {
      const clock = new VirtualClock();
      const timer = new PTimer(clock, { policy });
      timer.transaction((t) => {
        t.setFreq(24_000_000);
        t.setLimit(1_000, true);
        t.run(false);
      });
      const seen = new Set<number>();
      for (let i = 0; i < 45_000; i += 13) {
        clock.advanceTo(i);
        const n = timer.getCountNumber();
        expect(n).toBe(Number(timer.getCount()));
        seen.add(n);
      }
      // The countdown went through its whole range: the reads were not stuck on one path.
      expect(seen.size).toBeGreaterThan(500);
    }
  });
});

describe('PTimer.getCountNumber in exact timing, where the time left in 1/den ns nears 2^53', () => {
  it('equals Number(getCount()) on both sides of the range read in numbers', () => {
    // 999 999 937 Hz (a prime): the period is 10^9/999 999 937 ns, so den is about 2^30, and a countdown of
    // about 2^23 periods holds about 2^53 units of 1/den ns.
    for (const limit of [2 ** 21, 2 ** 22 - 3, 2 ** 22, 2 ** 22 + 5, 2 ** 23, 2 ** 24]) {
      for (const policy of [[], ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']] as const) {
        const clock = new VirtualClock();
        const timer = new PTimer(clock, { policy, timing: 'exact' });
        timer.transaction((t) => {
          t.setFreq(999_999_937);
          t.setLimit(limit, true);
          t.run(false);
        });
        for (const step of [0, 1, 3, 1_000, 2 ** 20, 2 ** 21 + 7]) {
          clock.advanceBy(step);
          expect(timer.getCountNumber()).toBe(Number(timer.getCount()));
        }
      }
    }
  });
});
