import { CmsdkApbTimer } from '../../devices/cmsdk-apb-timer/CmsdkApbTimer';
import { CMSDK_APB_TIMER_REGISTERS } from '../../devices/cmsdk-apb-timer/CMSDK_APB_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { CTRL, VALUE, RELOAD, INTSTATUS } = CMSDK_APB_TIMER_REGISTERS.byName;
const EN = CTRL.fieldByName.EN.mask;
const IRQEN = CTRL.fieldByName.IRQEN.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

/**
 * ARM CMSDK APB timer. A round after the first lasts RELOAD + 1 cycles (VALUE
 * rests at 0 for one, device header A1), so `start(ticks)` writes RELOAD =
 * ticks - 1 and then VALUE = ticks (the first round is VALUE cycles): every
 * round is `ticks` cycles. RELOAD = 0 would make it one-shot (A4), hence
 * `minTicks` 2; VALUE is 32 bits, hence `maxTicks` 2^32 - 1.
 */
export const cmsdkApbTimer: CatalogueDeviceType<CmsdkApbTimer> = {
  type: 'cmsdk-apb-timer',
  summary: 'ARM CMSDK APB timer (DDI 0479): 32-bit down-counter on PCLK',
  clocks: [{ name: 'pclk', hz: 25_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new CmsdkApbTimer(scheduler, { name, pclk: clocks['pclk']!, delivery, timing }),
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'pclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'cmsdk-apb-timer.timer.start(ticks)');
        return [
          guestWrite(CTRL.offset, 0),
          guestWrite(RELOAD.offset, ticks - 1),
          guestWrite(VALUE.offset, ticks),
          guestWrite(INTSTATUS.offset, 1),
          guestWrite(CTRL.offset, EN | IRQEN),
        ];
      },
      counter: { offset: VALUE.offset, size: 4, direction: 'down' },
      status: { offset: INTSTATUS.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(INTSTATUS.offset, 1)],
      line: 'timerint',
    },
  ],
};
