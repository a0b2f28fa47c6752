/**
 * Samsung Exynos4210 Multi Core Timer (MCT): one global 64-bit up-counting free-running counter
 * (G_CNT) with four 64-bit comparators (auto-increment optional), and two local timers, each a
 * tick counter (TCNT) driving an interrupt counter (ICNT) plus a local free-running counter
 * (FRCNT). Registers sit in a slower clock domain: a write sets a "write status" bit that
 * software polls and clears.
 *
 * Manual: Exynos4210 User's Manual, chapter "Multi Core Timer (MCT)" (not read: the register
 * facts come from ../shared/reference/devices-2.md §14, Linux's `drivers/clocksource/exynos_mct.c`
 * (the older driver that writes G_CNT and reads U/L/U, and the newer one that only starts the
 * counter and reads G_CNT_L), the device-tree binding `samsung,exynos4210-mct`, and Samsung's
 * TizenRT `s5j_mct.c`, whose comments describe the global counter and whose ICNTB of 0 asks for
 * an interrupt every tick). QEMU's `exynos4210.mct` was a cross-check of behaviour only (no
 * code); each departure from it is marked "QEMU:" below.
 *
 * Ports: the clock input `fin` (XusbXTI, Linux's "fin_pll", 24 MHz on the boards): every counter
 * counts at fin / (MCT_CFG.PRESCALER + 1) / 2^MCT_CFG.DIVIDER (X12). Outputs (levels,
 * {@link Exynos4210Mct.lines}): `g0`-`g3`, the comparators' interrupts (G_INT_CSTAT bit n and
 * G_INT_ENB bit n), and `l0`, `l1`, the local timers' interrupts (ICNT and FRC expiry, each with
 * its enable), as the device tree lists them (QEMU's six outputs; the Exynos4412's per-CPU PPI
 * wiring is not modelled).
 * Timing: exact by default (`timing` option): a counter cycle is exactly divisor·10^9/hz ns, so
 * 24 MHz (41⅔ ns) keeps exact time over any number of periods (test/devices/catalogue.timing.spec.ts);
 * `timing: 'qemu'` reproduces QEMU's 64.32 fixed-point period floored per countdown.
 * Options: checked when the device is built (the kit's `checkDeviceOptions`): `fin` must be a
 * ClockInput; a misspelt option, an empty name, an unknown `delivery` or `timing` is a
 * DeviceConfigError naming it.
 *
 * Not modelled (and what the guest sees instead):
 * - The clock-domain crossing: a write takes effect, and sets its write-status bit, within the
 *   access (X11); Linux's poll sees the bit at its first read. The "mct" bus clock gate.
 * - The Exynos4412's third and fourth local timers (0x500, 0x600): on the Exynos4210 those
 *   offsets hold no register (`unmapped` guest errors, X13).
 * - Debug and low-power behaviour (none is documented for the block here).
 *
 * Structure: five ptimers (policy {@link EXYNOS4210_MCT_POLICY}): the global counter's (counting
 * down to its next comparator match, MctGlobalCounter.ts), and per local timer the tick counter's
 * (counting down to the next ICNT interrupt, MctLocalTimer.ts) and the FRC's. The 64-bit counter
 * and comparator arithmetic is exact (bigint), with no 2^32-cycle steps (QEMU: it advances its
 * global and tick counters in steps of at most 2^32 cycles, each an extra timer event).
 *
 * Ambiguities, and how they were decided (tests in test/devices/exynos4210-mct/, titles start with
 * the tag):
 * X1 Comparator match. The global counter steps up once per cycle; comparator n matches when
 *    the counter steps into G_COMPn (so Linux's `G_COMP0 = G_CNT + cycles` interrupts `cycles`
 *    cycles later); a comparator written equal to the counter matches only after a full 2^64
 *    wrap. Only an enabled comparator (G_TCON.COMPn_ENABLE) matches, and only while the counter
 *    counts (TIMER_ENABLE). Comparators equal to one another match at one edge. A read at the
 *    edge's instant shows the value before it, or, ordered after the expiry step, the new value
 *    with its status bit (G1). QEMU: a disabled comparator equal to the counter at one of its
 *    events sets its status bit too. ('X1 …')
 * X2 Auto-increment: at a match with COMPn_AUTO_INC set, G_COMPn += G_COMPn_ADD_INCR (mod
 *    2^64) in the match's step, so the next match is ADD_INCR cycles on (Linux's periodic mode);
 *    ADD_INCR 0 leaves the comparator where it is (its next match a full wrap on). ('X2 …')
 * X3 G_CNT_L/U writes replace that half of the counter; counting, it goes on from the new value
 *    with a fresh cycle; stopped, it holds it. Nothing is stored in the registers (reads are the
 *    counter). TIMER_ENABLE 0 freezes the counter, 1 resumes it with a fresh cycle. QEMU: any
 *    G_CNT or G_COMP write restarts the counter even while TIMER_ENABLE is 0. ('X3 …')
 * X4 Re-timing. A write to an enabled comparator's L or U half, a COMPn_ENABLE change, and a
 *    G_CNT write re-plan the countdown from the value G_CNT reads, with a fresh cycle at the
 *    write: the partial cycle is lost (at most one counter cycle; the down-counting ptimer cannot
 *    move the end of a countdown in place; QEMU re-arms its ptimer the same way). Writes to a
 *    disabled comparator, to ADD_INCR and to AUTO_INC change no countdown in progress (only the
 *    one after it) and lose nothing. ('X4 …')
 * X5 Local tick counting. TCNT counts TCNTB … 0 (a tick of TCNTB + 1 cycles) and reloads; each
 *    tick, while ICNT counts (INT_START), ICNT counts ICNTB … 0 and the tick that leaves 0 is the
 *    interrupt: (TCNTB + 1)·(ICNTB + 1) cycles per interrupt. Linux registers its tick clockevent
 *    at fin / (TCNTB + 1) with TCNTB = 1 and asks for `cycles` ticks with ICNTB = cycles: its
 *    interrupt comes one tick (2 cycles) later than asked; TizenRT's ICNTB = 0 for an interrupt
 *    every tick agrees with this reading, QEMU too. Not checked against the manual. ('X5 …')
 * X6 TCNTB is a buffer: TCNT loads it when TIMER_START goes 0 -> 1 and at each tick's reload. A
 *    write while the tick counter counts leaves the current tick's count as it is and re-plans
 *    from TCNTO/ICNTO as they read, with a fresh cycle (the partial cycle lost, X4's reason).
 *    QEMU: the write restarts the tick counter with the new length at once. ('X6 …')
 * X7 ICNTB. With MANUAL_UPDATE (bit 31) the written count is loaded into ICNT at once (and a
 *    one-shot ICNT that stopped counts again); the bit is a command: it stores nothing and reads
 *    0. Without it, ICNTB is loaded at the next interrupt in interval mode. QEMU: bit 31 reads
 *    back; the product of the two counts is raised to at least 0x100 (the value read back
 *    changed); neither here. ('X7 …')
 * X8 L_TCON. TIMER_START 0 -> 1 loads TCNT from TCNTB; 1 -> 0 freezes TCNT and ICNT (TCNTO and
 *    ICNTO read them). INT_START gates ICNT; 0 -> 1 resumes it from its value (a one-shot ICNT
 *    that stopped included). INTERVAL_MODE 1: ICNT reloads ICNTB at its interrupt; 0
 *    (one-shot): after its interrupt ICNT stops at 0 and interrupts no more until reloaded
 *    (MANUAL_UPDATE) or restarted (INT_START 0 -> 1); TCNT goes on. FRC_START 0 -> 1 loads the
 *    local FRC from FRCNTB, 1 -> 0 freezes it. QEMU: FRC_START never starts or stops the FRC
 *    (it stores L_TCON before testing the edge). ('X8 …')
 * X9 Local FRC. Counts FRCNTB … 0 (FRCNTB + 1 cycles), then sets L_INT_CSTAT.FRC and reloads
 *    FRCNTB (a buffer: a write applies at the next reload). QEMU: a period of FRCNTB cycles
 *    (FRCNTB 0 for 2^32), its count read one lower between edges (a LEGACY ptimer). ('X9 …')
 * X10 Interrupts: status bits rise whatever the enables say; each line is a level, high while a
 *    status bit and its enable are both set (G_INT_CSTAT & G_INT_ENB bit n for gn; L_INT_CSTAT &
 *    L_INT_ENB for ln), lowered by the W1C write or by clearing the enable. QEMU: its G_INT_ENB
 *    write compares the new enables with G_TCON rather than the old enables, so clearing an
 *    enable does not always lower a pending line. ('X10 …')
 * X11 Write status. A write to G_CNT_L/U, G_COMPn_L/U/ADD_INCR, G_TCON, Ln_TCNTB/ICNTB/FRCNTB and
 *    Ln_TCON sets its G_CNT_WSTAT, G_WSTAT or Ln_WSTAT bit within the access (no domain-crossing
 *    delay, as QEMU); writing 1 clears it. A refused access sets nothing. ('X11 …')
 * X12 Rate: fin / (PRESCALER + 1) / 2^DIVIDER for every counter; DIVIDER 5-7 (not among the
 *    manual's ÷1-÷16, per the reference) divide by 32, 64, 128, as QEMU. An MCT_CFG write or a
 *    fin change re-times each running counter from its reading with a fresh cycle (the kit's
 *    CounterRate rule); at 0 Hz every counter freezes. QEMU: fin is fixed at 24 MHz. ('X12 …')
 * X13 Access sizes: 32-bit only (`bad-size` otherwise). TCNTO, ICNTO and FRCNTO are read-only
 *    (`read-only` guest errors, as QEMU logs them). Offsets of the 2 KiB window (the device
 *    tree's `reg` size) that hold no register are `unmapped` guest errors. QEMU: its region is
 *    0x444 bytes and an unknown offset aborts the emulator (hw_error). (guest-error spec)
 * X14 Reads at an instant with an event show the counters before it when ordered before the
 *    expiry step and after it (with the status bit set) when ordered after: never a mix (G1).
 *    (harness spec)
 *
 * Legacy `bottom-half` delivery (only to show the race): a write that re-plans a counter between
 * its event and the bottom half takes the event's place (the bottom half finds the ptimer
 * re-armed and does nothing: that match or interrupt is lost), as on the i.MX GPT.
 *
 * Policy: see EXYNOS4210_MCT_POLICY (QEMU's ptimers are LEGACY: its counters read one count lower
 * between edges).
 *
 * Device kit: a KitDevice (RegisterBank on EXYNOS4210_MCT_REGISTERS, EventOutlet), five
 * timers from one `channelTimers` call, one CounterRate for the block's rate; `dispose()` ends the clock watch and the timers.
 *
 * Snapshots: {@link Exynos4210MctSnapshot}, checked by one strict schema, by each ptimer's own
 * rules (`global.timer.<field>`, `locals[i].tick.<field>`, `locals[i].frc.<field>`), and by the
 * invariants that hold by construction, each refused at the field that breaks it:
 * - `finHz` is fin's rate now; while it is not 0 every ptimer's period is one counter cycle of
 *   fin ÷ MCT_CFG's division;
 * - G_CNT_L/U, TCNTO, ICNTO and FRCNTO store nothing; ICNTB.MANUAL_UPDATE stores nothing;
 * - global: frozen (TIMER_ENABLE 0 or no clock) the ptimer is stopped with a count of 1 and no
 *   reload value (`end` holds G_CNT); counting, it runs, its countdown ends at `end`, the nearest
 *   match of an enabled comparator after the start value `end - delta` (or 2^64 - 1 cycles on),
 *   and under `sync` it is periodic with the next countdown's length as its reload value (under
 *   `bottom-half` one-shot);
 * - local tick: `icntDone` only with `icnt` 0; frozen (TIMER_START 0 or no clock) the ptimer is
 *   stopped with a count of 1 and no reload value; ticking, its count at the segment's start is
 *   the segment's length from `tcnt`, `icnt`, `icntDone`, INT_START and TCNTB, and under `sync`
 *   it is periodic with the next segment's length as its reload value;
 * - local FRC: its reload value is FRCNTB + 1; it runs periodic exactly while FRC_START is set
 *   and the clock runs; its count is 1 to 2^32;
 * - under `bottom-half`, a global countdown or tick segment that ended and whose bottom half is
 *   pending (its ptimer stopped at a count of 0 while it counts) is taken only by a restore after
 *   which the pending bottom halves are put back (`withBottomHalvesPutBack`: the explorer's forks).
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: a match's or interrupt's
 * status bit changes in the expiry step itself, G1); 'bottom-half' exists only to show the
 * LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  checkDeviceOptions,
  CounterRate,
  expectResetValues,
  expectSame,
  expectTimerPeriod,
  refuseSnapshot,
  RegisterBank,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotField,
  snapshotHz,
  snapshotInteger,
  snapshotObject,
  snapshotPart,
  snapshotTuple,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShape,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { EXYNOS4210_MCT_REGISTERS } from './EXYNOS4210_MCT_REGISTERS';
import { checkMctGlobal, MctGlobalCounter, type MctGlobalHost } from './MctGlobalCounter';
import { checkMctLocal, MctLocalTimer, type MctLocalNames, type MctLocalState } from './MctLocalTimer';
import { countersAt, MASK64, matches, segmentLength, type Comparator, type TickCounters } from './mctCounting';

/** The policy flags of all five ptimers, one reason each. */
export const EXYNOS4210_MCT_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // G_CNT, TCNTO, ICNTO and FRCNTO read like the hardware's counters: a countdown's start value throughout its first cycle (X1, X5, X9)
  'TRIGGER_ONLY_ON_DECREMENT', // only a countdown counted down to its end is an event; none starts at 0, and one that did must not fire
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Exynos4210MctSnapshot} format version. */
export const EXYNOS4210_MCT_SNAPSHOT_VERSION = 1;

/** The global counter's part of an {@link Exynos4210MctSnapshot}. */
export interface Exynos4210MctGlobalSnapshot {
  /** Its ptimer: the cycles left to the countdown's end. */
  readonly timer: PTimerSnapshot;
  /** The counter value the countdown ends at (frozen: G_CNT), an unsigned 64-bit decimal string. */
  readonly end: string;
}

/** A local timer's part of an {@link Exynos4210MctSnapshot}. */
export interface Exynos4210MctLocalSnapshot extends MctLocalState {
  /** The tick counter's ptimer: the cycles left to the segment's end (frozen: stopped at 1). */
  readonly tick: PTimerSnapshot;
  /** The free-running counter's ptimer: FRCNTO + 1. */
  readonly frc: PTimerSnapshot;
}

/** The MCT's whole state as plain, versioned data. */
export interface Exynos4210MctSnapshot extends DeviceSnapshot {
  readonly version: typeof EXYNOS4210_MCT_SNAPSHOT_VERSION;
  /** The register bank (the counters' observation registers store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** `fin` when the snapshot was taken; restore requires the input to be at it. */
  readonly finHz: number;
  /** The global counter. */
  readonly global: Exynos4210MctGlobalSnapshot;
  /** Local timers 0 and 1. */
  readonly locals: readonly [Exynos4210MctLocalSnapshot, Exynos4210MctLocalSnapshot];
}

/** Options of {@link Exynos4210Mct}. */
export interface Exynos4210MctOptions {
  /** The counters' input clock (XusbXTI, 24 MHz on the boards); rate changeable at run time, 0 Hz = stopped. */
  readonly fin: ClockInput;
  /** Instance name, the `source` of its events (default `'exynos4210-mct'`). */
  readonly name?: string;
  /** Delivery of the counters' events: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counters keep time (see "Timing" in the module header): `'exact'` (default) or
   * QEMU's `'qemu'`, its 64.32 fixed-point period floored per countdown.
   */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof EXYNOS4210_MCT_REGISTERS>;

const MAP = EXYNOS4210_MCT_REGISTERS;
const R = MAP.byName;
const TIMER_ENABLE = R.G_TCON.fieldByName.TIMER_ENABLE.mask;
/** TIMER_ENABLE and the four COMPn_ENABLE bits: a change re-plans the countdown (X3, X4). */
const RETIMING = TIMER_ENABLE | 0x55;
/** The four COMPn_AUTO_INC bits: a change re-plans only the countdown after the current one (X4). */
const AUTO_INC = 0xaa;
const LOW32 = 0xffff_ffffn;
const INDICES = [0, 1] as const;
/** The ptimers' name suffixes, by channel of their shared handler: the global counter, then each local timer's tick and FRC. */
const TIMER_SUFFIXES = ['.global', '.l0.tick', '.l0.frc', '.l1.tick', '.l1.frc'] as const;
const COMPARATORS = [0, 1, 2, 3] as const;
/** Each local timer's register names by role. */
const LOCAL_NAMES = INDICES.map((i) => MAP.channel('L', i)) as unknown as readonly [MctLocalNames, MctLocalNames];
/** Each comparator's register names by role. */
const COMP_NAMES = COMPARATORS.map((n) => MAP.channel('G_COMP', n));
/** Registers that store nothing: the counters' observation registers. */
const FIXED = [R.G_CNT_L, R.G_CNT_U, ...LOCAL_NAMES.flatMap((n) => [n.TCNTO, n.ICNTO, n.FRCNTO].map((name) => R[name as keyof typeof R]))];
const MANUAL_UPDATE = R.L0_ICNTB.fieldByName.MANUAL_UPDATE.mask;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MAP);

const isU64Decimal = (v: unknown): boolean => typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) <= MASK64;

/** MCT_CFG's division of fin: (PRESCALER + 1) · 2^DIVIDER (X12). */
const divisorOf = (cfg: number): number => ((cfg & 0xff) + 1) * 2 ** ((cfg >>> 8) & 7);

/** The four comparators as registers `r` hold them. */
const comparatorsOf = (r: (name: string) => number): Comparator[] => {
  const tcon = r('G_TCON');
  return COMP_NAMES.map((c, n) => ({
    value: (BigInt(r(c.U)) << 32n) | BigInt(r(c.L)),
    enabled: ((tcon >>> (2 * n)) & 1) === 1,
    autoInc: ((tcon >>> (2 * n + 1)) & 1) === 1,
    increment: BigInt(r(c.ADD_INCR)),
  }));
};

/** A local timer's part of the snapshot schema. */
const localSchema = () =>
  snapshotObject(
    {
      tick: snapshotPart(),
      frc: snapshotPart(),
      tcnt: snapshotInteger(0, 0xffff_ffff, 'must be a 32-bit TCNT value'),
      icnt: snapshotInteger(0, 0x7fff_ffff, 'must be a 31-bit ICNT value'),
      icntDone: snapshotBoolean(),
    },
    'an object (a local timer)',
  );

/** The fields of {@link Exynos4210MctSnapshot} besides `device`, `version` and `registers`. */
const snapshotFields = () => ({
  finHz: snapshotHz(),
  global: snapshotObject(
    { timer: snapshotPart(), end: snapshotField<string>(isU64Decimal, 'must be a decimal string of an unsigned 64-bit counter value') },
    'an object (the global counter)',
  ),
  locals: snapshotTuple([localSchema(), localSchema()], 'local timer 0, local timer 1'),
});

/** The MCT's output lines by name (see {@link Exynos4210Mct.lines}). */
type MctLines = {
  /** Comparator 0's interrupt. */
  g0: IrqLine;
  /** Comparator 1's interrupt. */
  g1: IrqLine;
  /** Comparator 2's interrupt. */
  g2: IrqLine;
  /** Comparator 3's interrupt. */
  g3: IrqLine;
  /** Local timer 0's interrupt. */
  l0: IrqLine;
  /** Local timer 1's interrupt. */
  l1: IrqLine;
};

/**
 * The Exynos4210 MCT (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (a comparator match, a tick interrupt and an FRC
 * expiry change their status bits and lines in the counter's expiry step); G2/G3 through the
 * ptimers' transactions, one per register access and counter.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const mct = new Exynos4210Mct(clock, { fin: new ClockInput('fin', 24_000_000) });
 * mct.write(0x208, 4, 24_000);  // G_COMP0_ADD_INCR: 1 ms at 24 MHz
 * mct.write(0x200, 4, 24_000);  // G_COMP0_L: the first match 1 ms after the start
 * mct.write(0x248, 4, 1);       // G_INT_ENB: comparator 0's interrupt
 * mct.write(0x240, 4, 0x103);   // G_TCON: TIMER_ENABLE | COMP0_AUTO_INC | COMP0_ENABLE
 * clock.advanceTo(1_000_000);   // the first match
 * mct.lines.g0.level;           // true
 * ```
 */
export class Exynos4210Mct extends KitDevice<Registers, MctLines> {
  /**
   * Creates the MCT with its registers at their reset values and every counter frozen at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - the clock input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `fin` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Exynos4210MctOptions) {
    checkDeviceOptions('Exynos4210Mct', options, { fin: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'exynos4210-mct');
    this.fin = options.fin;
    this.delivery = options.delivery ?? 'sync';
    // Expiries reach the handlers in each ptimer's expiry step, in its callback context (G1, G3).
    // One wiring and one handler for the five ptimers, by channel (TIMER_SUFFIXES' order); names one string piece each (#19).
    const [globalTimer, l0Tick, l0Frc, l1Tick, l1Frc] = this.attachTimers(TIMER_SUFFIXES.map((suffix) => this.name + suffix), {
      policy: EXYNOS4210_MCT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: Exynos4210Mct.expired,
    }) as [PTimer, PTimer, PTimer, PTimer, PTimer];
    this.globalTimer = globalTimer;
    this.outputs = {
      g0: new IrqLine(this.name + '.g0'),
      g1: new IrqLine(this.name + '.g1'),
      g2: new IrqLine(this.name + '.g2'),
      g3: new IrqLine(this.name + '.g3'),
      l0: new IrqLine(this.name + '.l0'),
      l1: new IrqLine(this.name + '.l1'),
    };
    this.attachBank(MAP, Exynos4210Mct.HOOKS);
    const bank = this.bank as unknown as RegisterBank<RegisterShape>;
    this.global = new MctGlobalCounter({
      timer: this.globalTimer,
      rate: this.rate,
      delivery: this.delivery,
      device: this,
      host: Exynos4210Mct.GLOBAL_HOST,
    });
    this.locals = INDICES.map(
      (i) => new MctLocalTimer({ bank, names: LOCAL_NAMES[i], tick: i === 0 ? l0Tick : l1Tick, frc: i === 0 ? l0Frc : l1Frc, rate: this.rate, delivery: this.delivery }),
    ) as unknown as readonly [MctLocalTimer, MctLocalTimer];
    this.followClock(this.fin, Exynos4210Mct.finChanged);
    this.initCounters();
  }

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<Exynos4210Mct>();
    return build.of(MAP, {
      MCT_CFG: { write: (d) => d.onRate() },
      G_CNT_L: { read: (d) => Number(d.global.value() & LOW32), write: (d, v) => d.writeCounter('L', v) },
      G_CNT_U: { read: (d) => Number(d.global.value() >> 32n), write: (d, v) => d.writeCounter('U', v) },
      ...build.channels(MAP, 'G_COMP', (n) => ({
        L: { write: (d) => d.writeComparator(n, 'L') },
        U: { write: (d) => d.writeComparator(n, 'U') },
        ADD_INCR: { write: (d) => d.writeIncrement(n) },
      })),
      G_TCON: { write: (d, value, old) => d.writeGlobalControl(value, old) },
      ...build.channels(MAP, 'L', (i) => ({
        TCNTB: { write: (d) => d.locals[i].writeTcntb() },
        TCNTO: { read: (d) => Number(d.locals[i].counters().tcnt) },
        ICNTB: { write: (d, v) => d.locals[i].writeIcntb(v) },
        ICNTO: { read: (d) => Number(d.locals[i].counters().icnt) },
        FRCNTB: { write: (d, v) => d.locals[i].writeFrcntb(v) },
        FRCNTO: { read: (d) => Number(d.locals[i].frcnto()) },
        TCON: { write: (d, value, old) => d.locals[i].writeTcon(value, old) },
      })),
    });
  })();

  /** Reset: registers from the map's reset values (MCT_CFG 0: the counters at fin), every counter frozen at 0, nothing pending. */
  override reset(): void {
    this.bank.reset();
    this.initCounters();
  }

  snapshot(): Exynos4210MctSnapshot {
    const local = (i: 0 | 1): Exynos4210MctLocalSnapshot => ({
      tick: this.localTimers[i].tick.snapshot(),
      frc: this.localTimers[i].frc.snapshot(),
      ...this.locals[i].state(),
    });
    return {
      ...this.snapshotHead(EXYNOS4210_MCT_SNAPSHOT_VERSION),
      finHz: this.fin.hz,
      global: { timer: this.globalTimer.snapshot(), end: this.global.endValue.toString() },
      locals: [local(0), local(1)],
    };
  }

  /**
   * Loads an {@link Exynos4210MctSnapshot} taken at the clock's current time by an MCT of this
   * name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock mismatch (`finHz`), a ptimer's own rules (`global.timer.<field>`,
   *   `locals[i].tick.<field>`, `locals[i].frc.<field>`), or an invariant of the module header
   *   ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Exynos4210Mct', version: EXYNOS4210_MCT_SNAPSHOT_VERSION }, snapshotFields);
    expectSame('finHz', s.finHz, this.fin.hz, "the fin input's frequency now");
    const global = this.checkTimer(this.globalTimer, s.global.timer, 'global.timer');
    const locals = INDICES.map((i) => ({
      tick: this.checkTimer(this.localTimers[i].tick, s.locals[i].tick, `locals[${i}].tick`),
      frc: this.checkTimer(this.localTimers[i].frc, s.locals[i].frc, `locals[${i}].frc`),
    }));
    const r = s.registers.registers;
    this.checkConsistency(r, global, locals, BigInt(s.global.end), s.locals);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.globalTimer, s.global.timer, 'global.timer'],
      ...INDICES.flatMap((i) => [
        [this.localTimers[i].tick, s.locals[i].tick, `locals[${i}].tick`] as const,
        [this.localTimers[i].frc, s.locals[i].frc, `locals[${i}].frc`] as const,
      ]),
    ]);
    this.global.adopt(BigInt(s.global.end));
    for (const i of INDICES) this.locals[i].adopt(s.locals[i]);
    this.rate.adopt(s.finHz, divisorOf(r['MCT_CFG']!)); // the ptimers' snapshots carry the period these stand for
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The registers of {@link EXYNOS4210_MCT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** What the global counter asks the device (one table for every instance, #19). */
  private static readonly GLOBAL_HOST: MctGlobalHost<Exynos4210Mct> = {
    enabled: (d) => (d.bank.get('G_TCON') & TIMER_ENABLE) !== 0,
    comparators: (d) => d.comparators(),
    match: (d, value) => d.matchAt(value),
  };

  /** fin changed rate (one function for every instance). */
  private static readonly finChanged = (d: Exynos4210Mct): void => d.onRate();

  /** Every ptimer's handler, by channel (TIMER_SUFFIXES' order), then the lines (in the ptimer's callback context under sync). */
  private static readonly expired = (d: Exynos4210Mct, channel: number): void => {
    if (channel === 0) d.global.onExpiry();
    else {
      const local = d.locals[(channel - 1) >> 1]!;
      if ((channel & 1) === 1) local.onTickExpiry();
      else local.onFrcExpiry();
    }
    d.updateIrq();
  };

  /** The counter stepped into `value`: each enabled comparator equal to it matches (X1, X2). */
  private matchAt(value: bigint): void {
    let flags = 0;
    this.comparators().forEach((c, n) => {
      if (!matches(c, value)) return;
      flags |= 1 << n;
      if (c.autoInc) {
        const next = (c.value + c.increment) & MASK64;
        this.bank.set(COMP_NAMES[n]!.L, Number(next & LOW32));
        this.bank.set(COMP_NAMES[n]!.U, Number(next >> 32n));
      }
    });
    if (flags !== 0) this.bank.set('G_INT_CSTAT', this.bank.get('G_INT_CSTAT') | flags);
  }

  /** G_CNT_L/U write: that half of the counter takes the value; nothing is stored (X3, X11). */
  private writeCounter(half: 'L' | 'U', value: number): void {
    const now = this.global.value();
    this.bank.set(half === 'L' ? 'G_CNT_L' : 'G_CNT_U', 0);
    this.bank.setField('G_CNT_WSTAT', half === 'L' ? 'CNT_L' : 'CNT_U', 1);
    const next = half === 'L' ? (now & ~LOW32 & MASK64) | BigInt(value) : (now & LOW32) | (BigInt(value) << 32n);
    this.global.restart(next);
  }

  /** G_COMPn_L/U write: an enabled comparator re-plans the countdown (X4, X11). */
  private writeComparator(n: number, half: 'L' | 'U'): void {
    this.bank.setField('G_WSTAT', `COMP${n}_${half}` as 'COMP0_L', 1);
    if (((this.bank.get('G_TCON') >>> (2 * n)) & 1) === 1) this.global.restart();
  }

  /** G_COMPn_ADD_INCR write: only the countdown after a match changes (X2, X4, X11). */
  private writeIncrement(n: number): void {
    this.bank.setField('G_WSTAT', `COMP${n}_ADD_INCR` as 'COMP0_ADD_INCR', 1);
    this.global.replanReload();
  }

  /** G_TCON write: the enables re-plan, the auto-increments re-plan what follows (X3, X4, X11). */
  private writeGlobalControl(value: number, old: number): void {
    this.bank.setField('G_WSTAT', 'TCON', 1);
    const changed = value ^ old;
    if ((changed & RETIMING) !== 0) this.global.restart();
    else if ((changed & AUTO_INC) !== 0) this.global.replanReload();
  }

  /** MCT_CFG write or a fin change: every counter at the new rate (X12). */
  private onRate(): void {
    const was = this.rate.running;
    const hz = this.fin.hz;
    const divisor = divisorOf(this.bank.get('MCT_CFG'));
    this.global.applyRate(hz, divisor, was);
    for (const local of this.locals) local.applyRate(hz, divisor, was);
    this.updateIrq();
  }

  /** The rate applied and every counter frozen at 0 (the registers at their reset values). */
  private initCounters(): void {
    this.onRate();
    this.global.restart(0n);
    for (const local of this.locals) local.reset();
    this.updateIrq();
  }

  private comparators(): Comparator[] {
    return comparatorsOf((name) => this.bank.get(name as 'G_TCON'));
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the ptimers accepted. */
  private checkConsistency(
    r: Readonly<Record<string, number>>,
    global: TimerPartView,
    locals: readonly { readonly tick: TimerPartView; readonly frc: TimerPartView }[],
    end: bigint,
    states: readonly MctLocalState[],
  ): void {
    expectResetValues(r, FIXED);
    for (const names of LOCAL_NAMES) {
      if ((r[names.ICNTB]! & MANUAL_UPDATE) !== 0) {
        refuseSnapshot(registerPath(names.ICNTB), r[names.ICNTB], `must have ${registerPath(names.ICNTB, 'MANUAL_UPDATE')} 0: a command, it stores nothing (X7)`);
      }
    }
    const hz = this.fin.hz;
    const divisor = divisorOf(r['MCT_CFG']!);
    if (hz > 0) {
      const because = `of one counter cycle: fin at ${hz} Hz (finHz) ÷ ${divisor}, ${registerPath('MCT_CFG')}'s division (X12)`;
      expectTimerPeriod(global, hz, divisor, because);
      for (const l of locals) {
        expectTimerPeriod(l.tick, hz, divisor, because);
        expectTimerPeriod(l.frc, hz, divisor, because);
      }
    }
    checkMctGlobal(global, end, comparatorsOf((name) => r[name]!), (r['G_TCON']! & TIMER_ENABLE) !== 0, hz > 0, this.delivery);
    for (const i of INDICES) checkMctLocal(r, LOCAL_NAMES[i], `locals[${i}]`, states[i]!, locals[i]!.tick, locals[i]!.frc, hz > 0, this.delivery);
  }

  /**
   * The output lines by name: `g0`-`g3`, comparator n's interrupt (G_INT_CSTAT & G_INT_ENB bit
   * n), and `l0`, `l1`, local timer i's interrupt (Li_INT_CSTAT & Li_INT_ENB) (X10).
   */
  protected createLines(): MctLines {
    return this.outputs;
  }

  /**
   * What guest reads return now, read without an access: `gcnt` (64 bits, G_CNT_U:L) and, per
   * local timer i, `li.tcnto` (32), `li.icnto` (31) and `li.frcnto` (32).
   */
  protected createProbes(): readonly DeviceProbe[] {
    // The probes map the ptimers' counts as the observation registers' read hooks do.
    const global = this.global;
    /**
     * A local timer's TCNTO or ICNTO: frozen counters while its tick ptimer is stopped, else its segment's counters at
     * the count. ICNTO steps once per TCNTB + 1 counts and only down within a segment: a coarse mapping.
     */
    const tickProbe = (i: 0 | 1, name: string, width: number, pick: (c: TickCounters) => bigint, coarse = false): DeviceProbe =>
      timerProbe(this.localTimers[i].tick, {
        name,
        width,
        coarse,
        state: () => {
          const s = this.locals[i].runningSegment();
          if (s !== undefined) return [s.tcnt, s.icnt, s.counting, s.tcntb] as const;
          const c = this.locals[i].counters();
          return [c.tcnt, c.icnt, undefined, undefined] as const;
        },
        value: (count, [tcnt, icnt, counting, tcntb]) => {
          if (counting === undefined || tcntb === undefined) return pick({ tcnt, icnt });
          const segment = { tcnt, icnt, counting, tcntb };
          return pick(countersAt(segment, segmentLength(segment) - count));
        },
      });
    return [
      // As MctGlobalCounter.value(): frozen, the value it ends at; counting, that less the count.
      timerProbe(this.globalTimer, {
        name: 'gcnt',
        width: 64,
        state: () => [this.globalTimer.mode === 'stopped', global.endValue] as const,
        value: (count, [frozen, end]) => (frozen ? end : end - count),
      }),
      ...INDICES.flatMap((i) => [
        tickProbe(i, `l${i}.tcnto`, 32, (c) => c.tcnt),
        tickProbe(i, `l${i}.icnto`, 31, (c) => c.icnt, true),
        // As MctLocalTimer.frcnto(): the FRC ptimer's count less one.
        timerProbe(this.localTimers[i].frc, { name: `l${i}.frcnto`, width: 32, value: (count) => (count === 0n ? 0n : count - 1n) }),
      ]),
    ];
  }

  /** The one place the outputs are computed (X10), called at the end of every state change. */
  protected updateIrq(): void {
    const out = this.outputs;
    const pending = this.bank.get('G_INT_CSTAT') & this.bank.get('G_INT_ENB');
    out.g0.set((pending & 1) !== 0);
    out.g1.set((pending & 2) !== 0);
    out.g2.set((pending & 4) !== 0);
    out.g3.set((pending & 8) !== 0);
    out.l0.set((this.bank.get('L0_INT_CSTAT') & this.bank.get('L0_INT_ENB')) !== 0);
    out.l1.set((this.bank.get('L1_INT_CSTAT') & this.bank.get('L1_INT_ENB')) !== 0);
  }

  /** The counters' input clock. */
  readonly fin: ClockInput;
  /** The output lines (the same object {@link Exynos4210Mct.lines} freezes). */
  private readonly outputs: MctLines;
  private readonly globalTimer: PTimer;
  /** Each local timer's ptimers (its tick and FRC counters), from the local timer itself (no object per pair, #19). */
  private get localTimers(): readonly [MctLocalTimer, MctLocalTimer] {
    return this.locals;
  }
  private readonly global: MctGlobalCounter;
  private readonly locals: readonly [MctLocalTimer, MctLocalTimer];
  private readonly rate = new CounterRate();
  /** How the ptimers' expiries reach the device (only `sync` plans the next countdown ahead). */
  private readonly delivery: TriggerDelivery;
}
