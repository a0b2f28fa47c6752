import { Mcf5208Pit } from '../../devices/mcf5208-pit/Mcf5208Pit';
import { MCF5208_PIT_REGISTERS } from '../../devices/mcf5208-pit/MCF5208_PIT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { PCSR, PMR, PCNTR } = MCF5208_PIT_REGISTERS.byName;
const F = PCSR.fieldByName;
/** Set-and-forget, its interrupt enabled, PRE 0, counting; PIF written 1 clears a stale flag. */
const RUN = F.EN.mask | F.PIE.mask | F.RLD.mask | F.PIF.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff;

/**
 * ColdFire MCF5208 PIT in set-and-forget mode on the undivided bus clock (PRE 0, so `ticks` are
 * `busclk` cycles). A round is PMR + 1 steps, and a PMR write with OVW loads the counter, whose
 * first round then lasts PMR steps (device header P1, P3): so `start(ticks)`, as the SP804's
 * recipe does with Load and BGLoad, stops the PIT, loads the counter with `ticks` (PCSR = OVW |
 * RLD, PMR = ticks), makes `ticks - 1` the reload value only (PCSR = RLD, PMR = ticks - 1), and
 * enables it with its interrupt: every round, the first included, is `ticks` cycles. PMR 0 would
 * rest the counter at 0 (P6), hence `minTicks` 2; the first load is 16 bits, hence `maxTicks`
 * 0xFFFF. The acknowledge is Linux's read-modify-write of PCSR (the running configuration with PIF
 * written 1), which leaves the count alone (P4). The status is PCSR.PIF, the counter PCNTR (16
 * bits, counting down), both 16-bit accesses; the line `irq`. The bus clock is the MCF5208's
 * 166.67 MHz core clock ÷ 2, as QEMU's.
 */
export const mcf5208Pit: CatalogueDeviceType<Mcf5208Pit> = {
  type: 'mcf5208-pit',
  summary: 'Freescale ColdFire MCF5208 PIT: 16-bit down-counter on the bus clock ÷ 2^PRE, set-and-forget (PMR + 1 steps) or free-running, PIF',
  clocks: [{ name: 'busclk', hz: 83_333_333 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Mcf5208Pit(scheduler, { name, busclk: clocks['busclk']!, delivery, timing }),
  channels: [
    {
      name: 'pit',
      kind: 'timer',
      clock: 'busclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'mcf5208-pit.pit.start(ticks)');
        return [
          guestWrite(PCSR.offset, 0, 2), // stopped: the count holds
          guestWrite(PCSR.offset, F.OVW.mask | F.RLD.mask, 2),
          guestWrite(PMR.offset, ticks, 2), // OVW: the counter loads `ticks`: the first round
          guestWrite(PCSR.offset, F.RLD.mask, 2),
          guestWrite(PMR.offset, ticks - 1, 2), // the reload only: later rounds are PMR + 1
          guestWrite(PCSR.offset, RUN, 2),
        ];
      },
      counter: { offset: PCNTR.offset, size: 2, direction: 'down' },
      status: { offset: PCSR.offset, size: 2, mask: F.PIF.mask },
      acknowledge: [guestWrite(PCSR.offset, RUN, 2)],
      line: 'irq',
    },
  ],
};
