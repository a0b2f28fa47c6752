// The countdown in progress keeps its own length and rate until something
// restarts it (docs/semantics.md §3 and §6, step 4), in both timings:
// - W's rest period belongs to the round its reload began: a limit written
//   during it (without a reload) neither ends the rest nor shows the old
//   reload + 1, as QEMU's `delta == limit` test does;
// - a period change in a transaction leaves the running countdown at its own
//   rate until the commit, so a later latch in the same transaction (stop, a
//   second period change) stores the count at that instant at the old rate.
import { describe, expect, it } from 'vitest';
import { PTimer, PTimerSnapshotError, VirtualClock, type PTimerPolicy, type PTimerTiming } from '../../index';
import { thrown } from '../support/errors';

const TIMINGS: readonly PTimerTiming[] = ['qemu', 'exact'];
const W: readonly PTimerPolicy[] = ['WRAP_AFTER_ONE_PERIOD'];
const WD: readonly PTimerPolicy[] = ['WRAP_AFTER_ONE_PERIOD', 'NO_COUNTER_ROUND_DOWN'];

/** A periodic timer, P = 1000 ns, limit 4, started at 0: it expires at 4 000 and, under W, next at 9 000. */
const started = (timing: PTimerTiming, policy: readonly PTimerPolicy[]) => {
  const clock = new VirtualClock();
  const triggers: number[] = [];
  const timer = new PTimer(clock, { timing, policy, name: 'dut', onTrigger: ({ time }) => triggers.push(time) });
  timer.transaction((t) => {
    t.setPeriod(1_000);
    t.setLimit(4, true);
    t.run(false);
  });
  return { clock, timer, triggers };
};

/** The count at each of `times` (ascending, from the clock's now). */
const readsAt = (clock: VirtualClock, timer: PTimer, times: readonly number[]): bigint[] =>
  times.map((time) => {
    clock.advanceTo(time);
    return timer.getCount();
  });

describe.each(TIMINGS)('W rest period, timing=%s', (timing) => {
  it('a limit written at the expiry instant keeps the rest at 0; the round ends at 9 000 and the next one uses the new limit', () => {
    const { clock, timer, triggers } = started(timing, W);
    clock.advanceTo(4_000); // the expiry has run: reloaded to 4, resting at 0 for one period
    expect(timer.getCount()).toBe(0n);
    timer.transaction((t) => t.setLimit(9, false)); // BGLoad-style: the next reload takes it
    // QEMU's read would show 5 (the old reload + 1) here and 4 until 5 000.
    expect(readsAt(clock, timer, [4_000, 4_500, 5_000, 5_001, 8_999])).toEqual([0n, 0n, 0n, 3n, 0n]);
    clock.advanceTo(9_000);
    expect(triggers).toEqual([4_000, 9_000]);
    expect(timer.deadline).toBe(19_000n); // 9 + 1 periods of the new limit
    expect(readsAt(clock, timer, [9_500, 10_001])).toEqual([0n, 8n]);
  });

  it('under D too: the rest reads 0 (QEMU: old reload + 1 at the instant, + 1 again after it)', () => {
    const { clock, timer } = started(timing, WD);
    clock.advanceTo(4_000);
    timer.transaction((t) => t.setLimit(0xffff_ffff, false));
    expect(readsAt(clock, timer, [4_000, 4_001, 5_000, 5_001])).toEqual([0n, 0n, 0n, 4n]);
  });

  it('a stop in the rest after a limit change latches 0, in the same transaction or a later one', () => {
    const same = started(timing, WD);
    same.clock.advanceTo(4_500);
    same.timer.transaction((t) => {
      t.setLimit(7, false);
      t.stop();
    });
    expect(same.timer.mode).toBe('stopped');
    expect(same.timer.getCount()).toBe(0n);

    const later = started(timing, W);
    later.clock.advanceTo(4_000);
    later.timer.transaction((t) => t.setLimit(7, false));
    later.clock.advanceTo(4_999);
    later.timer.transaction((t) => t.stop());
    expect(later.timer.getCount()).toBe(0n);
  });

  it('a lower limit written in the rest does not end it early, and a stop after setCount still latches the running 0 (G3)', () => {
    const { clock, timer } = started(timing, W);
    clock.advanceTo(4_000);
    timer.transaction((t) => t.setLimit(3, false)); // QEMU: count 4 = limit + 1 after it, so it would read 4 already
    expect(readsAt(clock, timer, [4_200])).toEqual([0n]);
    timer.transaction((t) => {
      t.setCount(2); // the stale-read rule of §3: the latch below reads the running countdown
      t.stop();
    });
    expect(timer.getCount()).toBe(0n);
  });

  it('a switch to one-shot at the expiry instant keeps the rest: 0, then 3 … 0, and it stops at 9 000', () => {
    const { clock, timer, triggers } = started(timing, W);
    clock.advanceTo(4_000);
    timer.transaction((t) => t.run(true)); // QEMU's read skips the rest for a one-shot timer: 5 here
    expect(readsAt(clock, timer, [4_000, 4_999, 5_001])).toEqual([0n, 0n, 3n]);
    clock.advanceTo(9_000);
    expect(triggers).toEqual([4_000, 9_000]);
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(0n);
  });

  it('a snapshot in the rest after a limit change carries restPeriod and restores to the same reads', () => {
    const { clock, timer } = started(timing, W);
    clock.advanceTo(4_000);
    timer.transaction((t) => t.setLimit(9, false));
    clock.advanceTo(4_500);
    const snap = JSON.parse(JSON.stringify(timer.snapshot())) as Record<string, unknown>;
    expect(snap).toMatchObject({ version: 3, restPeriod: true, limit: '9', delta: '4', lastEvent: '4000', nextEvent: '9000' });
    const original = readsAt(clock, timer, [4_500, 5_000, 5_001, 9_500, 10_001]);
    const restoredClock = new VirtualClock({ start: 4_500 });
    const restored = PTimer.restore(restoredClock, snap);
    expect(readsAt(restoredClock, restored, [4_500, 5_000, 5_001, 9_500, 10_001])).toEqual(original);
    expect(original).toEqual([0n, 0n, 3n, 0n, 8n]);
    expect(PTimer.restore(new VirtualClock({ start: 4_500 }), snap).snapshot()).toEqual(snap);
  });

  it('a version 2 snapshot (no restPeriod) of the same state is read with the rest inferred from its span', () => {
    const { clock, timer } = started(timing, W);
    clock.advanceTo(4_000);
    timer.transaction((t) => t.setLimit(9, false));
    clock.advanceTo(4_500);
    const { restPeriod: _rest, ...v2 } = { ...timer.snapshot(), version: 2 };
    const restoredClock = new VirtualClock({ start: 4_500 });
    const restored = PTimer.restore(restoredClock, v2);
    expect(restored.getCount()).toBe(0n);
    expect(restored.snapshot()).toMatchObject({ version: 3, restPeriod: true });
  });

  it.each([
    ['restPeriod true on a countdown of delta periods', 'nextEvent', 1_000, { restPeriod: true }],
    ['restPeriod false on a countdown of delta + 1 periods', 'nextEvent', 4_500, { restPeriod: false }],
    ['restPeriod true on a stopped timer', 'restPeriod', 4_500, { restPeriod: true, mode: 'stopped' }],
    ['restPeriod true with a zero delta', 'restPeriod', 4_500, { restPeriod: true, delta: '0' }],
  ] as const)('refuses %s, naming %s', (_what, field, at, change) => {
    const { clock, timer } = started(timing, W);
    clock.advanceTo(at);
    const error = thrown(() => PTimer.restore(new VirtualClock({ start: at }), { ...timer.snapshot(), ...change }));
    expect(error).toBeInstanceOf(PTimerSnapshotError);
    expect((error as PTimerSnapshotError).field).toBe(field);
  });
});

describe.each(TIMINGS)('a period change, then a latch, in one transaction; timing=%s', (timing) => {
  /** LEGACY periodic, P = 1000 ns, limit 10, started at 0, read at 2 500: 7 (7.5 periods left). */
  const at2500 = () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, { timing, name: 'dut' });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    clock.advanceTo(2_500);
    expect(timer.getCount()).toBe(7n);
    return { clock, timer };
  };

  it('{ setPeriod(100); stop() } latches 7, the count at that instant at the old rate (not 75)', () => {
    const { timer } = at2500();
    timer.transaction((t) => {
      t.setPeriod(100);
      t.stop();
    });
    expect(timer.mode).toBe('stopped');
    expect(timer.getCount()).toBe(7n);
    expect(timer.getPeriod().ns).toBe(100n);
  });

  it('a read between the two still shows 7, and after the commit the new rate applies', () => {
    const { clock, timer } = at2500();
    let inside = -1n;
    timer.transaction((t) => {
      t.setPeriod(100);
      inside = t.getCount();
    });
    expect(inside).toBe(7n);
    expect(timer.deadline).toBe(3_200n); // 2 500 + 7 × 100
    clock.advanceTo(2_601);
    expect(timer.getCount()).toBe(5n);
  });

  it('two period changes restart from 7 at the last period', () => {
    const { timer } = at2500();
    timer.transaction((t) => {
      t.setPeriod(100);
      t.setPeriod(10);
    });
    expect(timer.getCount()).toBe(7n);
    expect(timer.deadline).toBe(2_570n);
  });

  it('in the trigger callback, setPeriod then stop latches the reloaded 10 of the expiry instant', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock, {
      timing,
      name: 'dut',
      onTrigger: ({ timer: t }) => {
        t.setPeriod(100);
        t.stop();
      },
    });
    timer.transaction((t) => {
      t.setPeriod(1_000);
      t.setLimit(10, true);
      t.run(false);
    });
    clock.advanceTo(10_000);
    expect(timer.mode).toBe('stopped');
    // At the anchor of the reloaded round: 10 periods of 1000 ns left, read as 10 (QEMU's read in 100 ns: 100).
    expect(timer.getCount()).toBe(10n);
  });
});
