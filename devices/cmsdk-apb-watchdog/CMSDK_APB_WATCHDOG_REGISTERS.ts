/**
 * Register map of the ARM CMSDK APB watchdog (ARM DDI 0479, "APB watchdog"; the
 * programmer's model is the SP805's, ARM DDI 0270), keyed by TRM mnemonic.
 * Behaviour lives in `CmsdkApbWatchdog` (see its header for every decision).
 *
 * All registers are 32-bit and take 32-bit accesses only (see the device header, A7).
 * Bits the TRM calls reserved are `reserved`: they read 0 and ignore writes without
 * an event (Zephyr's disable path writes `~(INTEN | RESEN)` to WDOGCONTROL).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** The value that, written to WDOGLOCK, enables writes to every other register. */
export const WDOG_UNLOCK_KEY = 0x1acce551;

/** The watchdog's registers (4 KiB region). */
export const CMSDK_APB_WATCHDOG_REGISTERS = defineRegisterMap({
  // Reload value; a write also restarts the count from it.
  WDOGLOAD: reg32(0x000, {}, { reset: 0xffff_ffff }),
  // The counter (read hook: the timer's count). The stored value is never used.
  WDOGVALUE: reg32(0x004, {}, { access: 'ro', reset: 0xffff_ffff }),
  // INTEN: interrupt and counter enable (a 0 -> 1 change reloads); RESEN: WDOGRES mask.
  WDOGCONTROL: reg32(0x008, { INTEN: bit(0), RESEN: bit(1), RESERVED: bits(2, 30, 'reserved') }),
  // Any write clears the interrupt and reloads the counter.
  WDOGINTCLR: reg32(0x00c, {}, { access: 'wo' }),
  // Raw interrupt: set at the first expiry, cleared by WDOGINTCLR.
  WDOGRIS: reg32(0x010, { RAWINT: bit(0), RESERVED: bits(1, 31, 'reserved') }, { access: 'ro' }),
  // Masked interrupt: WDOGRIS.RAWINT && WDOGCONTROL.INTEN (read hook).
  WDOGMIS: reg32(0x014, { INT: bit(0), RESERVED: bits(1, 31, 'reserved') }, { access: 'ro' }),
  // Writes: WDOG_UNLOCK_KEY unlocks, anything else locks. Stores (and reads) only the status: 1 = locked.
  WDOGLOCK: reg32(0xc00),
  // Integration test mode: WDOGINT and WDOGRES come from WDOGITOP.
  WDOGITCR: reg32(0xf00, { ENABLE: bit(0), RESERVED: bits(1, 31, 'reserved') }),
  WDOGITOP: reg32(0xf04, { WDOGRES: bit(0), WDOGINT: bit(1), RESERVED: bits(2, 30, 'reserved') }, { access: 'wo' }),
  // Peripheral and component ID (AMBA part 0x824, designer 0x3B (ARM), revision 1; CID 0xB105F00D).
  PID4: reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
  PID5: reg32(0xfd4, {}, { access: 'ro', reset: 0x00 }),
  PID6: reg32(0xfd8, {}, { access: 'ro', reset: 0x00 }),
  PID7: reg32(0xfdc, {}, { access: 'ro', reset: 0x00 }),
  PID0: reg32(0xfe0, {}, { access: 'ro', reset: 0x24 }),
  PID1: reg32(0xfe4, {}, { access: 'ro', reset: 0xb8 }),
  PID2: reg32(0xfe8, {}, { access: 'ro', reset: 0x1b }),
  PID3: reg32(0xfec, {}, { access: 'ro', reset: 0x00 }),
  CID0: reg32(0xff0, {}, { access: 'ro', reset: 0x0d }),
  CID1: reg32(0xff4, {}, { access: 'ro', reset: 0xf0 }),
  CID2: reg32(0xff8, {}, { access: 'ro', reset: 0x05 }),
  CID3: reg32(0xffc, {}, { access: 'ro', reset: 0xb1 }),
});
