/**
 * Register map of the ARM CMSDK APB dual-input timer (ARM DDI 0479, "APB dual-input
 * timers"; the counter behaviour is the SP804's, ARM DDI 0271). Keyed by the TRM's
 * mnemonics; the device's behaviour is in CmsdkApbDualTimer.ts.
 */
import { bit, bits, defineRegisterMap, reg32, type AccessSize, type FieldSpecs } from '../../src/bus';

/** Every register takes 1-, 2- and 4-byte accesses (the brief's "narrow accesses"); a narrow one touches only its bytes. */
const SIZES: readonly AccessSize[] = [1, 2, 4];

/** TimerXControl (reset 0x20: disabled, free-running, interrupt enabled, ÷1, 16-bit, wrapping). */
const CONTROL_FIELDS = {
  ONESHOT: bit(0), // 1 = one-shot (halts at 0), 0 = wrapping
  SIZE: bit(1), // 1 = 32-bit counter, 0 = 16-bit
  PRESCALE: bits(2, 2), // 00 ÷1, 01 ÷16, 10 ÷256, 11 undefined
  RES4: bit(4, 'reserved'),
  INTEN: bit(5),
  MODE: bit(6), // 1 = periodic (reload from Load), 0 = free-running (wrap to the maximum)
  ENABLE: bit(7),
  RES31_8: bits(8, 24, 'reserved'),
} as const satisfies FieldSpecs;

/** One timer module: seven registers from `base` (0x00 for timer 1, 0x20 for timer 2). */
const LOAD = (base: number) => reg32(base + 0x00, {}, { sizes: SIZES });
const VALUE = (base: number) => reg32(base + 0x04, {}, { access: 'ro', reset: 0xffff_ffff, sizes: SIZES });
const CONTROL = (base: number) => reg32(base + 0x08, CONTROL_FIELDS, { reset: 0x20, sizes: SIZES });
const INTCLR = (base: number) => reg32(base + 0x0c, {}, { access: 'wo', sizes: SIZES });
const RIS = (base: number) => reg32(base + 0x10, { RIS: bit(0) }, { access: 'ro', sizes: SIZES });
const MIS = (base: number) => reg32(base + 0x14, { MIS: bit(0) }, { access: 'ro', sizes: SIZES });
const BGLOAD = (base: number) => reg32(base + 0x18, {}, { sizes: SIZES });
const ID = (offset: number, reset: number) => reg32(offset, {}, { access: 'ro', reset, sizes: SIZES });

/**
 * The dual timer's registers. Stored values the guest does not see directly:
 * - TIMERxVALUE holds the counter's upper half (bits 31:16), which stays frozen while the
 *   counter is 16-bit; the guest reads the live count through the device.
 * - TIMERxBGLOAD reads as TIMERxLOAD (both return the value of the next reload); its own
 *   stored value is the last one written to it.
 * - TIMERxMIS is computed (RIS && INTEN); TIMERxINTCLR stores the last value written.
 */
export const CMSDK_APB_DUALTIMER_REGISTERS = defineRegisterMap({
  TIMER1LOAD: LOAD(0x00),
  TIMER1VALUE: VALUE(0x00),
  TIMER1CONTROL: CONTROL(0x00),
  TIMER1INTCLR: INTCLR(0x00),
  TIMER1RIS: RIS(0x00),
  TIMER1MIS: MIS(0x00),
  TIMER1BGLOAD: BGLOAD(0x00),
  TIMER2LOAD: LOAD(0x20),
  TIMER2VALUE: VALUE(0x20),
  TIMER2CONTROL: CONTROL(0x20),
  TIMER2INTCLR: INTCLR(0x20),
  TIMER2RIS: RIS(0x20),
  TIMER2MIS: MIS(0x20),
  TIMER2BGLOAD: BGLOAD(0x20),
  TIMERITCR: reg32(0xf00, { ENABLE: bit(0), RES: bits(1, 31, 'reserved') }, { sizes: SIZES }),
  TIMERITOP: reg32(0xf04, { TIMINT1: bit(0), TIMINT2: bit(1), RES: bits(2, 30, 'reserved') }, { access: 'wo', sizes: SIZES }),
  TIMERPERIPHID4: ID(0xfd0, 0x04),
  TIMERPERIPHID5: ID(0xfd4, 0x00),
  TIMERPERIPHID6: ID(0xfd8, 0x00),
  TIMERPERIPHID7: ID(0xfdc, 0x00),
  TIMERPERIPHID0: ID(0xfe0, 0x23), // part number 0x823: the dual timer (the APB timer's is 0x22)
  TIMERPERIPHID1: ID(0xfe4, 0xb8),
  TIMERPERIPHID2: ID(0xfe8, 0x1b),
  TIMERPERIPHID3: ID(0xfec, 0x00), // ECO revision 0
  TIMERPCELLID0: ID(0xff0, 0x0d),
  TIMERPCELLID1: ID(0xff4, 0xf0),
  TIMERPCELLID2: ID(0xff8, 0x05),
  TIMERPCELLID3: ID(0xffc, 0xb1),
});
