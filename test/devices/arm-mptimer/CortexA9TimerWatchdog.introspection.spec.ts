// The Cortex-A9 private timer and watchdog's introspection members (Device.lines, probes,
// registers): the lines are PPI 29, PPI 30 and WDRESETREQ, each probe reads what a guest read of
// COUNTER or WCOUNTER returns at that instant without being an access, and the register list is
// the map's. PERIPHCLK is 100 MHz (10 ns per cycle). The private timer: LOAD 3, auto-reload,
// PRESCALER 0, event at 30 ns then every 4 cycles. The watchdog: watchdog mode, WLOAD 5,
// PRESCALER 1 (20 ns per tick): it reaches 0 at 100 ns, asserts WDRESETREQ and stops there.
import { expect } from 'vitest';
import { CORTEX_A9_TIMER_WATCHDOG_REGISTERS } from '../../../devices/arm-mptimer';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import {
  AUTO_RELOAD,
  CONTROL,
  COUNTER,
  CYCLE,
  ENABLE,
  IRQ_ENABLE,
  ISR,
  LOAD,
  makeRig,
  prescaler,
  WCONTROL,
  WCOUNTER,
  WD_MODE,
  WLOAD,
} from './rig';

describeIntrospection('CortexA9TimerWatchdog', {
  rig: () => withLevels(makeRig()),
  lines: (device) => ({ ppi29: device.timerIrq, ppi30: device.watchdogIrq, wdresetreq: device.wdresetreq }),
  probes: [
    ['timer.counter', 32],
    ['watchdog.counter', 32],
  ],
  guest: registerReads({ 'timer.counter': COUNTER, 'watchdog.counter': WCOUNTER }),
  program: ({ w }) => {
    w(LOAD, 3);
    w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
    w(WLOAD, 5);
    w(WCONTROL, ENABLE | WD_MODE | prescaler(1));
  },
  tracking: {
    title: 'COUNTER / WCOUNTER running, at and after an event, in watchdog mode, stopped',
    initially: { 'timer.counter': 0n, 'watchdog.counter': 0n },
    // Reads ordered before the timer's step to 0 at 30 ns and the watchdog's at 100 ns see the counts before them.
    queuedAt: [3 * CYCLE, 10 * CYCLE],
    queuedSee: [
      { 'timer.counter': 1n, 'watchdog.counter': 4n },
      { 'timer.counter': 2n, 'watchdog.counter': 1n }, // the timer's third round: 3 from 80 ns, 2 from 90 ns + 1
    ],
    instants: [0, 1, CYCLE, CYCLE + 1, 2 * CYCLE + 5, 3 * CYCLE - 1, 3 * CYCLE, 3 * CYCLE + 1, 4 * CYCLE, 4 * CYCLE + 1, 10 * CYCLE, 10 * CYCLE + 1, 23 * CYCLE + 3],
    then: ({ clock, device, r, w }, sweep) => {
      expect(device.wdresetreq.level).toBe(true);
      expect(probed(device)['watchdog.counter']).toBe(0n); // watchdog mode: stopped at 0
      // The private timer stopped (ENABLE cleared) at 24.5 cycles: the count holds, and the probe with it.
      clock.advanceTo(24 * CYCLE + CYCLE / 2);
      w(CONTROL, AUTO_RELOAD | IRQ_ENABLE);
      w(ISR, 1);
      const held = r(COUNTER);
      sweep([25 * CYCLE, 25 * CYCLE + 1, 90 * CYCLE], () => expect(r(COUNTER)).toBe(held));
    },
  },
  noSideEffects: { instants: [0, CYCLE + 1, 3 * CYCLE, 3 * CYCLE + 1, 10 * CYCLE, 10 * CYCLE + 1, 100 * CYCLE + 3] },
  twin: { tick: CYCLE, rounds: 16, serviceAt: 5 * CYCLE + 1, service: ({ w }) => w(ISR, 1), minSeen: 60 },
  registers: {
    map: CORTEX_A9_TIMER_WATCHDOG_REGISTERS,
    at: { COUNTER: 0x04, WCOUNTER: 0x24, WDISABLE: 0x34 },
  },
});
