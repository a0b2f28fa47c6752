/**
 * Gaisler GRLIB GPTIMER, the general-purpose timer unit of LEON2/3/4 SPARC systems (GR712RC,
 * UT699, GR740, LEON3 FPGA designs): a prescaler shared by one to seven 32-bit down-counting
 * timers, each with a reload value, restart, load, chaining and an interrupt, the interrupts
 * separate (one per timer) or shared.
 *
 * Manual: GRLIB IP Core User's Manual, "GPTIMER - General Purpose Timer Unit"; Cobham Gaisler
 * GR712RC user manual, chapter 11 "General Purpose Timer Unit" (§11.2 operation, §11.3
 * registers, tables 49-54), read as text. Where the manuals are silent the GRLIB VHDL of the
 * core (gptimer.vhd, revisions 0 and 1) was read for behaviour. The drivers whose register
 * sequences test/devices/grlib-gptimer/GrlibGptimer.drivers.spec.ts replays: RTEMS's GPTIMER
 * timer-library driver and its clock driver, RTEMS's LEON3 clock driver, Linux's
 * arch/sparc/kernel/leon_kernel.c, Zephyr's drivers/timer/leon_gptimer.c. QEMU's `grlib-gptimer` was a cross-check only (behaviour, no
 * code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `clk`: the APB clock the core runs on, a {@link ClockInput} (default 40 MHz, QEMU's
 *   leon3_generic), rate changeable at run time, 0 Hz = stopped (X12).
 * - The interrupt outputs, {@link GrlibGptimer.irqs} (and `lines`), named after the interrupt
 *   they drive: with separate interrupts (CONFIG.SI, the default) timer n drives `irq<IRQ + n - 1>`
 *   (`irq8` … `irq11` by default); shared, every timer drives `irq<IRQ>`. Each is a level (X6).
 *
 * ## Timing
 * The prescaler divides `clk` by SRELOAD + 1; the timers count its underflows (ticks). Exact by
 * default (`timing` option): a cycle is exactly 10^9/clk ns, so a period of (TRLDVAL + 1) ticks
 * is (TRLDVAL + 1)·(SRELOAD + 1) cycles, with no drift. At QEMU's 40 MHz a cycle is 25 ns and
 * both timings agree; at a clock that is not a whole number of ns per cycle (the GR712RC's
 * 48 MHz: 20⅚ ns) `timing: 'qemu'` takes QEMU's 64.32 fixed-point cycle, each countdown
 * floored, and its k-th underflow comes up to k ns early. (GrlibGptimer.spec.ts, "timing …")
 *
 * ## Policy
 * {@link GRLIB_GPTIMER_POLICY}. Each timer that counts ticks is a ptimer counting `clk` cycles
 * to its next underflow: (cycles to the prescaler's next underflow) + value·(SRELOAD + 1); its
 * value is computed from that count. A periodic ptimer (TCTRL.RS) reloads
 * (TRLDVAL + 1)·(SRELOAD + 1) cycles at the underflow itself. QEMU: one LEGACY ptimer per timer
 * counting ticks.
 *
 * ## Not modelled, and what the guest sees instead
 * - The watchdog option (GRLIB `wdog`: the last timer enabled at reset with a preset value, the
 *   WDOGN output, TCTRL.WN/WS; on the GR712RC timer 4, 0xFFFF): not built; WN/WS read 0.
 * - The time-latch option (LATCHCFG, TLATCHn, CONFIG.EL/EV), the external clock (CONFIG.EE), the
 *   external set (CONFIG.ES): a core built without them; LATCHCFG and TLATCHn accesses are
 *   `unimplemented` events reading 0 (UnmodelledRegisters); EE/EL/ES/EV read 0.
 * - Debug halt: TCTRL.DH reads 0 (GPTI.DHALT low); CONFIG.DF is stored and has no effect.
 * - The writes of 1 to CONFIG bits 16 … 15 + timers, which later cores take as "set EN of
 *   timer n" (read in the revision 1 VHDL, in no manual read): `unimplemented` events, nothing
 *   changes.
 * - Timer widths below 32 bits (GRLIB `nbits`): the timers are 32-bit.
 * - The shared decrementer's timing: hardware updates timer n n cycles after the tick and
 *   needs a division of at least timers + 1; here every timer steps at the tick itself and a
 *   smaller division counts as programmed (X1). QEMU: the same.
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/grlib-gptimer/ (GrlibGptimer.spec.ts unless named), titles start with the tag.
 * X1 The prescaler. SCALER counts down one per `clk` cycle and, when it would go below 0,
 *    reloads SRELOAD and ticks every timer: a tick every SRELOAD + 1 cycles. A SRELOAD write
 *    loads SCALER too (VHDL: the prescaler restarts from the new value); a SCALER write sets
 *    the value it counts from. Revision 1 stops the prescaler while no timer is enabled
 *    (VHDL), revision 0 runs it always. Reset: both all ones (VHDL). Reads of SCALER show the
 *    live value. QEMU: SCALER stores what is written, SRELOAD only sets the timers' rate, both
 *    reset to 0.
 * X2 Counting. An enabled timer (CH 0) decrements at each tick; decrementing from 0 is the
 *    underflow: IP is set if IE is 1, and with RS the timer reloads TRLDVAL (a period is
 *    TRLDVAL + 1 ticks); without RS it stops at 0xFFFFFFFF and EN clears (GR712RC §11.2).
 *    QEMU: without RS the value reads 0 and EN stays set.
 * X3 Starting. A timer that starts counting (EN set, a LD or TCNTVAL write while enabled)
 *    takes its first tick at the prescaler's next underflow, as the hardware does, not a whole
 *    tick later. A start in the very instant of a prescaler underflow counts from the next
 *    one (the write is taken as just after that clock edge, though reads in that instant
 *    still show the state before it). QEMU: a whole tick later (the prescaler has no phase).
 * X4 TCTRL writes. LD loads TRLDVAL at once, enabled or not, and reads 0. A write that keeps
 *    EN at 1 without LD leaves the count alone (Linux's interrupt acknowledge writes TCTRL
 *    back); EN 0 freezes the value, EN 1 resumes it. QEMU: LD is never cleared (every later
 *    read-modify-write reloads) and EN restarts from the last loaded value.
 * X5 IP. Revision 1 (current GRLIB, the `revision` default): a written 1 clears it, a 0 keeps
 *    it. Revision 0 (GR712RC, UT699 manuals: "cleared by writing 0"): IP takes the written bit,
 *    so a 1 sets it, which is what Linux's and RTEMS's probe (write IP, read it back) tells
 *    the two apart by. QEMU: write-1-to-clear only.
 * X6 The interrupt output is a level: high while the timer's IP is set (separate), or while
 *    any timer's IP is set (shared). The VHDL pulses the interrupt for one cycle per underflow
 *    and the interrupt controller latches it; here the pending state is the timer's own IP, so
 *    a handler clears IP to lower it (every driver replayed here does, but RTEMS's LEON3 clock
 *    driver, which acknowledges only in the interrupt controller: there the line rises once).
 *    QEMU: a pulse.
 * X7 Chaining. A timer with CH 1 counts the preceding timer's underflows (whatever that one's
 *    IE), in the instant of that underflow, and its own underflow (X2) may step the next
 *    chained timer in the same instant. Timer 1 has no preceding timer: with CH 1 it never
 *    counts (the VHDL's wrap to the last timer sees a pulse that has already ended). QEMU:
 *    CH is stored and ignored.
 * X8 An access at an underflow's instant ordered before it sees the state before it: value
 *    0, IP clear (G1). A SCALER or SRELOAD write there re-times the timer from 0, so that
 *    underflow moves to the new prescaler phase.
 * X9 Sub-cycle phase. Accesses land between clock edges; a countdown started by a write counts
 *    whole cycles from the write (the kit's rule: the partial cycle is lost), taking the
 *    prescaler's value at the write. Two timers started at instants not a whole number of
 *    cycles apart may therefore step up to one cycle apart (hardware staggers them by up to
 *    `timers` cycles anyway); the prescaler and every timer it re-times at a SCALER, SRELOAD
 *    or clock change step together.
 * X10 A SCALER value above SRELOAD counts down from there: every timer's next tick is then
 *    SCALER + 1 cycles away; the value such a countdown started from is kept until its first
 *    tick (`firstTickValue` in the snapshot).
 * X11 Accesses: 32-bit only (an APB slave), others `bad-size` guest errors; offsets past the
 *    last timer are `unmapped` guest errors; TIMERS, IRQ, SI and DH ignore writes silently.
 *    (GrlibGptimer.guestErrors.spec.ts)
 * X12 Clock. 0 Hz freezes the prescaler and the timers; when the rate changes each counting
 *    timer goes on from its value with the prescaler's value, a fresh cycle at the new rate.
 * X13 Timers: 1 to 7, as CONFIG.TIMERS (3 bits) and the VHDL's `ntimers` allow.
 *
 * ## Snapshots
 * {@link GrlibGptimerSnapshot}, checked by one strict schema, each timer's own rules
 * (`timers[i].<field>`) and the invariants that hold by construction, refused at the field that
 * breaks them: CONFIG is this core's configuration (DF free); LD and DH store 0; each timer's
 * ptimer has the period of one `clk` cycle and reloads (TRLDVAL + 1)·(SRELOAD + 1); it runs
 * exactly while the timer counts ticks (EN 1, CH 0, `clk` running), one-shot when RS is 0,
 * from a count of 1 to SCALER's range plus 2^32 - 1 ticks, with TCNTVAL then storing 0 (the
 * value is the count's); stopped, it holds 0 and TCNTVAL the value; `firstTickValue` only for a
 * counting timer whose first tick is more than SRELOAD + 1 cycles away (X10); `scalerAnchor`,
 * the instant SCALER's stored value was loaded, not after now.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: IP, a reload or EN's clearing, a
 * chained timer's step and the line change in the underflow's step, G1); `bottom-half` exists
 * only to show the race (the timer has reloaded, IP is still clear).
 *
 * ## Device kit
 * A PartialKitDevice (KitDevice: RegisterBank on a {@link grlibGptimerRegisters} map,
 * EventOutlet; UnmodelledRegisters for the latch registers), one deviceTimer and CounterRate per
 * timer, checkDeviceOptions; what a configuration implies (register info and names, the latch
 * registers) is worked out once per map and shared; `dispose()` ends the clock watch and the timers.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  deviceHooks,
  type DeviceHooks,
  expectSame,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotField,
  snapshotHz,
  snapshotInteger,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterMap,
  type RegisterShape,
  type SnapshotLoad,
  type TimerPartView,
  type TriggerDelivery,
  type UnmodelledRegister,
} from '../../src/bus';
import { cycleCounterProbe } from '../../src/bus/kit/cycleCounterProbe';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import {
  GRLIB_GPTIMER_DEFAULT_LAYOUT,
  grlibGptimerConfig,
  grlibGptimerRegisters,
  grlibGptimerUnmodelled,
  type GrlibGptimerLayout,
  type GrlibGptimerRegisterMap,
} from './GRLIB_GPTIMER_REGISTERS';
import { cycleOf, scalerAt } from './gptimerScaler';

/** The timers' policy flags, one reason each (X2, X8). */
export const GRLIB_GPTIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the count is the cycles left including the current one: TCNTVAL reads the hardware value up to and at the underflow's instant (X8)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link GrlibGptimerSnapshot} format version. */
export const GRLIB_GPTIMER_SNAPSHOT_VERSION = 1;

/** The GPTIMER's whole state as plain, versioned data. */
export interface GrlibGptimerSnapshot extends DeviceSnapshot {
  readonly version: typeof GRLIB_GPTIMER_SNAPSHOT_VERSION;
  /** The core's revision (restore requires this device's). */
  readonly revision: 0 | 1;
  /** The register bank: SCALER holds the prescaler's value at `scalerAnchor`; a counting timer's TCNTVAL holds 0. */
  readonly registers: RegisterBankSnapshot;
  /** Each timer's ptimer: the `clk` cycles to its next underflow while it counts ticks. */
  readonly timers: readonly PTimerSnapshot[];
  /** For each timer, the value its countdown started from while its first tick is more than SRELOAD + 1 cycles away (X10), else `null`. */
  readonly firstTickValue: readonly (number | null)[];
  /** When the prescaler was loaded with SCALER's stored value (ns, not after the snapshot's time). */
  readonly scalerAnchor: number;
  /** `clk` when the snapshot was taken; restore requires the input to be at it. */
  readonly clkHz: number;
}

/** Options of {@link GrlibGptimer}. */
export interface GrlibGptimerOptions {
  /** The APB clock the core counts (default: an input of its own at 40 MHz, QEMU's leon3_generic); rate changeable, 0 Hz = stopped. */
  readonly clk?: ClockInput;
  /** Number of timers, 1 to 7 (CONFIG.TIMERS; default 4, the GR712RC's and UT699's first unit). */
  readonly timers?: number;
  /** The prescaler's width, 1 to 16 bits (GRLIB `sbits`; default 16; the GR712RC's second unit has 8). */
  readonly scalerBits?: number;
  /** The first timer's interrupt, 0 to 31, as CONFIG.IRQ reports it (default 8). With separate interrupts the last timer's, `irq + timers - 1`, must be at most 31. */
  readonly irq?: number;
  /** One interrupt per timer (CONFIG.SI = 1, default) or one shared by all timers. */
  readonly separateInterrupts?: boolean;
  /** The core's revision: 1 (default, current GRLIB: IP write-1-to-clear, the prescaler stops while no timer is enabled) or 0 (GR712RC, UT699: IP takes the written bit, the prescaler always runs) (X1, X5). */
  readonly revision?: 0 | 1;
  /** Instance name, the `source` of its events (default `'grlib-gptimer'`). */
  readonly name?: string;
  /** Delivery of the timers' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the timers keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

/** One timer's register names. */
interface TimerNames {
  readonly TCNTVAL: string;
  readonly TRLDVAL: string;
  readonly TCTRL: string;
}

const DEFAULT_CLK_HZ = 40_000_000;
/** Name suffixes, shared by every instance: `.timer<n>` by timer index (timer 1 first), `.irq<n>` by interrupt number. */
const TIMER_SUFFIXES = Array.from({ length: 7 }, (_, i) => `.timer${i + 1}`);
const IRQ_SUFFIXES = Array.from({ length: 32 }, (_, n) => `.irq${n}`);
const MAX32 = 0xffff_ffff;
const EN = 1 << 0;
const RS = 1 << 1;
const LD = 1 << 2;
const IE = 1 << 3;
const IP = 1 << 4;
const CH = 1 << 5;
const DH = 1 << 6;
const DF = 1 << 9;

const flag = (control: number, bit: number): boolean => (control & bit) !== 0;

/** The first tick of a countdown that was more than SRELOAD + 1 cycles away (X10): its value until then, and the countdown (its deadline). */
/** What one configuration's map implies, shared by every core of that configuration (#19). */
interface MapFacts {
  /** The configuration, frozen. */
  readonly layout: GrlibGptimerLayout;
  /** The map's registers as {@link RegisterInfo}. */
  readonly info: readonly RegisterInfo[];
  /** Each timer's register names by role, timer 1 first. */
  readonly names: readonly TimerNames[];
  /** 0 … timers - 1. */
  readonly indices: readonly number[];
  /** The latch registers (not modelled). */
  readonly unmodelled: readonly UnmodelledRegister[];
}

const mapFacts = new WeakMap<GrlibGptimerRegisterMap, MapFacts>();
const factsOf = (map: GrlibGptimerRegisterMap, layout: GrlibGptimerLayout): MapFacts => {
  let facts = mapFacts.get(map);
  if (facts === undefined) {
    const names = Array.from({ length: layout.timers }, (_, i) => map.channel('T', i) as TimerNames);
    facts = { layout: Object.freeze({ ...layout }), info: registerInfoOf(map), names, indices: names.map((_, i) => i), unmodelled: grlibGptimerUnmodelled(layout.timers) };
    mapFacts.set(map, facts);
  }
  return facts;
};

/** Each layout's map's shared register hooks (see `GrlibGptimer.hooksOf`). */
const HOOKS = new WeakMap<GrlibGptimerRegisterMap, DeviceHooks<RegisterShape, GrlibGptimer>>();

interface FirstTick {
  readonly value: number;
  readonly deadline: bigint;
}

/**
 * The GRLIB GPTIMER (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (an underflow's reload or stop, IP, a chained
 * timer's step and the interrupt line change in the underflow's step); G2/G3 through each
 * timer's transactions (no register write makes a timer underflow).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const gpt = new GrlibGptimer(clock);                   // 40 MHz, 4 timers, IRQ 8-11
 * gpt.write(0x04, 4, 39);                                // SRELOAD: a tick every 40 cycles, 1 MHz
 * gpt.write(0x14, 4, 999);                               // TRLDVAL1: 1000 ticks a period
 * gpt.write(0x18, 4, 0xf);                               // TCTRL1 = IE | LD | RS | EN
 * clock.advanceTo(1_000_000);                            // the first underflow: 1 ms
 * gpt.irqs[0].level;                                    // true (irq8): TCTRL1.IP is set
 * gpt.write(0x18, 4, 0x1b);                              // IE | IP | RS | EN: IP cleared, the count goes on
 * ```
 */
export class GrlibGptimer extends PartialKitDevice<RegisterShape, Readonly<Record<string, IrqLine>>> {
  /**
   * Creates the core with its registers at their reset values, every timer stopped and the
   * prescaler at all ones.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock input, configuration, revision, name, trigger delivery, timing
   * @throws DeviceConfigError for a `clk` that is not a ClockInput, `timers` outside 1-7, `scalerBits` outside 1-16, an `irq` outside 0-31 or one whose last separate interrupt passes 31, a `separateInterrupts` that is not a boolean, a `revision` other than 0 or 1, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: GrlibGptimerOptions = {}) {
    checkDeviceOptions('GrlibGptimer', options, {
      clk: 'clock?',
      timers: { integer: [1, 7], optional: true },
      scalerBits: { integer: [1, 16], optional: true },
      irq: { integer: [0, 31], optional: true },
      separateInterrupts: 'boolean?',
      revision: { oneOf: [0, 1], optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    const d = GRLIB_GPTIMER_DEFAULT_LAYOUT;
    const layout: GrlibGptimerLayout = {
      timers: options.timers ?? d.timers,
      scalerBits: options.scalerBits ?? d.scalerBits,
      irq: options.irq ?? d.irq,
      separateInterrupts: options.separateInterrupts ?? d.separateInterrupts,
      revision: options.revision ?? d.revision,
    };
    const { timers, irq, separateInterrupts } = layout;
    if (separateInterrupts && irq + timers - 1 > 31) {
      throw new DeviceConfigError(irq, `must be at most ${32 - timers} with ${timers} separate interrupts (the last timer's, IRQ + ${timers - 1}, must be at most 31)`, 'GrlibGptimer(options.irq)');
    }
    super(scheduler, options.name ?? 'grlib-gptimer');
    this.timing = options.timing ?? 'exact';
    this.clk = options.clk ?? new ClockInput(`${this.name}.clk`, DEFAULT_CLK_HZ);
    this.map = grlibGptimerRegisters(layout);
    this.facts = factsOf(this.map, layout);
    this.layout = this.facts.layout;
    this.registers = this.facts.info;
    this.maxScaler = 2 ** this.layout.scalerBits - 1;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One wiring for every timer, names one string piece each (#19).
    this.timers = this.attachTimers(this.indices.map((i) => this.name + TIMER_SUFFIXES[i]!), {
      policy: GRLIB_GPTIMER_POLICY,
      delivery: options.delivery,
      timing: this.timing,
      onExpiry: GrlibGptimer.expired,
    });
    this.rates = this.indices.map(() => new CounterRate());
    this.firstTicks = this.indices.map(() => undefined);
    this.attachBank(this.map as unknown as RegisterMap<RegisterShape>, GrlibGptimer.hooksOf(this.map, this.facts));
    this.attachUnmodelled({ registers: this.facts.unmodelled, what: 'time latch' });
    this.irqs = separateInterrupts ? this.indices.map((i) => new IrqLine(this.name + IRQ_SUFFIXES[irq + i]!)) : [new IrqLine(this.name + IRQ_SUFFIXES[irq]!)];
    this.appliedHz = this.clk.hz;
    this.reset();
    // reset() applied the current rate; each later change re-times the core at its instant (X12).
    this.followClock(this.clk, GrlibGptimer.clockChanged);
  }

  /** The clock changed rate (one function for every instance, #19). */
  private static readonly clockChanged = (d: GrlibGptimer): void => d.onClock();

  /** The register hooks of a layout's map, built once per map and shared by every instance (#19). */
  private static hooksOf(map: GrlibGptimerRegisterMap, facts: MapFacts): DeviceHooks<RegisterShape, GrlibGptimer> {
    let table = HOOKS.get(map);
    if (table === undefined) {
      type Hooks = { write?: (d: GrlibGptimer, value: number, old: number) => void; read?: (d: GrlibGptimer) => number };
      const hooks: Record<string, Hooks> = {
        SCALER: { read: (d) => d.scalerNow(), write: (d, v) => d.onScaler(v) },
        SRELOAD: { write: (d, v, old) => d.onScalerReload(v, old) },
      };
      for (const i of facts.indices) {
        const n = facts.names[i]!;
        hooks[n.TCNTVAL] = { read: (d) => d.tcntValue(i), write: (d, v) => d.onCounter(i, v) };
        hooks[n.TRLDVAL] = { write: (d) => d.onReload(i) };
        hooks[n.TCTRL] = { write: (d, v, old) => d.onControl(i, v, old) };
      }
      table = deviceHooks<GrlibGptimer>().of(map as unknown as RegisterMap<RegisterShape>, hooks);
      HOOKS.set(map, table);
    }
    return table;
  }

  /** Reset: registers to their reset values (SCALER and SRELOAD all ones, X1), every timer stopped at 0, the prescaler stopped (revision 1) or running from all ones (revision 0). */
  override reset(): void {
    for (const i of this.indices) this.timers[i]!.transaction((t) => this.idle(t));
    this.bank.reset();
    this.firstTicks.fill(undefined);
    this.scalerAnchor = this.scheduler.now();
    this.appliedHz = this.clk.hz;
    for (const i of this.indices) this.timers[i]!.transaction((t) => this.pace(i, t));
    this.updateIrq();
  }

  snapshot(): GrlibGptimerSnapshot {
    return {
      device: this.name,
      version: GRLIB_GPTIMER_SNAPSHOT_VERSION,
      revision: this.layout.revision,
      registers: this.bank.snapshot(),
      timers: this.timers.map((t) => t.snapshot()),
      firstTickValue: this.indices.map((i) => this.firstTickOf(i) ?? null),
      scalerAnchor: this.scalerAnchor,
      clkHz: this.clk.hz,
    };
  }

  /**
   * Loads a {@link GrlibGptimerSnapshot} taken at the clock's current time by a GPTIMER of this
   * name, revision and configuration; all or nothing (everything is checked before anything
   * changes). The `clk` input is the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the revision, a `clk` rate that differs from the input's, a timer's own rules
   *   (`timers[i].<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const now = this.scheduler.now();
    const count = this.layout.timers;
    const timers = `${count} timer${count === 1 ? '' : 's'}`;
    const s = this.parseSnapshot(snapshot, { device: 'GrlibGptimer', version: GRLIB_GPTIMER_SNAPSHOT_VERSION }, () => ({
      revision: snapshotField<0 | 1>((v) => v === this.layout.revision, `must be ${this.layout.revision}, this core's revision`),
      timers: snapshotField<readonly unknown[]>((v) => Array.isArray(v) && v.length === count, `must be an array of ${timers}' ptimer snapshots`),
      firstTickValue: snapshotField<readonly (number | null)[]>(
        (v) => Array.isArray(v) && v.length === count && v.every((x) => x === null || (Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= MAX32)),
        `must be an array of ${count} entries, each null or an integer in [0, ${MAX32}]`,
      ),
      scalerAnchor: snapshotInteger(0, Number.MAX_SAFE_INTEGER, 'must be a whole number of ns'),
      clkHz: snapshotHz(),
    }));
    if (s.scalerAnchor > now) refuseSnapshot('scalerAnchor', s.scalerAnchor, `must not be after now (${now} ns): the prescaler was loaded in the past`);
    expectSame('clkHz', s.clkHz, this.clk.hz, "the clk input's frequency now");
    const views = this.indices.map((i) => this.checkTimer(this.timers[i]!, s.timers[i], `timers[${i}]`));
    this.checkConsistency(s.registers.registers, views, s.firstTickValue);
    restoreParts([[this.bank, s.registers, 'registers'], ...this.indices.map((i): SnapshotLoad => [this.timers[i]!, s.timers[i], `timers[${i}]`])]);
    this.scalerAnchor = s.scalerAnchor;
    this.appliedHz = this.clk.hz;
    for (const i of this.indices) {
      this.rates[i]!.adopt(this.clk.hz);
      const value = s.firstTickValue[i];
      this.firstTicks[i] = value === null || value === undefined ? undefined : { value, deadline: this.timers[i]!.deadline! };
    }
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The interrupt outputs: one per timer with separate interrupts (timer n's is `irqs[n - 1]`), else the one shared line (X6). */
  readonly irqs: readonly IrqLine[];
  /** The registers of this core's map ({@link grlibGptimerRegisters}), in map order (the latch registers, not modelled, are not listed). */
  readonly registers: readonly RegisterInfo[];

  // ---- private: expiry ----------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: GrlibGptimer, i: number): void => d.onExpiry(i);

  /**
   * Timer `i` underflowed (in its callback context when delivery is sync): X2, X7. A periodic
   * ptimer has reloaded itself; a one-shot one has stopped at 0, and the timer stops at
   * 0xFFFFFFFF with EN cleared. Under `bottom-half` the guest may have restarted the timer
   * since: it is then left alone.
   */
  private onExpiry(i: number): void {
    const n = this.names[i]!;
    const before = this.anyEnabled();
    const control = this.bank.get(n.TCTRL);
    if (flag(control, IE)) this.bank.set(n.TCTRL, control | IP);
    const timer = this.timers[i]!;
    if (timer.mode === 'stopped' && timer.getCountNumber() === 0 && this.counts(i)) {
      this.bank.set(n.TCNTVAL, MAX32);
      this.bank.set(n.TCTRL, this.bank.get(n.TCTRL) & ~EN);
      this.firstTicks[i] = undefined;
    }
    this.cascade(i + 1);
    this.afterEnable(before, true); // the prescaler's underflow that caused this one has happened
    this.updateIrq();
  }

  /**
   * The chain after an underflow of timer `j - 1` (X7): timer `j`, if enabled and chained,
   * steps down once; its own underflow steps the next one, and so on.
   */
  private cascade(j: number): void {
    for (; j < this.layout.timers; j++) {
      const n = this.names[j]!;
      const control = this.bank.get(n.TCTRL);
      if (!flag(control, EN) || !flag(control, CH)) return;
      const value = this.bank.get(n.TCNTVAL);
      if (value !== 0) {
        this.bank.set(n.TCNTVAL, value - 1);
        return;
      }
      let next = flag(control, IE) ? control | IP : control;
      if (flag(control, RS)) {
        this.bank.set(n.TCNTVAL, this.bank.get(n.TRLDVAL));
      } else {
        this.bank.set(n.TCNTVAL, MAX32);
        next &= ~EN;
      }
      this.bank.set(n.TCTRL, next);
    }
  }

  // ---- private: register writes ---------------------------------------------------

  /** TCNTVALn write: stored; a counting timer goes on from the new value at the next tick (X3). */
  private onCounter(i: number, value: number): void {
    if (this.timers[i]!.mode !== 'stopped' || this.counts(i)) this.start(i, value);
  }

  /** TRLDVALn write: the next reload's length; the count goes on (X2). */
  private onReload(i: number): void {
    this.timers[i]!.transaction((t) => t.setLimit(this.limitOf(i), false));
  }

  /** TCTRLn write (X3, X4, X5, X7): LD, then the counting state EN, CH and the clock give; IP was applied by the bank. */
  private onControl(i: number, value: number, old: number): void {
    const n = this.names[i]!;
    const timer = this.timers[i]!;
    const load = flag(value, LD);
    this.bank.set(n.TCTRL, value & ~LD); // a strobe: it stores nothing
    const before = this.anyEnabled(i, old);
    const wasCounting = timer.mode !== 'stopped';
    const current = this.tcntValue(i, old);
    this.afterEnable(before);
    const counts = this.counts(i);
    const from = load ? this.bank.get(n.TRLDVAL) : current;
    if (counts && wasCounting && !load) {
      timer.transaction((t) => t.run(!flag(value, RS))); // on a running timer: only the mode (X4)
    } else if (counts) {
      this.start(i, from);
    } else {
      if (wasCounting) this.stop(i);
      this.bank.set(n.TCNTVAL, from);
    }
  }

  /** SCALER write: the prescaler counts from the new value; counting timers take their next tick from it (X1, X8). */
  private onScaler(value: number): void {
    if (!this.scalerRuns()) return; // stored: the prescaler resumes from it
    const values = this.indices.map((i) => this.tcntValue(i));
    this.scalerAnchor = this.scheduler.now();
    this.bank.set('SCALER', value);
    for (const i of this.indices) if (this.timers[i]!.mode !== 'stopped') this.start(i, values[i]!);
  }

  /** SRELOAD write: the prescaler's reload and its value (X1); every timer's period follows, counting ones take their next tick from it. */
  private onScalerReload(value: number, old: number): void {
    const values = this.indices.map((i) => this.tcntValue(i, undefined, old));
    this.bank.set('SCALER', value);
    this.scalerAnchor = this.scheduler.now();
    for (const i of this.indices) {
      if (this.timers[i]!.mode !== 'stopped') this.start(i, values[i]!);
      else this.timers[i]!.transaction((t) => t.setLimit(this.limitOf(i), false));
    }
  }

  /** `clk` changed rate (X12): the prescaler and every counting timer go on from their values at the new rate. */
  private onClock(): void {
    const hz = this.clk.hz;
    if (hz === this.appliedHz) return;
    const scaler = this.scalerNow();
    const values = this.indices.map((i) => this.tcntValue(i));
    const counting = this.indices.map((i) => this.timers[i]!.mode !== 'stopped');
    this.bank.set('SCALER', scaler);
    this.scalerAnchor = this.scheduler.now();
    this.appliedHz = hz;
    for (const i of this.indices) {
      if (this.counts(i)) this.start(i, counting[i]! ? values[i]! : this.bank.get(this.names[i]!.TCNTVAL));
      else if (counting[i]) {
        this.stop(i);
        this.bank.set(this.names[i]!.TCNTVAL, values[i]!);
      } else {
        this.timers[i]!.transaction((t) => this.pace(i, t));
      }
    }
    this.updateIrq();
  }

  // ---- private: counting ------------------------------------------------------------

  /**
   * Timer `i` counts from `value`: its next tick is the prescaler's next underflow, then one
   * every SRELOAD + 1 cycles (X3, X9, X10). TCNTVAL stores 0 while the count holds the value.
   */
  private start(i: number, value: number): void {
    const n = this.names[i]!;
    const ticks = BigInt(this.bank.get('SRELOAD')) + 1n;
    // The prescaler's cycles to its underflow, counted from now (a cycle ending now has ended): X3, X9.
    const first = BigInt(this.scalerNow(this.anyEnabled(), true)) + 1n;
    const count = first + BigInt(value) * ticks;
    const timer = this.timers[i]!;
    const oneshot = !flag(this.bank.get(n.TCTRL), RS);
    const unchanged = timer.mode !== 'stopped' && timer.getCount() === count && this.firstTickOf(i) === (first > ticks ? value : undefined);
    timer.transaction((t) => {
      this.pace(i, t);
      if (!unchanged) t.setCount(count); // changing nothing re-anchors nothing: the partial cycle is kept
      t.run(oneshot);
    });
    this.firstTicks[i] = first > ticks ? { value, deadline: timer.deadline! } : undefined;
    this.bank.set(n.TCNTVAL, 0);
  }

  /** Timer `i` stops counting ticks: its ptimer holds 0 (the caller stores the value in TCNTVAL). */
  private stop(i: number): void {
    this.timers[i]!.transaction((t) => this.idle(t));
    this.firstTicks[i] = undefined;
  }

  /** A stopped ptimer at 0 (stop first: it latches a running count). */
  private idle(t: PTimer): void {
    t.stop();
    t.setCount(0);
  }

  /** The ptimer's period (one `clk` cycle, while the clock runs) and reload value, inside one of its transactions. */
  private pace(i: number, t: PTimer): void {
    this.rates[i]!.apply(t, this.appliedHz);
    t.setLimit(this.limitOf(i), false);
  }

  /** A period's cycles: (TRLDVAL + 1)·(SRELOAD + 1). */
  private limitOf(i: number): bigint {
    return (BigInt(this.bank.get(this.names[i]!.TRLDVAL)) + 1n) * (BigInt(this.bank.get('SRELOAD')) + 1n);
  }

  /**
   * TCNTVALn as a guest read sees it. Counting: from the cycles left (X10: not above the value
   * a long first tick started from); a one-shot count that ran out but is not delivered yet
   * (bottom half): 0xFFFFFFFF; otherwise the stored value.
   * @param control - TCTRLn to judge by (default: as stored)
   * @param reload - SRELOAD to judge by (default: as stored)
   */
  private tcntValue(i: number, control?: number, reload?: number): number {
    const timer = this.timers[i]!;
    if (timer.mode === 'stopped') {
      const counting = control === undefined ? this.counts(i) : this.countsWith(control);
      return counting && timer.getCountNumber() === 0 && this.bank.get(this.names[i]!.TCNTVAL) === 0 ? MAX32 : this.bank.get(this.names[i]!.TCNTVAL);
    }
    const ticks = BigInt(reload ?? this.bank.get('SRELOAD')) + 1n;
    const count = timer.getCount();
    const value = count === 0n ? BigInt(MAX32) : (count - 1n) / ticks;
    const first = this.firstTickOf(i);
    return Number(first !== undefined && BigInt(first) < value ? BigInt(first) : value);
  }

  /** The value a long first tick's countdown started from, while that countdown lasts (X10). */
  private firstTickOf(i: number): number | undefined {
    const first = this.firstTicks[i];
    return first !== undefined && first.deadline === this.timers[i]!.deadline ? first.value : undefined;
  }

  /** Whether timer `i` counts ticks now: EN 1, CH 0, `clk` running (X7, X12). */
  private counts(i: number): boolean {
    return this.countsWith(this.bank.get(this.names[i]!.TCTRL));
  }

  private countsWith(control: number): boolean {
    return flag(control, EN) && !flag(control, CH) && this.appliedHz > 0;
  }

  // ---- private: the prescaler -------------------------------------------------------

  /**
   * Whether any timer is enabled, with timer `i`'s TCTRL taken as `control` if given.
   */
  private anyEnabled(i?: number, control?: number): boolean {
    return this.indices.some((j) => flag(j === i && control !== undefined ? control : this.bank.get(this.names[j]!.TCTRL), EN));
  }

  /** Whether the prescaler counts: `clk` runs, and (revision 1) a timer is enabled (X1). */
  private scalerRuns(enabled = this.anyEnabled()): boolean {
    return this.appliedHz > 0 && (this.layout.revision === 0 || enabled);
  }

  /**
   * SCALER now (X1), as a read shows it or (`after`) once a cycle ending now has ended.
   * @param enabled - whether a timer is enabled (the prescaler's state to judge by)
   */
  private scalerNow(enabled = this.anyEnabled(), after = false): number {
    const start = this.bank.get('SCALER');
    if (!this.scalerRuns(enabled)) return start;
    return scalerAt(start, this.bank.get('SRELOAD'), this.scalerAnchor, this.scheduler.now(), cycleOf(this.appliedHz, this.timing), after);
  }

  /**
   * After EN changed somewhere: a prescaler that stops keeps its value, one that starts counts
   * from now (revision 1, X1).
   * @param before - whether a timer was enabled before the change
   * @param edge - the change follows a clock edge of this instant (an underflow): the value keeps that edge
   */
  private afterEnable(before: boolean, edge = false): void {
    const now = this.anyEnabled();
    if (before === now || this.layout.revision === 0) return;
    this.bank.set('SCALER', this.scalerNow(before, edge));
    this.scalerAnchor = this.scheduler.now();
  }

  // ---- private: snapshots ----------------------------------------------------------

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the timers accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, views: readonly TimerPartView[], firstTickValue: readonly (number | null)[]): void {
    const config = grlibGptimerConfig(this.layout);
    if (((r['CONFIG']! & ~DF) >>> 0) !== config) {
      refuseSnapshot(registerPath('CONFIG'), r['CONFIG'], `must be ${config} or ${config | DF}: TIMERS, IRQ and SI are this core's configuration (${this.layout.timers} timers, IRQ ${this.layout.irq}, SI ${this.layout.separateInterrupts ? 1 : 0}), only DF is free`);
    }
    const hz = this.clk.hz;
    const reload = r['SRELOAD']!;
    const ticks = BigInt(reload) + 1n;
    for (const i of this.indices) {
      const n = this.names[i]!;
      const view = views[i]!;
      const control = r[n.TCTRL]!;
      if (flag(control, LD | DH)) refuseSnapshot(registerPath(n.TCTRL), control, `must have ${registerPath(n.TCTRL, 'LD')} and ${registerPath(n.TCTRL, 'DH')} 0: LD is a strobe and DH is not modelled, neither stores`);
      if (hz > 0) expectTimerPeriod(view, hz, 1, `of one clk cycle at clkHz ${hz}: a timer counts clk cycles to its next underflow`);
      const limit = (BigInt(r[n.TRLDVAL]!) + 1n) * ticks;
      expectTimerLimit(view, limit, `((${registerPath(n.TRLDVAL)} + 1)·(${registerPath('SRELOAD')} + 1): the cycles of one period)`);
      const enabled = flag(control, EN);
      const chained = flag(control, CH);
      const where = `firstTickValue[${i}]`;
      if (!enabled || chained || hz === 0) {
        const because = `while ${registerPath(n.TCTRL, 'EN')} is ${enabled ? 1 : 0}, ${registerPath(n.TCTRL, 'CH')} is ${chained ? 1 : 0} and clkHz is ${hz} (a timer counts ticks only when enabled, not chained, with clk running)`;
        expectTimerMode(view, ['stopped'], because);
        expectTimerCountAtMost(view, 0, because);
        if (firstTickValue[i] !== null) refuseSnapshot(where, firstTickValue[i], `must be null ${because}`);
        continue;
      }
      const oneshot = !flag(control, RS);
      expectTimerMode(view, [oneshot ? 'oneshot' : 'periodic'], `while ${registerPath(n.TCTRL, 'EN')} is 1, ${registerPath(n.TCTRL, 'CH')} is 0 and clk runs (the timer counts ticks), with ${registerPath(n.TCTRL, 'RS')} ${oneshot ? 0 : 1}`);
      if (view.delta === 0n) refuseSnapshot(`${view.where}.delta`, '0', `must be at least 1 while the timer counts: a countdown starts from the cycles to an underflow still ahead`);
      expectTimerCountAtMost(view, BigInt(this.maxScaler) + 1n + BigInt(MAX32) * ticks, `(the prescaler's range plus 2^32 - 1 ticks of ${registerPath('SRELOAD')} + 1 cycles)`);
      if (r[n.TCNTVAL] !== 0) refuseSnapshot(registerPath(n.TCNTVAL), r[n.TCNTVAL], `must be 0 while the timer counts (${registerPath(n.TCTRL, 'EN')} 1, CH 0): its value is in timers[${i}]`);
      const first = firstTickValue[i];
      if (first !== null && first !== undefined) {
        const gap = view.delta - BigInt(first) * ticks;
        if (gap <= ticks || gap > BigInt(this.maxScaler) + 1n) {
          refuseSnapshot(where, first, `must leave timers[${i}].delta (${view.delta}) minus it times (${registerPath('SRELOAD')} + 1) between ${ticks + 1n} and ${this.maxScaler + 1} cycles: a first tick further away than one period of the prescaler (X10)`);
        }
      }
    }
  }

  /** The interrupt outputs by name, `irq<number>` (see {@link GrlibGptimer.irqs}). */
  protected createLines(): Readonly<Record<string, IrqLine>> {
    return Object.fromEntries(this.irqs.map((line) => [line.name.slice(this.name.length + 1), line]));
  }

  /** `timer<n>.value` (32 bits) for each timer and `scaler`: what guest reads of TCNTVALn and SCALER return now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // The probes map the counts as TCNTVAL's and SCALER's read hooks do.
    return [
      ...this.indices.map((i) =>
        // As tcntValue(): the stored value while stopped; counting, the ticks left in the cycles left (a tick is
        // SRELOAD + 1 of them: one change per many counts, hence coarse), not above a long first tick's value.
        timerProbe(this.timers[i]!, {
          name: `timer${i + 1}.value`,
          width: 32,
          coarse: true,
          state: () =>
            this.timers[i]!.mode === 'stopped' ? ([this.tcntValue(i), undefined, undefined] as const) : ([undefined, this.bank.get('SRELOAD') + 1, this.firstTickOf(i)] as const),
          value: (count, [held, ticks, first]) => {
            if (held !== undefined || ticks === undefined) return held ?? 0;
            const value = count === 0n ? BigInt(MAX32) : (count - 1n) / BigInt(ticks);
            return first !== undefined && BigInt(first) < value ? first : value;
          },
        }),
      ),
      // As scalerNow(): counting down one per cycle ended before the instant from the value loaded at the anchor, reloading SRELOAD.
      cycleCounterProbe(this.scheduler, {
        name: 'scaler',
        width: this.layout.scalerBits,
        edge: 'after',
        origin: () =>
          this.scalerRuns()
            ? { count: 0n, time: this.scalerAnchor, hz: this.appliedHz, cycle: cycleOf(this.appliedHz, this.timing) }
            : { count: 0n, time: this.scalerAnchor, hz: 0 },
        state: () => [this.bank.get('SCALER'), this.bank.get('SRELOAD')] as const,
        value: (ended, [start, reload]) => {
          const left = BigInt(start) - ended;
          const period = BigInt(reload) + 1n;
          return left >= 0n ? left : ((left % period) + period) % period;
        },
      }),
    ];
  }

  /** The one place the outputs are computed (STYLE.md 18): each line is its timer's IP, or any timer's IP when shared (X6). */
  protected updateIrq(): void {
    const pending = this.indices.map((i) => flag(this.bank.get(this.names[i]!.TCTRL), IP));
    if (this.layout.separateInterrupts) this.indices.forEach((i) => this.irqs[i]!.set(pending[i]!));
    else this.irqs[0]!.set(pending.some(Boolean));
  }

  /** The APB clock input the core counts. */
  readonly clk: ClockInput;
  /** The core's configuration and revision. */
  readonly layout: GrlibGptimerLayout;
  /** The timers' ptimers, timer 1 first (exposed for tests and traces; guests see them through TCNTVALn). */
  readonly timers: readonly PTimer[];
  private readonly timing: PTimerTiming;
  private readonly map: GrlibGptimerRegisterMap;
  /** What the configuration implies, shared by every core of it. */
  private readonly facts: MapFacts;
  private readonly maxScaler: number;
  private readonly rates: readonly CounterRate[];
  /** Each timer's long first tick, if its countdown has one (X10). */
  private readonly firstTicks: (FirstTick | undefined)[];
  /** When SCALER's stored value was loaded into the prescaler (X1). */
  private scalerAnchor = 0;
  /** The `clk` rate the prescaler and the timers last applied. */
  private appliedHz: number;

  /** Each timer's register names by role, timer 1 first. */
  private get names(): readonly TimerNames[] {
    return this.facts.names;
  }

  /** 0 … timers - 1. */
  private get indices(): readonly number[] {
    return this.facts.indices;
  }
}
