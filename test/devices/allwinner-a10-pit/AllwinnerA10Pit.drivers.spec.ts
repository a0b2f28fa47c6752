// The register sequences real drivers issue on the A10 timer block, at 24 MHz (OSC24M ÷1), with
// what the manual says the guest must read, at the interrupt instants and 1 ns around them:
// - Linux drivers/clocksource/timer-sun4i.c: clocksource and sched_clock on timer 1 (interval
//   0xFFFFFFFF, continuous, read inverted), clock events on timer 0 (stop with a
//   read-modify-write and a 3-tick wait on timer 1, interval, start with RELOAD; one-shot or
//   periodic); the interrupt handler writes 1 to TMR_IRQ_STA bit 0.
// - U-Boot arch/arm/mach-sunxi/timer.c: timer 0 free-running (interval 0xFFFFFFFF, continuous,
//   OSC24M, RELOAD | EN), time read as the inverted current value, udelay by polling it.
//
// A 24 MHz tick is 41⅔ ns. The device keeps exact time (its default timing): tick k of a
// count loaded at A ends at A + 125·k/3 ns, and a decrement shows from the first whole ns
// after its tick edge; an interrupt comes at the whole ns at or before its exact instant.
// (QEMU timing floors each countdown, ⌈125·n/3⌉ − 1 ns: the last test pins that.)
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../index';
import { CTRL, CUR, EN, INTV, makeRig, RELOAD, SINGLE, SRC_OSC24M, TMR_IRQ_EN_REG, TMR_IRQ_STA_REG, type Rig } from './rig';

/** Length in ns of a countdown of `n` ticks at 24 MHz loaded at a whole ns: ⌊125·n/3⌋. */
const span = (n: number): number => Math.floor((125 * n) / 3);

/** A guest that spins on a register read every `step` ns until `done` says so; returns the reads' last value. */
const spin = (rig: Rig, read: () => number, done: (value: number) => boolean, step = 10): number => {
  for (;;) {
    const value = read();
    if (done(value)) return value;
    rig.clock.advanceBy(step);
  }
};

// ---- Linux timer-sun4i -------------------------------------------------------------------

const T0 = 1_000_000; // the kernel brings the timer up 1 ms into the run

const linux = {
  /** sched_clock / clocksource read: the inverted current value of timer 1. */
  readClock: (rig: Rig): number => ~rig.r(CUR(1)) >>> 0,
  /** Stop timer 0 (read-modify-write of EN), then wait for 3 ticks of timer 1. */
  stop: (rig: Rig): void => {
    rig.w(CTRL(0), rig.r(CTRL(0)) & ~EN);
    const old = rig.r(CUR(1));
    spin(rig, () => rig.r(CUR(1)), (v) => ((old - v) >>> 0) >= 3);
  },
  /** Start timer 0: read-modify-write, MODE per `periodic`, plus EN | RELOAD. */
  start: (rig: Rig, periodic: boolean): void => {
    const ctrl = rig.r(CTRL(0));
    rig.w(CTRL(0), (periodic ? ctrl & ~SINGLE : ctrl | SINGLE) | EN | RELOAD);
  },
  /** set_next_event(evt): stop, interval evt − 3 (the sync ticks), start one-shot. */
  nextEvent: (rig: Rig, evt: number): number => {
    linux.stop(rig);
    rig.w(INTV(0), evt - 3);
    linux.start(rig, false);
    return rig.clock.now();
  },
  /** The interrupt handler: acknowledge timer 0. */
  irq: (rig: Rig): void => rig.w(TMR_IRQ_STA_REG, 1),
  /** sun4i_timer_init. */
  init: (rig: Rig): void => {
    rig.w(INTV(1), 0xffff_ffff); // clocksource: the full 32-bit range...
    rig.w(CTRL(1), EN | RELOAD | SRC_OSC24M); // ...continuous, OSC24M, loaded and running
    rig.w(CTRL(0), SRC_OSC24M); // clock events: OSC24M, stopped
    linux.stop(rig);
    linux.irq(rig); // clear a stale timer 0 interrupt
    rig.w(TMR_IRQ_EN_REG, rig.r(TMR_IRQ_EN_REG) | 1);
  },
};

describe('Linux timer-sun4i', () => {
  const booted = (): Rig => {
    const rig = makeRig({ clock: new VirtualClock({ start: T0 }) });
    linux.init(rig);
    return rig;
  };

  it('init: the clocksource reads 0 at the load and counts 24 ticks per µs; timer 0 stopped; only timer 0 interrupt enabled', () => {
    const rig = makeRig({ clock: new VirtualClock({ start: T0 }) });
    rig.w(INTV(1), 0xffff_ffff);
    rig.w(CTRL(1), EN | RELOAD | SRC_OSC24M);
    expect([rig.r(CTRL(1)), rig.r(CUR(1)), linux.readClock(rig)]).toEqual([EN | SRC_OSC24M, 0xffff_ffff, 0]); // RELOAD reads back 0
    linux.init(rig);
    // The 3-tick wait on timer 1, polled every 10 ns: 3 ticks = 125 ns exactly, so the third
    // decrement shows from +126, seen at the +130 poll (QEMU timing: +110, precision test below).
    expect(rig.clock.now()).toBe(T0 + 130);
    expect([rig.r(CTRL(0)), rig.r(CUR(0)), rig.r(TMR_IRQ_EN_REG), rig.r(TMR_IRQ_STA_REG)]).toEqual([SRC_OSC24M, 0, 1, 0]);
    rig.clock.advanceTo(T0 + 1_000_010); // 1 ms (+10 ns into the tick): 24 000 ticks
    expect(linux.readClock(rig)).toBe(24_000);
    rig.clock.advanceTo(T0 + 1_000_000_010); // 1 s: 24 000 000 ticks
    expect(linux.readClock(rig)).toBe(24_000_000);
  });

  it('one-shot: set_next_event(1 ms) interrupts evt − 3 ticks after the start; the handler acknowledges and re-arms', () => {
    const rig = booted();
    const line = rig.device.irqs[0]!;
    linux.stop(rig); // set_state_oneshot: stop...
    linux.start(rig, false); // ...and start with the interval still 0: nothing to count, no interrupt (ambiguity 6)
    rig.clock.advanceBy(1_000);
    expect([rig.r(CUR(0)), rig.r(TMR_IRQ_STA_REG), line.level]).toEqual([0, 0, false]);

    const start = linux.nextEvent(rig, 24_000);
    expect([rig.r(CTRL(0)), rig.r(CUR(0))]).toEqual([SINGLE | SRC_OSC24M | EN, 23_997]); // RELOAD already cleared
    const fire = start + span(23_997); // 23 997 ticks = 23 997·125/3 = 999 875 ns exactly
    expect(fire - start).toBe(999_875);
    rig.clock.advanceTo(fire - 1);
    expect([rig.r(CUR(0)), rig.r(TMR_IRQ_STA_REG), line.level]).toEqual([1, 0, false]);
    rig.clock.advanceTo(fire); // 1 -> 0: pending, line up, EN cleared by the hardware, in one step
    expect([rig.r(CUR(0)), rig.r(TMR_IRQ_STA_REG), line.level, rig.r(CTRL(0))]).toEqual([0, 1, true, SINGLE | SRC_OSC24M]);
    rig.clock.advanceTo(fire + 1);
    expect(rig.r(CUR(0))).toBe(0); // a single shot holds 0
    linux.irq(rig);
    expect([rig.r(TMR_IRQ_STA_REG), line.level]).toEqual([0, false]);
    const again = linux.nextEvent(rig, 240); // the event handler asks for the next event, 10 µs
    rig.clock.advanceTo(again + span(237) - 1);
    expect(line.level).toBe(false);
    rig.clock.advanceTo(again + span(237));
    expect([line.level, rig.r(CUR(0))]).toEqual([true, 0]);
  });

  it('stop is a pause: RELOAD reads back 0, so the read-modify-write that clears EN does not reload the count (ambiguity 2)', () => {
    const rig = booted();
    const start = linux.nextEvent(rig, 24_000);
    rig.clock.advanceTo(start + 500_010); // 12 000 ticks + 10 ns
    linux.stop(rig); // QEMU keeps RELOAD set, so this write would reload 23 997 there
    const held = rig.r(CUR(0));
    expect(held).toBe(23_997 - 12_000); // paused at the write; the 3-tick wait that follows does not count
    rig.clock.advanceBy(5_000_000);
    expect([rig.r(CUR(0)), rig.r(TMR_IRQ_STA_REG)]).toEqual([held, 0]);
  });

  it('periodic at HZ = 100: interval 240 000; interrupts 240 000 ticks after the start, then every 240 001 (0 shows for one tick)', () => {
    const rig = booted();
    const line = rig.device.irqs[0]!;
    const seen: number[] = [];
    line.level$.subscribe((high) => {
      if (high) {
        seen.push(rig.clock.now());
        linux.irq(rig); // the handler acknowledges at once
      }
    });
    linux.stop(rig); // set_state_periodic
    rig.w(INTV(0), 240_000);
    linux.start(rig, true);
    const start = rig.clock.now();
    expect(rig.r(CTRL(0))).toBe(SRC_OSC24M | EN);
    rig.clock.advanceTo(start + span(240_000) - 1);
    expect([rig.r(CUR(0)), seen]).toEqual([1, []]);
    rig.clock.advanceTo(start + span(240_000)); // 10 ms: 240 000·125/3 = 10 000 000 ns exactly
    expect(rig.r(CUR(0))).toBe(0);
    rig.clock.advanceTo(start + span(240_000) + 41); // the 0 holds for a tick (41⅔ ns)...
    expect(rig.r(CUR(0))).toBe(0);
    rig.clock.advanceTo(start + span(240_000) + 42); // ...then the interval again, from the first ns after it
    expect(rig.r(CUR(0))).toBe(240_000);
    rig.clock.advanceTo(start + 41_000_000);
    // Interrupt k at ⌊start + 125·(240 000 + 240 001·k)/3⌋: a round is 10 000 041⅔ ns, so
    // 10 000 000, 20 000 041⅔, 30 000 083⅓, 40 000 125 → floored. QEMU timing floored each
    // round to 10 000 041 and drifted 1 ns a round (…082, …123).
    expect(seen.map((t) => t - start)).toEqual([10_000_000, 20_000_041, 30_000_083, 40_000_125]);
  });

  it('the clocksource wraps without a jump: ~CUR goes 0xFFFFFFFE, 0xFFFFFFFF, 0, 1 (W: CUR shows 0 before reloading)', () => {
    const rig = booted();
    const wrap = T0 + span(0xffff_ffff); // 2^32 − 1 ticks after the load: (2^32 − 1)·125/3 = 178 956 970 625 ns exactly
    expect(wrap - T0).toBe(178_956_970_625);
    rig.clock.advanceTo(wrap - 1_000);
    const before = linux.readClock(rig);
    rig.clock.advanceTo(wrap - 1);
    expect([rig.r(CUR(1)), linux.readClock(rig)]).toEqual([1, 0xffff_fffe]);
    rig.clock.advanceTo(wrap); // CUR reaches 0: timer 1's pending bit (its interrupt is not enabled)
    expect([rig.r(CUR(1)), linux.readClock(rig), rig.r(TMR_IRQ_STA_REG), rig.device.irqs[1]!.level]).toEqual([0, 0xffff_ffff, 0b10, false]);
    rig.clock.advanceTo(wrap + 10);
    expect(linux.readClock(rig)).toBe(0xffff_ffff);
    rig.clock.advanceTo(wrap + 41); // the 0 lasts one tick, 41⅔ ns...
    expect([rig.r(CUR(1)), linux.readClock(rig)]).toEqual([0, 0xffff_ffff]);
    rig.clock.advanceTo(wrap + 42); // ...then the reload (QEMU timing: from +20, precision test)
    expect([rig.r(CUR(1)), linux.readClock(rig)]).toEqual([0xffff_ffff, 0]);
    rig.clock.advanceTo(wrap + 84); // the next tick edge is at +83⅓
    expect(linux.readClock(rig)).toBe(1);
    rig.clock.advanceTo(wrap + 1_000);
    // What the clocksource core computes across the wrap: (now − then) mod 2^32 = 2 µs of ticks.
    expect(((linux.readClock(rig) - before) >>> 0) - 48).toBeLessThanOrEqual(1);
  });

  it('exact timing: the clocksource reads change 1 ns after each exact tick edge, however long the count (around 1 s: −83, −41, 1, 42, 84)', () => {
    const rig = booted();
    // Tick k of the clocksource ends at T0 + 125·k/3 ns; 1 s is 24 000 000 ticks exactly, so the
    // edges near it are at −83⅓, −41⅔, 0, +41⅔, +83⅓ and each read changes at the next whole ns.
    const changes: number[] = [];
    rig.clock.advanceTo(T0 + 999_999_900);
    let last = linux.readClock(rig);
    for (let t = T0 + 999_999_900; t <= T0 + 1_000_000_100; t++) {
      rig.clock.advanceTo(t);
      const v = linux.readClock(rig);
      if (v !== last) changes.push(t - T0 - 1_000_000_000);
      last = v;
    }
    expect(changes).toEqual([-83, -41, 1, 42, 84]);
  });

  it("timing 'qemu', framework precision: counts longer than 2^32 ns are read with a divisor missing low fraction bits, up to half a tick early (reported)", () => {
    const rig = makeRig({ clock: new VirtualClock({ start: T0 }), timing: 'qemu' });
    linux.init(rig);
    // Exact hardware: tick k of the clocksource starts at T0 + 41⅔·k ns. The reads show each
    // change about 21 ns early while the remaining span exceeds 2^32 ns (QEMU's normalised
    // division drops fraction bits of the 64.32 period there); short countdowns are exact.
    const changes: number[] = [];
    rig.clock.advanceTo(T0 + 999_999_900);
    let last = linux.readClock(rig);
    for (let t = T0 + 999_999_900; t <= T0 + 1_000_000_100; t++) {
      rig.clock.advanceTo(t);
      const v = linux.readClock(rig);
      if (v !== last) changes.push(t - T0 - 1_000_000_000);
      last = v;
    }
    expect(changes).toEqual([-63, -22, 20, 62]); // exact: −41⅔, 0, +41⅔, +83⅓ (changes at −41, 0, 41, 83)
  });
});

// ---- U-Boot sunxi timer ----------------------------------------------------------------------

describe('U-Boot arch/arm/mach-sunxi/timer.c', () => {
  const uboot = {
    init: (rig: Rig): void => {
      rig.w(INTV(0), 0xffff_ffff); // TIMER_LOAD_VAL
      rig.w(CTRL(0), SRC_OSC24M | RELOAD | EN); // continuous, ÷1, OSC24M, reload, enable
    },
    /** get_ticks(): the inverted current value, 24 per µs. */
    ticks: (rig: Rig): number => ~rig.r(CUR(0)) >>> 0,
    /** __udelay(us): spin until us·24 ticks have passed. */
    udelay: (rig: Rig, us: number): void => {
      const start = uboot.ticks(rig);
      spin(rig, () => uboot.ticks(rig), (now) => ((now - start) >>> 0) >= us * 24);
    },
  };

  it('timer_init, then time in ticks: 0 at the load, 24 per µs; udelay(10) returns within a tick of 10 µs', () => {
    const rig = makeRig({ clock: new VirtualClock({ start: 5_000 }) });
    uboot.init(rig);
    expect([rig.r(CTRL(0)), uboot.ticks(rig)]).toEqual([SRC_OSC24M | EN, 0]);
    rig.clock.advanceTo(5_000 + 1_000_010);
    expect(uboot.ticks(rig)).toBe(24_000); // get_timer: 1 ms
    const from = rig.clock.now();
    uboot.udelay(rig, 10);
    const took = rig.clock.now() - from;
    // 240 ticks = 10 000 ns; the loop polls every 10 ns and starts part way into a tick: within
    // one tick of 10 µs.
    expect(took).toBeGreaterThanOrEqual(10_000 - 42);
    expect(took).toBeLessThanOrEqual(10_000 + 10);
    expect(rig.r(TMR_IRQ_STA_REG)).toBe(0); // nothing pending: U-Boot does not use the interrupt
  });
});
