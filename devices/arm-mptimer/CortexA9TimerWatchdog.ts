/**
 * Arm Cortex-A9 MPCore private timer and watchdog of one CPU (the "TWD" block at
 * PERIPHBASE + 0x600): two 32-bit down-counters clocked by PERIPHCLK through 8-bit
 * prescalers. The private timer sets its event flag (PPI 29) when it reaches zero, single
 * shot or auto-reload. The watchdog is the same counter in timer mode (PPI 30); in
 * watchdog mode its reaching zero sets the reset flag and asserts WDRESETREQ instead.
 *
 * Manual: Arm Cortex-A9 MPCore Technical Reference Manual, ARM DDI 0407 (the facts used
 * here were taken from issue E, r2p0), chapter "Global timer, private timers, and watchdog
 * registers". QEMU's `arm_mptimer` was used as a cross-check only (behaviour, no code):
 * it models the watchdog block as a second plain timer; watchdog mode, the reset flag, the
 * disable sequence and WDRESETREQ are modelled here from the TRM. Where this model departs
 * from QEMU, the entry says so.
 *
 * Outputs (levels): `timerIrq` (PPI 29) = ISR.EVENT_FLAG && CONTROL.IRQ_ENABLE;
 * `watchdogIrq` (PPI 30) = WISR.EVENT_FLAG && WCONTROL.IT_ENABLE; `wdresetreq` = WDRESETREQ
 * (A6). Clock: `periphclk` (a ClockInput); each counter ticks every PRESCALER + 1 cycles.
 * Timing: exact by default (`timing` option): a tick is exactly (PRESCALER + 1)·10^9/PERIPHCLK
 * ns and the k-th tick of a count started at A ends at ⌊A + k·tick⌋. At the catalogue's
 * 100 MHz (10 ns, so every prescaled tick is whole ns) both timings agree; a PERIPHCLK that
 * is not a whole number of ns per cycle (333 333 333 Hz, a Zynq-7000 CPU_3x2x; 24 MHz) is
 * where they differ: `timing: 'qemu'` reproduces QEMU's arithmetic (the cycle at 2^-32 ns,
 * times PRESCALER + 1, each countdown floored to whole ns: the k-th event up to k ns early)
 * ('a fractional cycle …', test/devices/catalogue.timing.spec.ts).
 *
 * Not modelled (none of these has a register, so no access reaches them):
 * - the per-CPU banking of a multi-core MPCore: an instance is one CPU's block (make one
 *   per CPU and route each CPU's accesses to its own);
 * - the counters' halt while their CPU is in debug state;
 * - the prescaler's phase: a start, a restart, a prescaler or a clock change begins a full
 *   prescaled tick (the partial tick is lost, as a ptimer period change does);
 * - the global timer, SCU and interrupt controller that share the private region (other
 *   devices).
 * Known limit (as QEMU): a prescaler, clock or mode change during the one tick a counter
 * rests at 0 after an event restarts it as a written 0, so the event flag is set once more
 * at the next tick (pinned: 'A8 … a change in the zero tick …').
 *
 * Ambiguities of the manual, and how they were decided (tests in test/devices/arm-mptimer/,
 * CortexA9TimerWatchdog.spec.ts unless said otherwise):
 * A1 Timing. The TRM's interval for auto-reload is (PRESCALER + 1) x (Load + 1) PERIPHCLK
 *    cycles: the counter steps down once per prescaled tick, the event flag is set on the
 *    step to 0, the counter shows 0 for one tick and then reloads (no second event). The
 *    first round after a write or a start lasts the written count (Linux's periodic Load
 *    of rate/HZ therefore gives HZ ticks of Load + 1 cycles). Reads are the hardware
 *    counter's: a read exactly on a tick boundary still shows the value before the step,
 *    one ns later the next; on the step to 0 the 0 and the event flag are visible at the
 *    boundary itself. ('A1 …')
 * A2 Zero counts (the TRM is silent), as QEMU's model: with PRESCALER != 0 a counter started
 *    or written at 0 is seen at zero on the next prescaled tick: the event flag (or, in
 *    watchdog mode, the reset) comes one tick later, then single shot stays at 0 and
 *    auto-reload reloads LOAD; auto-reload with LOAD = 0 sets the flag every tick. With
 *    PRESCALER = 0 a zero never counts: writing 0 to LOAD, or to the counter in single
 *    shot or with LOAD = 0, stops the counter; writing 0 to the counter in auto-reload with
 *    LOAD != 0 reloads LOAD at once; enabling at 0 does not start; an auto-reload counter
 *    with LOAD = 0 that reaches 0 sets the flag once and stops. ('A2 …')
 * A3 CONTROL (and WCONTROL) writes. A write that changes ENABLE or the counter's mode
 *    (AUTO_RELOAD; and for the watchdog WD_MODE, which forces single shot) latches the
 *    count and restarts from it with a fresh tick (or stops it), as QEMU. A write that
 *    changes neither leaves the counter alone (running or stopped), except that a new
 *    PRESCALER re-times it from the count shown. QEMU departs here: it also restarts a
 *    stopped counter and re-anchors an auto-reload counter that shows 0 on every write
 *    with ENABLE set, which sets the event flag a second time; the TRM describes no such
 *    effect of a control write. ('A3 …')
 * A4 Watchdog mode. WD_MODE is set by writing 1; a written 0 is ignored; only the disable
 *    sequence (A5) or reset() clears it. In watchdog mode AUTO_RELOAD is ignored (the
 *    counter stops at 0), reaching 0 sets WRESET.RESET_FLAG and WDRESETREQ but not the
 *    event flag (so no PPI 30), WCOUNTER writes are refused as `locked` guest errors (the
 *    TRM: only a WLOAD write updates the counter), and a WLOAD write restarts the count
 *    (the keepalive). ENABLE keeps working: clearing it stops the counter (the TRM puts no
 *    restriction on it). ('A4 …')
 * A5 Disable sequence: WDOG_DISABLE_KEY_1 then WDOG_DISABLE_KEY_2 written to WDISABLE with
 *    no other write to a watchdog register (0x20-0x34) in between leaves watchdog mode;
 *    the watchdog keeps its other control bits (a running counter continues, now as a
 *    timer honouring AUTO_RELOAD). "Any other write" is read as any accepted write to the
 *    watchdog block: writes to the private timer (whose interrupt handler may run between
 *    the two writes), reads and refused accesses do not break the sequence. WDISABLE is
 *    write-only; the device keeps the half-done sequence in its stored value. ('A5 …')
 * A6 WDRESETREQ is a level: high from the watchdog-mode timeout until reset(), the reset it
 *    asks for. RESET_FLAG is separate: the guest clears it by writing 1 (which does not
 *    lower WDRESETREQ), and reset() keeps it (the TRM gives it its own reset line so that
 *    software can tell a watchdog reset from a normal boot); powerOnReset() clears it too.
 *    ('A6 …')
 * A7 Accesses: every register is a 32-bit word; byte, halfword and 8-byte accesses are
 *    `bad-size` guest errors (as QEMU). Offsets in the region that hold no register
 *    (0x10-0x1f, 0x38-0xff) are `unmapped`; a read of WDISABLE is `write-only`.
 *    (CortexA9TimerWatchdog.guestErrors.spec.ts)
 * A8 PERIPHCLK changes: a new frequency re-times both counters from the count they show
 *    (fresh tick); at 0 Hz they freeze at that count (the ptimer keeps its mode with a
 *    period of 2^63 - 1 ns, so it never reaches a tick) and resume with a fresh tick when
 *    the clock runs again. A PRESCALER change does the same for its counter. ('A8 …')
 *    The tick is set through the kit's CounterRate (PERIPHCLK divided by PRESCALER + 1; the
 *    same rate again changes nothing), but not its 0 Hz rule, on purpose: that one stops the
 *    ptimer, whereas here a frozen counter keeps its mode (timer or watchdog mode, single
 *    shot or auto-reload), so nothing has to restart it when the clock returns and the
 *    zero-tick limit above stays the only restart effect. The clock input is watched
 *    through ClockInput.watch like every kit device.
 * A9 The interrupt outputs follow the flags in either mode: an event flag left set from
 *    timer mode still drives PPI 30 after watchdog mode is entered, until cleared.
 *    ('A4 (A9) …')
 * A10 reset(): registers to their reset values (0) except WRESET (A6), both counters
 *    stopped at 0 with LOAD 0 and PRESCALER 0, WDRESETREQ low. ('A10 …', 'A6 …')
 *
 * Policy: see CORTEX_A9_TIMER_POLICY (QEMU's set for this device, W+C+T+R+D).
 *
 * Snapshots (#14): {@link CortexA9TimerWatchdogSnapshot}, checked by one strict schema, by each
 * counter's own rules (`timer.<field>`, `watchdog.<field>`), and by the invariants that hold by
 * construction, each refused at the field that breaks it (for each counter, from its control
 * register and load register):
 * - `periphclkHz` is the PERIPHCLK input's rate now; the counter's period is one prescaled
 *   tick at it in its timing, or the frozen period (2^63 - 1 ns) while it is stopped (A8);
 * - the counter reloads from LOAD / WLOAD;
 * - it is stopped while ENABLE is 0; running, it is single shot exactly when AUTO_RELOAD is
 *   0 or (watchdog) WD_MODE is 1 (A4); stopped under ENABLE, it holds 0 (A2);
 * - WDISABLE holds 0 or the first disable key (a half-done sequence, A5); COUNTER and
 *   WCOUNTER store nothing (the counts are the counters): they hold 0.
 *
 * Options: every one is checked (checkDeviceOptions): a `periphclk` that is not a
 * ClockInput, an empty name, an unknown `delivery` or an unknown key is a
 * DeviceConfigError naming `CortexA9TimerWatchdog(options.<key>)`.
 * Events: besides guest errors, each delivery of a counter's expiry is an `expiry` trace
 * event (timer `<name>.timer` or `<name>.watchdog`), recorded before the event flag (or,
 * in watchdog mode, the reset flag) is set.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: the event flag or
 * the reset flag is set in the expiry step itself, G1); 'bottom-half' exists only to show
 * the LP #1777777 race. A handler on an output line that writes the device during a sync
 * expiry (acknowledges, reloads, resets it on WDRESETREQ) runs in the expiring counter's
 * callback context (G3): its changes apply when the expiry returns.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  channelTimer,
  deviceHooks,
  expectResetValues,
  expectRunningMode,
  expectSame,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  expectTimerPeriodNs,
  fieldHandle,
  refuseSnapshot,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotHz,
  snapshotPart,
  type DeviceProbe,
  type DeviceSnapshot,
  type FieldDef,
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
import { CORTEX_A9_TIMER_WATCHDOG_REGISTERS as REGISTERS, WDOG_DISABLE_KEY_1, WDOG_DISABLE_KEY_2 } from './CORTEX_A9_TIMER_WATCHDOG_REGISTERS';

/** Both counters' policy flags, one reason each (A1, A2); pinned by the 'policy' tests. */
export const CORTEX_A9_TIMER_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // the counter shows 0 for one tick before it reloads: (PRESCALER+1)(Load+1) cycles per round (A1)
  'CONTINUOUS_TRIGGER', // auto-reload with LOAD 0 sets the event flag every tick instead of stopping (A2, PRESCALER != 0)
  'NO_IMMEDIATE_TRIGGER', // a zero written or started from is seen at the next tick, never at the write itself (A2)
  'NO_IMMEDIATE_RELOAD', // in auto-reload a zero count rests at 0 for that tick before LOAD is reloaded (A2)
  'NO_COUNTER_ROUND_DOWN', // COUNTER reads like the hardware: the written value at once, 1 until the step to 0 (A1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link CortexA9TimerWatchdogSnapshot} format version. */
export const CORTEX_A9_TIMER_WATCHDOG_SNAPSHOT_VERSION = 1;

/** The device's whole state as plain, versioned data. */
export interface CortexA9TimerWatchdogSnapshot extends DeviceSnapshot {
  readonly version: typeof CORTEX_A9_TIMER_WATCHDOG_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (WRESET's reset flag, a half-done disable sequence in WDISABLE). */
  readonly registers: RegisterBankSnapshot;
  /** The private timer's counter. */
  readonly timer: PTimerSnapshot;
  /** The watchdog's counter. */
  readonly watchdog: PTimerSnapshot;
  /** WDRESETREQ (A6). */
  readonly resetRequest: boolean;
  /** PERIPHCLK when the snapshot was taken; restore requires the clock input to be at it. */
  readonly periphclkHz: number;
}

/** Options of {@link CortexA9TimerWatchdog}. */
export interface CortexA9TimerWatchdogOptions {
  /** The PERIPHCLK input (frequency changeable at run time; 0 Hz freezes both counters, A8). */
  readonly periphclk: ClockInput;
  /** Instance name, the `source` of its events (default `'arm-mptimer'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How both counters keep time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9·divisor/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof REGISTERS>;

/** One of the two counter blocks: its ptimer and the registers that drive it. */
interface Block {
  readonly counter: PTimer;
  /** Its prescaled PERIPHCLK rate (A8). */
  readonly rate: CounterRate;
  readonly control: 'CONTROL' | 'WCONTROL';
  readonly status: 'ISR' | 'WISR';
  /** The control register's ENABLE, AUTO_RELOAD and PRESCALER fields; WD_MODE for the watchdog. */
  readonly fields: { readonly enable: FieldDef; readonly autoReload: FieldDef; readonly prescaler: FieldDef; readonly wdMode?: FieldDef };
}

/** What a control value means for the counter. */
interface CounterMode {
  readonly enable: boolean;
  /** AUTO_RELOAD, and not in watchdog mode (A4). */
  readonly periodic: boolean;
  readonly prescaler: number;
  readonly watchdog: boolean;
}

const CONTROL_FIELDS = REGISTERS.byName.CONTROL.fieldByName;
const WCONTROL_FIELDS = REGISTERS.byName.WCONTROL.fieldByName;
const WD_MODE = WCONTROL_FIELDS.WD_MODE.mask;
/** Each block's control fields (shared by every instance). */
const TIMER_BLOCK_FIELDS: Block['fields'] = { enable: CONTROL_FIELDS.ENABLE, autoReload: CONTROL_FIELDS.AUTO_RELOAD, prescaler: CONTROL_FIELDS.PRESCALER };
const WATCHDOG_BLOCK_FIELDS: Block['fields'] = {
  enable: WCONTROL_FIELDS.ENABLE,
  autoReload: WCONTROL_FIELDS.AUTO_RELOAD,
  prescaler: WCONTROL_FIELDS.PRESCALER,
  wdMode: WCONTROL_FIELDS.WD_MODE,
};
/** The period of a counter whose PERIPHCLK is stopped: it never reaches a tick (A8). */
const FROZEN_PERIOD_NS = (1n << 63n) - 1n;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(REGISTERS);
/** The fields the outputs and the expiry read, looked up once (#19: they run at every expiry and access). */
const FIELD = {
  ISR_EVENT_FLAG: fieldHandle(REGISTERS, 'ISR', 'EVENT_FLAG'),
  CONTROL_IRQ_ENABLE: fieldHandle(REGISTERS, 'CONTROL', 'IRQ_ENABLE'),
  WISR_EVENT_FLAG: fieldHandle(REGISTERS, 'WISR', 'EVENT_FLAG'),
  WCONTROL_IT_ENABLE: fieldHandle(REGISTERS, 'WCONTROL', 'IT_ENABLE'),
  WRESET_RESET_FLAG: fieldHandle(REGISTERS, 'WRESET', 'RESET_FLAG'),
} as const;

const fieldOf = (value: number, f: FieldDef): number => (value & f.mask) >>> f.lsb;

/** Registers that store nothing: the counts are the counters (a write stores 0 back). */
const FIXED = [REGISTERS.byName.COUNTER, REGISTERS.byName.WCOUNTER];

/** Each counter's registers and its place in the snapshot. */
const PARTS = [
  { where: 'timer', control: 'CONTROL', load: 'LOAD', fields: CONTROL_FIELDS, wdMode: undefined },
  { where: 'watchdog', control: 'WCONTROL', load: 'WLOAD', fields: WCONTROL_FIELDS, wdMode: WCONTROL_FIELDS.WD_MODE },
] as const;

/**
 * The invariants of the module header ("Snapshots") for one counter, on a snapshot the schema
 * and the counter accepted.
 * @param r - the snapshot's register values
 * @param part - the counter's registers
 * @param counter - its part
 * @param hz - PERIPHCLK now (the snapshot's `periphclkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkCounter = (r: Readonly<Record<string, number>>, part: (typeof PARTS)[number], counter: TimerPartView, hz: number): void => {
  const control = r[part.control]!;
  const at = (field: string): string => registerPath(part.control, field);
  expectTimerLimit(counter, r[part.load]!, `(${registerPath(part.load)}: the counter reloads from it)`);
  const prescaler = fieldOf(control, part.fields.PRESCALER);
  if (hz === 0) expectTimerPeriodNs(counter, FROZEN_PERIOD_NS, 'of a counter frozen by a stopped PERIPHCLK (A8)');
  else expectTimerPeriod(counter, hz, prescaler + 1, `of one tick at periphclkHz ${hz} with ${at('PRESCALER')} ${prescaler}`);
  if (fieldOf(control, part.fields.ENABLE) === 0) {
    expectTimerMode(counter, ['stopped'], `while ${at('ENABLE')} is 0`);
    return;
  }
  const watchdog = part.wdMode !== undefined && fieldOf(control, part.wdMode) === 1;
  const singleShot = fieldOf(control, part.fields.AUTO_RELOAD) === 0 || watchdog;
  expectRunningMode(counter, singleShot, `while ${at('AUTO_RELOAD')} is ${fieldOf(control, part.fields.AUTO_RELOAD)}${part.wdMode === undefined ? '' : ` and ${at('WD_MODE')} is ${watchdog ? 1 : 0}`}`);
  if (counter.mode === 'stopped' && counter.delta !== 0n) {
    refuseSnapshot(`${counter.where}.mode`, counter.mode, `must be running while ${at('ENABLE')} is 1, unless it holds 0 (A2; ${counter.where}.delta is ${counter.delta})`);
  }
};

/** The Cortex-A9 MPCore private timer and watchdog of one CPU (see the module header). */
export class CortexA9TimerWatchdog extends KitDevice<Registers, {
  /** PPI 29, {@link CortexA9TimerWatchdog.timerIrq}: ISR.EVENT_FLAG && CONTROL.IRQ_ENABLE. */
  ppi29: IrqLine;
  /** PPI 30, {@link CortexA9TimerWatchdog.watchdogIrq}: WISR.EVENT_FLAG && WCONTROL.IT_ENABLE. */
  ppi30: IrqLine;
  /** WDRESETREQ, {@link CortexA9TimerWatchdog.wdresetreq}: high from a watchdog-mode timeout until reset(). */
  wdresetreq: IrqLine;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - PERIPHCLK input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `periphclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: CortexA9TimerWatchdogOptions) {
    checkDeviceOptions('CortexA9TimerWatchdog', options, { periphclk: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'arm-mptimer');
    this.periphclk = options.periphclk;
    // Expiries reach onExpiry in the counter's expiry step, in its callback context (G1, G3).
    const counter = (which: 'timer' | 'watchdog'): PTimer =>
      channelTimer(scheduler, {
        device: this.name,
        name: `${this.name}.${which}`,
        policy: CORTEX_A9_TIMER_POLICY,
        delivery: options.delivery,
        timing: options.timing,
        owner: this,
        channel: which === 'timer' ? 0 : 1,
        onExpiry: CortexA9TimerWatchdog.expired,
        events: this.outlet,
        lifetime: this.lifetime,
      });
    this.timerCounter = counter('timer');
    this.watchdogCounter = counter('watchdog');
    this.timer = {
      counter: this.timerCounter,
      rate: new CounterRate(),
      control: 'CONTROL',
      status: 'ISR',
      fields: TIMER_BLOCK_FIELDS,
    };
    this.watchdog = {
      counter: this.watchdogCounter,
      rate: new CounterRate(),
      control: 'WCONTROL',
      status: 'WISR',
      fields: WATCHDOG_BLOCK_FIELDS,
    };
    this.timerIrq = new IrqLine(`${this.name}.ppi29`);
    this.watchdogIrq = new IrqLine(`${this.name}.ppi30`);
    this.wdresetreq = new IrqLine(`${this.name}.wdresetreq`);
    this.attachBank(
      REGISTERS,
      CortexA9TimerWatchdog.HOOKS,
      // A4: in watchdog mode only a WLOAD write updates the counter.
      { locked: (register) => register === 'WCOUNTER' && this.inWatchdogMode() },
    );
    this.lifetime.add(this.periphclk.watch((hz) => this.onClock(hz)));
    this.onClock(this.periphclk.hz); // sets both counters' periods
  }

  /** Both counters' handler (one function, no closure per timer, #19): channel 0 the timer, 1 the watchdog. */
  private static readonly expired = (d: CortexA9TimerWatchdog, channel: number): void => d.onExpiry(channel === 0 ? d.timer : d.watchdog);

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = deviceHooks<CortexA9TimerWatchdog>().of(REGISTERS, {
    LOAD: { write: (d, value) => d.onLoad(d.timer, value) },
    COUNTER: { read: (d) => d.timerCounter.getCountNumber(), write: (d, value) => d.onCounter(d.timer, value) },
    CONTROL: { write: (d, value, old) => d.onControl(d.timer, old, value) },
    WLOAD: { write: (d, value) => d.watchdogWrite(() => d.onLoad(d.watchdog, value)) },
    WCOUNTER: {
      read: (d) => d.watchdogCounter.getCountNumber(),
      write: (d, value) => d.watchdogWrite(() => d.onCounter(d.watchdog, value)),
    },
    WCONTROL: {
      write: (d, value, old) =>
        d.watchdogWrite(() => {
          // A4: a written 0 does not leave watchdog mode.
          const next = (value | (old & WD_MODE)) >>> 0;
          if (next !== value) d.bank.set('WCONTROL', next);
          d.onControl(d.watchdog, old, next);
        }),
    },
    WISR: { write: (d) => d.watchdogWrite(() => undefined) },
    WRESET: { write: (d) => d.watchdogWrite(() => undefined) },
    WDISABLE: { write: (d, value, old) => d.onDisable(value, old) },
  });

  /**
   * The reset WDRESETREQ asks for (nCPURESET/nPERIPHRESET): registers to their reset
   * values except WRESET, which has its own reset line (A6, A10); both counters stopped at
   * 0 with LOAD 0 and PRESCALER 0; WDRESETREQ low.
   */
  override reset(): void {
    const resetFlag = this.bank.field('WRESET', 'RESET_FLAG');
    for (const block of [this.timer, this.watchdog]) {
      block.counter.transaction((t) => {
        t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
        this.retime(t, block.rate, 0);
        t.setLimit(0, true);
      });
    }
    this.bank.reset();
    this.bank.setField('WRESET', 'RESET_FLAG', resetFlag);
    this.resetRequest = false;
    this.updateIrq();
  }

  /** A power-on reset (nWDRESET asserted too): {@link CortexA9TimerWatchdog.reset}, and the reset flag cleared. */
  powerOnReset(): void {
    this.reset();
    this.bank.setField('WRESET', 'RESET_FLAG', 0);
  }

  snapshot(): CortexA9TimerWatchdogSnapshot {
    return {
      ...this.snapshotHead(CORTEX_A9_TIMER_WATCHDOG_SNAPSHOT_VERSION),
      timer: this.timerCounter.snapshot(),
      watchdog: this.watchdogCounter.snapshot(),
      resetRequest: this.resetRequest,
      periphclkHz: this.hz,
    };
  }

  /**
   * Loads a {@link CortexA9TimerWatchdogSnapshot} taken at the clock's current time by a block
   * of this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a PERIPHCLK mismatch, a counter's own rules (`timer.<field>`,
   *   `watchdog.<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'CortexA9TimerWatchdog', version: CORTEX_A9_TIMER_WATCHDOG_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), watchdog: snapshotPart(), resetRequest: snapshotBoolean(), periphclkHz: snapshotHz() }));
    expectSame('periphclkHz', s.periphclkHz, this.hz, "the PERIPHCLK input's frequency now");
    const counters = [this.checkTimer(this.timerCounter, s.timer, 'timer'), this.checkTimer(this.watchdogCounter, s.watchdog, 'watchdog')];
    const r = s.registers.registers;
    expectResetValues(r, FIXED);
    if (r['WDISABLE'] !== 0 && r['WDISABLE'] !== WDOG_DISABLE_KEY_1) {
      refuseSnapshot(registerPath('WDISABLE'), r['WDISABLE'], 'must be 0 or the first disable key (a half-done sequence)');
    }
    PARTS.forEach((part, i) => checkCounter(r, part, counters[i]!, this.hz));
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timerCounter, s.timer, 'timer'],
      [this.watchdogCounter, s.watchdog, 'watchdog'],
    ]);
    this.resetRequest = s.resetRequest;
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** PPI 29: the private timer's interrupt. */
  readonly timerIrq: IrqLine;
  /** PPI 30: the watchdog's interrupt (timer mode events). */
  readonly watchdogIrq: IrqLine;
  /** WDRESETREQ: the watchdog's reset request, high from a watchdog-mode timeout until reset() (A6). */
  readonly wdresetreq: IrqLine;
  /** The registers of the CORTEX_A9_TIMER_WATCHDOG_REGISTERS map, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** A counter reached zero (in its callback context when delivery is sync). */
  private onExpiry(block: Block): void {
    const mode = this.modeOf(block, this.bank.get(block.control));
    if (mode.watchdog) {
      // A4: a watchdog-mode timeout; the single-shot counter has stopped at 0.
      this.bank.setFieldAt(FIELD.WRESET_RESET_FLAG, 1);
      this.resetRequest = true;
    } else {
      // A2: with PRESCALER 0 an auto-reload counter with LOAD 0 fires once, then stops.
      if (mode.periodic && mode.prescaler === 0 && block.counter.getLimit() === 0n) block.counter.transaction((t) => t.stop());
      this.bank.setField(block.status, 'EVENT_FLAG', 1);
    }
    this.updateIrq();
  }

  /** LOAD/WLOAD write: new reload value, and the count restarts from it (TRM; A2 for 0). */
  private onLoad(block: Block, value: number): void {
    const mode = this.modeOf(block, this.bank.get(block.control));
    block.counter.transaction((t) => {
      if (mode.enable && mode.prescaler === 0 && value === 0) t.stop();
      t.setLimit(value, true);
      if (mode.enable && (mode.prescaler !== 0 || value !== 0)) t.run(!mode.periodic);
    });
  }

  /** COUNTER/WCOUNTER write: the count restarts from the value (TRM; A2 for 0). */
  private onCounter(block: Block, value: number): void {
    this.bank.set(block === this.timer ? 'COUNTER' : 'WCOUNTER', 0); // the count lives in the ptimer
    const mode = this.modeOf(block, this.bank.get(block.control));
    block.counter.transaction((t) => {
      let count = BigInt(value);
      if (mode.enable && mode.prescaler === 0 && count === 0n) {
        if (mode.periodic && t.getLimit() !== 0n) count = t.getLimit();
        else t.stop();
      }
      t.setCount(count);
      if (mode.enable && (mode.prescaler !== 0 || count !== 0n)) t.run(!mode.periodic);
    });
  }

  /** CONTROL/WCONTROL changed from `old` to `value` (A3), or the disable sequence left watchdog mode (A5). */
  private onControl(block: Block, old: number, value: number): void {
    const before = this.modeOf(block, old);
    const after = this.modeOf(block, value);
    const restart = before.enable !== after.enable || before.periodic !== after.periodic;
    if (!restart && before.prescaler === after.prescaler) return;
    block.counter.transaction((t) => {
      if (restart) t.stop(); // first: latches the count (reference §5.2 pitfall 3)
      if (before.prescaler !== after.prescaler) this.retime(t, block.rate, after.prescaler);
      if (!restart || !after.enable) return;
      let count = t.getCount();
      if (after.periodic && count === 0n && after.prescaler === 0) {
        count = t.getLimit(); // A2: with PRESCALER 0 a zero in auto-reload is replaced by LOAD at once
        t.setCount(count);
      }
      if (after.prescaler !== 0 || count !== 0n) t.run(!after.periodic);
    });
  }

  /** WDISABLE write (A5): the second key right after the first leaves watchdog mode. */
  private onDisable(value: number, old: number): void {
    if (old === WDOG_DISABLE_KEY_1 && value === WDOG_DISABLE_KEY_2) {
      this.bank.set('WDISABLE', 0);
      const control = this.bank.get('WCONTROL');
      if ((control & WD_MODE) === 0) return;
      const next = (control & ~WD_MODE) >>> 0;
      this.bank.set('WCONTROL', next);
      this.onControl(this.watchdog, control, next);
      return;
    }
    this.bank.set('WDISABLE', value === WDOG_DISABLE_KEY_1 ? WDOG_DISABLE_KEY_1 : 0);
  }

  /** Any other accepted write to a watchdog register breaks a half-done disable sequence (A5). */
  private watchdogWrite(effect: () => void): void {
    this.bank.set('WDISABLE', 0);
    effect();
  }

  /** PERIPHCLK changed: both counters re-timed from the count they show (A8). */
  private onClock(hz: number): void {
    this.hz = hz;
    for (const block of [this.timer, this.watchdog]) {
      const prescaler = fieldOf(this.bank.get(block.control), block.fields.prescaler);
      block.counter.transaction((t) => this.retime(t, block.rate, prescaler));
    }
  }

  /** Sets the counter's tick for `prescaler` at the current PERIPHCLK; a stopped clock freezes it (A8). */
  private retime(t: PTimer, rate: CounterRate, prescaler: number): void {
    if (rate.apply(t, this.hz, prescaler + 1)) return;
    // An unchanged period must not latch: that would restart the count with a fresh tick.
    const now = t.getPeriod();
    if (now.ns !== FROZEN_PERIOD_NS || now.frac32 !== 0n) t.setPeriod(FROZEN_PERIOD_NS);
  }

  private modeOf(block: Block, control: number): CounterMode {
    const f = block.fields;
    const watchdog = f.wdMode !== undefined && fieldOf(control, f.wdMode) === 1;
    return {
      enable: fieldOf(control, f.enable) === 1,
      periodic: fieldOf(control, f.autoReload) === 1 && !watchdog,
      prescaler: fieldOf(control, f.prescaler),
      watchdog,
    };
  }

  private inWatchdogMode(): boolean {
    return this.bank.field('WCONTROL', 'WD_MODE') === 1;
  }

  /**
   * The output lines by TRM name: `ppi29` is {@link CortexA9TimerWatchdog.timerIrq}, `ppi30`
   * {@link CortexA9TimerWatchdog.watchdogIrq}, `wdresetreq` {@link CortexA9TimerWatchdog.wdresetreq}.
   */
  protected createLines() {
    return { ppi29: this.timerIrq, ppi30: this.watchdogIrq, wdresetreq: this.wdresetreq };
  }

  /**
   * `timer.counter`, `watchdog.counter` (32 bits): what guest reads of COUNTER and WCOUNTER
   * return now (the counts), read without an access.
   */
  protected createProbes(): readonly DeviceProbe[] {
    // The COUNTER and WCOUNTER read hooks are the counts themselves: reading them has no side effect.
    return [
      timerProbe(this.timerCounter, { name: 'timer.counter', width: 32 }),
      timerProbe(this.watchdogCounter, { name: 'watchdog.counter', width: 32 }),
    ];
  }

  /** The one place the three outputs are computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    // Each level is read when it is set: a subscriber of one line may change the device (A6).
    this.timerIrq.set(this.bank.fieldAt(FIELD.ISR_EVENT_FLAG) === 1 && this.bank.fieldAt(FIELD.CONTROL_IRQ_ENABLE) === 1);
    this.watchdogIrq.set(this.bank.fieldAt(FIELD.WISR_EVENT_FLAG) === 1 && this.bank.fieldAt(FIELD.WCONTROL_IT_ENABLE) === 1);
    this.wdresetreq.set(this.resetRequest);
  }

  /** The private timer's counter (exposed for tests and traces; guests see it through COUNTER). */
  readonly timerCounter: PTimer;
  /** The watchdog's counter (guests see it through WCOUNTER). */
  readonly watchdogCounter: PTimer;
  /** The PERIPHCLK input. */
  readonly periphclk: ClockInput;
  private readonly timer: Block;
  private readonly watchdog: Block;
  private resetRequest = false;
  private hz = 0;
}
