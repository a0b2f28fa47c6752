/**
 * Register maps of the Sun4m counter/timers of the SLAVIO ("Slave I/O", STP2001 / NCR89C105)
 * chip: one processor counter/timer block per CPU and the system counter/timer block, keyed by
 * the names the sun4m drivers give them (Linux `sun4m_timer_percpu` / `sun4m_timer_global`,
 * NetBSD `counter_4m` / `timer_4m`). Behaviour lives in `SlavioTimer` (see its header for every
 * decision).
 *
 * Processor counter n sits at 0x1000·n (one 4 KiB page each, as on the chip). The system counter
 * sits 64 KiB above the first processor counter on the chip (layout `'chip'`, offset 0x1_0000);
 * layout `'compact'` moves it to 0x4000, the page after the fourth processor counter, so the
 * whole block fits one 64 KiB window (X11). Only the blocks of the CPUs the instance has are
 * mapped; everything else in the window is unmapped.
 *
 * Every register takes 32-bit accesses only (X10). A processor counter's limit and counter
 * registers change meaning with the CPU's bit of TIMER_CONFIG (counter/timer mode, or the 54-bit
 * user timer), so they declare no fields: their layouts are given on each register below.
 */
import { bit, bits, defineChannels, defineRegisterMap, reg32, type FieldMode, type RegisterOptions, type RegisterShapeOf } from '../../src/bus';

/** Where the system counter/timer block sits: on the chip (`'chip'`) or right after the processor blocks (`'compact'`). */
export type SlavioTimerLayout = 'chip' | 'compact';

/** The layouts, for option checks. */
export const SLAVIO_TIMER_LAYOUTS: readonly SlavioTimerLayout[] = Object.freeze(['chip', 'compact']);

/** Offset of the system counter/timer block in each layout (X11). */
export const SLAVIO_SYSTEM_OFFSET: Readonly<Record<SlavioTimerLayout, number>> = Object.freeze({ chip: 0x1_0000, compact: 0x4000 });

/** Bytes from one processor counter/timer block to the next (one page). */
export const SLAVIO_PROCESSOR_STRIDE = 0x1000;

/** The most processor counters a sun4m system has (four MBus modules). */
export const SLAVIO_MAX_CPUS = 4;

/** Every register is a 32-bit word register (X10). */
const WORD: RegisterOptions['sizes'] = [4];

/**
 * One processor counter/timer block (offsets from the block). Counter/timer mode: the limit
 * (bits 30:9, in 500 ns units) and the counter (bit 31 limit reached, bits 30:9 the count), as
 * in the system block. User-timer mode: the 54-bit counter, most significant word at LIMIT
 * (bit 31 limit reached, bits 30:0 count bits 53:23), least significant at COUNTER (bits 31:9
 * count bits 22:0).
 */
export const SLAVIO_PROCESSOR_BLOCK = {
  /**
   * Counter/timer mode: the limit. A read returns it and clears the limit-reached bit and the
   * interrupt (X4); a write sets it and restarts the count at 1 (X3). User-timer mode: the
   * counter's most significant word; a write sets count bits 53:23 (X7).
   */
  LIMIT: reg32(0x00, {}, { sizes: WORD }),
  /**
   * Counter/timer mode: limit reached (bit 31) and the count (bits 30:9), read-only (X10).
   * User-timer mode: the counter's least significant word; a write sets count bits 22:0 (X7).
   */
  COUNTER: reg32(0x04, {}, { sizes: WORD }),
  /** The non-resetting limit: a write sets the limit and leaves the count (X5). Write-only. */
  LIMIT_NR: reg32(0x08, {}, { access: 'wo', sizes: WORD }),
  /** The user timer's start/stop register: RUN counts in user-timer mode, nothing in counter/timer mode (X8). */
  START_STOP: reg32(
    0x0c,
    {
      /** 1: the user timer counts; 0: it holds its value. Stored in either mode (X8). */
      RUN: bit(0),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(1, 31, 'reserved'),
    },
    { reset: 1, sizes: WORD },
  ),
};

/** The limit field of the system limit registers (bits 30:9), with the bits that hold nothing. */
const LIMIT_FIELDS = {
  /** Reserved: read 0, writes ignored (500 ns is the counter's resolution). */
  RESERVED_LOW: bits(0, 9, 'reserved'),
  /** The limit, in 500 ns units; 0 lets the counter run free over its 22 bits (X2). */
  LIMIT: bits(9, 22),
  /** Reserved: reads 0, writes ignored. */
  RESERVED_HIGH: bit(31, 'reserved'),
} as const;

/**
 * The map of `cpus` processor blocks and the system block at `systemOffset`.
 * @internal
 */
const buildMap = (cpus: number, systemOffset: number) => {
  const tBit = (n: number): FieldMode => (n < cpus ? 'rw' : 'reserved');
  return defineRegisterMap({
    /** Processor counter/timer n (CPU0_LIMIT … CPU3_START_STOP), one 4 KiB page each. */
    // Typed as four CPUs, the most there are: a map with fewer simply lacks the others' registers.
    CPU: defineChannels(SLAVIO_PROCESSOR_BLOCK, cpus as 4, SLAVIO_PROCESSOR_STRIDE, { name: 'CPU{n}_{reg}' }),
    /** System limit: a read returns it and clears the limit-reached bit and the level-10 interrupt (X4); a write sets it and restarts the count at 1 (X3). */
    SYS_LIMIT: reg32(systemOffset + 0x00, LIMIT_FIELDS, { sizes: WORD }),
    /** System counter (read-only, computed at the read; X1). */
    SYS_COUNTER: reg32(
      systemOffset + 0x04,
      {
        /** Reserved: read 0. */
        RESERVED: bits(0, 9, 'reserved'),
        /** The count, in 500 ns units: 1 after a limit write or a match, up to limit − 1 (X1). */
        COUNT: bits(9, 22, 'ro'),
        /** Limit reached: set when the count reaches the limit; cleared by a read of SYS_LIMIT, not by this read (X4). */
        LIMIT_REACHED: bit(31, 'ro'),
      },
      { access: 'ro', sizes: WORD },
    ),
    /** System non-resetting limit: a write sets the limit and leaves the count (X5). Write-only. */
    SYS_LIMIT_NR: reg32(systemOffset + 0x08, LIMIT_FIELDS, { access: 'wo', sizes: WORD }),
    /** Timer configuration: bit n puts processor counter n in user-timer mode (X6). */
    TIMER_CONFIG: reg32(
      systemOffset + 0x10,
      {
        /** Processor counter 0 in user-timer mode. */
        T0: bit(0, tBit(0)),
        /** Processor counter 1 in user-timer mode (reserved with fewer than 2 CPUs). */
        T1: bit(1, tBit(1)),
        /** Processor counter 2 in user-timer mode (reserved with fewer than 3 CPUs). */
        T2: bit(2, tBit(2)),
        /** Processor counter 3 in user-timer mode (reserved with fewer than 4 CPUs). */
        T3: bit(3, tBit(3)),
        /** Reserved: reads 0, writes ignored. */
        RESERVED: bits(4, 28, 'reserved'),
      },
      { sizes: WORD },
    ),
  });
};

/** The full map: four CPUs, the chip's layout. The type every layout and CPU count shares. */
export const SLAVIO_TIMER_REGISTERS = buildMap(SLAVIO_MAX_CPUS, SLAVIO_SYSTEM_OFFSET.chip);

/** The register names and fields of every SLAVIO timer map. */
export type SlavioTimerRegisters = RegisterShapeOf<typeof SLAVIO_TIMER_REGISTERS>;

const maps = new Map<string, typeof SLAVIO_TIMER_REGISTERS>([[`${SLAVIO_MAX_CPUS}:chip`, SLAVIO_TIMER_REGISTERS]]);

/**
 * The register map of an instance with `cpus` processor counters in `layout`: the processor
 * blocks of those CPUs (the others are unmapped) and the system block. One map per pair, shared.
 * @param cpus - 1 to 4
 * @param layout - where the system block is (X11)
 * @returns the map, typed as {@link SLAVIO_TIMER_REGISTERS} (its registers of absent CPUs do not exist)
 */
export const slavioTimerRegisters = (cpus: number, layout: SlavioTimerLayout) => {
  const key = `${cpus}:${layout}`;
  let map = maps.get(key);
  if (map === undefined) {
    map = buildMap(cpus, SLAVIO_SYSTEM_OFFSET[layout]);
    maps.set(key, map);
  }
  return map;
};
