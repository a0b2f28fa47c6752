// ticks$: the readable count each time it changes, at the instant it
// changes. Checked against the plainest possible reference: read getCount()
// at every ns on an identical timer and keep the changes. Per-tick work
// exists only while someone subscribes (DESIGN.md: reads are O(1), a timer
// schedules per expiry, never per tick).
import { describe, expect, it } from 'vitest';
import {
  PTimer,
  VirtualClock,
  policyCombinations,
  policyName,
  type PTimerPolicy,
  type PTimerTick,
} from '../../index';

const W: PTimerPolicy = 'WRAP_AFTER_ONE_PERIOD';
const D: PTimerPolicy = 'NO_COUNTER_ROUND_DOWN';

type Program = (t: PTimer) => void;

/** Reads getCount() at every ns from 0 to `horizon` on a fresh timer; keeps each change (the program runs at t = 0). */
const scanPerNs = (policy: readonly PTimerPolicy[], program: Program, horizon: number): PTimerTick[] => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { policy });
  let prev = timer.getCount();
  timer.transaction(program);
  const out: PTimerTick[] = [];
  for (let t = 0; t <= horizon; t++) {
    clock.advanceTo(t);
    const count = timer.getCount();
    if (count !== prev) out.push({ time: t, count });
    prev = count;
  }
  return out;
};

/** What ticks$ emits for the same program, subscribed before it runs. */
const emitted = (policy: readonly PTimerPolicy[], program: Program, horizon: number): PTimerTick[] => {
  const clock = new VirtualClock();
  const timer = new PTimer(clock, { policy });
  const out: PTimerTick[] = [];
  timer.ticks$.subscribe((tick) => out.push(tick));
  timer.transaction(program);
  clock.advanceTo(horizon);
  return out;
};

const periodicL3P5: Program = (t) => {
  t.setPeriod(5);
  t.setLimit(3, true);
  t.run(false);
};

describe('ticks$ equals a per-ns scan of getCount()', () => {
  it('LEGACY, P = 5, limit 3, two periods: the exact list', () => {
    const ticks = emitted([], periodicL3P5, 30);
    // 3 at the start (from 0), then 2, 1, 0 one ns past each boundary (rounded down), reload at 15 and 30.
    expect(ticks.map((k) => [k.time, Number(k.count)])).toEqual([
      [0, 3],
      [1, 2],
      [6, 1],
      [11, 0],
      [15, 3],
      [16, 2],
      [21, 1],
      [26, 0],
      [30, 3],
    ]);
    expect(ticks).toEqual(scanPerNs([], periodicL3P5, 30));
  });

  it('W+D, P = 5, limit 3, two periods: the exact list (zero held one period, then the limit)', () => {
    const ticks = emitted([W, D], periodicL3P5, 40);
    expect(ticks.map((k) => [k.time, Number(k.count)])).toEqual([
      [0, 3],
      [6, 2],
      [11, 1],
      [15, 0], // expiry: W holds 0 for one period (15..20)
      [21, 3],
      [26, 2],
      [31, 1],
      [35, 0], // second expiry under W: 15 + 4 × 5
    ]);
    expect(ticks).toEqual(scanPerNs([W, D], periodicL3P5, 40));
  });

  describe.each(policyCombinations().map((p) => [policyName(p), p] as const))('ptimer policy=%s', (_name, policy) => {
    const programs: ReadonlyArray<readonly [string, Program, number]> = [
      ['periodic, P = 5, limit 3', periodicL3P5, 60],
      [
        'zero-count start, limit 3',
        (t) => {
          t.setPeriod(5);
          t.setLimit(3, false);
          t.run(false);
        },
        60,
      ],
      [
        'one-shot, P = 4, count 6',
        (t) => {
          t.setPeriod(4);
          t.setCount(6);
          t.run(true);
        },
        40,
      ],
      [
        'fractional 3.33 ns (300 MHz), limit 5',
        (t) => {
          t.setFreq(300_000_000);
          t.setLimit(5, true);
          t.run(false);
        },
        80,
      ],
      [
        'sub-ns 0.5 ns (2 GHz), limit 8',
        (t) => {
          t.setFreq(2_000_000_000);
          t.setLimit(8, true);
          t.run(false);
        },
        30,
      ],
    ];
    it.each(programs)('%s', (_label, program, horizon) => {
      expect(emitted(policy, program, horizon)).toEqual(scanPerNs(policy, program, horizon));
    });
  });

  it.each([
    ['legacy', [] as PTimerPolicy[]],
    ['W+D', [W, D]],
  ])('%s with the rate clamp on (Example E program, 45 µs)', (_name, policy) => {
    const program: Program = (t) => {
      t.setPeriod(100);
      t.setLimit(10, true);
      t.run(false);
    };
    const withClamp = (p: readonly PTimerPolicy[]) => {
      const clock = new VirtualClock();
      const timer = new PTimer(clock, { policy: p, rateClamp: true });
      return { clock, timer };
    };
    const a = withClamp(policy);
    let prev = a.timer.getCount();
    a.timer.transaction(program);
    const scan: PTimerTick[] = [];
    for (let t = 0; t <= 45_000; t++) {
      a.clock.advanceTo(t);
      const count = a.timer.getCount();
      if (count !== prev) scan.push({ time: t, count });
      prev = count;
    }
    const b = withClamp(policy);
    const ticks: PTimerTick[] = [];
    b.timer.ticks$.subscribe((k) => ticks.push(k));
    b.timer.transaction(program);
    b.clock.advanceTo(45_000);
    expect(ticks).toEqual(scan);
    expect(ticks.length).toBeGreaterThan(30);
  });

  it('a callback that reprograms the count at every other trigger: ticks$ still equals the per-ns scan', () => {
    const make = () => {
      const clock = new VirtualClock();
      let n = 0;
      const timer = new PTimer(clock, {
        onTrigger: ({ timer: t }) => {
          if (++n % 2 === 1) t.setCount(7);
        },
      });
      return { clock, timer };
    };
    const program: Program = (t) => {
      t.setPeriod(3);
      t.setLimit(4, true);
      t.run(false);
    };
    const a = make();
    let prev = a.timer.getCount();
    a.timer.transaction(program);
    const scan: PTimerTick[] = [];
    for (let t = 0; t <= 200; t++) {
      a.clock.advanceTo(t);
      const count = a.timer.getCount();
      if (count !== prev) scan.push({ time: t, count });
      prev = count;
    }
    const b = make();
    const ticks: PTimerTick[] = [];
    b.timer.ticks$.subscribe((k) => ticks.push(k));
    b.timer.transaction(program);
    b.clock.advanceTo(200);
    expect(ticks).toEqual(scan);
    expect(ticks.some((k) => k.count === 7n)).toBe(true);
  });

  describe('fractional period setFreq(3) (≈ 333 ms; checked around each change and sampled in between)', () => {
    const freq3: Program = (t) => {
      t.setFreq(3);
      t.setLimit(3, true);
      t.run(false);
    };
    const horizon = 2_100_000_000;

    it('LEGACY: the changes of Example C, with the −1 ns drift per round', () => {
      const ticks = emitted([], freq3, horizon);
      expect(ticks.map((k) => [k.time, Number(k.count)])).toEqual([
        [0, 2], // one less already at the anchor
        [333_333_333, 1],
        [666_666_666, 0],
        [999_999_999, 2], // expiry (floored deadline)
        [1_333_333_332, 1],
        [1_666_666_665, 0],
        [1_999_999_998, 2],
      ]);
    });

    it.each([
      ['legacy', [] as PTimerPolicy[]],
      ['W+D', [W, D]],
      ['R+D', ['NO_IMMEDIATE_RELOAD', D] as PTimerPolicy[]],
    ])('%s: every emitted change is where a per-ns read changes, and reads hold between changes', (_n, policy) => {
      const ticks = emitted(policy, freq3, horizon);
      expect(ticks.length).toBeGreaterThan(4);
      const clock = new VirtualClock();
      const timer = new PTimer(clock, { policy });
      const before = timer.getCount();
      timer.transaction(freq3);
      const readAt = (t: number) => {
        clock.advanceTo(t);
        return timer.getCount();
      };
      let prev = { time: 0, count: before };
      const check = (from: number, to: number, count: bigint) => {
        // Per-ns right after the change and right before the next one, and 200 samples between.
        for (let t = from; t < Math.min(to, from + 3); t++) expect(readAt(t), `t = ${t}`).toBe(count);
        const step = Math.max(1, Math.floor((to - from) / 200));
        for (let t = from + 3; t < to - 3; t += step) expect(readAt(t), `t = ${t}`).toBe(count);
        for (let t = Math.max(from, to - 3); t < to; t++) expect(readAt(t), `t = ${t}`).toBe(count);
      };
      for (const tick of ticks) {
        if (tick.time > prev.time) check(prev.time, tick.time, prev.count);
        expect(readAt(tick.time), `change at ${tick.time}`).toBe(tick.count);
        expect(tick.count).not.toBe(prev.count);
        prev = tick;
      }
      check(prev.time, horizon + 1, prev.count);
    });
  });
});

describe('ticks$ costs nothing while unsubscribed', () => {
  const program: Program = (t) => {
    t.setPeriod(10);
    t.setLimit(100, true);
    t.run(false);
  };

  it('without a subscriber: one scheduled event per expiry (+ the first arm); with one: per-tick work', () => {
    const quiet = new VirtualClock();
    const quietTimer = new PTimer(quiet);
    quietTimer.transaction(program);
    quiet.advanceTo(10_000);
    expect(quiet.scheduledCount).toBe(10 + 1); // expiries at 1000, 2000, …, 10 000

    const watched = new VirtualClock();
    const watchedTimer = new PTimer(watched);
    const ticks: PTimerTick[] = [];
    watchedTimer.ticks$.subscribe((k) => ticks.push(k));
    watchedTimer.transaction(program);
    watched.advanceTo(10_000);
    expect(ticks.length).toBeGreaterThan(1_000);
    expect(watched.scheduledCount).toBeGreaterThan(quiet.scheduledCount + 900);
    // Same timer behaviour either way.
    expect(watchedTimer.getCount()).toBe(quietTimer.getCount());
    expect(watchedTimer.deadline).toBe(quietTimer.deadline);
  });

  it('unsubscribing stops the per-tick work: afterwards only the expiries are scheduled', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock);
    const ticks: PTimerTick[] = [];
    const sub = timer.ticks$.subscribe((k) => ticks.push(k));
    timer.transaction(program);
    clock.advanceTo(500);
    expect(clock.pending).toBe(2); // the expiry and the next tick
    sub.unsubscribe();
    expect(clock.pending).toBe(1); // only the expiry at 1000
    const scheduled = clock.scheduledCount;
    const seen = ticks.length;
    clock.advanceTo(10_000);
    expect(clock.scheduledCount - scheduled).toBe(10); // re-arms at 1000 … 10 000
    expect(ticks.length).toBe(seen);
  });

  it('is cold: two subscribers get the same changes; a late one only sees changes after it subscribed', () => {
    const clock = new VirtualClock();
    const timer = new PTimer(clock);
    const a: PTimerTick[] = [];
    const b: PTimerTick[] = [];
    timer.ticks$.subscribe((k) => a.push(k));
    timer.transaction((t) => {
      t.setPeriod(5);
      t.setLimit(3, true);
      t.run(false);
    });
    clock.advanceTo(7);
    timer.ticks$.subscribe((k) => b.push(k));
    clock.advanceTo(30);
    expect(b).toEqual(a.filter((k) => k.time > 7));
    expect(b[0]).toEqual({ time: 11, count: 0n });
  });

  it('emits writes to a stopped timer at the write instant, and nothing when the value does not change', () => {
    const clock = new VirtualClock({ start: 100 });
    const timer = new PTimer(clock);
    const ticks: PTimerTick[] = [];
    timer.ticks$.subscribe((k) => ticks.push(k));
    timer.transaction((t) => t.setCount(5));
    clock.advanceTo(150);
    timer.transaction((t) => t.setCount(5));
    timer.transaction((t) => t.setLimit(9, true));
    expect(ticks).toEqual([
      { time: 100, count: 5n },
      { time: 150, count: 9n },
    ]);
    expect(clock.pending).toBe(0); // a stopped timer schedules no tick work
  });
});
