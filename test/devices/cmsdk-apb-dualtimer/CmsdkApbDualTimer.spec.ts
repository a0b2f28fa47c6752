// The CMSDK APB dual timer at register level, as a datasheet walk-through (ARM DDI 0479 "APB
// dual-input timers", counter behaviour from the SP804 TRM, ARM DDI 0271). TIMCLK is 10 MHz unless
// a test says otherwise, so one tick is 100 ns. The count shown changes 1 ns after each tick
// boundary; RIS rises exactly at the boundary where the count reaches 0; the count then shows 0 for
// one tick. Titles naming an "ambiguity" refer to the numbered list in CmsdkApbDualTimer.ts.
import { describe, expect, it } from 'vitest';
import { CmsdkApbDualTimer, CMSDK_APB_DUALTIMER_REGISTERS, type CmsdkApbDualTimerOptions } from '../../../devices/cmsdk-apb-dualtimer';
import {
  ClockInput,
  DeviceConfigError,
  RegisterSnapshotError,
  VirtualClock,
  type TraceEvent,
} from '../../../index';
import { thrown } from '../../support/errors';

const TICK = 100; // ns at 10 MHz

// Offsets (timer 2 = timer 1 + 0x20).
const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const RIS = 0x10;
const MIS = 0x14;
const BGLOAD = 0x18;
const T2 = 0x20;
const ITCR = 0xf00;
const ITOP = 0xf04;
// TimerXControl bits.
const ONESHOT = 0x01;
const SIZE32 = 0x02;
const DIV16 = 0x04;
const INTEN = 0x20;
const MODE = 0x40; // periodic
const ENABLE = 0x80;

const make = (hz = 10_000_000) => {
  const clock = new VirtualClock();
  const timclk = new ClockInput('TIMCLK', hz);
  const dual = new CmsdkApbDualTimer(clock, { timclk });
  const events: TraceEvent[] = [];
  dual.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => dual.read(offset, 4);
  const w = (offset: number, value: number): void => dual.write(offset, 4, value);
  return { clock, timclk, dual, events, r, w };
};

describe('CmsdkApbDualTimer', () => {
  it('comes out of reset as the TRM lists: Load 0, Value 0xFFFFFFFF, Control 0x20, no interrupt, ID registers', () => {
    const { dual, r } = make();
    for (const base of [0, T2]) {
      expect([r(base + LOAD), r(base + VALUE), r(base + CONTROL), r(base + RIS), r(base + MIS), r(base + BGLOAD)]).toEqual([
        0, 0xffff_ffff, 0x20, 0, 0, 0,
      ]);
    }
    expect(r(ITCR)).toBe(0);
    // PID4..7, PID0..3, CID0..3: part 0x823, ARM, revision 1, PrimeCell.
    const ids = Array.from({ length: 12 }, (_, i) => r(0xfd0 + 4 * i));
    expect(ids).toEqual([0x04, 0, 0, 0, 0x23, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([false, false, false]);
  });

  it('periodic 32-bit: counts Load..1, RIS at 0, shows 0 for one tick, reloads; IntClr clears', () => {
    const { clock, dual, r, w } = make();
    // Load 3, then periodic, 32-bit, interrupt enabled, enabled (t = 0).
    w(LOAD, 3);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    expect(r(VALUE)).toBe(3);
    // First tick boundary: 3 still shown on it, 2 from 1 ns after.
    clock.advanceTo(TICK);
    expect(r(VALUE)).toBe(3);
    clock.advanceTo(TICK + 1);
    expect(r(VALUE)).toBe(2);
    // Just before the third boundary: 1, nothing pending.
    clock.advanceTo(3 * TICK - 1);
    expect([r(VALUE), r(RIS), r(MIS), dual.timint1.level]).toEqual([1, 0, 0, false]);
    // Third boundary: the count reaches 0 and RIS, MIS, TIMINT1, TIMINTC rise in the same step.
    clock.advanceTo(3 * TICK);
    expect([r(VALUE), r(RIS), r(MIS), dual.timint1.level, dual.timintc.level, dual.timint2.level]).toEqual([0, 1, 1, true, true, false]);
    // 0 for the whole next tick, then Load again.
    clock.advanceTo(4 * TICK);
    expect(r(VALUE)).toBe(0);
    clock.advanceTo(4 * TICK + 1);
    expect(r(VALUE)).toBe(3);
    // The handler's IntClr (any value) lowers everything.
    w(INTCLR, 0);
    expect([r(RIS), r(MIS), dual.timint1.level, dual.timintc.level]).toEqual([0, 0, false, false]);
    // A period is Load + 1 ticks: the next interrupt is at 7 ticks.
    clock.advanceTo(7 * TICK - 1);
    expect(r(RIS)).toBe(0);
    clock.advanceTo(7 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
  });

  it('free-running 32-bit: wraps to 0xFFFFFFFF one tick after the interrupt', () => {
    const { clock, r, w } = make();
    w(LOAD, 2);
    w(CONTROL, ENABLE | INTEN | SIZE32);
    clock.advanceTo(2 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    clock.advanceTo(3 * TICK + 1);
    expect(r(VALUE)).toBe(0xffff_ffff);
    // Load still reads what was written (free-running does not reload it).
    expect(r(LOAD)).toBe(2);
  });

  it('INTEN masks MIS and TIMINTx, not RIS; changing it leaves the count alone (ambiguity 9)', () => {
    const { clock, dual, r, w } = make();
    w(LOAD, 2);
    w(CONTROL, ENABLE | MODE | SIZE32); // no INTEN
    clock.advanceTo(2 * TICK);
    expect([r(RIS), r(MIS), dual.timint1.level]).toEqual([1, 0, false]);
    // Setting INTEN while pending raises the output at once.
    clock.advanceTo(2 * TICK + 50);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    expect([r(MIS), dual.timint1.level, dual.timintc.level]).toEqual([1, true, true]);
    // The countdown went on untouched: 2 shown from 3 ticks + 1 ns, next interrupt at 5 ticks.
    clock.advanceTo(3 * TICK + 1);
    expect(r(VALUE)).toBe(2);
    clock.advanceTo(4 * TICK + 1);
    expect(r(VALUE)).toBe(1);
    w(INTCLR, 1);
    clock.advanceTo(5 * TICK);
    expect(r(RIS)).toBe(1);
  });

  it('BGLoad sets only the next reload value; Load and BGLoad both read it back', () => {
    const { clock, r, w } = make();
    w(LOAD, 10);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    // Mid-count, BGLoad 4: the count goes on from where it is.
    clock.advanceTo(450);
    w(BGLOAD, 4);
    expect([r(VALUE), r(LOAD), r(BGLOAD)]).toEqual([6, 4, 4]);
    // The interrupt still comes at 10 ticks; the reload is 4.
    clock.advanceTo(10 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    clock.advanceTo(11 * TICK + 1);
    expect(r(VALUE)).toBe(4);
    w(INTCLR, 1);
    clock.advanceTo(15 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
  });

  it('a Load write keeps a periodic timer periodic (QEMU restarts it one-shot: not copied, ambiguity 3)', () => {
    const { clock, r, w } = make();
    w(LOAD, 5);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    // Mid-count, a new Load restarts the count from it at once.
    clock.advanceTo(250);
    w(LOAD, 2);
    expect(r(VALUE)).toBe(2);
    clock.advanceTo(250 + 2 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    w(INTCLR, 1);
    // Still periodic: reloads 2 and interrupts again 3 ticks later.
    clock.advanceTo(250 + 3 * TICK + 1);
    expect(r(VALUE)).toBe(2);
    clock.advanceTo(250 + 5 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
  });

  it('one-shot halts at 0 until Load is written or ONESHOT cleared (ambiguity 5)', () => {
    const { clock, events, r, w } = make();
    w(LOAD, 2);
    w(CONTROL, ENABLE | INTEN | SIZE32 | ONESHOT);
    clock.advanceTo(2 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    w(INTCLR, 1);
    // Halted: 0 for good, no second interrupt.
    clock.advanceTo(10_000);
    expect([r(VALUE), r(RIS)]).toEqual([0, 0]);
    // Rewriting CONTROL with ONESHOT still set does not restart it.
    w(CONTROL, ENABLE | INTEN | SIZE32 | ONESHOT);
    clock.advanceTo(20_000);
    expect([r(VALUE), r(RIS)]).toEqual([0, 0]);
    // A Load write restarts it.
    w(LOAD, 3);
    expect(r(VALUE)).toBe(3);
    clock.advanceTo(20_000 + 3 * TICK - 1);
    expect([r(VALUE), r(RIS)]).toEqual([1, 0]);
    clock.advanceTo(20_000 + 3 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    w(INTCLR, 1);
    // Clearing ONESHOT (free-running): 0 for one more tick, then the wrap, silently. (A held 0
    // leaves at the boundary itself: the wrap is the tick's event, not a decrement to show.)
    clock.advanceTo(30_000);
    w(CONTROL, ENABLE | INTEN | SIZE32);
    clock.advanceTo(30_000 + TICK - 1);
    expect(r(VALUE)).toBe(0);
    clock.advanceTo(30_000 + TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0xffff_ffff, 0]);
    expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([2 * TICK, 20_000 + 3 * TICK]);
  });

  describe('a Load of 0 raises RIS at once (SP804 TRM; QEMU does not: ambiguity 2)', () => {
    it('even with the timer disabled', () => {
      const { dual, r, w } = make();
      w(CONTROL, INTEN | SIZE32); // disabled
      w(LOAD, 0);
      expect([r(VALUE), r(RIS), r(MIS), dual.timint1.level]).toEqual([0, 1, 1, true]);
    });

    it('free-running: the count wraps one tick later without a second interrupt', () => {
      const { clock, r, w } = make();
      w(CONTROL, ENABLE | INTEN | SIZE32);
      w(LOAD, 0);
      expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
      w(INTCLR, 1);
      // The held 0 wraps at the next tick boundary.
      clock.advanceTo(TICK - 1);
      expect(r(VALUE)).toBe(0);
      clock.advanceTo(TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0xffff_ffff, 0]);
    });

    it('periodic: the count stays at 0 (reload value 0), no further interrupt', () => {
      const { clock, r, w } = make();
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
      w(LOAD, 0);
      expect(r(RIS)).toBe(1);
      w(INTCLR, 1);
      clock.advanceTo(10_000);
      expect([r(VALUE), r(RIS)]).toEqual([0, 0]);
    });

    it('16-bit: a Load whose low half is 0 counts as 0', () => {
      const { r, w } = make();
      w(LOAD, 0x3_0000); // CONTROL is still 0x20: 16-bit
      expect([r(VALUE), r(RIS)]).toEqual([0x3_0000, 1]);
    });
  });

  it('periodic with reload value 0 halts after one interrupt; a non-zero BGLoad restarts it (ambiguity 6)', () => {
    const { clock, r, w } = make();
    w(LOAD, 2);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    clock.advanceTo(50);
    w(BGLOAD, 0); // the next reload value is 0
    clock.advanceTo(2 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
    w(INTCLR, 1);
    // Reloaded with 0: stays at 0, no interrupt.
    clock.advanceTo(10_000);
    expect([r(VALUE), r(RIS)]).toEqual([0, 0]);
    // BGLoad 3: the held 0 for one tick, the reload at its boundary, then 3, 2, 1 and the interrupt.
    w(BGLOAD, 3);
    clock.advanceTo(10_000 + TICK - 1);
    expect(r(VALUE)).toBe(0);
    clock.advanceTo(10_000 + TICK);
    expect(r(VALUE)).toBe(3);
    clock.advanceTo(10_000 + 2 * TICK + 1);
    expect(r(VALUE)).toBe(2);
    clock.advanceTo(10_000 + 4 * TICK - 1);
    expect(r(RIS)).toBe(0);
    clock.advanceTo(10_000 + 4 * TICK);
    expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
  });

  describe('16-bit mode: the upper half of Value is frozen (ambiguity 4)', () => {
    it('free-running: counts the low half, wraps it to 0xFFFF, keeps the upper half loaded', () => {
      const { clock, r, w } = make();
      w(LOAD, 0x1_0003);
      w(CONTROL, ENABLE | INTEN); // free-running, 16-bit
      expect(r(VALUE)).toBe(0x1_0003);
      clock.advanceTo(3 * TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0x1_0000, 1]);
      clock.advanceTo(4 * TICK + 1);
      expect(r(VALUE)).toBe(0x1_ffff);
    });

    it('16 → 32 bits: the count goes on from upper:lower', () => {
      const { clock, r, w } = make();
      w(LOAD, 0x1_2345);
      w(CONTROL, ENABLE | INTEN);
      // 1.5 ticks in: 0x2344 in the low half.
      clock.advanceTo(150);
      expect(r(VALUE)).toBe(0x1_2344);
      w(CONTROL, ENABLE | INTEN | SIZE32);
      expect(r(VALUE)).toBe(0x1_2344);
      // A full tick from the change (the partial tick is lost).
      clock.advanceTo(250);
      expect(r(VALUE)).toBe(0x1_2344);
      clock.advanceTo(251);
      expect(r(VALUE)).toBe(0x1_2343);
    });

    it('32 → 16 bits: the upper half of the count is kept, the low half counts to 0', () => {
      const { clock, r, w } = make();
      w(CONTROL, INTEN | SIZE32);
      w(LOAD, 0x3_0010);
      w(CONTROL, ENABLE | INTEN | SIZE32);
      clock.advanceTo(50);
      w(CONTROL, ENABLE | INTEN);
      expect(r(VALUE)).toBe(0x3_0010);
      clock.advanceTo(50 + 16 * TICK - 1);
      expect([r(VALUE), r(RIS)]).toEqual([0x3_0001, 0]);
      clock.advanceTo(50 + 16 * TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0x3_0000, 1]);
      clock.advanceTo(50 + 17 * TICK + 1);
      expect(r(VALUE)).toBe(0x3_ffff);
    });

    it('periodic: the reload takes the upper half of Load too (at the interrupt, one tick early)', () => {
      const { clock, r, w } = make();
      w(LOAD, 0x1_0003);
      w(CONTROL, ENABLE | MODE | INTEN); // 16-bit periodic
      clock.advanceTo(50);
      w(BGLOAD, 0x2_0002);
      expect([r(LOAD), r(VALUE)]).toEqual([0x2_0002, 0x1_0003]);
      clock.advanceTo(3 * TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0x2_0000, 1]);
      clock.advanceTo(4 * TICK + 1);
      expect(r(VALUE)).toBe(0x2_0002);
    });
  });

  describe('prescaler and TIMCLK changes at run time', () => {
    it('÷16 and ÷256 ticks', () => {
      const { clock, r, w } = make();
      w(LOAD, 4);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32 | DIV16);
      w(T2 + LOAD, 2);
      w(T2 + CONTROL, ENABLE | MODE | INTEN | SIZE32 | 0x08); // ÷256
      clock.advanceTo(16 * TICK + 1);
      expect(r(VALUE)).toBe(3);
      clock.advanceTo(4 * 16 * TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
      clock.advanceTo(2 * 256 * TICK - 1);
      expect([r(T2 + VALUE), r(T2 + RIS)]).toEqual([1, 0]);
      clock.advanceTo(2 * 256 * TICK);
      expect([r(T2 + VALUE), r(T2 + RIS)]).toEqual([0, 1]);
    });

    it('a PRESCALE change restarts the shown count with a full tick at the new rate', () => {
      const { clock, r, w } = make();
      w(LOAD, 1000);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
      // 250.5 ticks in: 750 shown; switch to ÷16 (1600 ns ticks).
      clock.advanceTo(25_050);
      expect(r(VALUE)).toBe(750);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32 | DIV16);
      clock.advanceTo(25_050 + 1_600);
      expect(r(VALUE)).toBe(750);
      clock.advanceTo(25_050 + 1_600 + 1);
      expect(r(VALUE)).toBe(749);
      clock.advanceTo(25_050 + 750 * 1_600 - 1);
      expect([r(VALUE), r(RIS)]).toEqual([1, 0]);
      clock.advanceTo(25_050 + 750 * 1_600);
      expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
      // The reload counts at ÷16 too: 1000 shown from one tick + 1 ns later.
      clock.advanceTo(25_050 + 751 * 1_600 + 1);
      expect(r(VALUE)).toBe(1000);
    });

    it('a TIMCLK change reprograms both counters at its instant', () => {
      const { clock, timclk, r, w } = make();
      w(LOAD, 100);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
      w(T2 + LOAD, 10);
      w(T2 + CONTROL, ENABLE | MODE | INTEN | SIZE32 | DIV16);
      // 10 MHz → 5 MHz at 4 030 ns: timer 1 shows 100 - 40 = 60, timer 2 (1 600 ns ticks) 10 - 2 = 8.
      clock.advanceTo(4_030);
      expect([r(VALUE), r(T2 + VALUE)]).toEqual([60, 8]);
      timclk.setHz(5_000_000);
      // Ticks of 200 ns and 3 200 ns from now.
      clock.advanceTo(4_030 + 200);
      expect(r(VALUE)).toBe(60);
      clock.advanceTo(4_030 + 201);
      expect(r(VALUE)).toBe(59);
      clock.advanceTo(4_030 + 3_201);
      expect(r(T2 + VALUE)).toBe(7);
      clock.advanceTo(4_030 + 60 * 200);
      expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
      clock.advanceTo(4_030 + 8 * 3_200);
      expect([r(T2 + VALUE), r(T2 + RIS)]).toEqual([0, 1]);
    });

    it('TIMCLK at 0 Hz freezes the counters; they resume with a full tick when it restarts (ambiguity 7)', () => {
      const { clock, timclk, events, r, w } = make();
      w(LOAD, 5);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
      clock.advanceTo(250);
      expect(r(VALUE)).toBe(3);
      timclk.setHz(0);
      clock.advanceTo(1_000_000);
      // Frozen, ENABLE still set, no interrupt.
      expect([r(VALUE), r(CONTROL) & ENABLE, r(RIS)]).toEqual([3, ENABLE, 0]);
      // Writes still work while the clock is stopped.
      w(BGLOAD, 7);
      expect(r(LOAD)).toBe(7);
      timclk.setHz(10_000_000);
      clock.advanceTo(1_000_000 + 3 * TICK - 1);
      expect([r(VALUE), r(RIS)]).toEqual([1, 0]);
      clock.advanceTo(1_000_000 + 3 * TICK);
      expect([r(VALUE), r(RIS)]).toEqual([0, 1]);
      clock.advanceTo(1_000_000 + 4 * TICK + 1);
      expect(r(VALUE)).toBe(7);
      expect(events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([1_000_000 + 3 * TICK]);
    });

    it('PRESCALE 0b11 (undefined) counts ÷256 and is reported as unimplemented', () => {
      const { clock, events, r, w } = make();
      w(LOAD, 1);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32 | 0x0c);
      expect(r(CONTROL)).toBe(0xee);
      expect(events).toEqual([
        { kind: 'unimplemented', time: 0, source: 'cmsdk-apb-dualtimer', offset: CONTROL, feature: 'TIMER1CONTROL.PRESCALE=0b11' },
      ]);
      clock.advanceTo(256 * TICK - 1);
      expect(r(RIS)).toBe(0);
      clock.advanceTo(256 * TICK);
      expect(r(RIS)).toBe(1);
    });
  });

  it('the two timers count independently; TIMINTC is their OR', () => {
    const { clock, dual, r, w } = make();
    w(LOAD, 2);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    w(T2 + LOAD, 3);
    w(T2 + CONTROL, ENABLE | MODE | INTEN | SIZE32);
    clock.advanceTo(2 * TICK);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([true, false, true]);
    clock.advanceTo(3 * TICK);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([true, true, true]);
    w(INTCLR, 1);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level, r(T2 + RIS)]).toEqual([false, true, true, 1]);
    w(T2 + INTCLR, 1);
    expect(dual.timintc.level).toBe(false);
  });

  it('integration test mode: TIMERITOP drives TIMINT1/TIMINT2 while TIMERITCR is set; RIS and MIS are untouched', () => {
    const { clock, dual, r, w } = make();
    w(LOAD, 1);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    clock.advanceTo(TICK);
    expect(dual.timint1.level).toBe(true);
    // Test mode with ITOP = 0: both outputs low although MIS is 1.
    w(ITCR, 1);
    expect([r(ITCR), r(MIS), dual.timint1.level, dual.timintc.level]).toEqual([1, 1, false, false]);
    // ITOP bit 1 drives TIMINT2.
    w(ITOP, 0b10);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([false, true, true]);
    // Back to functional mode: the outputs follow MIS again.
    w(ITCR, 0);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([true, false, true]);
  });

  it('narrow accesses touch only the bytes they address (ambiguity 1)', () => {
    const { dual, r, w } = make();
    w(CONTROL, INTEN | SIZE32);
    w(LOAD, 0x1234_5678);
    // A halfword store to Load[31:16]: the rest of Load is kept, and the count is loaded from the result.
    dual.write(LOAD + 2, 2, 0xabcd);
    expect([r(LOAD), r(VALUE)]).toEqual([0xabcd_5678, 0xabcd_5678]);
    // Byte loads of Value, lane by lane.
    expect([0, 1, 2, 3].map((i) => dual.read(VALUE + i, 1))).toEqual([0x78, 0x56, 0xcd, 0xab]);
    expect(dual.read(VALUE + 2, 2)).toBe(0xabcd);
    // A byte store to CONTROL[15:8] (reserved) changes nothing; one to CONTROL[7:0] sets the byte.
    dual.write(CONTROL + 1, 1, 0xff);
    expect(r(CONTROL)).toBe(INTEN | SIZE32);
    dual.write(CONTROL, 1, ENABLE | SIZE32);
    expect(r(CONTROL)).toBe(ENABLE | SIZE32);
    // Any store to IntClr clears, whatever its width.
    w(LOAD, 0);
    expect(r(RIS)).toBe(1);
    dual.write(INTCLR + 3, 1, 0);
    expect(r(RIS)).toBe(0);
  });

  it('reports each interrupt as an expiry event of its timer', () => {
    const { clock, events, w } = make();
    w(T2 + LOAD, 1);
    w(T2 + CONTROL, ENABLE | MODE | INTEN | SIZE32);
    clock.advanceTo(3 * TICK);
    expect(events).toEqual([
      { kind: 'expiry', time: TICK, source: 'cmsdk-apb-dualtimer', timer: 'cmsdk-apb-dualtimer.timer2', cause: 'expiry' },
      { kind: 'expiry', time: 3 * TICK, source: 'cmsdk-apb-dualtimer', timer: 'cmsdk-apb-dualtimer.timer2', cause: 'expiry' },
    ]);
  });

  it('reset() puts every register back to its reset value and stops both counters', () => {
    const { clock, dual, events, r, w } = make();
    w(LOAD, 3);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    w(T2 + LOAD, 0x1_0005);
    w(T2 + CONTROL, ENABLE | INTEN | DIV16);
    w(ITCR, 1);
    w(ITOP, 3);
    clock.advanceTo(3 * TICK);
    expect(dual.timintc.level).toBe(true);
    dual.reset();
    const names = CMSDK_APB_DUALTIMER_REGISTERS.registers.filter((d) => d.access !== 'wo').map((d) => d.name);
    for (const name of names) {
      const def = CMSDK_APB_DUALTIMER_REGISTERS.byName[name];
      expect(r(def.offset), name).toBe(def.name.endsWith('MIS') ? 0 : def.reset);
    }
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual([false, false, false]);
    // Stopped: nothing counts, nothing expires.
    const before = events.length;
    clock.advanceTo(10_000_000);
    expect([r(VALUE), r(T2 + VALUE), events.length]).toEqual([0xffff_ffff, 0xffff_ffff, before]);
    // And it runs again as from power-on.
    w(LOAD, 2);
    w(CONTROL, ENABLE | INTEN);
    clock.advanceTo(10_000_000 + 2 * TICK);
    expect(r(RIS)).toBe(1);
  });

  describe('snapshot / restore', () => {
    it('round-trips mid-run, through JSON, into a fresh device at the same instant', () => {
      const a = make();
      a.w(LOAD, 0x1_0007);
      a.w(CONTROL, ENABLE | MODE | INTEN);
      a.w(T2 + LOAD, 9);
      a.w(T2 + CONTROL, ENABLE | INTEN | SIZE32 | ONESHOT | DIV16);
      a.clock.advanceTo(1_234);
      const snap = JSON.parse(JSON.stringify(a.dual.snapshot())) as unknown;
      const clock = new VirtualClock({ start: 1_234 });
      const b = new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 10_000_000) });
      b.restore(snap);
      for (const t of [1_234, 1_300, 5_555, 20_000]) {
        a.clock.advanceTo(t);
        clock.advanceTo(t);
        for (const offset of [VALUE, RIS, T2 + VALUE, T2 + RIS, CONTROL, LOAD]) {
          expect(b.read(offset, 4), `${offset} at ${t}`).toBe(a.r(offset));
        }
        expect(b.timintc.level).toBe(a.dual.timintc.level);
      }
    });

    it('refuses a malformed snapshot or one taken at another TIMCLK frequency, and changes nothing', () => {
      const { clock, dual, timclk, w } = make();
      w(LOAD, 5);
      w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
      clock.advanceTo(150);
      const good = dual.snapshot();
      const before = JSON.stringify(good);
      expect(() => dual.restore(null)).toThrow(RegisterSnapshotError);
      expect(() => dual.restore({ ...good, version: 2 })).toThrow(RegisterSnapshotError);
      expect(() => dual.restore({ ...good, timclkHz: 1 })).toThrow(/timclkHz/);
      expect(() => dual.restore({ ...good, timers: [good.timers[0]] })).toThrow(RegisterSnapshotError);
      // Timer 2's part is bad: refused at its full path, before the registers or timer 1 are loaded (#14).
      const other = make();
      other.w(LOAD, 9);
      other.clock.advanceTo(150);
      const mixed = { ...other.dual.snapshot(), timers: [other.dual.snapshot().timers[0], { version: 1 }] };
      expect(() => dual.restore(mixed)).toThrow(/^snapshot field 'timers\[1\]\.time'/);
      expect(JSON.stringify(dual.snapshot())).toBe(before);
      timclk.setHz(20_000_000);
      expect(() => dual.restore(good)).toThrow(RegisterSnapshotError);
    });
  });

  it('refuses a constructor without a TIMCLK ClockInput', () => {
    const clock = new VirtualClock();
    expect(() => new CmsdkApbDualTimer(clock, {} as never)).toThrow(DeviceConfigError);
    expect(() => new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 1), name: '' })).toThrow(DeviceConfigError);
  });

  it('checks every option: an unknown key, a TIMCLK that is not a ClockInput, a bad delivery (#13)', () => {
    const clock = new VirtualClock();
    const timclk = new ClockInput('TIMCLK', 1);
    const refusal = (options: object): DeviceConfigError => {
      const e = thrown(() => new CmsdkApbDualTimer(clock, options as CmsdkApbDualTimerOptions));
      expect(e).toBeInstanceOf(DeviceConfigError);
      return e as DeviceConfigError;
    };
    expect(refusal({ timclk, prescale: 16 }).message).toBe(
      'CmsdkApbDualTimer(options.prescale): 16 is invalid: is not an option of CmsdkApbDualTimer (options: timclk, name, delivery, timing)',
    );
    expect(refusal({ timclk: 25_000_000 }).message).toBe('CmsdkApbDualTimer(options.timclk): 25000000 is invalid: must be a ClockInput');
    expect(refusal({ timclk, delivery: 'later' }).message).toBe(
      `CmsdkApbDualTimer(options.delivery): "later" is invalid: must be one of 'sync', 'bottom-half'`,
    );
    expect(refusal({ timclk, timing: 'fast' }).message).toBe(`CmsdkApbDualTimer(options.timing): "fast" is invalid: must be one of 'qemu', 'exact'`);
  });

  it('dispose(): both counters stop for good, TIMCLK no longer reaches them, events$ completes (#13)', () => {
    const { clock, timclk, dual, events, w } = make();
    let completed = false;
    dual.events$.subscribe({ complete: () => (completed = true) });
    w(LOAD, 3);
    w(CONTROL, ENABLE | MODE | INTEN | SIZE32);
    w(T2 + LOAD, 5);
    w(T2 + CONTROL, ENABLE | MODE | INTEN | SIZE32);
    clock.advanceTo(3 * TICK); // timer 1 has fired once
    const seen = events.length;
    dual.dispose();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    timclk.setHz(20_000_000);
    expect(clock.pending).toBe(0);
    clock.advanceTo(100 * TICK);
    expect(events).toHaveLength(seen);
  });
});
