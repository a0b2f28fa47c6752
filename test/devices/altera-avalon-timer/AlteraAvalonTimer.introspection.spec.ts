// The interval timer's introspection members (Device.lines, probes, registers): the line is the
// core's `irq`, the probe reads the counter a guest gets through a snapl write and snapl/snaph
// reads at that instant, without latching it, and the register list is the map's. clk is 50 MHz
// (20 ns per cycle); with P = 3, START | CONT runs the counter 3, 2, 1, 0 and sets TO, reloading P,
// every P + 1 = 4 cycles (B1).
import { expect, it } from 'vitest';
import { ALTERA_AVALON_TIMER_REGISTERS } from '../../../devices/altera-avalon-timer';
import { describeIntrospection, probed, withLevels } from '../../support/introspection';
import { CONT, CONTROL, ITO, makeRig, SNAPH, SNAPL, START, STATUS, STOP, TICK, TO } from './rig';

const rig = () => withLevels(makeRig());

const program = ({ period, w }: ReturnType<typeof rig>): void => {
  period(3);
  w(CONTROL, START | CONT | ITO);
};

describeIntrospection(
  'AlteraAvalonTimer',
  {
    rig,
    lines: (device) => ({ irq: device.irq }),
    probes: [['counter', 32]],
    // The counter as a driver reads it now (a snapl write, then snapl and snaph: a guest read with a side effect).
    guest: ({ snap }) => ({ counter: BigInt(snap()) }),
    program,
    tracking: {
      title: 'what a snapl latch captures, after reset, running, at and after a timeout, stopped',
      initially: { counter: 0xffff_ffffn }, // the initial period, stopped (B7)
      // Reads ordered before the timeout at 80 ns (queued before the counter is armed) see 0, the last cycle (B11).
      queuedAt: [4 * TICK],
      queuedSee: [{ counter: 0n }],
      instants: [0, 1, TICK, TICK + 1, 2 * TICK + 10, 4 * TICK - 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 10 * TICK + 3],
      then: ({ clock, device, r, w }, sweep) => {
        clock.advanceTo(12 * TICK); // the third timeout: TO set and P reloaded in one step
        expect(probed(device)).toEqual({ counter: 3n });
        expect(r(STATUS) & TO).toBe(TO);
        // STOP at 13.5 cycles: the counter holds, and the probe with it.
        clock.advanceTo(13 * TICK + TICK / 2);
        w(CONTROL, STOP | CONT | ITO);
        sweep([14 * TICK, 14 * TICK + 1, 90 * TICK], () => expect(probed(device)).toEqual({ counter: 2n }));
      },
    },
    // The snapshot latch (part of the device's state) is one to disturb, if the probe could.
    noSideEffects: { instants: [0, TICK + 1, 4 * TICK, 4 * TICK + 1, 5 * TICK + 1, 9 * TICK, 100 * TICK + 3], prepare: ({ w }) => w(SNAPL, 0) },
    twin: { tick: TICK, rounds: 16, serviceAt: 5 * TICK + 1, service: ({ w }) => w(STATUS, 0), minSeen: 60 }, // the service clears TO,
    registers: {
      map: ALTERA_AVALON_TIMER_REGISTERS,
      names: ['STATUS', 'CONTROL', 'PERIODL', 'PERIODH', 'SNAPL', 'SNAPH'],
      at: { PERIODH: 0x0c, SNAPL: 0x10 },
    },
  },
  () => {
    it('the probe latches nothing: snapl and snaph keep the value the last snapl write captured', () => {
      const rg = rig();
      const { clock, device, r, w } = rg;
      program(rg);
      clock.advanceTo(TICK + 1);
      w(SNAPL, 0);
      expect([r(SNAPL), r(SNAPH)]).toEqual([2, 0]);
      clock.advanceTo(2 * TICK + 1);
      expect(probed(device)).toEqual({ counter: 1n });
      expect([r(SNAPL), r(SNAPH)]).toEqual([2, 0]); // still the latch of 21 ns
    });
  },
);
