/**
 * Register map of the ARMv7-M SysTick timer (ARMv7-M Architecture Reference Manual, ARM DDI
 * 0403, §B3.3 "The system timer, SysTick"; Cortex-M generic user guides DUI 0553/0662 §4.4),
 * keyed by the manual's mnemonics, offsets from the block's base 0xE000E010. Behaviour lives
 * in `Armv7mSystick` (see its header for every decision).
 *
 * All registers are 32-bit and take 32-bit accesses only (device header, S9). ICSR (at
 * 0xE000ED04, offset 0xCF4 here) belongs to the System Control Block; only its two SysTick
 * bits are modelled, as the pend latch of the SysTick exception (S5).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** The SysTick registers and the SysTick bits of ICSR. */
export const ARMV7M_SYSTICK_REGISTERS = defineRegisterMap({
  /** SYST_CSR, control and status. */
  CSR: reg32(0x000, {
    /** Counter enable: 1 counts, 0 freezes CVR (S3). */
    ENABLE: bit(0),
    /** 1: counting down to 0 pends the SysTick exception (S5). */
    TICKINT: bit(1),
    /** Clock source: 1 the processor clock (`cpuclk`), 0 the external reference clock (`refclk`); reads 1 when CALIB.NOREF (S7). */
    CLKSOURCE: bit(2),
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bits(3, 13, 'reserved'),
    /** 1 if the counter counted to 0 since the last read: cleared by the read and by any CVR write (S4). */
    COUNTFLAG: bit(16, 'rc'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED1: bits(17, 15, 'reserved'),
  }),
  /** SYST_RVR: the value loaded into CVR when the counter leaves 0. */
  RVR: reg32(0x004, {
    /** 24-bit reload value; 0 halts the counter at its next wrap (S2). */
    RELOAD: bits(0, 24),
    /** RES0: reads 0, writes ignored. */
    RESERVED: bits(24, 8, 'reserved'),
  }),
  /** SYST_CVR (read hook: the counter). Any write clears the counter and COUNTFLAG; nothing is stored (S4). */
  CVR: reg32(0x008, {
    /** The counter's current value. */
    CURRENT: bits(0, 24),
    /** RES0: reads 0, writes ignored. */
    RESERVED: bits(24, 8, 'reserved'),
  }),
  /** SYST_CALIB (read hook: the `calib` option, or computed from `refclk`, S7). */
  CALIB: reg32(
    0x00c,
    {
      /** Reload value for 10 ms of the reference clock (0: unknown). */
      TENMS: bits(0, 24, 'ro'),
      /** 1: TENMS is not exactly 10 ms. */
      SKEW: bit(30, 'ro'),
      /** 1: no reference clock (CLKSOURCE reads 1). */
      NOREF: bit(31, 'ro'),
    },
    { access: 'ro' },
  ),
  /** ICSR (SCB, 0xE000ED04): only the SysTick exception's pend bits are modelled (S5); writes of 1 to the others are `unimplemented`. */
  ICSR: reg32(0xcf4, {
    /** Write 1: clear the SysTick exception's pending state (reads 0). */
    PENDSTCLR: bit(25, 'wo'),
    /** Read: the SysTick exception is pending (the `systick` line). Write 1: pend it; write 0: no effect. */
    PENDSTSET: bit(26),
  }),
});
