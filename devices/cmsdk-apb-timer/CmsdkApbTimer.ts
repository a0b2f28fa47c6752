/**
 * ARM CMSDK APB timer: a 32-bit down-counter clocked by PCLK that reloads from RELOAD
 * and sets its interrupt (TIMERINT) when it steps from 1 to 0.
 *
 * Manual: Arm Cortex-M System Design Kit Technical Reference Manual, ARM DDI 0479
 * ("APB timer"). QEMU's `cmsdk-apb-timer` (mps2 boards) was used as a cross-check only
 * (behaviour, no code); where this model departs from it, the entry says so.
 *
 * Output: `irq` is TIMERINT, which is INTSTATUS itself (A2).
 * Clock: `pclk` (a ClockInput). The counter decrements once per PCLK cycle: this block
 * has no prescaler (a divided rate is a slower `pclk`).
 * Timing: exact by default (`timing` option): a cycle is exactly 10^9/PCLK ns and the k-th
 * cycle of a count started at A ends at ⌊A + k·cycle⌋. At the catalogue's 25 MHz (40 ns, the
 * qtest's) both timings agree; a PCLK that is not a whole number of ns per cycle (24 MHz:
 * 41⅔ ns; 32.768 kHz) is where they differ: `timing: 'qemu'` reproduces QEMU's arithmetic
 * (the cycle at 2^-32 ns, each countdown floored to whole ns: the k-th interrupt up to k ns
 * early). (test/devices/catalogue.timing.spec.ts; snapshots: CmsdkApbTimer.timing.spec.ts)
 *
 * Not modelled (and what accessing it does):
 * - The EXTIN input, as a counter enable (CTRL.SELEXTEN) or as its clock
 *   (CTRL.SELEXTCLK): the bits store and read back, each write of a 1 emits an
 *   `unimplemented` event (`CTRL.SELEXTEN`, `CTRL.SELEXTCLK`), and the counter keeps
 *   counting PCLK as if they were 0 (A6).
 * - PCLKG (the gated register clock) and PRESETn: registers work whatever `pclk` is, and
 *   `reset()` resets everything.
 * - The ECOREVNUM input: PID3 reads 0x00.
 * - PSLVERR: the hardware never signals an error; the bad accesses of A7/A8 are reported
 *   as `guest-error` events instead (read 0, no state change).
 *
 * Ambiguities of the manual, and how they were decided (test that pins each, in
 * test/devices/cmsdk-apb-timer/, titles start with the tag):
 * A1 Timing. The TRM says the interrupt is generated when the counter reaches 0 and that
 *    it reloads from RELOAD. Decided (as QEMU and the kit's RTL): the interrupt is set on
 *    the 1 -> 0 step, VALUE then holds 0 for one PCLK cycle and reloads on the next, so
 *    the first round after a load lasts N cycles and later rounds RELOAD + 1. QEMU's
 *    qtest numbers hold: 25 MHz, RELOAD = 1000, CTRL = EN | IRQEN: VALUE = 500 at
 *    500 cycles + 1 ns with INTSTATUS 0; at 1000 cycles + 1 ns INTSTATUS 1, VALUE 0;
 *    40 ns later VALUE 1000. (CmsdkApbTimer.spec 'A1 …')
 * A2 IRQEN. The 1 -> 0 step sets INTSTATUS only while IRQEN is 1 (the TRM calls IRQEN
 *    the interrupt enable; kit RTL and QEMU agree): with IRQEN = 0 an expiry leaves no
 *    trace, and setting IRQEN later raises nothing. TIMERINT is INTSTATUS, not masked by
 *    IRQEN: clearing IRQEN with INTSTATUS set keeps the line high until INTCLEAR. ('A2 …')
 * A3 RELOAD write. The TRM's register summary says a write to RELOAD also sets the
 *    current value: the count restarts from it at once (as QEMU). The kit's RTL, and
 *    Renode's model by default, only use it at the next reload; drivers that write
 *    VALUE and RELOAD together (all those in the driver spec) see no difference. ('A3 …')
 * A4 RELOAD = 0. The counter counts VALUE down once, sets the interrupt on the 1 -> 0
 *    step, then holds 0 (it reloads 0) with no further interrupt: Linux's one-shot
 *    clockevent relies on this. A VALUE write restarts it, a non-zero RELOAD write makes
 *    it periodic. ('A4 …')
 * A5 INTCLEAR at the instant of an expiry. The TRM: a clear in the same cycle as the
 *    1 -> 0 step leaves the interrupt set. Accesses at one virtual instant are ordered
 *    with the expiry (G4): a clear ordered before the expiry step is followed by the
 *    set (INTSTATUS ends 1, as the TRM says); a clear ordered after it is a later cycle
 *    and clears. ('A5 …')
 * A6 EXTIN selected (SELEXTEN / SELEXTCLK = 1): not modelled; the counter ignores the
 *    bits (as QEMU) rather than stopping for an input nobody drives. ('A6 …')
 * A7 Access sizes: the registers are 32-bit APB registers without byte strobes, so byte,
 *    halfword and 8-byte accesses are refused as `bad-size` guest errors (QEMU accepts
 *    narrow accesses). (guest-error spec, 'A7 …')
 * A8 Offsets with no register (0x010-0xFCC, past 0xFFC) read 0 and ignore writes in the
 *    hardware: here `unmapped` guest errors; a write to an ID register is a `read-only`
 *    guest error. Reserved bits (CTRL[31:4], INTSTATUS[31:1]) read 0 and ignore writes
 *    silently. (guest-error spec, 'A8 …')
 * A9 Reads at a tick instant show the value before that PCLK edge (VALUE reads RELOAD
 *    right after the write and 1 during the last cycle), except at an expiry instant,
 *    where a read ordered after the expiry step sees VALUE 0 and INTSTATUS 1, and one
 *    ordered before sees VALUE 1 and INTSTATUS 0: never a mix (G1). ('A9 …', harness)
 * A10 VALUE = 0 written while counting with RELOAD != 0: VALUE holds 0 for one cycle and
 *    then reloads without an interrupt (no 1 -> 0 step happened). ('A10 …')
 * A11 EN: clearing it freezes VALUE; setting it resumes from the frozen value (a CTRL
 *    write never reloads). ('A11 …')
 * A12 PCLK at 0 Hz stops the counter, VALUE frozen at its reading; when PCLK runs again,
 *    or changes rate while counting, the count restarts from the value it reads, with a
 *    fresh full cycle at the new rate (the partial cycle is lost, as a ptimer period
 *    change does). ('A12 …')
 *
 * Policy: see CMSDK_APB_TIMER_POLICY (the same set as QEMU's, W+O+R+D).
 *
 * Snapshots (#14): {@link CmsdkApbTimerSnapshot}, checked by one strict schema, by the
 * counter's own rules (`timer.<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it:
 * - `pclkHz` is the PCLK input's rate now; while PCLK runs the counter ticks once per cycle
 *   (its period is what `setPeriodFromClock` gives at that rate, in its timing);
 * - the counter reloads from RELOAD (`timer.limit` = RELOAD);
 * - it is stopped while CTRL.EN is 0 or PCLK is stopped; running, it is one-shot exactly
 *   when RELOAD is 0 (A4); stopped under EN with PCLK running, it has halted at 0 with
 *   RELOAD 0 (A4);
 * - VALUE stores nothing (reads are the count) and the ID registers never change: they
 *   hold their reset values.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: INTSTATUS is set
 * in the expiry step itself, G1); 'bottom-half' exists only to show the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectResetValues,
  expectRunningMode,
  expectSame,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  fieldHandle,
  refuseSnapshot,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotHz,
  snapshotPart,
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
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { CMSDK_APB_TIMER_REGISTERS } from './CMSDK_APB_TIMER_REGISTERS';

/** The counter's policy flags, one reason each (A1, A9, A10). */
export const CMSDK_APB_TIMER_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the 1 -> 0 step VALUE holds 0 for one PCLK cycle before it reloads (A1)
  'TRIGGER_ONLY_ON_DECREMENT', // only the 1 -> 0 step interrupts: writing 0 to VALUE/RELOAD, or enabling at 0, never does (A1, A4)
  'NO_IMMEDIATE_RELOAD', // a counter at 0 reloads at the next PCLK edge, not at once, and silently (A10)
  'NO_COUNTER_ROUND_DOWN', // VALUE reads like the hardware counter: RELOAD right after the write, 1 in the last cycle (A9)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link CmsdkApbTimerSnapshot} format version. */
export const CMSDK_APB_TIMER_SNAPSHOT_VERSION = 1;

/** The timer's whole state as plain, versioned data. */
export interface CmsdkApbTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof CMSDK_APB_TIMER_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (VALUE stores nothing: the count is in `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its limit is RELOAD. */
  readonly timer: PTimerSnapshot;
  /** PCLK when the snapshot was taken; restore requires the clock input to be at it. */
  readonly pclkHz: number;
}

/** Options of {@link CmsdkApbTimer}. */
export interface CmsdkApbTimerOptions {
  /** The PCLK input (frequency changeable at run time; 0 Hz = stopped). */
  readonly pclk: ClockInput;
  /** Instance name, the `source` of its events (default `'cmsdk-apb-timer'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9/PCLK ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof CMSDK_APB_TIMER_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  CTRL_EN: fieldHandle(CMSDK_APB_TIMER_REGISTERS, 'CTRL', 'EN'),
  CTRL_IRQEN: fieldHandle(CMSDK_APB_TIMER_REGISTERS, 'CTRL', 'IRQEN'),
  INTSTATUS_IRQ: fieldHandle(CMSDK_APB_TIMER_REGISTERS, 'INTSTATUS', 'IRQ'),
} as const;

const { VALUE, RELOAD } = CMSDK_APB_TIMER_REGISTERS.byName;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(CMSDK_APB_TIMER_REGISTERS);

/** Registers the device never changes: VALUE (reads are the count) and the ID registers. */
const FIXED = CMSDK_APB_TIMER_REGISTERS.registers.filter((r) => r.name === 'VALUE' || r.access === 'ro');

/**
 * The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted.
 * @param r - the snapshot's register values
 * @param timer - the counter's part
 * @param hz - PCLK now (the snapshot's `pclkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (r: Readonly<Record<string, number>>, timer: TimerPartView, hz: number): void => {
  expectResetValues(r, FIXED);
  const reload = r['RELOAD']!;
  expectTimerLimit(timer, reload, `(${registerPath('RELOAD')}: the counter reloads from RELOAD)`);
  if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one PCLK cycle at pclkHz ${hz}`);
  const en = (r['CTRL']! & CMSDK_APB_TIMER_REGISTERS.byName.CTRL.fieldByName.EN.mask) !== 0;
  if (!en || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${registerPath('CTRL', 'EN')} is ${en ? 1 : 0} and pclkHz is ${hz} (the counter runs only under EN with PCLK running)`);
    return;
  }
  expectRunningMode(timer, reload === 0, `while ${registerPath('RELOAD')} is ${reload} (one-shot exactly when RELOAD is 0, A4)`);
  if (timer.mode === 'stopped' && (reload !== 0 || timer.delta !== 0n)) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${registerPath('CTRL', 'EN')} is 1 and PCLK runs, unless it halted at 0 with ${registerPath('RELOAD')} 0 (A4; here RELOAD ${reload}, ${timer.where}.delta ${timer.delta})`,
    );
  }
};

/**
 * The CMSDK APB timer (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (INTSTATUS and TIMERINT change in the
 * counter's expiry step); G2/G3 through the timer's transactions (no register write
 * triggers an interrupt: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const pclk = new ClockInput('pclk', 25_000_000);          // 40 ns per cycle
 * const timer = new CmsdkApbTimer(clock, { pclk });
 * timer.write(0x008, 4, 1000);                               // RELOAD (also loads VALUE)
 * timer.write(0x000, 4, 0b1001);                             // CTRL = EN | IRQEN
 * clock.advanceTo(40_000);                                   // the 1 -> 0 step
 * timer.read(0x00c, 4);                                      // 1: INTSTATUS, and timer.irq is high
 * ```
 */
export class CmsdkApbTimer extends KitDevice<Registers, {
  /** TIMERINT, {@link CmsdkApbTimer.irq}: the timer interrupt, equal to INTSTATUS. */
  timerint: IrqLine;
}> {
  /**
   * Creates the timer with its registers at their reset values and the counter stopped, timed by `options.pclk`.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - PCLK input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `pclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: CmsdkApbTimerOptions) {
    checkDeviceOptions('CmsdkApbTimer', options, { pclk: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'cmsdk-apb-timer');
    this.pclk = options.pclk;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: CMSDK_APB_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.timerint`);
    this.attachBank(CMSDK_APB_TIMER_REGISTERS, {
      // Any CTRL write re-evaluates the run state; a write that keeps EN does not restart the count (A11).
      CTRL: { write: () => this.timer.transaction((t) => this.runIfEnabled(t)) },
      VALUE: { read: () => this.timer.getCountNumber(), write: (value) => this.onValue(value) },
      RELOAD: { write: (value) => this.onReload(value) },
    });
    this.lifetime.add(this.pclk.watch((hz) => this.onClock(hz)));
    this.onClock(this.pclk.hz);
  }

  /** Hardware reset: registers from the map's reset values, the counter stopped at VALUE's reset value with RELOAD's as limit. */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(RELOAD.reset, false);
      t.setCount(VALUE.reset);
    });
    this.bank.reset();
    this.updateIrq();
  }

  snapshot(): CmsdkApbTimerSnapshot {
    return {
      ...this.snapshotHead(CMSDK_APB_TIMER_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      pclkHz: this.rate.hz,
    };
  }

  /**
   * Loads a {@link CmsdkApbTimerSnapshot} taken at the clock's current time by a timer of
   * this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a PCLK mismatch, the counter's own rules (`timer.<field>`), or an invariant
   *   of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'CmsdkApbTimer', version: CMSDK_APB_TIMER_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), pclkHz: snapshotHz() }));
    expectSame('pclkHz', s.pclkHz, this.rate.hz, "the PCLK input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(s.registers.registers, timer, this.rate.hz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** TIMERINT: the timer interrupt, equal to INTSTATUS (A2). */
  readonly irq: IrqLine;
  /** The registers of {@link CMSDK_APB_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The 1 -> 0 step (in the timer's callback context when delivery is sync). */
  private onExpiry(): void {
    if (this.bank.fieldAt(FIELD.CTRL_IRQEN) === 1) this.bank.setFieldAt(FIELD.INTSTATUS_IRQ, 1); // A2
    this.updateIrq();
  }

  /** VALUE write: the counter restarts from `value` (A4, A10). */
  private onValue(value: number): void {
    this.bank.set('VALUE', 0); // nothing is stored: the counter is the timer
    this.timer.transaction((t) => {
      // With RELOAD = 0 a zero count has nothing left to count: hold 0 (A4).
      if (value === 0 && t.getLimit() === 0n) t.stop();
      t.setCount(value);
      this.runIfEnabled(t);
    });
  }

  /** RELOAD write: new reload value, and the counter restarts from it (A3, A4). */
  private onReload(value: number): void {
    this.timer.transaction((t) => {
      if (value === 0) t.stop(); // RELOAD = 0 and VALUE = 0: the counter holds 0 (A4)
      t.setLimit(value, true);
      this.runIfEnabled(t);
    });
  }

  /** PCLK changed: 0 Hz stops the counter, any other rate re-times it (A12: the kit's CounterRate rule). */
  private onClock(hz: number): void {
    this.timer.transaction((t) => {
      this.rate.apply(t, hz); // first: a new period latches the running count (reference §5.2 pitfall 3)
      this.runIfEnabled(t);
    });
    this.updateIrq();
  }

  /**
   * Last step of a change: the counter runs while EN is set and PCLK runs; periodic
   * with a RELOAD, one-shot without (A4). On a running counter `run` only switches the
   * mode, so the count goes on.
   */
  private runIfEnabled(t: PTimer): void {
    if (this.bank.fieldAt(FIELD.CTRL_EN) === 0 || !this.rate.running) {
      t.stop();
      return;
    }
    const oneshot = t.getLimit() === 0n;
    // RELOAD = 0 and a count of 0: no 1 -> 0 step is ahead, the counter just holds 0 (A4).
    if (oneshot && t.mode === 'stopped' && t.getCountNumber() === 0) return;
    t.run(oneshot);
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { timerint: this.irq };
  }

  /** `value` (32 bits): what a guest read of VALUE returns now (the count), read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // VALUE's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'value', width: 32 })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(FIELD.INTSTATUS_IRQ) === 1);
  }

  /** The counter (exposed for tests and traces; guests see it through VALUE). */
  readonly timer: PTimer;
  /** The PCLK input. */
  readonly pclk: ClockInput;
  private readonly rate = new CounterRate();
}
