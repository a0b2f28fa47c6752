/**
 * Register map of the Xilinx LogiCORE IP AXI Timer (PG079, "AXI Timer v2.0 Product Guide";
 * the same register set as the XPS Timer/Counter, DS573, and the AXI Timer v1.x, DS764).
 * Keyed by the product guide's mnemonics; the device's behaviour is in XilinxAxiTimer.ts.
 *
 * Two timer/counters, 0x10 apart, each a control/status register (TCSRn), a load register
 * (TLRn) and the counter (TCRn, read-only). Every register resets to 0. The words at 0x0C and
 * 0x1C are reserved (no register: guest errors).
 */
import { bit, bits, defineChannels, defineRegisterMap, reg32, type FieldSpecs } from '../../src/bus';

/**
 * TCSR0. Bits 10:0 are the same in TCSR1, named with the timer's number (MDT1, T1INT, …);
 * CASC exists in TCSR0 only.
 */
const TCSR0_FIELDS = {
  /** Mode: 0 = generate mode, 1 = capture mode. */
  MDT0: bit(0),
  /** Up/down: 0 = count up, 1 = count down. */
  UDT0: bit(1),
  /** GenerateOut pin enable: stored and reported, the pin is not modelled. */
  GENT0: bit(2, 'unimplemented'),
  /** CaptureTrig input enable (see XilinxAxiTimer.capture). */
  CAPT0: bit(3),
  /** Auto reload/hold. Generate: 1 = reload TLR at the rollover, 0 = hold; capture: 1 = overwrite, 0 = keep. */
  ARHT0: bit(4),
  /** Load: 1 = TCR held at TLR (counting resumes once it is cleared). */
  LOAD0: bit(5),
  /** Interrupt enable (masks the output only, never T0INT). */
  ENIT0: bit(6),
  /** Enable: 1 = the counter runs. */
  ENT0: bit(7),
  /** Interrupt flag: rollover (generate) or capture happened; write 1 to clear. */
  T0INT: bit(8, 'w1c'),
  /** PWM mode: stored and reported, not modelled. */
  PWMA0: bit(9, 'unimplemented'),
  /** Enable all: mirrored in both TCSRs; writing 1 also sets ENT0 and ENT1. */
  ENALL: bit(10),
  /** Cascade (one 64-bit counter): stored and reported, not modelled. */
  CASC: bit(11, 'unimplemented'),
  /** Reserved: reads 0, writes ignored. */
  RES: bits(12, 20, 'reserved'),
} as const satisfies FieldSpecs;

/** TCSR1: as TCSR0 without CASC; bits 31:11 reserved. */
const TCSR1_FIELDS = {
  /** Mode: 0 = generate mode, 1 = capture mode. */
  MDT1: bit(0),
  /** Up/down: 0 = count up, 1 = count down. */
  UDT1: bit(1),
  /** GenerateOut pin enable: stored and reported, the pin is not modelled. */
  GENT1: bit(2, 'unimplemented'),
  /** CaptureTrig input enable (see XilinxAxiTimer.capture). */
  CAPT1: bit(3),
  /** Auto reload/hold. Generate: 1 = reload TLR at the rollover, 0 = hold; capture: 1 = overwrite, 0 = keep. */
  ARHT1: bit(4),
  /** Load: 1 = TCR held at TLR (counting resumes once it is cleared). */
  LOAD1: bit(5),
  /** Interrupt enable (masks the output only, never T1INT). */
  ENIT1: bit(6),
  /** Enable: 1 = the counter runs. */
  ENT1: bit(7),
  /** Interrupt flag: rollover (generate) or capture happened; write 1 to clear. */
  T1INT: bit(8, 'w1c'),
  /** PWM mode: stored and reported, not modelled. */
  PWMA1: bit(9, 'unimplemented'),
  /** Enable all: mirrored in both TCSRs; writing 1 also sets ENT0 and ENT1. */
  ENALL: bit(10),
  /** Reserved: reads 0, writes ignored. */
  RES: bits(11, 21, 'reserved'),
} as const satisfies FieldSpecs;

/**
 * The AXI Timer's registers. The two timer/counters are one channel bank (timer 0 at 0x00,
 * timer 1 at 0x10) named as PG079 numbers them: TCSR0, TLR0, TCR0, TCSR1, TLR1, TCR1;
 * `XILINX_AXI_TIMER_REGISTERS.channel('TIMER', i)` gives timer i's register names by role.
 * TCSRn is given per timer: its field names carry the timer's number and only TCSR0 has
 * CASC. Stored values the guest does not see directly: TCRn is computed from the counter at
 * each read (its stored value stays 0).
 */
export const XILINX_AXI_TIMER_REGISTERS = defineRegisterMap({
  /** TCSRn, TLRn and TCRn of timer 0 (0x00) and timer 1 (0x10). */
  TIMER: defineChannels(
    {
      /** Control/status register (TCSR0's fields, TCSR1's fields). */
      TCSR: [reg32(0x00, TCSR0_FIELDS), reg32(0x00, TCSR1_FIELDS)],
      /** Load register: the reload value in generate mode, the captured value in capture mode. */
      TLR: reg32(0x04),
      /** Counter register (read-only; read hook: the live count, counting up or down as UDTn says). */
      TCR: reg32(0x08, {}, { access: 'ro' }),
    },
    2,
    0x10,
  ),
});
