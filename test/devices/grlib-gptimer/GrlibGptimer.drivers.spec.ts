// The register sequences real GPTIMER drivers issue, with what the guest must read at the
// instants that matter. Written from what the drivers do (which registers, in which order,
// with which bits; reference devices-2.md §18 and the drivers' sources read for that), not
// from their code:
// - Linux arch/sparc/kernel/leon_kernel.c: leon_init_timers (the IP probe, the timer set-up,
//   the separate-interrupt offset), leon_clear_clock_irq (the tick acknowledge),
//   leon_cycles_offset (the clocksource's offset into the tick).
// - RTEMS bsps/shared/grlib/btimer: the GPTIMER timer-library driver (gptimer_init1's probes,
//   reset, set_freq, irq_reg, start, stop, restart, int_pend, the shared-interrupt handler)
//   and tlib_ckinit.c, the clock driver on it.
// - RTEMS bsps/sparc/leon3/clock/ckinit.c: the LEON3 clock driver without the driver manager.
// - Zephyr drivers/timer/leon_gptimer.c: the prescaler at ÷8, timer 2 free-running as the
//   time base, timer 1 one-shot to the next tick boundary (tickless) or periodic.
// The boot loader sets the prescaler to 1 MHz (SRELOAD = 39 at 40 MHz) before the OS runs.
// Interrupt handlers run 2 µs after their line rises.
import { describe, expect, it } from 'vitest';
import { guestRead, guestWrite, runDriver, wait, waitForIrq, type DriverCommand, type IrqSignal } from '../../../index';
import { CONFIG, CYCLE, EN, IE, IP, LD, makeRig, RS, SCALER, SRELOAD, tcnt, tctrl, trld, type Rig } from './rig';

const T0 = 2_000_000; // the OS starts 2 ms after boot
const LATENCY = 2_000;
const MS = 1_000_000;

type Driver = Generator<DriverCommand, void, number | undefined>;

/** Runs a driver on the rig's device and clock. */
const drive = (rig: Rig, program: () => Driver): void => {
  runDriver(program, { device: rig.device, scheduler: rig.clock }).subscribe();
};

/** A read inside a driver: the value the access returned. */
function* read(offset: number): Generator<DriverCommand, number, number | undefined> {
  return (yield guestRead(offset)) ?? 0;
}

/** The boot loader: the prescaler at 1 MHz. */
const bootLoader = (rig: Rig): void => {
  rig.w(SRELOAD, 39);
  rig.clock.advanceTo(T0);
};

describe('Linux leon_kernel.c', () => {
  const HZ = 100;
  /** leon_init_timers for timer index `idx`; returns the acknowledge mask and the interrupt it requested. */
  function* initTimers(idx: number, out: { ackmask?: number; irq?: number }): Driver {
    const n = idx + 1;
    // Probe how IP clears: write it back set, read it.
    const ctrl = yield* read(tctrl(n));
    yield guestWrite(tctrl(n), (ctrl | IP) >>> 0);
    const probed = yield* read(tctrl(n));
    out.ackmask = (probed & IP) !== 0 ? ~IP >>> 0 : 0xffff_ffff;
    yield guestWrite(tcnt(n), 0);
    yield guestWrite(trld(n), 1_000_000 / HZ - 1);
    yield guestWrite(tctrl(n), 0);
    const config = yield* read(CONFIG);
    out.irq = ((config >>> 3) & 0x1f) + ((config & (1 << 8)) !== 0 ? idx : 0);
    yield guestWrite(tctrl(n), EN | RS | LD | IE);
  }
  /** The timer interrupt: leon_clear_clock_irq (CTRL = CTRL & ackmask), recording the instant the line rose. */
  function* tickHandler(n: number, line: IrqSignal, ackmask: () => number, rig: Rig, seen: number[], count: number): Driver {
    for (let k = 0; k < count; k++) {
      yield waitForIrq(line);
      seen.push(rig.clock.now());
      yield wait(LATENCY);
      const ctrl = yield* read(tctrl(n));
      yield guestWrite(tctrl(n), (ctrl & ackmask()) >>> 0);
    }
  }
  /** leon_cycles_offset: µs since the last tick, one period more when the tick is pending. */
  const cyclesOffset = (rig: Rig, n: number): number => {
    const rld = rig.r(trld(n));
    let val = rig.r(tcnt(n));
    const ctrl = rig.r(tctrl(n));
    if ((ctrl & IP) !== 0) {
      val = rig.r(tcnt(n));
      return 2 * rld - val;
    }
    return rld - val;
  };

  it.each([
    ['revision 1: the probe reads IP 0, every bit is kept (the written-back IP clears it)', 1, 0xffff_ffff],
    ['revision 0 (GR712RC): the probe reads IP 1, the ack writes IP 0', 0, ~IP >>> 0],
  ] as const)('%s; a 100 Hz tick exactly every 10 ms; the clocksource offset into the tick', (_name, revision, mask) => {
    const rig = makeRig({ revision });
    bootLoader(rig);
    const out: { ackmask?: number; irq?: number } = {};
    const seen: number[] = [];
    drive(rig, function* () {
      yield* initTimers(0, out);
      yield* tickHandler(1, rig.device.lines['irq8']!, () => out.ackmask!, rig, seen, 20);
    });
    expect(out).toEqual({ ackmask: mask, irq: 8 });
    expect([rig.r(tcnt(1)), rig.r(trld(1)), rig.r(tctrl(1)), rig.line(8)]).toEqual([9_999, 9_999, EN | RS | IE, false]);
    // The prescaler was stopped (no timer enabled) at 39 since the boot loader's write: it resumes with the start.
    rig.clock.advanceTo(T0 + 12 * MS + 500_000 + 1);
    expect(cyclesOffset(rig, 1)).toBe(2_500);
    rig.clock.advanceTo(T0 + 20 * MS + 1_000 + 1); // the 2nd tick is pending: its handler runs at +2 µs
    expect(cyclesOffset(rig, 1)).toBe(10_000);
    rig.clock.advanceTo(T0 + 201 * MS);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, k) => T0 + (k + 1) * 10 * MS));
    expect(rig.line(8)).toBe(false); // the 20th acknowledged
  });

  it('revision 0: the probe itself sets IP and raises the line for a moment; the CTRL = 0 that follows clears it', () => {
    const rig = makeRig({ revision: 0 });
    bootLoader(rig);
    const levels: boolean[] = [];
    rig.device.lines['irq8']!.watch((level) => levels.push(level));
    drive(rig, function* () {
      yield* initTimers(0, {});
    });
    expect(levels).toEqual([true, false]);
  });

  it('ampopts selecting timer index 2: TCNTVAL3, its own interrupt IRQ 8 + 2; on a shared-interrupt core IRQ 8 stays', () => {
    for (const separateInterrupts of [true, false]) {
      const rig = makeRig({ separateInterrupts });
      bootLoader(rig);
      const out: { ackmask?: number; irq?: number } = {};
      drive(rig, function* () {
        yield* initTimers(2, out);
      });
      expect(out.irq).toBe(separateInterrupts ? 10 : 8);
      rig.clock.advanceTo(T0 + 10 * MS);
      expect([rig.r(tctrl(3)) & IP, rig.line(out.irq!)]).toEqual([IP, true]);
    }
  });
});

describe('RTEMS LEON3 clock driver (ckinit.c, no driver manager)', () => {
  it('IRQ from CONFIG, TRLDVAL1 = µs per tick - 1, TCTRL1 = EN | RS | LD | IE: an underflow every 10 ms; IP is never cleared here, so the line rises once (X6)', () => {
    const rig = makeRig();
    bootLoader(rig);
    const clkirq = (rig.r(CONFIG) & 0xf8) >> 3;
    expect(clkirq).toBe(8);
    rig.w(trld(1), 10_000 - 1);
    rig.w(tctrl(1), EN | RS | LD | IE);
    const rises: number[] = [];
    rig.device.lines[`irq${clkirq}`]!.watch((level) => level && rises.push(rig.clock.now()));
    rig.clock.advanceTo(T0 + 32 * MS + 500_000 + 1);
    // The timecounter reads the counter: 2500 µs into the 4th period.
    expect(rig.r(tcnt(1))).toBe(7_499);
    expect(rises).toEqual([T0 + 10 * MS]);
    expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([1, 2, 3].map((k) => T0 + k * 10 * MS));
    expect(rig.r(tctrl(1))).toBe(EN | RS | IE | IP);
  });
});

describe('RTEMS GPTIMER timer-library driver and its clock driver', () => {
  /** What gptimer_init1 found. */
  interface Probed {
    timers: number;
    baseFreq: number;
    ackmask: number;
    widthmask: number;
    separate: boolean;
  }
  /** gptimer_init1: the timer count, the prescaler's rate, the IP probe and the width probe on the first timer, SI. */
  function* init(hz: number, out: Partial<Probed>): Driver {
    out.timers = (yield* read(CONFIG)) & 0x7;
    out.baseFreq = hz / ((yield* read(SRELOAD)) + 1);
    yield guestWrite(tctrl(1), IP);
    out.ackmask = ((yield* read(tctrl(1))) & IP) !== 0 ? ~IP >>> 0 : 0xffff_ffff;
    yield guestWrite(tcnt(1), 0xffff_ffff);
    out.widthmask = yield* read(tcnt(1));
    out.separate = ((yield* read(CONFIG)) & (1 << 8)) !== 0;
  }
  /** gptimer_tlib_reset: keep only IP (cleared the way the core clears it), reload all ones, load. */
  function* reset(n: number, ackmask: number): Driver {
    const ctrl = (yield* read(tctrl(n))) & ackmask & IP;
    yield guestWrite(tctrl(n), ctrl);
    yield guestWrite(trld(n), 0xffff_ffff);
    yield guestWrite(tctrl(n), LD);
  }
  /** gptimer_tlib_irq_reg's register part: IE set by read-modify-write. */
  function* irqReg(n: number): Driver {
    yield guestWrite(tctrl(n), ((yield* read(tctrl(n))) | IE) >>> 0);
  }
  /** gptimer_tlib_set_freq: TRLDVAL = tickrate - 1, read back. */
  function* setFreq(n: number, tickrate: number): Generator<DriverCommand, boolean, number | undefined> {
    yield guestWrite(trld(n), tickrate - 1);
    return (yield* read(trld(n))) === tickrate - 1;
  }
  /** gptimer_tlib_start: IP cleared, LD and EN set, RS unless once. */
  function* start(n: number, ackmask: number, once: boolean): Driver {
    let ctrl = (yield* read(tctrl(n))) & ackmask & ~RS;
    ctrl |= LD | EN;
    if (!once) ctrl |= RS;
    yield guestWrite(tctrl(n), ctrl >>> 0);
  }
  /** gptimer_tlib_int_pend: pending when IP and IE are both set; with `ack`, writes the control back through the ack mask. */
  function* intPend(n: number, ackmask: number, ack: boolean): Generator<DriverCommand, boolean, number | undefined> {
    const ctrl = yield* read(tctrl(n));
    if ((ctrl & (IP | IE)) !== (IP | IE)) return false;
    if (ack) yield guestWrite(tctrl(n), (ctrl & ackmask) >>> 0);
    return true;
  }

  it.each([1, 0] as const)('revision %i: probes, reset, the clock tick of 10 ms from the start, stop and restart', (revision) => {
    const rig = makeRig({ revision });
    bootLoader(rig);
    const probed: Partial<Probed> = {};
    const ticks: number[] = [];
    const counts: number[] = [];
    drive(rig, function* () {
      yield* init(40_000_000, probed);
      yield* reset(1, probed.ackmask!); // tlib_open(0)
      yield* irqReg(1); // Clock_driver_support_install_isr
      expect(yield* setFreq(1, 10_000)).toBe(true); // 10 000 µs per tick
      yield* start(1, probed.ackmask!, false);
      for (let k = 0; k < 5; k++) {
        yield waitForIrq(rig.device.lines['irq8']!);
        yield wait(LATENCY);
        // simple_at_tick: handle only our own interrupt, acknowledged at the source; then the timecounter reads the counter.
        if (yield* intPend(1, probed.ackmask!, true)) ticks.push(rig.clock.now() - LATENCY);
        counts.push(yield* read(tcnt(1)));
      }
    });
    expect(probed).toEqual({ timers: 4, baseFreq: 1_000_000, ackmask: revision === 1 ? 0xffff_ffff : ~IP >>> 0, widthmask: 0xffff_ffff, separate: true });
    expect([rig.r(tcnt(1)), rig.r(tctrl(1))]).toEqual([9_999, EN | RS | IE]);
    rig.clock.advanceTo(T0 + 55 * MS);
    expect(ticks).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 10 * MS));
    expect(counts).toEqual([9_998, 9_998, 9_998, 9_998, 9_998]); // 2 µs after the reload: the tick ending then not shown yet
    // gptimer_tlib_stop: EN and IP cleared by writing them 0: the count freezes (IP 0 written keeps a pending IP on revision 1).
    rig.w(tctrl(1), rig.r(tctrl(1)) & ~(EN | IP));
    const frozen = rig.r(tcnt(1));
    rig.clock.advanceTo(T0 + 80 * MS);
    expect([rig.r(tcnt(1)), rig.r(tctrl(1)) & EN]).toEqual([frozen, 0]);
    // gptimer_tlib_restart: LD | EN set: 10 000 ticks from the prescaler's next underflow. Revision 1's prescaler
    // stopped with the timer and resumes from its value now; revision 0's ran on, underflowing on each whole µs.
    rig.clock.advanceTo(T0 + 80 * MS + 12 * CYCLE);
    rig.w(tctrl(1), rig.r(tctrl(1)) | LD | EN);
    expect(rig.r(tcnt(1))).toBe(9_999);
    const next = revision === 1 ? rig.clock.now() + (rig.r(SCALER) + 1) * CYCLE : T0 + 80 * MS + 1_000;
    const underflow = next + 9_999 * 1_000;
    rig.clock.advanceTo(underflow - 1);
    expect(rig.r(tctrl(1)) & IP).toBe(0);
    rig.clock.advanceTo(underflow);
    expect(rig.r(tctrl(1)) & IP).toBe(IP);
  });

  it('two timers on a shared interrupt: gptimer_isr asks each timer in turn, calls the pending ones\' handlers and acknowledges them', () => {
    const rig = makeRig({ separateInterrupts: false });
    bootLoader(rig);
    const probed: Partial<Probed> = {};
    const handled: [number, number][] = [];
    drive(rig, function* () {
      yield* init(40_000_000, probed);
      for (const [n, us] of [
        [1, 2_000],
        [2, 3_000],
      ] as const) {
        yield* reset(n, probed.ackmask!);
        yield* irqReg(n);
        yield* setFreq(n, us);
      }
      yield* start(1, probed.ackmask!, false);
      yield* start(2, probed.ackmask!, false);
      for (let k = 0; k < 4; k++) {
        yield waitForIrq(rig.device.lines['irq8']!);
        yield wait(LATENCY);
        for (const n of [1, 2]) {
          if (yield* intPend(n, probed.ackmask!, false)) {
            handled.push([rig.clock.now() - LATENCY, n]);
            yield* intPend(n, probed.ackmask!, true);
          }
        }
      }
    });
    rig.clock.advanceTo(T0 + 7 * MS);
    expect(probed.separate).toBe(false);
    expect(handled).toEqual([
      [T0 + 2 * MS, 1],
      [T0 + 3 * MS, 2],
      [T0 + 4 * MS, 1],
      [T0 + 6 * MS, 1],
      [T0 + 6 * MS, 2],
    ]);
    expect(rig.line(8)).toBe(false);
  });
});

describe('Zephyr leon_gptimer.c', () => {
  const PRESCALER = 8;
  const CYC_PER_TICK = 40_000_000 / PRESCALER / 100; // 100 ticks a second: 50 000 timer cycles
  /** 0 - TCNTVAL2: the free-running timer as an up-counter. */
  function* upCounter(): Generator<DriverCommand, number, number | undefined> {
    return (0 - (yield* read(tcnt(2)))) >>> 0;
  }
  /** program_subtimer0: TRLDVAL1 = delay - 1, TCTRL1 = IE | LD | EN (| RS when not tickless). */
  function* program(delay: number, periodic: boolean): Driver {
    yield guestWrite(trld(1), delay - 1);
    yield guestWrite(tctrl(1), IE | LD | EN | (periodic ? RS : 0));
  }
  /** sys_clock_driver_init: the prescaler at ÷8, timer 2 free-running, the IP probe on timer 1, the first tick programmed. */
  function* init(state: { clearIp: number; announced: number }, periodic: boolean): Driver {
    yield guestWrite(SRELOAD, PRESCALER - 1);
    yield guestWrite(trld(2), 0xffff_ffff);
    yield guestWrite(tctrl(2), LD | RS | EN);
    yield guestWrite(tctrl(1), IP);
    state.clearIp = ((yield* read(tctrl(1))) & IP) === 0 ? IP : 0;
    state.announced = yield* upCounter();
    yield* program(CYC_PER_TICK, periodic);
  }

  it.each([1, 0] as const)('revision %i, tickless: each interrupt lands on the 10 ms boundary of the free-running counter, however late its handler reprograms timer 1', (revision) => {
    const rig = makeRig({ revision });
    rig.clock.advanceTo(T0);
    const state = { clearIp: 0, announced: 0 };
    const seen: [number, number][] = [];
    drive(rig, function* () {
      yield* init(state, false);
      for (let k = 0; k < 5; k++) {
        yield waitForIrq(rig.device.lines['irq8']!);
        const time = rig.clock.now();
        // Handlers later and later, on clock edges between prescaler ticks (X3: a countdown started
        // in the instant of a prescaler underflow would count from the next one).
        yield wait(LATENCY + CYCLE + 2 * CYCLE * k);
        if (((yield* read(tctrl(1))) & IP) === 0) continue;
        const dticks = Math.floor(((yield* upCounter()) - state.announced) / CYC_PER_TICK);
        state.announced += dticks * CYC_PER_TICK;
        yield guestWrite(tctrl(1), state.clearIp); // one-shot: stop, clear IP
        seen.push([time, dticks]);
        // sys_clock_set_timeout(1): the next tick boundary, as a delay from now.
        const delay = state.announced + CYC_PER_TICK - (yield* upCounter());
        yield* program(delay, false);
      }
    });
    expect(state.clearIp).toBe(revision === 1 ? IP : 0);
    rig.clock.advanceTo(T0 + 60 * MS);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((k) => [T0 + k * 10 * MS, 1]));
    // sys_clock_cycle_get_32: the up-counter scaled back to clock cycles: 60 ms of 40 MHz (less one prescaler period: the count shows after it).
    rig.clock.advanceTo(T0 + 60 * MS + 1);
    expect(((0 - rig.r(tcnt(2))) >>> 0) * PRESCALER).toBe(60 * 40_000 + PRESCALER);
  });

  it('periodic (not tickless): RS set; the handler writes IE | RS | EN | clear_ip: a tick every 10 ms', () => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    const state = { clearIp: 0, announced: 0 };
    const seen: number[] = [];
    drive(rig, function* () {
      yield* init(state, true);
      for (let k = 0; k < 6; k++) {
        yield waitForIrq(rig.device.lines['irq8']!);
        seen.push(rig.clock.now());
        yield wait(LATENCY);
        yield guestWrite(tctrl(1), IE | RS | EN | state.clearIp);
      }
    });
    rig.clock.advanceTo(T0 + 65 * MS);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((k) => T0 + k * 10 * MS));
    expect(rig.r(tctrl(1))).toBe(IE | RS | EN);
  });
});
