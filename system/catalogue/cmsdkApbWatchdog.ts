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
 * ARM CMSDK APB watchdog, driven like Linux's sp805 driver: unlock, program,
 * lock again. The first round after a (re)load lasts WDOGLOAD cycles (A4), and
 * WDOGINTCLR reloads the count, so `start(ticks)` writes WDOGLOAD = ticks and
 * enables INTEN (which reloads): WDOGINT rises `ticks` cycles later, and a
 * handler that acknowledges at once (the feed, which also reloads) gets the
 * next one `ticks` cycles after that. Left unacknowledged, the counter rests
 * at 0 for a cycle, reloads, and reaching 0 again asserts WDOGRES (`wdogres`
 * line, RESEN set): a reset `2 * ticks + 1` cycles after the last feed.
 * `minTicks` 1 (WDOGLOAD = 0 is invalid, the counter then holds, A6).
 */
export const cmsdkApbWatchdog: CatalogueDeviceType<CmsdkApbWatchdog> = {
  type: 'cmsdk-apb-watchdog',
  summary: 'ARM CMSDK APB watchdog (DDI 0479, SP805 model): 32-bit down-counter on WDOGCLK, interrupt then reset',
  clocks: [{ name: 'wdogclk', hz: 25_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new CmsdkApbWatchdog(scheduler, { name, wdogclk: clocks['wdogclk']!, delivery, timing }),
  channels: [
    {
      name: 'watchdog',
      kind: 'watchdog',
      clock: 'wdogclk',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'cmsdk-apb-watchdog.watchdog.start(ticks)');
        return [
          guestWrite(WDOGLOCK.offset, WDOG_UNLOCK_KEY),
          guestWrite(WDOGCONTROL.offset, 0), // INTEN falling stops the counter
          guestWrite(WDOGINTCLR.offset, 1),
          guestWrite(WDOGLOAD.offset, ticks),
          guestWrite(WDOGCONTROL.offset, INTEN | RESEN), // INTEN rising reloads and starts it
          guestWrite(WDOGLOCK.offset, 0), // any other value locks
        ];
      },
      counter: { offset: WDOGVALUE.offset, size: 4, direction: 'down' },
      status: { offset: WDOGRIS.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(WDOGLOCK.offset, WDOG_UNLOCK_KEY), guestWrite(WDOGINTCLR.offset, 1), guestWrite(WDOGLOCK.offset, 0)],
      line: 'wdogint',
    },
  ],
};
