import { CmsdkApbDualTimer } from '../../devices/cmsdk-apb-dualtimer/CmsdkApbDualTimer';
import { CMSDK_APB_DUALTIMER_REGISTERS } from '../../devices/cmsdk-apb-dualtimer/CMSDK_APB_DUALTIMER_REGISTERS';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { sp804StyleChannel } from './sp804StyleChannel';

const R = CMSDK_APB_DUALTIMER_REGISTERS.byName;
const CONTROL = R.TIMER1CONTROL.fieldByName;
/** 32-bit periodic, ÷1, disabled: set first, so that the Load write is neither cut to 16 bits nor free-running. */
const SETUP = CONTROL.SIZE.mask | CONTROL.MODE.mask;
const RUN = SETUP | CONTROL.INTEN.mask | CONTROL.ENABLE.mask;

const channel = (n: 1 | 2): CatalogueChannel => {
  const c = CMSDK_APB_DUALTIMER_REGISTERS.channel('TIMER', n - 1);
  const reg = { load: R[c.LOAD], value: R[c.VALUE], control: R[c.CONTROL], intClr: R[c.INTCLR], ris: R[c.RIS], bgLoad: R[c.BGLOAD] };
  return sp804StyleChannel('cmsdk-apb-dualtimer', n, reg, SETUP, RUN);
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
  create: (scheduler, { name, clocks, delivery, timing }) => new CmsdkApbDualTimer(scheduler, { name, timclk: clocks['timclk']!, delivery, timing }),
  channels: [channel(1), channel(2)],
};
