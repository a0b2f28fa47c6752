import { bit, bits, defineChannels, defineRegisterMap, reg32 } from '../../src/bus';

/**
 * Register map of the Samsung Exynos4210 PWM timers (Exynos4210 User's Manual, "Pulse Width
 * Modulation Timer"; the S3C/S5P "PWM timer" block Linux's samsung_pwm_timer.c drives with its
 * 32-bit `s5p` variant), keyed by the manual's mnemonics, offsets from the block's base
 * (0x139D0000 on the SoC). Behaviour lives in `Exynos4210Pwm` (see its header for every
 * decision).
 *
 * All registers are 32-bit and take 32-bit accesses only (device header, P9). Timers 0-3 each
 * have TCNTBn, TCMPBn and TCNTOn, 12 bytes apart from 0x0C; timer 4 has no compare register
 * (TCNTB4 at 0x3C, TCNTO4 at 0x40). `EXYNOS4210_PWM_REGISTERS.channel('T', n)` gives timer n's
 * names (n ≤ 3) by role.
 */
export const EXYNOS4210_PWM_REGISTERS = defineRegisterMap({
  /** Timer configuration 0: the two prescalers and the dead-zone length. Reset 0x0000_0101. */
  TCFG0: reg32(
    0x00,
    {
      /** Prescaler 0 (timers 0 and 1): their clock is PCLK / (PRESCALER0 + 1) before the divider. */
      PRESCALER0: bits(0, 8),
      /** Prescaler 1 (timers 2, 3 and 4). */
      PRESCALER1: bits(8, 8),
      /** Dead-zone length of the timer 0/1 output pair: stored, the outputs are not modelled. */
      DEAD_ZONE_LENGTH: bits(16, 8, 'unimplemented'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(24, 8, 'reserved'),
    },
    { reset: 0x0000_0101 },
  ),
  /** Timer configuration 1: each timer's divider mux (÷1, ÷2, ÷4, ÷8, ÷16; 5 selects SCLK_PWM, P5). */
  TCFG1: reg32(0x04, {
    /** Timer 0's divider: 0 ÷1, 1 ÷2, 2 ÷4, 3 ÷8, 4 ÷16, 5 SCLK_PWM, 6-15 reserved. */
    DIV_MUX0: bits(0, 4),
    /** Timer 1's divider. */
    DIV_MUX1: bits(4, 4),
    /** Timer 2's divider. */
    DIV_MUX2: bits(8, 4),
    /** Timer 3's divider. */
    DIV_MUX3: bits(12, 4),
    /** Timer 4's divider. */
    DIV_MUX4: bits(16, 4),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(20, 12, 'reserved'),
  }),
  /** Timer control: start, manual update, output inverter and auto-reload per timer (timer 4: no inverter, auto-reload at bit 22). */
  TCON: reg32(0x08, {
    /** Timer 0 start: 1 counts, 0 holds the count (P2). */
    START0: bit(0),
    /** Timer 0 manual update: while 1 the count is TCNTB0 and does not move (P3). */
    MANUAL_UPDATE0: bit(1),
    /** Timer 0 output inverter: stored, the TOUT0 pin is not modelled. */
    INVERTER0: bit(2, 'unimplemented'),
    /** Timer 0 auto-reload: 1 reloads TCNTB0 after 0, 0 stops at 0 (P1). */
    AUTO_RELOAD0: bit(3),
    /** Dead-zone generator of the timer 0/1 outputs: stored, the outputs are not modelled. */
    DEAD_ZONE: bit(4, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED5: bits(5, 3, 'reserved'),
    /** Timer 1 start. */
    START1: bit(8),
    /** Timer 1 manual update. */
    MANUAL_UPDATE1: bit(9),
    /** Timer 1 output inverter: stored, not modelled. */
    INVERTER1: bit(10, 'unimplemented'),
    /** Timer 1 auto-reload. */
    AUTO_RELOAD1: bit(11),
    /** Timer 2 start. */
    START2: bit(12),
    /** Timer 2 manual update. */
    MANUAL_UPDATE2: bit(13),
    /** Timer 2 output inverter: stored, not modelled. */
    INVERTER2: bit(14, 'unimplemented'),
    /** Timer 2 auto-reload. */
    AUTO_RELOAD2: bit(15),
    /** Timer 3 start. */
    START3: bit(16),
    /** Timer 3 manual update. */
    MANUAL_UPDATE3: bit(17),
    /** Timer 3 output inverter: stored, not modelled. */
    INVERTER3: bit(18, 'unimplemented'),
    /** Timer 3 auto-reload. */
    AUTO_RELOAD3: bit(19),
    /** Timer 4 start. */
    START4: bit(20),
    /** Timer 4 manual update. */
    MANUAL_UPDATE4: bit(21),
    /** Timer 4 auto-reload (timer 4 has no output, so no inverter: this is bit 22). */
    AUTO_RELOAD4: bit(22),
    /** Reserved: reads 0, writes ignored. */
    RESERVED23: bits(23, 9, 'reserved'),
  }),
  /** Timers 0-3: count buffer (the reload value), compare buffer (stored only: no output) and count observation (read hook). */
  T: defineChannels(
    {
      /** Count buffer: loaded into the count by a manual update, and at each auto-reload (P1, P3). */
      TCNTB: reg32(0x0c),
      /** Compare buffer: stored; it shapes the TOUT pin only, which is not modelled. */
      TCMPB: reg32(0x10),
      /** Count observation: the count now (read hook; stores nothing). */
      TCNTO: reg32(0x14, {}, { access: 'ro' }),
    },
    4,
    0x0c,
  ),
  /** Timer 4's count buffer. */
  TCNTB4: reg32(0x3c),
  /** Timer 4's count observation (read hook; stores nothing). */
  TCNTO4: reg32(0x40, {}, { access: 'ro' }),
  /** Interrupt control and status: an enable and a status bit per timer (P6). */
  TINT_CSTAT: reg32(0x44, {
    /** Timer 0's interrupt enable: TIMER0_INT_STAT drives its line while 1. */
    TIMER0_INT_EN: bit(0),
    /** Timer 1's interrupt enable. */
    TIMER1_INT_EN: bit(1),
    /** Timer 2's interrupt enable. */
    TIMER2_INT_EN: bit(2),
    /** Timer 3's interrupt enable. */
    TIMER3_INT_EN: bit(3),
    /** Timer 4's interrupt enable. */
    TIMER4_INT_EN: bit(4),
    /** Timer 0's interrupt status: set when its count reaches 0, whatever the enable; write 1 to clear. */
    TIMER0_INT_STAT: bit(5, 'w1c'),
    /** Timer 1's interrupt status. */
    TIMER1_INT_STAT: bit(6, 'w1c'),
    /** Timer 2's interrupt status. */
    TIMER2_INT_STAT: bit(7, 'w1c'),
    /** Timer 3's interrupt status. */
    TIMER3_INT_STAT: bit(8, 'w1c'),
    /** Timer 4's interrupt status. */
    TIMER4_INT_STAT: bit(9, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(10, 22, 'reserved'),
  }),
});
