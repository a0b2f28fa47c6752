import { bit, bits, defineRegisterMap, reg32, type RegisterOptions, type RegisterSpec } from '../../src/bus';

/** Every register takes 32-bit accesses only: the block is a 32-bit APB slave with no byte lanes (Sp804.ts, ambiguity 10). */
const WORD: RegisterOptions['sizes'] = [4];

/** The fields of TimerXControl; the TRM reserves bit 4 and bits 31:8. */
const CONTROL_FIELDS = {
  OneShot: bit(0), // 0 wrapping, 1 one-shot
  TimerSize: bit(1), // 0 16-bit counter, 1 32-bit counter
  TimerPre: bits(2, 2), // 00 ÷1, 01 ÷16, 10 ÷256, 11 undefined
  Reserved4: bit(4, 'reserved'),
  IntEnable: bit(5),
  TimerMode: bit(6), // 0 free-running, 1 periodic
  TimerEn: bit(7),
  Reserved31To8: bits(8, 24, 'reserved'),
} as const;

/** The seven registers of one timer at `base` (+0x00 timer 1, +0x20 timer 2), in TRM order. */
const timer = (base: number) =>
  ({
    Load: reg32(base + 0x00, {}, { sizes: WORD }),
    // A read hook computes it from the counter; the stored value stays the TRM's reset value.
    Value: reg32(base + 0x04, {}, { access: 'ro', reset: 0xffff_ffff, sizes: WORD }),
    Control: reg32(base + 0x08, CONTROL_FIELDS, { reset: 0x20, sizes: WORD }),
    // Any write clears the interrupt; the device stores nothing here (it writes 0 back).
    IntClr: reg32(base + 0x0c, {}, { access: 'wo', sizes: WORD }),
    // The one-bit field names of RIS, MIS, TimerITCR and TimerITOP are ours, not the TRM's.
    RIS: reg32(base + 0x10, { RawTimerInt: bit(0), Reserved31To1: bits(1, 31, 'reserved') }, { access: 'ro', sizes: WORD }),
    // Computed on read as RIS & IntEnable.
    MIS: reg32(base + 0x14, { TimerMInt: bit(0), Reserved31To1: bits(1, 31, 'reserved') }, { access: 'ro', sizes: WORD }),
    // Writes set Load without touching the count; reads return Load.
    BGLoad: reg32(base + 0x18, {}, { sizes: WORD }),
  }) satisfies Record<string, RegisterSpec>;

const t1 = timer(0x00);
const t2 = timer(0x20);
const id = (offset: number, reset: number) => reg32(offset, {}, { access: 'ro', reset, sizes: WORD });

/**
 * The ARM SP804 dual-input timer's registers (ARM DDI 0271, programmer's model), keyed by
 * the TRM's mnemonics. The TRM numbers its timers in the names (Timer1Load,
 * Timer2Load), which `defineMany`'s index suffix cannot spell, so the two
 * timers' registers are written out from one per-timer template.
 *
 * Reset values are the TRM's: Control 0x20 (interrupt enabled, 16-bit,
 * free-running, disabled), Value 0xFFFFFFFF, everything else 0; the
 * identification registers hold PrimeCell part 0x804, designer ARM (0x41),
 * revision 1.
 */
export const SP804_REGISTERS = defineRegisterMap({
  Timer1Load: t1.Load,
  Timer1Value: t1.Value,
  Timer1Control: t1.Control,
  Timer1IntClr: t1.IntClr,
  Timer1RIS: t1.RIS,
  Timer1MIS: t1.MIS,
  Timer1BGLoad: t1.BGLoad,
  Timer2Load: t2.Load,
  Timer2Value: t2.Value,
  Timer2Control: t2.Control,
  Timer2IntClr: t2.IntClr,
  Timer2RIS: t2.RIS,
  Timer2MIS: t2.MIS,
  Timer2BGLoad: t2.BGLoad,
  // Integration test: with ITEN set, TIMINT1/TIMINT2 follow TimerITOP instead of the counters.
  TimerITCR: reg32(0xf00, { ITEN: bit(0), Reserved31To1: bits(1, 31, 'reserved') }, { sizes: WORD }),
  TimerITOP: reg32(0xf04, { TIMINT1: bit(0), TIMINT2: bit(1), Reserved31To2: bits(2, 30, 'reserved') }, { access: 'wo', sizes: WORD }),
  TimerPeriphID0: id(0xfe0, 0x04),
  TimerPeriphID1: id(0xfe4, 0x18),
  TimerPeriphID2: id(0xfe8, 0x14),
  TimerPeriphID3: id(0xfec, 0x00),
  TimerPCellID0: id(0xff0, 0x0d),
  TimerPCellID1: id(0xff4, 0xf0),
  TimerPCellID2: id(0xff8, 0x05),
  TimerPCellID3: id(0xffc, 0xb1),
});
