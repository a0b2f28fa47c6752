/**
 * Register map of the Marvell 88W8618 programmable interval timers (PIT) of the Freecom
 * MusicPal, with the interrupt controller (PIC) registers that acknowledge them. Offsets are
 * from the PIC's base (0x9000_8000 on the MusicPal): the PIC page at 0x0000, the PIT page at
 * 0x1000 (0x9000_9000). There is no public manual: the layout is the one QEMU's
 * `mv88w8618_pit` and `mv88w8618_pic` use, reverse-engineered from the Freecom firmware
 * (reference devices-2.md §21, [low]). Behaviour lives in `Mv88w8618Pit` (see its header for
 * every decision).
 *
 * Every register is 32 bits and takes 32-bit accesses only (device header, P9). In the PIC
 * registers only the four timer inputs (IRQs 4-7) are modelled; a write of 1 to another
 * input's bit is an `unimplemented` event (the bank's report of bits no field covers).
 */
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs } from '../../src/bus';

/** The PIC's bits of the four timer inputs (IRQ 4 + n is timer n), in the given mode. */
const timerInputs = (mode: 'ro' | 'wo') =>
  ({
    /** Timer 0's input (IRQ 4). */
    TIMER0: bit(4, mode),
    /** Timer 1's input (IRQ 5). */
    TIMER1: bit(5, mode),
    /** Timer 2's input (IRQ 6). */
    TIMER2: bit(6, mode),
    /** Timer 3's input (IRQ 7). */
    TIMER3: bit(7, mode),
  }) as const satisfies FieldSpecs;

/** The PIC's timer bits and the PIT's registers, by QEMU's names (MP_PIC_*, MP_PIT_*). */
export const MV88W8618_PIT_REGISTERS = defineRegisterMap({
  /** PIC STATUS (read hook): the inputs latched and enabled (P5). */
  PIC_STATUS: reg32(0x000, timerInputs('ro'), { access: 'ro' }),
  /** PIC ENABLE_SET: a 1 enables the input; stores nothing (P5). */
  PIC_ENABLE_SET: reg32(0x008, timerInputs('wo'), { access: 'wo' }),
  /** PIC ENABLE_CLR: a 1 disables the input and clears its latch (the acknowledge); stores nothing (P5). */
  PIC_ENABLE_CLR: reg32(0x00c, timerInputs('wo'), { access: 'wo' }),
  /** Timer 0's period in ticks: a non-zero write reloads the count; 0 stops the timer (P2). */
  TIMER0_LENGTH: reg32(0x1000),
  /** Timer 1's period in ticks. */
  TIMER1_LENGTH: reg32(0x1004),
  /** Timer 2's period in ticks. */
  TIMER2_LENGTH: reg32(0x1008),
  /** Timer 3's period in ticks. */
  TIMER3_LENGTH: reg32(0x100c),
  /** One nibble per timer: any bit set runs the timer (when its LENGTH is not 0), all clear stops it (P3). */
  CONTROL: reg32(0x1010, {
    /** Timer 0's nibble. */
    TIMER0: bits(0, 4),
    /** Timer 1's nibble. */
    TIMER1: bits(4, 4),
    /** Timer 2's nibble. */
    TIMER2: bits(8, 4),
    /** Timer 3's nibble. */
    TIMER3: bits(12, 4),
  }),
  /** Timer 0's count (read hook), counting down from LENGTH. */
  TIMER0_VALUE: reg32(0x1014, {}, { access: 'ro' }),
  /** Timer 1's count (read hook). */
  TIMER1_VALUE: reg32(0x1018, {}, { access: 'ro' }),
  /** Timer 2's count (read hook). */
  TIMER2_VALUE: reg32(0x101c, {}, { access: 'ro' }),
  /** Timer 3's count (read hook). */
  TIMER3_VALUE: reg32(0x1020, {}, { access: 'ro' }),
  /** Board reset: writing 0x10000 requests a system reset (the firmware's reboot; P7); stores nothing. */
  BOARD_RESET: reg32(0x1034, {}, { access: 'wo' }),
});

/** The value whose write to BOARD_RESET requests a system reset (MP_BOARD_RESET_MAGIC). */
export const MV88W8618_BOARD_RESET_MAGIC = 0x1_0000;
