// The register sequences real drivers issue to this timer, with what the guest must read at
// the PCLK edges that matter (and 1 ns either side). The sequences are written from what the
// drivers do (which registers, in which order), not from their code:
// - Linux drivers/clocksource/timer-mps2.c (MPS2 boards): a clocksource/sched_clock timer
//   read as ~VALUE, and a clockevent timer (periodic, one-shot, shutdown, interrupt handler).
// - Zephyr drivers/counter/timer_tmr_cmsdk_apb.c: start, get_value, set_top_value, the ISR,
//   get_pending_int, get_top_value, stop.
// - The bare-metal driver of the Cortex-M System Design Kit example software
//   (CMSDK_driver.c: init with internal or external clock, start/stop, IRQ enable/clear/status).
// PCLK is 25 MHz (40 ns per cycle), as on the MPS2 AN385.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, wait, waitForIrq, type AccessResult, type DriverCommand } from '../../../index';
import { CTRL, EN, HZ, INTCLEAR, INTSTATUS, IRQEN, makeRig, RELOAD, SELEXTCLK, SELEXTEN, TICK, VALUE, type Rig } from './rig';

const T0 = 2_000_000; // the drivers start 2 ms after boot

/** Runs a driver on the rig's device and clock, collecting its access results. */
const drive = (rig: Rig, program: () => Generator<DriverCommand, void, number | undefined>): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe((r) => results.push(r));
  return results;
};

const readsOf = (results: readonly AccessResult[], offset: number) =>
  results.filter((r) => r.kind === 'read' && r.offset === offset).map((r) => [r.time, r.value]);

describe('Linux timer-mps2', () => {
  describe('clocksource and sched_clock: a free-running timer read as ~VALUE', () => {
    /** mps2_clocksource_init(): stop, VALUE and RELOAD to all ones, enable without interrupt. */
    const init = (): Rig => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      rig.w(CTRL, 0);
      rig.w(VALUE, 0xffff_ffff);
      rig.w(RELOAD, 0xffff_ffff);
      rig.w(CTRL, EN);
      return rig;
    };
    const cycles = (rig: Rig): number => ~rig.r(VALUE) >>> 0; // clocksource_mmio_readl_down

    it('counts one per PCLK cycle from the enable, changing 1 ns after each edge', () => {
      const rig = init();
      expect(cycles(rig)).toBe(0);
      rig.clock.advanceTo(T0 + TICK);
      expect(cycles(rig)).toBe(0);
      rig.clock.advanceTo(T0 + TICK + 1);
      expect(cycles(rig)).toBe(1);
      // one second: 25 000 000 cycles
      rig.clock.advanceTo(T0 + 1_000_000_000 + 1);
      expect(cycles(rig)).toBe(HZ);
    });

    it('wraps after exactly 2^32 cycles (1 -> 0, a cycle at 0, reload to all ones), with no interrupt', () => {
      const rig = init();
      // last ns before the 1 -> 0 step, 2^32 - 1 cycles after the enable
      rig.clock.advanceTo(T0 + (2 ** 32 - 1) * TICK - 1);
      expect(cycles(rig)).toBe(0xffff_fffe);
      // the step: VALUE 0, i.e. ~VALUE all ones; IRQEN is clear so nothing is pending
      rig.clock.advanceTo(T0 + (2 ** 32 - 1) * TICK);
      expect(cycles(rig)).toBe(0xffff_ffff);
      expect([rig.r(INTSTATUS), rig.device.irq.level]).toEqual([0, false]);
      // the reload: back to 0 after 2^32 cycles, so the 32-bit clocksource mask holds
      rig.clock.advanceTo(T0 + 2 ** 32 * TICK);
      expect(cycles(rig)).toBe(0xffff_ffff);
      rig.clock.advanceTo(T0 + 2 ** 32 * TICK + 1);
      expect(cycles(rig)).toBe(0);
      rig.clock.advanceTo(T0 + 2 ** 32 * TICK + TICK + 1);
      expect(cycles(rig)).toBe(1);
    });
  });

  describe('clockevent', () => {
    const PER_TICK = HZ / 100; // clock_count_per_tick = DIV_ROUND_CLOSEST(rate, HZ = 100): 250 000

    /** mps2_clockevent_init(): stop the timer before the interrupt is requested. */
    const init = (): Rig => {
      const rig = makeRig();
      rig.clock.advanceTo(T0);
      rig.w(CTRL, 0);
      return rig;
    };

    /** The interrupt handler: read INT (0 would be a spurious interrupt), write 1 to clear it. */
    function* isr(): Generator<DriverCommand, number, number | undefined> {
      const status = yield guestRead(INTSTATUS);
      if (status !== 0) yield guestWrite(INTCLEAR, 1);
      return status ?? 0;
    }

    it('periodic: RELOAD, VALUE, CTRL = IE | EN; the first tick after RELOAD cycles, then every RELOAD + 1 (A1)', () => {
      const rig = init();
      const results = drive(rig, function* () {
        // set_state_periodic
        yield guestWrite(RELOAD, PER_TICK);
        yield guestWrite(VALUE, PER_TICK);
        yield guestWrite(CTRL, IRQEN | EN);
        for (let n = 0; n < 4; n++) {
          yield waitForIrq(rig.device.irq);
          yield* isr();
        }
      });
      const first = T0 + PER_TICK * TICK; // 12 ms
      const period = (PER_TICK + 1) * TICK; // 10.00004 ms
      rig.clock.advanceTo(first - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(first + 4 * period - 1); // just before a fifth tick the driver does not wait for
      expect(readsOf(results, INTSTATUS)).toEqual([0, 1, 2, 3].map((n) => [first + n * period, 1]));
      // every handler cleared its interrupt at the instant it ran
      expect(results.filter((r) => r.kind === 'write' && r.offset === INTCLEAR).map((r) => r.time)).toEqual(
        [0, 1, 2, 3].map((n) => first + n * period),
      );
      expect(rig.device.irq.level).toBe(false);
    });

    it('one-shot: shutdown (RELOAD = 0, CTRL = 0), then set_next_event writes VALUE and CTRL = IE | EN; one interrupt each (A4)', () => {
      const rig = init();
      let e1 = 0;
      let e2 = 0;
      const results = drive(rig, function* () {
        // set_state_oneshot
        yield guestWrite(RELOAD, 0);
        yield guestWrite(CTRL, 0);
        // set_next_event(1000)
        yield guestWrite(VALUE, 1000);
        yield guestWrite(CTRL, IRQEN | EN);
        yield waitForIrq(rig.device.irq);
        e1 = rig.clock.now();
        yield* isr();
        // the event handler programs the next event: the minimum delta, 0xf cycles
        yield guestWrite(VALUE, 0xf);
        yield guestWrite(CTRL, IRQEN | EN);
        yield waitForIrq(rig.device.irq);
        e2 = rig.clock.now();
        yield* isr();
      });
      rig.clock.advanceTo(T0 + 1000 * TICK - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(T0 + 1_000_000_000);
      expect(e1).toBe(T0 + 1000 * TICK);
      expect(e2).toBe(e1 + 0xf * TICK);
      expect(readsOf(results, INTSTATUS)).toEqual([
        [e1, 1],
        [e2, 1],
      ]);
      // nothing programmed: VALUE holds 0 and no further interrupt comes
      expect(rig.state()).toEqual([0, 0, false]);
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([e1, e2]);
    });

    it('one-shot: a set_next_event while one is pending replaces it', () => {
      const rig = init();
      rig.w(RELOAD, 0);
      rig.w(CTRL, 0);
      rig.w(VALUE, 1000);
      rig.w(CTRL, IRQEN | EN);
      rig.clock.advanceTo(T0 + 100 * TICK + 1);
      const t = rig.clock.now();
      rig.w(VALUE, 500);
      rig.w(CTRL, IRQEN | EN);
      rig.clock.advanceTo(t + 500 * TICK - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(t + 500 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.clock.advanceTo(T0 + 1000 * TICK + 1); // the old event time passes quietly
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    });

    it('shutdown while periodic: RELOAD = 0 (VALUE too, A3), CTRL = 0: no interrupt ever after', () => {
      const rig = init();
      rig.w(RELOAD, PER_TICK);
      rig.w(VALUE, PER_TICK);
      rig.w(CTRL, IRQEN | EN);
      rig.clock.advanceTo(T0 + 1000 * TICK + 1);
      rig.w(RELOAD, 0);
      rig.w(CTRL, 0);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(T0 + 10 * PER_TICK * TICK);
      expect(rig.state()).toEqual([0, 0, false]);
      expect(rig.events).toEqual([]);
    });
  });
});

describe('Zephyr counter driver (timer_tmr_cmsdk_apb)', () => {
  const UINT32_MAX = 0xffff_ffff;

  it('start, get_value, set_top_value, the ISR, get_pending_int, get_top_value, stop', () => {
    const rig = makeRig();
    const { clock, r, w } = rig;
    let load = UINT32_MAX; // data->load before any top value
    const getValue = (): number => (load - r(VALUE)) >>> 0;
    clock.advanceTo(T0);
    // start(): RELOAD = load, CTRL = EN
    w(RELOAD, load);
    w(CTRL, EN);
    expect(getValue()).toBe(0);
    clock.advanceTo(T0 + 10 * TICK + 1);
    expect(getValue()).toBe(10);
    // set_top_value(1000, callback): VALUE, RELOAD, then CTRL |= IRQEN | EN
    const t1 = T0 + 20 * TICK + 7;
    clock.advanceTo(t1);
    load = 1000;
    w(VALUE, 1000);
    w(RELOAD, 1000);
    w(CTRL, r(CTRL) | IRQEN | EN);
    expect([getValue(), r(RELOAD)]).toEqual([0, 1000]); // get_top_value reads RELOAD
    // the ISR: INTCLEAR = 1, then the top callback, which reads the counter
    const callbacks: number[][] = [];
    drive(rig, function* () {
      for (let n = 0; n < 3; n++) {
        yield waitForIrq(rig.device.irq);
        const pending = yield guestRead(INTSTATUS); // get_pending_int, as seen by the callback's caller
        yield guestWrite(INTCLEAR, 1);
        callbacks.push([clock.now(), pending ?? -1, getValue()]);
      }
    });
    // the counter wraps after top + 1 ticks: 1000 to the first interrupt, 1001 between the next ones
    clock.advanceTo(t1 + 1000 * TICK - 1);
    expect([getValue(), r(INTSTATUS)]).toEqual([999, 0]);
    clock.advanceTo(t1 + 1000 * TICK + 2 * 1001 * TICK);
    // at each interrupt the counter is in its cycle at 0: get_value reads the top value
    expect(callbacks).toEqual([0, 1, 2].map((n) => [t1 + 1000 * TICK + n * 1001 * TICK, 1, 1000]));
    // 1 ns after the cycle at 0, the count starts over
    clock.advanceBy(TICK + 1);
    expect([getValue(), r(INTSTATUS)]).toEqual([0, 0]);
    // stop(): CTRL = 0, the counter holds
    clock.advanceBy(5 * TICK);
    w(CTRL, 0);
    const held = getValue();
    clock.advanceBy(1_000_000);
    expect(getValue()).toBe(held);
    expect(held).toBe(5);
  });
});

describe('Bare-metal CMSDK driver (Cortex-M System Design Kit example software)', () => {
  /** CMSDK_timer_Init_IntClock / _ExtClock / _ExtEnable: stop, clear, RELOAD, VALUE, then CTRL. */
  const initTimer = (rig: Rig, reload: number, ctrl: number): void => {
    rig.w(CTRL, 0);
    rig.w(INTCLEAR, 1);
    rig.w(RELOAD, reload);
    rig.w(VALUE, reload);
    rig.w(CTRL, ctrl);
  };

  it('a polled delay: Init_IntClock with IRQEN (NVIC off), poll StatusIRQ, ClearIRQ, StopTimer', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const N = 0x100;
    const results = drive(rig, function* () {
      initTimer(rig, N, IRQEN | EN);
      // poll INTSTATUS every 7 cycles until it is set
      while ((yield guestRead(INTSTATUS)) === 0) yield wait(7 * TICK);
      yield guestWrite(INTCLEAR, 1); // ClearIRQ
      const ctrl = yield guestRead(CTRL); // StopTimer: CTRL &= ~EN
      yield guestWrite(CTRL, (ctrl ?? 0) & ~EN);
    });
    rig.clock.advanceTo(T0 + 10 * N * TICK);
    const polls = readsOf(results, INTSTATUS);
    const step = T0 + N * TICK;
    // the first poll at or after the 1 -> 0 step sees it; every poll before it saw 0
    const firstSeen = T0 + Math.ceil((N * TICK) / (7 * TICK)) * 7 * TICK;
    expect(polls.at(-1)).toEqual([firstSeen, 1]);
    expect(polls.slice(0, -1).every(([t, v]) => t! < step && v === 0)).toBe(true);
    // the poll came 3 cycles after the step (a cycle at 0, then RELOAD, then RELOAD - 1): stopped there
    expect(firstSeen - step).toBe(3 * TICK);
    expect(rig.state()).toEqual([N - 1, 0, false]);
    expect(rig.r(CTRL)).toBe(IRQEN);
  });

  it('Init_ExtClock / Init_ExtEnable select EXTIN: reported unimplemented, the counter runs on PCLK (A6)', () => {
    const rig = makeRig();
    initTimer(rig, 100, SELEXTCLK | IRQEN | EN);
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented', feature: 'CTRL.SELEXTCLK', offset: CTRL })]);
    initTimer(rig, 100, SELEXTEN | IRQEN | EN);
    expect(rig.events.at(-1)).toEqual(expect.objectContaining({ kind: 'unimplemented', feature: 'CTRL.SELEXTEN' }));
    rig.clock.advanceTo(100 * TICK);
    expect(rig.state()).toEqual([0, 1, true]);
  });

  it('GetValue / SetValue / GetReload / SetReload / DisableIRQ / EnableIRQ while running', () => {
    const rig = makeRig();
    const { clock, r, w } = rig;
    initTimer(rig, 1000, IRQEN | EN);
    clock.advanceTo(100 * TICK + 1);
    expect([r(VALUE), r(RELOAD)]).toEqual([900, 1000]);
    // SetValue: the count goes on from the value written
    w(VALUE, 50);
    clock.advanceBy(10 * TICK);
    expect(r(VALUE)).toBe(41);
    // SetReload also loads VALUE (A3)
    w(RELOAD, 30);
    expect([r(VALUE), r(RELOAD)]).toEqual([30, 30]);
    // DisableIRQ (CTRL &= ~IRQEN): the next step sets nothing (A2)
    w(CTRL, r(CTRL) & ~IRQEN);
    clock.advanceBy(30 * TICK);
    expect(rig.state()).toEqual([0, 0, false]);
    // EnableIRQ (CTRL |= IRQEN): the step after that sets it, 31 cycles later
    w(CTRL, r(CTRL) | IRQEN);
    clock.advanceBy(31 * TICK - 1);
    expect(rig.state()).toEqual([1, 0, false]);
    clock.advanceBy(1);
    expect(rig.state()).toEqual([0, 1, true]);
  });
});
