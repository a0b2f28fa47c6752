import { CmsdkApbWatchdog } from '../../devices/cmsdk-apb-watchdog/CmsdkApbWatchdog';
import { CMSDK_APB_WATCHDOG_REGISTERS, WDOG_UNLOCK_KEY } from '../../devices/cmsdk-apb-watchdog/CMSDK_APB_WATCHDOG_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { WDOGLOAD, WDOGVALUE, WDOGCONTROL, WDOGINTCLR, WDOGRIS, WDOGLOCK } = CMSDK_APB_WATCHDOG_REGISTERS.byName;
const INTEN = WDOGCONTROL.fieldByName.INTEN.mask;
const RESEN = WDOGCONTROL.fieldByName.RESEN.mask;
const MAX_TICKS = 0xffff_ffff;

/**
 * TI Stellaris (Luminary Micro) LM3S watchdog: the `'luminary'` variant of the
 * CMSDK watchdog model, on the LM3S reset system clock (12.5 MHz). Driven like
 * StellarisWare's driverlib: unlock, WDTLOAD, enable reset and interrupt, lock.
 * Its WDTCTL cannot be cleared once INTEN is set (variant decision L1), so
 * `start(ticks)` does not stop it first: WDTICR clears the interrupt, WDTLOAD
 * restarts the count from `ticks` (the first round is `ticks` cycles), and
 * WDTCTL = INTEN | RESEN starts it the first time (INTEN rising reloads) and is
 * ignored silently later (the value it holds). Feeding (the acknowledge:
 * unlock, WDTICR, lock) reloads, so an acknowledged interrupt comes every
 * `ticks` cycles; unfed, WDOGRES rises `2 * ticks + 1` cycles after the last
 * feed. `minTicks` 1 (WDTLOAD = 0 holds the counter, A6).
 */
export const luminaryWatchdog: CatalogueDeviceType<CmsdkApbWatchdog> = {
  type: 'luminary-watchdog',
  summary: 'TI Stellaris (Luminary) LM3S watchdog: the CMSDK watchdog variant with WDTTEST and a WDTCTL frozen once enabled',
  clocks: [{ name: 'wdogclk', hz: 12_500_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new CmsdkApbWatchdog(scheduler, { name, wdogclk: clocks['wdogclk']!, delivery, timing, variant: 'luminary' }),
  channels: [
    {
      name: 'watchdog',
      kind: 'watchdog',
      clock: 'wdogclk',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'luminary-watchdog.watchdog.start(ticks)');
        return [
          guestWrite(WDOGLOCK.offset, WDOG_UNLOCK_KEY),
          guestWrite(WDOGINTCLR.offset, 1),
          guestWrite(WDOGLOAD.offset, ticks), // restarts the count from `ticks`, also while running
          guestWrite(WDOGCONTROL.offset, INTEN | RESEN), // INTEN rising reloads and starts it; later, the held value: ignored
          guestWrite(WDOGLOCK.offset, 1),
        ];
      },
      counter: { offset: WDOGVALUE.offset, size: 4, direction: 'down' },
      status: { offset: WDOGRIS.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(WDOGLOCK.offset, WDOG_UNLOCK_KEY), guestWrite(WDOGINTCLR.offset, 1), guestWrite(WDOGLOCK.offset, 1)],
      line: 'wdogint',
    },
  ],
};
