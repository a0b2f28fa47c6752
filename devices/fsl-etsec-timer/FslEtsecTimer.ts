/**
 * Freescale eTSEC (enhanced three-speed Ethernet controller), the timer part: the transmit DMA's
 * poll timer, which makes the controller look at its TxBD ring every so many transmit clocks
 * while DMACTRL.WOP is 0, so that a descriptor the driver marked ready goes out without a TSTAT
 * write. Its registers sit at their real offsets in the controller's 4 KiB block; the rest of
 * the controller is not modelled.
 *
 * Manual: Freescale MPC8548E PowerQUICC III reference manual (and the P2020 one), chapter
 * "Enhanced Three-Speed Ethernet Controllers": DMACTRL (WOP "poll TxBD every 512 clocks", GTS),
 * IEVENT and IMASK (TXF, GTSC). No text copy was read: the facts are the reference's (devices-2.md
 * §24, the poll interval [med]), the register names and bits as Linux's gianfar and U-Boot's tsec
 * drivers and QEMU's model use them, and the drivers' sequences. QEMU's `eTSEC` was a
 * cross-check only; each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `txclk`: the transmit clock, a {@link ClockInput} (default 125 MHz, GTX_CLK at 1000 Mb/s;
 *   25 MHz at 100 Mb/s, 2.5 MHz at 10 Mb/s). The poll interval is `pollCycles` of it (default
 *   512). 0 Hz freezes the interval; a rate change re-times it from its reading.
 * - `tx`, `rx`, `err`: the controller's three interrupt outputs, IEVENT & IMASK over the
 *   transmit events (TXF, TXB), the receive events (RXF, RXB) and the rest, as gianfar routes
 *   them. Only `tx` (TXF) and `err` (GTSC) can rise here.
 * - The TxBD ring's stand-in (the ring is in memory, not modelled): `txRing: 'endless'` makes
 *   every poll find a ready frame; {@link FslEtsecTimer.queueFrames} makes frames ready for the
 *   next poll. A poll that finds frames sends them at once (the data path takes no time) and sets
 *   IEVENT.TXF (T3).
 *
 * ## Timing
 * Exact by default (`timing` option): a transmit clock is exactly 10^9/Hz ns, so at 125 MHz a
 * poll every 4 096 ns. A txclk that is not a whole number of ns per cycle (33.333 MHz) is where
 * `timing: 'qemu'` differs (QEMU's 64.32 fixed point, floored per interval).
 *
 * ## Policy
 * {@link FSL_ETSEC_TIMER_POLICY}.
 *
 * ## Not modelled, and what the guest sees instead
 * - Everything of the controller but the poll timer and its three registers: the descriptor
 *   rings and TSTAT/RSTAT (a TSTAT write, the drivers' way to restart a halted ring, is reported,
 *   not acted on), the MAC, MII management, the receiver, filers, RMON counters, the IEEE 1588
 *   timer: `unimplemented` events reading 0 ({@link FSL_ETSEC_NOT_MODELLED}); every other offset
 *   of the 4 KiB block is an unmapped guest error.
 * - DMACTRL's WWR, TOD, GRS, TBDSEN, TDSEN and LE: stored, each write of 1 reported; IEVENT's
 *   other events never set.
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/fsl-etsec-timer/, titles start with the tag.
 * T1 The interval: every `pollCycles` transmit clocks (the manual's 512) while polling.
 *    QEMU: every 10 ms (100 Hz), "far longer" than the hardware's (the reference). ('T1 …')
 * T2 When it polls: from a DMACTRL write that leaves WOP 0 and GTS 0 while it was not polling
 *    (the first poll `pollCycles` later); a write with WOP 1 or GTS 1 stops it; a write that
 *    keeps it polling leaves the interval's phase; reset stops it (the reset DMACTRL is 0, but the
 *    transmitter has no ring to poll before the driver's first DMACTRL write). QEMU: every DMACTRL
 *    write with WOP 0 restarts the interval, and a GTS write does not stop the timer (its expiry
 *    skips the ring). ('T2 …')
 * T3 A poll that finds ready frames sends them at once and sets IEVENT.TXF once; a poll that
 *    finds none changes nothing. (QEMU walks its real ring.) ('T3 …')
 * T4 GTS 0 → 1 stops transmission at once (no frame is ever in flight) and sets IEVENT.GTSC;
 *    a write that keeps GTS 1 sets nothing. QEMU sets GTSC at every write with GTS 1. ('T4 …')
 * T5 IEVENT bits clear where written 1; IMASK is plain read/write; the lines follow at once.
 *    ('T5 …')
 * T6 Reads at a poll instant see IEVENT.TXF clear before the poll and set after it (the count
 *    is not guest-visible: G1 is on the status and line; the harness spec).
 * T7 txclk at 0 Hz freezes the interval. ('T7 …')
 * T8 TOD (transmit on demand) is stored and reported, not acted on. ('T8 …')
 * T9 Access sizes: 32-bit only (QEMU the same); others are `bad-size` guest errors. (guest-error spec)
 *
 * ## Snapshots
 * {@link FslEtsecTimerSnapshot}, checked by one strict schema, the timer's own rules (`timer.<field>`)
 * and the invariants that hold by construction: IEVENT holds only TXF and GTSC; polling only with
 * WOP 0 and GTS 0; the timer reloads `pollCycles`, has the period of one transmit clock, runs
 * periodic exactly while polling with txclk running, stays stopped at a full interval when not
 * polling, and never counts above `pollCycles`.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: the poll's TXF and the `tx` line change
 * in the expiry step, G1); `bottom-half` exists only to show the race.
 *
 * ## Device kit
 * A PartialKitDevice (the shell on the prototype) on FSL_ETSEC_TIMER_REGISTERS, the rest of the
 * controller left out; one deviceTimer, a CounterRate; `dispose()` ends the clock watch and the timer.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  deviceTimer,
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
  snapshotBoolean,
  snapshotHz,
  snapshotInteger,
  snapshotPart,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { FSL_ETSEC_NOT_MODELLED, FSL_ETSEC_RX_EVENTS, FSL_ETSEC_TIMER_REGISTERS, FSL_ETSEC_TX_EVENTS } from './FSL_ETSEC_TIMER_REGISTERS';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The poll timer's policy flags, one reason each (T2). */
export const FSL_ETSEC_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the `poll` probe reads the clocks left like a hardware down-counter: pollCycles through the first, 1 through the last
  'TRIGGER_ONLY_ON_DECREMENT', // only the end of an interval polls: starting (or restarting) the interval never polls at once (T2)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link FslEtsecTimerSnapshot} format version. */
export const FSL_ETSEC_TIMER_SNAPSHOT_VERSION = 1;

/** The TxBD ring's stand-in (see the module header, "Ports"). */
export type FslEtsecTxRing = 'empty' | 'endless';

/** The eTSEC poll timer's whole state as plain, versioned data. */
export interface FslEtsecTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof FSL_ETSEC_TIMER_SNAPSHOT_VERSION;
  /** IEVENT, IMASK and DMACTRL. */
  readonly registers: RegisterBankSnapshot;
  /** The poll interval's countdown; its limit is `pollCycles`. */
  readonly timer: PTimerSnapshot;
  /** Whether the transmitter polls (T2). */
  readonly polling: boolean;
  /** Frames made ready by {@link FslEtsecTimer.queueFrames} and not yet sent. */
  readonly pendingFrames: number;
  /** `txclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly txclkHz: number;
}

/** Options of {@link FslEtsecTimer}. */
export interface FslEtsecTimerOptions {
  /** The transmit clock; rate changeable at run time, 0 Hz = frozen. Default: a new 125 MHz input (1000 Mb/s). */
  readonly txclk?: ClockInput;
  /** Transmit clocks per poll, 1 to 2^32 - 1 (default 512, the manual's; QEMU polls every 10 ms). */
  readonly pollCycles?: number;
  /** The TxBD ring's stand-in: `'empty'` (default, frames only through `queueFrames`) or `'endless'` (a ready frame at every poll). */
  readonly txRing?: FslEtsecTxRing;
  /** Instance name, the `source` of its events (default `'fsl-etsec-timer'`). */
  readonly name?: string;
  /** Delivery of the poll timer's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the poll timer keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof FSL_ETSEC_TIMER_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  IEVENT_GTSC: fieldHandle(FSL_ETSEC_TIMER_REGISTERS, 'IEVENT', 'GTSC'),
  IEVENT_TXF: fieldHandle(FSL_ETSEC_TIMER_REGISTERS, 'IEVENT', 'TXF'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  IEVENT: registerHandle(FSL_ETSEC_TIMER_REGISTERS, 'IEVENT'),
  IMASK: registerHandle(FSL_ETSEC_TIMER_REGISTERS, 'IMASK'),
} as const;

const R = FSL_ETSEC_TIMER_REGISTERS.byName;
const EV = R.IEVENT.fieldByName;
const DMA = R.DMACTRL.fieldByName;
/** The IEVENT bits this model sets. */
const SET_BY_MODEL = EV.TXF.mask | EV.GTSC.mask;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(FSL_ETSEC_TIMER_REGISTERS);

/**
 * The eTSEC's transmit poll timer (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (a poll's TXF and the `tx` line change in the
 * timer's expiry step); G2/G3 through the timer's transactions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const etsec = new FslEtsecTimer(clock, { txRing: 'endless' });   // 125 MHz, 512 clocks a poll
 * etsec.write(0x014, 4, 1 << 20);                                   // IMASK: TXFEN
 * etsec.write(0x02c, 4, 0);                                         // DMACTRL: WOP 0, polling
 * clock.advanceTo(4_096);
 * etsec.lines.tx.level;                                             // true: the poll sent a frame
 * ```
 */
export class FslEtsecTimer extends PartialKitDevice<Registers, {
  /** {@link FslEtsecTimer.tx}. */
  tx: IrqLine;
  /** {@link FslEtsecTimer.rx}. */
  rx: IrqLine;
  /** {@link FslEtsecTimer.err}. */
  err: IrqLine;
}> {
  /**
   * Creates the poll timer with its registers at their reset values (0) and not polling.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - transmit clock, poll interval, ring stand-in, name, trigger delivery, timing
   * @throws DeviceConfigError for a `txclk` that is not a ClockInput, a `pollCycles` outside 1 to 2^32 - 1, an unknown `txRing`, `delivery` or `timing`, an empty name, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: FslEtsecTimerOptions = {}) {
    checkDeviceOptions('FslEtsecTimer', options, {
      txclk: 'clock?',
      pollCycles: { integer: [1, 0xffff_ffff], optional: true },
      txRing: { oneOf: ['empty', 'endless'], optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'fsl-etsec-timer');
    this.txclk = options.txclk ?? new ClockInput(`${this.name}.txclk`, 125_000_000);
    this.pollCycles = options.pollCycles ?? 512;
    this.txRing = options.txRing ?? 'empty';
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.poll`,
      policy: FSL_ETSEC_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.attachBank(FSL_ETSEC_TIMER_REGISTERS, { DMACTRL: { write: (value, old) => this.onDmaControl(value, old) } });
    this.attachUnmodelled({ registers: FSL_ETSEC_NOT_MODELLED, what: 'the rest of the eTSEC' });
    this.tx = new IrqLine(`${this.name}.tx`);
    this.rx = new IrqLine(`${this.name}.rx`);
    this.err = new IrqLine(`${this.name}.err`);
    this.reset();
    // reset() applied the current rate; each later change re-times a running interval.
    this.lifetime.add(this.txclk.watch(() => this.sync(false)));
  }

  /** Reset: IEVENT, IMASK and DMACTRL 0, not polling, no pending frame. */
  override reset(): void {
    this.bank.reset();
    this.polling = false;
    this.pendingFrames = 0;
    this.sync(true);
  }

  snapshot(): FslEtsecTimerSnapshot {
    return {
      ...this.snapshotHead(FSL_ETSEC_TIMER_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      polling: this.polling,
      pendingFrames: this.pendingFrames,
      txclkHz: this.txclk.hz,
    };
  }

  /**
   * Loads an {@link FslEtsecTimerSnapshot} taken at the clock's current time by a device of this
   * name; all or nothing (everything is checked before anything changes). The txclk input is the
   * system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the txclk rate, the timer's own rules (`timer.<field>`), or an invariant of the
   *   module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'FslEtsecTimer', version: FSL_ETSEC_TIMER_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), polling: snapshotBoolean(), pendingFrames: snapshotInteger(0, Number.MAX_SAFE_INTEGER), txclkHz: snapshotHz() }));
    expectSame('txclkHz', s.txclkHz, this.txclk.hz, "the txclk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer, s.polling);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.polling = s.polling;
    this.pendingFrames = s.pendingFrames;
    this.rate.adopt(this.txclk.hz);
    this.updateIrq();
  }

  /**
   * The TxBD ring's stand-in (T3): `count` frames become ready in the ring at this instant (the
   * driver filled descriptors and set their R bits); the next poll sends them.
   *
   * Ordering: synchronous; it changes no register until a poll.
   * @param count - frames, a positive whole number
   * @throws DeviceConfigError for another count
   */
  queueFrames(count: number): void {
    if (!Number.isSafeInteger(count) || count < 1) throw new DeviceConfigError(count, 'must be a positive whole number of frames', 'FslEtsecTimer.queueFrames(count)');
    this.pendingFrames += count;
  }

  // ---- public lines -------------------------------------------------------------

  /** The transmit interrupt: IEVENT & IMASK over TXF and TXB. */
  readonly tx: IrqLine;
  /** The receive interrupt: IEVENT & IMASK over RXF and RXB (never high: the receiver is not modelled). */
  readonly rx: IrqLine;
  /** The error/other interrupt: IEVENT & IMASK over every other event (GTSC here). */
  readonly err: IrqLine;
  /** The registers of {@link FSL_ETSEC_TIMER_REGISTERS}, in map order (the unmodelled ones are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The end of an interval (in the timer's callback context when delivery is sync): the poll (T3). */
  private onExpiry(): void {
    if (this.txRing === 'endless' || this.pendingFrames > 0) {
      this.pendingFrames = 0;
      this.bank.setFieldAt(FIELD.IEVENT_TXF, 1);
    }
    this.updateIrq();
  }

  /** DMACTRL write (T2, T4): GTS 0 → 1 completes a graceful stop; polling follows WOP and GTS. */
  private onDmaControl(value: number, old: number): void {
    const gts = (value & DMA.GTS.mask) !== 0;
    if (gts && (old & DMA.GTS.mask) === 0) this.bank.setFieldAt(FIELD.IEVENT_GTSC, 1);
    const poll = (value & DMA.WOP.mask) === 0 && !gts;
    const restart = poll && !this.polling;
    this.polling = poll;
    this.sync(restart);
  }

  /**
   * Brings the poll timer in line (T2, T7): while polling it runs periodic at txclk (stopped while
   * the clock is); not polling, it rests at a full interval. `restart` starts a fresh interval.
   */
  private sync(restart: boolean): void {
    this.timer.transaction((t) => {
      const running = this.rate.apply(t, this.txclk.hz); // first: a new period latches the running count (pitfall 3)
      if (restart || !this.polling) {
        t.stop();
        t.setLimit(this.pollCycles, true);
      }
      if (this.polling && running) t.run(false);
      else t.stop();
    });
    this.updateIrq();
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the timer accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView, polling: boolean): void {
    const ievent = r['IEVENT']!;
    if ((ievent & ~SET_BY_MODEL) !== 0) refuseSnapshot(registerPath('IEVENT'), ievent, 'must hold only TXF and GTSC: no other event is modelled');
    const dmactrl = r['DMACTRL']!;
    if (polling && (dmactrl & (DMA.WOP.mask | DMA.GTS.mask)) !== 0) {
      refuseSnapshot('polling', polling, `must be false while ${registerPath('DMACTRL', 'WOP')} or ${registerPath('DMACTRL', 'GTS')} is 1 (T2)`);
    }
    expectTimerLimit(timer, this.pollCycles, `(pollCycles: the interval reloads it)`);
    const hz = this.txclk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one transmit clock at ${hz} Hz`);
    expectTimerCountAtMost(timer, this.pollCycles, '(pollCycles: an interval counts down from it)');
    expectTimerMode(timer, polling && hz > 0 ? ['periodic'] : ['stopped'], `while polling is ${polling} and txclk runs at ${hz} Hz (T2, T7)`);
    if (!polling && timer.delta !== BigInt(this.pollCycles)) {
      refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${this.pollCycles} while not polling: the interval rests full (T2)`);
    }
  }

  /** The output lines by name: `tx`, `rx`, `err`. */
  protected createLines() {
    return { tx: this.tx, rx: this.rx, err: this.err };
  }

  /** `poll` (32 bits): the transmit clocks left in the interval (no register shows them), read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // No register shows the interval: the probe is the countdown itself, read without side effects.
    return [timerProbe(this.timer, { name: 'poll', width: 32 })];
  }

  /** The one place the outputs are computed (STYLE.md 18). */
  protected updateIrq(): void {
    const pending = this.bank.getAt(REGISTER.IEVENT) & this.bank.getAt(REGISTER.IMASK);
    this.tx.set((pending & FSL_ETSEC_TX_EVENTS) !== 0);
    this.rx.set((pending & FSL_ETSEC_RX_EVENTS) !== 0);
    this.err.set((pending & ~(FSL_ETSEC_TX_EVENTS | FSL_ETSEC_RX_EVENTS)) !== 0);
  }

  /** The transmit clock input. */
  readonly txclk: ClockInput;
  /** Transmit clocks per poll. */
  readonly pollCycles: number;
  /** The TxBD ring's stand-in. */
  readonly txRing: FslEtsecTxRing;
  /** The poll interval's countdown (exposed for tests and traces; no register shows it). */
  readonly timer: PTimer;
  private polling = false;
  private pendingFrames = 0;
  private readonly rate = new CounterRate();
}
