// The CMSDK APB timer's introspection members (Device.lines, probes, registers): the line is
// TIMERINT (`irq`), the probe reads what a guest read of VALUE returns at that instant without
// being an access, and the register list is the map's. PCLK is 25 MHz (40 ns per cycle); RELOAD
// = 4 steps 1 -> 0 at 4 cycles (160 ns), then every RELOAD + 1 = 5 cycles (A1).
import { expect } from 'vitest';
import { CMSDK_APB_TIMER_REGISTERS } from '../../../devices/cmsdk-apb-timer';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { CTRL, EN, INTCLEAR, INTSTATUS, IRQEN, makeRig, RELOAD, TICK, VALUE } from './rig';

describeIntrospection('CmsdkApbTimer', {
  rig: () => withLevels(makeRig()),
  lines: (device) => ({ timerint: device.irq }),
  probes: [['value', 32]],
  guest: registerReads({ value: VALUE }),
  program: ({ w }) => {
    w(RELOAD, 4);
    w(CTRL, EN | IRQEN);
  },
  tracking: {
    title: 'VALUE running, at and after the 1 -> 0 step, stopped',
    // A read ordered before the 1 -> 0 step at 160 ns (queued before the counter is armed) sees 1 (A9).
    queuedAt: [4 * TICK],
    queuedSee: [{ value: 1n }],
    instants: [0, 1, TICK, TICK + 1, 2 * TICK + 20, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 9 * TICK, 11 * TICK + 7],
    then: ({ clock, device, r, w }, sweep) => {
      clock.advanceTo(14 * TICK); // the third 1 -> 0 step (4 + 5 + 5 cycles)
      expect(probed(device)).toEqual({ value: 0n });
      expect(r(INTSTATUS)).toBe(1);
      clock.advanceTo(15 * TICK + 1); // reloaded
      expect(probed(device)).toEqual({ value: 4n });
      // EN cleared at 16.5 cycles: VALUE freezes (A11), and the probe with it.
      clock.advanceTo(16 * TICK + TICK / 2);
      w(CTRL, IRQEN);
      sweep([17 * TICK, 17 * TICK + 1, 100 * TICK], () => expect(r(VALUE)).toBe(3));
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 4 * TICK, 4 * TICK + 1, 5 * TICK + 1, 9 * TICK, 100 * TICK + 3] },
  twin: { tick: TICK, rounds: 16, serviceAt: 6 * TICK + 1, service: ({ w }) => w(INTCLEAR, 1), minSeen: 60 },
  registers: {
    map: CMSDK_APB_TIMER_REGISTERS,
    at: { CTRL: 0x000, VALUE: 0x004, INTSTATUS: 0x00c, CID3: 0xffc },
  },
});
