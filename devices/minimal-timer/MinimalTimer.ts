/**
 * Minimal timer: the smallest device that shows the LP #1777777 race, built only from the
 * framework; registers in the map below, IRQ line = INTSTATUS.IRQ && CTRL.IRQEN. LEGACY_POLICY
 * on purpose: QEMU's SP804, the device of the race, uses it. `delivery: 'bottom-half'` shows the race.
 *
 * Clock: none. The device ticks every `periodNs` ns, fixed at creation (it predates clock
 * inputs and stays the smallest thing that shows the race), so the kit's CounterRate and
 * its 0 Hz rule do not apply; `periodNs` must be a positive whole number of ns, since a
 * period of 0 would leave a timer that silently never runs.
 * Timing: exact by default (`timing` option), like every device; a whole-ns tick is kept
 * exactly by QEMU's arithmetic too, so `timing: 'qemu'` reads and expires the same
 * (MinimalTimer.timing.spec.ts).
 * Options: every one is checked (checkDeviceOptions): an unknown key, a bad `periodNs`,
 * name or `delivery` is a DeviceConfigError naming `MinimalTimer(options.<key>)`.
 * Events: each expiry is an `expiry` trace event (source the device, timer
 * `<name>.timer`), recorded before INTSTATUS is set, like every kit device's.
 *
 * Snapshots (#14): {@link MinimalTimerSnapshot}, checked by one strict schema and by the
 * invariants that hold by construction, each refused at the field that breaks it:
 * - the timer reloads from LOAD (`timer.limit` = LOAD) and ticks every `periodNs` ns;
 * - CTRL.EN = 0 stops the timer; a running timer is periodic. A stopped timer under EN = 1
 *   is reachable: LOAD = 0 halts it (a countdown of 0 reloading 0: the LEGACY ptimer stops
 *   itself), and a later LOAD write only reloads it, leaving it halted until EN goes 0 -> 1.
 * - VALUE stores nothing (its reads are the count): it holds its reset value.
 */
import type { SchedulerLike } from 'rxjs';
import {
  bit,
  checkDeviceOptions,
  defineRegisterMap,
  deviceTimer,
  expectResetValues,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriodNs,
  fieldHandle,
  reg32,
  registerInfoOf,
  registerPath,
  restoreParts,
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
import { IrqLine } from '../../src/irq/IrqLine';
import { LEGACY_POLICY, type PTimer, type PTimerSnapshot, type PTimerTiming } from '../../src/ptimer';

// #region readme-map (shown in the README, which test/readme checks against this text)
/** The register map: LOAD restarts the count from the value written; EN runs the timer periodic. */
export const MINIMAL_TIMER_REGISTERS = defineRegisterMap({
  /** Limit (reload) value: a write sets the limit and restarts the count from it. */
  LOAD: reg32(0x0),
  /** The counter (read-only; read hook: the timer's count, nothing is stored). */
  VALUE: reg32(0x4, {}, { access: 'ro' }),
  /** Control register. */
  CTRL: reg32(0x8, {
    /** Timer enable: 1 runs the timer periodic, 0 stops it. */
    EN: bit(0),
    /** Interrupt enable: the IRQ line is INTSTATUS.IRQ && IRQEN. */
    IRQEN: bit(1),
  }),
  /** Interrupt status register. */
  INTSTATUS: reg32(0xc, {
    /** Expiry flag: set at each expiry; write 1 to clear. */
    IRQ: bit(0, 'w1c'),
  }),
});
// #endregion readme-map

/** Current {@link MinimalTimerSnapshot} format version. */
export const MINIMAL_TIMER_SNAPSHOT_VERSION = 1;

/** The minimal timer's whole state as plain, versioned data. */
export interface MinimalTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof MINIMAL_TIMER_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (VALUE stores nothing: the count is in `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its limit is LOAD, its period `periodNs`. */
  readonly timer: PTimerSnapshot;
}

/** Options of {@link MinimalTimer}. */
export interface MinimalTimerOptions {
  /** The tick period in ns, a positive safe integer, fixed for the device's life. */
  readonly periodNs: number;
  /** Instance name, the `source` of its events (default `'minimal-timer'`). */
  readonly name?: string;
  /** Delivery of the timer's expiries: `'sync'` (default, at the expiry instant, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time: `'exact'` (default) or `'qemu'` (QEMU's 64.32 fixed-point period, floored
   * per countdown). The same here: `periodNs` is whole ns, which both keep exactly.
   */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof MINIMAL_TIMER_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  CTRL_IRQEN: fieldHandle(MINIMAL_TIMER_REGISTERS, 'CTRL', 'IRQEN'),
  INTSTATUS_IRQ: fieldHandle(MINIMAL_TIMER_REGISTERS, 'INTSTATUS', 'IRQ'),
} as const;

const { CTRL, VALUE } = MINIMAL_TIMER_REGISTERS.byName;

/**
 * The invariants of the module header, on a snapshot the schema and the timer accepted.
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (r: Readonly<Record<string, number>>, timer: TimerPartView, periodNs: number): void => {
  expectResetValues(r, [VALUE]);
  expectTimerLimit(timer, r['LOAD']!, `(${registerPath('LOAD')}: the counter reloads from LOAD)`);
  expectTimerPeriodNs(timer, BigInt(periodNs), 'of one tick, periodNs, fixed at creation');
  const en = (r['CTRL']! & CTRL.fieldByName.EN.mask) !== 0;
  const enWhere = registerPath('CTRL', 'EN');
  expectTimerMode(timer, en ? ['periodic', 'stopped'] : ['stopped'], `while ${enWhere} is ${en ? 1 : 0}`);
};

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MINIMAL_TIMER_REGISTERS);

/** The minimal timer device (see the module header). */
export class MinimalTimer extends KitDevice<Registers, {
  /** The interrupt output, {@link MinimalTimer.irq}. */
  irq: IrqLine;
}> {
  /**
   * Creates a stopped minimal timer on `scheduler`, with its registers at their reset values.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - tick period in ns; name; `delivery` of triggers, default `sync` (at the expiry instant, G1); `timing`
   * @throws DeviceConfigError for a `periodNs` that is not a positive safe integer, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: MinimalTimerOptions) {
    checkDeviceOptions('MinimalTimer', options, { periodNs: { integer: [1, Number.MAX_SAFE_INTEGER] }, name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'minimal-timer');
    this.periodNs = options.periodNs;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.timer`,
      policy: LEGACY_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.timer.transaction((t) => t.setPeriod(options.periodNs));
    this.irq = new IrqLine(this.name);
    // #region readme-bank
    this.attachBank(MINIMAL_TIMER_REGISTERS, {
      LOAD: { write: (v) => this.timer.transaction((t) => t.setLimit(v, true)) },
      VALUE: { read: () => this.timer.getCountNumber() },
      CTRL: { fields: { EN: { change: (en) => this.timer.transaction((t) => (en ? t.run(false) : t.stop())) } } },
    });
    // #endregion readme-bank
  }

  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(0, true);
    });
    this.bank.reset();
    this.updateIrq();
  }

  /** Registers and the counter, as plain versioned data. */
  snapshot(): MinimalTimerSnapshot {
    return { ...this.snapshotHead(MINIMAL_TIMER_SNAPSHOT_VERSION), timer: this.timer.snapshot() };
  }

  /**
   * Loads a {@link MinimalTimerSnapshot} taken at the current virtual time by a minimal
   * timer of this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the timer's own rules (`timer.<field>`), or an invariant of the module header
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'MinimalTimer', version: MINIMAL_TIMER_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart() }));
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(s.registers.registers, timer, this.periodNs);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The interrupt output: high while INTSTATUS.IRQ and CTRL.IRQEN are both set. */
  readonly irq: IrqLine;
  /** The registers of {@link MINIMAL_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** An expiry (in the timer's callback context when delivery is sync). */
  private onExpiry(): void {
    this.bank.setFieldAt(FIELD.INTSTATUS_IRQ, 1);
    this.updateIrq();
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `value`: what a guest read of VALUE returns now (the count), read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // VALUE's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'value', width: 32 })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(FIELD.INTSTATUS_IRQ) === 1 && this.bank.fieldAt(FIELD.CTRL_IRQEN) === 1);
  }

  /** The ptimer behind the counter (period `options.periodNs`, `LEGACY_POLICY`). */
  readonly timer: PTimer;
  private readonly periodNs: number;
}
