/**
 * Register map of one programmable interrupt timer (PIT) of the Freescale ColdFire MCF5208
 * (MCF5208 Reference Manual, chapter "Programmable Interrupt Timers (PIT0–PIT1)"; PIT0 at
 * 0xFC08_0000, PIT1 at 0xFC08_4000), keyed by the manual's mnemonics, offsets from the PIT's base.
 * Behaviour lives in `Mcf5208Pit` (see its header for every decision).
 *
 * The registers are 16-bit and big-endian, and take 16-bit accesses only (device header, P8): the
 * bus carries an access's value, not its bytes, so a 16-bit access reads and writes the register's
 * value as the CPU sees it, with no byte order involved. The rest of the PIT's 16 KiB window holds
 * no register.
 */
import { bit, bits, defineRegisterMap, reg16 } from '../../src/bus';

/** One MCF5208 PIT's registers. */
export const MCF5208_PIT_REGISTERS = defineRegisterMap({
  /** PCSR, control and status. */
  PCSR: reg16(0x00, {
    /** 1 counts; 0 holds the counter and prescaler where they are (P2). */
    EN: bit(0),
    /** 1: reload PMR after the counter reaches 0 (set-and-forget); 0: roll over to 0xFFFF (free-running) (P1). */
    RLD: bit(1),
    /** Set when the counter reaches 0 (P1, P5); write 1 to clear; a PMR write clears it too (P3). */
    PIF: bit(2, 'w1c'),
    /** PIF drives the interrupt request (P5). */
    PIE: bit(3),
    /** 1: a PMR write loads the counter at once; 0: PMR is loaded at the next reload (P3). */
    OVW: bit(4),
    /** Halt in debug mode: stored; no debug mode is modelled, a 1 written is an `unimplemented` event (P7). */
    DBG: bit(5, 'unimplemented'),
    /** Halt in doze mode: stored; no doze mode is modelled, a 1 written is an `unimplemented` event (P7). */
    DOZE: bit(6, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bit(7, 'reserved'),
    /** Prescaler: the counter steps once every 2^PRE bus clock cycles (P1). */
    PRE: bits(8, 4),
    /** Reserved: reads 0, writes ignored. */
    RESERVED1: bits(12, 4, 'reserved'),
  }),
  /** PMR, the modulus: the value the counter loads (P1, P3). Reset 0xFFFF. */
  PMR: reg16(
    0x02,
    {
      /** The 16-bit modulus. */
      PM: bits(0, 16),
    },
    { reset: 0xffff },
  ),
  /** PCNTR (read hook: the counter): the counter, counting down. Reset 0xFFFF. */
  PCNTR: reg16(
    0x04,
    {
      /** The 16-bit count. */
      PC: bits(0, 16, 'ro'),
    },
    { access: 'ro', reset: 0xffff },
  ),
});
