import { bit, bits, defineRegisterMap, reg32, type RegisterOptions, type UnmodelledRegister } from '../../src/bus';

/** The RTC's registers take byte, halfword and word accesses (device header, R8: Linux's driver uses all three). */
const ANY: RegisterOptions = { sizes: [1, 2, 4] };

/**
 * The registers of the Samsung Exynos4210 RTC (Exynos4210 User's Manual, "Real Time Clock"; the
 * S3C6410/S5PV210 RTC block, Linux's rtc-s3c.c `s3c6410` data) that hold its tick timer: the
 * interrupt pending register, the control register, the tick count and the tick counter's
 * current value, at their offsets from the block's base (0x10070000 on the SoC). The calendar
 * and alarm registers are listed in {@link EXYNOS4210_RTC_UNMODELLED}; every other offset of
 * the 256-byte region is unmapped. Behaviour lives in `Exynos4210Rtc` (see its header).
 */
export const EXYNOS4210_RTC_REGISTERS = defineRegisterMap({
  /** Interrupt pending: write 1 to clear a bit. */
  INTP: reg32(
    0x30,
    {
      /** Time tick interrupt pending: set when the tick counter reaches 0 (R1); drives the `tick` line. */
      TIC: bit(0, 'w1c'),
      /** Alarm interrupt pending: never set (the alarm is not modelled); write 1 to clear. */
      ALM: bit(1, 'w1c'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(2, 30, 'reserved'),
    },
    ANY,
  ),
  /** RTC control. */
  RTCCON: reg32(
    0x40,
    {
      /** CTLEN: lets the CPU write the BCD registers; stored, no effect on the tick (R4; the calendar is not modelled). */
      CTLEN: bit(0),
      /** BCD clock select (test clock): stored, reported; the calendar is not modelled. */
      CLKSEL: bit(1, 'unimplemented'),
      /** BCD count select (test mode): stored, reported; the calendar is not modelled. */
      CNTSEL: bit(2, 'unimplemented'),
      /** RTC clock count reset (the calendar's divider): stored, reported; the tick is not affected (R4). */
      CLKRST: bit(3, 'unimplemented'),
      /** Tick clock: 32 768 Hz / 2^TICCKSEL (0: 32 768 Hz … 15: 1 Hz). */
      TICCKSEL: bits(4, 4),
      /** Tick timer enable: 0 -> 1 loads TICCNT into the counter and starts it; 0 holds it (R2). */
      TICEN: bit(8),
      /** Clock output (XrtcCLKO) enable: stored, reported; the pin is not modelled. */
      CLKOUTEN: bit(9, 'unimplemented'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(10, 22, 'reserved'),
    },
    ANY,
  ),
  /** Tick time count: the counter's reload value (a round is TICCNT + 1 tick clocks, R1). */
  TICCNT: reg32(0x44, {}, ANY),
  /** Current tick counter value (read hook; stores nothing). */
  CURTICCNT: reg32(0x90, {}, { ...ANY, access: 'ro' }),
});

/**
 * The RTC's calendar and alarm registers (Exynos4210 User's Manual, "Real Time Clock" register
 * map): the tick timer needs none of them, so they are not modelled: an access is an
 * `unimplemented` event, reads 0 (device header, R6).
 */
export const EXYNOS4210_RTC_UNMODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'RTCALM', offset: 0x50 },
  { name: 'ALMSEC', offset: 0x54 },
  { name: 'ALMMIN', offset: 0x58 },
  { name: 'ALMHOUR', offset: 0x5c },
  { name: 'ALMDAY', offset: 0x60 },
  { name: 'ALMMON', offset: 0x64 },
  { name: 'ALMYEAR', offset: 0x68 },
  { name: 'BCDSEC', offset: 0x70 },
  { name: 'BCDMIN', offset: 0x74 },
  { name: 'BCDHOUR', offset: 0x78 },
  { name: 'BCDDAY', offset: 0x7c },
  { name: 'BCDDAYWEEK', offset: 0x80 },
  { name: 'BCDMON', offset: 0x84 },
  { name: 'BCDYEAR', offset: 0x88 },
]);
