import { bit, bits, defineChannels, defineRegisterMap, reg16, reg32, reg8 } from '../../src/bus';

/** TCR bits every channel has: the clock selection, the external clock edge, the underflow interrupt enable. */
const TCR_COMMON = {
  /** Timer prescaler: 0-4 Pφ/4, /16, /64, /256, /1024; 5 reserved; 6 the on-chip RTC output clock; 7 the external clock TCLK (X4). */
  TPSC: bits(0, 3),
  /** Clock edge of TCLK: 00 rising, 01 falling, 1x both (two counts per TCLK cycle, X4). */
  CKEG: bits(3, 2),
  /** Underflow interrupt enable: TUNIn is UNF & UNIE (X5). */
  UNIE: bit(5),
} as const;

/** TCR0 and TCR1: bits 7:6 and 15:9 reserved. */
const TCR01 = reg16(0x10, {
  ...TCR_COMMON,
  /** Reserved (channel 2's ICPE): reads 0, writes ignored. */
  RESERVED_7_6: bits(6, 2, 'reserved'),
  /** Underflow flag: set by each underflow, cleared by writing 0; writing 1 keeps it (X5). */
  UNF: bit(8, 'w0c'),
  /** Reserved: reads 0, writes ignored. */
  RESERVED: bits(9, 7, 'reserved'),
});

/** TCR2: channel 2 adds the input capture control and flag (not modelled, X12). */
const TCR2 = reg16(0x10, {
  ...TCR_COMMON,
  /** Input capture control: stored and read back; a non-zero write is reported as `unimplemented` (X12). */
  ICPE: bits(6, 2, 'unimplemented'),
  /** Underflow flag: set by each underflow, cleared by writing 0; writing 1 keeps it (X5). */
  UNF: bit(8, 'w0c'),
  /** Input capture flag: never set (no capture is modelled); writing 0 clears, 1 keeps (X12). */
  ICPF: bit(9, 'w0c'),
  /** Reserved: reads 0, writes ignored. */
  RESERVED: bits(10, 6, 'reserved'),
});

/**
 * The SuperH TMU's registers (SH7750/SH7750R/SH7751 hardware manuals, chapter "Timer Unit
 * (TMU)"; the reference's §19), keyed by the manual's mnemonics, offsets from the block's base.
 * On the SH7750 the block is at P4 0xFFD80000 and, the same registers again, at area-7
 * 0x1FD80000: one map at one base here; a system maps it where its guest looks (X10).
 *
 * Each register takes its own width only (the manual's access sizes, X8): TOCR and TSTR 8-bit,
 * TCRn 16-bit, TCORn, TCNTn and TCPR2 32-bit. The three channels are one channel bank named as
 * the manual numbers them (TCOR0 … TCR2; `SH_TMU_REGISTERS.channel('CH', n)` gives channel n's
 * names by role), 0x0C apart from 0x08. Offsets the map leaves out (0x01-0x03, 0x05-0x07, the
 * two bytes after each TCRn, everything from 0x30) hold nothing. Reset values are the manual's:
 * TCORn and TCNTn 0xFFFFFFFF, everything else 0 (TCPR2 is undefined at reset: 0 here).
 */
export const SH_TMU_REGISTERS = defineRegisterMap({
  /** Timer output control register. */
  TOCR: reg8(0x00, {
    /** TCLK pin: 0 the external clock (and capture) input, 1 the RTC output clock's output; stored, not acted on (X11). */
    TCOE: bit(0, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 7, 'reserved'),
  }),
  /** Timer start register: STRn = 1 counts channel n, 0 holds its TCNT (X3). */
  TSTR: reg8(0x04, {
    /** Channel 0 counts. */
    STR0: bit(0),
    /** Channel 1 counts. */
    STR1: bit(1),
    /** Channel 2 counts. */
    STR2: bit(2),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(3, 5, 'reserved'),
  }),
  /** TCORn (constant: loaded into TCNTn at each underflow), TCNTn (the counter), TCRn (control) of channels 0 … 2. */
  CH: defineChannels(
    {
      /** Timer constant register: TCNT takes it at each underflow; a write takes effect there (X1, X2). */
      TCOR: reg32(0x08, {}, { reset: 0xffff_ffff }),
      /** Timer counter (read hook: the counter); a write loads the counter at once (X2). */
      TCNT: reg32(0x0c, {}, { reset: 0xffff_ffff }),
      /** Timer control register. */
      TCR: [TCR01, TCR01, TCR2],
    },
    3,
    0x0c,
  ),
  /** Input capture register of channel 2: read-only; no capture is modelled, so it keeps 0 (X12). */
  TCPR2: reg32(0x2c, {}, { access: 'ro' }),
});
