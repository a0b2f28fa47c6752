/**
 * Register map of the TI Stellaris (Luminary Micro) LM3S watchdog, the `'luminary'`
 * variant of `CmsdkApbWatchdog` (LM3S6965 datasheet, "Watchdog Timer" chapter). It keeps
 * the CMSDK map's names for the registers both have (the datasheet's WDTLOAD … WDTLOCK are
 * WDOGLOAD … WDOGLOCK here, so one model drives both maps) and differs in three ways:
 * - WDOGTEST (the datasheet's WDTTEST) at 0x418;
 * - no integration test registers: 0xF00 and 0xF04 are unmapped;
 * - the Luminary peripheral and PrimeCell ID values.
 * The CMSDK map is unchanged. Behaviour lives in `CmsdkApbWatchdog` ("Variants").
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';
import { WATCHDOG_COUNTER_REGISTERS, WATCHDOG_LOCK_REGISTER } from './CMSDK_APB_WATCHDOG_REGISTERS';

const id = (offset: number, reset: number) => reg32(offset, {}, { access: 'ro', reset });

/** The Luminary watchdog's registers (4 KiB region). */
export const LUMINARY_WATCHDOG_REGISTERS = defineRegisterMap({
  ...WATCHDOG_COUNTER_REGISTERS,
  /** Test register (the datasheet's WDTTEST): stored and read back; its one field has no modelled effect. */
  WDOGTEST: reg32(0x418, {
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bits(0, 8, 'reserved'),
    /** Stall: stop counting while a debugger halts the core. Stored; the stall itself is not modelled (an `unimplemented` event when set). */
    STALL: bit(8, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(9, 23, 'reserved'),
  }),
  ...WATCHDOG_LOCK_REGISTER,
  // Peripheral ID 0x000 0x18 0x18 0x01 ... (Luminary's values), PrimeCell ID 0xB105F00D.
  /** Peripheral ID 4 (read-only, 0x00). */
  PID4: id(0xfd0, 0x00),
  /** Peripheral ID 5 (read-only, 0x00). */
  PID5: id(0xfd4, 0x00),
  /** Peripheral ID 6 (read-only, 0x00). */
  PID6: id(0xfd8, 0x00),
  /** Peripheral ID 7 (read-only, 0x00). */
  PID7: id(0xfdc, 0x00),
  /** Peripheral ID 0 (read-only, 0x05). */
  PID0: id(0xfe0, 0x05),
  /** Peripheral ID 1 (read-only, 0x18). */
  PID1: id(0xfe4, 0x18),
  /** Peripheral ID 2 (read-only, 0x18). */
  PID2: id(0xfe8, 0x18),
  /** Peripheral ID 3 (read-only, 0x01). */
  PID3: id(0xfec, 0x01),
  /** Component ID 0 (read-only, 0x0D); the four component IDs read 0xB105F00D. */
  CID0: id(0xff0, 0x0d),
  /** Component ID 1 (read-only, 0xF0). */
  CID1: id(0xff4, 0xf0),
  /** Component ID 2 (read-only, 0x05). */
  CID2: id(0xff8, 0x05),
  /** Component ID 3 (read-only, 0xB1). */
  CID3: id(0xffc, 0xb1),
});
