import { bit, bits, defineRegisterMap, reg32, type RegisterOptions, type RegisterSpec } from '../../src/bus';

/** Access sizes of every register: the block is a 32-bit APB slave (Linux and U-Boot use readl/writel only). */
const WORD: RegisterOptions['sizes'] = [4];

/**
 * The three registers of timer n at `base` = 0x10 + 0x10·n. The manual prefixes every field
 * with the timer (`TMR0_EN`, `TMR0_RELOAD`, …); the map names them once, without the prefix,
 * so all six timers share one field layout.
 */
const timer = (base: number) =>
  ({
    CTRL: reg32(
      base,
      {
        EN: bit(0), // 0 stop/pause, 1 start
        RELOAD: bit(1), // write 1: load the interval into the counter; self-clearing (reads 0)
        CLK_SRC: bits(2, 2), // 00 LOSC, 01 OSC24M, 1x not modelled
        CLK_PRES: bits(4, 3), // divide by 2^n: /1 … /128
        MODE: bit(7), // 0 continuous, 1 single (stops and clears EN at 0)
        RESERVED: bits(8, 24, 'reserved'),
      },
      { reset: 0x4, sizes: WORD }, // source OSC24M, stopped
    ),
    INTV_VALUE: reg32(base + 0x4, {}, { sizes: WORD }),
    // A read hook returns the running counter; a write loads it (see the device header).
    CUR_VALUE: reg32(base + 0x8, {}, { sizes: WORD }),
  }) satisfies Record<string, RegisterSpec>;

const t0 = timer(0x10);
const t1 = timer(0x20);
const t2 = timer(0x30);
const t3 = timer(0x40);
const t4 = timer(0x50);
const t5 = timer(0x60);

/** A register the model stores and reads back but does not act on: each non-zero write is reported. */
const notModelled = (offset: number, field: string, reset = 0) =>
  reg32(offset, { [field]: bits(0, 32, 'unimplemented') }, { reset, sizes: WORD });

/**
 * The Allwinner A10 timer block (A10 User Manual, "Timer Controller"), keyed by the
 * manual's register mnemonics. Offsets the map leaves out (0x08, 0x0C, each timer's
 * +0xC, 0x70–0x7C, 0x98–0x9C, 0xAC–0xFF and everything from 0x140 on) are
 * reserved: accesses there are `unmapped` guest errors. 0x100–0x13F (RTC, alarm,
 * general-purpose data, CPU config) is handled by the device as not modelled.
 *
 * Reset values are the manual's: every TMRn_CTRL 0x4 (OSC24M, ÷1, continuous,
 * stopped), AVS_CNT_DIV 0x05DB05DB, everything else 0.
 */
export const ALLWINNER_A10_PIT_REGISTERS = defineRegisterMap({
  TMR_IRQ_EN_REG: reg32(
    0x00,
    {
      TMR0_IRQ_EN: bit(0),
      TMR1_IRQ_EN: bit(1),
      TMR2_IRQ_EN: bit(2),
      TMR3_IRQ_EN: bit(3),
      TMR4_IRQ_EN: bit(4),
      TMR5_IRQ_EN: bit(5),
      // Bits 31:6 are left undeclared: a 1 written there is reported as unimplemented.
    },
    { sizes: WORD },
  ),
  TMR_IRQ_STA_REG: reg32(
    0x04,
    {
      TMR0_IRQ_PEND: bit(0, 'w1c'),
      TMR1_IRQ_PEND: bit(1, 'w1c'),
      TMR2_IRQ_PEND: bit(2, 'w1c'),
      TMR3_IRQ_PEND: bit(3, 'w1c'),
      TMR4_IRQ_PEND: bit(4, 'w1c'),
      TMR5_IRQ_PEND: bit(5, 'w1c'),
      // Nothing is ever pending here, so writing 1s to clear "everything" is silent.
      RESERVED: bits(6, 26, 'reserved'),
    },
    { sizes: WORD },
  ),
  TMR0_CTRL_REG: t0.CTRL,
  TMR0_INTV_VALUE_REG: t0.INTV_VALUE,
  TMR0_CUR_VALUE_REG: t0.CUR_VALUE,
  TMR1_CTRL_REG: t1.CTRL,
  TMR1_INTV_VALUE_REG: t1.INTV_VALUE,
  TMR1_CUR_VALUE_REG: t1.CUR_VALUE,
  TMR2_CTRL_REG: t2.CTRL,
  TMR2_INTV_VALUE_REG: t2.INTV_VALUE,
  TMR2_CUR_VALUE_REG: t2.CUR_VALUE,
  TMR3_CTRL_REG: t3.CTRL,
  TMR3_INTV_VALUE_REG: t3.INTV_VALUE,
  TMR3_CUR_VALUE_REG: t3.CUR_VALUE,
  TMR4_CTRL_REG: t4.CTRL,
  TMR4_INTV_VALUE_REG: t4.INTV_VALUE,
  TMR4_CUR_VALUE_REG: t4.CUR_VALUE,
  TMR5_CTRL_REG: t5.CTRL,
  TMR5_INTV_VALUE_REG: t5.INTV_VALUE,
  TMR5_CUR_VALUE_REG: t5.CUR_VALUE,
  // Audio/video sync counters: not modelled (stored, frozen, writes reported).
  AVS_CNT_CTL_REG: notModelled(0x80, 'AVS_CNT_CTL'),
  AVS_CNT0_REG: notModelled(0x84, 'AVS_CNT0'),
  AVS_CNT1_REG: notModelled(0x88, 'AVS_CNT1'),
  AVS_CNT_DIV_REG: notModelled(0x8c, 'AVS_CNT_DIV', 0x05db_05db),
  // Watchdog: not modelled (stored, never expires, writes reported).
  WDOG_CTRL_REG: notModelled(0x90, 'WDOG_CTRL'),
  WDOG_MODE_REG: notModelled(0x94, 'WDOG_MODE'),
  // 64-bit free-running counter at OSC24M.
  CNT64_CTRL_REG: reg32(
    0xa0,
    {
      CNT64_CLR_EN: bit(0), // write 1: clear the counter; self-clearing
      CNT64_RL_EN: bit(1), // write 1: latch the counter into LO/HI; self-clearing
      CNT64_CLK_SRC_SEL: bit(2, 'unimplemented'), // 1 = PLL6/6: not modelled, OSC24M keeps counting
      RESERVED: bits(3, 29, 'reserved'),
    },
    { sizes: WORD },
  ),
  CNT64_LO_REG: reg32(0xa4, {}, { sizes: WORD }), // the latched low word
  CNT64_HI_REG: reg32(0xa8, {}, { sizes: WORD }), // the latched high word
});
