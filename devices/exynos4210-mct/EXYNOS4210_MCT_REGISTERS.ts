/**
 * Register map of the Samsung Exynos4210 Multi Core Timer (MCT), keyed by the mnemonics Linux's
 * `exynos_mct.c`, Samsung's TizenRT `s5jt200_mct.h` and QEMU's `exynos4210.mct` share (the
 * Exynos4210 user manual's chapter "Multi Core Timer" was not read), offsets from the block's base
 * (0x1005_0000 on the Exynos4210). Behaviour lives in `Exynos4210Mct` (see its header for every
 * decision).
 *
 * The block: MCT_CFG (the prescaler and divider shared by every counter), the global 64-bit
 * free-running counter (G_CNT_L/U) with four 64-bit comparators (one channel bank, G_COMPn_L,
 * G_COMPn_U, G_COMPn_ADD_INCR) and its control, status, enable and write-status registers, then
 * two local timers at 0x300 and 0x400 (one channel bank, `L0_TCNTB` … `L1_WSTAT`). Everything
 * resets to 0; every register takes 32-bit accesses only (X13). The device tree gives the block a
 * 2 KiB window: 0x500-0x7FF hold the third and fourth local timers on the Exynos4412 only, here
 * no register (X13).
 */
import { bit, bits, defineChannels, defineRegisterMap, reg32 } from '../../src/bus';

/** One comparator's registers (n = 0-3, 0x10 apart from 0x200). */
const COMPARATOR = {
  /** G_COMPn_L: bits 31:0 of comparator n; a write sets G_WSTAT.COMPn_L (X11). */
  L: reg32(0x200),
  /** G_COMPn_U: bits 63:32 of comparator n; a write sets G_WSTAT.COMPn_U (X11). */
  U: reg32(0x204),
  /** G_COMPn_ADD_INCR: what an auto-incrementing comparator adds at each of its matches (X2). */
  ADD_INCR: reg32(0x208),
};

/** One local timer's registers (L0 at 0x300, L1 at 0x400). */
const LOCAL_TIMER = {
  /** Ln_TCNTB: the tick counter's buffer; a tick lasts TCNTB + 1 cycles (X5, X6). */
  TCNTB: reg32(0x300),
  /** Ln_TCNTO (read-only, read hook: the tick counter now; nothing is stored). */
  TCNTO: reg32(0x304, {}, { access: 'ro' }),
  /** Ln_ICNTB: the interrupt counter's buffer and its manual-update command (X7). */
  ICNTB: reg32(0x308, {
    /** Interrupt count: an interrupt every ICNTB + 1 ticks (X5). */
    ICNTB: bits(0, 31),
    /** 1: load ICNT with the value written at once (X7); a command: stores nothing, reads 0. */
    MANUAL_UPDATE: bit(31, 'wo'),
  }),
  /** Ln_ICNTO (read-only, read hook: the interrupt counter now; nothing is stored). */
  ICNTO: reg32(
    0x30c,
    {
      /** The interrupt counter. */
      ICNTO: bits(0, 31),
      /** Reserved: reads 0. */
      RESERVED: bit(31, 'reserved'),
    },
    { access: 'ro' },
  ),
  /** Ln_FRCNTB: the local free-running counter's buffer (X9). */
  FRCNTB: reg32(0x310),
  /** Ln_FRCNTO (read-only, read hook: the local free-running counter now; nothing is stored). */
  FRCNTO: reg32(0x314, {}, { access: 'ro' }),
  /** Ln_TCON: the local timer's start bits and mode (X8); a write sets Ln_WSTAT.TCON. */
  TCON: reg32(0x320, {
    /** 1: the tick counter counts (0 -> 1 loads it from TCNTB). */
    TIMER_START: bit(0),
    /** 1: the interrupt counter counts the ticks. */
    INT_START: bit(1),
    /** 1: interval mode (ICNT reloads ICNTB at its interrupt); 0: one-shot (ICNT stops at 0). */
    INTERVAL_MODE: bit(2),
    /** 1: the local free-running counter counts (0 -> 1 loads it from FRCNTB). */
    FRC_START: bit(3),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(4, 28, 'reserved'),
  }),
  /** Ln_INT_CSTAT: the local timer's interrupt status; write 1 to clear (X10). */
  INT_CSTAT: reg32(0x330, {
    /** The interrupt counter expired. */
    ICNT: bit(0, 'w1c'),
    /** The local free-running counter expired. */
    FRC: bit(1, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 30, 'reserved'),
  }),
  /** Ln_INT_ENB: which of INT_CSTAT's bits drive the local timer's line (X10). */
  INT_ENB: reg32(0x334, {
    /** Interrupt counter expiry enable. */
    ICNTEIE: bit(0),
    /** Free-running counter expiry enable. */
    FRCEIE: bit(1),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 30, 'reserved'),
  }),
  /** Ln_WSTAT: set by a write to the register named, cleared by writing 1 (X11). */
  WSTAT: reg32(0x340, {
    /** Ln_TCNTB was written. */
    TCNTB: bit(0, 'w1c'),
    /** Ln_ICNTB was written. */
    ICNTB: bit(1, 'w1c'),
    /** Ln_FRCNTB was written. */
    FRCNTB: bit(2, 'w1c'),
    /** Ln_TCON was written. */
    TCON: bit(3, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(4, 28, 'reserved'),
  }),
};

/** The MCT's registers (see the module doc). */
export const EXYNOS4210_MCT_REGISTERS = defineRegisterMap({
  /** MCT_CFG: the counters' rate is fin / (PRESCALER + 1) / 2^DIVIDER (X12). */
  MCT_CFG: reg32(0x000, {
    /** Prescaler: divides fin by PRESCALER + 1. */
    PRESCALER: bits(0, 8),
    /** Divider: a further division by 2^DIVIDER (the manual defines 0-4, ÷1 to ÷16; X12). */
    DIVIDER: bits(8, 3),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(11, 21, 'reserved'),
  }),
  /** G_CNT_L (read hook: bits 31:0 of the global counter; a write sets them, X3; nothing is stored). */
  G_CNT_L: reg32(0x100),
  /** G_CNT_U (read hook: bits 63:32 of the global counter; a write sets them, X3; nothing is stored). */
  G_CNT_U: reg32(0x104),
  /** G_CNT_WSTAT: set by a write to G_CNT_L/U, cleared by writing 1 (X11). */
  G_CNT_WSTAT: reg32(0x110, {
    /** G_CNT_L was written. */
    CNT_L: bit(0, 'w1c'),
    /** G_CNT_U was written. */
    CNT_U: bit(1, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 30, 'reserved'),
  }),
  /** G_COMP0_L … G_COMP3_ADD_INCR: the four comparators (`map.channel('G_COMP', n)`). */
  G_COMP: defineChannels(COMPARATOR, 4, 0x10, { name: 'G_COMP{n}_{reg}' }),
  /** G_TCON: the global counter's enable and each comparator's enable and auto-increment; a write sets G_WSTAT.TCON. */
  G_TCON: reg32(0x240, {
    /** Comparator 0 takes part in matches (X1). */
    COMP0_ENABLE: bit(0),
    /** Comparator 0 adds G_COMP0_ADD_INCR at each match (X2). */
    COMP0_AUTO_INC: bit(1),
    /** Comparator 1 enable. */
    COMP1_ENABLE: bit(2),
    /** Comparator 1 auto-increment. */
    COMP1_AUTO_INC: bit(3),
    /** Comparator 2 enable. */
    COMP2_ENABLE: bit(4),
    /** Comparator 2 auto-increment. */
    COMP2_AUTO_INC: bit(5),
    /** Comparator 3 enable. */
    COMP3_ENABLE: bit(6),
    /** Comparator 3 auto-increment. */
    COMP3_AUTO_INC: bit(7),
    /** 1: the global counter counts (X3). */
    TIMER_ENABLE: bit(8),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(9, 23, 'reserved'),
  }),
  /** G_INT_CSTAT: bit n, comparator n matched; write 1 to clear (X10). */
  G_INT_CSTAT: reg32(0x244, {
    /** Comparator 0 matched. */
    COMP0: bit(0, 'w1c'),
    /** Comparator 1 matched. */
    COMP1: bit(1, 'w1c'),
    /** Comparator 2 matched. */
    COMP2: bit(2, 'w1c'),
    /** Comparator 3 matched. */
    COMP3: bit(3, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(4, 28, 'reserved'),
  }),
  /** G_INT_ENB: bit n drives line gn from G_INT_CSTAT bit n (X10). */
  G_INT_ENB: reg32(0x248, {
    /** Comparator 0's interrupt enable. */
    COMP0: bit(0),
    /** Comparator 1's interrupt enable. */
    COMP1: bit(1),
    /** Comparator 2's interrupt enable. */
    COMP2: bit(2),
    /** Comparator 3's interrupt enable. */
    COMP3: bit(3),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(4, 28, 'reserved'),
  }),
  /** G_WSTAT: set by a write to the register named, cleared by writing 1 (X11). */
  G_WSTAT: reg32(0x24c, {
    /** G_COMP0_L was written. */
    COMP0_L: bit(0, 'w1c'),
    /** G_COMP0_U was written. */
    COMP0_U: bit(1, 'w1c'),
    /** G_COMP0_ADD_INCR was written. */
    COMP0_ADD_INCR: bit(2, 'w1c'),
    /** Reserved. */
    RESERVED3: bit(3, 'reserved'),
    /** G_COMP1_L was written. */
    COMP1_L: bit(4, 'w1c'),
    /** G_COMP1_U was written. */
    COMP1_U: bit(5, 'w1c'),
    /** G_COMP1_ADD_INCR was written. */
    COMP1_ADD_INCR: bit(6, 'w1c'),
    /** Reserved. */
    RESERVED7: bit(7, 'reserved'),
    /** G_COMP2_L was written. */
    COMP2_L: bit(8, 'w1c'),
    /** G_COMP2_U was written. */
    COMP2_U: bit(9, 'w1c'),
    /** G_COMP2_ADD_INCR was written. */
    COMP2_ADD_INCR: bit(10, 'w1c'),
    /** Reserved. */
    RESERVED11: bit(11, 'reserved'),
    /** G_COMP3_L was written. */
    COMP3_L: bit(12, 'w1c'),
    /** G_COMP3_U was written. */
    COMP3_U: bit(13, 'w1c'),
    /** G_COMP3_ADD_INCR was written. */
    COMP3_ADD_INCR: bit(14, 'w1c'),
    /** Reserved. */
    RESERVED15: bit(15, 'reserved'),
    /** G_TCON was written. */
    TCON: bit(16, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(17, 15, 'reserved'),
  }),
  /** Local timers 0 (0x300) and 1 (0x400): `L0_TCNTB` … `L1_WSTAT` (`map.channel('L', i)`). */
  L: defineChannels(LOCAL_TIMER, 2, 0x100, { name: 'L{n}_{reg}' }),
});
