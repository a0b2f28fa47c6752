// The minimal timer's introspection members (Device.lines, probes, registers): the line is the
// public `irq`, the probe reads what a guest read of VALUE returns at that instant without being
// an access, and the register list is the map's. One tick is 100 ns; LOAD = 3 expires every
// 300 ns (LEGACY_POLICY: the count reads 2 on the first boundary and reloads at the expiry).
import { expect } from 'vitest';
import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../../devices/minimal-timer';
import { VirtualClock } from '../../../index';
import { describeIntrospection, deviceRig, probed, registerReads } from '../../support/introspection';

const LOAD = 0x0;
const VALUE = 0x4;
const CTRL = 0x8;
const INTSTATUS = 0xc;

const EN = 0b01;
const IRQEN = 0b10;

const TICK = 100;

describeIntrospection('MinimalTimer', {
  rig: () => {
    const clock = new VirtualClock();
    return deviceRig(clock, new MinimalTimer(clock, { periodNs: TICK }));
  },
  lines: (device) => ({ irq: device.irq }),
  probes: [['value', 32]],
  guest: registerReads({ value: VALUE }),
  program: ({ w }) => {
    w(LOAD, 3);
    w(CTRL, EN | IRQEN);
  },
  tracking: {
    title: 'VALUE running, at and after an expiry, stopped',
    initially: { value: 0n },
    // A read ordered before the expiry step at 300 ns (queued before the timer is armed) sees the count
    // before it: LEGACY, 0 in the last tick, before the reload.
    queuedAt: [3 * TICK],
    queuedSee: [{ value: 0n }],
    instants: [0, 1, TICK - 1, TICK, TICK + 1, 2 * TICK + 50, 3 * TICK - 1, 3 * TICK, 3 * TICK + 1, 6 * TICK, 7 * TICK + 33],
    then: ({ clock, device, r, w }, sweep) => {
      clock.advanceTo(9 * TICK); // an expiry: reloaded in the same step
      expect(probed(device)).toEqual({ value: 3n });
      expect(r(INTSTATUS)).toBe(1);
      // Stopped at 9.5 ticks: the count is latched, and the probe holds it.
      clock.advanceTo(9 * TICK + TICK / 2);
      w(CTRL, IRQEN);
      const held = r(VALUE);
      expect(held).toBe(2); // LEGACY: one less between edges
      sweep([10 * TICK, 10 * TICK + 1, 40 * TICK], () => expect(r(VALUE)).toBe(held));
    },
  },
  noSideEffects: { instants: [0, TICK, TICK + 1, 3 * TICK, 3 * TICK + 1, 5 * TICK + 7, 60 * TICK] },
  twin: { tick: TICK, rounds: 12, serviceAt: 4 * TICK + 1, service: ({ w }) => w(INTSTATUS, 1), minSeen: 40 },
  registers: {
    map: MINIMAL_TIMER_REGISTERS,
    names: ['LOAD', 'VALUE', 'CTRL', 'INTSTATUS'],
    at: { VALUE: 0x4, INTSTATUS: 0xc },
  },
});
