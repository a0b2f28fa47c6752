// QEMU's device test for this block (tests/qtest/cmsdk-apb-dualtimer-test.c, machine mps2-an385,
// TIMCLK 25 MHz so 1 tick = 40 ns), reproduced register by register: the values it expects are
// the ones the TRM's timing gives (count shown for a whole tick, RIS at 0, one tick at 0).
// 40 ns ticks are whole ns, so exact timing (the default) and QEMU's give the same figures: both run.
import { describe, expect, it } from 'vitest';
import { CmsdkApbDualTimer } from '../../../devices/cmsdk-apb-dualtimer';
import { ClockInput, VirtualClock, type PTimerTiming } from '../../../index';

const TICK = 40; // ns at 25 MHz

// Offsets of one module (timer 2 = + 0x20).
const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const RIS = 0x10;
const T2 = 0x20;
// TimerXControl bits.
const ENABLE = 0x80;
const MODE = 0x40; // periodic
const INTEN = 0x20;
const PRESCALE_256 = 0x08;

const make = (timing: PTimerTiming) => {
  const clock = new VirtualClock();
  const timclk = new ClockInput('TIMCLK', 25_000_000);
  const dual = new CmsdkApbDualTimer(clock, { timclk, timing });
  return { clock, dual };
};

describe.each(['qemu', 'exact'] as const)('CmsdkApbDualTimer: QEMU qtest expectations (40 ns ticks), timing %s', (timing) => {
  it('timer 1 free-running 16-bit: counts down from Load, RIS at 0, wraps to 0xFFFF one tick later', () => {
    const { clock, dual } = make(timing);
    // The counter starts from reset: 16-bit, free-running, showing 0xFFFFFFFF.
    expect(dual.read(VALUE, 4)).toBe(0xffff_ffff);
    // Load 1000 (16-bit free-running: only the count), then ENABLE | INTEN.
    dual.write(LOAD, 4, 1000);
    dual.write(CONTROL, 4, ENABLE | INTEN);
    expect(dual.read(VALUE, 4)).toBe(1000);
    // 500 ticks + 1 ns: 500 shown, no interrupt yet.
    clock.advanceTo(500 * TICK + 1);
    expect([dual.read(VALUE, 4), dual.read(RIS, 4)]).toEqual([500, 0]);
    // 500 more ticks: the count is 0 and RIS is set.
    clock.advanceBy(500 * TICK);
    expect([dual.read(VALUE, 4), dual.read(RIS, 4)]).toEqual([0, 1]);
    expect([dual.timint1.level, dual.timintc.level]).toEqual([true, true]);
    // One more tick: wrapped to the 16-bit maximum (the upper half is Load's, 0).
    clock.advanceBy(TICK);
    expect(dual.read(VALUE, 4)).toBe(0xffff);
  });

  it('timer 2 periodic ÷256: counts Load ticks of 40·256 ns, RIS at 0, reloads Load one tick later', () => {
    const { clock, dual } = make(timing);
    const tick = TICK * 256;
    dual.write(T2 + LOAD, 4, 1000);
    dual.write(T2 + CONTROL, 4, ENABLE | INTEN | MODE | PRESCALE_256);
    // 501 ticks: 500 shown (the boundary's decrement shows from 1 ns after it).
    clock.advanceTo(tick * 501);
    expect(dual.read(T2 + VALUE, 4)).toBe(500);
    // 500 more ticks: at 0 with RIS set.
    clock.advanceBy(tick * 500);
    expect([dual.read(T2 + VALUE, 4), dual.read(T2 + RIS, 4)]).toEqual([0, 1]);
    expect([dual.timint2.level, dual.timint1.level, dual.timintc.level]).toEqual([true, false, true]);
    // One more tick: reloaded from Load.
    clock.advanceBy(tick);
    expect(dual.read(T2 + VALUE, 4)).toBe(1000);
  });
});
