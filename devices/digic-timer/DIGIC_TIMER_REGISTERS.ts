/**
 * Register map of one Canon DIGIC timer (DIGIC 4, PowerShot A1100: three timers at 0xC021_0000 +
 * 0x100·n), keyed by the names QEMU's `digic-timer` and barebox's `digic` clocksource use. There
 * is no vendor manual: the layout is what the CHDK and Magic Lantern projects reverse engineered
 * (reference devices-2.md §17). Behaviour lives in `DigicTimer` (see its header for every
 * decision).
 *
 * The registers are 32-bit and take 32-bit accesses only (device header, D8). The counter is 16
 * bits: RELVALUE's and VALUE's upper halves hold nothing. The three words drivers write whose
 * purpose nobody has worked out (0x04, 0x10, 0x14) are listed in {@link DIGIC_TIMER_UNMODELLED};
 * every other offset of the timer's 256-byte window is unmapped.
 */
import { bit, bits, defineRegisterMap, reg32, type UnmodelledRegister } from '../../src/bus';

/** One DIGIC timer's registers. */
export const DIGIC_TIMER_REGISTERS = defineRegisterMap({
  /** CONTROL: enable and reset. Bits 30:1 have no known meaning: they read 0 and a 1 written there is an `unimplemented` event (D6). */
  CONTROL: reg32(0x00, {
    /** 1 counts, 0 freezes the counter at its reading (D2). */
    EN: bit(0),
    /** Write 1: reset the timer (every register to 0, the counter stopped at 0); the rest of the write is ignored; reads 0 (D4). */
    RST: bit(31, 'wo'),
  }),
  /** RELVALUE: the value the counter restarts from after it has counted down to 0 (D1, D3). */
  RELVALUE: reg32(0x08, {
    /** The 16-bit reload value; bits 31:16 hold nothing (a 1 written there is an `unimplemented` event, D6). */
    RELVALUE: bits(0, 16),
  }),
  /** VALUE (read hook: the counter): the current count, counting down (D1). */
  VALUE: reg32(
    0x0c,
    {
      /** The 16-bit count. */
      VALUE: bits(0, 16, 'ro'),
    },
    { access: 'ro' },
  ),
});

/**
 * The words of the timer's window that drivers write but whose purpose is unknown (barebox's
 * clocksource set-up writes 2 to 0x04, 1 to 0x10 "start" and 3 to 0x14 "divider?"; Magic
 * Lantern's emulator guesses 0x10 is an interrupt enable). An access to one is an
 * `unimplemented` event, not a guest error: it reads 0 and a write changes nothing (D5).
 */
export const DIGIC_TIMER_UNMODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'UNKNOWN_04', offset: 0x04 },
  { name: 'UNKNOWN_10', offset: 0x10 },
  { name: 'UNKNOWN_14', offset: 0x14 },
]);
