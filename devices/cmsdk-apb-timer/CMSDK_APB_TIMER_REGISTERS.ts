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
  // EN runs the counter on PCLK; IRQEN lets the 1 -> 0 step set INTSTATUS (A2).
  // SELEXTEN / SELEXTCLK select the EXTIN input, which is not modelled (A6).
  CTRL: reg32(0x000, {
    EN: bit(0),
    SELEXTEN: bit(1, 'unimplemented'),
    SELEXTCLK: bit(2, 'unimplemented'),
    IRQEN: bit(3),
    RESERVED: bits(4, 28, 'reserved'),
  }),
  // The counter (read hook: the timer's count). A write loads the counter; nothing is stored here.
  VALUE: reg32(0x004),
  // Reload value; a write also loads the counter (A3).
  RELOAD: reg32(0x008),
  // INTSTATUS on read, INTCLEAR on write: bit 0 is the interrupt, write 1 to clear (A5).
  INTSTATUS: reg32(0x00c, { IRQ: bit(0, 'w1c'), RESERVED: bits(1, 31, 'reserved') }),
  // Peripheral and component ID: part 0x822, designer ARM (JEP106 0x3B), revision 1, CID 0xB105F00D.
  // PID3 carries the ECOREVNUM input in bits [7:4]; it is tied to 0 here.
  PID4: reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
  PID5: reg32(0xfd4, {}, { access: 'ro', reset: 0x00 }),
  PID6: reg32(0xfd8, {}, { access: 'ro', reset: 0x00 }),
  PID7: reg32(0xfdc, {}, { access: 'ro', reset: 0x00 }),
  PID0: reg32(0xfe0, {}, { access: 'ro', reset: 0x22 }),
  PID1: reg32(0xfe4, {}, { access: 'ro', reset: 0xb8 }),
  PID2: reg32(0xfe8, {}, { access: 'ro', reset: 0x1b }),
  PID3: reg32(0xfec, {}, { access: 'ro', reset: 0x00 }),
  CID0: reg32(0xff0, {}, { access: 'ro', reset: 0x0d }),
  CID1: reg32(0xff4, {}, { access: 'ro', reset: 0xf0 }),
  CID2: reg32(0xff8, {}, { access: 'ro', reset: 0x05 }),
  CID3: reg32(0xffc, {}, { access: 'ro', reset: 0xb1 }),
});
