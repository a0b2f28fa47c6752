import { Armv7mSystick } from '../../devices/armv7m-systick/Armv7mSystick';
import { ARMV7M_SYSTICK_REGISTERS } from '../../devices/armv7m-systick/ARMV7M_SYSTICK_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { CSR, RVR, CVR, ICSR } = ARMV7M_SYSTICK_REGISTERS.byName;
const ENABLE = CSR.fieldByName.ENABLE.mask;
const TICKINT = CSR.fieldByName.TICKINT.mask;
const CLKSOURCE = CSR.fieldByName.CLKSOURCE.mask;
const PENDSTSET = ICSR.fieldByName.PENDSTSET.mask;
const PENDSTCLR = ICSR.fieldByName.PENDSTCLR.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0x100_0000;

/**
 * ARMv7-M SysTick, driven as CMSIS `SysTick_Config(ticks)` does: RVR = ticks - 1, CVR = 0,
 * CSR = CLKSOURCE | TICKINT | ENABLE (on `cpuclk`). The enable at CVR 0 loads RVR after one
 * cycle and later rounds last RVR + 1 cycles (device header S1, S3): every round is `ticks`
 * cycles. RVR = 0 would halt it (S2), hence `minTicks` 2; RVR is 24 bits, hence `maxTicks`
 * 2^24. The status is the exception's pending state (ICSR.PENDSTSET, S5), which stays set
 * until acknowledged; the acknowledge is ICSR.PENDSTCLR (what exception entry does). CVR
 * reads 24 bits, so a clocksource reader sees it wrap at 2^24.
 */
export const armv7mSystick: CatalogueDeviceType<Armv7mSystick> = {
  type: 'armv7m-systick',
  summary: 'ARMv7-M SysTick (DDI 0403 §B3.3): 24-bit down-counter on the core or reference clock',
  clocks: [
    { name: 'cpuclk', hz: 25_000_000 },
    { name: 'refclk', hz: 1_000_000 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new Armv7mSystick(scheduler, { name, cpuclk: clocks['cpuclk']!, refclk: clocks['refclk']!, delivery, timing }),
  channels: [
    {
      name: 'systick',
      kind: 'timer',
      clock: 'cpuclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'armv7m-systick.systick.start(ticks)');
        return [
          guestWrite(CSR.offset, 0),
          guestWrite(RVR.offset, ticks - 1),
          guestWrite(CVR.offset, 0),
          guestWrite(ICSR.offset, PENDSTCLR),
          guestWrite(CSR.offset, CLKSOURCE | TICKINT | ENABLE),
        ];
      },
      counter: { offset: CVR.offset, size: 4, direction: 'down' },
      status: { offset: ICSR.offset, size: 4, mask: PENDSTSET },
      acknowledge: [guestWrite(ICSR.offset, PENDSTCLR)],
      line: 'systick',
    },
  ],
};
