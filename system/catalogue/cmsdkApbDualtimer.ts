import { CmsdkApbDualTimer } from '../../devices/cmsdk-apb-dualtimer/CmsdkApbDualTimer';
import { CMSDK_APB_DUALTIMER_REGISTERS } from '../../devices/cmsdk-apb-dualtimer/CMSDK_APB_DUALTIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = CMSDK_APB_DUALTIMER_REGISTERS.byName;
const CONTROL = R.TIMER1CONTROL.fieldByName;
/** 32-bit periodic, ÷1, disabled: set first, so that the Load write is neither cut to 16 bits nor free-running. */
const SETUP = CONTROL.SIZE.mask | CONTROL.MODE.mask;
const RUN = SETUP | CONTROL.INTEN.mask | CONTROL.ENABLE.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

const channel = (n: 1 | 2): CatalogueChannel => {
  const reg = n === 1
    ? { load: R.TIMER1LOAD, value: R.TIMER1VALUE, control: R.TIMER1CONTROL, intClr: R.TIMER1INTCLR, ris: R.TIMER1RIS, bgLoad: R.TIMER1BGLOAD }
    : { load: R.TIMER2LOAD, value: R.TIMER2VALUE, control: R.TIMER2CONTROL, intClr: R.TIMER2INTCLR, ris: R.TIMER2RIS, bgLoad: R.TIMER2BGLOAD };
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'timclk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `cmsdk-apb-dualtimer.timer${n}.start(ticks)`);
      return [
        guestWrite(reg.control.offset, SETUP),
        guestWrite(reg.load.offset, ticks), // count and reload value (periodic): the first round is ticks
        guestWrite(reg.bgLoad.offset, ticks - 1), // the reload only: later rounds are Load + 1
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
 * ARM CMSDK APB dual-input timer (SP804-compatible): the same recipe as the
 * SP804's. A period is Load + 1 ticks and the first round after a Load write
 * Load ticks, so `start(ticks)` writes TimerXLoad = ticks, then TimerXBGLoad =
 * ticks - 1: every round is `ticks` TIMCLK cycles (÷1). `minTicks` 2 (a reload
 * of 0 halts the counter, ambiguity 6). Status is TimerXRIS; the line TIMINTn.
 */
export const cmsdkApbDualtimer: CatalogueDeviceType<CmsdkApbDualTimer> = {
  type: 'cmsdk-apb-dualtimer',
  summary: 'ARM CMSDK APB dual-input timer (DDI 0479): two SP804-style down-counters on TIMCLK',
  clocks: [{ name: 'timclk', hz: 25_000_000 }],
  create: (scheduler, { name, clocks, delivery }) => new CmsdkApbDualTimer(scheduler, { name, timclk: clocks['timclk']!, delivery }),
  channels: [channel(1), channel(2)],
};
