// The EPIT's introspection members (Device.lines, probes, registers): the line is the EPIT
// interrupt (`irq`), the probe reads what a guest read of CNR returns at that instant without
// being an access, and the register list is the map's. ipg is 50 MHz (20 ns per cycle, PRESCALER
// 0). Set-and-forget with LR = 4 and CMPR = 2: CNR counts 4, 3, 2 (OCIF at the step to 2, 40 ns),
// 1, 0, then 4 again: a round of LR + 1 = 5 cycles (E1, E2).
import { expect } from 'vitest';
import { IMX_EPIT_REGISTERS } from '../../../devices/imx-epit';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { CLKSRC_IPG, CMPR, CNR, CR, EN, ENMOD, LR, makeRig, OCIEN, RLD, SR, TICK } from './rig';

const RUN = CLKSRC_IPG | RLD | OCIEN | ENMOD | EN;

describeIntrospection('ImxEpit', {
  rig: () => withLevels(makeRig()),
  lines: (device) => ({ irq: device.irq }),
  probes: [['counter', 32]],
  guest: registerReads({ counter: CNR }),
  program: ({ w }) => {
    w(LR, 4);
    w(CMPR, 2);
    w(CR, RUN);
  },
  tracking: {
    title: 'CNR after reset, running, at and after a compare and a reload, stopped',
    initially: { counter: 0xffff_ffffn }, // CNR's reset value, CLKSRC = 0: stopped
    // Reads ordered before the step to CMPR at 40 ns (queued before the counter is armed) see 3 (E1).
    queuedAt: [2 * TICK],
    queuedSee: [{ counter: 3n }],
    instants: [0, 1, TICK, TICK + 1, 2 * TICK - 1, 2 * TICK, 2 * TICK + 1, 4 * TICK, 4 * TICK + 1, 5 * TICK, 5 * TICK + 1, 7 * TICK, 8 * TICK + 13],
    then: ({ clock, device, r, w }, sweep) => {
      expect(r(SR)).toBe(1);
      clock.advanceTo(12 * TICK); // the third round's step to CMPR (rounds start at 0, 5 and 10 cycles)
      expect(probed(device)).toEqual({ counter: 2n });
      // EN cleared at 13.5 cycles: CNR freezes (E3), and the probe with it.
      clock.advanceTo(13 * TICK + TICK / 2);
      w(CR, RUN & ~EN);
      sweep([14 * TICK, 14 * TICK + 1, 90 * TICK], () => expect(r(CNR)).toBe(1));
    },
  },
  noSideEffects: { instants: [0, TICK + 1, 2 * TICK, 2 * TICK + 1, 5 * TICK, 5 * TICK + 1, 100 * TICK + 3] },
  twin: { tick: TICK, rounds: 16, serviceAt: 3 * TICK + 1, service: ({ w }) => w(SR, 1), minSeen: 60 },
  registers: {
    map: IMX_EPIT_REGISTERS,
    names: ['CR', 'SR', 'LR', 'CMPR', 'CNR'],
    at: { CNR: 0x10, CMPR: 0x0c },
  },
});
