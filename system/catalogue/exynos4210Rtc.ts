import { Exynos4210Rtc } from '../../devices/exynos4210-rtc/Exynos4210Rtc';
import { EXYNOS4210_RTC_REGISTERS } from '../../devices/exynos4210-rtc/EXYNOS4210_RTC_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { INTP, RTCCON, TICCNT, CURTICCNT } = EXYNOS4210_RTC_REGISTERS.byName;
const TIC = INTP.fieldByName.TIC.mask;
/** TICEN with TICCKSEL 0: the tick clock is the crystal undivided. */
const TICEN = RTCCON.fieldByName.TICEN.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

/**
 * Samsung Exynos4210 RTC tick timer on the crystal undivided (TICCKSEL 0, 32 768 Hz). TICEN
 * 0 -> 1 loads TICCNT and the count decrements to 0; later rounds are TICCNT + 1 ticks (device
 * header R1), and a TICCNT write while counting changes only the next reload (R2). So
 * `start(ticks)` clears RTCCON (TICEN 0 -> 1 then restarts the count), writes TICCNT = ticks,
 * clears a stale INTP.TIC, sets TICEN, then writes TICCNT = ticks - 1: every round, the first
 * included, is `ticks` crystal cycles. TICCNT 0 never interrupts (R2), hence `minTicks` 2; the
 * count is 32 bits, so `maxTicks` is 2^32 - 1. The tick interrupt has no enable (R3): the status
 * is INTP.TIC, acknowledged by writing it 1 (Linux's handler does it with a byte write); the
 * counter is CURTICCNT, counting down. At 32 768 Hz a tick is 30 517.578125 ns: expiries land on
 * whole ns, up to 1 ns early.
 */
export const exynos4210Rtc: CatalogueDeviceType<Exynos4210Rtc> = {
  type: 'exynos4210-rtc',
  summary: 'Samsung Exynos4210 RTC tick timer: 32-bit down-counter on the 32.768 kHz crystal ÷ 2^TICCKSEL (calendar not modelled)',
  clocks: [{ name: 'xtal', hz: 32_768 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Exynos4210Rtc(scheduler, { name, xtal: clocks['xtal']!, delivery, timing }),
  channels: [
    {
      name: 'tick',
      kind: 'timer',
      clock: 'xtal',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'exynos4210-rtc.tick.start(ticks)');
        return [
          guestWrite(RTCCON.offset, 0),
          guestWrite(TICCNT.offset, ticks), // the first round: the count decrements from ticks to 0
          guestWrite(INTP.offset, TIC),
          guestWrite(RTCCON.offset, TICEN), // TICEN 0 -> 1: the count is TICCNT
          guestWrite(TICCNT.offset, ticks - 1), // the reload: later rounds of TICCNT + 1 ticks
        ];
      },
      counter: { offset: CURTICCNT.offset, size: 4, direction: 'down' },
      status: { offset: INTP.offset, size: 4, mask: TIC },
      acknowledge: [guestWrite(INTP.offset, TIC)],
      line: 'tick',
    },
  ],
};
