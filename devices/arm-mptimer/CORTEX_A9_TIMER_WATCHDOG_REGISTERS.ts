/**
 * Register map of one Cortex-A9 MPCore CPU's private timer and watchdog (ARM DDI 0407,
 * "Global timer, private timers, and watchdog registers"), at offsets from the block's
 * base (PERIPHBASE + 0x600). Behaviour lives in `CortexA9TimerWatchdog` (see its header
 * for every decision).
 *
 * The TRM names its registers only in full ("Private Timer Load Register"); the keys are
 * ARM's own short names for them in CMSIS-Core for Cortex-A (`Timer_Type`): LOAD, COUNTER,
 * CONTROL, ISR for the private timer, W-prefixed for the watchdog. Field names follow the
 * TRM's bit names. Every register resets to 0 and takes 32-bit accesses only (header, A7);
 * bits the TRM reserves are `reserved` (read 0, writes ignored, no event).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** First value of the watchdog disable sequence (written to WDISABLE). */
export const WDOG_DISABLE_KEY_1 = 0x1234_5678;
/** Second value of the watchdog disable sequence: written right after the first, it leaves watchdog mode. */
export const WDOG_DISABLE_KEY_2 = 0x8765_4321;

/** The private timer and watchdog registers of one CPU (region 0x100 bytes; 0x10-0x1f and 0x38-0xff hold nothing). */
export const CORTEX_A9_TIMER_WATCHDOG_REGISTERS = defineRegisterMap({
  /** Private Timer Load Register: the reload value; a write also sets the counter. */
  LOAD: reg32(0x00),
  /** Private Timer Counter Register (read hook: the ptimer's count; a write sets the count; nothing is stored). */
  COUNTER: reg32(0x04),
  /** Private Timer Control Register. */
  CONTROL: reg32(0x08, {
    /** Timer Enable: 1 runs the counter. */
    ENABLE: bit(0),
    /** Auto reload: 0 single shot, 1 reload from LOAD at zero. */
    AUTO_RELOAD: bit(1),
    /** IRQ Enable: PPI 29 pending while the event flag is set. */
    IRQ_ENABLE: bit(2),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_7_3: bits(3, 5, 'reserved'),
    /** Prescaler: the counter decrements every PRESCALER + 1 PERIPHCLK cycles. */
    PRESCALER: bits(8, 8),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_31_16: bits(16, 16, 'reserved'),
  }),
  /** Private Timer Interrupt Status Register. */
  ISR: reg32(0x0c, {
    /** Event flag: set when the counter reaches zero; write 1 to clear. */
    EVENT_FLAG: bit(0, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_31_1: bits(1, 31, 'reserved'),
  }),
  /** Watchdog Load Register: the reload value; a write also sets the counter (the keepalive). */
  WLOAD: reg32(0x20),
  /** Watchdog Counter Register (read hook: the ptimer's count; writes refused in watchdog mode). */
  WCOUNTER: reg32(0x24),
  /** Watchdog Control Register. */
  WCONTROL: reg32(0x28, {
    /** Watchdog Enable: 1 runs the counter. */
    ENABLE: bit(0),
    /** Auto reload: 0 single shot, 1 reload from WLOAD at zero (timer mode only). */
    AUTO_RELOAD: bit(1),
    /** IT Enable: PPI 30 pending while the event flag is set. */
    IT_ENABLE: bit(2),
    /** Watchdog mode: 1 watchdog mode, 0 timer mode; a written 0 is ignored (only the disable sequence clears it). */
    WD_MODE: bit(3),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_7_4: bits(4, 4, 'reserved'),
    /** Prescaler: the counter decrements every PRESCALER + 1 PERIPHCLK cycles. */
    PRESCALER: bits(8, 8),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_31_16: bits(16, 16, 'reserved'),
  }),
  /** Watchdog Interrupt Status Register (timer mode only). */
  WISR: reg32(0x2c, {
    /** Event flag: set when the counter reaches zero in timer mode; write 1 to clear. */
    EVENT_FLAG: bit(0, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_31_1: bits(1, 31, 'reserved'),
  }),
  /** Watchdog Reset Status Register. */
  WRESET: reg32(0x30, {
    /** Reset flag: set by a watchdog-mode timeout; write 1 to clear; survives reset() (A6). */
    RESET_FLAG: bit(0, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED_31_1: bits(1, 31, 'reserved'),
  }),
  /** Watchdog Disable Register (write-only): stores WDOG_DISABLE_KEY_1 while the sequence is half-way, else 0. */
  WDISABLE: reg32(0x34, {}, { access: 'wo' }),
});
