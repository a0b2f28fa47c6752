import { bit, bits, defineChannels, defineRegisterMap, reg32, type FieldMode, type UnmodelledRegister } from '../../src/bus';

/**
 * What a GPTIMER's register map depends on: the core's build-time configuration (the GRLIB
 * VHDL generics `ntimers`, `sbits`, `pirq`, `sepirq`) and its revision.
 */
export interface GrlibGptimerLayout {
  /** Number of timers, 1 to 7 (CONFIG.TIMERS). */
  readonly timers: number;
  /** Width of the prescaler (SCALER and SRELOAD), 1 to 16 bits. */
  readonly scalerBits: number;
  /** First interrupt number, 0 to 31 (CONFIG.IRQ). */
  readonly irq: number;
  /** One interrupt per timer (CONFIG.SI = 1) or one shared by all. */
  readonly separateInterrupts: boolean;
  /** Core revision: 0 (IP takes the written value) or 1 (IP is write-1-to-clear). */
  readonly revision: 0 | 1;
}

/** The layout of a GPTIMER as current LEON3/LEON4 designs (GR712RC, UT699, QEMU's boards with more timers) build it. */
export const GRLIB_GPTIMER_DEFAULT_LAYOUT: GrlibGptimerLayout = Object.freeze({ timers: 4, scalerBits: 16, irq: 8, separateInterrupts: true, revision: 1 });

/** CONFIG's value: TIMERS, IRQ and SI as the layout gives them (DF resets to 0). */
export const grlibGptimerConfig = (layout: GrlibGptimerLayout): number => (layout.timers | (layout.irq << 3) | (layout.separateInterrupts ? 1 << 8 : 0)) >>> 0;

/**
 * One timer's three modelled registers, offsets from the core's base for timer 1 (timer n is
 * 0x10·(n - 1) further on). The fourth word of each timer's block, TLATCHn, is not modelled
 * (see {@link grlibGptimerUnmodelled}).
 * @param revision - the core's revision: IP is write-1-to-clear from revision 1, a plain bit before
 */
const timerBlock = (revision: 0 | 1) => ({
  /** TCNTVALn: the timer's value, decremented at each prescaler tick (read hook: the count). */
  TCNTVAL: reg32(0x10),
  /** TRLDVALn: loaded into TCNTVALn by CTRL.LD, and at an underflow when CTRL.RS is 1. */
  TRLDVAL: reg32(0x14),
  /** TCTRLn: enable, restart, load, interrupt enable and pending, chain, debug halt. */
  TCTRL: reg32(0x18, {
    /** Enable: the timer counts prescaler ticks (or, with CH, the preceding timer's underflows). */
    EN: bit(0),
    /** Restart: an underflow reloads TRLDVALn; without it the timer stops at 0xFFFFFFFF and EN clears. */
    RS: bit(1),
    /** Load: writing 1 loads TRLDVALn into TCNTVALn at once; reads 0 (a one-cycle strobe). */
    LD: bit(2, 'wo'),
    /** Interrupt enable: an underflow sets IP (and signals the interrupt). */
    IE: bit(3),
    /** Interrupt pending: set by an underflow with IE; revision 1 clears it on a written 1, revision 0 stores the written bit. */
    IP: bit(4, (revision === 1 ? 'w1c' : 'rw') satisfies FieldMode),
    /** Chain: the timer counts the preceding timer's underflows instead of prescaler ticks. */
    CH: bit(5),
    /** Debug halt: the GPTI.DHALT input (the counters frozen while a debugger halts the system); not modelled, reads 0. */
    DH: bit(6, 'ro'),
    /** Reserved (WN/WS exist on a watchdog timer only, which this model does not build): reads 0, writes ignored. */
    RESERVED: bits(7, 25, 'reserved'),
  }),
});

const MAPS = new Map<string, ReturnType<typeof buildMap>>();

const buildMap = (layout: GrlibGptimerLayout) => {
  const top = (1 << layout.scalerBits) - 1;
  const prescaler = {
    /** The prescaler's `scalerBits` bits. */
    VALUE: bits(0, layout.scalerBits),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(layout.scalerBits, 32 - layout.scalerBits, 'reserved'),
  };
  // Bits 16 up to 16 + timers - 1 of CONFIG: no field, so a 1 written there is reported as unimplemented
  // (at most 7 timers: the reserved bits above always exist).
  const firstFree = 16 + layout.timers;
  return defineRegisterMap({
    /** SCALER: the prescaler's value, decremented every clock cycle while a timer is enabled (read hook). */
    SCALER: reg32(0x00, prescaler, { reset: top }),
    /** SRELOAD: the prescaler's reload value; a write also loads SCALER (the prescaler restarts from it). */
    SRELOAD: reg32(0x04, prescaler, { reset: top }),
    /** CONFIG: the core's configuration (TIMERS, IRQ, SI) and the debug-freeze disable DF. */
    CONFIG: reg32(
      0x08,
      {
        /** Number of implemented timers. */
        TIMERS: bits(0, 3, 'ro'),
        /** The first timer's interrupt number (timer n uses IRQ + n - 1 when SI is 1). */
        IRQ: bits(3, 5, 'ro'),
        /** Separate interrupts: 1 when each timer has its own interrupt. */
        SI: bit(8, 'ro'),
        /** Disable timer freeze: 1 keeps the timers counting while GPTI.DHALT halts the system (stored; debug halt is not modelled). */
        DF: bit(9),
        /** The external-clock, latch, set and external-latch enables (EE, EL, ES, EV): a core built without those options reads 0. */
        OPTIONS: bits(10, 4, 'reserved'),
        /** Reserved: reads 0, writes ignored. */
        RESERVED0: bits(14, 2, 'reserved'),
        /** Reserved: reads 0, writes ignored (bits 16 … 15 + timers, below, have no field: a 1 written there is reported). */
        RESERVED1: bits(firstFree, 32 - firstFree, 'reserved'),
      },
      { reset: grlibGptimerConfig(layout) },
    ),
    /** TCNTVALn, TRLDVALn, TCTRLn of timers 1 to `timers`, 0x10 apart (`channel('T', n - 1)`). */
    T: defineChannels(timerBlock(layout.revision), layout.timers, 0x10, { name: '{reg}{n}', first: 1 }),
  });
};

/**
 * The register map of a GRLIB GPTIMER built with `layout` (GRLIB IP Core User's Manual,
 * "GPTIMER - General Purpose Timer Unit"; GR712RC user manual §11.3, tables 49-54), keyed by
 * the manual's mnemonics, offsets from the core's APB base (0x80000300 on most LEON3 boards).
 * Maps are built once per layout and shared. Behaviour lives in `GrlibGptimer` (see its
 * header for every decision).
 *
 * | offset | register | reset |
 * |---|---|---|
 * | 0x00 | SCALER | all ones (scalerBits wide) |
 * | 0x04 | SRELOAD | all ones |
 * | 0x08 | CONFIG | TIMERS \| IRQ << 3 \| SI << 8 |
 * | 0x0C | LATCHCFG | not modelled |
 * | 0x10·n | TCNTVALn | 0 |
 * | 0x10·n + 0x04 | TRLDVALn | 0 |
 * | 0x10·n + 0x08 | TCTRLn | 0 |
 * | 0x10·n + 0x0C | TLATCHn | not modelled |
 *
 * Every register takes 32-bit accesses only (an APB slave).
 * @param layout - timers, prescaler width, interrupt configuration, revision
 * @returns the map
 */
export const grlibGptimerRegisters = (layout: GrlibGptimerLayout) => {
  const key = `${layout.timers}/${layout.scalerBits}/${layout.irq}/${layout.separateInterrupts}/${layout.revision}`;
  let map = MAPS.get(key);
  if (map === undefined) MAPS.set(key, (map = buildMap(layout)));
  return map;
};

/** A GPTIMER register map (of any layout). */
export type GrlibGptimerRegisterMap = ReturnType<typeof grlibGptimerRegisters>;

/** The register map of the default layout ({@link GRLIB_GPTIMER_DEFAULT_LAYOUT}: 4 timers, 16-bit prescaler, IRQ 8, separate interrupts, revision 1). */
export const GRLIB_GPTIMER_REGISTERS: GrlibGptimerRegisterMap = grlibGptimerRegisters(GRLIB_GPTIMER_DEFAULT_LAYOUT);

/**
 * The registers of the time-latch option (GRLIB's `glatch`), which this model does not build:
 * LATCHCFG at 0x0C and each timer's TLATCHn. An access is an `unimplemented` event.
 * @param timers - the number of timers
 * @returns the registers
 */
export const grlibGptimerUnmodelled = (timers: number): readonly UnmodelledRegister[] =>
  Object.freeze([
    { name: 'LATCHCFG', offset: 0x0c },
    ...Array.from({ length: timers }, (_, i) => ({ name: `TLATCH${i + 1}`, offset: 0x10 * (i + 1) + 0x0c })),
  ]);
