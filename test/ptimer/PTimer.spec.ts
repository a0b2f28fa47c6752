// PTimer entry points, read like a datasheet walk-through: program the timer,
// advance to just before / at / 1 ns past a tick boundary, assert what a
// guest would read. Semantics: reference/qemu-ptimer.md (§ numbers below).
// Worked examples of §1.14 are in PTimer.examples.spec.ts, the zero-count
// matrix of §1.10a in PTimer.zeroCount.spec.ts.
import { describe, expect, it } from 'vitest';
import {
  PTimer,
  RunawayError,
  VirtualClock,
  policyCombinations,
  policyName,
  type PTimerDiagnostic,
  type PTimerPolicy,
  type PTimerTriggerCause,
} from '../../index';

const W: PTimerPolicy = 'WRAP_AFTER_ONE_PERIOD';
const D: PTimerPolicy = 'NO_COUNTER_ROUND_DOWN';
const U64_MAX = (1n << 64n) - 1n;

interface Fired {
  readonly time: number;
  readonly cause: PTimerTriggerCause;
}

/** A clock, a timer on it that records its triggers, and a "advance then read" helper. */
const rig = (policy: readonly PTimerPolicy[] = [], options: { start?: number; name?: string } = {}) => {
  const clock = new VirtualClock({ start: options.start ?? 0 });
  const fired: Fired[] = [];
  const diagnostics: PTimerDiagnostic[] = [];
  const timer = new PTimer(clock, {
    policy,
    name: options.name ?? 'dut',
    onTrigger: ({ time, cause }) => fired.push({ time, cause }),
  });
  timer.diagnostics$.subscribe((d) => diagnostics.push(d));
  const readAt = (t: number): bigint => {
    clock.advanceTo(t);
    return timer.getCount();
  };
  return { clock, timer, fired, diagnostics, readAt, times: () => fired.map((f) => f.time) };
};

describe('PTimer basics', () => {
  it('a new timer is stopped with count, limit and period 0, no deadline and nothing scheduled', () => {
    const { clock, timer } = rig();
    expect(timer.getCount()).toBe(0n);
    expect(timer.getLimit()).toBe(0n);
    expect(timer.getPeriod()).toEqual({ ns: 0n, frac32: 0n });
    expect(timer.mode).toBe('stopped');
    expect(timer.deadline).toBeUndefined();
    expect(timer.inTransaction).toBe(false);
    expect(timer.name).toBe('dut');
    expect(new PTimer(clock).name).toBe('ptimer');
    expect(clock.scheduledCount).toBe(0);
  });

  it('a stopped timer holds what was written: count, limit, period (no deadline armed)', () => {
    const { clock, timer, readAt } = rig();
    timer.transaction((t) => {
      t.setPeriodFrac(41, 0xaaaa_aaaa);
      t.setLimit(7, false);
      t.setCount(5);
    });
    expect(timer.getCount()).toBe(5n);
    expect(timer.getLimit()).toBe(7n);
    expect(timer.getPeriod()).toEqual({ ns: 41n, frac32: 0xaaaa_aaaan });
    expect(readAt(1_000_000)).toBe(5n); // stopped: time does not count it down
    expect(clock.scheduledCount).toBe(0);
  });

  it('inTransaction is true between begin() and commit() and inside transaction()', () => {
    const { timer } = rig();
    timer.begin();
    expect(timer.inTransaction).toBe(true);
    timer.commit();
    expect(timer.inTransaction).toBe(false);
    let inside = false;
    timer.transaction((t) => (inside = t.inTransaction));
    expect(inside).toBe(true);
    expect(timer.inTransaction).toBe(false);
  });

  it('transaction() passes the timer itself to the body', () => {
    const { timer } = rig();
    let arg: unknown;
    timer.transaction((t) => (arg = t));
    expect(arg).toBe(timer);
  });

  it('numbers and bigints are the same count: setCount(5) ≡ setCount(5n), setLimit(2^53 - 1) exact', () => {
    const a = rig();
    const b = rig();
    a.timer.transaction((t) => t.setCount(5));
    b.timer.transaction((t) => t.setCount(5n));
    expect(a.timer.getCount()).toBe(5n);
    expect(b.timer.getCount()).toBe(5n);
    a.timer.transaction((t) => t.setLimit(Number.MAX_SAFE_INTEGER, true));
    expect(a.timer.getLimit()).toBe(9_007_199_254_740_991n);
    expect(a.timer.getCount()).toBe(9_007_199_254_740_991n);
  });

  it('setFreq stores the 64.32 period of Example H (24 MHz → 41 + 0xAAAAAAAA/2^32)', () => {
    const { timer } = rig();
    timer.transaction((t) => t.setFreq(24_000_000));
    expect(timer.getPeriod()).toEqual({ ns: 41n, frac32: 0xaaaa_aaaan });
    timer.transaction((t) => t.setPeriod(1_000n));
    expect(timer.getPeriod()).toEqual({ ns: 1_000n, frac32: 0n }); // setPeriod clears the fraction
  });
});

// Reads of a timer started with count 3, P = 1000 ns, at anchor a: [t - a, LEGACY, W, D, W+D].
// C, T, R and O only act on a zero count, so for this program only W and D matter (§1.9, §1.10).
const PERIODIC_L3: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [0, 3, 3, 3, 3], //       anchor: every policy reads the start count
  [1, 2, 2, 3, 3], //       1 ns in: legacy rounds down, D does not
  [999, 2, 2, 3, 3],
  [1_000, 2, 2, 3, 3], //   first boundary: 2 periods left exactly
  [1_001, 1, 1, 2, 2], //   … and 1 ns past it
  [2_000, 1, 1, 2, 2],
  [2_001, 0, 0, 1, 1],
  [2_999, 0, 0, 1, 1],
  [3_000, 3, 0, 3, 0], //   1st expiry (all): reloaded; W rests at 0
  [3_001, 2, 0, 3, 0],
  [4_000, 2, 0, 3, 0], //   W's zero window ends at 4000 (span 4 periods)
  [4_001, 1, 2, 2, 3],
  [5_000, 1, 2, 2, 3],
  [5_001, 0, 1, 1, 2],
  [5_999, 0, 1, 1, 2],
  [6_000, 3, 1, 3, 2], //   2nd expiry LEGACY/D
  [6_001, 2, 0, 3, 1],
  [6_999, 2, 0, 3, 1],
  [7_000, 2, 0, 3, 0], //   2nd expiry W/W+D
  [7_001, 1, 0, 2, 0],
];

// One-shot, count 3, P = 1000 ns: [t - a, LEGACY, D]; W has no effect on a one-shot (§1.9 step 4).
const ONESHOT_L3: ReadonlyArray<readonly [number, number, number]> = [
  [0, 3, 3],
  [1, 2, 3],
  [1_000, 2, 3],
  [1_001, 1, 2],
  [2_000, 1, 2],
  [2_001, 0, 1],
  [2_999, 0, 1],
  [3_000, 0, 0], // expired: stopped with count 0 (also under D)
  [3_001, 0, 0],
];

describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('ptimer policy=%s', (_name, policy) => {
  const hasW = policy.includes(W);
  const hasD = policy.includes(D);
  const column = 1 + (hasW ? 1 : 0) + (hasD ? 2 : 0);

  describe.each([0, 123_456_789])('clock origin %i ns', (a) => {
    it('periodic, count 3, P = 1000: reads at each boundary and 1 ns after; triggers at the expiries', () => {
      const { timer, readAt, fired } = rig(policy, { start: a });
      // Program: P = 1000 ns, limit 3 with reload, periodic.
      timer.transaction((t) => {
        t.setPeriod(1_000);
        t.setLimit(3, true);
        t.run(false);
      });
      expect(timer.deadline).toBe(BigInt(a + 3_000));
      for (const row of PERIODIC_L3) {
        expect(readAt(a + row[0]), `t = a + ${row[0]}`).toBe(BigInt(row[column] as number));
      }
      // W: the first round is 3 periods (started by a commit), later rounds 4 (§1.7 step 5).
      expect(fired).toEqual([
        { time: a + 3_000, cause: 'expiry' },
        { time: a + (hasW ? 7_000 : 6_000), cause: 'expiry' },
      ]);
      expect(timer.deadline).toBe(BigInt(a + (hasW ? 11_000 : 9_000)));
    });

    it('one-shot, count 3, P = 1000: reads at each boundary and 1 ns after; one trigger, then stopped at 0', () => {
      const { clock, timer, readAt, fired } = rig(policy, { start: a });
      timer.transaction((t) => {
        t.setPeriod(1_000);
        t.setLimit(3, true);
        t.run(true);
      });
      expect(timer.mode).toBe('oneshot');
      for (const row of ONESHOT_L3) {
        expect(readAt(a + row[0]), `t = a + ${row[0]}`).toBe(BigInt(hasD ? row[2] : row[1]));
      }
      expect(fired).toEqual([{ time: a + 3_000, cause: 'expiry' }]);
      expect(timer.mode).toBe('stopped');
      expect(timer.deadline).toBeUndefined();
      expect(clock.pending).toBe(0);
      expect(readAt(a + 1_000_000)).toBe(0n);
    });

    it('G5: exactly one trigger per expiry over 1000 countdowns of 7 × 13 ns, one clock event each', () => {
      const { clock, timer, times } = rig(policy, { start: a });
      timer.transaction((t) => {
        t.setPeriod(13);
        t.setLimit(7, true);
        t.run(false);
      });
      clock.advanceTo(a + 91 * 1_000 + 50);
      // LEGACY-like: every 91 ns. W: 91, then every 8 × 13 = 104 ns.
      const expected: number[] = [];
      for (let t = a + 91; t <= a + 91_050; t += hasW && t > a ? 104 : 91) expected.push(t);
      expect(times()).toEqual(expected);
      expect(clock.executedCount).toBe(expected.length);
      expect(clock.scheduledCount).toBe(expected.length + 1);
    });
  });
});

describe('a new timer is anchored at its creation instant (departure from QEMU\'s absolute 0)', () => {
  // QEMU starts last_event/next_event at virtual time 0, so a latch in the first
  // transaction reads differently when the clock did not start at 0. Found by the
  // differential test; here both origins must read the same.
  it.each([0, 1_000, 123_456_789])('origin %i: a latch in the first transaction reads the same as at origin 0', (origin) => {
    const clock = new VirtualClock({ start: origin });
    const timer = new PTimer(clock, { policy: ['NO_COUNTER_ROUND_DOWN'] });
    timer.transaction((t) => {
      t.setPeriod(3);
      t.setCount(5);
      t.run(false);
      t.stop(); // latches the pre-commit running value: the fresh, never-started countdown
    });
    expect(timer.getCount()).toBe(0n);
    expect(timer.mode).toBe('stopped');
  });
});

describe('reprogramming a running timer (§1.6)', () => {
  const start = (policy: readonly PTimerPolicy[] = []) => {
    const r = rig(policy);
    // P = 1000 ns, limit 10, periodic from t = 0: first deadline 10 000.
    r.timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    return r;
  };

  it('run(true) on a running periodic timer only switches mode: same deadline, no re-arm, count continues', () => {
    const { clock, timer, readAt, times } = start();
    expect(readAt(2_500)).toBe(7n);
    const armed = clock.scheduledCount;
    timer.transaction((t) => t.run(true));
    expect(timer.mode).toBe('oneshot');
    expect(timer.deadline).toBe(10_000n); // not re-anchored at 2500
    expect(clock.scheduledCount).toBe(armed);
    expect(timer.getCount()).toBe(7n);
    expect(times()).toEqual([]); // no trigger from the mode switch
    expect(readAt(9_999)).toBe(0n);
    expect(readAt(10_000)).toBe(0n); // one-shot now: stops at 0 instead of reloading
    expect(times()).toEqual([10_000]);
    expect(timer.mode).toBe('stopped');
  });

  it('run(false) on a running one-shot timer only switches mode; it then reloads at the old deadline', () => {
    const { timer, readAt, times } = rig();
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(true);
    });
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.run(false));
    expect(timer.mode).toBe('periodic');
    expect(timer.deadline).toBe(10_000n);
    expect(readAt(10_000)).toBe(10n); // reloaded from the limit
    expect(timer.deadline).toBe(20_000n);
    expect(times()).toEqual([10_000]);
  });

  it('stop then run loses the partial period: LEGACY latches the rounded-down count (7 at 2500)', () => {
    const { timer, readAt, times } = start();
    expect(readAt(2_500)).toBe(7n);
    // Stop at 2500: the count 7 is latched, nothing is armed.
    timer.transaction((t) => t.stop());
    expect(timer.mode).toBe('stopped');
    expect(timer.deadline).toBeUndefined();
    expect(readAt(2_600)).toBe(7n);
    // Run again at 2600: a fresh countdown of 7 full periods from 2600 (500 + 100 ns lost).
    timer.transaction((t) => t.run(false));
    expect(timer.deadline).toBe(9_600n);
    expect(readAt(2_601)).toBe(6n);
    expect(readAt(9_599)).toBe(0n);
    expect(readAt(9_600)).toBe(10n);
    expect(times()).toEqual([9_600]);
  });

  it('stop then run under D latches the hardware-like count (8 at 2500) and restarts from it', () => {
    const { timer, readAt } = start([D]);
    expect(readAt(2_500)).toBe(8n);
    timer.transaction((t) => {
      t.stop();
      t.run(false);
    });
    // Stop latched 8; run on the (now stopped) timer restarts 8 periods from 2500.
    expect(timer.deadline).toBe(10_500n);
    expect(timer.getCount()).toBe(8n);
    expect(readAt(2_501)).toBe(8n);
    expect(readAt(3_501)).toBe(7n);
  });

  it('setPeriod on a running timer latches the count and restarts with the new period at commit', () => {
    const { timer, readAt, times } = start();
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.setPeriod(2_000));
    // Latched 7, re-anchored at 2500 with P = 2000: deadline 2500 + 14 000.
    expect(timer.getCount()).toBe(7n);
    expect(timer.deadline).toBe(16_500n);
    expect(readAt(4_500)).toBe(6n); // boundary: 6 periods left exactly
    expect(readAt(4_501)).toBe(5n);
    expect(readAt(16_499)).toBe(0n);
    expect(readAt(16_500)).toBe(10n);
    expect(times()).toEqual([16_500]);
    // The next round uses the new period: 10 × 2000.
    expect(timer.deadline).toBe(36_500n);
  });

  it('setFreq on a running timer latches and restarts the same way', () => {
    const { timer, readAt } = start();
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.setFreq(500_000)); // 2000 ns
    expect(timer.getCount()).toBe(7n);
    expect(timer.deadline).toBe(16_500n);
  });

  it('setLimit(l, false) on a running timer changes nothing until the next reload', () => {
    const { clock, timer, readAt, times } = start();
    expect(readAt(2_500)).toBe(7n);
    const armed = clock.scheduledCount;
    timer.transaction((t) => t.setLimit(4, false));
    expect(timer.getLimit()).toBe(4n);
    expect(timer.getCount()).toBe(7n);
    expect(timer.deadline).toBe(10_000n);
    expect(clock.scheduledCount).toBe(armed); // not re-armed
    expect(readAt(9_999)).toBe(0n);
    // Next reload uses the new limit: count 4, next deadline 14 000.
    expect(readAt(10_000)).toBe(4n);
    expect(timer.deadline).toBe(14_000n);
    expect(readAt(14_000)).toBe(4n);
    expect(times()).toEqual([10_000, 14_000]);
  });

  it('setLimit(l, true) on a running timer restarts the countdown from l at commit', () => {
    const { timer, readAt } = start();
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.setLimit(4, true));
    expect(timer.getCount()).toBe(4n);
    expect(timer.deadline).toBe(6_500n);
  });

  it('setCount on a running timer restarts the countdown from the count; the limit is unchanged', () => {
    const { timer, readAt, times } = start();
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.setCount(2));
    expect(timer.deadline).toBe(4_500n);
    expect(readAt(4_500)).toBe(10n);
    expect(times()).toEqual([4_500]);
  });

  it('stop on a stopped timer does nothing; an empty transaction neither triggers nor re-arms', () => {
    const { clock, timer, readAt, times } = start();
    readAt(2_500);
    const armed = clock.scheduledCount;
    timer.transaction(() => {});
    expect(clock.scheduledCount).toBe(armed);
    expect(timer.deadline).toBe(10_000n);
    timer.transaction((t) => t.stop());
    timer.transaction((t) => t.stop());
    expect(timer.getCount()).toBe(7n);
    expect(times()).toEqual([]);
  });
});

describe('overdue reads (§1.9 step 1, pitfall 10): another timer\'s callback at the same instant, before this expiry runs', () => {
  // Timer a (one-shot, deadline 2000) is armed before timer b (periodic, deadline 2000), so at
  // 2000 a's callback runs while b's deadline has been reached but its expiry has not run yet.
  const overdue = (policy: readonly PTimerPolicy[]) => {
    const clock = new VirtualClock();
    const seen: bigint[] = [];
    const bFired: number[] = [];
    const b = new PTimer(clock, { name: 'b', policy, onTrigger: ({ time }) => bFired.push(time) });
    const a = new PTimer(clock, {
      name: 'a',
      onTrigger: () => {
        seen.push(b.getCount());
        b.transaction((t) => t.stop()); // stop in the overdue window latches that value
      },
    });
    a.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(2, true);
      t.run(true);
    });
    b.transaction((t) => {
      t.setPeriod(500);
      t.setLimit(4, true);
      t.run(false);
    });
    clock.advanceTo(5_000);
    return { b, seen, bFired };
  };

  it.each([
    ['legacy', [] as PTimerPolicy[], 0n],
    ['D', [D], 1n],
    ['W+D', [W, D], 1n], // the W zero-window test is skipped on the overdue path
  ])('%s reads %s; a stop there latches it and the expiry no longer fires', (_name, policy, value) => {
    const { b, seen, bFired } = overdue(policy);
    expect(seen).toEqual([value]);
    expect(b.mode).toBe('stopped');
    expect(b.getCount()).toBe(value);
    expect(bFired).toEqual([]);
  });
});

describe('diagnostics (§1.12)', () => {
  it('period-zero: run() with period 0 reports it and the timer stays stopped, nothing armed', () => {
    const { clock, timer, diagnostics, times } = rig([], { start: 77 });
    timer.transaction((t) => {
      t.setLimit(5, true);
      t.run(false);
    });
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(5n);
    expect(clock.pending).toBe(0);
    expect(times()).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ timer: 'dut', time: 77, kind: 'period-zero' });
    expect(diagnostics[0]?.message).toMatch(/period zero, disabling/);
    expect(diagnostics[0]?.message).toContain('dut');
  });

  it('period-zero: setPeriod(0) on a running timer latches the count, stops it and reports', () => {
    const { clock, timer, diagnostics, readAt, times } = rig();
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    expect(readAt(2_500)).toBe(7n);
    timer.transaction((t) => t.setPeriod(0));
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(7n);
    expect(clock.pending).toBe(0);
    expect(diagnostics.map((d) => [d.kind, d.time])).toEqual([['period-zero', 2_500]]);
    expect(readAt(20_000)).toBe(7n);
    expect(times()).toEqual([]);
  });

  it('delta-zero: a LEGACY periodic timer with limit 0 triggers once at commit, then stops and reports', () => {
    const { clock, timer, diagnostics, fired } = rig([], { start: 5 });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.run(false);
    });
    expect(fired).toEqual([{ time: 5, cause: 'commit' }]);
    expect(timer.mode).toBe('stopped');
    expect(clock.pending).toBe(0);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ timer: 'dut', time: 5, kind: 'delta-zero' });
    expect(diagnostics[0]?.message).toMatch(/delta zero, disabling/);
  });

  it('no diagnostic for a healthy timer', () => {
    const { timer, diagnostics, readAt } = rig();
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    readAt(100_000);
    expect(diagnostics).toEqual([]);
  });
});

describe('1 GHz for one virtual hour', () => {
  it('one clock event per expiry (never per tick), exact count after 3.6e12 ns', () => {
    const { clock, timer, times, readAt } = rig();
    // 1 GHz: period 1 ns; limit 2^32 - 1 ⇒ one countdown lasts 4 294 967 295 ns.
    timer.transaction((t) => {
      t.setFreq(1_000_000_000);
      t.setLimit(0xffff_ffff, true);
      t.run(false);
    });
    expect(timer.getPeriod()).toEqual({ ns: 1n, frac32: 0n });
    const hour = 3_600_000_000_000;
    expect(readAt(hour)).toBe(3_477_560_505n); // deadline 839 × (2^32 - 1) = 3 603 477 560 505
    const expiries = Math.floor(hour / 0xffff_ffff); // 838
    expect(times()).toHaveLength(expiries);
    expect(times().at(-1)).toBe(838 * 0xffff_ffff);
    expect(clock.executedCount).toBe(expiries);
    expect(clock.scheduledCount).toBe(expiries + 1); // the commit's arm + one re-arm per expiry
    expect(readAt(hour + 1)).toBe(3_477_560_504n);
    expect(timer.deadline).toBe(3_603_477_560_505n);
  });
});

describe('frequencies above 1 GHz (period < 1 ns)', () => {
  it('2 GHz, limit 1, periodic: the span floors to 0 ns and re-fires at one instant; it ends in RunawayError naming the timer', () => {
    const clock = new VirtualClock({ maxEventsPerInstant: 100 });
    const fired: number[] = [];
    const timer = new PTimer(clock, { name: 'fast', onTrigger: ({ time }) => fired.push(time) });
    timer.transaction((t) => {
      t.setFreq(2_000_000_000);
      t.setLimit(1, true);
      t.run(false);
    });
    expect(timer.getPeriod()).toEqual({ ns: 0n, frac32: 0x8000_0000n });
    expect(timer.deadline).toBe(0n); // ⌊0x80000000 · 1 / 2^32⌋ = 0
    let error: unknown;
    try {
      clock.advanceTo(1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunawayError);
    expect((error as Error).message).toContain("ptimer 'fast' expiry");
    expect((error as RunawayError).work).toBe("ptimer 'fast' expiry");
    expect((error as RunawayError).time).toBe(0);
    expect(fired).toHaveLength(100);
    expect(new Set(fired)).toEqual(new Set([0]));
  });

  it('4 GHz, limit 1000, periodic: deadlines every 250 ns exactly, count reads in 0.25 ns steps', () => {
    const { timer, readAt, times } = rig();
    timer.transaction((t) => {
      t.setFreq(4_000_000_000);
      t.setLimit(1_000, true);
      t.run(false);
    });
    expect(timer.getPeriod()).toEqual({ ns: 0n, frac32: 0x4000_0000n });
    expect(readAt(0)).toBe(1_000n);
    expect(readAt(1)).toBe(996n);
    expect(readAt(125)).toBe(500n);
    expect(readAt(249)).toBe(4n);
    expect(readAt(250)).toBe(1_000n);
    expect(readAt(1_000)).toBe(1_000n);
    expect(times()).toEqual([250, 500, 750, 1_000]);
  });
});

describe('u64 exactness', () => {
  it('limit 2^64 - 1 at 1 ns: reads are exact bigints; the deadline is past MAX_SAFE_INTEGER and never armed', () => {
    const { clock, timer, readAt, times } = rig();
    timer.transaction((t) => {
      t.setPeriod(1);
      t.setLimit(U64_MAX, true);
      t.run(false);
    });
    expect(timer.deadline).toBe(U64_MAX);
    expect(clock.nextDeadline()).toBeUndefined();
    expect(clock.pending).toBe(0);
    expect(readAt(0)).toBe(U64_MAX);
    expect(readAt(1)).toBe(U64_MAX - 1n);
    expect(readAt(1_000_000_000_000_000)).toBe(U64_MAX - 1_000_000_000_000_000n);
    expect(readAt(Number.MAX_SAFE_INTEGER)).toBe(U64_MAX - BigInt(Number.MAX_SAFE_INTEGER));
    expect(times()).toEqual([]);
  });

  it('the same under D: floor + 1 away from the anchor, still exact', () => {
    const { timer, readAt } = rig([D]);
    timer.transaction((t) => {
      t.setPeriod(1);
      t.setLimit(U64_MAX, true);
      t.run(false);
    });
    expect(readAt(0)).toBe(U64_MAX);
    expect(readAt(12_345)).toBe(U64_MAX - 12_345n + 1n);
  });

  it('limit 2^53 at 2 ns (deadline 2^54): not armed, yet reads count down exactly', () => {
    const { clock, timer, readAt } = rig([], { start: 1_000 });
    timer.transaction((t) => {
      t.setPeriod(2);
      t.setLimit(1n << 53n, true);
      t.run(true);
    });
    expect(timer.deadline).toBe((1n << 54n) + 1_000n);
    expect(clock.nextDeadline()).toBeUndefined();
    expect(readAt(1_000)).toBe(1n << 53n);
    expect(readAt(2_000)).toBe((1n << 53n) - 500n);
    expect(readAt(2_001)).toBe((1n << 53n) - 501n);
  });

  it('a deadline exactly at MAX_SAFE_INTEGER ns is armed; one past it is not', () => {
    const at = rig();
    at.timer.transaction((t) => {
      t.setPeriod(1);
      t.setCount(Number.MAX_SAFE_INTEGER);
      t.run(true);
    });
    expect(at.clock.nextDeadline()).toBe(Number.MAX_SAFE_INTEGER);
    const past = rig();
    past.timer.transaction((t) => {
      t.setPeriod(1);
      t.setCount(BigInt(Number.MAX_SAFE_INTEGER) + 1n);
      t.run(true);
    });
    expect(past.timer.deadline).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 1n);
    expect(past.clock.nextDeadline()).toBeUndefined();
  });

  it('a deadline that was too far becomes armed when the timer is reprogrammed to a nearer one', () => {
    const { clock, timer, readAt, times } = rig();
    timer.transaction((t) => {
      t.setPeriod(1);
      t.setLimit(U64_MAX, true);
      t.run(false);
    });
    readAt(100);
    timer.transaction((t) => t.setCount(50));
    expect(clock.nextDeadline()).toBe(150);
    expect(readAt(150)).toBe(U64_MAX); // reloaded from the 2^64 - 1 limit
    expect(times()).toEqual([150]);
    expect(clock.nextDeadline()).toBeUndefined();
  });
});
