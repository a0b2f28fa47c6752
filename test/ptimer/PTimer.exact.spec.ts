import { describe, expect, it } from 'vitest';
import { PTimer, PTimerRangeError, PTimerSnapshotError, RunawayError, VirtualClock, type PTimerTrigger } from '../../index';
import { thrown } from '../support/errors';

// Exact timing (`timing: 'exact'`): the rules the property test
// (PTimer.exact.property.spec.ts) checks at random, pinned on cases a reader
// can follow by hand.

const exactTimer = (clock: VirtualClock, onTrigger?: (t: PTimerTrigger) => void, policy: PTimer['policy'] = []): PTimer =>
  new PTimer(clock, { timing: 'exact', policy, ...(onTrigger === undefined ? {} : { onTrigger }) });

describe('a 24 MHz timer (41⅔ ns a cycle)', () => {
  it('expires at ⌊k·125/3⌋ ns in exact timing, where QEMU timing drifts 1 ns early per period', () => {
    const run = (timing: 'qemu' | 'exact'): number[] => {
      const clock = new VirtualClock();
      const times: number[] = [];
      const timer = new PTimer(clock, { timing, onTrigger: ({ time }) => times.push(time) });
      timer.transaction((t) => {
        t.setPeriodFromClock(24_000_000);
        t.setLimit(1, true);
        t.run(false);
      });
      clock.advanceTo(500);
      return times;
    };
    const exact = Array.from({ length: 12 }, (_, i) => Math.floor(((i + 1) * 125) / 3));
    expect(run('exact')).toEqual(exact); // 41, 83, 125, 166, 208, 250, ...
    // QEMU floors each 41.66 ns round to 41 ns: the k-th expiry is k·41.
    expect(run('qemu')).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 41));
  });

  it('reads the loaded count at the load instant (QEMU timing reads one less)', () => {
    const read = (timing: 'qemu' | 'exact'): bigint => {
      const clock = new VirtualClock();
      const timer = new PTimer(clock, { timing });
      timer.transaction((t) => {
        t.setPeriodFromClock(24_000_000);
        t.setLimit(100, true);
        t.run(false);
      });
      // One full round later, at the reload instant (the count reloads to 100).
      clock.advanceTo(Math.floor((100 * 125) / 3));
      return timer.getCount();
    };
    expect(read('exact')).toBe(100n);
    expect(read('qemu')).toBe(99n);
  });

  it('a clock change keeps the count it reads and goes on exactly from that instant', () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const timer = exactTimer(clock, ({ time }) => times.push(time));
    timer.transaction((t) => {
      t.setPeriodFromClock(24_000_000);
      t.setLimit(10, true);
      t.run(true);
    });
    clock.advanceTo(100); // 100 ns: 2 whole cycles of 41⅔ gone (the legacy read counts the started one)
    const before = timer.getCount();
    timer.transaction((t) => t.setPeriodFromClock(19_200_000)); // 52.083 ns a cycle
    expect(timer.getCount()).toBe(before);
    clock.run();
    expect(times).toEqual([100 + Math.floor((Number(before) * 1_000_000_000) / 19_200_000)]);
  });
});

describe('a countdown restarted by its own callback (exact timing)', () => {
  it('starts at the exact expiry instant, so a one-shot re-armed each time keeps the hardware grid', () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const timer = exactTimer(clock, ({ time, timer: t }) => {
      times.push(time);
      // A driver's handler arms the next one-shot of 7 cycles, as the hardware would at the edge.
      t.setCount(7);
      t.run(true);
    });
    timer.transaction((t) => {
      t.setPeriodFromClock(24_000_000);
      t.setCount(7);
      t.run(true);
    });
    clock.advanceTo(5_000);
    expect(times).toEqual(Array.from({ length: times.length }, (_, i) => Math.floor(((i + 1) * 7 * 125) / 3)));
    expect(times.length).toBe(17);
  });

  it('while a guest write after the expiry (a separate step) restarts at its whole ns', () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const timer = exactTimer(clock, ({ time }) => times.push(time));
    timer.transaction((t) => {
      t.setPeriodFromClock(24_000_000);
      t.setCount(7);
      t.run(true);
    });
    clock.advanceTo(291); // the expiry at ⌊291⅔⌋
    timer.transaction((t) => {
      t.setCount(7);
      t.run(true);
    });
    clock.advanceTo(1_000);
    expect(times).toEqual([291, 291 + 291]);
  });

  it('a period changed from the callback restarts at the whole ns, in the new period, and snapshots stay valid', () => {
    // At 24 MHz the first expiry is at 41⅔ ns; the callback moves the clock to 1 MHz (a whole
    // 1000 ns), so the countdown restarts at 41 ns and expires at 1041, as through a transaction.
    const run = (direct: boolean): { times: number[]; restoredTimes: number[] } => {
      const clock = new VirtualClock();
      const times: number[] = [];
      const timer = exactTimer(clock, ({ time, timer: t }) => {
        times.push(time);
        if (times.length > 1) return;
        if (direct) t.setPeriodFromClock(1_000_000);
        else t.transaction((x) => x.setPeriodFromClock(1_000_000));
      });
      timer.transaction((t) => {
        t.setPeriodFromClock(24_000_000);
        t.setLimit(1, true);
        t.run(false);
      });
      clock.advanceTo(100);
      const restoredTimes: number[] = [];
      const restored = new PTimer(clock, { timing: 'exact', onTrigger: ({ time }) => restoredTimes.push(time) });
      restored.restoreState(timer.snapshot());
      clock.advanceTo(2_100);
      return { times, restoredTimes };
    };
    for (const direct of [true, false]) {
      const { times, restoredTimes } = run(direct);
      expect(times).toEqual([41, 1_041, 2_041]);
      expect(restoredTimes).toEqual([1_041, 2_041]);
    }
  });
});

describe('periods under 1 ns (exact timing)', () => {
  const fold = (count: number, until: number): { time: number; expiries: number; count: bigint }[] => {
    const clock = new VirtualClock();
    const triggers: { time: number; expiries: number; count: bigint }[] = [];
    const timer = exactTimer(clock, ({ time, expiries, timer: t }) => triggers.push({ time, expiries, count: t.getCount() }));
    // 10 GHz, limit 3: a round is 0.3 ns, so 3 or 4 rounds end within each ns.
    timer.transaction((t) => {
      t.setPeriodFromClock(10_000_000_000);
      t.setLimit(3, false);
      t.setCount(count);
      t.run(false);
    });
    clock.advanceTo(until);
    return triggers;
  };

  it('delivers the rounds that end within one ns as one trigger carrying their number', () => {
    // Rounds end at 0.3 0.6 0.9 | 1.2 1.5 1.8 | 2.1 2.4 2.7 | 3.0 3.3 3.6 3.9
    expect(fold(3, 3).map(({ time, expiries }) => [time, expiries])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 4],
    ]);
  });

  it('reads, in the trigger, the count of the countdown after the last of them', () => {
    // After 3.9 the countdown runs to 4.2: at ns 3 it has not begun, so the whole count shows.
    expect(fold(3, 3).map(({ count }) => count)).toEqual([3n, 3n, 3n, 3n]);
  });

  it('runs a first round that differs from the rest (count 5, limit 3) alone, then the others due in that ns at the same ns', () => {
    // 0.5 (count 5) | 0.8 | 1.1 1.4 1.7 | 2.0 2.3 2.6 2.9
    expect(fold(5, 2).map(({ time, expiries }) => [time, expiries])).toEqual([
      [0, 1],
      [0, 1],
      [1, 3],
      [2, 4],
    ]);
  });

  it('never livelocks: a period of 10^-15 ns runs 1 µs in one trigger per ns', () => {
    const clock = new VirtualClock();
    const triggers: PTimerTrigger[] = [];
    const timer = exactTimer(clock, (t) => triggers.push(t));
    timer.transaction((t) => {
      t.setPeriodRatio(1, 1_000_000_000_000_000);
      t.setLimit(1, true);
      t.run(false);
    });
    clock.advanceTo(1_000);
    expect(triggers).toHaveLength(1_001); // ns 0 to 1000
    expect(triggers.slice(1).every((t) => t.expiries === 1e15)).toBe(true);
    expect(triggers[0]!.expiries).toBe(1e15 - 1); // 10^-15 to 1 - 10^-15
  });

  it('in QEMU timing, the same period still ends in a clear RunawayError, not a hang', () => {
    const clock = new VirtualClock({ maxEventsPerInstant: 10_000 });
    const timer = new PTimer(clock, { timing: 'qemu' });
    timer.transaction((t) => {
      t.setPeriodFromClock(10_000_000_000);
      t.setLimit(1, true);
      t.run(false);
    });
    expect(() => clock.advanceTo(10)).toThrow(RunawayError);
  });
});

describe('ticks$ in exact timing', () => {
  it('emits each change of the count at the ns it first reads, for every policy the devices use', () => {
    for (const policy of [[], ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN']] as const) {
      const clock = new VirtualClock();
      const timer = exactTimer(clock, undefined, policy);
      timer.transaction((t) => {
        t.setPeriodFromClock(24_000_000, 3); // 125 ns
        t.setPeriodFromClock(24_000_000); // 41⅔ ns
        t.setLimit(4, true);
        t.run(false);
      });
      const ticks: { time: number; count: bigint }[] = [];
      const sub = timer.ticks$.subscribe((t) => ticks.push(t));
      const reads: { time: number; count: bigint }[] = [];
      let last = timer.getCount();
      for (let t = 1; t <= 600; t++) {
        clock.advanceTo(t);
        const c = timer.getCount();
        if (c !== last) reads.push({ time: t, count: c });
        last = c;
      }
      sub.unsubscribe();
      expect(ticks, policy.join('+') || 'legacy').toEqual(reads);
      expect(reads.length).toBeGreaterThan(10);
    }
  });
});

describe('options and period setters', () => {
  it('refuses an unknown timing, and the rate clamp with exact timing', () => {
    const clock = new VirtualClock();
    const bad = thrown(() => new PTimer(clock, { timing: 'precise' as 'exact' }));
    expect(bad).toBeInstanceOf(PTimerRangeError);
    expect((bad as Error).message).toMatch(/new PTimer\(\{ timing \}\).*"precise".*'qemu' or 'exact'/);
    expect(() => new PTimer(clock, { timing: 'exact', rateClamp: true })).toThrow(/rateClamp.*exact/);
    expect(new PTimer(clock).timing).toBe('qemu');
  });

  it('keeps the exact ratio in exact timing and QEMU fixed point otherwise', () => {
    const clock = new VirtualClock();
    const exact = exactTimer(clock);
    exact.transaction((t) => t.setPeriodFromClock(24_000_000, 3));
    expect(exact.getPeriodRatio()).toEqual({ numerator: 125n, denominator: 1n });
    exact.transaction((t) => t.setPeriodFromClock(32_768));
    expect(exact.getPeriodRatio()).toEqual({ numerator: 1_953_125n, denominator: 64n });
    expect(exact.getPeriod()).toEqual({ ns: 30_517n, frac32: (((1_953_125n % 64n) << 32n) / 64n) });
    const qemu = new PTimer(clock);
    qemu.transaction((t) => t.setPeriodRatio(125, 3));
    expect(qemu.getPeriod()).toEqual({ ns: 41n, frac32: (2n << 32n) / 3n });
    // 41 + ⌊2^33/3⌋/2^32 ns = 89 478 485 331/2^31 in lowest terms: the fixed point, not 125/3.
    expect(qemu.getPeriodRatio()).toEqual({ numerator: (41n << 31n) + ((2n << 32n) / 3n) / 2n, denominator: 1n << 31n });
  });

  it('refuses a ratio with a zero denominator, and (exact timing) a denominator past 2^53 - 1, changing nothing', () => {
    const clock = new VirtualClock();
    const timer = exactTimer(clock);
    expect(() => timer.transaction((t) => t.setPeriodRatio(1, 0))).toThrow(/setPeriodRatio\(denominator\).*positive/);
    const error = thrown(() => timer.transaction((t) => t.setPeriodRatio(1, 2n ** 60n)));
    expect(error).toBeInstanceOf(PTimerRangeError);
    expect((error as Error).message).toMatch(/2\^53 - 1/);
    expect(timer.getPeriodRatio()).toEqual({ numerator: 0n, denominator: 1n });
  });
});

describe('snapshots in exact timing', () => {
  const running = (): { clock: VirtualClock; timer: PTimer; times: number[] } => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const timer = exactTimer(clock, ({ time }) => times.push(time), ['WRAP_AFTER_ONE_PERIOD']);
    timer.transaction((t) => {
      t.setPeriodFromClock(19_200_000);
      t.setLimit(7, true);
      t.run(false);
    });
    clock.advanceTo(1_234);
    return { clock, timer, times };
  };

  it('carry the exact period and phases and restore to the same expiries and reads', () => {
    const { clock, timer } = running();
    const snap = timer.snapshot();
    expect(snap).toMatchObject({ version: 3, timing: 'exact', periodNum: '625', periodDen: '12' });
    const copyClock = new VirtualClock({ start: clock.now() });
    const copyTimes: number[] = [];
    const copy = PTimer.restore(copyClock, JSON.parse(JSON.stringify(snap)), { onTrigger: ({ time }) => copyTimes.push(time) });
    const times: number[] = [];
    const sub = timer.triggers$.subscribe(({ time }) => times.push(time));
    for (let t = clock.now() + 7; t < 20_000; t += 7) {
      clock.advanceTo(t);
      copyClock.advanceTo(t);
      expect(copy.getCount()).toBe(timer.getCount());
    }
    sub.unsubscribe();
    expect(copyTimes).toEqual(times);
    expect(times.length).toBeGreaterThan(30);
  });

  it.each([
    ['nextEvent', (s: Record<string, unknown>) => ({ ...s, nextEvent: String(Number(s.nextEvent) + 1) })],
    ['nextPhase', (s: Record<string, unknown>) => ({ ...s, nextPhase: 12 })],
    ['periodDen', (s: Record<string, unknown>) => ({ ...s, periodNum: '1250', periodDen: '24' })],
    ['periodNum', (s: Record<string, unknown>) => ({ ...s, periodNum: 625 })],
    ['period', (s: Record<string, unknown>) => ({ ...s, period: '52' })],
    ['timing', (s: Record<string, unknown>) => ({ ...s, timing: 'precise' })],
  ])('refuse an inconsistent or malformed %s, naming it', (field, mutate) => {
    const { timer } = running();
    const error = thrown(() => PTimer.restore(new VirtualClock({ start: 1_234 }), mutate({ ...timer.snapshot() })));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe(field);
  });

  it('refuse a QEMU-timing snapshot on an exact timer (restoreState), leaving it as it was', () => {
    const { clock, timer } = running();
    const qemu = new PTimer(clock, { policy: ['WRAP_AFTER_ONE_PERIOD'] });
    const before = timer.snapshot();
    const error = thrown(() => timer.restoreState(qemu.snapshot()));
    expect((error as PTimerSnapshotError).field).toBe('timing');
    expect(timer.snapshot()).toEqual(before);
  });

  it('still read version 1 (no timing field) as QEMU timing', () => {
    const clock = new VirtualClock({ start: 500 });
    const v2 = new PTimer(clock);
    v2.transaction((t) => {
      t.setPeriod(100);
      t.setLimit(10, true);
      t.run(false);
    });
    const { timing: _timing, restPeriod: _restPeriod, ...rest } = v2.snapshot() as unknown as Record<string, unknown>;
    const restored = PTimer.restore(new VirtualClock({ start: 500 }), { ...rest, version: 1 });
    expect(restored.timing).toBe('qemu');
    expect(restored.deadline).toBe(1_500n);
  });
});

describe('a 24 MHz periodic timer over 10^9 cycles', () => {
  // The k-th expiry of a round of d cycles started at 0 is at ⌊k·d·125/3⌋ ns: after any number of
  // rounds the deadline carries no accumulated error. Two shapes reach 10^7 and 10^6 rounds in a
  // few seconds: one-cycle rounds (the remainder carried every round) and 1000-cycle rounds
  // (10^9 cycles in all, past 2^32 ns and 2^32 cycles).
  it.each([
    [1n, 10_000_000],
    [1_000n, 1_000_000],
  ])('rounds of %i cycles: the %i-th expiry ends exactly on ⌊k·d·125/3⌋ ns', (d, n) => {
    const clock = new VirtualClock();
    const timer = exactTimer(clock);
    timer.transaction((t) => {
      t.setPeriodFromClock(24_000_000);
      t.setLimit(d, true);
      t.run(false);
    });
    const at = (k: bigint): bigint => (k * d * 125n) / 3n;
    const end = Number(at(BigInt(n)));
    // The clock stops right after the n-th expiry: the last one it ran is at `end`.
    clock.advanceTo(end);
    expect(clock.executedCount).toBe(n);
    expect(timer.deadline).toBe(at(BigInt(n) + 1n));
    expect(timer.getCount()).toBe(d);
  });
});
