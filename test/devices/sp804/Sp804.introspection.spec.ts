// The SP804's introspection members (Device.lines, probes, registers), walked through like the
// TRM (ARM DDI 0271): the lines are the public TIMINT outputs, each probe reads what a guest read
// of TimerXValue returns at that instant without being an access, and the register list is the
// map's. TIMCLK is 1 MHz, so one tick is 1 000 ns; Load = 3 periodic reaches 0 (RIS) at 3 000 ns.
// Timer 1: Load 3, periodic, 32-bit. Timer 2: Load 0xABCD0002, periodic, 16-bit (Value[31:16] holds 0xABCD).
import { expect } from 'vitest';
import { SP804_REGISTERS, Sp804 } from '../../../devices/sp804';
import { ClockInput, VirtualClock } from '../../../index';
import { describeIntrospection, deviceRig, probed, SP804_LAYOUT, sp804LayoutSpec } from '../../support/introspection';

const { CONTROL, INTEN, PERIODIC, SIZE32, VALUE } = SP804_LAYOUT;

const TICK = 1_000;

describeIntrospection('Sp804', {
  rig: () => {
    const clock = new VirtualClock();
    return deviceRig(clock, new Sp804(clock, { timclk: new ClockInput('timclk', 1_000_000) }));
  },
  ...sp804LayoutSpec(TICK, 0xabcd_0002),
  tracking: {
    title: 'TimerXValue after reset, running, at and after a zero, stopped',
    initially: { 'timer1.value': 0xffff_ffffn, 'timer2.value': 0xffff_ffffn }, // both counters stopped at 0xFFFFFFFF
    // Reads ordered before the zero step at 3 000 ns (queued before the timers are armed) see 1;
    // timer 2 (Load 2) reached 0 at 2 000 ns and rests there.
    queuedAt: [3 * TICK],
    queuedSee: [{ 'timer1.value': 1n, 'timer2.value': 0xabcd_0000n }],
    instants: [0, 1, TICK, TICK + 1, 2 * TICK + 500, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK + 250],
    then: ({ clock, device, r, w }, sweep) => {
      // 11 µs: both zero steps (periods of 4 and 3 ticks); timer 2 keeps its held upper half; one tick on, the reloads.
      clock.advanceTo(11 * TICK);
      expect(probed(device)).toEqual({ 'timer1.value': 0n, 'timer2.value': 0xabcd_0000n });
      clock.advanceTo(12 * TICK + 1);
      expect(probed(device)).toEqual({ 'timer1.value': 3n, 'timer2.value': 0xabcd_0002n });
      sweep([12 * TICK + 1]);
      // Timer 1 stopped (TimerEn cleared) at 12.5 µs: its counter holds 3, and the probe with it; timer 2 runs on.
      clock.advanceTo(12 * TICK + TICK / 2);
      w(CONTROL, PERIODIC | INTEN | SIZE32);
      sweep([13 * TICK + 1, 14 * TICK, 20 * TICK + 1], () => expect(r(VALUE)).toBe(3));
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 3 * TICK, 3 * TICK + 1, 4 * TICK + 1, 7 * TICK, 50 * TICK + 3] },
  registers: {
    map: SP804_REGISTERS,
    at: { Timer1Load: 0x00, Timer2Value: 0x24, TimerITCR: 0xf00 },
  },
});
