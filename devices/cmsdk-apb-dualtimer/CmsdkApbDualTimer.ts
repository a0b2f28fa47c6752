/**
 * ARM CMSDK APB dual-input timer: two identical 32/16-bit down-counters (timer 1 at +0x00,
 * timer 2 at +0x20) clocked by TIMCLK through a ÷1/÷16/÷256 prescaler, SP804-compatible.
 *
 * Manual: ARM Cortex-M System Design Kit Technical Reference Manual, ARM DDI 0479 ("APB
 * dual-input timers"), which gives the programmer's model and refers to the ARM Dual-Timer
 * Module (SP804) TRM, ARM DDI 0271, for the counter's behaviour. QEMU's
 * hw/timer/cmsdk-apb-dualtimer.c and its qtest were used as a cross-check (behaviour only).
 *
 * Outputs: TIMINT1 and TIMINT2 (each = TimerXMIS, or TIMERITOP's bit while TIMERITCR.ENABLE
 * is set), TIMINTC = their OR (`anyOf`, the one place they are combined).
 *
 * Timing model (ptimer policy W+O+R+D, see {@link CMSDK_APB_DUALTIMER_POLICY}): the counter
 * shows the value loaded for one whole tick (tick = TIMCLK period × prescale), decrements
 * once per tick, and when it reaches 0 RIS rises at that instant; it then shows 0 for one
 * tick and wraps to 0xFFFF/0xFFFFFFFF (free-running) or reloads from TimerXLoad (periodic),
 * or halts at 0 (one-shot). A period is therefore Load + 1 ticks. At a tick boundary a read
 * still shows the tick before (the decrement shows from 1 ns after), except that the 0 of an
 * expiry shows from the boundary itself, and so does the wrap or reload out of a 0 that was
 * written or restarted rather than counted down to (a Load of 0, a one-shot re-armed as
 * wrapping). QEMU's qtest values hold (pinned in CmsdkApbDualTimer.qemu.spec.ts).
 *
 * Timing: exact by default (`timing` option): a tick is exactly prescale·10^9/TIMCLK ns and
 * the k-th tick of a count started at A ends at ⌊A + k·tick⌋. At the catalogue's 25 MHz
 * (40 ns, and 640 ns, 10.24 µs prescaled) every tick is whole ns and both timings agree, as
 * they do on QEMU's qtest; a TIMCLK that is not a whole number of ns per cycle (24 MHz:
 * 41⅔ ns; 32.768 kHz) is where they differ: `timing: 'qemu'` reproduces QEMU's arithmetic
 * (the tick at 2^-32 ns, each countdown floored to whole ns), whose k-th interrupt comes
 * up to k ns early and whose TimerXValue read at a load instant is one less
 * (CmsdkApbDualTimer.timing.spec.ts, test/devices/catalogue.timing.spec.ts).
 *
 * Not modelled (no event: these have no register):
 * - TIMCLKEN1/TIMCLKEN2 (taken as tied high) and the PCLK→TIMCLK synchronisers: a write
 *   takes effect at the instant it is made, RIS rises at the instant the count reaches 0
 *   (the TRM's "when the counter reaches zero"; the hardware latches it on a TIMCLK edge);
 * - the prescaler's phase: a start, a restart and a clock or prescale change begin a full
 *   tick at the new rate from the count shown then (the partial tick is lost, as in QEMU);
 * - ECOREVNUM: TIMERPERIPHID3 reads 0x00.
 *
 * Guest accesses the model refuses (RegisterBank guest errors: read 0, nothing changes):
 * unmapped offsets (0x1C, 0x3C, 0x40–0xEFC, 0xF08–0xFCC, beyond 0xFFC) `unmapped`; 8-byte
 * accesses `bad-size`; accesses not aligned to their size `misaligned`; writes to
 * TimerXValue, TimerXRIS, TimerXMIS and the ID registers `read-only`; reads of TimerXIntClr
 * and TIMERITOP `write-only`. The block has no lock. CONTROL.PRESCALE = 0b11 ("undefined,
 * do not use") is stored and read back, counts as ÷256, and each write of it is reported as
 * an `unimplemented` event `TIMERxCONTROL.PRESCALE=0b11`.
 *
 * Ambiguities of the manual, and how they are decided (with the test that pins each; "(spec)"
 * is test/devices/cmsdk-apb-dualtimer/CmsdkApbDualTimer.spec.ts):
 * 1. Narrow accesses: the block's APB port has no byte strobes and DDI 0479 does not say what a
 *    byte or halfword store does; QEMU zero-pads it to 32 bits. Here 1- and 2-byte accesses
 *    read and write only the bytes they address (the RegisterBank rule), so a byte store
 *    to CONTROL cannot clear the other bytes. Pinned: "narrow accesses" (spec).
 * 2. Load = 0: the SP804 TRM says writing 0 to TimerXLoad raises the interrupt at once.
 *    QEMU raises nothing (it stops a periodic timer). Here a TimerXLoad write whose count
 *    (the low 16 bits in 16-bit mode) is 0 sets RIS at the write, enabled or not, clock
 *    running or not; the counter then holds 0: a one-shot or periodic timer (reload value
 *    0) halts there, a free-running one wraps one tick later without a second interrupt.
 *    Pinned: "a Load of 0 raises RIS at once" (spec).
 * 3. QEMU restarts a timer on a Load write with one-shot = 1 whatever CONTROL.ONESHOT says
 *    (a periodic timer becomes one-shot until the next CONTROL write). Not copied: the mode
 *    is always CONTROL's. Pinned: "a Load write keeps a periodic timer periodic" (spec).
 * 4. Upper half in 16-bit mode: the TRM notes that TimerXValue[31:16] is not cleared in
 *    16-bit mode. Here the counter is one 32-bit register whose upper half is frozen while
 *    the size is 16 bits: it holds the upper half of the last value loaded (a Load write,
 *    or a periodic reload from TimerXLoad) or of the count when the size went from 32 to
 *    16 bits; free-running wraps keep it. QEMU updates it only on Load writes and size
 *    changes. Simplification: a periodic 16-bit reload takes TimerXLoad's upper half at the
 *    instant the count reaches 0, one tick early. Pinned: "16-bit mode" tests (spec).
 * 5. One-shot restart: after a one-shot has halted at 0, only a Load write or clearing
 *    ONESHOT (with ENABLE set) restarts it (TRM); rewriting CONTROL with ONESHOT still set
 *    does not, and clearing ONESHOT shows 0 for one more tick before the wrap or reload,
 *    silently. Pinned: "one-shot halts at 0 until Load is written or ONESHOT cleared" (spec).
 * 6. A zero count that will not be reloaded (one-shot, or periodic with reload value 0)
 *    halts. When a write leaves it so, the device stops the ptimer; when a periodic
 *    countdown reaches 0 with reload value 0, the interrupt is raised and the ptimer then
 *    stops itself (its "delta zero" diagnostic, on the timer's own diagnostics$, is not a
 *    device event). A later non-zero TimerXBGLoad in periodic mode restarts it with one
 *    silent tick at 0, as the hardware reloads from it at its next tick.
 *    Pinned: "periodic with reload value 0 halts after one interrupt" (spec).
 * 7. TIMCLK stopped (0 Hz): the counters freeze at the count shown (the ptimer is stopped,
 *    ENABLE keeps its value) and resume, with a full tick, when the clock restarts: the
 *    device kit's CounterRate rule, which also sets each counter's prescaled tick and leaves
 *    a count alone when TIMCLK or PRESCALE is rewritten to the rate it already runs at.
 *    Pinned: "TIMCLK at 0 Hz freezes the counters" (spec).
 * 8. Reads of TIMERITOP: the TRM lists it write-only without saying what a read returns;
 *    here a read is a `write-only` guest error (QEMU logs a bad offset and reads 0 too).
 *    Pinned: "read of TIMERITOP" (CmsdkApbDualTimer.guestErrors.spec.ts).
 * 9. RIS is set whether INTEN is set or not (it is the raw status); MIS and TIMINTx follow
 *    INTEN at once when it changes. Pinned: "INTEN masks MIS and TIMINTx, not RIS" (spec).
 *
 * Snapshots (#14): {@link CmsdkApbDualTimerSnapshot}, checked by one strict schema, by each
 * counter's own rules (`timers[i].<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it (for each timer, from its CONTROL and LOAD):
 * - `timclkHz` is the TIMCLK input's rate now; while it runs the counter's period is one
 *   prescaled tick in its timing (ambiguity 7);
 * - the reload value is LOAD (cut to the size) in periodic mode, the counter's maximum in
 *   free-running mode; the count never exceeds that maximum (by more than 1: see `checkCounter`);
 * - the counter is stopped while ENABLE is 0 or TIMCLK is stopped; running, it is one-shot
 *   exactly when ONESHOT is set; stopped under ENABLE with TIMCLK running, it holds 0 that
 *   nothing reloads (one-shot, or reload value 0: ambiguities 5, 6);
 * - MIS stores nothing (its reads are computed) and the ID registers never change: they
 *   hold their reset values.
 *
 * Device kit: every option is checked (`checkDeviceOptions`: unknown keys are errors); each
 * counter's expiries come through `channelTimer` (`deviceTimer` with one shared handler), which records the `expiry` event (`timer`
 * `<name>.timer1`/`.timer2`) before RIS rises and surfaces an error on the expiry path from
 * the clock call (G5); a guest access made from a TIMINT listener during a sync expiry joins
 * the counter's callback context; events go out through an `EventOutlet` (`traceTo`);
 * `dispose()` releases both counters and the TIMCLK listener.
 */
import type { SchedulerLike } from 'rxjs';
import {
  channelTimer,
  checkDeviceOptions,
  checkTimerPart,
  CounterRate,
  deviceHooks,
  expectResetValues,
  expectRunningMode,
  expectSame,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  fieldHandle,
  refuseSnapshot,
  registerHandle,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotHz,
  snapshotPart,
  snapshotTuple,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { anyOf, IrqLine, type IrqSignal } from '../../src/irq';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { CMSDK_APB_DUALTIMER_REGISTERS } from './CMSDK_APB_DUALTIMER_REGISTERS';

/**
 * The ptimer policy of both counters, one reason per flag (QEMU uses the same set).
 */
export const CMSDK_APB_DUALTIMER_POLICY = [
  // The count rests at 0 for one tick before it wraps or reloads: a period is Load + 1 ticks (SP804 TRM;
  // QEMU qtest: 0 at the interrupt, 0xFFFF one tick later).
  'WRAP_AFTER_ONE_PERIOD',
  // Only counting down to 0 raises RIS; restarting from a held 0 (a one-shot re-armed, a clock restart)
  // must not. The TRM's Load-of-0 interrupt is raised by the device itself, once.
  'TRIGGER_ONLY_ON_DECREMENT',
  // A held 0 (a Load of 0, a one-shot switched to wrapping, a restart inside the zero tick) changes
  // only at the next tick, like the hardware counter.
  'NO_IMMEDIATE_RELOAD',
  // TimerXValue shows the hardware count (the value loaded for a whole tick), not one less: Load 1000
  // reads 500 at 500 ticks + 1 ns (QEMU qtest).
  'NO_COUNTER_ROUND_DOWN',
] as const satisfies readonly PTimerPolicy[];

/** Options of {@link CmsdkApbDualTimer}. */
export interface CmsdkApbDualTimerOptions {
  /** The TIMCLK input (both counters); 0 Hz freezes them. */
  readonly timclk: ClockInput;
  /** Instance name: the `source` of its events (default `cmsdk-apb-dualtimer`). */
  readonly name?: string;
  /** How the counters' triggers reach the device: `sync` (default, G1) or the legacy `bottom-half`, for race tests only. */
  readonly delivery?: TriggerDelivery;
  /**
   * How both counters keep time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9·divisor/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/** Current {@link CmsdkApbDualTimerSnapshot} format version. */
export const CMSDK_APB_DUALTIMER_SNAPSHOT_VERSION = 1;

/** The device's state as plain, versioned data. */
export interface CmsdkApbDualTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof CMSDK_APB_DUALTIMER_SNAPSHOT_VERSION;
  /** TIMCLK when it was taken: the counters' periods depend on it, so restore requires the same. */
  readonly timclkHz: number;
  /** The register bank: every register's stored value (TimerXValue holds the frozen upper half, ambiguity 4). */
  readonly registers: RegisterBankSnapshot;
  /** Timer 1's and timer 2's ptimers. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot];
}

type Registers = RegisterShapeOf<typeof CMSDK_APB_DUALTIMER_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  TIMERITCR_ENABLE: fieldHandle(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMERITCR', 'ENABLE'),
} as const;

/** Each module's registers by role (TIMERxLOAD, …), timer 1 first. */
const MODULE_REGISTERS = CMSDK_APB_DUALTIMER_REGISTERS.channels.TIMER;
/** Each module's output bit in TIMERITOP. */
const ITOP_FIELDS = ['TIMINT1', 'TIMINT2'] as const;
/** Each module's registers as handles (timer 1 first), looked up once: its reads, expiries and IRQ update use them. */
const MODULE_HANDLES = MODULE_REGISTERS.map((reg) => ({
  RIS: fieldHandle(CMSDK_APB_DUALTIMER_REGISTERS, reg.RIS, 'RIS'),
  CONTROL: registerHandle(CMSDK_APB_DUALTIMER_REGISTERS, reg.CONTROL),
  VALUE: registerHandle(CMSDK_APB_DUALTIMER_REGISTERS, reg.VALUE),
  LOAD: registerHandle(CMSDK_APB_DUALTIMER_REGISTERS, reg.LOAD),
}));

interface Module {
  readonly reg: (typeof MODULE_REGISTERS)[number];
  /** The same, as handles. */
  readonly h: (typeof MODULE_HANDLES)[number];
  /** Its TIMERITOP field. */
  readonly itop: (typeof ITOP_FIELDS)[number];
  readonly timer: PTimer;
  /** Its prescaled TIMCLK rate (ambiguity 7). */
  readonly rate: CounterRate;
  readonly line: IrqLine;
}

/** A change to one counter, applied in one transaction by `program`. */
interface CounterChange {
  count?: number;
  limit?: number;
  /** Recompute the tick period (prescale or TIMCLK changed). */
  reperiod?: boolean;
}

const CONTROL = CMSDK_APB_DUALTIMER_REGISTERS.byName.TIMER1CONTROL.fieldByName;
const ONESHOT = CONTROL.ONESHOT.mask;
const SIZE = CONTROL.SIZE.mask;
const PRESCALE = CONTROL.PRESCALE.mask;
const MODE = CONTROL.MODE.mask;
const ENABLE = CONTROL.ENABLE.mask;
const INTEN = CONTROL.INTEN.mask;
const HIGH_HALF = 0xffff_0000;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(CMSDK_APB_DUALTIMER_REGISTERS);

/** The counter's width as a mask. */
const sizeMask = (control: number): number => ((control & SIZE) !== 0 ? 0xffff_ffff : 0xffff);
/** The prescaler's divisor; 0b11 is undefined and counts like 0b10 (QEMU does the same). */
const divisor = (control: number): number => [1, 16, 256, 256][(control & PRESCALE) >>> CONTROL.PRESCALE.lsb]!;
/** What the counter reloads at 0: Load (periodic) or its maximum (free-running). */
const reloadValue = (control: number, load: number): number =>
  (control & MODE) !== 0 ? (load & sizeMask(control)) >>> 0 : sizeMask(control);

/** Registers the device never changes: the MIS registers (computed reads) and the ID registers. */
const FIXED = CMSDK_APB_DUALTIMER_REGISTERS.registers.filter((r) => r.access === 'ro' && !/^TIMER\dVALUE$|^TIMER\dRIS$/.test(r.name));

/**
 * The invariants of the module header ("Snapshots") for one counter, on a snapshot the
 * schema and the counter accepted.
 * @param r - the snapshot's register values
 * @param reg - the counter's registers by role
 * @param timer - the counter's part
 * @param hz - TIMCLK now (the snapshot's `timclkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkCounter = (r: Readonly<Record<string, number>>, reg: Module['reg'], timer: TimerPartView, hz: number): void => {
  const control = r[reg.CONTROL]!;
  const at = (field: string): string => registerPath(reg.CONTROL, field);
  const periodic = (control & MODE) !== 0;
  const oneshot = (control & ONESHOT) !== 0;
  const enabled = (control & ENABLE) !== 0;
  const reload = reloadValue(control, r[reg.LOAD]!);
  expectTimerLimit(
    timer,
    reload,
    periodic ? `(${registerPath(reg.LOAD)} cut to ${at('SIZE')}: the periodic reload value)` : `(the maximum ${at('SIZE')} allows: free-running, ${at('MODE')} 0)`,
  );
  expectTimerCountAtMost(timer, sizeMask(control), `(the largest count ${at('SIZE')} allows)`);
  if (hz > 0) {
    expectTimerPeriod(timer, hz, divisor(control), `of one tick at timclkHz ${hz} with ${at('PRESCALE')}`);
  }
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${at('ENABLE')} is ${enabled ? 1 : 0} and timclkHz is ${hz} (it counts only when enabled with TIMCLK running)`);
    return;
  }
  expectRunningMode(timer, oneshot, `while ${at('ONESHOT')} is ${oneshot ? 1 : 0}`);
  if (timer.mode === 'stopped' && (timer.delta !== 0n || (!oneshot && reload !== 0))) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${at('ENABLE')} is 1 and TIMCLK runs, unless it holds a 0 nothing reloads (${timer.where}.delta 0, and ${at('ONESHOT')} 1 or a reload value of 0; here delta ${timer.delta}, ONESHOT ${oneshot ? 1 : 0}, reload ${reload})`,
    );
  }
};

/**
 * The ARM CMSDK APB dual-input timer (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery: a counter's reload and its RIS, MIS and
 * TIMINTx happen in one step; G2/G3 hold because every register write changes a counter in
 * exactly one transaction and the expiry callback opens none. `bottom-half` breaks G1 on
 * purpose (tests only).
 *
 * ## Example
 * ```ts
 * const timclk = new ClockInput('TIMCLK', 25_000_000); // 40 ns
 * const dual = new CmsdkApbDualTimer(clock, { timclk });
 * dual.write(0x00, 4, 1000);                     // TIMER1LOAD
 * dual.write(0x08, 4, 0xe2);                     // ENABLE | MODE | INTEN | SIZE (periodic, 32-bit)
 * clock.advanceTo(40_000);                       // 1000 ticks: RIS = 1, TIMINT1 and TIMINTC high
 * ```
 */
export class CmsdkApbDualTimer extends KitDevice<Registers, {
  /** TIMINT1, {@link CmsdkApbDualTimer.timint1}: timer 1's interrupt. */
  timint1: IrqSignal;
  /** TIMINT2, {@link CmsdkApbDualTimer.timint2}: timer 2's interrupt. */
  timint2: IrqSignal;
  /** TIMINTC, {@link CmsdkApbDualTimer.timintc}: TIMINT1 OR TIMINT2. */
  timintc: IrqSignal;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - TIMCLK input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `timclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: CmsdkApbDualTimerOptions) {
    checkDeviceOptions('CmsdkApbDualTimer', options, { timclk: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'cmsdk-apb-dualtimer');
    this.timclk = options.timclk;
    this.modules = MODULE_REGISTERS.map((reg, i) => {
      const module: Module = {
        reg,
        h: MODULE_HANDLES[i]!,
        itop: ITOP_FIELDS[i]!,
        // Expiries reach onExpiry in the counter's expiry step, in its callback context (G1, G3).
        timer: channelTimer(scheduler, {
          device: this.name,
          name: `${this.name}.timer${i + 1}`,
          policy: CMSDK_APB_DUALTIMER_POLICY,
          delivery: options.delivery,
          timing: options.timing,
          owner: this,
          channel: i,
          onExpiry: CmsdkApbDualTimer.expired,
          events: this.outlet,
          lifetime: this.lifetime,
        }),
        rate: new CounterRate(),
        line: new IrqLine(`${this.name}.timint${i + 1}`),
      };
      return module;
    });
    const [m1, m2] = this.modules as [Module, Module];
    this.attachBank(CMSDK_APB_DUALTIMER_REGISTERS, CmsdkApbDualTimer.HOOKS);
    this.timint1 = m1.line;
    this.timint2 = m2.line;
    this.reset();
    // reset() applied the current frequency; each later change reprograms both counters at its instant.
    this.lifetime.add(
      this.timclk.watch(() => {
        for (const m of this.modules) this.program(m, this.bank.getAt(m.h.CONTROL), { reperiod: true });
      }),
    );
  }

  /** PRESETn: registers to the map's reset values; each counter stopped, free-running 16-bit, Value reading 0xFFFFFFFF. */
  override reset(): void {
    this.bank.reset();
    const regs = CMSDK_APB_DUALTIMER_REGISTERS.byName;
    for (const m of this.modules) {
      const control = regs[m.reg.CONTROL].reset;
      const count = (regs[m.reg.VALUE].reset & sizeMask(control)) >>> 0;
      this.program(m, control, { count, limit: reloadValue(control, regs[m.reg.LOAD].reset), reperiod: true });
    }
    this.updateIrq();
  }

  snapshot(): CmsdkApbDualTimerSnapshot {
    const [m1, m2] = this.modules as [Module, Module];
    return {
      device: this.name,
      version: CMSDK_APB_DUALTIMER_SNAPSHOT_VERSION,
      timclkHz: this.timclk.hz,
      registers: this.bank.snapshot(),
      timers: [m1.timer.snapshot(), m2.timer.snapshot()],
    };
  }

  /**
   * Loads a {@link CmsdkApbDualTimerSnapshot} taken at the current virtual time by a dual
   * timer of this name; all or nothing (everything is checked before anything changes).
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a TIMCLK mismatch, a counter's own rules (`timers[i].<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'CmsdkApbDualTimer', version: CMSDK_APB_DUALTIMER_SNAPSHOT_VERSION }, () => ({ timclkHz: snapshotHz(), timers: snapshotTuple([snapshotPart(), snapshotPart()], 'timer 1, timer 2') }));
    const hz = this.timclk.hz;
    expectSame('timclkHz', s.timclkHz, hz, "the TIMCLK input's frequency now");
    const now = this.scheduler.now();
    const views = this.modules.map((m, i) => checkTimerPart(m.timer, s.timers[i], `timers[${i}]`, now));
    expectResetValues(s.registers.registers, FIXED);
    this.modules.forEach((m, i) => checkCounter(s.registers.registers, m.reg, views[i]!, hz));
    restoreParts([[this.bank, s.registers, 'registers'], ...this.modules.map((m, i) => [m.timer, s.timers[i], `timers[${i}]`] as const)]);
    this.updateIrq();
  }

  /** Name of the instance: the `source` of its events. */
  /** TIMINT1: timer 1's masked interrupt (or TIMERITOP bit 0 in integration test mode). */
  readonly timint1: IrqSignal;
  /** TIMINT2: timer 2's masked interrupt (or TIMERITOP bit 1 in integration test mode). */
  readonly timint2: IrqSignal;
  /** TIMINTC: TIMINT1 OR TIMINT2 (built on first use: most systems wire TIMINT1/2 only, #19). */
  get timintc(): IrqSignal {
    return (this.combined ??= anyOf(`${this.name}.timintc`, this.timint1, this.timint2));
  }
  /** The registers of {@link CMSDK_APB_DUALTIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;
  /** The TIMCLK input. */
  readonly timclk: ClockInput;

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<CmsdkApbDualTimer>();
    return build.of(
      CMSDK_APB_DUALTIMER_REGISTERS,
      build.channels(CMSDK_APB_DUALTIMER_REGISTERS, 'TIMER', (i, reg) => ({
        LOAD: { write: (d, v) => d.writeLoad(d.modules[i]!, v) },
        VALUE: { read: (d) => d.value(d.modules[i]!) },
        CONTROL: { write: (d, v, old) => d.writeControl(d.modules[i]!, v, old), fields: { PRESCALE: { write: (d, v) => d.writePrescale(d.modules[i]!, v) } } },
        INTCLR: { write: (d) => d.bank.setField(reg.RIS, 'RIS', 0) },
        MIS: { read: (d) => Number(d.masked(d.modules[i]!)) },
        BGLOAD: { read: (d) => d.bank.get(reg.LOAD), write: (d, v) => d.writeBgLoad(d.modules[i]!, v) },
      })),
    );
  })();

  private combined: IrqSignal | undefined;

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: CmsdkApbDualTimer, i: number): void => d.onExpiry(d.modules[i]!);

  /** A counter reached 0: raw interrupt set (whatever INTEN says). Runs in the timer's callback context when delivery is sync. */
  private onExpiry(m: Module): void {
    this.bank.setFieldAt(m.h.RIS, 1);
    const control = this.bank.getAt(m.h.CONTROL);
    // 16-bit periodic: the reload loads Load's upper half into the frozen half too (ambiguity 4).
    if ((control & MODE) !== 0 && (control & SIZE) === 0) this.bank.set(m.reg.VALUE, this.bank.getAt(m.h.LOAD));
    this.updateIrq();
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { timint1: this.timint1, timint2: this.timint2, timintc: this.timintc };
  }

  /**
   * `timer1.value`, `timer2.value` (32 bits): what a guest read of TimerXValue returns now
   * (the count, with the frozen upper half in 16-bit mode, ambiguity 4), read without an access.
   */
  protected createProbes(): readonly DeviceProbe[] {
    // The TimerXValue read hooks are pure (count plus the frozen upper half in 16-bit mode): the probes reuse them.
    return this.modules.map((m, i) =>
      timerProbe(m.timer, {
        name: `timer${i + 1}.value`,
        width: 32,
        state: () => [this.value(m) - m.timer.getCountNumber()] as const, // the frozen upper half (0 in 32-bit mode)
        value: (count, [upper]) => BigInt(upper) + count,
      }),
    );
  }

  /** The one place the outputs are computed; called at the end of every state change. */
  protected updateIrq(): void {
    const test = this.bank.fieldAt(FIELD.TIMERITCR_ENABLE) === 1;
    for (const m of this.modules) m.line.set(test ? this.bank.field('TIMERITOP', m.itop) === 1 : this.masked(m));
  }

  /** PRESCALE = 0b11 is "undefined, do not use": counted as ÷256 (divisor) and reported at each write of it. */
  private writePrescale(m: Module, value: number): void {
    if (value !== 3) return;
    const offset = CMSDK_APB_DUALTIMER_REGISTERS.byName[m.reg.CONTROL].offset;
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: `${m.reg.CONTROL}.PRESCALE=0b11` });
  }

  /** TimerXLoad: the count and (periodic) the reload value, at once; restarts a halted one-shot. */
  private writeLoad(m: Module, load: number): void {
    const control = this.bank.getAt(m.h.CONTROL);
    const count = (load & sizeMask(control)) >>> 0;
    this.bank.set(m.reg.VALUE, load); // the upper half, frozen while 16-bit
    if (count === 0) this.bank.setFieldAt(m.h.RIS, 1); // TRM: a Load of 0 interrupts at once (ambiguity 2)
    this.program(m, control, (control & MODE) !== 0 ? { count, limit: count } : { count });
  }

  /** TimerXBGLoad: the next reload value only (TimerXLoad reads it too). */
  private writeBgLoad(m: Module, load: number): void {
    this.bank.set(m.reg.LOAD, load);
    const control = this.bank.getAt(m.h.CONTROL);
    if ((control & MODE) !== 0) this.program(m, control, { limit: reloadValue(control, load) });
  }

  /** TimerXControl: prescale, size, mode, one-shot and enable, in one transaction. */
  private writeControl(m: Module, control: number, old: number): void {
    const changed = (control ^ old) >>> 0;
    const change: CounterChange = { reperiod: (changed & PRESCALE) !== 0 };
    if ((changed & SIZE) !== 0) {
      // One 32-bit counter whose upper half is frozen while 16-bit (ambiguity 4).
      const count = m.timer.getCountNumber();
      if ((control & SIZE) !== 0) {
        change.count = ((this.bank.getAt(m.h.VALUE) & HIGH_HALF) | count) >>> 0;
      } else {
        this.bank.set(m.reg.VALUE, count);
        change.count = count & 0xffff;
      }
    }
    if ((changed & (SIZE | MODE)) !== 0) change.limit = reloadValue(control, this.bank.getAt(m.h.LOAD));
    this.program(m, control, change);
  }

  /**
   * Applies a change to one counter in one transaction, in the order that keeps every
   * write (reference §5.2 pitfall 3): stop, then the period (both latch the running count),
   * then count and reload value, then run. Whether it runs is decided from the final state:
   * ENABLE, a running TIMCLK, and a count that is not a held 0 that nothing reloads.
   */
  private program(m: Module, control: number, change: CounterChange): void {
    const hz = this.timclk.hz;
    const count = change.count ?? m.timer.getCountNumber();
    const limit = change.limit ?? Number(m.timer.getLimit());
    const oneshot = (control & ONESHOT) !== 0;
    const counts = (control & ENABLE) !== 0 && hz > 0 && (count !== 0 || (!oneshot && limit !== 0));
    m.timer.transaction((t) => {
      if (!counts) t.stop();
      if (change.reperiod === true) m.rate.apply(t, hz, divisor(control));
      if (change.count !== undefined) t.setCount(change.count);
      if (change.limit !== undefined) t.setLimit(change.limit, false);
      if (counts) t.run(oneshot);
    });
  }

  /** TimerXValue as the guest reads it: the count, with the frozen upper half in 16-bit mode. */
  private value(m: Module): number {
    const count = m.timer.getCountNumber();
    if ((this.bank.getAt(m.h.CONTROL) & SIZE) !== 0) return count;
    return ((this.bank.getAt(m.h.VALUE) & HIGH_HALF) | count) >>> 0;
  }

  /** TimerXMIS: RIS && INTEN. */
  private masked(m: Module): boolean {
    return this.bank.fieldAt(m.h.RIS) === 1 && (this.bank.getAt(m.h.CONTROL) & INTEN) !== 0;
  }

  private readonly modules: readonly Module[];
}
