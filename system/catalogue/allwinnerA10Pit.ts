import { AllwinnerA10Pit } from '../../devices/allwinner-a10-pit/AllwinnerA10Pit';
import { ALLWINNER_A10_PIT_REGISTERS } from '../../devices/allwinner-a10-pit/ALLWINNER_A10_PIT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = ALLWINNER_A10_PIT_REGISTERS.byName;
const CTRL = R.TMR0_CTRL_REG.fieldByName;
/** CLK_SRC = 01: OSC24M, the source Linux's sun4i timer uses; CLK_PRES 0 (÷1), continuous mode. */
const OSC24M = 1 << CTRL.CLK_SRC.lsb;
const RUN = OSC24M | CTRL.EN.mask;
/** All six TMRn_IRQ_EN bits (see `start`). */
const ALL_IRQS = 0x3f;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

const channel = (n: number): CatalogueChannel => {
  const c = ALLWINNER_A10_PIT_REGISTERS.channel('TMR', n);
  const [ctrl, intv, cur] = [R[c.CTRL], R[c.INTV_VALUE], R[c.CUR_VALUE]];
  const bit = 1 << n;
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'osc24m',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `allwinner-a10-pit.timer${n}.start(ticks)`);
      return [
        guestWrite(ctrl.offset, OSC24M), // stopped (a pause), on OSC24M ÷1, continuous
        guestWrite(intv.offset, ticks - 1), // the reload: rounds of INTV + 1 ticks
        guestWrite(cur.offset, ticks), // the count: the first round
        guestWrite(R.TMR_IRQ_STA_REG.offset, bit),
        guestWrite(R.TMR_IRQ_EN_REG.offset, ALL_IRQS),
        guestWrite(ctrl.offset, RUN), // EN 0 -> 1 resumes the non-zero count written above
      ];
    },
    counter: { offset: cur.offset, size: 4, direction: 'down' },
    status: { offset: R.TMR_IRQ_STA_REG.offset, size: 4, mask: bit },
    acknowledge: [guestWrite(R.TMR_IRQ_STA_REG.offset, bit)],
    line: `irq${n}`,
  };
};

/**
 * Allwinner A10 timer block ("PIT"), timers 0-5 on OSC24M ÷1 (the source
 * Linux's sun4i driver uses), continuous mode. A period is INTV + 1 ticks and
 * the first round counts down the value loaded, so `start(ticks)` writes INTV =
 * ticks - 1, loads CUR_VALUE = ticks and sets EN (which resumes the non-zero
 * count, ambiguity 1): every round is `ticks` OSC24M cycles. INTV = 0 holds the
 * counter (ambiguity 6), hence `minTicks` 2.
 *
 * TMR_IRQ_EN is one register for the six timers and a recipe is a fixed access
 * list (no read-modify-write), so `start` writes all six enable bits: a timer
 * nobody started never sets its pending bit, so the others' bits change nothing.
 * At 24 MHz a tick is 41⅔ ns: expiries land on whole ns, up to 1 ns early
 * (device ambiguity 10).
 */
export const allwinnerA10Pit: CatalogueDeviceType<AllwinnerA10Pit> = {
  type: 'allwinner-a10-pit',
  summary: 'Allwinner A10 timer block (A10 User Manual): six 32-bit down-counters on LOSC or OSC24M',
  clocks: [
    { name: 'losc', hz: 32_768 },
    { name: 'osc24m', hz: 24_000_000 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new AllwinnerA10Pit(scheduler, { name, losc: clocks['losc']!, osc24m: clocks['osc24m']!, delivery, timing }),
  channels: [0, 1, 2, 3, 4, 5].map(channel),
};
