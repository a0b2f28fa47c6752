import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimer, VirtualClock, type PTimerPolicy } from '../../index';
import { ExactReference, floorQ, q, type Q } from './reference/ExactReference';

// Exact timing against exact rational arithmetic (./reference/ExactReference):
// random clocks from 1 Hz to 10 GHz, prescaler divisors, limits, counts,
// period changes, stops and restarts. Every expiry instant (with its
// multiplicity: a trigger may stand for several expiries within one ns) and
// every read must agree, with no tolerance.

const SEQUENCES = 10_000;

type Op =
  | { readonly kind: 'advance'; readonly periods: number; readonly extraNs: number }
  | { readonly kind: 'deadline'; readonly rounds: number; readonly offsetNs: number }
  | { readonly kind: 'clock'; readonly hz: number; readonly divisor: number }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'limit'; readonly limit: number }
  | { readonly kind: 'stop' }
  | { readonly kind: 'run'; readonly oneshot: boolean };

const hz = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000_000 }),
  fc.constantFrom(24_000_000, 19_200_000, 66_000_000, 32_768, 3_000_000_000, 10_000_000_000, 1, 3, 7),
);
const divisor = fc.oneof(fc.integer({ min: 1, max: 256 }), fc.constantFrom(1, 2, 3, 16, 128));
const limit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 2 ** 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 32 }) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), periods: fc.double({ min: 0, max: 6, noNaN: true }), extraNs: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deadline' as const), rounds: fc.integer({ min: 0, max: 40 }), offsetNs: fc.integer({ min: -2, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), hz, divisor }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('count' as const), count: fc.integer({ min: 0, max: 2 ** 32 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), limit }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('run' as const), oneshot: fc.boolean() }) },
);
const policy = fc.constantFrom<readonly PTimerPolicy[]>(
  [],
  ['WRAP_AFTER_ONE_PERIOD'],
  ['NO_COUNTER_ROUND_DOWN'],
  ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'],
);

/** Keeps a run's expiries few and its times within the clock's safe range. */
const MAX_EXPIRIES_PER_STEP = 64;
const MAX_STEP_NS = 2 ** 40;

const periodOf = (clockHz: number, div: number): Q => q(1_000_000_000n * BigInt(div), BigInt(clockHz));

/** Expiries per instant, from a list with repeats. */
const tally = (instants: readonly bigint[]): Map<bigint, number> => {
  const m = new Map<bigint, number>();
  for (const t of instants) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
};

/** What a sequence exercised: expiries, and triggers that stood for several (sub-ns periods). */
interface Seen {
  expiries: number;
  folded: number;
}

const play = (p: readonly PTimerPolicy[], start: { hz: number; divisor: number; limit: number; oneshot: boolean }, ops: readonly Op[], seen: Seen): void => {
  const clock = new VirtualClock({ start: 1_000 });
  const expiries: bigint[] = [];
  const commits: bigint[] = [];
  const timer = new PTimer(clock, {
    policy: p,
    timing: 'exact',
    onTrigger: ({ time, cause, expiries: n }) => {
      if (cause === 'commit') commits.push(BigInt(time));
      else for (let i = 0; i < n; i++) expiries.push(BigInt(time));
      if (n > 1) seen.folded++;
    },
  });
  const ref = new ExactReference({ wrap: p.includes('WRAP_AFTER_ONE_PERIOD'), roundUp: p.includes('NO_COUNTER_ROUND_DOWN') });
  const now = (): bigint => BigInt(clock.now());
  timer.transaction((t) => {
    t.setPeriodFromClock(start.hz, start.divisor);
    t.setLimit(start.limit, true);
    t.run(start.oneshot);
  });
  ref.setPeriod(now(), periodOf(start.hz, start.divisor));
  ref.setLimit(now(), BigInt(start.limit));
  ref.run(now(), start.oneshot);
  const check = (step: string): void => {
    expect(timer.getCount(), `read after ${step} at ${clock.now()}`).toBe(ref.read(now()));
  };
  check('start');
  for (const o of ops) {
    switch (o.kind) {
      case 'advance': {
        // A span of the current period, bounded so the reference's per-expiry loop stays short.
        const span = ref.period.n === 0n ? 1 : Number(ref.period.n * BigInt(Math.max(1, Number(ref.limit)))) / Number(ref.period.d);
        const cap = Math.min(MAX_STEP_NS, (Number(ref.period.n) / Number(ref.period.d)) * MAX_EXPIRIES_PER_STEP);
        const dt = Math.floor(Math.min(o.periods * span, cap)) + o.extraNs;
        clock.advanceBy(dt);
        ref.advanceTo(now());
        break;
      }
      case 'deadline': {
        // Onto (or next to) the k-th expiry from now: where counts turn over.
        if (ref.mode === 'stopped') break;
        const round = Number(ref.period.n * (ref.limit + (p.includes('WRAP_AFTER_ONE_PERIOD') ? 1n : 0n))) / Number(ref.period.d);
        const rounds = Math.min(o.rounds, Math.floor(MAX_EXPIRIES_PER_STEP * Math.max(1, 1 / round)));
        const target = Number(floorQ(ref.deadline())) + Math.floor(rounds * round) + o.offsetNs;
        if (target < clock.now() || target - clock.now() > MAX_STEP_NS) break;
        clock.advanceTo(target);
        ref.advanceTo(now());
        break;
      }
      case 'clock':
        timer.transaction((t) => t.setPeriodFromClock(o.hz, o.divisor));
        ref.setPeriod(now(), periodOf(o.hz, o.divisor));
        break;
      case 'count':
        timer.transaction((t) => t.setCount(o.count));
        ref.setCount(now(), BigInt(o.count));
        break;
      case 'limit':
        timer.transaction((t) => t.setLimit(o.limit, true));
        ref.setLimit(now(), BigInt(o.limit));
        break;
      case 'stop':
        timer.transaction((t) => t.stop());
        ref.stop(now());
        break;
      case 'run':
        timer.transaction((t) => t.run(o.oneshot));
        ref.run(now(), o.oneshot);
        break;
    }
    check(o.kind);
  }
  expect(tally(expiries)).toEqual(tally(ref.expiries));
  expect(commits).toEqual(ref.commits);
  seen.expiries += expiries.length;
};

describe('exact timing against exact rational arithmetic', () => {
  it(`agrees on every expiry instant and every read over ${SEQUENCES} random sequences`, () => {
    let sequences = 0;
    const seen: Seen = { expiries: 0, folded: 0 };
    fc.assert(
      fc.property(
        policy,
        fc.record({ hz, divisor, limit, oneshot: fc.boolean() }),
        fc.array(op, { minLength: 1, maxLength: 14 }),
        (p, start, ops) => {
          sequences++;
          play(p, start, ops, seen);
        },
      ),
      { numRuns: SEQUENCES, seed: 20261205 },
    );
    expect(sequences).toBe(SEQUENCES);
    // The sequences really expire, often, and sub-ns periods really fold expiries.
    expect(seen.expiries).toBeGreaterThan(10 * SEQUENCES);
    expect(seen.folded).toBeGreaterThan(100);
    console.info(`exact property: ${sequences} sequences, ${seen.expiries} expiries, ${seen.folded} folded triggers`);
  });
});
