import { bit, bits, defineChannels, defineRegisterMap, reg32, type RegisterOptions } from '../../src/bus';

/** Every register takes 32-bit accesses only: the block is a 32-bit APB_0 slave (MssTimer.ts, X10). */
const WORD: RegisterOptions['sizes'] = [4];

/** TIMx_CTRL and TIM64_CTRL (UG0331 tables 18-8 and 18-17): the same three bits; bits 31:3 reserved. */
const CTRL_FIELDS = {
  /** TIMxENABLE: 1 counts, 0 freezes the count (X4). */
  ENABLE: bit(0),
  /** TIMxMODE: 0 periodic (reloads at 0), 1 one-shot (halts at 0) (X5). */
  MODE: bit(1),
  /** TIMxINTEN: MIS (and the interrupt line) is RIS & INTEN (X6). */
  INTEN: bit(2),
  /** Reserved: reads 0, writes ignored. */
  RESERVED: bits(3, 29, 'reserved'),
} as const;

/** TIMx_RIS and TIM64_RIS: bit 0 set by reaching zero, cleared by writing 1. */
const RIS_FIELDS = {
  /** Raw interrupt status: the counter reached 0 since it was last cleared; write 1 to clear. */
  RIS: bit(0, 'w1c'),
  /** Reserved: reads 0, writes ignored. */
  RESERVED: bits(1, 31, 'reserved'),
} as const;

/** TIMx_MIS and TIM64_MIS (read-only, computed on read). */
const MIS_FIELDS = {
  /** Masked interrupt status: RIS & INTEN, the level of the interrupt line. */
  MIS: bit(0, 'ro'),
  /** Reserved: reads 0. */
  RESERVED: bits(1, 31, 'reserved'),
} as const;

/**
 * One 32-bit timer's six registers, TIMx_VAL … TIMx_MIS, at offsets from the timer's base
 * (timer 1 at 0x00, timer 2 at 0x18). Reset values are all 0 (UG0331 §18.4).
 */
export const MSS_TIMER_BLOCK = {
  /** TIMx_VAL: the counter (read-only; a read hook computes it, the stored value stays 0). */
  VAL: reg32(0x00, {}, { access: 'ro', sizes: WORD }),
  /** TIMx_LOADVAL: a write loads the counter at once; the value periodic mode reloads (X2). */
  LOADVAL: reg32(0x04, {}, { sizes: WORD }),
  /** TIMx_BGLOADVAL: a write sets LOADVAL without touching the counter (X3). */
  BGLOADVAL: reg32(0x08, {}, { sizes: WORD }),
  /** TIMx_CTRL: enable, mode, interrupt enable. */
  CTRL: reg32(0x0c, CTRL_FIELDS, { sizes: WORD }),
  /** TIMx_RIS: raw interrupt status. */
  RIS: reg32(0x10, RIS_FIELDS, { sizes: WORD }),
  /** TIMx_MIS: masked interrupt status (read-only). */
  MIS: reg32(0x14, MIS_FIELDS, { access: 'ro', sizes: WORD }),
};

/**
 * The register map of the SmartFusion2 MSS timer (Microsemi UG0331 "SmartFusion2
 * Microcontroller Subsystem User Guide", chapter "System Timer", §18.4 "Timer Register
 * Map", tables 18-5 to 18-20), keyed by the manual's mnemonics, offsets from the block's base
 * (0x40004000 on the Cortex-M3). The two 32-bit timers are one channel bank named as the
 * manual numbers them (TIM1_VAL … TIM2_MIS; `MSS_TIMER_REGISTERS.channel('TIM', i)` gives
 * timer i + 1's names by role), followed by the 64-bit mode's registers. Behaviour lives in
 * `MssTimer` (see its header for every decision). Everything resets to 0. The rest of the
 * block's 4 KiB window (0x58-0xFFF) holds no register.
 */
export const MSS_TIMER_REGISTERS = defineRegisterMap({
  /** TIMx_VAL … TIMx_MIS of timer 1 (0x00) and timer 2 (0x18). */
  TIM: defineChannels(MSS_TIMER_BLOCK, 2, 0x18, { name: 'TIM{n}_{reg}', first: 1 }),
  /** TIM64_VAL_U: the upper half of the 64-bit counter as latched by the last TIM64_VAL_L read (X9). */
  TIM64_VAL_U: reg32(0x30, {}, { access: 'ro', sizes: WORD }),
  /** TIM64_VAL_L: the lower half of the 64-bit counter; a read latches the upper half into TIM64_VAL_U (X9). */
  TIM64_VAL_L: reg32(0x34, {}, { access: 'ro', sizes: WORD }),
  /** TIM64_LOADVAL_U: upper half of the 64-bit load value; a write goes to a holding register until TIM64_LOADVAL_L is written (X8). */
  TIM64_LOADVAL_U: reg32(0x38, {}, { sizes: WORD }),
  /** TIM64_LOADVAL_L: lower half; a write loads the 64-bit counter with the held upper half and this value (X8). */
  TIM64_LOADVAL_L: reg32(0x3c, {}, { sizes: WORD }),
  /** TIM64_BGLOADVAL_U: upper half of the background load value; held until TIM64_BGLOADVAL_L is written (X8). */
  TIM64_BGLOADVAL_U: reg32(0x40, {}, { sizes: WORD }),
  /** TIM64_BGLOADVAL_L: lower half; a write sets the 64-bit load value without touching the counter (X8). */
  TIM64_BGLOADVAL_L: reg32(0x44, {}, { sizes: WORD }),
  /** TIM64_CTRL: enable, mode, interrupt enable of the 64-bit timer. */
  TIM64_CTRL: reg32(0x48, CTRL_FIELDS, { sizes: WORD }),
  /** TIM64_RIS: raw interrupt status of the 64-bit timer. */
  TIM64_RIS: reg32(0x4c, RIS_FIELDS, { sizes: WORD }),
  /** TIM64_MIS: masked interrupt status of the 64-bit timer (read-only; its output is TIMER1INT, X6). */
  TIM64_MIS: reg32(0x50, MIS_FIELDS, { access: 'ro', sizes: WORD }),
  /** TIM64_MODE: 0 two 32-bit timers, 1 one 64-bit timer; a change re-initializes the block (X7). */
  TIM64_MODE: reg32(
    0x54,
    {
      /** 1: timers 1 and 2 concatenated into one 64-bit timer. */
      TIM64_MODE: bit(0),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    { sizes: WORD },
  ),
});
