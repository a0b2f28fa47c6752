/**
 * Register map of the ARM CMSDK APB dual-input timer (ARM DDI 0479, "APB dual-input
 * timers"; the counter behaviour is the SP804's, ARM DDI 0271). Keyed by the TRM's
 * mnemonics; the device's behaviour is in CmsdkApbDualTimer.ts.
 */
import { bit, bits, defineChannels, defineRegisterMap, reg32, type AccessSize, type FieldSpecs } from '../../src/bus';

/** Every register takes 1-, 2- and 4-byte accesses (the brief's "narrow accesses"); a narrow one touches only its bytes. */
const SIZES: readonly AccessSize[] = [1, 2, 4];

/** TimerXControl (reset 0x20: disabled, free-running, interrupt enabled, ÷1, 16-bit, wrapping). */
const CONTROL_FIELDS = {
  /** 1 = one-shot (halts at 0), 0 = wrapping. */
  ONESHOT: bit(0),
  /** 1 = 32-bit counter, 0 = 16-bit. */
  SIZE: bit(1),
  /** Prescale: 00 ÷1, 01 ÷16, 10 ÷256, 11 undefined (counted as ÷256 and reported). */
  PRESCALE: bits(2, 2),
  /** Reserved: reads 0, writes ignored. */
  RES4: bit(4, 'reserved'),
  /** Interrupt enable: TimerXMIS (and TIMINTx) is RIS && INTEN. */
  INTEN: bit(5),
  /** 1 = periodic (reload from Load), 0 = free-running (wrap to the maximum). */
  MODE: bit(6),
  /** Timer enable: 1 runs the counter. */
  ENABLE: bit(7),
  /** Reserved: reads 0, writes ignored. */
  RES31_8: bits(8, 24, 'reserved'),
} as const satisfies FieldSpecs;

const ID = (offset: number, reset: number) => reg32(offset, {}, { access: 'ro', reset, sizes: SIZES });

/**
 * The dual timer's registers. The two timer modules' seven registers are one channel bank
 * (timer 1 at 0x00, timer 2 at 0x20) named as the TRM numbers them: TIMER1LOAD …
 * TIMER1BGLOAD, TIMER2LOAD … TIMER2BGLOAD; `CMSDK_APB_DUALTIMER_REGISTERS.channel('TIMER', i)`
 * gives timer i + 1's register names by role. Stored values the guest does not see directly:
 * - TIMERxVALUE holds the counter's upper half (bits 31:16), which stays frozen while the
 *   counter is 16-bit; the guest reads the live count through the device.
 * - TIMERxBGLOAD reads as TIMERxLOAD (both return the value of the next reload); its own
 *   stored value is the last one written to it.
 * - TIMERxMIS is computed (RIS && INTEN); TIMERxINTCLR stores the last value written.
 */
export const CMSDK_APB_DUALTIMER_REGISTERS = defineRegisterMap({
  /** TIMERxLOAD … TIMERxBGLOAD of timer 1 (0x00) and timer 2 (0x20), in TRM order. */
  TIMER: defineChannels(
    {
      /** Load: a write loads the count at once and sets the reload value; reads the last value written here or to BGLOAD. */
      LOAD: reg32(0x00, {}, { sizes: SIZES }),
      /** Current value (read-only; read hook: the count, with the frozen upper half in 16-bit mode). */
      VALUE: reg32(0x04, {}, { access: 'ro', reset: 0xffff_ffff, sizes: SIZES }),
      /** Control: one-shot, size, prescale, interrupt enable, mode and enable. */
      CONTROL: reg32(0x08, CONTROL_FIELDS, { reset: 0x20, sizes: SIZES }),
      /** Interrupt clear (write-only): any write clears RIS. */
      INTCLR: reg32(0x0c, {}, { access: 'wo', sizes: SIZES }),
      /** Raw interrupt status (read-only). */
      RIS: reg32(
        0x10,
        {
          /** Raw interrupt: set when the counter reaches 0 (or a Load of 0 is written), whatever INTEN says. */
          RIS: bit(0),
        },
        { access: 'ro', sizes: SIZES },
      ),
      /** Masked interrupt status (read-only; read hook: RIS && INTEN). */
      MIS: reg32(
        0x14,
        {
          /** Masked interrupt: RIS && CONTROL.INTEN. */
          MIS: bit(0),
        },
        { access: 'ro', sizes: SIZES },
      ),
      /** Background load: a write sets only the next reload value; reads return LOAD. */
      BGLOAD: reg32(0x18, {}, { sizes: SIZES }),
    },
    2,
    0x20,
    { name: 'TIMER{n}{reg}', first: 1 },
  ),
  /** Integration test control register. */
  TIMERITCR: reg32(
    0xf00,
    {
      /** Integration test mode: while set, TIMINT1 and TIMINT2 follow TIMERITOP instead of TimerXMIS. */
      ENABLE: bit(0),
      /** Reserved: reads 0, writes ignored. */
      RES: bits(1, 31, 'reserved'),
    },
    { sizes: SIZES },
  ),
  /** Integration test output set register (write-only): drives the outputs while TIMERITCR.ENABLE is set. */
  TIMERITOP: reg32(
    0xf04,
    {
      /** The level of TIMINT1 in integration test mode. */
      TIMINT1: bit(0),
      /** The level of TIMINT2 in integration test mode. */
      TIMINT2: bit(1),
      /** Reserved: reads 0, writes ignored. */
      RES: bits(2, 30, 'reserved'),
    },
    { access: 'wo', sizes: SIZES },
  ),
  /** Peripheral ID 4 (read-only, 0x04): 4 KiB region, JEP106 continuation code 4. */
  TIMERPERIPHID4: ID(0xfd0, 0x04),
  /** Peripheral ID 5 (read-only, 0x00). */
  TIMERPERIPHID5: ID(0xfd4, 0x00),
  /** Peripheral ID 6 (read-only, 0x00). */
  TIMERPERIPHID6: ID(0xfd8, 0x00),
  /** Peripheral ID 7 (read-only, 0x00). */
  TIMERPERIPHID7: ID(0xfdc, 0x00),
  /** Peripheral ID 0 (read-only, 0x23): part number bits 7:0; part number 0x823: the dual timer (the APB timer's is 0x822). */
  TIMERPERIPHID0: ID(0xfe0, 0x23),
  /** Peripheral ID 1 (read-only, 0xB8): part number bits 11:8 and JEP106 designer ID bits 3:0. */
  TIMERPERIPHID1: ID(0xfe4, 0xb8),
  /** Peripheral ID 2 (read-only, 0x1B): revision 1, JEDEC ID used, designer ID bits 6:4 (designer 0x3B, ARM). */
  TIMERPERIPHID2: ID(0xfe8, 0x1b),
  /** Peripheral ID 3 (read-only, 0x00): ECO revision 0 (ECOREVNUM not modelled). */
  TIMERPERIPHID3: ID(0xfec, 0x00),
  /** Component ID 0 (read-only, 0x0D); the four component IDs read 0xB105F00D. */
  TIMERPCELLID0: ID(0xff0, 0x0d),
  /** Component ID 1 (read-only, 0xF0). */
  TIMERPCELLID1: ID(0xff4, 0xf0),
  /** Component ID 2 (read-only, 0x05). */
  TIMERPCELLID2: ID(0xff8, 0x05),
  /** Component ID 3 (read-only, 0xB1). */
  TIMERPCELLID3: ID(0xffc, 0xb1),
});
