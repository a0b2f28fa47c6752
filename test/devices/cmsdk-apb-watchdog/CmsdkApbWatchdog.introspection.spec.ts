// The CMSDK APB watchdog's introspection members (Device.lines, probes, registers): the lines are
// WDOGINT (`irq`) and WDOGRES, the probe reads what a guest read of WDOGVALUE returns at that
// instant without being an access, and the register list is the map's. WDOGCLK is 25 MHz (40 ns
// per tick); WDOGLOAD = 4 raises WDOGINT at 4 ticks (160 ns) and, unserviced, requests a reset and
// halts the counter at the next zero, 5 ticks later (A1, A4).
import { expect } from 'vitest';
import { CMSDK_APB_WATCHDOG_REGISTERS } from '../../../devices/cmsdk-apb-watchdog';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { INTEN, makeRig, RESEN, TICK, WDOGCONTROL, WDOGINTCLR, WDOGLOAD, WDOGRIS, WDOGVALUE } from './rig';

describeIntrospection('CmsdkApbWatchdog', {
  rig: () => withLevels(makeRig()),
  lines: (device) => ({ wdogint: device.irq, wdogres: device.wdogres }),
  probes: [['value', 32]],
  guest: registerReads({ value: WDOGVALUE }),
  program: ({ w }) => {
    w(WDOGLOAD, 4);
    w(WDOGCONTROL, INTEN | RESEN);
  },
  tracking: {
    title: 'WDOGVALUE after reset, running, at and after each zero, halted, reloaded',
    initially: { value: 0xffff_ffffn }, // stopped at WDOGLOAD's reset value
    // A read ordered before the first zero at 160 ns (queued before the counter is armed) sees 1.
    queuedAt: [4 * TICK],
    queuedSee: [{ value: 1n }],
    instants: [0, 1, TICK, TICK + 1, 3 * TICK + 20, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 8 * TICK + 1],
    then: ({ device, r, w }, sweep) => {
      expect(r(WDOGRIS)).toBe(1);
      // The second zero at 9 ticks, unserviced: reset requested, the counter halts at 0.
      sweep([9 * TICK, 9 * TICK + 1, 30 * TICK], () => expect(probed(device)).toEqual({ value: 0n }));
      expect(device.wdogres.level).toBe(true);
      // WDOGINTCLR reloads and restarts the count (A3).
      w(WDOGINTCLR, 1);
      sweep([30 * TICK, 30 * TICK + 1, 31 * TICK + 1, 32 * TICK + 17]);
      expect(probed(device)).toEqual({ value: 2n });
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK, 9 * TICK + 1, 100 * TICK + 3] },
  twin: {
    tick: TICK,
    rounds: 20,
    serviceAt: 6 * TICK + 1,
    service: ({ w }) => w(WDOGINTCLR, 1), // serviced once: the next zero is a fresh interrupt, the one after it a reset
    minSeen: 80,
    after: (plain) => expect(plain.device.wdogres.level).toBe(true),
  },
  registers: {
    map: CMSDK_APB_WATCHDOG_REGISTERS,
    at: { WDOGLOAD: 0x000, WDOGVALUE: 0x004, WDOGLOCK: 0xc00, WDOGITOP: 0xf04 },
  },
});
