/**
 * Register map of the Intel (Altera) Avalon-MM interval timer core, 32-bit counter,
 * full-featured configuration (Embedded Peripherals IP User Guide, UG-01085, "Interval Timer
 * Core", register map), keyed by the guide's register names. Behaviour lives in
 * `AlteraAvalonTimer` (see its header for every decision).
 *
 * The core has six 16-bit registers in 32-bit word slots (native address alignment: the
 * control register is at byte offset 0x4). Bits 31:16 of each slot, and the bits the guide
 * leaves out of status and control, are `reserved`: they read 0 and ignore writes silently.
 * Every register takes 32-bit and 16-bit accesses (decision B8 in the device header).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

const WORD_OR_HALF = { sizes: [2, 4] } as const;

/** The interval timer's registers (a 0x18-byte region). */
export const ALTERA_AVALON_TIMER_REGISTERS = defineRegisterMap({
  /** Status register (status): the timeout flag and whether the counter runs; any write clears TO (B2). */
  STATUS: reg32(
    0x00,
    {
      /** Timeout: set by the counter running out, cleared by any write to status (B2). */
      TO: bit(0, 'ro'),
      /** Run: set by START, cleared by STOP, a period write or a one-shot timeout (read-only; 0 Hz on clk leaves it set, B10). */
      RUN: bit(1, 'ro'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(2, 30, 'reserved'),
    },
    WORD_OR_HALF,
  ),
  /** Control register (control): interrupt enable, continuous mode and the start/stop strobes (B4). */
  CONTROL: reg32(
    0x04,
    {
      /** Interrupt on timeout: the `irq` output is TO && ITO (stored). */
      ITO: bit(0),
      /** Continuous: 1 reloads and keeps counting after each timeout, 0 stops after one (stored). */
      CONT: bit(1),
      /** Write 1: start the counter (a write-only strobe that reads 0, B4). */
      START: bit(2, 'wo'),
      /** Write 1: stop the counter (a write-only strobe that reads 0; wins over START, B4). */
      STOP: bit(3, 'wo'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(4, 28, 'reserved'),
    },
    WORD_OR_HALF,
  ),
  /**
   * Low half of the timeout period minus one (periodl); a write stops and loads the counter (B3).
   * Reset: all ones unless the device is given another initial period (B7).
   */
  PERIODL: reg32(
    0x08,
    {
      /** Bits 15:0 of the timeout period minus one. */
      PERIOD: bits(0, 16),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    },
    { ...WORD_OR_HALF, reset: 0xffff },
  ),
  /**
   * High half of the timeout period minus one (periodh); a write stops and loads the counter (B3).
   * Reset: all ones unless the device is given another initial period (B7).
   */
  PERIODH: reg32(
    0x0c,
    {
      /** Bits 31:16 of the timeout period minus one. */
      PERIOD: bits(0, 16),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    },
    { ...WORD_OR_HALF, reset: 0xffff },
  ),
  /** Counter snapshot, low half (snapl): a write (data ignored) to either half latches the counter into both (B5). */
  SNAPL: reg32(
    0x10,
    {
      /** Bits 15:0 of the latched counter (read-only; 0 before any latch). */
      SNAP: bits(0, 16, 'ro'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    },
    WORD_OR_HALF,
  ),
  /** Counter snapshot, high half (snaph): a write (data ignored) to either half latches the counter into both (B5). */
  SNAPH: reg32(
    0x14,
    {
      /** Bits 31:16 of the latched counter (read-only; 0 before any latch). */
      SNAP: bits(0, 16, 'ro'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    },
    WORD_OR_HALF,
  ),
});
