import { Mcf5206Timer } from '../../devices/mcf5206-timer/Mcf5206Timer';
import { MCF5206_TIMER_REGISTERS } from '../../devices/mcf5206-timer/MCF5206_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = MCF5206_TIMER_REGISTERS.byName;
const TMR = R.TMR1.fieldByName;
const TER = R.TER1.fieldByName;
/** ORI | restart (FRR) | CLK 01 (the system clock ÷ (PS + 1), PS 0) | RST: counting. */
const RUN = TMR.ORI.mask | TMR.FRR.mask | (0b01 << TMR.CLK.lsb) | TMR.RST.mask;
const ACK = TER.CAP.mask | TER.REF.mask;
const MIN_TICKS = 1;
const MAX_TICKS = 0x1_0000;

const channel = (n: 0 | 1): CatalogueChannel => {
  const c = MCF5206_TIMER_REGISTERS.channel('Timer', n);
  const what = `mcf5206-timer.timer${n + 1}.start(ticks)`;
  return {
    name: `timer${n + 1}`,
    kind: 'timer',
    clock: 'sysclk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, what);
      return [
        guestWrite(R[c.TMR].offset, 0, 2), // RST 1 -> 0: the timer's registers reset, TCN held at 0
        guestWrite(R[c.TRR].offset, ticks - 1, 2), // rounds of TRR + 1 steps
        guestWrite(R[c.TER].offset, ACK, 1),
        guestWrite(R[c.TMR].offset, RUN, 2), // counting from TCN 0
      ];
    },
    counter: { offset: R[c.TCN].offset, size: 2, direction: 'up' },
    status: { offset: R[c.TER].offset, size: 1, mask: TER.REF.mask },
    acknowledge: [guestWrite(R[c.TER].offset, ACK, 1)],
    line: `timer${n + 1}`,
  };
};

/**
 * ColdFire MCF5206 timer module, each timer driven as Linux's timers.c drives timer 1 but on the
 * undivided system clock (CLK 01, PS 0, so `ticks` are `sysclk` cycles): TMR = 0 (reset, TCN held
 * at 0), TRR = ticks - 1, TER = CAP | REF, TMR = ORI | restart | CLK 01 | RST. TCN counts 0 …
 * TRR and the reference event takes it back to 0 (device header M1): every round, the first
 * included, is `ticks` cycles; TRR 0 is an event at every cycle (`minTicks` 1), TRR 0xFFFF a
 * round of 2^16. The status is TER.REF (a byte register at 0x11 / 0x31), acknowledged as Linux
 * does (TER = CAP | REF); the counter is TCN, 16 bits, counting up; lines `timer1`, `timer2`.
 * 25 MHz system clock (the 5206's lower speed grade; QEMU uses 66 MHz).
 */
export const mcf5206Timer: CatalogueDeviceType<Mcf5206Timer> = {
  type: 'mcf5206-timer',
  summary: 'Freescale ColdFire MCF5206 timer module: two 16-bit up-counters with reference compare (restart or free run), prescaler, TER.REF',
  clocks: [{ name: 'sysclk', hz: 25_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Mcf5206Timer(scheduler, { name, sysclk: clocks['sysclk']!, delivery, timing }),
  channels: [channel(0), channel(1)],
};
