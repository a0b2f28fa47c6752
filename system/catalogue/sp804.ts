import { Sp804 } from '../../devices/sp804/Sp804';
import { SP804_REGISTERS } from '../../devices/sp804/SP804_REGISTERS';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { sp804StyleChannel } from './sp804StyleChannel';

const R = SP804_REGISTERS.byName;
const CONTROL = R.Timer1Control.fieldByName;
/** 32-bit periodic, ÷1, disabled: set first, so that Load is not cut to 16 bits. */
const SETUP = CONTROL.TimerSize.mask | CONTROL.TimerMode.mask;
const RUN = SETUP | CONTROL.IntEnable.mask | CONTROL.TimerEn.mask;

const channel = (n: 1 | 2): CatalogueChannel => {
  const c = SP804_REGISTERS.channel('Timer', n - 1);
  const reg = { load: R[c.Load], value: R[c.Value], control: R[c.Control], intClr: R[c.IntClr], ris: R[c.RIS], bgLoad: R[c.BGLoad] };
  return sp804StyleChannel('sp804', n, reg, SETUP, RUN);
};

/** ARM SP804 dual timer; each counter's recipe is system/catalogue/sp804StyleChannel.ts (shared with the CMSDK dual timer). */
export const sp804: CatalogueDeviceType<Sp804> = {
  type: 'sp804',
  summary: 'ARM SP804 dual timer (DDI 0271): two 32/16-bit down-counters on TIMCLK with prescalers',
  clocks: [{ name: 'timclk', hz: 1_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Sp804(scheduler, { name, timclk: clocks['timclk']!, delivery, timing }),
  channels: [channel(1), channel(2)],
};
