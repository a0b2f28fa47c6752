// The SmartFusion2 MSS timer as a datasheet walk-through (UG0331 chapter 18): the register map,
// reset, each decision of the device header (X1-X12) at the tick edges that matter, the 64-bit
// mode, PCLK0 changes, exact and QEMU timing, options, snapshot, restore and continuation.
// PCLK0 runs at 100 MHz: one tick is 10 ns.
import { describe, expect, it } from 'vitest';
import { MSS_TIMER_POLICY, MSS_TIMER_REGISTERS, MssTimer } from '../../../devices/mss-timer';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import {
  BGLOADVAL,
  CTRL,
  ENABLE,
  INTEN,
  LOADVAL,
  makeRig,
  MIS,
  ONESHOT,
  read64,
  RIS,
  TICK,
  tim,
  TIM64_BGLOADVAL_L,
  TIM64_BGLOADVAL_U,
  TIM64_CTRL,
  TIM64_LOADVAL_L,
  TIM64_LOADVAL_U,
  TIM64_MIS,
  TIM64_MODE,
  TIM64_RIS,
  TIM64_VAL_L,
  TIM64_VAL_U,
  VAL,
  type Rig,
} from './rig';

const RUN = INTEN | ENABLE; // periodic, interrupt enabled, counting

/** [VAL, RIS, MIS, line] of timer n. */
const state = (rig: Rig, n: 1 | 2): [number, number, number, boolean] => [
  rig.r(tim(n, VAL)),
  rig.r(tim(n, RIS)),
  rig.r(tim(n, MIS)),
  (n === 1 ? rig.device.timer1int : rig.device.timer2int).level,
];

/** A rig switched to 64-bit mode (MSS_TIM64_init's first write). */
const rig64 = (): Rig => {
  const rig = makeRig();
  rig.w(TIM64_MODE, 1);
  return rig;
};

describe('MssTimer', () => {
  it('has the manual\'s register map: two 32-bit timers 0x18 apart, the 64-bit block from 0x30, TIM64_MODE at 0x54', () => {
    expect(MSS_TIMER_REGISTERS.registers.map((r) => [r.name, r.offset])).toEqual([
      ...[1, 2].flatMap((n) => ['VAL', 'LOADVAL', 'BGLOADVAL', 'CTRL', 'RIS', 'MIS'].map((reg, k) => [`TIM${n}_${reg}`, 0x18 * (n - 1) + 4 * k])),
      ['TIM64_VAL_U', 0x30],
      ['TIM64_VAL_L', 0x34],
      ['TIM64_LOADVAL_U', 0x38],
      ['TIM64_LOADVAL_L', 0x3c],
      ['TIM64_BGLOADVAL_U', 0x40],
      ['TIM64_BGLOADVAL_L', 0x44],
      ['TIM64_CTRL', 0x48],
      ['TIM64_RIS', 0x4c],
      ['TIM64_MIS', 0x50],
      ['TIM64_MODE', 0x54],
    ]);
    expect(MSS_TIMER_REGISTERS.registers.every((r) => r.reset === 0)).toBe(true);
    expect(MSS_TIMER_POLICY).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('X12: resets to 0 everywhere, every counter stopped at 0, lines low; reset() mid-run does it again', () => {
    const rig = makeRig();
    for (const r of MSS_TIMER_REGISTERS.registers) expect(rig.r(r.offset)).toBe(0);
    rig.w(tim(1, LOADVAL), 5);
    rig.w(tim(1, CTRL), RUN);
    rig.clock.advanceTo(5 * TICK);
    expect(state(rig, 1)).toEqual([5, 1, 1, true]);
    rig.device.reset();
    for (const r of MSS_TIMER_REGISTERS.registers) expect(rig.r(r.offset)).toBe(0);
    expect([rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([false, false]);
    rig.clock.advanceTo(1_000);
    expect(state(rig, 1)).toEqual([0, 0, 0, false]);
    expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  describe('X1: the count and the period', () => {
    it('X1: LOADVAL 4 periodic reads 4, 3, 2, 1 and reloads in the tick that reaches 0: an interrupt every 4 ticks, VAL never 0', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 4);
      rig.w(tim(1, CTRL), RUN);
      expect(rig.r(tim(1, VAL))).toBe(4);
      rig.clock.advanceTo(TICK); // the first tick ends
      expect(rig.r(tim(1, VAL))).toBe(4);
      rig.clock.advanceTo(TICK + 1);
      expect(rig.r(tim(1, VAL))).toBe(3);
      rig.clock.advanceTo(4 * TICK - 1); // the last tick
      expect(state(rig, 1)).toEqual([1, 0, 0, false]);
      rig.clock.advanceTo(4 * TICK); // G1: reload, RIS, MIS and the line in one step
      expect(state(rig, 1)).toEqual([4, 1, 1, true]);
      rig.w(tim(1, RIS), 1);
      const values = new Set<number>();
      for (let t = 4 * TICK + 1; t < 12 * TICK; t++) {
        rig.clock.advanceTo(t);
        values.add(rig.r(tim(1, VAL)));
      }
      expect([...values].sort()).toEqual([1, 2, 3, 4]);
      expect(rig.r(tim(1, RIS))).toBe(1); // the zero at 8 ticks
    });

    it('X1: the manual\'s use model: LOADVAL 100 000 at 100 MHz interrupts every 1 ms', () => {
      const rig = makeRig();
      const rises: number[] = [];
      rig.device.timer1int.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(tim(1, RIS), 1);
      });
      rig.w(tim(1, LOADVAL), 100_000);
      rig.w(tim(1, CTRL), RUN);
      rig.clock.advanceTo(3_500_000);
      expect(rises).toEqual([1_000_000, 2_000_000, 3_000_000]);
    });

    it('X1: one-shot LOADVAL 3 interrupts once, 3 ticks on, and halts reading 0', () => {
      const rig = makeRig();
      rig.w(tim(2, LOADVAL), 3);
      rig.w(tim(2, CTRL), RUN | ONESHOT);
      rig.clock.advanceTo(3 * TICK - 1);
      expect(state(rig, 2)).toEqual([1, 0, 0, false]);
      rig.clock.advanceTo(3 * TICK);
      expect(state(rig, 2)).toEqual([0, 1, 1, true]);
      rig.w(tim(2, RIS), 1);
      rig.clock.advanceTo(100 * TICK);
      expect(state(rig, 2)).toEqual([0, 0, 0, false]);
      expect(rig.r(tim(2, CTRL))).toBe(RUN | ONESHOT); // ENABLE stays set
    });
  });

  describe('X2: LOADVAL', () => {
    it('X2: a write loads the counter at once, enabled or not; an enabled counter counts on from it', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 50); // disabled: loaded, not counting
      rig.clock.advanceTo(10 * TICK);
      expect(rig.r(tim(1, VAL))).toBe(50);
      rig.w(tim(1, CTRL), RUN);
      rig.clock.advanceTo(30 * TICK + 1);
      expect(rig.r(tim(1, VAL))).toBe(30);
      rig.w(tim(1, LOADVAL), 7); // mid-count: the counter restarts from 7
      expect(rig.r(tim(1, VAL))).toBe(7);
      rig.clock.advanceTo(30 * TICK + 1 + 7 * TICK - 1);
      expect(rig.r(tim(1, RIS))).toBe(0);
      rig.clock.advanceTo(30 * TICK + 1 + 7 * TICK);
      expect(state(rig, 1)).toEqual([7, 1, 1, true]);
    });

    it('X2: a 0 loaded is no zero reached: no interrupt, the counter holds 0 (QEMU interrupts at once)', () => {
      const rig = makeRig();
      rig.w(tim(1, CTRL), RUN);
      rig.w(tim(1, LOADVAL), 0);
      rig.w(tim(2, CTRL), RUN | ONESHOT);
      rig.w(tim(2, LOADVAL), 0);
      rig.clock.advanceTo(100 * TICK);
      expect(state(rig, 1)).toEqual([0, 0, 0, false]);
      expect(state(rig, 2)).toEqual([0, 0, 0, false]);
      expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped']);
      rig.w(tim(1, LOADVAL), 2); // a non-zero load starts it
      rig.clock.advanceTo(102 * TICK);
      expect(state(rig, 1)).toEqual([2, 1, 1, true]);
    });

    it('X2: a periodic counter whose reload value became 0 interrupts at its zero, then rests at 0 with ENABLE set', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 5);
      rig.w(tim(1, CTRL), RUN);
      rig.w(tim(1, BGLOADVAL), 0);
      rig.clock.advanceTo(5 * TICK);
      expect(state(rig, 1)).toEqual([0, 1, 1, true]);
      rig.w(tim(1, RIS), 1);
      rig.clock.advanceTo(50 * TICK);
      expect(state(rig, 1)).toEqual([0, 0, 0, false]);
      expect(rig.r(tim(1, CTRL))).toBe(RUN);
      expect(rig.device.timers[0].mode).toBe('stopped');
    });
  });

  it('X3: BGLOADVAL sets LOADVAL and leaves the count; the new period starts at the next zero; it reads back what was written to it', () => {
    const rig = makeRig();
    rig.w(tim(1, LOADVAL), 10);
    rig.w(tim(1, CTRL), RUN);
    rig.clock.advanceTo(3 * TICK + 1);
    rig.w(tim(1, BGLOADVAL), 4);
    expect([rig.r(tim(1, VAL)), rig.r(tim(1, LOADVAL)), rig.r(tim(1, BGLOADVAL))]).toEqual([7, 4, 4]);
    rig.clock.advanceTo(10 * TICK);
    expect(state(rig, 1)).toEqual([4, 1, 1, true]);
    rig.w(tim(1, RIS), 1);
    rig.clock.advanceTo(14 * TICK);
    expect(state(rig, 1)).toEqual([4, 1, 1, true]);
    rig.w(tim(1, LOADVAL), 9); // a LOADVAL write leaves BGLOADVAL
    expect([rig.r(tim(1, LOADVAL)), rig.r(tim(1, BGLOADVAL))]).toEqual([9, 4]);
  });

  it('X4: ENABLE 0 freezes the count, 1 resumes it with a fresh tick; a CTRL write never restarts the count (QEMU restarts from LOADVAL)', () => {
    const rig = makeRig();
    rig.w(tim(1, LOADVAL), 100);
    rig.w(tim(1, CTRL), ENABLE);
    rig.clock.advanceTo(40 * TICK + 5);
    rig.w(tim(1, CTRL), 0);
    expect(rig.r(tim(1, VAL))).toBe(60);
    rig.clock.advanceTo(1_000 * TICK);
    expect(rig.r(tim(1, VAL))).toBe(60);
    rig.w(tim(1, CTRL), ENABLE);
    rig.clock.advanceTo(1_001 * TICK);
    expect(rig.r(tim(1, VAL))).toBe(60);
    rig.clock.advanceTo(1_001 * TICK + 1);
    expect(rig.r(tim(1, VAL))).toBe(59);
    rig.w(tim(1, CTRL), ENABLE | INTEN); // MSS_TIM1_enable_irq after start: the count goes on
    expect(rig.r(tim(1, VAL))).toBe(59);
    rig.clock.advanceTo(1_060 * TICK - 1);
    expect(state(rig, 1)).toEqual([1, 0, 0, false]);
    rig.clock.advanceTo(1_060 * TICK);
    expect(state(rig, 1)).toEqual([100, 1, 1, true]);
  });

  describe('X5: MODE', () => {
    it('X5: a MODE change while counting takes effect at the next zero, both ways', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 5);
      rig.w(tim(1, CTRL), RUN);
      rig.clock.advanceTo(2 * TICK + 1);
      rig.w(tim(1, CTRL), RUN | ONESHOT);
      expect(rig.r(tim(1, VAL))).toBe(3);
      rig.clock.advanceTo(5 * TICK);
      expect(state(rig, 1)).toEqual([0, 1, 1, true]); // halted: one-shot now
      rig.w(tim(2, LOADVAL), 5);
      rig.w(tim(2, CTRL), RUN | ONESHOT);
      rig.clock.advanceTo(7 * TICK + 1);
      rig.w(tim(2, CTRL), RUN);
      rig.clock.advanceTo(10 * TICK);
      expect(state(rig, 2)).toEqual([5, 1, 1, true]); // reloaded: periodic now
    });

    it('X5: a halted one-shot ignores ENABLE; clearing MODE loads LOADVAL at once, silently, and counts periodic; a LOADVAL write restarts it', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 3);
      rig.w(tim(1, CTRL), RUN | ONESHOT);
      rig.clock.advanceTo(3 * TICK);
      rig.w(tim(1, RIS), 1);
      rig.w(tim(1, CTRL), 0);
      rig.w(tim(1, CTRL), RUN | ONESHOT); // re-enabled at 0: stays halted
      rig.clock.advanceTo(20 * TICK);
      expect(state(rig, 1)).toEqual([0, 0, 0, false]);
      rig.w(tim(1, CTRL), RUN); // periodic: loads 3 now, no interrupt for the load
      expect(state(rig, 1)).toEqual([3, 0, 0, false]);
      rig.clock.advanceTo(23 * TICK);
      expect(state(rig, 1)).toEqual([3, 1, 1, true]);
      rig.w(tim(1, RIS), 1);
      rig.w(tim(1, CTRL), RUN | ONESHOT);
      rig.clock.advanceTo(26 * TICK);
      expect(rig.r(tim(1, VAL))).toBe(0);
      rig.w(tim(1, RIS), 1);
      rig.w(tim(1, LOADVAL), 2); // restarts the one-shot
      rig.clock.advanceTo(28 * TICK);
      expect(state(rig, 1)).toEqual([0, 1, 1, true]);
    });

    it('X5: after reset, BGLOADVAL then ENABLE: periodic counts from the background value (the driver\'s load_background + start), one-shot stays at 0', () => {
      const rig = makeRig();
      rig.w(tim(1, BGLOADVAL), 6);
      rig.w(tim(2, BGLOADVAL), 6);
      rig.w(tim(2, CTRL), RUN | ONESHOT);
      rig.w(tim(1, CTRL), RUN);
      expect(state(rig, 1)).toEqual([6, 0, 0, false]); // loaded at the enable, no interrupt
      rig.clock.advanceTo(6 * TICK);
      expect(state(rig, 1)).toEqual([6, 1, 1, true]);
      expect(state(rig, 2)).toEqual([0, 0, 0, false]);
    });
  });

  describe('X6: interrupts', () => {
    it('X6: RIS rises whatever INTEN says; MIS and the line follow INTEN; writing 0 to RIS does nothing, 1 clears', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 2);
      rig.w(tim(1, CTRL), ENABLE);
      rig.clock.advanceTo(2 * TICK);
      expect(state(rig, 1)).toEqual([2, 1, 0, false]);
      rig.w(tim(1, CTRL), ENABLE | INTEN);
      expect(state(rig, 1)).toEqual([2, 1, 1, true]);
      rig.w(tim(1, RIS), 0);
      expect(rig.r(tim(1, RIS))).toBe(1);
      rig.w(tim(1, RIS), 0xffff_ffff); // reserved bits written 1: ignored
      expect(state(rig, 1)).toEqual([2, 0, 0, false]);
      expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
    });

    it('X6: an interrupt not cleared before the next zero is lost: the line rises once', () => {
      const rig = makeRig();
      const rises: number[] = [];
      rig.device.timer1int.watch((high) => high && rises.push(rig.clock.now()));
      rig.w(tim(1, LOADVAL), 3);
      rig.w(tim(1, CTRL), RUN);
      rig.clock.advanceTo(10 * 3 * TICK);
      expect(rises).toEqual([3 * TICK]);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(10);
    });

    it('X6: timer 2 interrupts on TIMER2INT, independent of timer 1', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 4);
      rig.w(tim(1, CTRL), RUN);
      rig.w(tim(2, LOADVAL), 3);
      rig.w(tim(2, CTRL), RUN);
      rig.clock.advanceTo(3 * TICK);
      expect([rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([false, true]);
      rig.clock.advanceTo(4 * TICK);
      expect([rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([true, true]);
      rig.w(tim(2, RIS), 1);
      expect([rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([true, false]);
      expect(Object.keys(rig.device.lines)).toEqual(['timer1int', 'timer2int']);
    });
  });

  describe('X7: TIM64_MODE', () => {
    it('X7: a mode change puts everything back to power-up state in the new mode; writing the same mode changes nothing', () => {
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 3);
      rig.w(tim(1, BGLOADVAL), 3);
      rig.w(tim(1, CTRL), RUN);
      rig.clock.advanceTo(3 * TICK + 1);
      expect(rig.device.timer1int.level).toBe(true);
      rig.w(TIM64_MODE, 0); // the mode it is in
      expect(state(rig, 1)).toEqual([3, 1, 1, true]);
      rig.w(TIM64_MODE, 0xffff_ffff); // 64-bit; reserved bits ignored
      expect(rig.r(TIM64_MODE)).toBe(1);
      expect(rig.device.timer1int.level).toBe(false);
      expect(rig.device.timers.map((t) => [t.mode, t.getCount(), t.getLimit()])).toEqual([
        ['stopped', 0n, 0n],
        ['stopped', 0n, 0n],
        ['stopped', 0n, 0n],
      ]);
      for (const r of MSS_TIMER_REGISTERS.registers) if (r.name !== 'TIM64_MODE') expect(rig.r(r.offset)).toBe(0);
      rig.w(TIM64_LOADVAL_U, 1);
      rig.w(TIM64_LOADVAL_L, 2);
      rig.w(TIM64_CTRL, RUN);
      rig.clock.advanceTo(1_000);
      rig.w(TIM64_MODE, 0); // back to 32-bit: the 64-bit timer is reset too
      expect(rig.device.timers[2].mode).toBe('stopped');
      for (const r of MSS_TIMER_REGISTERS.registers) expect(rig.r(r.offset)).toBe(0);
    });

    it('X7: the other mode\'s registers ignore writes and read 0, without an event', () => {
      const rig = makeRig();
      for (const offset of [TIM64_LOADVAL_U, TIM64_LOADVAL_L, TIM64_BGLOADVAL_U, TIM64_BGLOADVAL_L, TIM64_CTRL, TIM64_RIS]) rig.w(offset, 0x55);
      for (const offset of [TIM64_LOADVAL_U, TIM64_LOADVAL_L, TIM64_BGLOADVAL_U, TIM64_BGLOADVAL_L, TIM64_CTRL, TIM64_RIS]) expect(rig.r(offset)).toBe(0);
      rig.clock.advanceTo(1_000);
      expect(rig.device.timers[2].mode).toBe('stopped');
      rig.w(TIM64_MODE, 1);
      rig.w(TIM64_LOADVAL_L, 9); // the U written in 32-bit mode never reached its holding register
      expect([rig.r(TIM64_LOADVAL_U), rig.r(TIM64_LOADVAL_L)]).toEqual([0, 9]);
      for (const n of [1, 2] as const) {
        for (const reg of [LOADVAL, BGLOADVAL, CTRL, RIS]) rig.w(tim(n, reg), 0x7);
        for (const reg of [VAL, LOADVAL, BGLOADVAL, CTRL, RIS, MIS]) expect(rig.r(tim(n, reg))).toBe(0);
      }
      rig.clock.advanceTo(2_000);
      expect(rig.device.timers.slice(0, 2).map((t) => t.mode)).toEqual(['stopped', 'stopped']);
      expect([rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([false, false]);
      expect(rig.events).toEqual([]);
    });
  });

  describe('X8: 64-bit loads', () => {
    it('X8: a U write is held (U reads its current value) until the L write loads the counter with U:L at once', () => {
      const rig = rig64();
      rig.w(TIM64_LOADVAL_U, 0x1234);
      expect([rig.r(TIM64_LOADVAL_U), read64(rig)]).toEqual([0, 0n]);
      rig.w(TIM64_LOADVAL_L, 0x5678);
      expect([rig.r(TIM64_LOADVAL_U), rig.r(TIM64_LOADVAL_L), read64(rig)]).toEqual([0x1234, 0x5678, 0x1234_0000_5678n]);
      rig.w(TIM64_LOADVAL_L, 0x10); // an L write alone reuses the held U
      expect(read64(rig)).toBe(0x1234_0000_0010n);
      rig.w(TIM64_CTRL, RUN);
      rig.clock.advanceTo(0x10 * TICK + 1);
      expect(read64(rig)).toBe(0x1234_0000_0000n);
    });

    it('X8: the background pair has a holding register of its own; its L write sets the load value and leaves the count', () => {
      const rig = rig64();
      rig.w(TIM64_LOADVAL_U, 0);
      rig.w(TIM64_LOADVAL_L, 5);
      rig.w(TIM64_CTRL, RUN);
      rig.w(TIM64_BGLOADVAL_U, 0x2);
      expect([rig.r(TIM64_BGLOADVAL_U), rig.r(TIM64_LOADVAL_U)]).toEqual([0, 0]);
      rig.w(TIM64_LOADVAL_L, 5); // uses LOADVAL_U's holding register (0), not BGLOADVAL_U's
      expect(read64(rig)).toBe(5n);
      rig.clock.advanceTo(2 * TICK + 1);
      rig.w(TIM64_BGLOADVAL_L, 0x3);
      expect([rig.r(TIM64_BGLOADVAL_U), rig.r(TIM64_BGLOADVAL_L), rig.r(TIM64_LOADVAL_U), rig.r(TIM64_LOADVAL_L)]).toEqual([2, 3, 2, 3]);
      expect(read64(rig)).toBe(3n); // the count goes on: 5 - 2
      rig.clock.advanceTo(5 * TICK);
      expect([read64(rig), rig.r(TIM64_RIS), rig.r(TIM64_MIS), rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([0x2_0000_0003n, 1, 1, true, false]);
    });
  });

  describe('X9: coherent 64-bit reads', () => {
    it('X9: reading L latches U: L then U gives one value even across a borrow from the upper half', () => {
      const rig = rig64();
      rig.w(TIM64_LOADVAL_U, 1);
      rig.w(TIM64_LOADVAL_L, 2);
      rig.w(TIM64_CTRL, ENABLE);
      expect(rig.r(TIM64_VAL_U)).toBe(0); // nothing latched yet
      rig.clock.advanceTo(2 * TICK + 1); // the count is 0x1_0000_0000 (reads it for this tick)
      const lower = rig.r(TIM64_VAL_L);
      rig.clock.advanceTo(5 * TICK + 1); // the borrow: the count is 0x0_FFFF_FFFD now
      const upper = rig.r(TIM64_VAL_U);
      expect([upper, lower]).toEqual([1, 0]); // 0x1_0000_0000: coherent
      expect(read64(rig)).toBe(0xffff_fffdn);
      expect(rig.device.probes[2]!.read()).toBe(0xffff_fffdn);
    });

    it('X9: a probe reads the 64-bit count without latching; U keeps the last L read\'s upper half', () => {
      const rig = rig64();
      rig.w(TIM64_LOADVAL_U, 7);
      rig.w(TIM64_LOADVAL_L, 0);
      rig.r(TIM64_VAL_L);
      rig.w(TIM64_LOADVAL_U, 9);
      rig.w(TIM64_LOADVAL_L, 0);
      expect(rig.device.probes[2]!.read()).toBe(0x9_0000_0000n);
      expect(rig.r(TIM64_VAL_U)).toBe(7);
    });

    it('X9: a 64-bit one-shot longer than 2^32 ticks interrupts once on TIMER1INT, at (2^32 + 5) ticks', () => {
      const rig = rig64();
      rig.w(TIM64_CTRL, ONESHOT);
      rig.w(TIM64_LOADVAL_U, 1);
      rig.w(TIM64_LOADVAL_L, 5);
      rig.w(TIM64_CTRL, RUN | ONESHOT);
      const due = (2 ** 32 + 5) * TICK;
      rig.clock.advanceTo(due - 1);
      expect([read64(rig), rig.device.timer1int.level]).toEqual([1n, false]);
      rig.clock.advanceTo(due);
      expect([read64(rig), rig.r(TIM64_RIS), rig.device.timer1int.level, rig.device.timer2int.level]).toEqual([0n, 1, true, false]);
      rig.w(TIM64_RIS, 1);
      expect(rig.device.timer1int.level).toBe(false);
    });
  });

  describe('X11: PCLK0', () => {
    it('X11: 100 MHz by default; a rate change keeps the count and starts a full tick at the new rate; 0 Hz freezes every counter', () => {
      expect(new MssTimer(new VirtualClock()).pclk.hz).toBe(100_000_000);
      const rig = makeRig();
      rig.w(tim(1, LOADVAL), 100);
      rig.w(tim(1, CTRL), ENABLE);
      rig.w(tim(2, LOADVAL), 100);
      rig.w(tim(2, CTRL), ENABLE);
      rig.clock.advanceTo(10 * TICK + 5);
      expect(rig.r(tim(1, VAL))).toBe(90);
      rig.pclk.setHz(0);
      rig.clock.advanceTo(100_000);
      expect([rig.r(tim(1, VAL)), rig.r(tim(2, VAL))]).toEqual([90, 90]);
      rig.pclk.setHz(50_000_000); // 20 ns ticks from now
      rig.clock.advanceTo(100_000 + 20);
      expect(rig.r(tim(1, VAL))).toBe(90);
      rig.clock.advanceTo(100_000 + 21);
      expect([rig.r(tim(1, VAL)), rig.r(tim(2, VAL))]).toEqual([89, 89]);
    });

    it('refuses bad options, naming the option', () => {
      expect(() => new MssTimer(new VirtualClock(), { pclk: 100_000_000 as never })).toThrow(DeviceConfigError);
      expect(() => new MssTimer(new VirtualClock(), { pclk: 100_000_000 as never })).toThrow('MssTimer(options.pclk)');
      expect(() => new MssTimer(new VirtualClock(), { name: '' })).toThrow('MssTimer(options.name)');
      expect(() => new MssTimer(new VirtualClock(), { delivery: 'later' as never })).toThrow('MssTimer(options.delivery)');
      expect(() => new MssTimer(new VirtualClock(), { timing: 'fast' as never })).toThrow('MssTimer(options.timing)');
      expect(() => new MssTimer(new VirtualClock(), { clock: 1 } as never)).toThrow('MssTimer(options.clock)');
    });
  });

  describe('timing', () => {
    // 71 MHz (the emcraft-sf2 board's PCLK0): 14 6/71 ns a tick; 1000 ticks = 14 084 36/71 ns.
    const loaded = (timing?: 'qemu') => {
      const rig = makeRig({ clock: new VirtualClock({ start: 1_000 }), hz: 71_000_000, ...(timing === undefined ? {} : { timing }) });
      rig.w(tim(1, LOADVAL), 1_000);
      rig.w(tim(1, CTRL), RUN);
      return rig;
    };
    const rises = (rig: Rig, count: number): number[] => {
      const seen: number[] = [];
      rig.device.timer1int.watch((high) => {
        if (!high) return;
        seen.push(rig.clock.now());
        rig.w(tim(1, RIS), 1);
      });
      rig.clock.advanceTo(1_000 + 14_085 * count);
      return seen.slice(0, count);
    };

    it('exact (the default) at 71 MHz: interrupt k at 1000 + ⌊k·1 000 000/71⌋ ns', () => {
      const seen = rises(loaded(), 71);
      expect(seen).toEqual(seen.map((_, i) => 1_000 + Math.floor(((i + 1) * 1_000_000) / 71)));
      expect(seen[70]).toBe(1_001_000);
    });

    it("timing 'qemu' at 71 MHz: QEMU's rounds, each floored to whole ns, drift early", () => {
      const seen = rises(loaded('qemu'), 71);
      expect(seen[0]).toBe(1_000 + 14_084);
      expect(seen[70]).toBeLessThan(1_001_000);
      expect(seen).toEqual(seen.map((_, i) => 1_000 + 14_084 * (i + 1)));
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: MssTimer; irq: IrqSignal } => {
      const device = new MssTimer(clock, { pclk: new ClockInput('pclk', 100_000_000) });
      return { device, irq: device.timer1int };
    };
    const script32: ScriptStep[] = [
      { at: 0, access: guestWrite(tim(1, LOADVAL), 7) },
      { at: 0, access: guestWrite(tim(1, CTRL), RUN) },
      { at: 0, access: guestWrite(tim(2, LOADVAL), 25) },
      { at: 0, access: guestWrite(tim(2, CTRL), RUN | ONESHOT) },
      { at: 75, access: guestWrite(tim(1, RIS), 1) },
      { at: 95, access: guestRead(tim(2, VAL)) },
      { at: 120, access: guestWrite(tim(1, BGLOADVAL), 3) },
      { at: 170, access: guestWrite(tim(1, RIS), 1) },
      { at: 260, access: guestWrite(tim(2, RIS), 1) },
      { at: 300, access: guestWrite(tim(2, LOADVAL), 4) },
      { at: 305, access: guestRead(tim(1, MIS)) },
    ];
    const script64: ScriptStep[] = [
      { at: 0, access: guestWrite(TIM64_MODE, 1) },
      { at: 0, access: guestWrite(TIM64_LOADVAL_U, 0) },
      { at: 0, access: guestWrite(TIM64_LOADVAL_L, 9) },
      { at: 0, access: guestWrite(TIM64_CTRL, RUN) },
      { at: 50, access: guestWrite(TIM64_BGLOADVAL_U, 1) }, // held across the snapshots below
      { at: 95, access: guestWrite(TIM64_RIS, 1) },
      { at: 101, access: guestRead(TIM64_VAL_L) }, // latches U
      { at: 150, access: guestWrite(TIM64_BGLOADVAL_L, 2) },
      { at: 180, access: guestRead(TIM64_VAL_U) },
      { at: 200, access: guestWrite(TIM64_RIS, 1) },
      { at: 400, access: guestWrite(TIM64_MODE, 0) },
      { at: 400, access: guestWrite(tim(1, LOADVAL), 6) },
      { at: 400, access: guestWrite(tim(1, CTRL), RUN) },
    ];

    it.each([0, 35, 70, 99, 130, 250])('32-bit mode: continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script32, snapshotAt, 1_000);
      expect(restored).toBe(original);
    });

    it.each([0, 60, 90, 120, 170, 300, 450])('64-bit mode: continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script64, snapshotAt, 1_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data with three counters, the holding registers and the PCLK0 rate', () => {
      const { device } = make(new VirtualClock());
      device.write(TIM64_MODE, 4, 1);
      device.write(TIM64_LOADVAL_U, 4, 0xabc);
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'mss-timer', version: 1, heldLoadvalU: 0xabc, heldBgloadvalU: 0, pclkHz: 100_000_000 });
      expect((s.timers as unknown[]).length).toBe(3);
    });

    const snapshotOf = (mode64: boolean): Record<string, unknown> => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      if (mode64) {
        device.write(TIM64_MODE, 4, 1);
        device.write(TIM64_LOADVAL_L, 4, 50);
        device.write(TIM64_CTRL, 4, RUN);
      } else {
        device.write(tim(1, LOADVAL), 4, 50);
        device.write(tim(1, CTRL), 4, RUN);
      }
      clock.advanceTo(250);
      return JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<[string, boolean, (s: Record<string, unknown>) => void, string]>([
      ['another version', false, (s) => (s.version = 2), "'version'"],
      ['two counters', false, (s) => (s.timers = (s.timers as unknown[]).slice(0, 2)), "'timers'"],
      ['another PCLK0 rate', false, (s) => (s.pclkHz = 71_000_000), "'pclkHz'"],
      ['a held U in 32-bit mode', false, (s) => (s.heldLoadvalU = 1), "'heldLoadvalU'"],
      ['a 64-bit register set in 32-bit mode', false, (s) => (regs(s).TIM64_CTRL = 1), 'TIM64_CTRL'],
      ['ENABLE cleared while counting', false, (s) => (regs(s).TIM1_CTRL = INTEN), "'timers[0].mode'"],
      ['MODE set on a periodic count', false, (s) => (regs(s).TIM1_CTRL = RUN | ONESHOT), "'timers[0].mode'"],
      ['LOADVAL apart from the reload value', false, (s) => (regs(s).TIM1_LOADVAL = 49), "'timers[0].limit'"],
      ['a stored MIS', false, (s) => (regs(s).TIM1_MIS = 1), 'TIM1_MIS'],
      ['a 32-bit register set in 64-bit mode', true, (s) => (regs(s).TIM2_LOADVAL = 3), 'TIM2_LOADVAL'],
      ['TIM64_LOADVAL_U apart from the reload value', true, (s) => (regs(s).TIM64_LOADVAL_U = 1), "'timers[2].limit'"],
      ['a stored TIM64_VAL_L', true, (s) => (regs(s).TIM64_VAL_L = 1), 'TIM64_VAL_L'],
    ])('refuses %s at the field, changing nothing', (_name, mode64, edit, field) => {
      const s = snapshotOf(mode64);
      edit(s);
      const clock = new VirtualClock({ start: 250 });
      const { device } = make(clock);
      device.write(tim(2, LOADVAL), 4, 77);
      const before = JSON.stringify(device.snapshot());
      expect(() => device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => device.restore(s)).toThrow(field);
      expect(JSON.stringify(device.snapshot())).toBe(before);
      device.restore(snapshotOf(mode64)); // the real one restores
    });

    it('a restored 64-bit timer fires where the original does, holding registers included', () => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(TIM64_MODE, 4, 1);
      device.write(TIM64_LOADVAL_L, 4, 30);
      device.write(TIM64_CTRL, 4, RUN);
      device.write(TIM64_BGLOADVAL_U, 4, 0);
      device.write(TIM64_LOADVAL_U, 4, 5);
      clock.advanceTo(120);
      const copy = make(new VirtualClock({ start: 120 }));
      copy.device.restore(JSON.parse(JSON.stringify(device.snapshot())));
      copy.device.write(TIM64_LOADVAL_L, 4, 1);
      expect(copy.device.probes[2]!.read()).toBe(0x5_0000_0001n);
    });
  });
});
