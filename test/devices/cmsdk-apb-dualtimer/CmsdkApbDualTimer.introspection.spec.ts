// The CMSDK APB dual timer's introspection members (Device.lines, probes, registers): the lines
// are TIMINT1, TIMINT2 and TIMINTC, each probe reads what a guest read of TimerXValue returns at
// that instant without being an access, and the register list is the map's. TIMCLK is 10 MHz
// (100 ns per tick); a periodic Load of 3 reaches 0 (RIS) at 300 ns, then every Load + 1 ticks.
// Timer 1: Load 3, periodic, 32-bit. Timer 2: Load 0x12340002, periodic, 16-bit (the upper half frozen at 0x1234).
import { expect } from 'vitest';
import { CMSDK_APB_DUALTIMER_REGISTERS, CmsdkApbDualTimer } from '../../../devices/cmsdk-apb-dualtimer';
import { ClockInput, VirtualClock } from '../../../index';
import { describeIntrospection, deviceRig, probed, SP804_LAYOUT, sp804LayoutSpec } from '../../support/introspection';

const { CONTROL, INTEN, PERIODIC, SIZE32, VALUE } = SP804_LAYOUT;

const TICK = 100;

describeIntrospection('CmsdkApbDualTimer', {
  rig: () => {
    const clock = new VirtualClock();
    return deviceRig(clock, new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 10_000_000) }));
  },
  ...sp804LayoutSpec(TICK, 0x1234_0002),
  tracking: {
    title: 'TimerXValue after reset, running, at and after a zero, stopped',
    initially: { 'timer1.value': 0xffff_ffffn, 'timer2.value': 0xffff_ffffn },
    // Reads ordered before timer 1's zero at 300 ns (queued before the counters are armed) see 1;
    // timer 2 (Load 2) reached 0 at 200 ns and rests there.
    queuedAt: [3 * TICK],
    queuedSee: [{ 'timer1.value': 1n, 'timer2.value': 0x1234_0000n }],
    instants: [0, 1, TICK, TICK + 1, 2 * TICK, 2 * TICK + 1, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK + 50],
    then: ({ clock, device, r, w }, sweep) => {
      clock.advanceTo(11 * TICK); // both at a zero (periods of 4 and 3 ticks)
      expect(probed(device)).toEqual({ 'timer1.value': 0n, 'timer2.value': 0x1234_0000n });
      clock.advanceTo(12 * TICK + 1); // both reloaded
      expect(probed(device)).toEqual({ 'timer1.value': 3n, 'timer2.value': 0x1234_0002n });
      // Timer 1 stopped (ENABLE cleared) at 12.5 ticks: its count holds, and the probe with it; timer 2 runs on.
      clock.advanceTo(12 * TICK + TICK / 2);
      w(CONTROL, PERIODIC | INTEN | SIZE32);
      sweep([13 * TICK, 13 * TICK + 1, 20 * TICK + 1], () => expect(r(VALUE)).toBe(3));
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 2 * TICK, 3 * TICK, 3 * TICK + 1, 4 * TICK + 1, 50 * TICK + 3] },
  registers: {
    map: CMSDK_APB_DUALTIMER_REGISTERS,
    at: { TIMER1LOAD: 0x00, TIMER2VALUE: 0x24, TIMERITOP: 0xf04, TIMERPCELLID3: 0xffc },
  },
});
