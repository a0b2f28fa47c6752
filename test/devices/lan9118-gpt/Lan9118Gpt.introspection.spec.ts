// The LAN9118 GP timer's introspection members (Device.lines, probes, registers): the line is
// the IRQ pin (`irq`), the probe reads what a guest read of GPT_CNT returns at that instant
// without being an access, and the register list is the map's (the not-modelled registers are
// not in it). 10 kHz: a tick is 100 µs; GPT_LOAD 3 steps 1 -> 0 at 3 ticks, shows 0 for a
// tick, then wraps to 0xFFFF (X1).
import { expect } from 'vitest';
import { LAN9118_GPT_REGISTERS } from '../../../devices/lan9118-gpt';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { enableGptInterrupt, GPT_CFG, GPT_CNT, GPT_INT, INT_STS, makeRig, TICK, TIMER_EN } from './rig';

describeIntrospection('Lan9118Gpt', {
  rig: () => withLevels(makeRig()),
  lines: (device) => ({ irq: device.irq }),
  probes: [['gpt.count', 16]],
  guest: registerReads({ 'gpt.count': GPT_CNT }),
  program: (rg) => {
    enableGptInterrupt(rg);
    rg.w(GPT_CFG, (TIMER_EN | 3) >>> 0);
  },
  tracking: {
    title: 'GPT_CNT running, at and after the 1 -> 0 step, wrapped, disabled',
    // A read ordered before the 1 -> 0 step at 3 ticks (queued before the counter is armed) sees 1.
    queuedAt: [3 * TICK],
    queuedSee: [{ 'gpt.count': 1n }],
    instants: [0, 1, TICK, TICK + 1, 2 * TICK + 20, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 4 * TICK, 4 * TICK + 1, 9 * TICK + 7],
    then: ({ clock, device, r, w }, sweep) => {
      clock.advanceTo(10 * TICK + 1);
      expect(probed(device)).toEqual({ 'gpt.count': 0xfff9n });
      expect(r(INT_STS)).toBe(GPT_INT);
      // TIMER_EN cleared: GPT_CNT reads 0xFFFF (X4), and the probe with it.
      w(GPT_CFG, 3);
      sweep([10 * TICK + 2, 11 * TICK, 100 * TICK], () => expect(r(GPT_CNT)).toBe(0xffff));
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 3 * TICK, 3 * TICK + 1, 4 * TICK + 1, 9 * TICK, 100 * TICK + 3] },
  twin: { tick: TICK, rounds: 16, serviceAt: 5 * TICK + 1, service: ({ w }) => w(INT_STS, GPT_INT), minSeen: 60 },
  registers: {
    map: LAN9118_GPT_REGISTERS,
    at: { ID_REV: 0x50, INT_STS: 0x58, GPT_CFG: 0x8c, GPT_CNT: 0x90 },
  },
});
