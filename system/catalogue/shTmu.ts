import { ShTmu } from '../../devices/sh-tmu/ShTmu';
import { SH_TMU_REGISTERS } from '../../devices/sh-tmu/SH_TMU_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = SH_TMU_REGISTERS.byName;
const { UNIE, UNF } = R.TCR0.fieldByName;
const { STR0, STR1, STR2 } = R.TSTR.fieldByName;
/** TSTR with every channel started: a recipe cannot read-modify-write the shared register. */
const START_ALL = STR0.mask | STR1.mask | STR2.mask;
/** TPSC 0: the counter steps on Pφ/4, as Linux's sh_tmu sets it. */
const PCLK_DIVISOR = 4;
const MIN_TICKS = 1;
const MAX_TICKS = 2 ** 32;

/** Channel n driven as Linux's sh_tmu clockevent in periodic mode, with TCOR = TCNT = ticks - 1. */
const channel = (n: 0 | 1 | 2): CatalogueChannel => {
  const c = SH_TMU_REGISTERS.channel('CH', n);
  const tcr = R[c.TCR].offset;
  return {
    name: `tmu${n}`,
    kind: 'timer',
    clock: 'pclk',
    divisor: PCLK_DIVISOR,
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `sh-tmu.tmu${n}.start(ticks)`);
      return [
        guestWrite(tcr, UNIE.mask, 2),
        guestWrite(R[c.TCOR].offset, ticks - 1),
        guestWrite(R[c.TCNT].offset, ticks - 1),
        guestWrite(R.TSTR.offset, START_ALL, 1),
      ];
    },
    counter: { offset: R[c.TCNT].offset, size: 4, direction: 'down' },
    status: { offset: tcr, size: 2, mask: UNF.mask },
    acknowledge: [guestWrite(tcr, UNIE.mask, 2)],
    line: `tuni${n}`,
  };
};

/**
 * SuperH TMU (SH7750/SH7751 "Timer Unit"), three channels driven as Linux's sh_tmu drives its
 * clockevent channel in periodic mode: `start(ticks)` writes TCRn = UNIE with TPSC 0 (Pφ/4:
 * `divisor` 4, so `ticks` are Pφ/4 counts; the write also clears a stale UNF), TCORn = TCNTn =
 * ticks - 1, then starts the channel. A round is TCOR + 1 counts, the first one TCNT + 1 (device
 * header X1): every round is `ticks` counts; `minTicks` 1 (TCOR 0 underflows at every count),
 * `maxTicks` 2^32. Linux stops the channel first and sets its STR bit with a read-modify-write of
 * the shared TSTR; a recipe is fixed accesses, so it writes TSTR = STR0 | STR1 | STR2: it never
 * stops another channel, and starts any channel not started yet (one left unprogrammed counts
 * down from 0xFFFFFFFF with its interrupt disabled). The TCNT write restarts the count, so a
 * channel started again while counting counts `ticks` from then. The status is TCRn.UNF; the
 * acknowledge writes TCRn = UNIE (UNF 0 clears it, X5), as Linux's periodic interrupt handler;
 * the line is TUNIn. Pφ at 60 MHz (QEMU's r2d); the RTC output clock (16 384 Hz) and TCLK (0 Hz,
 * nothing on the pin) are inputs no recipe selects.
 */
export const shTmu: CatalogueDeviceType<ShTmu> = {
  type: 'sh-tmu',
  summary: 'SuperH TMU (SH7750/SH7751 Timer Unit): three 32-bit down-counters on Pφ/4-Pφ/1024, the RTC clock or TCLK',
  clocks: [
    { name: 'pclk', hz: 60_000_000 },
    { name: 'rtcclk', hz: 16_384 },
    { name: 'tclk', hz: 0 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new ShTmu(scheduler, { name, pclk: clocks['pclk']!, rtcclk: clocks['rtcclk']!, tclk: clocks['tclk']!, delivery, timing }),
  channels: [channel(0), channel(1), channel(2)],
};
