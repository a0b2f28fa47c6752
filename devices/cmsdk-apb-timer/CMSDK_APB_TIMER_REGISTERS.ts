/**
 * Register map of the ARM CMSDK APB timer (Arm Cortex-M System Design Kit TRM,
 * ARM DDI 0479, "APB timer"), keyed by TRM mnemonic. Behaviour lives in
 * `CmsdkApbTimer` (see its header for every decision).
 *
 * All registers are 32-bit and take 32-bit accesses only (device header, A7). Bits the
 * TRM leaves out of a register (CTRL[31:4], INTSTATUS[31:1]) are `reserved`: they read
 * 0 and ignore writes without an event, as the hardware does.
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** The APB timer's registers (4 KiB region). */
export const CMSDK_APB_TIMER_REGISTERS = defineRegisterMap({
  /** Control register. SELEXTEN / SELEXTCLK select the EXTIN input, which is not modelled (A6). */
  CTRL: reg32(0x000, {
    /** Enable: 1 runs the counter on PCLK; 0 freezes VALUE (A11). */
    EN: bit(0),
    /** Select EXTIN as the counter enable: stored and reported, not modelled (A6). */
    SELEXTEN: bit(1, 'unimplemented'),
    /** Select EXTIN as the counter's clock: stored and reported, not modelled (A6). */
    SELEXTCLK: bit(2, 'unimplemented'),
    /** Interrupt enable: lets the 1 -> 0 step set INTSTATUS (A2). */
    IRQEN: bit(3),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(4, 28, 'reserved'),
  }),
  /** Current counter value (read hook: the timer's count). A write loads the counter; nothing is stored here. */
  VALUE: reg32(0x004),
  /** Reload value; a write also loads the counter (A3). */
  RELOAD: reg32(0x008),
  /** INTSTATUS on read, INTCLEAR on write: bit 0 is the interrupt, write 1 to clear (A5). */
  INTSTATUS: reg32(0x00c, {
    /** The timer interrupt (TIMERINT): set by the 1 -> 0 step while IRQEN is 1; write 1 to clear. */
    IRQ: bit(0, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 31, 'reserved'),
  }),
  // Peripheral and component ID: part 0x822, designer ARM (JEP106 0x3B), revision 1, CID 0xB105F00D.
  /** Peripheral ID 4 (read-only, 0x04). */
  PID4: reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
  /** Peripheral ID 5 (read-only, 0x00). */
  PID5: reg32(0xfd4, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 6 (read-only, 0x00). */
  PID6: reg32(0xfd8, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 7 (read-only, 0x00). */
  PID7: reg32(0xfdc, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 0 (read-only, 0x22): part number 0x822, bits 7:0. */
  PID0: reg32(0xfe0, {}, { access: 'ro', reset: 0x22 }),
  /** Peripheral ID 1 (read-only, 0xB8): part number bits 11:8, designer (JEP106 0x3B) bits 3:0. */
  PID1: reg32(0xfe4, {}, { access: 'ro', reset: 0xb8 }),
  /** Peripheral ID 2 (read-only, 0x1B): revision 1, JEDEC ID used, designer bits 6:4. */
  PID2: reg32(0xfe8, {}, { access: 'ro', reset: 0x1b }),
  /** Peripheral ID 3 (read-only, 0x00): the ECOREVNUM input in bits 7:4, tied to 0 here. */
  PID3: reg32(0xfec, {}, { access: 'ro', reset: 0x00 }),
  /** Component ID 0 (read-only, 0x0D); the four component IDs read 0xB105F00D. */
  CID0: reg32(0xff0, {}, { access: 'ro', reset: 0x0d }),
  /** Component ID 1 (read-only, 0xF0). */
  CID1: reg32(0xff4, {}, { access: 'ro', reset: 0xf0 }),
  /** Component ID 2 (read-only, 0x05). */
  CID2: reg32(0xff8, {}, { access: 'ro', reset: 0x05 }),
  /** Component ID 3 (read-only, 0xB1). */
  CID3: reg32(0xffc, {}, { access: 'ro', reset: 0xb1 }),
});
