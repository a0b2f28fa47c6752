/**
 * Register map of the Freescale (Motorola) ColdFire MCF5206 timer module (MCF5206 User's Manual,
 * chapter "Timer Module"): two identical general-purpose timers at MBAR + 0x100 (timer 1) and
 * MBAR + 0x120 (timer 2), keyed by the manual's mnemonics with the timer's number (TMR1 … TER2),
 * offsets from the module's base (MBAR + 0x100). `MCF5206_TIMER_REGISTERS.channel('Timer', n)`
 * gives timer n + 1's names by role. Behaviour lives in `Mcf5206Timer` (see its header for every
 * decision).
 *
 * TMR, TRR, TCR and TCN are 16-bit and take 16-bit accesses only; TER is 8-bit, at the odd offset
 * 0x11, and takes byte accesses only (device header, M8). The registers are big-endian; the bus
 * carries an access's value, not its bytes, so at its own width a register reads and writes its
 * value as the CPU sees it. The other offsets of each timer's 32 bytes are reserved (unmapped).
 */
import { bit, bits, defineChannels, defineRegisterMap, reg16, reg8 } from '../../src/bus';

/** One timer's registers, at timer 1's offsets. */
const TIMER_BLOCK = {
  /** TMR, the timer mode register. */
  TMR: reg16(0x00, {
    /** 0: the timer is held in reset (TCN 0, not counting); a change from 1 to 0 resets TRR, TCR, TCN and TER (M3). */
    RST: bit(0),
    /** Input clock: 00 stop, 01 system clock, 10 system clock ÷ 16, 11 the TIN pin (not modelled: M2). */
    CLK: bits(1, 2),
    /** 1: restart (TCN back to 0 after TRR); 0: free run (TCN on to 0xFFFF and round) (M1). */
    FRR: bit(3),
    /** REF drives the timer's interrupt (M6). */
    ORI: bit(4),
    /** TOUT output mode (pulse or toggle): stored; the TOUT pin is not modelled, a 1 written is an `unimplemented` event (M11). */
    OM: bit(5, 'unimplemented'),
    /** Capture edge on TIN and capture interrupt enable: stored; TIN is not modelled, a non-zero write is an `unimplemented` event (M11). */
    CE: bits(6, 2, 'unimplemented'),
    /** Prescaler: the input clock is divided by PS + 1 (M2). */
    PS: bits(8, 8),
  }),
  /** TRR, the reference value: REF is set as TCN leaves it (M1). Reset 0xFFFF. */
  TRR: reg16(
    0x04,
    {
      /** The 16-bit reference value. */
      TRR: bits(0, 16),
    },
    { reset: 0xffff },
  ),
  /** TCR, the capture register: TCN latched at a TIN edge; read-only, and 0 here (no TIN input, M11). */
  TCR: reg16(
    0x08,
    {
      /** The 16-bit captured count. */
      TCR: bits(0, 16, 'ro'),
    },
    { access: 'ro' },
  ),
  /** TCN (read hook: the counter), the up-counter; a write of any value clears it (M4). */
  TCN: reg16(0x0c, {
    /** The 16-bit count. */
    TCN: bits(0, 16),
  }),
  /** TER, the event register: each flag cleared by writing 1 (M6). */
  TER: reg8(0x11, {
    /** A capture event: never set here (no TIN input, M11). */
    CAP: bit(0, 'w1c'),
    /** TCN reached TRR and left it (M1). */
    REF: bit(1, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 6, 'reserved'),
  }),
};

/** The MCF5206 timer module's registers: TMR1 … TER1 at 0x00–0x11, TMR2 … TER2 at 0x20–0x31. */
export const MCF5206_TIMER_REGISTERS = defineRegisterMap({
  /** Timer 1 (MBAR + 0x100) and timer 2 (MBAR + 0x120). */
  Timer: defineChannels(TIMER_BLOCK, 2, 0x20, { name: '{reg}{n}', first: 1 }),
});
