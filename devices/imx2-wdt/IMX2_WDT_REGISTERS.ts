/**
 * Register map of the NXP i.MX2+ watchdog (WDOG) of the i.MX25/35/5x/6/7/8M parts (i.MX6
 * reference manuals, chapter "Watchdog Timer (WDOG)"), keyed by the manual's mnemonics.
 * Behaviour lives in `Imx2Wdt` (see its header for every decision).
 *
 * The registers are 16-bit and take 16-bit accesses only (device header, X10); the block's
 * region is 16 KiB, and offsets past WMCR hold no register. Write-once bits are plain fields
 * here: the device keeps them (X3). The low-power and debug controls (WDZST, WDBG, WDW) and
 * SRE are stored and read back but have no modelled effect (`unimplemented`).
 */
import { bit, bits, defineRegisterMap, reg16 } from '../../src/bus';

/** The two values that, written to WSR in this order, service the watchdog (reload its counter, X4). */
export const IMX2_WDT_SERVICE_KEYS = Object.freeze([0x5555, 0xaaaa] as const);

/** The i.MX2+ WDOG's registers. */
export const IMX2_WDT_REGISTERS = defineRegisterMap({
  /** WCR, control. Reset 0x0030 (WDA and SRS set). */
  WCR: reg16(
    0x00,
    {
      /** Suspend the counter in low-power modes (write-once, X3). No low-power mode is modelled. */
      WDZST: bit(0, 'unimplemented'),
      /** Suspend the counter in debug mode (write-once, X3). No debug halt is modelled. */
      WDBG: bit(1, 'unimplemented'),
      /** Enable: 0 -> 1 loads the counter with WT and starts it; can never be cleared (write-one-once, X3). */
      WDE: bit(2),
      /** Assert WDOG_B at a timeout (write-one-once, X3, X6). Linux calls it WRE. */
      WDT: bit(3),
      /** Software reset: writing 0 asserts the reset request (X7); always reads 1. */
      SRS: bit(4),
      /** WDOG_B software assertion: WDOG_B is asserted while this is 0 (X7). */
      WDA: bit(5),
      /** Software reset extension (i.MX6SX/7/8): how the SoC stretches the reset; no modelled effect. */
      SRE: bit(6, 'unimplemented'),
      /** Disable the counter in WAIT mode (write-once, X3). No WAIT mode is modelled. */
      WDW: bit(7, 'unimplemented'),
      /** Timeout: (WT + 1) half-seconds; loaded at the enable and at each service (X1, X2). */
      WT: bits(8, 8),
    },
    { reset: 0x0030 },
  ),
  /** WSR, service: 0x5555 then 0xAAAA reloads the counter (X4). Reads the last value written. */
  WSR: reg16(0x02),
  /** WRSR, reset status (read-only): why the last reset happened (X8). Reset (power-on): POR. */
  WRSR: reg16(
    0x04,
    {
      /** The last reset was this WDOG's software reset (SRS). */
      SFTW: bit(0),
      /** The last reset was this WDOG's timeout. */
      TOUT: bit(1),
      /** Reserved: reads 0. */
      RESERVED0: bits(2, 2, 'reserved'),
      /** The last reset was a power-on reset (or one this WDOG did not request, X8). */
      POR: bit(4),
      /** Reserved: reads 0. */
      RESERVED1: bits(5, 11, 'reserved'),
    },
    { access: 'ro', reset: 0x0010 },
  ),
  /** WICR, interrupt control (the pre-timeout interrupt, X5). Reset 0x0004: WICT = 2 s. */
  WICR: reg16(
    0x06,
    {
      /** Pre-timeout: the interrupt comes WICT half-seconds before the timeout (write-once, X3, X5). */
      WICT: bits(0, 8),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(8, 6, 'reserved'),
      /** Interrupt status: set at the pre-timeout point; write 1 to clear. */
      WTIS: bit(14, 'w1c'),
      /** Interrupt enable (write-once, X3). */
      WIE: bit(15),
    },
    { reset: 0x0004 },
  ),
  /** WMCR, miscellaneous control. Reset 0x0001: the power-down counter runs (X9). */
  WMCR: reg16(
    0x08,
    {
      /** Power-down counter enable: a write of 0 stops the counter for good; a 1 never sets it again. */
      PDE: bit(0, 'w0c'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(1, 15, 'reserved'),
    },
    { reset: 0x0001 },
  ),
});
