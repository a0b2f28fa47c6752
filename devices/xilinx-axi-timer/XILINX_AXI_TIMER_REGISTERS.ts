/**
 * Register map of the Xilinx LogiCORE IP AXI Timer (PG079, "AXI Timer v2.0 Product Guide";
 * the same register set as the XPS Timer/Counter, DS573, and the AXI Timer v1.x, DS764).
 * Keyed by the product guide's mnemonics; the device's behaviour is in XilinxAxiTimer.ts.
 *
 * Two timer/counters, 0x10 apart, each a control/status register (TCSRn), a load register
 * (TLRn) and the counter (TCRn, read-only). Every register resets to 0. The words at 0x0C and
 * 0x1C are reserved (no register: guest errors).
 */
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs } from '../../src/bus';

/**
 * TCSR0. Bits 10:0 are the same in TCSR1, named with the timer's number (MDT1, T1INT, …);
 * CASC exists in TCSR0 only.
 */
const TCSR0_FIELDS = {
  MDT0: bit(0), // 0 = generate mode, 1 = capture mode
  UDT0: bit(1), // 0 = count up, 1 = count down
  GENT0: bit(2, 'unimplemented'), // GenerateOut pin enable: the pin is not modelled
  CAPT0: bit(3), // CaptureTrig input enable (see XilinxAxiTimer.capture)
  ARHT0: bit(4), // generate: 1 = reload TLR at the rollover, 0 = hold; capture: 1 = overwrite, 0 = keep
  LOAD0: bit(5), // 1 = TCR held at TLR (counting resumes once it is cleared)
  ENIT0: bit(6), // interrupt enable (masks the output only, never T0INT)
  ENT0: bit(7), // 1 = the counter runs
  T0INT: bit(8, 'w1c'), // rollover (generate) or capture happened; write 1 to clear
  PWMA0: bit(9, 'unimplemented'), // PWM mode: not modelled
  ENALL: bit(10), // enable all: mirrored in both TCSRs
  CASC: bit(11, 'unimplemented'), // cascade (one 64-bit counter): not modelled
  RES: bits(12, 20, 'reserved'),
} as const satisfies FieldSpecs;

/** TCSR1: as TCSR0 without CASC; bits 31:11 reserved. */
const TCSR1_FIELDS = {
  MDT1: bit(0),
  UDT1: bit(1),
  GENT1: bit(2, 'unimplemented'),
  CAPT1: bit(3),
  ARHT1: bit(4),
  LOAD1: bit(5),
  ENIT1: bit(6),
  ENT1: bit(7),
  T1INT: bit(8, 'w1c'),
  PWMA1: bit(9, 'unimplemented'),
  ENALL: bit(10),
  RES: bits(11, 21, 'reserved'),
} as const satisfies FieldSpecs;

/**
 * The AXI Timer's registers. Stored values the guest does not see directly: TCRn is computed
 * from the counter at each read (its stored value stays 0).
 */
export const XILINX_AXI_TIMER_REGISTERS = defineRegisterMap({
  TCSR0: reg32(0x00, TCSR0_FIELDS),
  TLR0: reg32(0x04),
  TCR0: reg32(0x08, {}, { access: 'ro' }),
  TCSR1: reg32(0x10, TCSR1_FIELDS),
  TLR1: reg32(0x14),
  TCR1: reg32(0x18, {}, { access: 'ro' }),
});
