// The GRLIB GPTIMER as a datasheet walk-through (GR712RC user manual ch. 11, GRLIB IP core
// manual "GPTIMER"): the register map, reset, each decision of the device header (X1-X13) at
// the clock edges that matter, the options, the clock input, exact and QEMU timing, snapshot,
// restore and continuation. The clock runs at 40 MHz: one cycle is 25 ns; a count changes
// strictly after the edge that ends its cycle, an underflow in the edge's own instant.
import { describe, expect, it } from 'vitest';
import { GRLIB_GPTIMER_POLICY, GRLIB_GPTIMER_REGISTERS, grlibGptimerRegisters, GrlibGptimer } from '../../../devices/grlib-gptimer';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import { CH, CONFIG, CYCLE, EN, IE, IP, LD, makeRig, RS, SCALER, SRELOAD, tcnt, tctrl, trld, type Rig } from './rig';

/** Restart, load, interrupt enable, enable: the drivers' start (Linux, RTEMS). */
const START = EN | RS | LD | IE;

/** [TCNTVAL, TCTRL, line] of timer n, its line `irq<7 + n>` (IRQ 8, separate interrupts). */
const state = (rig: Rig, n: number): [number, number, boolean] => [rig.r(tcnt(n)), rig.r(tctrl(n)), rig.line(7 + n)];

/** Reads at the given instants: [time, TCNTVALn, SCALER]. */
const walk = (rig: Rig, n: number, times: readonly number[]): [number, number, number][] =>
  times.map((t) => {
    rig.clock.advanceTo(t);
    return [t, rig.r(tcnt(n)), rig.r(SCALER)];
  });

describe('GrlibGptimer', () => {
  it('has the manual\'s register map: SCALER, SRELOAD, CONFIG, then TCNTVALn, TRLDVALn, TCTRLn at 0x10·n', () => {
    expect(GRLIB_GPTIMER_REGISTERS.registers.map((r) => [r.name, r.offset])).toEqual([
      ['SCALER', 0x00],
      ['SRELOAD', 0x04],
      ['CONFIG', 0x08],
      ...[1, 2, 3, 4].flatMap((n) => [
        [`TCNTVAL${n}`, 0x10 * n],
        [`TRLDVAL${n}`, 0x10 * n + 4],
        [`TCTRL${n}`, 0x10 * n + 8],
      ]),
    ]);
    expect(grlibGptimerRegisters({ timers: 7, scalerBits: 8, irq: 1, separateInterrupts: false, revision: 0 }).registers.at(-1)).toMatchObject({ name: 'TCTRL7', offset: 0x78 });
    expect(GRLIB_GPTIMER_POLICY).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  it('X13, X1: resets to SCALER = SRELOAD = 0xFFFF, CONFIG = TIMERS | IRQ << 3 | SI, timers at 0; reset() mid-run does it again', () => {
    const rig = makeRig();
    expect([rig.r(SCALER), rig.r(SRELOAD), rig.r(CONFIG)]).toEqual([0xffff, 0xffff, 4 | (8 << 3) | (1 << 8)]);
    for (const n of [1, 2, 3, 4]) expect([rig.r(tcnt(n)), rig.r(trld(n)), rig.r(tctrl(n))]).toEqual([0, 0, 0]);
    rig.w(SRELOAD, 3);
    rig.w(trld(2), 5);
    rig.w(tctrl(2), START);
    rig.clock.advanceTo(5_000);
    expect(rig.line(9)).toBe(true);
    rig.device.reset();
    expect([rig.r(SCALER), rig.r(SRELOAD), ...state(rig, 2)]).toEqual([0xffff, 0xffff, 0, 0, false]);
    expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    rig.clock.advanceTo(50_000);
    expect(rig.r(SCALER)).toBe(0xffff);
  });

  describe('X1: the prescaler', () => {
    it('X1: counts down one per cycle while a timer is enabled and reloads SRELOAD: a tick every SRELOAD + 1 cycles', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 3); // ticks every 4 cycles, 100 ns
      rig.w(trld(1), 9);
      rig.w(tctrl(1), EN | RS | LD);
      // The timer underflows after 10 ticks: (9 + 1)·(3 + 1) cycles = 1000 ns.
      expect(walk(rig, 1, [0, 25, 26, 75, 76, 100, 101, 901, 999])).toEqual([
        [0, 9, 3],
        [25, 9, 3],
        [26, 9, 2],
        [75, 9, 1],
        [76, 9, 0],
        [100, 9, 0],
        [101, 8, 3], // the prescaler's underflow at 100 ns: the timer's first tick
        [901, 0, 3],
        [999, 0, 0],
      ]);
      rig.clock.advanceTo(1_001);
      expect([rig.r(tcnt(1)), rig.r(SCALER)]).toEqual([9, 3]);
    });

    it('X1: a SRELOAD write loads SCALER too; a SCALER write sets the value the prescaler counts from', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 39);
      expect(rig.r(SCALER)).toBe(39);
      rig.w(SCALER, 7);
      expect([rig.r(SCALER), rig.r(SRELOAD)]).toEqual([7, 39]);
      rig.w(tctrl(1), EN); // counts from TCNTVAL 0: underflows at the prescaler's first underflow
      rig.clock.advanceTo(8 * CYCLE - 1);
      expect([rig.r(SCALER), rig.r(tcnt(1))]).toEqual([0, 0]);
      rig.clock.advanceTo(8 * CYCLE);
      // One-shot, IE 0: EN cleared, no IP; the prescaler reloaded at that underflow and stopped (no timer enabled).
      expect([rig.r(SCALER), ...state(rig, 1)]).toEqual([39, 0xffff_ffff, 0, false]);
      rig.clock.advanceTo(100 * CYCLE);
      expect(rig.r(SCALER)).toBe(39);
    });

    it('X1: revision 1 stops the prescaler while no timer is enabled; it resumes from its value (QEMU: no live value)', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 99);
      rig.clock.advanceTo(10_000);
      expect(rig.r(SCALER)).toBe(99);
      rig.w(tctrl(3), EN | RS);
      rig.clock.advanceTo(10_000 + 10 * CYCLE + 1);
      expect(rig.r(SCALER)).toBe(89);
      rig.w(tctrl(3), RS);
      rig.clock.advanceTo(20_000);
      expect(rig.r(SCALER)).toBe(89);
      rig.w(tctrl(4), EN | CH); // a chained timer counts no ticks, but it is enabled: the prescaler runs
      rig.clock.advanceTo(20_000 + 5 * CYCLE + 1);
      expect(rig.r(SCALER)).toBe(84);
    });

    it('X1: revision 0 runs the prescaler from reset, timers enabled or not', () => {
      const rig = makeRig({ revision: 0 });
      rig.clock.advanceTo(2 * CYCLE + 1);
      expect(rig.r(SCALER)).toBe(0xfffd);
      rig.w(SRELOAD, 4);
      rig.clock.advanceTo(2 * CYCLE + 1 + 5 * CYCLE);
      expect(rig.r(SCALER)).toBe(0);
      rig.clock.advanceTo(2 * CYCLE + 1 + 5 * CYCLE + 1);
      expect(rig.r(SCALER)).toBe(4);
    });

    it('X1: SRELOAD 0 (below the manual\'s minimum division, timers + 1): a tick every cycle, as programmed', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 99);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(100 * CYCLE - 1);
      expect(state(rig, 1)).toEqual([0, START & ~LD, false]);
      rig.clock.advanceTo(100 * CYCLE);
      expect(state(rig, 1)).toEqual([99, (START & ~LD) | IP, true]);
    });

    it('X1: the prescaler is scalerBits wide: bits above read 0 and ignore writes', () => {
      const rig = makeRig({ scalerBits: 8 });
      expect([rig.r(SCALER), rig.r(SRELOAD)]).toEqual([0xff, 0xff]);
      rig.w(SRELOAD, 0x1234);
      expect([rig.r(SCALER), rig.r(SRELOAD)]).toEqual([0x34, 0x34]);
    });
  });

  describe('X2: counting and the underflow', () => {
    it('X2: with RS the timer reloads TRLDVAL at each underflow and sets IP with IE: a period is TRLDVAL + 1 ticks', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 39); // 1 µs ticks
      rig.w(trld(1), 999);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(999_999);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(1_000_000);
      expect(state(rig, 1)).toEqual([999, EN | RS | IE | IP, true]);
      rig.w(tctrl(1), EN | RS | IE | IP); // write 1 to clear (revision 1)
      rig.clock.advanceTo(1_500_001);
      expect(state(rig, 1)).toEqual([499, EN | RS | IE, false]);
      rig.clock.advanceTo(2_000_000);
      expect(state(rig, 1)).toEqual([999, EN | RS | IE | IP, true]);
    });

    it('X2: without IE an underflow reloads but sets no IP', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(2), 9);
      rig.w(tctrl(2), EN | RS | LD);
      rig.clock.advanceTo(10 * CYCLE + 1);
      expect(state(rig, 2)).toEqual([9, EN | RS, false]);
    });

    it('X2: without RS the timer stops at 0xFFFFFFFF and EN clears; the prescaler then stops (QEMU: reads 0, EN stays)', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 9);
      rig.w(trld(1), 2);
      rig.w(tctrl(1), EN | LD | IE);
      rig.clock.advanceTo(30 * CYCLE - 1);
      expect(state(rig, 1)).toEqual([0, EN | IE, false]);
      rig.clock.advanceTo(30 * CYCLE);
      expect(state(rig, 1)).toEqual([0xffff_ffff, IE | IP, true]);
      expect(rig.device.timers[0]!.mode).toBe('stopped');
      const held = rig.r(SCALER);
      rig.clock.advanceTo(100_000);
      expect([rig.r(tcnt(1)), rig.r(SCALER)]).toEqual([0xffff_ffff, held]);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    });
  });

  describe('X3: the first tick comes at the prescaler\'s next underflow', () => {
    it('X3: a timer started mid-way through a prescaler period underflows on the prescaler\'s grid, not a whole tick after the write (QEMU: 500 ns later)', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 39); // the prescaler underflows every 1000 ns from 0
      rig.w(trld(2), 0xffff_ffff);
      rig.w(tctrl(2), EN | RS | LD); // keeps the prescaler running
      rig.clock.advanceTo(10_500);
      rig.w(trld(1), 4);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(11_000);
      expect([rig.r(tcnt(1)), rig.r(SCALER)]).toEqual([4, 0]);
      rig.clock.advanceTo(11_001);
      expect([rig.r(tcnt(1)), rig.r(SCALER), rig.r(tcnt(2))]).toEqual([3, 39, 0xffff_ffff - 11]);
      rig.clock.advanceTo(14_999);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(15_000);
      expect(state(rig, 1)).toEqual([4, EN | RS | IE | IP, true]);
    });

    it('X3, X9: a write between clock edges counts whole cycles from the write: the tick comes within one cycle of the prescaler\'s', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 39);
      rig.w(tctrl(2), EN | RS | LD);
      rig.clock.advanceTo(10_510);
      rig.w(trld(1), 4);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(15_009);
      expect(rig.line(8)).toBe(false);
      rig.clock.advanceTo(15_010);
      expect(rig.line(8)).toBe(true);
    });

    it('X3: a TCNTVAL write while enabled counts on from the value written, from the next tick', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 3);
      rig.w(trld(1), 1_000);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(1_000); // ticks at 100, …, 900 shown; the one at 1000 not yet
      expect(rig.r(tcnt(1))).toBe(991);
      rig.w(tcnt(1), 2);
      expect(rig.r(tcnt(1))).toBe(2);
      // The prescaler's next underflow is at 1100 ns: 2 → 1; 1200: 0; 1300: underflow.
      rig.clock.advanceTo(1_100);
      expect(rig.r(tcnt(1))).toBe(2);
      rig.clock.advanceTo(1_101);
      expect(rig.r(tcnt(1))).toBe(1);
      rig.clock.advanceTo(1_299);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(1_300);
      expect(state(rig, 1)).toEqual([1_000, EN | RS | IE | IP, true]);
    });
  });

  describe('X4: TCTRL writes', () => {
    it('X4: LD loads TRLDVAL at once, enabled or not, and reads 0', () => {
      const rig = makeRig();
      rig.w(trld(3), 77);
      rig.w(tctrl(3), LD);
      expect([rig.r(tcnt(3)), rig.r(tctrl(3))]).toEqual([77, 0]);
      rig.w(trld(3), 5);
      rig.w(tctrl(3), IE); // no LD: nothing loaded
      expect([rig.r(tcnt(3)), rig.r(tctrl(3))]).toEqual([77, IE]);
    });

    it('X4: a write keeping EN without LD (Linux\'s acknowledge) leaves the count; EN 0 freezes it and EN 1 resumes it (QEMU restarts)', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 99);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(40 * CYCLE + 1);
      expect(rig.r(tcnt(1))).toBe(59);
      rig.w(tctrl(1), rig.r(tctrl(1))); // read-modify-write: EN | RS | IE
      expect(rig.r(tcnt(1))).toBe(59);
      rig.clock.advanceTo(60 * CYCLE + 1);
      expect(rig.r(tcnt(1))).toBe(39);
      rig.w(tctrl(1), RS | IE);
      rig.clock.advanceTo(500 * CYCLE);
      expect(rig.r(tcnt(1))).toBe(39);
      rig.w(tctrl(1), EN | RS | IE);
      rig.clock.advanceTo(500 * CYCLE + 40 * CYCLE - 1);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(500 * CYCLE + 40 * CYCLE);
      expect(state(rig, 1)).toEqual([99, EN | RS | IE | IP, true]);
    });

    it('X4: clearing RS while counting makes this countdown the last; setting it again before the underflow keeps it periodic', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 9);
      rig.w(tctrl(1), START);
      rig.w(tctrl(1), EN | IE);
      rig.clock.advanceTo(10 * CYCLE);
      expect(state(rig, 1)).toEqual([0xffff_ffff, IE | IP, true]);
      rig.w(tctrl(1), START | IP);
      rig.w(tctrl(1), EN | IE);
      rig.w(tctrl(1), EN | RS | IE);
      rig.clock.advanceTo(20 * CYCLE);
      expect(state(rig, 1)).toEqual([9, EN | RS | IE | IP, true]);
    });
  });

  describe('X5: IP', () => {
    it('X5: revision 1: a written 1 clears IP, a 0 keeps it; the probe (write IP, read back) reads 0', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 4);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(5 * CYCLE);
      rig.w(tctrl(1), EN | RS | IE); // IP written 0: kept
      expect(state(rig, 1)).toEqual([4, EN | RS | IE | IP, true]);
      rig.w(tctrl(1), EN | RS | IE | IP);
      expect(state(rig, 1)).toEqual([4, EN | RS | IE, false]);
      rig.w(tctrl(2), IP);
      expect(rig.r(tctrl(2))).toBe(0);
    });

    it('X5: revision 0 (GR712RC, UT699): IP takes the written bit: 0 clears it, 1 sets it (the probe reads 1) and raises the line', () => {
      const rig = makeRig({ revision: 0 });
      rig.w(tctrl(2), IP);
      expect([rig.r(tctrl(2)), rig.line(9)]).toEqual([IP, true]);
      rig.w(tctrl(2), 0);
      expect([rig.r(tctrl(2)), rig.line(9)]).toEqual([0, false]);
    });
  });

  describe('X6: the interrupt outputs', () => {
    it('X6: separate interrupts: timer n on irq<IRQ + n - 1>, each the level of its IP', () => {
      const rig = makeRig({ irq: 6, timers: 2 });
      expect(Object.keys(rig.device.lines)).toEqual(['irq6', 'irq7']);
      expect(rig.device.irqs.map((l) => l.name)).toEqual(['grlib-gptimer.irq6', 'grlib-gptimer.irq7']);
      rig.w(SRELOAD, 0);
      rig.w(trld(2), 3);
      rig.w(tctrl(2), START);
      rig.clock.advanceTo(4 * CYCLE);
      expect([rig.line(6), rig.line(7)]).toEqual([false, true]);
      rig.clock.advanceTo(100 * CYCLE);
      expect(rig.line(7)).toBe(true); // still pending: a level, not a pulse (QEMU pulses)
    });

    it('X6: a shared interrupt is high while any timer\'s IP is set', () => {
      const rig = makeRig({ separateInterrupts: false, irq: 12 });
      expect(rig.r(CONFIG)).toBe(4 | (12 << 3));
      expect(Object.keys(rig.device.lines)).toEqual(['irq12']);
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 3);
      rig.w(trld(3), 5);
      rig.w(tctrl(1), START);
      rig.w(tctrl(3), START);
      rig.clock.advanceTo(6 * CYCLE);
      expect([rig.r(tctrl(1)) & IP, rig.r(tctrl(3)) & IP, rig.line(12)]).toEqual([IP, IP, true]);
      rig.w(tctrl(1), EN | RS | IE | IP);
      expect(rig.line(12)).toBe(true);
      rig.w(tctrl(3), EN | RS | IE | IP);
      expect(rig.line(12)).toBe(false);
    });
  });

  describe('X7: chaining', () => {
    it('X7: a chained timer counts the preceding timer\'s underflows (whatever its IE), reloading and interrupting on its own', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 9); // underflows every 10 cycles
      rig.w(trld(2), 2); // every 3 of timer 1's underflows
      rig.w(tctrl(2), EN | RS | LD | IE | CH);
      rig.w(tctrl(1), EN | RS | LD);
      rig.clock.advanceTo(10 * CYCLE);
      expect([rig.r(tcnt(2)), rig.line(9)]).toEqual([1, false]);
      rig.clock.advanceTo(30 * CYCLE - 1);
      expect([rig.r(tcnt(2)), rig.line(9)]).toEqual([0, false]);
      rig.clock.advanceTo(30 * CYCLE);
      expect([rig.r(tcnt(2)), rig.r(tctrl(2)), rig.line(9), rig.line(8)]).toEqual([2, EN | RS | IE | CH | IP, true, false]);
      expect(rig.device.timers[1]!.mode).toBe('stopped'); // a chained timer counts no clock cycles
    });

    it('X7: a chain of three: timer 3 steps in the same instant as the underflows below it; without RS it stops', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 1);
      rig.w(tcnt(2), 0);
      rig.w(trld(2), 1);
      rig.w(tcnt(3), 1);
      rig.w(tctrl(3), EN | IE | CH);
      rig.w(tctrl(2), EN | RS | CH);
      rig.w(tctrl(1), EN | RS | LD);
      // Timer 1 underflows at 2, 4, 6 cycles; timer 2 (from 0) at 2 and 6; timer 3 (from 1) steps at 2, underflows at 6.
      rig.clock.advanceTo(2 * CYCLE);
      expect([rig.r(tcnt(2)), rig.r(tcnt(3))]).toEqual([1, 0]);
      rig.clock.advanceTo(6 * CYCLE);
      expect([rig.r(tcnt(2)), rig.r(tcnt(3)), rig.r(tctrl(3)), rig.line(10)]).toEqual([1, 0xffff_ffff, IE | CH | IP, true]);
    });

    it('X7: timer 1 has no preceding timer: with CH it never counts; clearing CH starts it from its value', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 3);
      rig.w(trld(4), 9);
      rig.w(tctrl(4), EN | RS | LD); // the last timer underflowing does not reach timer 1
      rig.w(tctrl(1), EN | RS | LD | IE | CH);
      rig.clock.advanceTo(1_000 * CYCLE);
      expect(state(rig, 1)).toEqual([3, EN | RS | IE | CH, false]);
      rig.w(tctrl(1), EN | RS | IE);
      rig.clock.advanceTo(1_004 * CYCLE);
      expect(state(rig, 1)).toEqual([3, EN | RS | IE | IP, true]);
    });
  });

  describe('X8: at the underflow\'s instant', () => {
    it('X8: reads queued before the underflow see 0 and IP clear; after it, the reload and IP (G1)', () => {
      const rig = makeRig();
      const seen: [string, number, number][] = [];
      rig.clock.schedule(() => seen.push(['before', rig.r(tcnt(1)), rig.r(tctrl(1)) & IP]), 8 * CYCLE);
      rig.w(SRELOAD, 1);
      rig.w(trld(1), 3);
      rig.w(tctrl(1), START);
      rig.clock.schedule(() => seen.push(['after', rig.r(tcnt(1)), rig.r(tctrl(1)) & IP]), 8 * CYCLE);
      rig.clock.advanceTo(8 * CYCLE);
      expect(seen).toEqual([
        ['before', 0, 0],
        ['after', 3, IP],
      ]);
    });

    it('X8: a SRELOAD write queued before the underflow re-times the timer from 0 with the new prescaler: the underflow moves', () => {
      const rig = makeRig();
      rig.clock.schedule(() => rig.w(SRELOAD, 9), 8 * CYCLE);
      rig.w(SRELOAD, 1);
      rig.w(trld(1), 3);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(8 * CYCLE);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(18 * CYCLE);
      expect(state(rig, 1)).toEqual([3, EN | RS | IE | IP, true]);
    });
  });

  describe('X10: a SCALER value above SRELOAD', () => {
    it('X10: the next tick of every timer is SCALER + 1 cycles away; the value holds until then', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 3);
      rig.w(trld(1), 2);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(2 * CYCLE + 5); // value 2, prescaler 1
      rig.w(SCALER, 99);
      expect(walk(rig, 1, [2 * CYCLE + 5 + 99 * CYCLE, 2 * CYCLE + 5 + 100 * CYCLE, 2 * CYCLE + 5 + 100 * CYCLE + 1])).toEqual([
        [2 * CYCLE + 5 + 99 * CYCLE, 2, 1],
        [2 * CYCLE + 5 + 100 * CYCLE, 2, 0],
        [2 * CYCLE + 5 + 100 * CYCLE + 1, 1, 3],
      ]);
      const end = 2 * CYCLE + 5 + 100 * CYCLE + 8 * CYCLE;
      rig.clock.advanceTo(end - 1);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(end);
      expect(state(rig, 1)).toEqual([2, EN | RS | IE | IP, true]);
      expect(JSON.parse(JSON.stringify(rig.device.snapshot())).firstTickValue).toEqual([null, null, null, null]);
    });
  });

  describe('X12: the clock input', () => {
    it('X12: 40 MHz by default; 0 Hz freezes the prescaler and the timers; a new rate goes on from their values', () => {
      const clock = new VirtualClock();
      expect(new GrlibGptimer(clock).clk.hz).toBe(40_000_000);
      const rig = makeRig();
      rig.w(SRELOAD, 3);
      rig.w(trld(1), 9);
      rig.w(tctrl(1), START);
      rig.clock.advanceTo(5 * CYCLE + 1); // value 8, prescaler 2
      expect([rig.r(tcnt(1)), rig.r(SCALER)]).toEqual([8, 2]);
      rig.clk.setHz(0);
      rig.clock.advanceTo(100_000);
      expect([rig.r(tcnt(1)), rig.r(SCALER), rig.device.timers[0]!.mode]).toEqual([8, 2, 'stopped']);
      rig.clk.setHz(20_000_000); // 50 ns a cycle: 3 cycles to the next tick, then 8 ticks of 4
      rig.clock.advanceTo(100_000 + 35 * 50 - 1);
      expect(state(rig, 1)).toEqual([0, EN | RS | IE, false]);
      rig.clock.advanceTo(100_000 + 35 * 50);
      expect(state(rig, 1)).toEqual([9, EN | RS | IE | IP, true]);
    });
  });

  it('refuses bad options, naming the option and the rule', () => {
    const clock = new VirtualClock();
    const bad = (options: Record<string, unknown>, field: string, rule: RegExp) => {
      let error: unknown;
      try {
        new GrlibGptimer(clock, options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toContain(`GrlibGptimer(options.${field})`);
      expect((error as Error).message).toMatch(rule);
    };
    bad({ timers: 8 }, 'timers', /integer in \[1, 7\]/);
    bad({ timers: 0 }, 'timers', /integer in \[1, 7\]/);
    bad({ scalerBits: 17 }, 'scalerBits', /integer in \[1, 16\]/);
    bad({ irq: 32 }, 'irq', /integer in \[0, 31\]/);
    bad({ irq: 30, timers: 3 }, 'irq', /at most 29 with 3 separate interrupts/);
    bad({ separateInterrupts: 1 }, 'separateInterrupts', /boolean/);
    bad({ revision: 2 }, 'revision', /one of 0, 1/);
    bad({ clk: 40_000_000 }, 'clk', /ClockInput/);
    bad({ name: '' }, 'name', /non-empty/);
    bad({ nbits: 16 }, 'nbits', /is not an option/);
    expect(new GrlibGptimer(clock, { irq: 30, timers: 2 }).lines).toHaveProperty('irq31');
    expect(new GrlibGptimer(clock, { irq: 31, timers: 7, separateInterrupts: false }).read(CONFIG, 4)).toBe(7 | (31 << 3));
  });

  describe('timing', () => {
    // 48 MHz (the GR712RC's system clock): 20⅚ ns a cycle. SRELOAD 47: a 1 µs tick; 1000 ticks a period.
    const periodic = (timing?: 'qemu') => {
      const rig = makeRig({ clock: new VirtualClock({ start: 1_000 }), hz: 48_000_000, ...(timing === undefined ? {} : { timing }) });
      rig.w(SRELOAD, 2);
      rig.w(trld(1), 999); // 3000 cycles: 62 500 ns
      rig.w(tctrl(1), START);
      const seen: number[] = [];
      rig.device.irqs[0]!.watch((high) => {
        if (!high) return;
        seen.push(rig.clock.now());
        rig.w(tctrl(1), EN | RS | IE | IP);
      });
      rig.clock.advanceTo(1_000 + 62_500 * 7);
      return seen;
    };

    it('exact (the default) at 24 MHz, SRELOAD 0: interrupt k at ⌊k·1000·10^9/24·10^6⌋ ns', () => {
      const rig = makeRig({ hz: 24_000_000 });
      rig.w(SRELOAD, 0);
      rig.w(trld(1), 999);
      rig.w(tctrl(1), START);
      const seen: number[] = [];
      rig.device.irqs[0]!.watch((high) => {
        if (high) {
          seen.push(rig.clock.now());
          rig.w(tctrl(1), EN | RS | IE | IP);
        }
      });
      rig.clock.advanceTo(41_666_667);
      expect(seen).toHaveLength(1_000);
      expect(seen).toEqual(seen.map((_, i) => Math.floor(((i + 1) * 125_000) / 3)));
    });

    it('exact at 48 MHz, SRELOAD 2, TRLDVAL 999: every 62 500 ns exactly', () => {
      expect(periodic()).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => 1_000 + 62_500 * k));
    });

    it("timing 'qemu' at 48 MHz: QEMU's 64.32 cycle, each round floored: early", () => {
      // ⌊2^32·10^9/48·10^6⌋ = 89 478 485 333 → a cycle of 20 + 3 579 139 413·2^-32 ns; 3000 of them floored: 62 499 ns.
      expect(periodic('qemu')).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => 1_000 + 62_499 * k));
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: GrlibGptimer; irq: IrqSignal } => {
      const device = new GrlibGptimer(clock, { clk: new ClockInput('clk', 40_000_000) });
      return { device, irq: device.irqs[0]! };
    };
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(SRELOAD, 3) },
      { at: 0, access: guestWrite(trld(1), 4) },
      { at: 0, access: guestWrite(tctrl(1), START) },
      { at: 0, access: guestWrite(trld(2), 1) },
      { at: 0, access: guestWrite(tctrl(2), EN | RS | LD | IE | CH) },
      { at: 130, access: guestWrite(tcnt(3), 6) },
      { at: 130, access: guestWrite(tctrl(3), EN | IE) },
      { at: 510, access: guestWrite(tctrl(1), EN | RS | IE | IP) },
      { at: 777, access: guestRead(SCALER) },
      { at: 820, access: guestWrite(SCALER, 40) },
      { at: 905, access: guestRead(tcnt(1)) },
      { at: 1_020, access: guestWrite(tctrl(1), EN | RS | IE | IP) },
      { at: 1_500, access: guestWrite(SRELOAD, 1) },
      { at: 2_100, access: guestWrite(tctrl(1), RS | IE | IP) },
      { at: 2_400, access: guestWrite(tctrl(4), EN) },
    ];

    it.each([0, 60, 130, 400, 500, 600, 821, 900, 1_010, 1_600, 2_200, 2_500])('continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 4_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data: the revision, the registers, a ptimer per timer, the long first ticks, the prescaler\'s anchor and the clock', () => {
      const rig = makeRig();
      rig.w(SRELOAD, 3);
      rig.w(tctrl(1), EN | RS);
      rig.clock.advanceTo(60);
      rig.w(SCALER, 50);
      const s = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'grlib-gptimer', version: 1, revision: 1, firstTickValue: [0, null, null, null], scalerAnchor: 60, clkHz: 40_000_000 });
      expect((s.timers as unknown[]).length).toBe(4);
    });

    const snapshotAt = (time: number): Record<string, unknown> => {
      const rig = makeRig();
      rig.w(SRELOAD, 3);
      rig.w(trld(1), 50);
      rig.w(tctrl(1), START);
      rig.w(tcnt(2), 9);
      rig.w(tctrl(2), EN | CH);
      rig.clock.advanceTo(time);
      return JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    /** Changes a register of the snapshot through `edit`. */
    const change = (s: Record<string, unknown>, name: string, edit: (v: number) => number): void => {
      regs(s)[name] = edit(regs(s)[name]!) >>> 0;
    };
    it.each<[string, (s: Record<string, unknown>) => void, string]>([
      ['another revision', (s) => (s.revision = 0), "'revision'"],
      ['another clock rate', (s) => (s.clkHz = 48_000_000), "'clkHz'"],
      ['a prescaler anchor in the future', (s) => (s.scalerAnchor = 10_000), "'scalerAnchor'"],
      ['three timers', (s) => (s.timers = (s.timers as unknown[]).slice(0, 3)), "'timers'"],
      ['another configuration', (s) => (regs(s).CONFIG = 5 | (8 << 3) | (1 << 8)), "'registers.registers.CONFIG'"],
      ['LD stored', (s) => change(s, 'TCTRL1', (v) => v | LD), "'registers.registers.TCTRL1'"],
      ['EN cleared while counting', (s) => change(s, 'TCTRL1', (v) => v & ~EN), "'timers[0].mode'"],
      ['RS cleared under a periodic count', (s) => change(s, 'TCTRL1', (v) => v & ~RS), "'timers[0].mode'"],
      ['CH cleared on the chained timer', (s) => change(s, 'TCTRL2', (v) => v & ~CH), "'timers[1].mode'"],
      ['TRLDVAL apart from the reload value', (s) => (regs(s).TRLDVAL1 = 49), "'timers[0].limit'"],
      ['SRELOAD apart from the reload values', (s) => (regs(s).SRELOAD = 4), "'timers[0].limit'"],
      ['a counting timer\'s TCNTVAL storing a value', (s) => (regs(s).TCNTVAL1 = 3), "'registers.registers.TCNTVAL1'"],
      ['a long first tick on a stopped timer', (s) => ((s.firstTickValue as unknown[])[2] = 5), "'firstTickValue[2]'"],
      ['a long first tick that does not fit the count', (s) => ((s.firstTickValue as unknown[])[0] = 50), "'firstTickValue[0]'"],
    ])('refuses %s at the field, changing nothing', (_name, edit, field) => {
      const s = snapshotAt(900);
      edit(s);
      const rig = makeRig({ clock: new VirtualClock({ start: 900 }) });
      rig.w(trld(4), 77);
      const before = JSON.stringify(rig.device.snapshot());
      expect(() => rig.device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => rig.device.restore(s)).toThrow(field);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      rig.device.restore(snapshotAt(900));
      expect(rig.r(tcnt(1))).toBe(42); // 8 ticks of 100 ns shown at 900 ns
    });

    it('refuses a snapshot of another configuration: a core with three timers has no TCTRL4', () => {
      const s = snapshotAt(100);
      const other = new GrlibGptimer(new VirtualClock({ start: 100 }), { timers: 3 });
      expect(() => other.restore(s)).toThrow(RegisterSnapshotError);
    });
  });
});
