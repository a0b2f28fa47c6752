// The GPT's introspection members (Device.lines, probes, registers): the line is the GPT
// interrupt (`irq`), the probe reads what a guest read of CNT returns at that instant without
// being an access, and the register list is the variant's map. ipg is 50 MHz (20 ns per cycle,
// PRESCALER 0). Restart mode with OCR1 = 4: CNT counts 0 … 4 and leaves 4 for 0 at 100 ns with
// OF1 (X1), a round of 5 cycles.
import { expect } from 'vitest';
import { IMX6DL_GPT_REGISTERS, IMX_GPT_REGISTERS } from '../../../devices/imx-gpt';
import { describeIntrospection, probed, registerReads, withLevels } from '../../support/introspection';
import { CNT, CR, EN, ENMOD, IPG, IR, makeRig, OCR1, OF1, SR, TICK } from './rig';

const RUN = IPG | ENMOD | EN;

describeIntrospection(
  'ImxGpt',
  {
    rig: () => withLevels(makeRig()),
    lines: (device) => ({ irq: device.irq }),
    probes: [['counter', 32]],
    guest: registerReads({ counter: CNT }),
    program: ({ w }) => {
      w(OCR1, 4);
      w(IR, OF1);
      w(CR, RUN);
    },
    tracking: {
      title: 'CNT after reset, running, at and after a compare with its restart, frozen',
      initially: { counter: 0n }, // CNT's reset value, CLKSRC = 0: stopped
      // Reads ordered before the compare step at 100 ns (queued before the counter is armed) see OCR1 (X1).
      queuedAt: [5 * TICK],
      queuedSee: [{ counter: 4n }],
      instants: [0, 1, TICK, TICK + 1, 4 * TICK + 1, 5 * TICK - 1, 5 * TICK, 5 * TICK + 1, 7 * TICK, 10 * TICK, 10 * TICK + 1, 13 * TICK + 7],
      then: ({ clock, device, r, w }, sweep) => {
        expect(r(SR)).toBe(OF1);
        clock.advanceTo(19 * TICK + 1); // the fourth round's last cycle (rounds start at 0, 5, 10, 15 cycles)
        expect(probed(device)).toEqual({ counter: 4n });
        // EN cleared at 21.5 cycles: CNT freezes (X4), and the probe with it.
        clock.advanceTo(21 * TICK + TICK / 2);
        w(CR, RUN & ~EN);
        sweep([22 * TICK, 22 * TICK + 1, 90 * TICK], () => expect(r(CNT)).toBe(1));
      },
    },
    noSideEffects: { instants: [0, TICK + 1, 5 * TICK, 5 * TICK + 1, 10 * TICK, 100 * TICK + 3] },
    twin: { tick: TICK, rounds: 16, serviceAt: 5 * TICK + 1, service: ({ w }) => w(SR, OF1), minSeen: 60 },
    registers: {
      map: IMX_GPT_REGISTERS,
      names: ['CR', 'PR', 'SR', 'IR', 'OCR1', 'OCR2', 'OCR3', 'ICR1', 'ICR2', 'CNT'],
      at: { CNT: 0x24, OCR1: 0x10, ICR2: 0x20 },
      also: (registers) => {
        // The 'imx6dl' layout has the same registers at the same offsets (only CR and PR fields differ).
        const dl = makeRig({ variant: 'imx6dl' }).device.registers;
        expect(dl).toEqual(registers);
        expect(dl).toEqual(IMX6DL_GPT_REGISTERS.registers.map((reg) => ({ name: reg.name, offset: reg.offset, size: reg.bytes })));
        expect(dl).not.toBe(registers);
        expect(makeRig({ variant: 'imx6dl' }).device.registers).toBe(dl);
      },
    },
  },
);
