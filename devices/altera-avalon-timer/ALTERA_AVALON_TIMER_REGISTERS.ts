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
  // TO is set by the counter running out and cleared by any write here (B2); RUN mirrors the counter (RO).
  STATUS: reg32(0x00, { TO: bit(0, 'ro'), RUN: bit(1, 'ro'), RESERVED: bits(2, 30, 'reserved') }, WORD_OR_HALF),
  // START and STOP are write-only strobes that read 0 (B4); ITO and CONT are stored.
  CONTROL: reg32(
    0x04,
    { ITO: bit(0), CONT: bit(1), START: bit(2, 'wo'), STOP: bit(3, 'wo'), RESERVED: bits(4, 28, 'reserved') },
    WORD_OR_HALF,
  ),
  // The timeout period minus one, low and high halves; a write stops and loads the counter (B3).
  // Reset: all ones unless the device is given another initial period (B7).
  PERIODL: reg32(0x08, { PERIOD: bits(0, 16), RESERVED: bits(16, 16, 'reserved') }, { ...WORD_OR_HALF, reset: 0xffff }),
  PERIODH: reg32(0x0c, { PERIOD: bits(0, 16), RESERVED: bits(16, 16, 'reserved') }, { ...WORD_OR_HALF, reset: 0xffff }),
  // Counter snapshot: a write (data ignored) to either half latches the counter into both (B5).
  SNAPL: reg32(0x10, { SNAP: bits(0, 16, 'ro'), RESERVED: bits(16, 16, 'reserved') }, WORD_OR_HALF),
  SNAPH: reg32(0x14, { SNAP: bits(0, 16, 'ro'), RESERVED: bits(16, 16, 'reserved') }, WORD_OR_HALF),
});
