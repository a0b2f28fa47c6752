/**
 * Xilinx Zynq UltraScale+ CSU DMA, the timer part: the SRC channel's stream timeout, a
 * counter that times out when data has waited at the stream interface, unaccepted, for
 * TIMEOUT_VAL prescaled ticks, raising SRC_I_STS.TIMEOUT_STRM and the DMA's interrupt.
 *
 * Manual: Zynq UltraScale+ Device Register Reference, UG1087, module "CSUDMA" (CSUDMA_SRC_CTRL,
 * _CTRL2, _I_STS, _I_EN, _I_DIS, _I_MASK and their DST twins); Zynq UltraScale+ TRM, UG1085,
 * "CSU DMA". The same block is the GQSPI's DMA (DST side) and, on Versal, the PMC DMA; the
 * later register references (UG1679's DMA_SRC_CTRL1/CTRL2) describe the same fields. Field
 * facts the reference leaves open come from Xilinx's bare-metal driver (xcsudma: "0xFFF clears
 * both timers", "prescaler enables the timer every TIMEOUT_PRE + 1 cycles"). QEMU's
 * `xlnx.csu_dma` was a cross-check only; each departure is marked "QEMU:" below.
 *
 * ## Ports
 * - `clk`: the DMA's clock (the references: "clk, ~2.5 ns"), a {@link ClockInput}, default
 *   400 MHz. A timeout tick is TIMEOUT_PRE + 1 cycles of it. 0 Hz freezes a running count
 *   (the kit's CounterRate rule); a rate change re-times it from its reading.
 * - `irq`: the CSU DMA's interrupt output, an {@link IrqLine}, high while
 *   (SRC_I_STS & ~SRC_I_MASK) or (DST_I_STS & ~DST_I_MASK) is not 0.
 * - The stream's input ({@link XlnxCsuDma.setStreamStalled}): the data path is not modelled,
 *   so something must say when data waits at the SRC stream interface and the sink does not
 *   take it (C3). Tests and boards call `setStreamStalled(true/false)`; the `streamStalled`
 *   option sets it at creation (the catalogue's board: an SRC stream with no consumer).
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 10^9·(TIMEOUT_PRE + 1)/clk ns. At the
 * default 400 MHz (2.5 ns) a tick of an odd number of cycles is not whole ns: `timing: 'qemu'`
 * reproduces QEMU's 64.32 fixed point floored per countdown. QEMU: its ptimer runs at
 * 400 MHz / (TIMEOUT_PRE + 1) in integer Hz, so a prescaler that does not divide 400 MHz
 * gives QEMU a slightly longer tick than either timing here.
 *
 * ## Policy
 * {@link XLNX_CSU_DMA_POLICY}: the counter is a periodic ptimer counting the ticks left
 * (TIMEOUT_VAL down to 0, then again); it shows only through the `src.timeout` probe.
 *
 * ## Not modelled, and what the guest sees instead
 * - The data path: transfers, the FIFOs, the AXI and stream ports, CRC, DONE counts: the
 *   registers of {@link XLNX_CSU_DMA_UNMODELLED} (ADDR, SIZE, STS, ADDR_MSB, CRC, the
 *   safety/ECO words) are `unimplemented` events reading 0; the CTRL/CTRL2 fields that tune
 *   the data path (PAUSE_MEM, FIFO_THRESH, AXI_BRST_TYPE, ENDIANNESS, APB_ERR_RESP,
 *   MAX_OUTS_CMDS, the RAM margin fields, ROUTE_BIT, AXCACHE, SSS_FIFOTHRESH) are stored and
 *   each write of a non-zero value is reported. No interrupt bit but SRC TIMEOUT_STRM is ever
 *   set; INVALID_APB is not raised by a bad access (that access is a guest error instead).
 * - Timeout counter 2 (TIMEOUT_MEM, memory read latency): memory answers at once here, so it
 *   never times out. The DST channel's two timeout counters: DST_CTRL2.TIMEOUT_EN is stored
 *   and reported (C5).
 * Every other offset of the 4 KiB region is an `unmapped` guest error.
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/xlnx-csu-dma/, titles start with the tag.
 * C1 Length: a timeout comes TIMEOUT_VAL ticks of TIMEOUT_PRE + 1 clk cycles after the count
 *    starts (the references give no formula; QEMU's count); TIMEOUT_VAL 0 counts like 1;
 *    0xFFF holds the counters cleared (xcsudma). QEMU: TIMEOUT_VAL 0 times out at once.
 * C2 While the stall lasts, the counter starts again after each timeout and times out again
 *    every TIMEOUT_VAL ticks, whatever TIMEOUT_STRM holds (the counter runs while data waits
 *    at the stream interface [low]). QEMU: one timeout per stall.
 * C3 The stall: `setStreamStalled(true)` stands for "the SRC FIFO has data for the stream and
 *    the sink does not take it" (the UG1679 wording: the counter runs when data is provided to
 *    the stream interface and not accepted). The count starts from 0 when the stall begins and
 *    clears when it ends (data moved). With SRC_CTRL.PAUSE_STRM = 1 no data is offered, so
 *    the counter is held cleared.
 * C4 A write that changes TIMEOUT_VAL or TIMEOUT_PRE while the counter counts restarts it from
 *    0 at the new setting; TIMEOUT_EN = 0 clears it; a write that changes neither leaves it.
 * C5 Only the SRC stream timeout (counter 1) is modelled (QEMU: the same, and only in an SRC
 *    instance); DST_CTRL.TIMEOUT_VAL is stored, DST_CTRL2.TIMEOUT_EN reported.
 * C6 I_EN / I_DIS are write-only (a read is a `write-only` guest error; they store nothing):
 *    a 1 unmasks / masks the bit in I_MASK, which is read-only (a write is a `read-only`
 *    guest error). I_STS is write-1-to-clear.
 * C7 Access sizes: 32-bit only (an APB slave); others are `bad-size` guest errors. QEMU
 *    models one channel per device; here the block is the whole 4 KiB module, both channels.
 *
 * ## Snapshots
 * {@link XlnxCsuDmaSnapshot}, checked by one strict schema, the counter's own rules
 * (`timer.<field>`) and the invariants that hold by construction, each refused at the field
 * that breaks it: I_EN and I_DIS store nothing; no interrupt status bit but SRC TIMEOUT_STRM
 * is set; the counter counts (runs, or is frozen by a stopped clock with ticks left) only with
 * TIMEOUT_EN 1, TIMEOUT_VAL not 0xFFF, the stall on and PAUSE_STRM 0, periodic, reloading
 * max(TIMEOUT_VAL, 1), not above it, running exactly while clk runs, with the period of
 * TIMEOUT_PRE + 1 cycles.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: TIMEOUT_STRM and the line change in
 * the expiry step, G1); `bottom-half` exists only to show the race (the counter has started
 * over while TIMEOUT_STRM is still clear).
 *
 * ## Device kit
 * A PartialKitDevice (KitDevice: RegisterBank on XLNX_CSU_DMA_REGISTERS, EventOutlet,
 * UnmodelledRegisters for the rest), one deviceTimer, a CounterRate; `dispose()` ends the
 * clock watch and the timer.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  deviceTimer,
  expectResetValues,
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
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { XLNX_CSU_DMA_REGISTERS, XLNX_CSU_DMA_UNMODELLED } from './XLNX_CSU_DMA_REGISTERS';

/** The stream timeout counter's policy flags, one reason each (C1, C2). */
export const XLNX_CSU_DMA_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the probe shows the hardware-like ticks left: TIMEOUT_VAL through the whole first tick
  'TRIGGER_ONLY_ON_DECREMENT', // only counting the last tick down times out; a restart or a clear never does
] as const satisfies readonly PTimerPolicy[];

/** Current {@link XlnxCsuDmaSnapshot} format version. */
export const XLNX_CSU_DMA_SNAPSHOT_VERSION = 1;

/** The CSU DMA timeout part's whole state as plain, versioned data. */
export interface XlnxCsuDmaSnapshot extends DeviceSnapshot {
  readonly version: typeof XLNX_CSU_DMA_SNAPSHOT_VERSION;
  /** The register bank (I_EN and I_DIS store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** The SRC stream timeout counter: the ticks left until TIMEOUT_STRM. */
  readonly timer: PTimerSnapshot;
  /** The stream input: data waits at the SRC stream interface, unaccepted (C3). */
  readonly streamStalled: boolean;
  /** `clk` when the snapshot was taken; restore requires the input to be at it. */
  readonly clkHz: number;
}

/** Options of {@link XlnxCsuDma}. */
export interface XlnxCsuDmaOptions {
  /** The DMA's clock; rate changeable at run time, 0 Hz = frozen. Default: a new 400 MHz input (2.5 ns a cycle). */
  readonly clk?: ClockInput;
  /** The stream input at creation (C3; default false: the sink takes the data). */
  readonly streamStalled?: boolean;
  /** Instance name, the `source` of its events (default `'xlnx-csu-dma'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof XLNX_CSU_DMA_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  SRC_I_STS_TIMEOUT_STRM: fieldHandle(XLNX_CSU_DMA_REGISTERS, 'SRC_I_STS', 'TIMEOUT_STRM'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  DST_I_MASK: registerHandle(XLNX_CSU_DMA_REGISTERS, 'DST_I_MASK'),
  DST_I_STS: registerHandle(XLNX_CSU_DMA_REGISTERS, 'DST_I_STS'),
  SRC_CTRL: registerHandle(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL'),
  SRC_CTRL2: registerHandle(XLNX_CSU_DMA_REGISTERS, 'SRC_CTRL2'),
  SRC_I_MASK: registerHandle(XLNX_CSU_DMA_REGISTERS, 'SRC_I_MASK'),
  SRC_I_STS: registerHandle(XLNX_CSU_DMA_REGISTERS, 'SRC_I_STS'),
} as const;

const R = XLNX_CSU_DMA_REGISTERS.byName;
const CTRL = R.SRC_CTRL.fieldByName;
const CTRL2 = R.SRC_CTRL2.fieldByName;
const IRQ = R.SRC_I_STS.fieldByName;
const field = (value: number, f: { readonly mask: number; readonly lsb: number }): number => ((value & f.mask) >>> f.lsb) >>> 0;

/** TIMEOUT_VAL that holds the counters cleared (xcsudma: "0xFFF clears both timers"). */
const CLEARED = 0xfff;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(XLNX_CSU_DMA_REGISTERS);

/** Registers that store nothing: the enable/disable strobes. */
const STROBES = [R.SRC_I_EN, R.SRC_I_DIS, R.DST_I_EN, R.DST_I_DIS];

/**
 * The CSU DMA's SRC stream timeout (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (TIMEOUT_STRM and the line change in the
 * counter's expiry step); G2/G3 through the timer's transactions (no register write raises
 * TIMEOUT_STRM: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const dma = new XlnxCsuDma(clock, { streamStalled: true });   // 400 MHz; the sink takes nothing
 * dma.write(0x00c, 4, 100 << 10);                                // SRC_CTRL: TIMEOUT_VAL 100
 * dma.write(0x018, 4, 1 << 3);                                   // SRC_I_EN: TIMEOUT_STRM
 * dma.write(0x024, 4, (1 << 22) | (3 << 4));                     // SRC_CTRL2: TIMEOUT_EN, ticks of 4 cycles
 * clock.advanceTo(100 * 4 * 2.5);                                // 1 µs later
 * dma.irq.level;                                                 // true: TIMEOUT_STRM
 * ```
 */
export class XlnxCsuDma extends PartialKitDevice<Registers, {
  /** {@link XlnxCsuDma.irq}. */
  irq: IrqLine;
}> {
  /**
   * Creates the DMA with its registers at their reset values and the counter cleared.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock, the stream input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `clk` that is not a ClockInput, a `streamStalled` that is not a boolean, an unknown `delivery` or `timing`, an empty name, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: XlnxCsuDmaOptions = {}) {
    checkDeviceOptions('XlnxCsuDma', options, { clk: 'clock?', streamStalled: 'boolean?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'xlnx-csu-dma');
    this.clk = options.clk ?? new ClockInput(`${this.name}.clk`, 400_000_000);
    this.stalled = options.streamStalled ?? false;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.src.timeout`,
      policy: XLNX_CSU_DMA_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.attachBank(XLNX_CSU_DMA_REGISTERS, {
      SRC_CTRL: { write: (value, old) => this.syncTimeout(field(value, CTRL.TIMEOUT_VAL) !== field(old, CTRL.TIMEOUT_VAL)) },
      SRC_CTRL2: { write: (value, old) => this.syncTimeout(field(value, CTRL2.TIMEOUT_PRE) !== field(old, CTRL2.TIMEOUT_PRE)) },
      SRC_I_EN: { write: (value) => this.unmask('SRC_I_EN', 'SRC_I_MASK', value, true) },
      SRC_I_DIS: { write: (value) => this.unmask('SRC_I_DIS', 'SRC_I_MASK', value, false) },
      DST_I_EN: { write: (value) => this.unmask('DST_I_EN', 'DST_I_MASK', value, true) },
      DST_I_DIS: { write: (value) => this.unmask('DST_I_DIS', 'DST_I_MASK', value, false) },
    });
    this.attachUnmodelled({ registers: XLNX_CSU_DMA_UNMODELLED, what: 'data path' });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.reset();
    // reset() applied the current rate; each later change re-times a counting counter.
    this.lifetime.add(this.clk.watch(() => this.onClock()));
  }

  /** Reset: registers to their reset values (TIMEOUT_EN 0), the counter cleared. The stream input is the board's: it stays. */
  override reset(): void {
    this.bank.reset();
    this.syncTimeout(false);
    this.updateIrq();
  }

  snapshot(): XlnxCsuDmaSnapshot {
    return {
      ...this.snapshotHead(XLNX_CSU_DMA_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      streamStalled: this.stalled,
      clkHz: this.clk.hz,
    };
  }

  /**
   * Loads an {@link XlnxCsuDmaSnapshot} taken at the clock's current time by a DMA of this
   * name; all or nothing (everything is checked before anything changes). The clock input is
   * the system's: set it to the snapshot's rate first. The stream input is loaded.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the clock's rate, the counter's own rules (`timer.<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'XlnxCsuDma', version: XLNX_CSU_DMA_SNAPSHOT_VERSION }, () => ({
      timer: snapshotPart(),
      streamStalled: snapshotBoolean(),
      clkHz: snapshotHz(),
    }));
    expectSame('clkHz', s.clkHz, this.clk.hz, "the clk input's frequency now");
    const view = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, view, s.streamStalled);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.stalled = s.streamStalled;
    this.rate.adopt(this.clk.hz, field(this.bank.getAt(REGISTER.SRC_CTRL2), CTRL2.TIMEOUT_PRE) + 1);
    this.updateIrq();
  }

  /**
   * The stream input (C3): `true` when data waits at the SRC stream interface and the sink
   * does not take it (back-pressure), `false` when the sink takes it. The stall's start starts
   * the count from 0 (with TIMEOUT_EN 1, TIMEOUT_VAL not 0xFFF and PAUSE_STRM 0); its end
   * clears it. Setting the level it already has changes nothing.
   *
   * Ordering: synchronous; from inside an expiry step (a line listener) it joins the timer's
   * callback context (G3).
   * @param stalled - whether the stream is stalled now
   * @throws DeviceConfigError for a value that is not a boolean
   */
  setStreamStalled(stalled: boolean): void {
    if (typeof stalled !== 'boolean') throw new DeviceConfigError(stalled, 'must be a boolean', 'XlnxCsuDma.setStreamStalled(stalled)');
    if (stalled === this.stalled) return;
    this.stalled = stalled;
    this.syncTimeout(false);
    this.updateIrq();
  }

  /** The stream input now (see {@link XlnxCsuDma.setStreamStalled}). */
  get streamStalled(): boolean {
    return this.stalled;
  }

  // ---- public lines -------------------------------------------------------------

  /** The CSU DMA's interrupt output. */
  readonly irq: IrqLine;
  /** The registers of {@link XLNX_CSU_DMA_REGISTERS}, in map order (the unmodelled ones are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** A timeout (in the timer's callback context when delivery is sync): the periodic counter has started over (C2). */
  private onExpiry(): void {
    this.bank.setFieldAt(FIELD.SRC_I_STS_TIMEOUT_STRM, 1);
    this.updateIrq();
  }

  private onClock(): void {
    this.syncTimeout(false);
    this.updateIrq();
  }

  /** I_EN / I_DIS write: each 1 unmasks / masks its bit; the strobe register stores nothing (C6). */
  private unmask(strobe: 'SRC_I_EN' | 'SRC_I_DIS' | 'DST_I_EN' | 'DST_I_DIS', mask: 'SRC_I_MASK' | 'DST_I_MASK', value: number, enable: boolean): void {
    const bits = value & XLNX_CSU_DMA_REGISTERS.byName[mask].readMask;
    const now = this.bank.get(mask);
    this.bank.set(mask, (enable ? now & ~bits : now | bits) >>> 0);
    this.bank.set(strobe, 0);
  }

  /** Whether the counter counts: running, or frozen by a stopped clock with ticks left. */
  private counting(): boolean {
    return this.timer.mode !== 'stopped' || this.timer.getCountNumber() > 0;
  }

  /**
   * Brings the counter in line with its registers, the stream input and the clock, in one
   * transaction (joining the callback context when called from there): cleared unless
   * TIMEOUT_EN is 1, TIMEOUT_VAL is not 0xFFF, the stream is stalled and PAUSE_STRM is 0; a
   * counter that starts, or whose setting changed, counts from the start; a counting counter
   * runs while clk runs (C1-C4).
   * @param restart - TIMEOUT_VAL or TIMEOUT_PRE changed: count from the start
   */
  private syncTimeout(restart: boolean): void {
    const ctrl = this.bank.getAt(REGISTER.SRC_CTRL);
    const ctrl2 = this.bank.getAt(REGISTER.SRC_CTRL2);
    const value = field(ctrl, CTRL.TIMEOUT_VAL);
    const allowed = field(ctrl2, CTRL2.TIMEOUT_EN) === 1 && value !== CLEARED && this.stalled && field(ctrl, CTRL.PAUSE_STRM) === 0;
    const counting = this.counting(); // read before any change (reference §5.2 pitfall 2)
    const ticks = Math.max(value, 1);
    this.timer.transaction((t) => {
      const running = this.rate.apply(t, this.clk.hz, field(ctrl2, CTRL2.TIMEOUT_PRE) + 1); // first: a new period latches the count (pitfall 3)
      if (!allowed) {
        t.stop();
        t.setCount(0);
        return;
      }
      if (restart || !counting || t.getLimit() !== BigInt(ticks)) t.setLimit(ticks, true);
      if (running) t.run(false);
      else t.stop();
    });
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView, stalled: boolean): void {
    expectResetValues(r, STROBES);
    const srcStatus = r['SRC_I_STS']!;
    if ((srcStatus & ~IRQ.TIMEOUT_STRM.mask) !== 0) {
      refuseSnapshot(registerPath('SRC_I_STS'), srcStatus, `must have no bit but ${registerPath('SRC_I_STS', 'TIMEOUT_STRM')} set: no other event is modelled (C5)`);
    }
    if (r['DST_I_STS'] !== 0) refuseSnapshot(registerPath('DST_I_STS'), r['DST_I_STS'], 'must be 0: no DST event is modelled (C5)');
    const ctrl = r['SRC_CTRL']!;
    const ctrl2 = r['SRC_CTRL2']!;
    const hz = this.clk.hz;
    const pre = field(ctrl2, CTRL2.TIMEOUT_PRE);
    if (hz > 0) expectTimerPeriod(timer, hz, pre + 1, `of one tick, ${registerPath('SRC_CTRL2', 'TIMEOUT_PRE')} + 1 = ${pre + 1} cycles at ${hz} Hz`);
    expectTimerMode(timer, ['stopped', 'periodic'], '(the counter starts over after each timeout, C2)');
    if (timer.mode === 'stopped' && timer.delta === 0n) return;
    const en = field(ctrl2, CTRL2.TIMEOUT_EN);
    const value = field(ctrl, CTRL.TIMEOUT_VAL);
    const pause = field(ctrl, CTRL.PAUSE_STRM);
    if (en !== 1 || value === CLEARED || !stalled || pause !== 0) {
      refuseSnapshot(
        `${timer.where}.${timer.mode === 'stopped' ? 'delta' : 'mode'}`,
        timer.mode === 'stopped' ? timer.delta.toString() : timer.mode,
        `must show a stopped, cleared counter while ${registerPath('SRC_CTRL2', 'TIMEOUT_EN')} is ${en}, ${registerPath('SRC_CTRL', 'TIMEOUT_VAL')} is ${value}, streamStalled is ${stalled} and ${registerPath('SRC_CTRL', 'PAUSE_STRM')} is ${pause} (it counts only with TIMEOUT_EN 1, TIMEOUT_VAL not 0xFFF, the stall on and PAUSE_STRM 0: C1, C3)`,
      );
    }
    const ticks = Math.max(value, 1);
    expectTimerLimit(timer, ticks, `(${registerPath('SRC_CTRL', 'TIMEOUT_VAL')}, 0 counting as 1: C1)`);
    expectTimerCountAtMost(timer, ticks, `(${registerPath('SRC_CTRL', 'TIMEOUT_VAL')}: at most that many ticks are left)`);
    if (hz > 0) expectTimerMode(timer, ['periodic'], `while counting with clk at ${hz} Hz (a counting counter runs while its clock runs)`);
    else expectTimerMode(timer, ['stopped'], 'while clk is stopped (0 Hz freezes the count)');
  }

  /** The output line by name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `src.timeout` (12 bits): the SRC stream timeout's ticks left, which no register shows. */
  protected createProbes(): readonly DeviceProbe[] {
    return [timerProbe(this.timer, { name: 'src.timeout', width: 12 })];
  }

  /** The one place the output is computed (STYLE.md 18, C6). */
  protected updateIrq(): void {
    const src = this.bank.getAt(REGISTER.SRC_I_STS) & ~this.bank.getAt(REGISTER.SRC_I_MASK);
    const dst = this.bank.getAt(REGISTER.DST_I_STS) & ~this.bank.getAt(REGISTER.DST_I_MASK);
    this.irq.set(((src | dst) & 0xff) !== 0);
  }

  /** The DMA's clock input. */
  readonly clk: ClockInput;
  /** The SRC stream timeout counter (exposed for tests and traces; no register shows it). */
  readonly timer: PTimer;
  private stalled: boolean;
  private readonly rate = new CounterRate();
}
