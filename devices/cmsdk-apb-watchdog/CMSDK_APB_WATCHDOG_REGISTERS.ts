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

/**
 * The counter's registers, WDOGLOAD to WDOGMIS (0x000-0x014): the same in both variants
 * (the Luminary datasheet names them WDTLOAD, WDTVALUE, WDTCTL, WDTICR, WDTRIS, WDTMIS).
 */
export const WATCHDOG_COUNTER_REGISTERS = {
  /** Reload value; a write also restarts the count from it. */
  WDOGLOAD: reg32(0x000, {}, { reset: 0xffff_ffff }),
  /** Current counter value (read-only; read hook: the timer's count). The stored value is never used. */
  WDOGVALUE: reg32(0x004, {}, { access: 'ro', reset: 0xffff_ffff }),
  /** Control register. */
  WDOGCONTROL: reg32(0x008, {
    /** Interrupt and counter enable: a 0 -> 1 change reloads and starts the counter, 1 -> 0 stops it (A5). */
    INTEN: bit(0),
    /** Reset enable: the WDOGRES mask (WDOGRES = reset request && RESEN, A2). */
    RESEN: bit(1),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 30, 'reserved'),
  }),
  /** Interrupt clear (write-only): any write clears the interrupt and reloads the counter. */
  WDOGINTCLR: reg32(0x00c, {}, { access: 'wo' }),
  /** Raw interrupt status (read-only). */
  WDOGRIS: reg32(
    0x010,
    {
      /** Raw interrupt: set at the first expiry, cleared by WDOGINTCLR. */
      RAWINT: bit(0),
      /** Reserved: reads 0. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    { access: 'ro' },
  ),
  /** Masked interrupt status (read-only; read hook: WDOGRIS.RAWINT && WDOGCONTROL.INTEN). */
  WDOGMIS: reg32(
    0x014,
    {
      /** Masked interrupt: WDOGRIS.RAWINT && WDOGCONTROL.INTEN. */
      INT: bit(0),
      /** Reserved: reads 0. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    { access: 'ro' },
  ),
} as const;

/** WDOGLOCK (0xC00), the same in both variants (the Luminary datasheet's WDTLOCK). */
export const WATCHDOG_LOCK_REGISTER = {
  /** Lock register. Writes: WDOG_UNLOCK_KEY unlocks, anything else locks. Stores (and reads) only the status: 1 = locked. */
  WDOGLOCK: reg32(0xc00),
} as const;

/** The CMSDK watchdog's registers (4 KiB region). */
export const CMSDK_APB_WATCHDOG_REGISTERS = defineRegisterMap({
  ...WATCHDOG_COUNTER_REGISTERS,
  ...WATCHDOG_LOCK_REGISTER,
  /** Integration test control register. */
  WDOGITCR: reg32(0xf00, {
    /** Integration test mode: while set, WDOGINT and WDOGRES come from WDOGITOP. */
    ENABLE: bit(0),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 31, 'reserved'),
  }),
  /** Integration test output set register (write-only): drives the outputs while WDOGITCR.ENABLE is set. */
  WDOGITOP: reg32(
    0xf04,
    {
      /** The level of WDOGRES in integration test mode. */
      WDOGRES: bit(0),
      /** The level of WDOGINT in integration test mode. */
      WDOGINT: bit(1),
      /** Reserved: writes ignored. */
      RESERVED: bits(2, 30, 'reserved'),
    },
    { access: 'wo' },
  ),
  // Peripheral and component ID (AMBA part 0x824, designer 0x3B (ARM), revision 1; CID 0xB105F00D).
  /** Peripheral ID 4 (read-only, 0x04). */
  PID4: reg32(0xfd0, {}, { access: 'ro', reset: 0x04 }),
  /** Peripheral ID 5 (read-only, 0x00). */
  PID5: reg32(0xfd4, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 6 (read-only, 0x00). */
  PID6: reg32(0xfd8, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 7 (read-only, 0x00). */
  PID7: reg32(0xfdc, {}, { access: 'ro', reset: 0x00 }),
  /** Peripheral ID 0 (read-only, 0x24): part number 0x824, bits 7:0. */
  PID0: reg32(0xfe0, {}, { access: 'ro', reset: 0x24 }),
  /** Peripheral ID 1 (read-only, 0xB8): part number bits 11:8, designer (0x3B) bits 3:0. */
  PID1: reg32(0xfe4, {}, { access: 'ro', reset: 0xb8 }),
  /** Peripheral ID 2 (read-only, 0x1B): revision 1, JEDEC ID used, designer bits 6:4. */
  PID2: reg32(0xfe8, {}, { access: 'ro', reset: 0x1b }),
  /** Peripheral ID 3 (read-only, 0x00): ECO revision 0. */
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
