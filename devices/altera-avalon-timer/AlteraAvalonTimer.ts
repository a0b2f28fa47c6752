/**
 * Intel (Altera) Avalon-MM interval timer: a 32-bit down-counter clocked by `clk` that
 * counts from the period value to 0, sets status.TO and reloads, once (CONT = 0) or for ever
 * (CONT = 1); its interrupt is TO while control.ITO is set.
 *
 * Manual: Intel "Embedded Peripherals IP User Guide" (UG-01085, document ID 683130),
 * chapter "Interval Timer Core". QEMU's `altera_timer` (removed in 2024, LEGACY policy) was
 * a cross-check only (behaviour, no code); where this model departs from it, the entry says so.
 *
 * Configuration modelled: the default full-featured one of the IP: 32-bit counter,
 * writeable period, readable snapshot, start/stop control bits. Not modelled:
 * - the 64-bit counter option, the fixed-period option (period registers absent), the
 *   no-start/stop option and the watchdog preset: the model always has the registers above;
 * - the `timeout_pulse` and `resetrequest` outputs (only `irq` exists);
 * - the IP's "initial period" parameter only as the `initialPeriod` option (B7);
 * - Avalon wait states and byte enables: all accepted accesses complete at once (B8).
 *
 * Output: `irq` is TO && ITO (B2). Clock: `clk` (a ClockInput); the counter steps once per
 * cycle, the core has no prescaler; its rate follows the device kit's CounterRate (B10 is
 * the kit's rule, RUN aside).
 * Timing: exact by default (`timing` option): a cycle is exactly 10^9/clk ns and the k-th
 * cycle of a count started at A ends at ⌊A + k·cycle⌋. At the catalogue's 50 MHz (20 ns)
 * both timings agree; a `clk` that is not a whole number of ns per cycle (24 MHz: 41⅔ ns;
 * 33.333 MHz) is where they differ: `timing: 'qemu'` reproduces QEMU's arithmetic (the
 * cycle at 2^-32 ns, each countdown floored to whole ns: the k-th timeout up to k ns early)
 * (test/devices/catalogue.timing.spec.ts).
 * Options: all checked when the device is built (the kit's `checkDeviceOptions`): `clk` must
 * be a ClockInput and `initialPeriod` an integer in [0, 0xFFFFFFFF]; a misspelt option, an
 * empty name or an unknown `delivery` is a DeviceConfigError naming it ('#13' spec).
 *
 * Ambiguities of the guide, and how they were decided (tests in
 * test/devices/altera-avalon-timer/, titles start with the tag):
 * B1 Timing. The period registers hold "timeout period - 1" = P. Decided: after START the
 *    counter reads P, steps once per cycle, reads 0 during its last cycle, and P + 1 cycles
 *    after START sets TO and reloads P at the same edge; later timeouts follow every P + 1
 *    cycles (as QEMU's timing). The snapshot changes 1 ns after each edge. ('B1 …')
 * B2 TO clear. The guide says to write to status to clear TO; the data is ignored (any write,
 *    0 or 1, clears it, as QEMU): drivers write 0, so they see no difference. IRQ is
 *    TO && ITO: clearing ITO lowers the line and keeps TO. ('B2 …')
 * B3 Period write. Writing either half stops the counter (RUN 0) and loads it with the new
 *    period (both halves as now stored); TO is unchanged; START is needed to run again.
 *    ('B3 …')
 * B4 START / STOP are strobes that read 0 (so a driver's read-modify-write of control never
 *    repeats one). START on a stopped counter runs it from the value it holds (the partial
 *    cycle at the STOP is lost, as a ptimer restart); START while running does nothing to
 *    the count. STOP while stopped does nothing. Both in one write (undefined in the guide):
 *    STOP wins. A CONT change applies to the timeout that comes next. ('B4 …')
 * B5 Snapshot. A write (data ignored) to snapl or snaph latches the whole counter into both;
 *    reads return the latch and never change the counter. Before any latch they read 0.
 *    ('B5 …')
 * B6 One-shot (CONT = 0): at the timeout TO is set, the counter reloads P and stops, RUN
 *    reads 0; START runs another full P + 1 cycles. (QEMU left P - 1 in the counter.) ('B6 …')
 * B7 Reset: period registers from `initialPeriod` (default all ones), the counter stopped and
 *    loaded with it; status, control and the snapshot 0. (QEMU: periods 0 but a counter of
 *    all ones.) ('B7 …')
 * B8 Access sizes: 32- and 16-bit accesses are accepted (Linux uses 16-bit, the HAL 32-bit);
 *    bytes and 8-byte accesses are `bad-size` guest errors. A 16-bit access to bits 31:16 of
 *    a slot reads 0 and, written, is still a write strobe to that register (its side effect
 *    happens, no stored bit changes). (guest-error spec, 'B8 …')
 * B9 Offsets 0x18 and up have no register: `unmapped` guest errors (read 0, no change).
 *    Unaligned offsets are `misaligned`. (guest-error spec)
 * B10 clk at 0 Hz freezes the counter at its reading (RUN keeps its value: the guest
 *    stopped nothing); when the clock runs again, or changes rate while counting, the count
 *    restarts from that value with a fresh cycle at the new rate. ('B10 …')
 * B11 A read at the timeout instant ordered after the timeout step sees TO 1 and the
 *    reloaded counter; ordered before, TO 0 and a counter of 0: never a mix (G1). (harness)
 *
 * Policy: see ALTERA_AVALON_TIMER_POLICY (QEMU used LEGACY: reads one less, B1 differs).
 *
 * Snapshots (#14): {@link AlteraAvalonTimerSnapshot}, checked by one strict schema, by the
 * counter's own rules (`timer.<field>`), and by the invariants that hold by construction, each
 * refused at the field that breaks it:
 * - `clkHz` is the clk input's rate now; while it runs the counter ticks once per cycle
 *   (the period `setPeriodFromClock` gives at that rate, in its timing);
 * - control.START and control.STOP are strobes that read 0 (B4);
 * - the counter reloads the period registers + 1 (B1), and its count is between 1 and that
 *   (the core holds the reloaded period after a timeout, B6);
 * - it runs exactly while status.RUN is 1 and clk runs (B4, B10), one-shot exactly when
 *   control.CONT is 0 (B6). A snapshot taken while a legacy bottom-half delivery is pending
 *   (the one-shot counter stopped at 0, RUN not yet cleared) is no such state: refused.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: TO is set in the
 * expiry step itself, G1); 'bottom-half' exists only to show the LP #1777777 race. Each
 * delivery records one kit `expiry` event just before TO is set; an error thrown on that path
 * (a line listener, a trace sink) surfaces from the clock call as a PTimerCallbackError (G5).
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectSame,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  fieldHandle,
  refuseSnapshot,
  registerInfoOf,
  registerHandle,
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
import { ALTERA_AVALON_TIMER_REGISTERS } from './ALTERA_AVALON_TIMER_REGISTERS';

/**
 * The counter's policy flags, one reason each. The ptimer's limit is P + 1 and the guest
 * sees count - 1, so the zero cycle of B1 is the ptimer's last count, not a W wrap.
 */
export const ALTERA_AVALON_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the snapshot reads like the hardware counter: P right after START, 0 in the last cycle (B1)
  'TRIGGER_ONLY_ON_DECREMENT', // only the counter running out sets TO: no register write or restore ever does (B3, B4)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link AlteraAvalonTimerSnapshot} format version. */
export const ALTERA_AVALON_TIMER_SNAPSHOT_VERSION = 1;

/** The timer's whole state as plain, versioned data. */
export interface AlteraAvalonTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof ALTERA_AVALON_TIMER_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (SNAPL/SNAPH hold the last latch). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its limit is the period + 1. */
  readonly timer: PTimerSnapshot;
  /** clk when the snapshot was taken; restore requires the clock input to be at it. */
  readonly clkHz: number;
}

/** Options of {@link AlteraAvalonTimer}. */
export interface AlteraAvalonTimerOptions {
  /** The core's clock input (frequency changeable at run time; 0 Hz = frozen). */
  readonly clk: ClockInput;
  /** Instance name, the `source` of its events (default `'altera-avalon-timer'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9/clk ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
  /** The period registers after reset (the IP's initial timeout period in cycles, minus 1); default 0xFFFFFFFF (B7). */
  readonly initialPeriod?: number;
}

type Registers = RegisterShapeOf<typeof ALTERA_AVALON_TIMER_REGISTERS>;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(ALTERA_AVALON_TIMER_REGISTERS);

const { STATUS, CONTROL } = ALTERA_AVALON_TIMER_REGISTERS.byName;

/** The fields and registers the counter's paths use, looked up once (a guest latches the counter thousands of times a second). */
const TO = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'STATUS', 'TO');
const RUN = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'STATUS', 'RUN');
const START = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL', 'START');
const STOP = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL', 'STOP');
const CONT = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL', 'CONT');
const ITO = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'CONTROL', 'ITO');
const SNAPL = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'SNAPL', 'SNAP');
const SNAPH = fieldHandle(ALTERA_AVALON_TIMER_REGISTERS, 'SNAPH', 'SNAP');
const PERIODL = registerHandle(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODL');
const PERIODH = registerHandle(ALTERA_AVALON_TIMER_REGISTERS, 'PERIODH');

/**
 * The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted.
 * @param r - the snapshot's register values
 * @param timer - the counter's part
 * @param hz - clk now (the snapshot's `clkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (r: Readonly<Record<string, number>>, timer: TimerPartView, hz: number): void => {
  const control = r['CONTROL']!;
  const strobes = CONTROL.fieldByName.START.mask | CONTROL.fieldByName.STOP.mask;
  if ((control & strobes) !== 0) refuseSnapshot(registerPath('CONTROL'), control, 'must have START and STOP 0: they are strobes that store nothing (B4)');
  const limit = BigInt(((r['PERIODH']! << 16) | r['PERIODL']!) >>> 0) + 1n;
  const periods = `${registerPath('PERIODH')}:${registerPath('PERIODL')}`;
  expectTimerLimit(timer, limit, `(the period registers + 1, ${periods}: the counter reloads the period, B1)`);
  expectTimerCountAtMost(timer, limit, `(the period registers + 1, ${periods})`);
  if (timer.delta === 0n) {
    refuseSnapshot(`${timer.where}.delta`, '0', 'must be at least 1: the core reloads the period at the timeout (B6), so a count of 0 exists only inside the timeout step');
  }
  if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one clk cycle at clkHz ${hz}`);
  const run = (r['STATUS']! & STATUS.fieldByName.RUN.mask) !== 0;
  if (!run || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${registerPath('STATUS', 'RUN')} is ${run ? 1 : 0} and clkHz is ${hz} (it counts only while RUN with clk running)`);
    return;
  }
  const oneshot = (control & CONTROL.fieldByName.CONT.mask) === 0;
  expectTimerMode(timer, [oneshot ? 'oneshot' : 'periodic'], `while ${registerPath('STATUS', 'RUN')} is 1, clk runs and ${registerPath('CONTROL', 'CONT')} is ${oneshot ? 0 : 1} (B4, B6)`);
};

/**
 * The interval timer (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (TO and the line change in the counter's
 * expiry step); G2/G3 through the timer's transactions (no register write sets TO).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const clk = new ClockInput('clk', 50_000_000);               // 20 ns per cycle
 * const timer = new AlteraAvalonTimer(clock, { clk });
 * timer.write(0x08, 4, 99);                                     // periodl: 100 cycles per timeout
 * timer.write(0x0c, 4, 0);                                      // periodh
 * timer.write(0x04, 4, 0b0111);                                 // control = START | CONT | ITO
 * clock.advanceTo(2_000);                                       // the first timeout
 * timer.read(0x00, 4);                                          // 3: TO | RUN, and timer.irq is high
 * ```
 */
export class AlteraAvalonTimer extends KitDevice<Registers, {
  /** The core's interrupt, {@link AlteraAvalonTimer.irq}: TO && ITO. */
  irq: IrqLine;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock input, name, trigger delivery, initial period, timing
   * @throws DeviceConfigError for a `clk` that is not a ClockInput, an `initialPeriod` that is not a 32-bit unsigned integer, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: AlteraAvalonTimerOptions) {
    checkDeviceOptions('AlteraAvalonTimer', options, {
      clk: 'clock',
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
      initialPeriod: { integer: [0, 0xffff_ffff], optional: true },
    });
    super(scheduler, options.name ?? 'altera-avalon-timer');
    this.initialPeriod = options.initialPeriod ?? 0xffff_ffff;
    this.clk = options.clk;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: ALTERA_AVALON_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(ALTERA_AVALON_TIMER_REGISTERS, {
      STATUS: { write: () => this.bank.setFieldAt(TO, 0) }, // B2: the data is ignored
      CONTROL: { write: (value) => this.onControl(value) },
      PERIODL: { write: () => this.onPeriod() },
      PERIODH: { write: () => this.onPeriod() },
      SNAPL: { write: () => this.latchSnapshot() },
      SNAPH: { write: () => this.latchSnapshot() },
    });
    // A guest reads the counter only through a snapl/snaph write that latches it (B5); the probe computes the same value and latches nothing.
    this.applyInitialPeriod();
    this.lifetime.add(this.clk.watch((hz) => this.onClock(hz)));
    this.onClock(this.clk.hz);
  }

  /** Hardware reset: registers from the map (periods from `initialPeriod`), the counter stopped and loaded with the period (B7). */
  override reset(): void {
    this.bank.reset();
    this.applyInitialPeriod();
    this.updateIrq();
  }

  snapshot(): AlteraAvalonTimerSnapshot {
    return {
      ...this.snapshotHead(ALTERA_AVALON_TIMER_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      clkHz: this.rate.hz,
    };
  }

  /**
   * Loads an {@link AlteraAvalonTimerSnapshot} taken at the clock's current time by a timer of
   * this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clk mismatch, the counter's own rules (`timer.<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'AlteraAvalonTimer', version: ALTERA_AVALON_TIMER_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), clkHz: snapshotHz() }));
    expectSame('clkHz', s.clkHz, this.rate.hz, "the clk input's frequency now in Hz");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(s.registers.registers, timer, this.rate.hz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The core's interrupt: TO && ITO (B2). */
  readonly irq: IrqLine;
  /** The registers of {@link ALTERA_AVALON_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The counter ran out (in the timer's callback context when delivery is sync): TO, and the one-shot stop (B1, B6). */
  private onExpiry(): void {
    this.bank.setFieldAt(TO, 1);
    // A one-shot ptimer stops at 0; the core instead holds the reloaded period (B6).
    if (this.timer.mode === 'stopped' && this.timer.getCountNumber() === 0) {
      this.timer.transaction((t) => t.setCount(this.limit()));
      this.bank.setFieldAt(RUN, 0);
    }
    this.updateIrq();
  }

  /** control write: the strobes (STOP wins over START), then the mode from CONT (B4). */
  private onControl(value: number): void {
    const start = (value >>> 2) & 1;
    const stop = (value >>> 3) & 1;
    // strobes: nothing is stored (B4)
    this.bank.setFieldAt(START, 0);
    this.bank.setFieldAt(STOP, 0);
    if (stop === 1) this.bank.setFieldAt(RUN, 0);
    else if (start === 1) this.bank.setFieldAt(RUN, 1);
    this.timer.transaction((t) => this.runIfRunning(t));
  }

  /** periodl / periodh write: stop, and load the counter with the new period (B3). */
  private onPeriod(): void {
    this.bank.setFieldAt(RUN, 0);
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(this.limit(), true);
    });
  }

  /** snapl / snaph write: the counter into both snapshot registers (B5). */
  private latchSnapshot(): void {
    const value = this.counterValue();
    this.bank.setFieldAt(SNAPL, value & 0xffff);
    this.bank.setFieldAt(SNAPH, value >>> 16);
  }

  /** The counter as the core holds it now (pure: the snapshot latch and the probe both read it). */
  private counterValue(): number {
    // A number, not a BigInt: a 32-bit count is exact either way, and this runs at every snapshot and read (#19).
    const c = this.timer.getCountNumber();
    // 0 only between a one-shot expiry and its bottom-half delivery: the core has reloaded by then (B6).
    return c === 0 ? this.period() : c - 1;
  }

  /** clk changed: 0 Hz freezes the counter, any other rate re-times it (B10: the kit's CounterRate rule). */
  private onClock(hz: number): void {
    this.timer.transaction((t) => {
      this.rate.apply(t, hz); // first: a new period latches the running count (reference §5.2 pitfall 3)
      this.runIfRunning(t);
    });
    this.updateIrq();
  }

  /** Registers and counter to the initial period, stopped (B7). */
  private applyInitialPeriod(): void {
    this.bank.set('PERIODL', this.initialPeriod & 0xffff);
    this.bank.set('PERIODH', this.initialPeriod >>> 16);
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(this.limit(), true);
    });
  }

  /**
   * Last step of a change: the counter runs while RUN is set and clk runs, one-shot unless
   * CONT. On a running counter `run` only switches the mode, so the count goes on (B4).
   */
  private runIfRunning(t: PTimer): void {
    if (this.bank.fieldAt(RUN) === 0 || !this.rate.running) t.stop();
    else t.run(this.bank.fieldAt(CONT) === 0);
  }

  /** The period registers as one 32-bit value P (timeout period - 1). */
  private period(): number {
    return ((this.bank.getAt(PERIODH) << 16) | this.bank.getAt(PERIODL)) >>> 0;
  }

  /** The counter's reload value: P + 1 ptimer counts, of which the guest sees count - 1 (B1). */
  private limit(): bigint {
    return BigInt(this.period()) + 1n;
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /**
   * `counter` (32 bits): the value a snapl/snaph write would latch now, which snaph:snapl then
   * reads (B5). Reading the probe latches nothing: SNAPL/SNAPH keep their values.
   */
  protected createProbes(): readonly DeviceProbe[] {
    // As counterValue(): the core shows count - 1, and the period at a zero count (B1, B6).
    return [
    timerProbe(this.timer, { name: 'counter', width: 32, state: () => [this.period()] as const, value: (c, [p]) => (c === 0n ? BigInt(p) : c - 1n) }),
  ];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(TO) === 1 && this.bank.fieldAt(ITO) === 1);
  }

  /** The counter (exposed for tests and traces; guests see it through snapl/snaph). */
  readonly timer: PTimer;
  /** The clock input. */
  readonly clk: ClockInput;
  private readonly rate = new CounterRate();
  private readonly initialPeriod: number;
}
