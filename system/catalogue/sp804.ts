import { Sp804 } from '../../devices/sp804/Sp804';
import { SP804_REGISTERS } from '../../devices/sp804/SP804_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = SP804_REGISTERS.byName;
const CONTROL = R.Timer1Control.fieldByName;
/** 32-bit periodic, ÷1, disabled: set first, so that Load is not cut to 16 bits. */
const SETUP = CONTROL.TimerSize.mask | CONTROL.TimerMode.mask;
const RUN = SETUP | CONTROL.IntEnable.mask | CONTROL.TimerEn.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

const channel = (n: 1 | 2): CatalogueChannel => {
  const reg = n === 1
    ? { load: R.Timer1Load, value: R.Timer1Value, control: R.Timer1Control, intClr: R.Timer1IntClr, ris: R.Timer1RIS, bgLoad: R.Timer1BGLoad }
    : { load: R.Timer2Load, value: R.Timer2Value, control: R.Timer2Control, intClr: R.Timer2IntClr, ris: R.Timer2RIS, bgLoad: R.Timer2BGLoad };
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'timclk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `sp804.timer${n}.start(ticks)`);
      return [
        guestWrite(reg.control.offset, SETUP),
        guestWrite(reg.load.offset, ticks), // the count restarts from it (first round: ticks)
        guestWrite(reg.bgLoad.offset, ticks - 1), // the reload from the next zero on (rounds of Load + 1)
        guestWrite(reg.intClr.offset, 1),
        guestWrite(reg.control.offset, RUN),
      ];
    },
    counter: { offset: reg.value.offset, size: 4, direction: 'down' },
    status: { offset: reg.ris.offset, size: 4, mask: 1 },
    acknowledge: [guestWrite(reg.intClr.offset, 1)],
    line: `timint${n}`,
  };
};

/**
 * ARM SP804 dual timer. Periodic rounds last Load + 1 ticks (the count rests
 * at 0 for one) and the first round after a Load write lasts Load ticks, so
 * `start(ticks)` writes Load = ticks (the count) and then BGLoad = ticks - 1
 * (the reload, without touching the count): every round is `ticks` TIMCLK
 * cycles (prescaler ÷1). A reload of 0 holds the counter at 0, hence
 * `minTicks` 2. Status is TimerXRIS (set whatever IntEnable says); the line
 * is TIMINTn (MIS).
 */
export const sp804: CatalogueDeviceType<Sp804> = {
  type: 'sp804',
  summary: 'ARM SP804 dual timer (DDI 0271): two 32/16-bit down-counters on TIMCLK with prescalers',
  clocks: [{ name: 'timclk', hz: 1_000_000 }],
  create: (scheduler, { name, clocks, delivery }) => new Sp804(scheduler, { name, timclk: clocks['timclk']!, delivery }),
  channels: [channel(1), channel(2)],
};
