import { IntegratorPit } from '../../devices/integrator-pit/IntegratorPit';
import { INTEGRATOR_PIT_REGISTERS } from '../../devices/integrator-pit/INTEGRATOR_PIT_REGISTERS';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { sp804StyleChannel } from './sp804StyleChannel';

const R = INTEGRATOR_PIT_REGISTERS.byName;
const CONTROL = R.Timer0Control.fieldByName;
/** 32-bit periodic, ÷1, disabled: set first, so that Load is not cut to 16 bits. */
const SETUP = CONTROL.TimerSize.mask | CONTROL.TimerMode.mask;
const RUN = SETUP | CONTROL.IntEnable.mask | CONTROL.TimerEn.mask;

const channel = (n: 0 | 1 | 2): CatalogueChannel => {
  const c = INTEGRATOR_PIT_REGISTERS.channel('Timer', n);
  const reg = { load: R[c.Load], value: R[c.Value], control: R[c.Control], intClr: R[c.IntClr], ris: R[c.RIS], bgLoad: R[c.BGLoad] };
  return sp804StyleChannel('integrator-pit', n, reg, SETUP, RUN, `timclk${n}`);
};

/**
 * ARM Integrator/CP counter/timers: three SP804-style counters, so each one's recipe is
 * system/catalogue/sp804StyleChannel.ts (Load = ticks, BGLoad = ticks - 1: every round
 * `ticks` cycles at ÷1; `minTicks` 2), channels `timer0` … `timer2` on lines `timint0` …
 * `timint2`. Clocks are the board's: timer 0 on the 25 MHz crystal (`timclk0`; QEMU uses
 * 40 MHz), timers 1 and 2 at 1 MHz (`timclk1`, `timclk2`).
 */
export const integratorPit: CatalogueDeviceType<IntegratorPit> = {
  type: 'integrator-pit',
  summary: 'ARM Integrator/CP counter/timers (DUI 0159): three SP804-style down-counters, one interrupt each',
  clocks: [
    { name: 'timclk0', hz: 25_000_000 },
    { name: 'timclk1', hz: 1_000_000 },
    { name: 'timclk2', hz: 1_000_000 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new IntegratorPit(scheduler, { name, timclk: [clocks['timclk0']!, clocks['timclk1']!, clocks['timclk2']!], delivery, timing }),
  channels: [channel(0), channel(1), channel(2)],
};
