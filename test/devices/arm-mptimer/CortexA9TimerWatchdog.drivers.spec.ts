// The register sequences real drivers issue to the Cortex-A9 private timer and watchdog, with
// what the TRM says they must read, at exact tick boundaries and 1 ns after:
// - Linux drivers/clocksource/arm_twd.c (the TWD local timer as a per-CPU clock event device:
//   calibration, periodic and one-shot modes, the interrupt acknowledge, shutdown);
// - Linux drivers/watchdog/mpcore_wdt.c (watchdog mode with a /256 prescaler, keepalive by
//   rewriting the Load register, the disable sequence on stop);
// - bare metal: the DE1-SoC university-program examples (polled and interrupt-driven private
//   timer at 200 MHz) and Xilinx's standalone XScuTimer / XScuWdt drivers for Zynq-7000
//   (read-modify-write of the control registers).
// The sequences are written from what those drivers do (which registers, in which order).
// PERIPHCLK is 200 MHz here: a cycle is 5 ns.
import { describe, expect, it } from 'vitest';
import {
  AUTO_RELOAD,
  CONTROL,
  COUNTER,
  ENABLE,
  IRQ_ENABLE,
  ISR,
  KEY1,
  KEY2,
  LOAD,
  makeRig,
  prescaler,
  WCONTROL,
  WCOUNTER,
  WD_MODE,
  WDISABLE,
  WISR,
  WLOAD,
  WRESET,
  type Rig,
} from './rig';

const HZ = 200_000_000;
const CYCLE = 5;
/** Linux HZ = 100: a jiffy is 10 ms. */
const JIFFY = 10_000_000;

/** arm_twd's interrupt handler: if the event flag is set, write 1 to clear it and run the tick. Returns the tick times. */
const twdHandler = (r: Rig): number[] => {
  const ticks: number[] = [];
  r.device.timerIrq.level$.subscribe((high) => {
    if (!high) return;
    if ((r.r(ISR) & 1) === 0) return; // twd_timer_ack: nothing pending, not ours
    r.w(ISR, 1);
    ticks.push(r.clock.now());
  });
  return ticks;
};

describe('Linux arm_twd (TWD local timer, clock event device)', () => {
  it('calibration: enable with no interrupt or reload, COUNTER = 0xFFFFFFFF, read it 5 jiffies later', () => {
    const r = makeRig({ hz: HZ });
    // At a jiffy boundary: CONTROL = enable only. The counter is still 0 after reset, PRESCALER 0:
    // it does not start (A2) and nothing is flagged.
    r.at(JIFFY).w(CONTROL, ENABLE);
    expect(r.r(COUNTER)).toBe(0);
    // Then the maximum count: it starts decrementing at once.
    r.w(COUNTER, 0xffff_ffff);
    // Five jiffies later (50 ms = 10 000 000 cycles). Exactly on that boundary the last step is
    // not visible yet; the driver's read comes after it, as 1 ns later here.
    expect(r.at(6 * JIFFY).r(COUNTER)).toBe(0xffff_ffff - 10_000_000 + 1);
    const count = r.at(6 * JIFFY + 1).r(COUNTER);
    expect(count).toBe(0xffff_ffff - 10_000_000);
    // rate = (0xFFFFFFFF - count) * (HZ / 5)
    expect((0xffff_ffff - count) * (100 / 5)).toBe(HZ);
    expect(r.r(ISR)).toBe(0);
    // twd_timer_setup then stops the timer before registering the clock event device.
    r.w(CONTROL, 0);
    const held = r.r(COUNTER);
    expect(r.at(7 * JIFFY).r(COUNTER)).toBe(held);
  });

  it('periodic mode: LOAD = rate / HZ, CONTROL = ENABLE | IT_ENABLE | PERIODIC; ticks every Load + 1 cycles after the first', () => {
    const r = makeRig({ hz: HZ });
    const ticks = twdHandler(r);
    const t0 = 1_000;
    // set_state_periodic at t0: LOAD first, then CONTROL.
    r.at(t0).w(LOAD, HZ / 100);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    // The first tick is LOAD cycles = 10 ms later.
    expect([r.at(t0 + JIFFY - 1).r(COUNTER), r.r(ISR), r.device.timerIrq.level]).toEqual([1, 0, false]);
    r.at(t0 + JIFFY);
    expect(ticks).toEqual([t0 + JIFFY]);
    // The handler has acknowledged it: flag clear, line low, the counter resting at 0 for one cycle.
    expect([r.r(COUNTER), r.r(ISR), r.device.timerIrq.level]).toEqual([0, 0, false]);
    expect(r.at(t0 + JIFFY + CYCLE).r(COUNTER)).toBe(0);
    expect(r.at(t0 + JIFFY + CYCLE + 1).r(COUNTER)).toBe(HZ / 100);
    // Later ticks are LOAD + 1 cycles apart: 10 000 005 ns (the TRM's (Load + 1) interval).
    r.at(t0 + 5 * JIFFY);
    expect(ticks).toEqual([t0 + JIFFY, t0 + 2 * JIFFY + 5, t0 + 3 * JIFFY + 10, t0 + 4 * JIFFY + 15]);
    // No guest error: the only events are the ticks' expiries (#13: devices record their expiries).
    expect(r.events).toEqual(ticks.map((time) => expect.objectContaining({ kind: 'expiry', time, timer: 'arm-mptimer.timer' })));
  });

  it('one-shot mode: CONTROL = IT_ENABLE; set_next_event reads CONTROL, writes COUNTER, then CONTROL | ENABLE', () => {
    const r = makeRig({ hz: HZ });
    const ticks = twdHandler(r);
    // Switching from periodic: shutdown (CONTROL = 0), then set_state_oneshot.
    r.w(LOAD, HZ / 100);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.at(3_000).w(CONTROL, 0);
    r.w(CONTROL, IRQ_ENABLE);
    // set_next_event(1000 cycles) at 4 000 ns.
    r.at(4_000);
    const ctrl = r.r(CONTROL);
    expect(ctrl).toBe(IRQ_ENABLE);
    r.w(COUNTER, 1_000);
    // Not enabled yet: the written count waits.
    expect(r.at(4_500).r(COUNTER)).toBe(1_000);
    r.w(CONTROL, ctrl | ENABLE);
    expect(r.at(4_500 + 1_000 * CYCLE - 1).r(COUNTER)).toBe(1);
    r.at(4_500 + 1_000 * CYCLE);
    expect(ticks).toEqual([9_500]);
    // The next event at the driver's minimum delta, 0xf cycles: COUNTER, then the same CONTROL again.
    const again = r.r(CONTROL);
    expect(again).toBe(IRQ_ENABLE | ENABLE);
    r.w(COUNTER, 0xf);
    r.w(CONTROL, again | ENABLE); // unchanged: the count just written is not disturbed (A3)
    r.at(9_500 + 0xf * CYCLE);
    expect(ticks).toEqual([9_500, 9_575]);
    // Single shot: nothing more until the next set_next_event.
    r.at(1_000_000);
    expect(ticks).toEqual([9_500, 9_575]);
    expect(r.r(COUNTER)).toBe(0);
  });

  it('shutdown (CPU going down): CONTROL = 0 stops the counter with its count held and no event', () => {
    const r = makeRig({ hz: HZ });
    const ticks = twdHandler(r);
    r.w(LOAD, 100);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    r.at(251).w(CONTROL, 0); // 50 cycles and 1 ns in: 50 steps taken, it reads 50
    expect(r.r(COUNTER)).toBe(50);
    r.at(10_000);
    expect([r.r(COUNTER), ticks]).toEqual([50, []]);
  });
});

describe('Linux mpcore_wdt', () => {
  /** Prescaler 255: one watchdog tick every 256 cycles = 1 280 ns. */
  const WTICK = 256 * CYCLE;
  const MARGIN = 1_000_000; // ticks: 1.28 s

  /** mpcore_wdt_keepalive: read WCOUNTER, write the (recomputed) reload value to WLOAD. */
  const keepalive = (r: Rig, load: number): number => {
    const seen = r.r(WCOUNTER);
    r.w(WLOAD, load);
    return seen;
  };
  /** mpcore_wdt_stop: the disable sequence, then WCONTROL = 0. */
  const stop = (r: Rig): void => {
    r.w(WDISABLE, KEY1);
    r.w(WDISABLE, KEY2);
    r.w(WCONTROL, 0);
  };
  /** mpcore_wdt_start: a keepalive, then prescale 256, watchdog mode, enable (0xFF09). */
  const start = (r: Rig): void => {
    keepalive(r, MARGIN);
    r.w(WCONTROL, prescaler(0xff) | WD_MODE | ENABLE);
  };

  it('probe stops a watchdog left running in watchdog mode by the boot loader', () => {
    const r = makeRig({ hz: HZ });
    r.w(WLOAD, 10);
    r.w(WCONTROL, WD_MODE | ENABLE);
    stop(r.at(20));
    expect(r.r(WCONTROL)).toBe(0);
    expect([r.at(1_000_000).r(WRESET), r.device.wdresetreq.level]).toEqual([0, false]);
  });

  it('start, keepalive every second, then no keepalive: WDRESETREQ exactly MARGIN ticks after the last one', () => {
    const r = makeRig({ hz: HZ });
    start(r);
    expect(r.r(WCONTROL)).toBe(0xff09);
    // A watchdog tick is 1 280 ns: the count shows MARGIN up to the first boundary, then steps.
    expect(r.at(WTICK).r(WCOUNTER)).toBe(MARGIN);
    expect(r.at(WTICK + 1).r(WCOUNTER)).toBe(MARGIN - 1);
    // Keepalive at 1 s (the driver alternates the value by 1 so consecutive writes differ).
    // 1 s is a tick boundary (781 250 ticks): the 781 250th step is not visible yet.
    expect(keepalive(r.at(1_000_000_000), MARGIN + 1)).toBe(MARGIN - 781_250 + 1);
    expect(keepalive(r.at(2_000_000_000), MARGIN)).toBe(MARGIN + 1 - 781_250 + 1);
    // No more keepalives: MARGIN ticks after 2 s, at 3.28 s.
    const timeout = 2_000_000_000 + MARGIN * WTICK;
    r.at(timeout - 1);
    expect([r.r(WCOUNTER), r.r(WRESET), r.r(WISR), r.device.wdresetreq.level]).toEqual([1, 0, 0, false]);
    r.at(timeout);
    expect([r.r(WCOUNTER), r.r(WRESET), r.r(WISR), r.device.wdresetreq.level]).toEqual([0, 1, 0, true]);
    expect(r.device.watchdogIrq.level).toBe(false);
    // The board resets the CPUs (and this block) on WDRESETREQ; the boot code finds RESET_FLAG set.
    r.device.reset();
    expect([r.r(WRESET), r.r(WCONTROL), r.device.wdresetreq.level]).toEqual([1, 0, false]);
    // It clears it by writing 1.
    r.w(WRESET, 1);
    expect(r.r(WRESET)).toBe(0);
  });

  it('release: stop leaves watchdog mode and disables the counter; no reset follows', () => {
    const r = makeRig({ hz: HZ });
    start(r);
    stop(r.at(500_000_000));
    expect(r.r(WCONTROL)).toBe(0);
    const held = r.r(WCOUNTER);
    r.at(5_000_000_000);
    expect([r.r(WCOUNTER), r.r(WRESET), r.device.wdresetreq.level]).toEqual([held, 0, false]);
  });

  it('mpcore_noboot: timer mode (0xFF01): the timeout sets the event flag only, never the reset', () => {
    const r = makeRig({ hz: HZ });
    keepalive(r, MARGIN);
    r.w(WCONTROL, prescaler(0xff) | ENABLE);
    r.at(MARGIN * WTICK);
    expect([r.r(WISR), r.r(WRESET), r.device.wdresetreq.level, r.device.watchdogIrq.level]).toEqual([1, 0, false, false]);
    // mpcore_wdt_fire's acknowledge: read WISR, write 1.
    r.w(WISR, 1);
    expect(r.r(WISR)).toBe(0);
  });
});

describe('bare metal: DE1-SoC private timer examples (200 MHz)', () => {
  it('polled 1 s delay: LOAD = 200 000 000, CONTROL = ENABLE | AUTO_RELOAD, poll the F bit, write 1 to clear', () => {
    const r = makeRig({ hz: HZ });
    r.w(LOAD, HZ);
    r.w(CONTROL, ENABLE | AUTO_RELOAD);
    expect(r.at(1_000_000_000 - 1).r(ISR)).toBe(0);
    expect(r.at(1_000_000_000).r(ISR)).toBe(1);
    r.w(ISR, 1);
    // The next second is (Load + 1) cycles: 5 ns later than a round 2 s.
    expect(r.at(2_000_000_004).r(ISR)).toBe(0);
    expect(r.at(2_000_000_005).r(ISR)).toBe(1);
    expect(r.device.timerIrq.level).toBe(false); // no IRQ_ENABLE: polled only
  });

  it('interrupt-driven: CONTROL = ENABLE | AUTO_RELOAD | IRQ_ENABLE raises PPI 29 until the handler writes 1', () => {
    const r = makeRig({ hz: HZ });
    r.w(LOAD, 1_000);
    r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    expect(r.at(4_999).device.timerIrq.level).toBe(false);
    expect(r.at(5_000).device.timerIrq.level).toBe(true);
    expect(r.at(6_000).device.timerIrq.level).toBe(true); // a level: held until acknowledged
    r.w(ISR, 1);
    expect(r.device.timerIrq.level).toBe(false);
  });
});

describe('bare metal: Xilinx standalone XScuTimer / XScuWdt (read-modify-write of the control registers)', () => {
  const rmw = (r: Rig, offset: number, clear: number, set: number): void => r.w(offset, ((r.r(offset) & ~clear) | set) >>> 0);

  it('XScuTimer interrupt example: EnableAutoReload, LoadTimer, EnableInterrupt, Start; the handler clears and stops after 3', () => {
    const r = makeRig({ hz: HZ });
    const seen: number[] = [];
    r.device.timerIrq.level$.subscribe((high) => {
      if (!high) return;
      if ((r.r(ISR) & 1) === 0) return; // XScuTimer_IsExpired
      r.w(ISR, 1); // XScuTimer_ClearInterruptStatus
      seen.push(r.clock.now());
      if (seen.length === 3) rmw(r, CONTROL, ENABLE, 0); // XScuTimer_Stop
    });
    rmw(r, CONTROL, 0, AUTO_RELOAD);
    r.w(LOAD, 1_000);
    rmw(r, CONTROL, 0, IRQ_ENABLE);
    rmw(r, CONTROL, 0, ENABLE);
    r.at(100_000);
    expect(seen).toEqual([5_000, 10_005, 15_010]);
    expect(r.r(CONTROL)).toBe(AUTO_RELOAD | IRQ_ENABLE);
  });

  it('XScuTimer polled: SetPrescaler (RMW of [15:8]), LoadTimer, Start; GetCounterValue until 0', () => {
    const r = makeRig({ hz: HZ });
    rmw(r, CONTROL, 0xff00, prescaler(49)); // 50 cycles: a 250 ns tick
    r.w(LOAD, 4_000); // 1 ms
    rmw(r, CONTROL, 0, ENABLE);
    expect(r.at(250).r(COUNTER)).toBe(4_000);
    expect(r.at(251).r(COUNTER)).toBe(3_999);
    expect([r.at(999_999).r(COUNTER), r.r(ISR)]).toEqual([1, 0]);
    expect([r.at(1_000_000).r(COUNTER), r.r(ISR)]).toEqual([0, 1]);
  });

  it('XScuWdt watchdog mode: LoadWdt, SetWdMode, Start; RestartWdt rewrites WLOAD with itself; IsWdtExpired reads WRESET', () => {
    const r = makeRig({ hz: HZ });
    r.w(WLOAD, 100_000); // 500 µs
    rmw(r, WCONTROL, 0, WD_MODE);
    rmw(r, WCONTROL, 0, ENABLE);
    r.at(400_000).w(WLOAD, r.r(WLOAD)); // XScuWdt_RestartWdt
    expect(r.at(899_999).r(WRESET) & 1).toBe(0);
    expect(r.at(900_000).r(WRESET) & 1).toBe(1);
    expect(r.device.wdresetreq.level).toBe(true);
  });

  it('XScuWdt_SetTimerMode writes the two keys; XScuWdt_Stop clears ENABLE (which also stops it in watchdog mode, A4)', () => {
    const r = makeRig({ hz: HZ });
    r.w(WLOAD, 100_000);
    rmw(r, WCONTROL, 0, WD_MODE | ENABLE);
    rmw(r.at(100_000), WCONTROL, ENABLE, 0); // XScuWdt_Stop, still in watchdog mode
    expect(r.r(WCONTROL)).toBe(WD_MODE);
    // Stopped on a tick boundary (20 000 cycles): the count held is the one shown there.
    expect(r.r(WCOUNTER)).toBe(80_001);
    expect(r.at(10_000_000).r(WRESET)).toBe(0);
    r.w(WDISABLE, KEY1); // XScuWdt_SetTimerMode
    r.w(WDISABLE, KEY2);
    expect(r.r(WCONTROL)).toBe(0);
    // A timer now: IsTimerExpired reads WISR.
    rmw(r, WCONTROL, 0, ENABLE);
    expect(r.at(10_000_000 + 80_001 * CYCLE - 1).r(WISR)).toBe(0);
    expect(r.at(10_000_000 + 80_001 * CYCLE).r(WISR)).toBe(1);
    expect(r.r(WRESET)).toBe(0);
  });
});
