import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimer, PTimerSnapshotError, VirtualClock, policyCombinations, type PTimerPolicy, type PTimerSnapshot } from '../../index';

// Every field of real timer snapshots, mutated: each mutant is either refused
// with a PTimerSnapshotError naming a field path, changing nothing, or
// accepted as a consistent state: the restored timer's own snapshot equals
// the mutant, and it runs on without a TypeError, one trigger per expiry
// action (G1, G5).

const MUTANTS = 3_000;

interface Source {
  readonly timing: 'qemu' | 'exact';
  readonly policy: readonly PTimerPolicy[];
  readonly hz: number;
  readonly limit: number;
  readonly oneshot: boolean;
  readonly at: number;
  readonly stopped: boolean;
}

const POLICIES = policyCombinations();

/** A timer driven into a real state, and its snapshot. */
const realSnapshot = (src: Source): PTimerSnapshot => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { timing: src.timing, policy: src.policy });
  timer.transaction((t) => {
    t.setPeriodFromClock(src.hz);
    t.setLimit(src.limit, true);
    t.run(src.oneshot);
  });
  clock.advanceTo(src.at);
  if (src.stopped) timer.transaction((t) => t.stop());
  return timer.snapshot();
};

const source: fc.Arbitrary<Source> = fc.record({
  timing: fc.constantFrom('qemu' as const, 'exact' as const),
  policy: fc.constantFrom(...POLICIES),
  hz: fc.constantFrom(1_000_000, 24_000_000, 32_768, 19_200_000, 3_000_000_000),
  limit: fc.integer({ min: 0, max: 50 }),
  oneshot: fc.boolean(),
  at: fc.integer({ min: 0, max: 5_000 }),
  stopped: fc.boolean(),
}).map((s) => (s.timing === 'qemu' && s.hz > 1e9 ? { ...s, hz: 24_000_000 } : s)); // QEMU timing cannot run sub-ns cycles

const otherValue = fc.oneof(
  fc.integer({ min: -5, max: 20_000 }),
  fc.constantFrom(-1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, 2 ** 64),
  fc.constantFrom('0', '1', '-1', '007', '1e3', '', 'x', '18446744073709551616', '340282366920938463463374607431768211456'),
  fc.integer({ min: 0, max: 20_000 }).map(String),
  fc.boolean(),
  fc.constantFrom(null, undefined, [], {}, ['WRAP_AFTER_ONE_PERIOD'], 'qemu', 'exact', 'periodic', 'oneshot', 'stopped'),
);

type Mutation = (snap: Record<string, unknown>) => { readonly mutant: Record<string, unknown>; readonly field: string };

const mutation = (keys: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    // A field set to another value (of any type).
    fc.tuple(fc.constantFrom(...keys), otherValue).map(([key, value]): Mutation => (s) => ({ mutant: { ...s, [key]: value }, field: key })),
    // A numeric field nudged by a little (the near misses consistency must catch).
    fc.tuple(fc.constantFrom(...keys), fc.integer({ min: -3, max: 3 })).map(([key, d]): Mutation => (s) => {
      const v = s[key];
      const next = typeof v === 'number' ? v + d : typeof v === 'string' && /^\d+$/.test(v) ? String(BigInt(v) + BigInt(d) < 0n ? 0n : BigInt(v) + BigInt(d)) : v;
      return { mutant: { ...s, [key]: next }, field: key };
    }),
    // A field removed.
    fc.constantFrom(...keys).map((key): Mutation => (s) => {
      const { [key]: _gone, ...rest } = s;
      return { mutant: rest, field: key };
    }),
    // An extra field, or a prototype key.
    fc.constantFrom('extra', '__proto__', 'constructor').map((key): Mutation => (s) => {
      const mutant = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      Object.defineProperty(mutant, key, { value: 1, enumerable: true, configurable: true, writable: true });
      return { mutant, field: key };
    }),
    // The policy list changed.
    fc.constantFrom(...POLICIES).map((policy): Mutation => (s) => ({ mutant: { ...s, policy: [...policy] }, field: 'policy' })),
  );

const KEYS_QEMU = ['version', 'timing', 'time', 'policy', 'rateClamp', 'mode', 'limit', 'delta', 'period', 'periodFrac', 'lastEvent', 'nextEvent', 'restPeriod'];
const KEYS_EXACT = ['version', 'timing', 'time', 'policy', 'rateClamp', 'mode', 'limit', 'delta', 'periodNum', 'periodDen', 'lastPhase', 'nextPhase', 'lastEvent', 'nextEvent', 'restPeriod'];

describe('timer snapshots under mutation', () => {
  it(`refuse each of ${MUTANTS} mutants naming its path, or restore it as a consistent state`, () => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(source, fc.oneof(mutation(KEYS_QEMU), mutation(KEYS_EXACT)), (src, mutate) => {
        const snap = realSnapshot(src) as unknown as Record<string, unknown>;
        const { mutant, field } = mutate(snap);
        const time = typeof mutant.time === 'number' && Number.isSafeInteger(mutant.time) && mutant.time >= 0 ? mutant.time : snap.time as number;
        const clock = new VirtualClock({ start: time });
        // restoreState into an existing timer of the source's configuration: a refusal must leave it as it was.
        const timer = new PTimer(clock, { timing: src.timing, policy: src.policy });
        const before = timer.snapshot();
        let triggers = 0;
        let error: unknown;
        try {
          timer.restoreState(mutant);
        } catch (e) {
          error = e;
        }
        if (error !== undefined) {
          refused++;
          expect(error, String(error)).toBeInstanceOf(PTimerSnapshotError);
          expect((error as PTimerSnapshotError).field).toMatch(/^[A-Za-z_]/);
          expect(timer.snapshot()).toEqual(before);
          return;
        }
        accepted++;
        expect(timer.snapshot()).toEqual(JSON.parse(JSON.stringify(mutant)));
        const sub = timer.triggers$.subscribe(() => triggers++);
        const executed = clock.executedCount;
        clock.advanceBy(20_000);
        sub.unsubscribe();
        // G1/G5: at most one trigger per expiry action here (no commits happen while it runs on).
        expect(triggers).toBeLessThanOrEqual(clock.executedCount - executed);
        void field;
      }),
      { numRuns: MUTANTS, seed: 14 },
    );
    expect(refused).toBeGreaterThan(MUTANTS / 2);
    expect(accepted).toBeGreaterThan(50);
    console.info(`timer snapshot fuzz: ${refused} refused, ${accepted} accepted`);
  });
});
