/**
 * Register maps of the Allwinner watchdog, one per variant, keyed by the manuals' register
 * mnemonics. Behaviour lives in `AllwinnerWdt` (see its header for every decision).
 *
 * - `sun4i` (A10/A20/R40): the watchdog is part of the A10 timer block, so this map spans the
 *   block (1 KiB, at the block's base): WDOG_CTRL_REG and WDOG_MODE_REG at 0x90/0x94, and the
 *   watchdog's bit 8 of the block's shared TMR_IRQ_EN_REG and TMR_IRQ_STA_REG (0x00/0x04).
 *   The block's other registers are not in this map: the device reports accesses to them as
 *   `unimplemented` (they are `AllwinnerA10Pit`'s), and the holes between them are `unmapped`.
 * - `sun6i` (A31/H3/H5/A64): a self-contained 0x20-byte block (IRQ_EN, IRQ_STA, CTRL, CFG,
 *   MODE); 0x08, 0x0C and 0x1C are holes (`unmapped`).
 *
 * Every register takes 32-bit accesses only (an APB slave; Linux and U-Boot use readl/writel).
 * Reset values are all 0. Bits the manuals call reserved are `reserved`: they read 0 and ignore
 * writes without an event (Linux writes back what it read).
 */
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type RegisterOptions } from '../../src/bus';

/** The value WDOG_CTRL_REG's key field must hold for a write to take effect (bits 12:1). */
export const ALLWINNER_WDT_KEY = 0xa57;

const WORD: RegisterOptions = { sizes: [4] };

/** WDOG_CTRL_REG, the same in both variants: a write with the key and RSTART restarts the countdown; it stores nothing (reads 0). */
const CTRL_FIELDS = {
  /** Restart: a write of 1 (with the key) reloads the countdown from the interval; reads 0. */
  WDOG_RSTART: bit(0, 'wo'),
  /** Key field: a write takes effect only with ALLWINNER_WDT_KEY here; reads 0. */
  WDOG_KEY_FIELD: bits(1, 12, 'wo'),
  /** Reserved: reads 0, writes ignored. */
  RESERVED: bits(13, 19, 'reserved'),
} as const satisfies FieldSpecs;

/**
 * The sun4i watchdog's registers in the A10 timer block (A10 User Manual, "Timer Controller":
 * TMR_IRQ_EN_REG/TMR_IRQ_STA_REG bit 8, WDOG_CTRL_REG, WDOG_MODE_REG).
 */
const SUN4I = defineRegisterMap({
  /**
   * Timer IRQ enable register, shared with the six timers: only the watchdog's bit is modelled.
   * Bits 5:0 (the timers' enables) are left undeclared: they read 0 and a 1 written there is
   * reported as `unimplemented` (`TMR_IRQ_EN_REG[5:0]`).
   */
  TMR_IRQ_EN_REG: reg32(
    0x00,
    {
      /** Reserved: reads 0, writes ignored. */
      RESERVED0: bits(6, 2, 'reserved'),
      /** Watchdog interrupt enable: the interrupt output is WDOG_IRQ_PEND && WDOG_IRQ_EN. */
      WDOG_IRQ_EN: bit(8),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(9, 23, 'reserved'),
    },
    WORD,
  ),
  /**
   * Timer IRQ status register, shared with the six timers: only the watchdog's bit is modelled.
   * Bits 5:0 (the timers' pending bits) are left undeclared: they read 0 and a 1 written there
   * (a timer driver's acknowledge) is reported as `unimplemented` (`TMR_IRQ_STA_REG[5:0]`).
   */
  TMR_IRQ_STA_REG: reg32(
    0x04,
    {
      /** Reserved: reads 0, writes ignored. */
      RESERVED0: bits(6, 2, 'reserved'),
      /** Watchdog interrupt pending: set when the countdown reaches 0; write 1 to clear. */
      WDOG_IRQ_PEND: bit(8, 'w1c'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(9, 23, 'reserved'),
    },
    WORD,
  ),
  /** Watchdog control register (restart with the key). */
  WDOG_CTRL_REG: reg32(0x90, CTRL_FIELDS, WORD),
  /** Watchdog mode register. */
  WDOG_MODE_REG: reg32(
    0x94,
    {
      /** Watchdog enable: 0 -> 1 restarts the countdown, 1 -> 0 stops it. */
      WDOG_EN: bit(0),
      /** Reset enable: a timeout requests a system reset. */
      WDOG_RST_EN: bit(1),
      /** Reserved: reads 0, writes ignored. */
      RESERVED0: bits(2, 1, 'reserved'),
      /** Interval: 0-11 select 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16 s; 12-15 are reserved. */
      WDOG_INTV_VALUE: bits(3, 4),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(7, 25, 'reserved'),
    },
    WORD,
  ),
});

/** The sun6i watchdog's registers (A31/H3 User Manuals, "Watchdog": WDOGn_IRQ_EN_REG … WDOGn_MODE_REG). */
const SUN6I = defineRegisterMap({
  /** Watchdog IRQ enable register. */
  WDOG_IRQ_EN_REG: reg32(
    0x00,
    {
      /** Interrupt enable: the interrupt output is WDOG_IRQ_PEND && WDOG_IRQ_EN. */
      WDOG_IRQ_EN: bit(0),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    WORD,
  ),
  /** Watchdog IRQ status register. */
  WDOG_IRQ_STA_REG: reg32(
    0x04,
    {
      /** Interrupt pending: set when the countdown reaches 0; write 1 to clear. */
      WDOG_IRQ_PEND: bit(0, 'w1c'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    WORD,
  ),
  /** Watchdog control register (restart with the key). */
  WDOG_CTRL_REG: reg32(0x10, CTRL_FIELDS, WORD),
  /** Watchdog configuration register. */
  WDOG_CFG_REG: reg32(
    0x14,
    {
      /** What a timeout does besides setting WDOG_IRQ_PEND: 01 resets the whole system, 10 interrupts only; 00 and 11 reserved. */
      WDOG_CONFIG: bits(0, 2),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(2, 30, 'reserved'),
    },
    WORD,
  ),
  /** Watchdog mode register. */
  WDOG_MODE_REG: reg32(
    0x18,
    {
      /** Watchdog enable: 0 -> 1 restarts the countdown, 1 -> 0 stops it. */
      WDOG_EN: bit(0),
      /** Reserved: reads 0, writes ignored. */
      RESERVED0: bits(1, 3, 'reserved'),
      /** Interval: 0-11 select 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16 s; 12-15 are reserved. */
      WDOG_INTV_VALUE: bits(4, 4),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(8, 24, 'reserved'),
    },
    WORD,
  ),
});

/** The Allwinner watchdog's register maps by variant (see the module doc). */
export const ALLWINNER_WDT_REGISTERS = Object.freeze({
  /** A10/A20/R40: the watchdog's registers at their offsets in the A10 timer block. */
  sun4i: SUN4I,
  /** A31/H3/H5/A64: the self-contained watchdog block. */
  sun6i: SUN6I,
});
