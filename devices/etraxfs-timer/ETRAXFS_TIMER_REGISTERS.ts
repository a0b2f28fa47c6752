/**
 * Register map of the Axis ETRAX FS timer block (CRIS v32), keyed by the register description's
 * names (the chip's timer_regs.r, as Linux's generated `timer_defs.h` gives it: offsets, field
 * positions, reset values and the encodings below). Behaviour lives in `EtraxfsTimer` (see its
 * header for every decision); the block's registers it leaves out (the counter/trigger unit, the
 * output select, the test register) are listed in `ETRAXFS_TIMER_NOT_MODELLED`.
 *
 * Every register is 32 bits and takes 32-bit accesses only (device header, E12). Reset values
 * are all 0.
 */
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type UnmodelledRegister } from '../../src/bus';

/** rw_tmrN_ctrl: the timer's operation and clock. */
const TMR_CTRL = {
  /** Operation: 0 load (the counter takes rw_tmrN_div and holds), 1 hold, 2 run, 3 reserved (E1, E5). */
  op: bits(0, 2),
  /** Clock: 0 off, 1 external, 4 29.493 MHz, 5 32 MHz, 6 32.768 MHz, 7 100 MHz; 2 and 3 reserved (E5). */
  freq: bits(2, 3),
  /** Unused: reads 0, writes ignored. */
  dummy1: bits(5, 27, 'reserved'),
} as const satisfies FieldSpecs;

/** The interrupt sources, in rw_intr_mask, rw_ack_intr, r_intr and r_masked_intr. */
const intr = (mode: 'rw' | 'wo' | 'ro') =>
  ({
    /** Timer 0 reached 0. */
    tmr0: bit(0, mode),
    /** Timer 1 reached 0. */
    tmr1: bit(1, mode),
    /** The counter unit (not modelled: never set; a 1 written to its mask bit is reported). */
    cnt: bit(2, mode === 'rw' ? 'unimplemented' : mode),
    /** The trigger unit (not modelled: never set; a 1 written to its mask bit is reported). */
    trig: bit(3, mode === 'rw' ? 'unimplemented' : mode),
    /** Unused: reads 0, writes ignored. */
    dummy1: bits(4, 28, 'reserved'),
  }) as const satisfies FieldSpecs;

/** The timer block's modelled registers: the two timers, the time counter, the watchdog and the interrupt block. */
export const ETRAXFS_TIMER_REGISTERS = defineRegisterMap({
  /** Timer 0's reload value: the counter takes it at a load and at every step to 0 (E1, E3). */
  rw_tmr0_div: reg32(0x00),
  /** Timer 0's counter (read hook). */
  r_tmr0_data: reg32(0x04, {}, { access: 'ro' }),
  /** Timer 0's operation and clock. */
  rw_tmr0_ctrl: reg32(0x08, TMR_CTRL),
  /** Timer 1's reload value. */
  rw_tmr1_div: reg32(0x10),
  /** Timer 1's counter (read hook). */
  r_tmr1_data: reg32(0x14, {}, { access: 'ro' }),
  /** Timer 1's operation and clock. */
  rw_tmr1_ctrl: reg32(0x18, TMR_CTRL),
  /** The free-running time counter (read hook): 100 MHz, from 0 at reset, wrapping at 2^32 (E14). */
  r_time: reg32(0x38, {}, { access: 'ro' }),
  /** Watchdog control: a write while the watchdog runs must carry the complement of the last key (E9). */
  rw_wd_ctrl: reg32(0x40, {
    /** Start value of the 8-bit watchdog counter (0 counts as 256). */
    cnt: bits(0, 8),
    /** 1 start, 0 stop. */
    cmd: bit(8),
    /** The 7-bit key. */
    key: bits(9, 7),
    /** Unused: reads 0, writes ignored. */
    dummy1: bits(16, 16, 'reserved'),
  }),
  /** Watchdog status (read hook): the counter and whether it was started (E10). */
  r_wd_stat: reg32(
    0x44,
    {
      /** The watchdog counter now. */
      cnt: bits(0, 8, 'ro'),
      /** The last accepted rw_wd_ctrl.cmd. */
      cmd: bit(8, 'ro'),
    },
    { access: 'ro' },
  ),
  /** Interrupt mask: 1 lets the source drive the interrupt line. */
  rw_intr_mask: reg32(0x48, intr('rw')),
  /** Interrupt acknowledge: a 1 clears the source's r_intr bit; reads 0 (a strobe, E7). */
  rw_ack_intr: reg32(0x4c, intr('wo')),
  /** The sources' raw state (set by the block, cleared through rw_ack_intr; E8). */
  r_intr: reg32(0x50, intr('ro'), { access: 'ro' }),
  /** r_intr & rw_intr_mask (read hook). */
  r_masked_intr: reg32(0x54, intr('ro'), { access: 'ro' }),
});

/** The block's registers this model leaves out (E13): accesses are `unimplemented` events reading 0. */
export const ETRAXFS_TIMER_NOT_MODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'rs_cnt_data', offset: 0x20 },
  { name: 'r_cnt_data', offset: 0x24 },
  { name: 'rw_cnt_cfg', offset: 0x28 },
  { name: 'rw_trig', offset: 0x30 },
  { name: 'rw_trig_cfg', offset: 0x34 },
  { name: 'rw_out', offset: 0x3c },
  { name: 'rw_test', offset: 0x58 },
]);

/** rw_tmrN_ctrl.op encodings (regk_timer_ld, _hold, _run). */
export const ETRAXFS_TIMER_OP = Object.freeze({
  /** Load: the counter takes div and keeps taking it. */
  ld: 0,
  /** Hold: the counter is frozen. */
  hold: 1,
  /** Run: the counter counts down. */
  run: 2,
} as const);

/** rw_tmrN_ctrl.freq encodings (regk_timer_off, _ext, _f29_493, _f32, _f32_768, _f100). */
export const ETRAXFS_TIMER_FREQ = Object.freeze({
  /** No clock: the counter holds. */
  off: 0,
  /** The external timer clock (`ext`). */
  ext: 1,
  /** 29.493 MHz (`f29_493`). */
  f29_493: 4,
  /** 32 MHz (`f32`). */
  f32: 5,
  /** 32.768 MHz (`f32_768`). */
  f32_768: 6,
  /** 100 MHz (`f100`). */
  f100: 7,
} as const);
