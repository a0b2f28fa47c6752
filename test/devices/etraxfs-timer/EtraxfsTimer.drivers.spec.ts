// Linux's CRIS v32 time.c (arch/cris/arch-v32/kernel/time.c, removed in 4.17) replayed on the
// ETRAX FS timer block: the HZ tick of the older kernels, the one-shot clockevent and the r_time
// clocksource of the later ones, and the watchdog's keyed feed. Values are the driver's: a 100 MHz
// timer clock, HZ = 100 (TIMER0_DIV = 1 000 000), ETRAX_WD_CNT = 2·763/HZ + 1 = 16, key 42.
import { describe, expect, it } from 'vitest';
import { ACK_INTR, ctrl, CTRL, CYCLE, DATA, DIV, HOLD, INTR_MASK, LD, makeRig, MASKED_INTR, R_TIME, RUN, wd, WD_CTRL, WD_STAT, WD_STEP_NS } from './rig';

const HZ = 100;
const TIMER0_DIV = 100_000_000 / HZ;
const JIFFY = 1_000_000_000 / HZ;
const WD_CNT = Math.floor((2 * 763) / HZ) + 1;
const KEY_MASK = 0x7f;

describe('EtraxfsTimer: Linux arch-v32 time.c', () => {
  it('cris_timer_init: div = TIMER0_DIV, ctrl = ld|f100, ctrl = run|f100, intr_mask.tmr0 (read-modify-write); the ISR reads r_masked_intr and acks tmr0: a tick every 10 ms', () => {
    const rig = makeRig();
    const ticks: number[] = [];
    rig.device.irq.watch((high) => {
      if (!high) return;
      expect(rig.r(MASKED_INTR) & 1).toBe(1); // "is the timer interrupt for us"
      ticks.push(rig.clock.now());
      rig.w(ACK_INTR, 1);
    });
    rig.w(DIV[0], TIMER0_DIV);
    rig.w(CTRL[0], ctrl(LD));
    rig.w(CTRL[0], ctrl(RUN));
    rig.w(INTR_MASK, rig.r(INTR_MASK) | 1);
    rig.clock.advanceTo(5 * JIFFY);
    expect(ticks).toEqual([1, 2, 3, 4, 5].map((k) => k * JIFFY));
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  it('get_ns_in_jiffie: (TIMER0_DIV - r_tmr0_data) × 10 ns is the time since the last tick', () => {
    const rig = makeRig();
    rig.w(DIV[0], TIMER0_DIV);
    rig.w(CTRL[0], ctrl(LD));
    rig.w(CTRL[0], ctrl(RUN));
    for (const cycles of [0, 250_000, TIMER0_DIV - 1]) {
      rig.clock.advanceTo(JIFFY + cycles * CYCLE + 1); // just past the cycle's edge, in the second jiffy
      expect((TIMER0_DIV - rig.r(DATA[0])) * CYCLE).toBe(cycles * CYCLE);
    }
  });

  it('the clockevent (later kernels): init holds tmr0 and unmasks it; set_next_event(evt) = div evt, ld, run; the ISR holds tmr0 and acks it: one interrupt per programmed event', () => {
    const rig = makeRig();
    const events: number[] = [];
    const deltas = [500, 2, 123_456, 0xffff_ffff];
    const next = (): void => {
      const evt = deltas.shift();
      if (evt === undefined) return;
      rig.w(DIV[0], evt);
      rig.w(CTRL[0], ctrl(LD));
      rig.w(CTRL[0], ctrl(RUN));
    };
    rig.device.irq.watch((high) => {
      if (!high) return;
      if ((rig.r(MASKED_INTR) & 1) === 0) return;
      events.push(rig.clock.now());
      rig.w(CTRL[0], ctrl(HOLD));
      rig.w(ACK_INTR, 1);
      next();
    });
    rig.w(CTRL[0], ctrl(HOLD)); // crisv32_timer_init
    rig.w(INTR_MASK, rig.r(INTR_MASK) | 1);
    next();
    rig.clock.advanceTo(2_000_000);
    expect(events).toEqual([5_000, 5_020, 5_020 + 1_234_560]);
    expect(rig.device.timers[0].mode).toBe('periodic'); // the 2^32 - 1 cycle event is pending
  });

  it('the clocksource and sched_clock: r_time read up at 100 MHz', () => {
    const rig = makeRig();
    const reads = [0, 10, 1_000_000, 42_949_672_950, 42_949_672_960].map((t) => {
      rig.clock.advanceTo(t);
      return rig.r(R_TIME);
    });
    expect(reads).toEqual([0, 1, 100_000, 0xffff_ffff, 0]);
  });

  it('the watchdog: start = reset_watchdog (key 42 ^ 0x7f, cnt 16, start); the tick handler feeds it with the inverted key every jiffy: no NMI', () => {
    const rig = makeRig();
    let key = 42;
    const feed = (): void => {
      key ^= KEY_MASK;
      rig.w(WD_CTRL, wd(WD_CNT, 1, key));
    };
    rig.device.irq.watch((high) => {
      if (!high) return;
      rig.w(ACK_INTR, 1);
      feed();
    });
    rig.w(DIV[0], TIMER0_DIV);
    rig.w(CTRL[0], ctrl(LD));
    rig.w(CTRL[0], ctrl(RUN));
    rig.w(INTR_MASK, 1);
    feed(); // start_watchdog
    rig.clock.advanceTo(100 * JIFFY);
    expect([rig.device.nmi.level, rig.device.resetRequest.level]).toEqual([false, false]);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    expect(rig.r(WD_STAT) >>> 8).toBe(1);
  });

  it('the watchdog bites when the ticks stop: the NMI after 15 steps (~19.7 ms), the reset one step later; stop_watchdog in the NMI handler (inverted key, stop) prevents it', () => {
    const bite = (stopInNmi: boolean): [number, number | undefined] => {
      const rig = makeRig();
      let key = 42 ^ KEY_MASK;
      rig.w(WD_CTRL, wd(WD_CNT, 1, key));
      let nmiAt = -1;
      let resetAt: number | undefined;
      rig.device.nmi.watch((high) => {
        if (!high) return;
        nmiAt = rig.clock.now();
        if (!stopInNmi) return;
        key ^= KEY_MASK;
        rig.w(WD_CTRL, wd(WD_CNT, 0, key));
      });
      rig.device.resetRequest.watch((high) => (resetAt = high ? rig.clock.now() : resetAt));
      rig.clock.advanceTo(100 * WD_STEP_NS);
      return [nmiAt, resetAt];
    };
    expect(bite(false)).toEqual([15 * WD_STEP_NS, 16 * WD_STEP_NS]);
    expect(bite(true)).toEqual([15 * WD_STEP_NS, undefined]);
  });
});
