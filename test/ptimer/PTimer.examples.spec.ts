// The worked examples of reference/qemu-ptimer.md §1.14 (A–H), number for
// number. Each example programs the timer at t = 0 on a fresh clock; "read
// at t" means advance the clock to t (running an expiry due at t first, as
// QEMU's harness does) and read the count.
import { describe, expect, it } from 'vitest';
import { PTimer, VirtualClock, type PTimerPolicy, type PTimerTrigger } from '../../index';

const W: PTimerPolicy = 'WRAP_AFTER_ONE_PERIOD';
const D: PTimerPolicy = 'NO_COUNTER_ROUND_DOWN';

const rig = (policy: readonly PTimerPolicy[] = [], options: { rateClamp?: boolean; clock?: VirtualClock } = {}) => {
  const clock = options.clock ?? new VirtualClock();
  const fired: number[] = [];
  const timer = new PTimer(clock, {
    policy,
    rateClamp: options.rateClamp,
    onTrigger: ({ time }) => fired.push(time),
  });
  const readAt = (t: number): bigint => {
    clock.advanceTo(t);
    return timer.getCount();
  };
  /** Deadlines seen by advancing expiry by expiry. */
  const deadlines = (n: number): bigint[] => {
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const d = timer.deadline as bigint;
      out.push(d);
      clock.advanceTo(Number(d));
    }
    return out;
  };
  return { clock, timer, fired, readAt, deadlines };
};

describe('Example A: periodic, P = 2 ms, limit 10, four policies side by side', () => {
  // [t, LEGACY, W, D, W+D]
  const table: ReadonlyArray<readonly [number, number, number, number, number]> = [
    [0, 10, 10, 10, 10],
    [1, 9, 9, 10, 10],
    [1_999_999, 9, 9, 10, 10],
    [2_000_000, 9, 9, 10, 10],
    [2_000_001, 8, 8, 9, 9],
    [18_000_000, 1, 1, 2, 2],
    [19_999_999, 0, 0, 1, 1],
    [20_000_000, 10, 0, 10, 0], // 1st expiry, all policies
    [20_000_001, 9, 0, 10, 0],
    [22_000_000, 9, 0, 10, 0],
    [22_000_001, 8, 9, 9, 10],
    [38_000_000, 1, 2, 2, 3],
    [39_999_999, 0, 1, 1, 2],
    [40_000_000, 10, 1, 10, 2], // 2nd expiry LEGACY, D
    [40_000_001, 9, 0, 10, 1],
    [42_000_000, 9, 0, 10, 0], // 2nd expiry W, W+D
    [42_000_001, 8, 0, 9, 0],
  ];
  const policies: ReadonlyArray<readonly PTimerPolicy[]> = [[], [W], [D], [W, D]];

  it('reads every row of the table in all four columns', () => {
    // Four timers on one clock, programmed in one instant, read at the same instants.
    const clock = new VirtualClock();
    const timers = policies.map((policy) => rig(policy, { clock }));
    for (const { timer } of timers) {
      timer.transaction((t) => {
        t.setPeriod(2_000_000);
        t.setLimit(10, true);
        t.run(false);
      });
    }
    for (const [t, ...columns] of table) {
      clock.advanceTo(t);
      expect(
        timers.map(({ timer }) => Number(timer.getCount())),
        `t = ${t}`,
      ).toEqual(columns);
    }
  });

  it('triggers: LEGACY and D every 20 ms; W and W+D at 20, 42, 64 ms (later rounds are 11 periods)', () => {
    const clock = new VirtualClock();
    const timers = policies.map((policy) => rig(policy, { clock }));
    for (const { timer } of timers) {
      timer.transaction((t) => {
        t.setPeriod(2_000_000);
        t.setLimit(10, true);
        t.run(false);
      });
    }
    clock.advanceTo(65_000_000);
    expect(timers.map((r) => r.fired)).toEqual([
      [20_000_000, 40_000_000, 60_000_000],
      [20_000_000, 42_000_000, 64_000_000],
      [20_000_000, 40_000_000, 60_000_000],
      [20_000_000, 42_000_000, 64_000_000],
    ]);
  });

  it('the CMSDK policy (W+O+R+D) and the MPTimer policy (W+C+T+R+D) give exactly the W+D column', () => {
    const cmsdk: PTimerPolicy[] = [W, 'NO_IMMEDIATE_RELOAD', D, 'TRIGGER_ONLY_ON_DECREMENT'];
    const mptimer: PTimerPolicy[] = [W, 'CONTINUOUS_TRIGGER', 'NO_IMMEDIATE_TRIGGER', 'NO_IMMEDIATE_RELOAD', D];
    const clock = new VirtualClock();
    const timers = [cmsdk, mptimer].map((policy) => rig(policy, { clock }));
    for (const { timer } of timers) {
      timer.transaction((t) => {
        t.setPeriod(2_000_000);
        t.setLimit(10, true);
        t.run(false);
      });
    }
    for (const [t, , , , wd] of table) {
      clock.advanceTo(t);
      expect(timers.map(({ timer }) => Number(timer.getCount())), `t = ${t}`).toEqual([wd, wd]);
    }
    clock.advanceTo(65_000_000);
    for (const r of timers) expect(r.fired).toEqual([20_000_000, 42_000_000, 64_000_000]);
  });
});

describe('Example B: one-shot, P = 2 ms, count 10', () => {
  // [t, LEGACY, D]
  const table: ReadonlyArray<readonly [number, number, number]> = [
    [0, 10, 10],
    [1, 9, 10],
    [2_000_000, 9, 10],
    [2_000_001, 8, 9],
    [17_999_999, 1, 2],
    [18_000_000, 1, 2],
    [18_000_001, 0, 1],
    [19_999_999, 0, 1],
    [20_000_000, 0, 0],
    [20_000_001, 0, 0],
  ];

  it.each([
    ['LEGACY', [] as PTimerPolicy[], 1],
    ['D', [D], 2],
  ] as const)('%s column; one trigger at 20 ms, then stopped with count 0', (_name, policy, column) => {
    const { timer, readAt, fired } = rig(policy);
    timer.transaction((t) => {
      t.setPeriod(2_000_000);
      t.setCount(10);
      t.run(true);
    });
    for (const row of table) expect(readAt(row[0]), `t = ${row[0]}`).toBe(BigInt(row[column]));
    expect(fired).toEqual([20_000_000]);
    expect(timer.mode).toBe('stopped');
    expect(readAt(100_000_000)).toBe(0n);
    expect(fired).toEqual([20_000_000]);
  });
});

describe('Example C: fractional period, 3 Hz, limit 3, periodic', () => {
  it('LEGACY: deadline 999 999 999 (floored), reads one less already at the anchor, drift −1 ns per round', () => {
    const { timer, readAt, fired } = rig();
    timer.transaction((t) => {
      t.setFreq(3);
      t.setLimit(3, true);
      t.run(false);
    });
    expect(timer.getPeriod()).toEqual({ ns: 333_333_333n, frac32: 0x5555_5555n });
    expect(timer.deadline).toBe(999_999_999n);
    expect(readAt(0)).toBe(2n);
    expect(readAt(1)).toBe(2n);
    expect(readAt(333_333_332)).toBe(2n);
    expect(readAt(333_333_333)).toBe(1n);
    expect(readAt(666_666_665)).toBe(1n);
    expect(readAt(666_666_666)).toBe(0n);
    expect(readAt(999_999_998)).toBe(0n);
    expect(readAt(999_999_999)).toBe(2n); // expiry
    expect(fired).toEqual([999_999_999]);
    expect(readAt(1_000_000_000)).toBe(2n);
    expect(timer.deadline).toBe(1_999_999_998n);
    readAt(1_999_999_998);
    expect(timer.deadline).toBe(2_999_999_997n);
    expect(fired).toEqual([999_999_999, 1_999_999_998]);
  });

  it('W: after the first expiry the span is 4 periods (2 333 333 332); reads 3 at the expiry instant, 0 just after', () => {
    const { timer, readAt, fired } = rig([W]);
    timer.transaction((t) => {
      t.setFreq(3);
      t.setLimit(3, true);
      t.run(false);
    });
    expect(timer.deadline).toBe(999_999_999n);
    // The "now = anchor" zero test expects limit + 1 = 4 but the floored quotient is 3: the quirk.
    expect(readAt(999_999_999)).toBe(3n);
    expect(timer.deadline).toBe(2_333_333_332n);
    expect(readAt(1_000_000_000)).toBe(0n);
    expect(fired).toEqual([999_999_999]);
  });
});

describe('Example D: sub-ns period, 2 GHz, limit 8, one-shot', () => {
  it.each([
    ['LEGACY', [] as PTimerPolicy[], [8n, 6n, 4n, 2n]],
    ['D', [D], [8n, 7n, 5n, 3n]],
  ] as const)('%s reads at t = 0..3, then 0 and one trigger at 4 ns', (_name, policy, reads) => {
    const { timer, readAt, fired } = rig(policy);
    timer.transaction((t) => {
      t.setFreq(2_000_000_000);
      t.setLimit(8, true);
      t.run(true);
    });
    expect(timer.getPeriod()).toEqual({ ns: 0n, frac32: 0x8000_0000n });
    expect(timer.deadline).toBe(4n);
    expect([0, 1, 2, 3].map(readAt)).toEqual(reads);
    expect(fired).toEqual([]);
    expect(readAt(4)).toBe(0n);
    expect(fired).toEqual([4]);
    expect(timer.mode).toBe('stopped');
  });
});

describe('Example E: rate clamp on (periodic spans under 10 µs are stretched)', () => {
  const program = (policy: readonly PTimerPolicy[], oneshot: boolean, rateClamp = true) => {
    const r = rig(policy, { rateClamp });
    r.timer.transaction((t) => {
      t.setPeriod(100);
      t.setLimit(10, true);
      t.run(oneshot);
    });
    return r;
  };

  it('periodic: span 1000 ns < 10 000 ⇒ effective period 1000 ns, deadlines 10 000, 20 000, 30 000', () => {
    const { timer, readAt, deadlines } = program([], false);
    expect(timer.rateClamp).toBe(true);
    expect(readAt(1)).toBe(9n);
    expect(readAt(5_000)).toBe(5n);
    expect(readAt(9_999)).toBe(0n);
    expect(deadlines(4)).toEqual([10_000n, 20_000n, 30_000n, 40_000n]);
  });

  it('W: first round 10 000 ns, later rounds d = 11 ⇒ ⌊10000/11⌋ = 909 ns ⇒ 19 999, 29 998, 39 997', () => {
    const { deadlines } = program([W], false);
    expect(deadlines(4)).toEqual([10_000n, 19_999n, 29_998n, 39_997n]);
  });

  it('one-shot is never clamped: deadline 1000', () => {
    const { timer, readAt, fired } = program([], true);
    expect(timer.deadline).toBe(1_000n);
    expect(readAt(500)).toBe(5n); // 500 ns left at 100 ns per count
    expect(readAt(501)).toBe(4n);
    expect(readAt(1_000)).toBe(0n);
    expect(fired).toEqual([1_000]);
  });

  it('off by default: the same periodic program expires every 1000 ns', () => {
    const { timer, deadlines } = program([], false, false);
    expect(timer.rateClamp).toBe(false);
    expect(deadlines(3)).toEqual([1_000n, 2_000n, 3_000n]);
  });

  it('a span already ≥ 10 µs is not changed (P = 1000, limit 10)', () => {
    const { timer, deadlines } = rig([], { rateClamp: true });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    expect(deadlines(2)).toEqual([10_000n, 20_000n]);
  });

  it('departure from QEMU: a sub-ns period with d > 10 000 is stretched to 1 ns (not 0), so time moves', () => {
    // QEMU: ⌊10000/20000⌋ = 0 ⇒ deadline = anchor forever (§1.8a hazard). Here: max(1, 0) = 1 ns.
    const { timer, deadlines, fired } = rig([], { rateClamp: true });
    timer.transaction((t) => {
      t.setFreq(2_000_000_000);
      t.setLimit(20_000, true);
      t.run(false);
    });
    expect(deadlines(3)).toEqual([20_000n, 40_000n, 60_000n]);
    expect(fired).toEqual([20_000, 40_000, 60_000]);
  });

  it('2 GHz, limit 1, periodic: ⌊10000/1⌋ = 10 000 ns (fraction dropped), so no same-instant loop', () => {
    const { timer, deadlines } = rig([], { rateClamp: true });
    timer.transaction((t) => {
      t.setFreq(2_000_000_000);
      t.setLimit(1, true);
      t.run(false);
    });
    expect(deadlines(3)).toEqual([10_000n, 20_000n, 30_000n]);
  });
});

describe('Example F: 24 MHz, limit 24 000, periodic, LEGACY', () => {
  it('deadline 999 999, reads 23 999 / 23 998 / 11 999 / 23 999, deadlines drift −1 ns per round', () => {
    const { timer, readAt, deadlines } = rig();
    timer.transaction((t) => {
      t.setFreq(24_000_000);
      t.setLimit(24_000, true);
      t.run(false);
    });
    expect(timer.getPeriod()).toEqual({ ns: 41n, frac32: 0xaaaa_aaaan });
    expect(readAt(0)).toBe(23_999n);
    expect(readAt(41)).toBe(23_998n);
    expect(readAt(500_000)).toBe(11_999n);
    expect(readAt(999_999)).toBe(23_999n); // expiry
    expect([999_999n, ...deadlines(3)]).toEqual([999_999n, 1_999_998n, 2_999_997n, 3_999_996n]);
  });
});

describe('Example G: transaction semantics (LEGACY, P = 1000 ns)', () => {
  const periodic = (limit: number) => {
    const seen: Array<{ time: number; cause: string; count: bigint; deadline: bigint | undefined; inTx: boolean }> = [];
    const clock = new VirtualClock();
    const timer = new PTimer(clock, {
      onTrigger: ({ time, cause, timer: t }: PTimerTrigger) =>
        seen.push({ time, cause, count: t.getCount(), deadline: t.deadline, inTx: t.inTransaction }),
    });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(limit, true);
      t.run(false);
    });
    return { clock, timer, seen };
  };

  it('G1: { setLimit(0, true); setLimit(5, true) } at 500 is coalesced: no callback, new deadline 5 500', () => {
    const { clock, timer, seen } = periodic(50);
    clock.advanceTo(500);
    timer.transaction((t) => {
      t.setLimit(0, true);
      t.setLimit(5, true);
    });
    expect(seen).toEqual([]);
    expect(timer.getCount()).toBe(5n);
    expect(timer.deadline).toBe(5_500n);
    clock.advanceTo(5_500);
    expect(seen.map((s) => [s.time, s.cause])).toEqual([[5_500, 'expiry']]);
  });

  it('G1 contrast: the same two writes in two transactions fire the callback at 500 for the intermediate zero', () => {
    const { clock, timer, seen } = periodic(50);
    clock.advanceTo(500);
    timer.transaction((t) => t.setLimit(0, true));
    expect(seen.map((s) => [s.time, s.cause])).toEqual([[500, 'commit']]);
    timer.transaction((t) => t.setLimit(5, true));
    expect(seen).toHaveLength(1);
  });

  it('G2: a read inside the transaction is stale (39), and setPeriod latches it over the written 100', () => {
    const { clock, timer } = periodic(50);
    clock.advanceTo(10_500);
    expect(timer.getCount()).toBe(39n);
    let inside: bigint | undefined;
    timer.transaction((t) => {
      t.setCount(100);
      inside = t.getCount(); // deadline not yet re-anchored
      t.setPeriod(2_000);
    });
    expect(inside).toBe(39n);
    expect(timer.getCount()).toBe(39n); // the 100 was lost
    expect(timer.deadline).toBe(88_500n); // 10 500 + 39 × 2000
  });

  it('G3: { setCount(100); stop() } on the running timer latches 39 and stops (the write is lost too)', () => {
    const { clock, timer } = periodic(50);
    clock.advanceTo(10_500);
    timer.transaction((t) => {
      t.setCount(100);
      t.stop();
    });
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(39n);
  });

  it('G4: from expiry the callback sees the reloaded timer; from commit it sees count 0 and deadline = now', () => {
    const { clock, timer, seen } = periodic(5);
    clock.advanceTo(5_000);
    expect(seen).toEqual([{ time: 5_000, cause: 'expiry', count: 5n, deadline: 10_000n, inTx: true }]);
    timer.transaction((t) => t.setCount(0));
    expect(seen[1]).toEqual({ time: 5_000, cause: 'commit', count: 0n, deadline: 5_000n, inTx: true });
    expect(seen).toHaveLength(2);
    expect(timer.deadline).toBe(10_000n); // reloaded to 5 at the commit instant
    expect(timer.getCount()).toBe(5n);
  });
});

describe('Example H: setFreq conversions (setPeriodFromClock has its own spec, PTimer.periodFromClock.spec.ts)', () => {
  it.each([
    [500, 2_000_000n, 0n],
    [1_000_000, 1_000n, 0n],
    [25_000_000, 40n, 0n],
    [24_000_000, 41n, 0xaaaa_aaaan],
    [32_768, 30_517n, 0x9400_0000n],
    [3, 333_333_333n, 0x5555_5555n],
    [2_000_000_000, 0n, 0x8000_0000n],
  ])('setFreq(%i) → period %s ns, frac %s', (hz, ns, frac32) => {
    const { timer } = rig();
    timer.transaction((t) => t.setFreq(hz));
    expect(timer.getPeriod()).toEqual({ ns, frac32 });
  });

  it('setFreq accepts a bigint and gives the same period', () => {
    const { timer } = rig();
    timer.transaction((t) => t.setFreq(32_768n));
    expect(timer.getPeriod()).toEqual({ ns: 30_517n, frac32: 0x9400_0000n });
  });
});
