/**
 * Register maps of the NXP i.MX General Purpose Timer (i.MX 6Dual/6Quad Applications Processor
 * Reference Manual, IMX6DQRM, chapter "General Purpose Timer (GPT)"; the i.MX 6Solo/6DualLite,
 * 6UltraLite and 7Dual manuals for the 24 MHz crystal path), keyed by manual mnemonic. Behaviour
 * lives in `ImxGpt` (see its header for every decision).
 *
 * Two layouts, one set of names (so one model drives both):
 * - {@link IMX_GPT_REGISTERS}: i.MX25/31/35/5x and i.MX6Dual/Quad (variants `'imx31'` and
 *   `'imx6'`): CR bits 14:10 and PR bits 31:12 are reserved;
 * - {@link IMX6DL_GPT_REGISTERS}: i.MX6DL/S, 6SL, 6SX, 6UL/ULL, 7 and 8M (variant `'imx6dl'`):
 *   CR.EN_24M (bit 10) enables the crystal input and PR.PRESCALER24M (bits 15:12) divides it.
 *
 * 32-bit accesses only (X10); offsets from 0x28 to the end of the 4 KiB region are unmapped (X11).
 */
import { bit, bits, defineRegisterMap, reg32, type FieldMode } from '../../src/bus';

/**
 * The map of one layout; `crystal` says whether CR.EN_24M and PR.PRESCALER24M exist (else
 * they are reserved: read 0, writes ignored).
 * @internal
 */
export const gptRegisterMap = (crystal: boolean) => {
  const ifCrystal: FieldMode = crystal ? 'rw' : 'reserved';
  return defineRegisterMap({
    /** Control register (GPTx_CR). */
    CR: reg32(0x00, {
      /** Enable: 1 counts; 0 freezes the counter (and its prescaler). */
      EN: bit(0),
      /** Enable mode: 1 resets the counter to 0 when EN goes 0 -> 1; 0 resumes the frozen value (X4). */
      ENMOD: bit(1),
      /** Debug mode enable: stored, no effect (no debug state here). */
      DBGEN: bit(2),
      /** Wait mode enable: stored, no effect (no low-power state here). */
      WAITEN: bit(3),
      /** Doze mode enable: stored, no effect. */
      DOZEEN: bit(4),
      /** Stop mode enable: stored, no effect. */
      STOPEN: bit(5),
      /** Clock source: which input runs the prescaler; the decoding is the variant's (X2). */
      CLKSRC: bits(6, 3),
      /** Free-run (1) or restart (0) mode: in restart mode the compare on channel 1 resets the counter to 0 (X1). */
      FRR: bit(9),
      /** Enable the 24 MHz crystal input (CLKSRC = 101); `'imx6dl'` layout only (X2). */
      EN_24M: bit(10, ifCrystal),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(11, 4, 'reserved'),
      /** Software reset, self-clearing: always reads 0 (X7). */
      SWR: bit(15),
      /** Input capture 1 mode: 00 off, 01 rising edge, 10 falling edge, 11 both (X9). */
      IM1: bits(16, 2),
      /** Input capture 2 mode, as IM1. */
      IM2: bits(18, 2),
      /** Output compare 1 pin mode: stored and reported, no pin is modelled. */
      OM1: bits(20, 3, 'unimplemented'),
      /** Output compare 2 pin mode: stored and reported, no pin is modelled. */
      OM2: bits(23, 3, 'unimplemented'),
      /** Output compare 3 pin mode: stored and reported, no pin is modelled. */
      OM3: bits(26, 3, 'unimplemented'),
      /** Force output compare 1: pin action only (OF1 is not set); reported, stores nothing, reads 0. */
      FO1: bit(29, 'unimplemented'),
      /** Force output compare 2: as FO1. */
      FO2: bit(30, 'unimplemented'),
      /** Force output compare 3: as FO1. */
      FO3: bit(31, 'unimplemented'),
    }),
    /** Prescaler register (GPTx_PR). */
    PR: reg32(0x04, {
      /** Divide the selected clock by PRESCALER + 1; a change starts a fresh counter cycle (X6). */
      PRESCALER: bits(0, 12),
      /** Divide the 24 MHz crystal by PRESCALER24M + 1 before PRESCALER; `'imx6dl'` layout only (X2). */
      PRESCALER24M: bits(12, 4, ifCrystal),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    }),
    /** Status register (GPTx_SR): each flag is cleared by writing 1 to it. */
    SR: reg32(0x08, {
      /** Output compare 1 flag: the counter left OCR1 (X1, X3). */
      OF1: bit(0, 'w1c'),
      /** Output compare 2 flag. */
      OF2: bit(1, 'w1c'),
      /** Output compare 3 flag. */
      OF3: bit(2, 'w1c'),
      /** Input capture 1 flag: ICR1 took the counter (X9). */
      IF1: bit(3, 'w1c'),
      /** Input capture 2 flag. */
      IF2: bit(4, 'w1c'),
      /** Rollover flag: the counter left 0xFFFFFFFF for 0, in either mode (X3). */
      ROV: bit(5, 'w1c'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(6, 26, 'reserved'),
    }),
    /** Interrupt register (GPTx_IR): the line is high while a flag and its enable are both set (X8). */
    IR: reg32(0x0c, {
      /** Output compare 1 interrupt enable. */
      OF1IE: bit(0),
      /** Output compare 2 interrupt enable. */
      OF2IE: bit(1),
      /** Output compare 3 interrupt enable. */
      OF3IE: bit(2),
      /** Input capture 1 interrupt enable. */
      IF1IE: bit(3),
      /** Input capture 2 interrupt enable. */
      IF2IE: bit(4),
      /** Rollover interrupt enable. */
      ROVIE: bit(5),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(6, 26, 'reserved'),
    }),
    /** Output compare register 1 (GPTx_OCR1): in restart mode any write resets the counter to 0 (X5). */
    OCR1: reg32(0x10, {}, { reset: 0xffff_ffff }),
    /** Output compare register 2 (GPTx_OCR2). */
    OCR2: reg32(0x14, {}, { reset: 0xffff_ffff }),
    /** Output compare register 3 (GPTx_OCR3). */
    OCR3: reg32(0x18, {}, { reset: 0xffff_ffff }),
    /** Input capture register 1 (GPTx_ICR1, read-only): the counter at the last capture on channel 1 (X9). */
    ICR1: reg32(0x1c, {}, { access: 'ro' }),
    /** Input capture register 2 (GPTx_ICR2, read-only). */
    ICR2: reg32(0x20, {}, { access: 'ro' }),
    /** Counter register (GPTx_CNT, read-only; read hook: the live counter; nothing is stored here). */
    CNT: reg32(0x24, {}, { access: 'ro' }),
  });
};

/** The GPT of the i.MX25/31/35/5x and i.MX6Dual/Quad (variants `'imx31'`, `'imx6'`): no 24 MHz crystal bits. */
export const IMX_GPT_REGISTERS = gptRegisterMap(false);
