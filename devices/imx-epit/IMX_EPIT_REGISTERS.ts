/**
 * Register map of the NXP i.MX EPIT (i.MX 6Dual/6Quad Applications Processor Reference
 * Manual, IMX6DQRM, chapter "Enhanced Periodic Interrupt Timer (EPIT)"), keyed by manual
 * mnemonic. Behaviour lives in `ImxEpit` (see its header for every decision).
 *
 * 32-bit accesses only (E9); offsets past CNR are unmapped (E10).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** The EPIT's registers. */
export const IMX_EPIT_REGISTERS = defineRegisterMap({
  /** Control register (EPITx_CR). */
  CR: reg32(0x00, {
    /** Enable: 1 runs the counter. */
    EN: bit(0),
    /** Enable mode: enable reloads the counter (1) or resumes it (0) (E3). */
    ENMOD: bit(1),
    /** Output compare interrupt enable: the interrupt is OCIF && OCIEN (E7). */
    OCIEN: bit(2),
    /** Counter reload: 1 set-and-forget (reload from LR), 0 free-running (roll over to 0xFFFFFFFF). */
    RLD: bit(3),
    /** Prescaler: divide by PRESCALER + 1. */
    PRESCALER: bits(4, 12),
    /** Software reset, self-clearing: always reads 0 (E6). */
    SWR: bit(16),
    /** Immediate overwrite: an LR write also loads the counter (E4). */
    IOVW: bit(17),
    /** Debug mode enable: low-power / debug behaviour, stored, no effect (not modelled). */
    DBGEN: bit(18),
    /** Wait mode enable: stored, no effect (not modelled). */
    WAITEN: bit(19),
    /** Doze mode enable: stored, no effect (not modelled). */
    DOZEN: bit(20),
    /** Stop mode enable: stored, no effect (not modelled). */
    STOPEN: bit(21),
    /** Output pin mode: stored and reported, no pin is modelled. */
    OM: bits(22, 2, 'unimplemented'),
    /** Clock source: 0 off, 1 ipg_clk, 2 ipg_clk_highfreq, 3 ipg_clk_32k. */
    CLKSRC: bits(24, 2),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(26, 6, 'reserved'),
  }),
  /** Status register (EPITx_SR). */
  SR: reg32(0x04, {
    /** Output compare interrupt flag: set when the counter steps to CMPR (E2); write 1 to clear. */
    OCIF: bit(0, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 31, 'reserved'),
  }),
  /** Load register (EPITx_LR): the reload value in set-and-forget mode; a write loads the counter only with IOVW (E4). */
  LR: reg32(0x08, {}, { reset: 0xffff_ffff }),
  /** Compare register (EPITx_CMPR): OCIF is set when the counter steps to this value. */
  CMPR: reg32(0x0c),
  /** Counter register (EPITx_CNR, read-only; read hook: the live counter; nothing is stored here). */
  CNR: reg32(0x10, {}, { access: 'ro', reset: 0xffff_ffff }),
});
