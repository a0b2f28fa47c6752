// The register sequences of Linux's drivers/clocksource/samsung_pwm_timer.c on the Exynos4210
// (compatible "samsung,exynos4210-pwm", the 32-bit `s5p` variant, no PWM outputs declared: timer
// 4 is the clocksource, timer 3 the clock event device), written from what the driver does
// (which registers, in which order, with which values), not from its code:
// - init: both timers' prescaler set to 2 (TCFG0.PRESCALER1 = 1, read-modify-write) and divider
//   to 1 (TCFG1.DIV_MUXn = 0); the event interrupt acknowledged and enabled
//   (TINT_CSTAT = 1 << 3 | 1 << 8); the clocksource set up with 0xFFFFFFFF and started periodic;
// - set-up of a timer: TCON read, START and AUTO_RELOAD cleared and MANUAL_UPDATE set; TCNTB and
//   "TCMPB" written with the count, then TCON; start: MANUAL_UPDATE cleared, START set,
//   AUTO_RELOAD as asked, one TCON write;
// - periodic: stop, set-up with rate / HZ - 1, start with auto-reload; next event: set-up with
//   `cycles` (0 taken as 1), start without; the handler writes TINT_CSTAT = 1 << 3 | 1 << 8;
//   clocksource reads: ~TCNTO4.
// Its first form (Linux 3.10) wrote the count - 1 in the set-up and passed rate / HZ: replayed
// at the end, with what it meant. PCLK 100 MHz ÷ 2 (the prescaler) = 50 MHz: a tick is 20 ns.
import { describe, expect, it } from 'vitest';
import { guestWrite, runDriver, waitForIrq, type AccessResult } from '../../../index';
import { AUTO_RELOAD, INT_EN, INT_STAT, makeRig, MANUAL_UPDATE, START, TCFG0, TCFG1, TCMPB, TCNTB, TCNTO, TCON, TINT_CSTAT, type Rig } from './rig';

const HZ = 100;
const RATE = 50_000_000; // PCLK / (prescaler 2 × divider 1)
const TICK = 20;
const PER_TICK = RATE / HZ; // 500 000 timer ticks per jiffy
const EVENT = 3;
const SOURCE = 4;
const T0 = 1_000_000; // the timer init runs 1 ms after boot

/** The driver's TCMPB(n) offset: 0x10 + 12·n, which for timer 4 is TCNTO4 (timer 4 has no compare buffer). */
const linuxTcmpb = (n: number): number => (n < 4 ? TCMPB(n) : 0x40);

/** The driver's set-up of a timer, `tcnt` as written to TCNTB (the later form writes its argument, the first form its argument - 1). */
const setup = (rig: Rig, n: number, tcnt: number): void => {
  const tcon = ((rig.r(TCON) & ~(START(n) | AUTO_RELOAD(n))) | MANUAL_UPDATE(n)) >>> 0;
  rig.w(TCNTB(n), tcnt >>> 0);
  rig.w(linuxTcmpb(n), tcnt >>> 0);
  rig.w(TCON, tcon);
};
const start = (rig: Rig, n: number, periodic: boolean): void => {
  const tcon = (rig.r(TCON) & ~MANUAL_UPDATE(n)) | START(n);
  rig.w(TCON, (periodic ? tcon | AUTO_RELOAD(n) : tcon & ~AUTO_RELOAD(n)) >>> 0);
};
const stop = (rig: Rig, n: number): void => rig.w(TCON, (rig.r(TCON) & ~START(n)) >>> 0);
const ack = INT_EN(EVENT) | INT_STAT(EVENT);

/** Clock event and clocksource init, in the driver's order; the rig's TCFG0 starts at its reset value. */
const init = (form: 'later' | 'first' = 'later'): Rig => {
  const rig = makeRig({ prescalers: 0x101 });
  rig.clock.advanceTo(T0);
  // clock event: prescaler 2 on timer 3 (prescaler 1), divider 1
  rig.w(TCFG0, (rig.r(TCFG0) & ~0xff00) | (1 << 8));
  rig.w(TCFG1, rig.r(TCFG1) & ~(0xf << 12));
  rig.w(TINT_CSTAT, ack);
  // clocksource: the same on timer 4, the largest count, periodic
  rig.w(TCFG0, (rig.r(TCFG0) & ~0xff00) | (1 << 8));
  rig.w(TCFG1, rig.r(TCFG1) & ~(0xf << 16));
  setup(rig, SOURCE, form === 'later' ? 0xffff_ffff : 0xffff_fffe);
  start(rig, SOURCE, true);
  return rig;
};

/** The clock event handler: acknowledges each interrupt of timer 3, as the driver's does. */
const handler = (rig: Rig, count: number): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(
    function* () {
      for (let k = 0; k < count; k++) {
        yield waitForIrq(rig.device.irq3);
        yield guestWrite(TINT_CSTAT, ack);
      }
    },
    { device: rig.device, scheduler: rig.clock },
  ).subscribe((r) => results.push(r));
  return results;
};

const clocksource = (rig: Rig): number => ~rig.r(TCNTO(SOURCE)) >>> 0;

describe('Linux samsung_pwm_timer on the Exynos4210', () => {
  it('init: TCFG0 0x0101 (prescaler 2 for timers 2-4), TCFG1 0; the set-up of timer 4 writes where its TCMPB would be, TCNTO4: a read-only guest error', () => {
    const rig = init();
    expect([rig.r(TCFG0), rig.r(TCFG1), rig.r(TINT_CSTAT)]).toEqual([0x0101, 0, INT_EN(EVENT)]);
    expect(rig.r(TCON)).toBe(START(SOURCE) | AUTO_RELOAD(SOURCE));
    expect(rig.events).toEqual([
      { kind: 'guest-error', time: T0, source: 'exynos4210-pwm', offset: 0x40, size: 4, reason: 'read-only', detail: 'TCNTO4 is read-only' },
    ]);
  });

  it('clocksource: ~TCNTO4 counts up one per 20 ns tick from 0 at the start', () => {
    const rig = init();
    expect(clocksource(rig)).toBe(0);
    let last = 0;
    for (let k = 1; k <= 5; k++) {
      rig.clock.advanceTo(T0 + k * 1_000 + 1);
      const now = clocksource(rig);
      expect(now).toBe(k * 1_000 / TICK);
      expect(now).toBeGreaterThan(last);
      last = now;
    }
    expect(rig.lines()).toEqual([false, false, false, false, false]);
  });

  it('clocksource wrap: after 2^32 ticks (85.9 s) ~TCNTO4 goes from 0xFFFFFFFF back to 0; timer 4 status rises, its interrupt stays disabled', () => {
    const rig = init();
    const wrap = T0 + 2 ** 32 * TICK;
    rig.clock.advanceTo(wrap - TICK + 1);
    expect(clocksource(rig)).toBe(0xffff_ffff); // the count at 0: the tick it rests there
    rig.clock.advanceTo(wrap + 1);
    expect(clocksource(rig)).toBe(0);
    expect([rig.r(TINT_CSTAT) & INT_STAT(SOURCE), rig.device.irq4.level]).toEqual([INT_STAT(SOURCE), false]);
  });

  it('periodic (HZ 100): TCNTB3 = 499 999, auto-reload: the first tick 499 999 ticks after the start, then one every 500 000 ticks (10 ms)', () => {
    const rig = init();
    stop(rig, EVENT);
    setup(rig, EVENT, PER_TICK - 1);
    start(rig, EVENT, true);
    expect([rig.r(TCNTB(EVENT)), rig.r(TCMPB(EVENT)), rig.r(TCNTO(EVENT))]).toEqual([PER_TICK - 1, PER_TICK - 1, PER_TICK - 1]);
    const results = handler(rig, 5);
    rig.clock.advanceTo(T0 + 50_000_000);
    expect(results.map((r) => r.time)).toEqual([0, 1, 2, 3, 4].map((k) => T0 + (PER_TICK - 1 + k * PER_TICK) * TICK));
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(rig.device.irq3.level).toBe(false);
  });

  it('one-shot events: set_next_event(cycles) interrupts `cycles` ticks after its start write; the handler acknowledges each', () => {
    const rig = init();
    const results = handler(rig, 3);
    const times: number[] = [];
    for (const cycles of [1_000, 7, 123_456]) {
      const at = rig.clock.now();
      setup(rig, EVENT, cycles);
      start(rig, EVENT, false);
      times.push(at + cycles * TICK);
      rig.clock.advanceTo(at + cycles * TICK + 5 * TICK);
      expect([rig.r(TCNTO(EVENT)), rig.r(TCON) & START(EVENT)]).toEqual([0, START(EVENT)]); // held at 0, START kept (P2)
    }
    expect(results.map((r) => r.time)).toEqual(times);
  });

  it('P2: set_next_event(0) is programmed as 1 tick: TCNTB3 = 0 would never interrupt, so the driver never writes it', () => {
    const rig = init();
    const results = handler(rig, 2);
    setup(rig, EVENT, 0);
    start(rig, EVENT, false);
    rig.clock.advanceTo(T0 + 1_000_000);
    expect(results).toEqual([]);
    const at = rig.clock.now();
    setup(rig, EVENT, 1); // the driver's `if (!cycles) cycles = 1`
    start(rig, EVENT, false);
    rig.clock.advanceTo(at + 2 * TICK);
    expect(results.map((r) => r.time)).toEqual([at + TICK]);
  });

  it('a next event programmed while one is pending: the set-up stops it and reloads, so only the new one fires', () => {
    const rig = init();
    const results = handler(rig, 2);
    setup(rig, EVENT, 1_000);
    start(rig, EVENT, false);
    rig.clock.advanceTo(T0 + 400 * TICK);
    setup(rig, EVENT, 300);
    start(rig, EVENT, false);
    rig.clock.advanceTo(T0 + 2_000 * TICK);
    expect(results.map((r) => r.time)).toEqual([T0 + 700 * TICK]);
  });

  it('shutdown: stop holds the count; the clocksource counts on', () => {
    const rig = init();
    setup(rig, EVENT, PER_TICK - 1);
    start(rig, EVENT, true);
    rig.clock.advanceTo(T0 + 100 * TICK + 1);
    stop(rig, EVENT);
    rig.clock.advanceTo(T0 + 10 * PER_TICK * TICK + 1);
    expect([rig.r(TCNTO(EVENT)), rig.r(TINT_CSTAT) & INT_STAT(EVENT), rig.device.irq3.level]).toEqual([PER_TICK - 1 - 100, 0, false]);
    expect(clocksource(rig)).toBe(10 * PER_TICK);
  });

  describe('the first form (Linux 3.10: the set-up wrote count - 1)', () => {
    it('periodic with rate / HZ: TCNTB3 = 499 999, the same ticks as the later form', () => {
      const rig = init('first');
      stop(rig, EVENT);
      setup(rig, EVENT, PER_TICK - 1);
      start(rig, EVENT, true);
      const results = handler(rig, 2);
      rig.clock.advanceTo(T0 + 25_000_000);
      expect(results.map((r) => r.time)).toEqual([T0 + (PER_TICK - 1) * TICK, T0 + (2 * PER_TICK - 1) * TICK]);
    });

    it('next events came a tick early, and set_next_event(1) wrote TCNTB 0: no interrupt (what the later form guards against)', () => {
      const rig = init('first');
      const results = handler(rig, 2);
      setup(rig, EVENT, 1_000 - 1);
      start(rig, EVENT, false);
      rig.clock.advanceTo(T0 + 2_000 * TICK);
      expect(results.map((r) => r.time)).toEqual([T0 + 999 * TICK]);
      setup(rig, EVENT, 1 - 1);
      start(rig, EVENT, false);
      rig.clock.advanceTo(T0 + 100_000 * TICK);
      expect(results).toHaveLength(1);
    });

    it('its clocksource (TCNTB4 = 0xFFFFFFFE) wraps every 2^32 - 1 ticks: ~TCNTO4 never shows 0 after the first round', () => {
      const rig = init('first');
      expect(clocksource(rig)).toBe(1);
      const wrap = T0 + (2 ** 32 - 1) * TICK;
      rig.clock.advanceTo(wrap + 1);
      expect(clocksource(rig)).toBe(1);
    });
  });
});
