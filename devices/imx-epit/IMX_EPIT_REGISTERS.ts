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
  CR: reg32(0x00, {
    EN: bit(0),
    ENMOD: bit(1), // enable reloads the counter (1) or resumes it (0) (E3)
    OCIEN: bit(2),
    RLD: bit(3), // 1 set-and-forget (reload from LR), 0 free-running (roll over to 0xFFFFFFFF)
    PRESCALER: bits(4, 12), // divide by PRESCALER + 1
    SWR: bit(16), // software reset, self-clearing: always reads 0 (E6)
    IOVW: bit(17), // an LR write also loads the counter (E4)
    DBGEN: bit(18), // low-power / debug behaviour: stored, no effect (not modelled)
    WAITEN: bit(19),
    DOZEN: bit(20),
    STOPEN: bit(21),
    OM: bits(22, 2, 'unimplemented'), // output pin mode: no pin is modelled
    CLKSRC: bits(24, 2), // 0 off, 1 ipg_clk, 2 ipg_clk_highfreq, 3 ipg_clk_32k
    RESERVED: bits(26, 6, 'reserved'),
  }),
  SR: reg32(0x04, { OCIF: bit(0, 'w1c'), RESERVED: bits(1, 31, 'reserved') }),
  LR: reg32(0x08, {}, { reset: 0xffff_ffff }),
  CMPR: reg32(0x0c),
  // Read hook: the live counter; nothing is stored here.
  CNR: reg32(0x10, {}, { access: 'ro', reset: 0xffff_ffff }),
});
