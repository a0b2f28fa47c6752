import { bit, bits, defineChannels, defineRegisterMap, reg32, type RegisterOptions } from '../../src/bus';

/** Every register takes 32-bit accesses only: the block is a 32-bit APB slave with no byte lanes (Sp804.ts, ambiguity 10). */
const WORD: RegisterOptions['sizes'] = [4];

/** The fields of TimerXControl; the TRM reserves bit 4 and bits 31:8. */
const CONTROL_FIELDS = {
  /** 0 wrapping, 1 one-shot (halts at 0). */
  OneShot: bit(0),
  /** 0 16-bit counter, 1 32-bit counter. */
  TimerSize: bit(1),
  /** Prescale: 00 ÷1, 01 ÷16, 10 ÷256, 11 undefined (counted as ÷256 and reported). */
  TimerPre: bits(2, 2),
  /** Reserved: reads 0, writes ignored. */
  Reserved4: bit(4, 'reserved'),
  /** Interrupt enable: TimerXMIS (and TIMINTn) is RIS & IntEnable. */
  IntEnable: bit(5),
  /** 0 free-running (wraps to the maximum), 1 periodic (reloads from Load). */
  TimerMode: bit(6),
  /** Timer enable: 1 runs the counter. */
  TimerEn: bit(7),
  /** Reserved: reads 0, writes ignored. */
  Reserved31To8: bits(8, 24, 'reserved'),
} as const;

/**
 * One timer's seven registers, TimerXLoad … TimerXBGLoad, at offsets from the timer's base:
 * the SP804's channel block, shared with the Integrator/CP counter/timers
 * (`INTEGRATOR_PIT_REGISTERS`), which have the same per-timer layout.
 */
export const SP804_TIMER_BLOCK = {
  /** Load: a write restarts the count from it at once and sets the reload value; reads return the reload value. */
  Load: reg32(0x00, {}, { sizes: WORD }),
  /** Current value (read-only): a read hook computes it from the counter; the stored value stays the TRM's reset value. */
  Value: reg32(0x04, {}, { access: 'ro', reset: 0xffff_ffff, sizes: WORD }),
  /** Control: one-shot, size, prescale, interrupt enable, mode and enable. */
  Control: reg32(0x08, CONTROL_FIELDS, { reset: 0x20, sizes: WORD }),
  /** Interrupt clear (write-only): any write clears the interrupt; the device stores nothing here (it writes 0 back). */
  IntClr: reg32(0x0c, {}, { access: 'wo', sizes: WORD }),
  // The one-bit field names of RIS, MIS, TimerITCR and TimerITOP are ours, not the TRM's.
  /** Raw interrupt status (read-only). */
  RIS: reg32(
    0x10,
    {
      /** Raw interrupt: set when the counter reaches 0 (or a Load of 0 is written), whatever IntEnable says. */
      RawTimerInt: bit(0),
      /** Reserved: reads 0. */
      Reserved31To1: bits(1, 31, 'reserved'),
    },
    { access: 'ro', sizes: WORD },
  ),
  /** Masked interrupt status (read-only): computed on read as RIS & IntEnable. */
  MIS: reg32(
    0x14,
    {
      /** Masked interrupt: RawTimerInt & Control.IntEnable. */
      TimerMInt: bit(0),
      /** Reserved: reads 0. */
      Reserved31To1: bits(1, 31, 'reserved'),
    },
    { access: 'ro', sizes: WORD },
  ),
  /** Background load: writes set Load without touching the count; reads return Load. */
  BGLoad: reg32(0x18, {}, { sizes: WORD }),
};

const id = (offset: number, reset: number) => reg32(offset, {}, { access: 'ro', reset, sizes: WORD });

/**
 * The ARM SP804 dual-input timer's registers (ARM DDI 0271, programmer's model), keyed by
 * the TRM's mnemonics. The two timers' seven registers are one channel bank (timer 1 at
 * 0x00, timer 2 at 0x20) named as the TRM numbers them: Timer1Load … Timer1BGLoad,
 * Timer2Load … Timer2BGLoad; `SP804_REGISTERS.channel('Timer', i)` gives timer i + 1's
 * register names by role.
 *
 * Reset values are the TRM's: Control 0x20 (interrupt enabled, 16-bit,
 * free-running, disabled), Value 0xFFFFFFFF, everything else 0; the
 * identification registers hold PrimeCell part 0x804, designer ARM (0x41),
 * revision 1.
 */
export const SP804_REGISTERS = defineRegisterMap({
  /** TimerXLoad … TimerXBGLoad of timer 1 (0x00) and timer 2 (0x20), in TRM order. */
  Timer: defineChannels(
    SP804_TIMER_BLOCK,
    2,
    0x20,
    { name: 'Timer{n}{reg}', first: 1 },
  ),
  /** Integration test control register. */
  TimerITCR: reg32(
    0xf00,
    {
      /** Integration test enable: with ITEN set, TIMINT1/TIMINT2 follow TimerITOP instead of the counters. */
      ITEN: bit(0),
      /** Reserved: reads 0, writes ignored. */
      Reserved31To1: bits(1, 31, 'reserved'),
    },
    { sizes: WORD },
  ),
  /** Integration test output set register (write-only): drives the outputs while TimerITCR.ITEN is set. */
  TimerITOP: reg32(
    0xf04,
    {
      /** The level of TIMINT1 in integration test mode. */
      TIMINT1: bit(0),
      /** The level of TIMINT2 in integration test mode. */
      TIMINT2: bit(1),
      /** Reserved: writes ignored. */
      Reserved31To2: bits(2, 30, 'reserved'),
    },
    { access: 'wo', sizes: WORD },
  ),
  /** Peripheral ID 0 (read-only, 0x04): part number 0x804, bits 7:0. */
  TimerPeriphID0: id(0xfe0, 0x04),
  /** Peripheral ID 1 (read-only, 0x18): part number bits 11:8 and designer (0x41, ARM) bits 3:0. */
  TimerPeriphID1: id(0xfe4, 0x18),
  /** Peripheral ID 2 (read-only, 0x14): revision 1 and designer bits 7:4. */
  TimerPeriphID2: id(0xfe8, 0x14),
  /** Peripheral ID 3 (read-only, 0x00): configuration. */
  TimerPeriphID3: id(0xfec, 0x00),
  /** PrimeCell ID 0 (read-only, 0x0D); the four PrimeCell IDs read 0xB105F00D. */
  TimerPCellID0: id(0xff0, 0x0d),
  /** PrimeCell ID 1 (read-only, 0xF0). */
  TimerPCellID1: id(0xff4, 0xf0),
  /** PrimeCell ID 2 (read-only, 0x05). */
  TimerPCellID2: id(0xff8, 0x05),
  /** PrimeCell ID 3 (read-only, 0xB1). */
  TimerPCellID3: id(0xffc, 0xb1),
});
