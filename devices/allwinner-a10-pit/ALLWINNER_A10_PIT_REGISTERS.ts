import { bit, bits, defineChannels, defineRegisterMap, reg32, type RegisterOptions } from '../../src/bus';

/** Access sizes of every register: the block is a 32-bit APB slave (Linux and U-Boot use readl/writel only). */
const WORD: RegisterOptions['sizes'] = [4];

/** A register the model stores and reads back but does not act on: each non-zero write is reported. */
const notModelled = (offset: number, field: string, reset = 0) =>
  reg32(offset, { [field]: bits(0, 32, 'unimplemented') }, { reset, sizes: WORD });

/**
 * The Allwinner A10 timer block (A10 User Manual, "Timer Controller"), keyed by the
 * manual's register mnemonics. The six timers' registers are one channel bank named as the
 * manual numbers them (TMR0_CTRL_REG … TMR5_CUR_VALUE_REG);
 * `ALLWINNER_A10_PIT_REGISTERS.channel('TMR', n)` gives timer n's register names by role. Offsets the map leaves out (0x08, 0x0C, each timer's
 * +0xC, 0x70–0x7C, 0x98–0x9C, 0xAC–0xFF and everything from 0x140 on) are
 * reserved: accesses there are `unmapped` guest errors. 0x100–0x13F (RTC, alarm,
 * general-purpose data, CPU config) is handled by the device as not modelled.
 *
 * Reset values are the manual's: every TMRn_CTRL 0x4 (OSC24M, ÷1, continuous,
 * stopped), AVS_CNT_DIV 0x05DB05DB, everything else 0.
 */
export const ALLWINNER_A10_PIT_REGISTERS = defineRegisterMap({
  /** Timer IRQ enable register: bit n lets timer n's pending bit drive its interrupt output. */
  TMR_IRQ_EN_REG: reg32(
    0x00,
    {
      /** Timer 0 interrupt enable (the line is TMR0_IRQ_PEND && TMR0_IRQ_EN). */
      TMR0_IRQ_EN: bit(0),
      /** Timer 1 interrupt enable (the line is TMR1_IRQ_PEND && TMR1_IRQ_EN). */
      TMR1_IRQ_EN: bit(1),
      /** Timer 2 interrupt enable (the line is TMR2_IRQ_PEND && TMR2_IRQ_EN). */
      TMR2_IRQ_EN: bit(2),
      /** Timer 3 interrupt enable (the line is TMR3_IRQ_PEND && TMR3_IRQ_EN). */
      TMR3_IRQ_EN: bit(3),
      /** Timer 4 interrupt enable (the line is TMR4_IRQ_PEND && TMR4_IRQ_EN). */
      TMR4_IRQ_EN: bit(4),
      /** Timer 5 interrupt enable (the line is TMR5_IRQ_PEND && TMR5_IRQ_EN). */
      TMR5_IRQ_EN: bit(5),
      // Bits 31:6 are left undeclared: a 1 written there is reported as unimplemented.
    },
    { sizes: WORD },
  ),
  /** Timer IRQ status register: bit n is pending once timer n has counted down to 0; write 1 to clear. */
  TMR_IRQ_STA_REG: reg32(
    0x04,
    {
      /** Timer 0 interrupt pending: set when timer 0 reaches 0 (whatever TMR0_IRQ_EN says); write 1 to clear. */
      TMR0_IRQ_PEND: bit(0, 'w1c'),
      /** Timer 1 interrupt pending: set when timer 1 reaches 0 (whatever TMR1_IRQ_EN says); write 1 to clear. */
      TMR1_IRQ_PEND: bit(1, 'w1c'),
      /** Timer 2 interrupt pending: set when timer 2 reaches 0 (whatever TMR2_IRQ_EN says); write 1 to clear. */
      TMR2_IRQ_PEND: bit(2, 'w1c'),
      /** Timer 3 interrupt pending: set when timer 3 reaches 0 (whatever TMR3_IRQ_EN says); write 1 to clear. */
      TMR3_IRQ_PEND: bit(3, 'w1c'),
      /** Timer 4 interrupt pending: set when timer 4 reaches 0 (whatever TMR4_IRQ_EN says); write 1 to clear. */
      TMR4_IRQ_PEND: bit(4, 'w1c'),
      /** Timer 5 interrupt pending: set when timer 5 reaches 0 (whatever TMR5_IRQ_EN says); write 1 to clear. */
      TMR5_IRQ_PEND: bit(5, 'w1c'),
      /** Reserved: nothing is ever pending here, so writing 1s to clear "everything" is silent. */
      RESERVED: bits(6, 26, 'reserved'),
    },
    { sizes: WORD },
  ),
  /**
   * TMRn_CTRL_REG, TMRn_INTV_VALUE_REG and TMRn_CUR_VALUE_REG of timers 0 … 5, at
   * 0x10 + 0x10·n. The manual prefixes every field with the timer (`TMR0_EN`,
   * `TMR0_RELOAD`, …); the map names them once, without the prefix, so all six
   * timers share one field layout.
   */
  TMR: defineChannels(
    {
      /** Control: enable, reload, clock source, prescaler and mode. */
      CTRL: reg32(
        0x10,
        {
          /** Timer enable: 0 stop/pause, 1 start. */
          EN: bit(0),
          /** Write 1: load the interval into the counter; self-clearing (reads 0). */
          RELOAD: bit(1),
          /** Clock source: 00 LOSC, 01 OSC24M, 1x not modelled (the counter holds). */
          CLK_SRC: bits(2, 2),
          /** Prescaler: divide by 2^n, /1 … /128. */
          CLK_PRES: bits(4, 3),
          /** 0 continuous, 1 single (stops and clears EN at 0). */
          MODE: bit(7),
          /** Reserved: reads 0, writes ignored. */
          RESERVED: bits(8, 24, 'reserved'),
        },
        { reset: 0x4, sizes: WORD }, // source OSC24M, stopped
      ),
      /** Interval value: loaded by RELOAD, a start from 0 and each continuous reload; a write alone leaves the count. */
      INTV_VALUE: reg32(0x14, {}, { sizes: WORD }),
      /** Current value (read: the running counter; write: loads the counter). */
      CUR_VALUE: reg32(0x18, {}, { sizes: WORD }),
    },
    6,
    0x10,
    { name: 'TMR{n}_{reg}_REG' },
  ),
  /** AVS counter control: not modelled (stored and read back, each non-zero write reported). */
  AVS_CNT_CTL_REG: notModelled(0x80, 'AVS_CNT_CTL'),
  /** AVS counter 0: not modelled (stored, never counts, each non-zero write reported). */
  AVS_CNT0_REG: notModelled(0x84, 'AVS_CNT0'),
  /** AVS counter 1: not modelled (stored, never counts, each non-zero write reported). */
  AVS_CNT1_REG: notModelled(0x88, 'AVS_CNT1'),
  /** AVS counter divisor (reset 0x05DB05DB): not modelled (stored, each non-zero write reported). */
  AVS_CNT_DIV_REG: notModelled(0x8c, 'AVS_CNT_DIV', 0x05db_05db),
  /** Watchdog control: not modelled (stored, the watchdog never expires, each non-zero write reported). */
  WDOG_CTRL_REG: notModelled(0x90, 'WDOG_CTRL'),
  /** Watchdog mode: not modelled (stored, the watchdog never expires, each non-zero write reported). */
  WDOG_MODE_REG: notModelled(0x94, 'WDOG_MODE'),
  /** Control of the 64-bit free-running counter, which counts OSC24M ticks from reset. */
  CNT64_CTRL_REG: reg32(
    0xa0,
    {
      /** Write 1: clear the counter; self-clearing. */
      CNT64_CLR_EN: bit(0),
      /** Write 1: latch the counter into CNT64_LO_REG/CNT64_HI_REG; self-clearing. */
      CNT64_RL_EN: bit(1),
      /** Clock source select, 1 = PLL6/6: stored and reported, not modelled (OSC24M keeps counting). */
      CNT64_CLK_SRC_SEL: bit(2, 'unimplemented'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(3, 29, 'reserved'),
    },
    { sizes: WORD },
  ),
  /** The latched low word of the 64-bit counter (set by CNT64_RL_EN; a write only changes the latch). */
  CNT64_LO_REG: reg32(0xa4, {}, { sizes: WORD }),
  /** The latched high word of the 64-bit counter (set by CNT64_RL_EN; a write only changes the latch). */
  CNT64_HI_REG: reg32(0xa8, {}, { sizes: WORD }),
});
