/**
 * Xilinx LogiCORE IP AXI DMA, the timer part: each channel's interrupt coalescing, i.e. the
 * interrupt delay timer (IRQDelay, Dly_Irq), the IOC threshold count (IRQThreshold, IOC_Irq)
 * and the interrupt output they drive. The MM2S channel's registers sit at 0x00, the S2MM
 * channel's at 0x30; each channel has its own delay timer, count and output.
 *
 * Manual: Xilinx "AXI DMA v7.1 LogiCORE IP Product Guide", PG021 (register space, "MM2S_DMACR",
 * "MM2S_DMASR" and their S2MM twins, "Scatter/Gather Mode Register Address Map"), with the
 * sister core's guide PG034 (AXI CDMA, "SG Delay Interrupt", "SG Interrupt Threshold and
 * Interrupt Coalescing"), whose coalescing logic and register fields are the same. Where the
 * guides are silent, the facts come from the vendor's own HDL of the core's register and
 * interrupt modules (read for behaviour only) and from its drivers (Linux xilinx_dma.c and
 * xilinx_axienet, Xilinx's xaxidma). QEMU's `xlnx.axi-dma` was a cross-check only; each
 * departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `sgclk` (m_axi_sg_aclk): a {@link ClockInput}, default 100 MHz (QEMU's petalogix-ml605).
 *   The delay timer counts units of C_DLYTMR_RESOLUTION SG clocks (`delayTimerResolution`,
 *   1-100000, the core's default 125). 0 Hz freezes a running delay count (the kit's
 *   CounterRate rule); a rate change re-times it from its reading with a fresh unit.
 * - `mm2s_introut`, `s2mm_introut`: one {@link IrqLine} per channel, high while
 *   (DMASR & DMACR) has IOC, Dly or Err set in bits 14:12.
 * - The data path's input ({@link XilinxAxiDma.completePacket}): the data path is not
 *   modelled, so something must say when a packet has ended (an IOC event, which the
 *   coalescing counts and which restarts the delay timer). Tests and boards call
 *   `completePacket(channel)`; with `dataPath: 'instant'` a TAILDESC write on a running channel
 *   also ends one packet at once (A9): the catalogue's board, whose recipes are register
 *   accesses only.
 *
 * ## Timing
 * Exact by default (`timing` option): a delay unit is exactly 10^9·R/sgclk ns. At the
 * defaults (100 MHz, R = 125: 1250 ns) both timings agree; an SG clock that is not a whole
 * number of ns per cycle (24 MHz, 33.333 MHz) is where `timing: 'qemu'` (QEMU's 64.32 fixed
 * point, floored per countdown) differs by up to a ns per countdown.
 *
 * ## Policy
 * {@link XILINX_AXI_DMA_POLICY}: the delay timer is a one-shot ptimer counting the units left
 * (IRQDelay down to 0); IRQDelaySts shows IRQDelay minus that count.
 *
 * ## Not modelled, and what the guest sees instead
 * - The descriptor engine and the data path (descriptor fetch and update, transfers, the
 *   AXI4-Stream ports, keyhole and cyclic BD modes, direct register mode, multichannel mode):
 *   the registers of {@link XILINX_AXI_DMA_UNMODELLED} (CURDESC, the _MSB words, SA/DA,
 *   LENGTH, SG_CTL) are `unimplemented` events reading 0; DMACR.Keyhole and
 *   DMACR.CyclicBDEnable are stored and each write of a 1 is reported; with `dataPath: 'none'`
 *   a TAILDESC write on a running channel is reported (descriptor processing). The DMA and SG
 *   error bits, Err_Irq and the Idle-before-any-tail state never change on their own; RS is
 *   never cleared by an error.
 * - Halting and soft reset take no time: Halted follows RS at once and DMACR.Reset resets the
 *   whole core within the write (it reads back 0).
 * - The one or two SG clocks the HDL spends between a packet's end and the count's start.
 * Every other offset of the 1 KiB register space is an `unmapped` guest error.
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/xilinx-axi-dma/, titles start with the tag.
 * A1 Delay unit and length: a timeout comes IRQDelay × R SG clocks after the packet's end,
 *    the guides' "timeout interval = 125 × IRQDelay × SG clock period" for the default R
 *    (Linux's XILINX_DMA_DELAY_SCALE agrees). (The HDL's compare fires on the increment after
 *    the count reaches IRQDelay, one unit later: the guides are followed.) QEMU: one unit per
 *    clock of its `freqhz`, 125 times too early at the default resolution.
 * A2 The delay timer is one-shot per packet: a packet's end starts it from 0 when IRQDelay ≠ 0
 *    and RS = 1; a later packet's end restarts it from 0; it stops and clears at the timeout
 *    (Dly_Irq rises), when RS is cleared, or when IRQDelay is written 0. IRQDelaySts counts up,
 *    0 … IRQDelay − 1, and reads 0 when stopped. QEMU: IRQDelaySts shows the ptimer's down-count.
 * A3 A pending Dly_Irq holds the delay timer off: a packet's end while Dly_Irq is set does not
 *    start it, and clearing Dly_Irq does not start it either (the next packet does) (HDL: the
 *    delay counter is disabled while RS is 0 or Dly_Irq is set). QEMU: every completion
 *    restarts it, pending or not.
 * A4 The coalescing count: each packet's end (IOC event) counts it down; at 1 it sets IOC_Irq
 *    and reloads IRQThreshold. It also reloads at every delay timeout and when a DMACR write
 *    changes IRQThreshold (a write of the same value leaves it: HDL). A write of 0 stores 1
 *    (PG021: 1 is the minimum; HDL). DMASR[23:16] shows the count. QEMU: every DMACR write
 *    reloads it; a threshold of 0 is stored.
 * A5 DMASR writes: IOC_Irq, Dly_Irq and Err_Irq clear where written 1 (R/WC); every other bit
 *    is status and ignores writes. QEMU: a write replaces the whole register (clearing what
 *    is written 0, overwriting Halted and Idle): right only for Linux's write-back of what it
 *    read.
 * A6 IRQDelay rewritten while the timer runs: a different value restarts the count from 0
 *    against the new value; the same value changes nothing (HDL: the delay write strobe fires
 *    only for a different value).
 * A7 Run/stop: Halted = !RS at once; RS 0 → 1 and 1 → 0 clear Idle; Idle rises when a tail
 *    pointer write has been processed (A9). DMACR.Reset = 1 on either channel resets both
 *    (PG021: the reset is of the whole core). QEMU: DMACR resets to 0x0001_0000 (bit 1 is
 *    set only by a write) and Reset clears at the next read of DMACR.
 * A8 Access sizes: writes are 32-bit (the AXI4-Lite slave does not honour byte strobes [low]);
 *    DMACR and DMASR also take 8- and 16-bit reads (so a driver may read IRQDelaySts alone);
 *    other sizes are `bad-size` guest errors, unmapped offsets `unmapped` guest errors.
 * A9 The data path's stand-in: `completePacket(channel)` is one whole packet (start and end
 *    of frame) completing at that instant, ignored on a halted channel. `dataPath: 'instant'`
 *    makes a TAILDESC write on a running channel such a packet and sets Idle (the engine
 *    reached the tail at once); on a halted channel it is stored only (PG021: no effect).
 * A10 The interrupt output is the OR of (DMASR & DMACR) over bits 14:12, per channel, computed
 *    at every change (HDL registers it one clock later: not modelled).
 *
 * ## Snapshots
 * {@link XilinxAxiDmaSnapshot}, checked by one strict schema, each delay timer's own rules
 * (`timers[i].<field>`) and the invariants that hold by construction, each refused at the
 * field that breaks it: DMACR.Reset 0 and TAILPEN 1; IRQThreshold at least 1; DMASR storing
 * nothing in 31:16, Halted = !RS, Idle only while running, SGIncld 1, the error bits and
 * Err_Irq 0; `thresholds[i]` within 1 … IRQThreshold; a delay timer counting (running, or
 * frozen by a stopped clock with a count left) only with RS 1, IRQDelay ≠ 0 and Dly_Irq 0,
 * one-shot, reloading IRQDelay, not above it, running exactly while the SG clock runs, and
 * with the period of R SG clocks.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: Dly_Irq, the coalescing reload and
 * the output change in the expiry step itself, G1); `bottom-half` exists only to show the
 * race (a read in the gap sees IRQDelaySts at IRQDelay with Dly_Irq clear).
 *
 * ## Device kit
 * A PartialKitDevice (KitDevice: RegisterBank on XILINX_AXI_DMA_REGISTERS, EventOutlet,
 * UnmodelledRegisters for the rest of the core), two deviceTimers, a CounterRate per channel;
 * `dispose()` ends the clock watch and the timers.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  channelTimer,
  deviceHooks,
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
  snapshotInteger,
  snapshotPart,
  snapshotTuple,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
  isAccessValue,
} from '../../src/bus';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { XILINX_AXI_DMA_REGISTERS, XILINX_AXI_DMA_UNMODELLED } from './XILINX_AXI_DMA_REGISTERS';

/** The delay timers' policy flags, one reason each (A2). */
export const XILINX_AXI_DMA_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // IRQDelaySts (IRQDelay minus the units left) reads 0 through the whole first unit, IRQDelay - 1 through the last
  'TRIGGER_ONLY_ON_DECREMENT', // only counting the last unit down sets Dly_Irq; clearing the count (RS 0, IRQDelay 0) never does
] as const satisfies readonly PTimerPolicy[];

/** Current {@link XilinxAxiDmaSnapshot} format version. */
export const XILINX_AXI_DMA_SNAPSHOT_VERSION = 1;

/** An AXI DMA channel: memory to stream (`mm2s`) or stream to memory (`s2mm`). */
export type XilinxAxiDmaChannel = 'mm2s' | 's2mm';

/** What stands for the data path (see ambiguity A9 in the module header). */
export type XilinxAxiDmaDataPath = 'none' | 'instant';

/** The AXI DMA timer part's whole state as plain, versioned data. */
export interface XilinxAxiDmaSnapshot extends DeviceSnapshot {
  readonly version: typeof XILINX_AXI_DMA_SNAPSHOT_VERSION;
  /** The register bank (DMASR stores bits 15:0; 31:16 come from `thresholds` and `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The delay timers, MM2S first: each counts the units left until Dly_Irq. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot];
  /** The coalescing counts (IRQThresholdSts), MM2S first, each 1 … 255. */
  readonly thresholds: readonly [number, number];
  /** `sgclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly sgclkHz: number;
}

/** Options of {@link XilinxAxiDma}. */
export interface XilinxAxiDmaOptions {
  /** m_axi_sg_aclk, the delay timers' clock; rate changeable at run time, 0 Hz = frozen. Default: a new 100 MHz input. */
  readonly sgclk?: ClockInput;
  /** C_DLYTMR_RESOLUTION: SG clocks per delay unit, 1 to 100 000 (default 125, the core's default). */
  readonly delayTimerResolution?: number;
  /**
   * What stands for the data path (A9): `'none'` (default): packets end only through
   * {@link XilinxAxiDma.completePacket}; `'instant'`: also a TAILDESC write on a running
   * channel ends one packet at once.
   */
  readonly dataPath?: XilinxAxiDmaDataPath;
  /** Instance name, the `source` of its events (default `'xilinx-axi-dma'`). */
  readonly name?: string;
  /** Delivery of the delay timers' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the delay timers keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof XILINX_AXI_DMA_REGISTERS>;
type Index = 0 | 1;

const INDICES: readonly Index[] = [0, 1];
const CHANNELS: readonly [XilinxAxiDmaChannel, XilinxAxiDmaChannel] = ['mm2s', 's2mm'];

/** Each channel's registers by role, MM2S first. */
const REG = [
  { DMACR: 'MM2S_DMACR', DMASR: 'MM2S_DMASR', TAILDESC: 'MM2S_TAILDESC' },
  { DMACR: 'S2MM_DMACR', DMASR: 'S2MM_DMASR', TAILDESC: 'S2MM_TAILDESC' },
] as const;

/** Each channel's fields and registers its paths read and store, looked up once (MM2S first). */
const channelHandles = (i: Index) => ({
  DMACR_IRQDelay: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMACR, 'IRQDelay'),
  DMACR_IRQThreshold: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMACR, 'IRQThreshold'),
  DMACR_RS: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMACR, 'RS'),
  DMASR_Dly_Irq: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMASR, 'Dly_Irq'),
  DMASR_Halted: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMASR, 'Halted'),
  DMASR_IOC_Irq: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMASR, 'IOC_Irq'),
  DMASR_Idle: fieldHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMASR, 'Idle'),
  DMACR: registerHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMACR),
  DMASR: registerHandle(XILINX_AXI_DMA_REGISTERS, REG[i].DMASR),
});
const HANDLES = [channelHandles(0), channelHandles(1)] as const;

const R = XILINX_AXI_DMA_REGISTERS.byName;
const CR = R.MM2S_DMACR.fieldByName;
const SR = R.MM2S_DMASR.fieldByName;
const field = (value: number, f: { readonly mask: number; readonly lsb: number }): number => ((value & f.mask) >>> f.lsb) >>> 0;

/** DMACR/DMASR bits 14:12: IOC, Dly and Err, enable and status at the same positions. */
const IRQ_BITS = SR.IOC_Irq.mask | SR.Dly_Irq.mask | SR.Err_Irq.mask;
/** The DMASR bits the register stores (31:16 are read from the coalescing state). */
const DMASR_STORED = 0xffff;
/** DMASR bits the model never sets: the DMA and SG errors and Err_Irq. */
const NEVER_SET = SR.DMAIntErr.mask | SR.DMASlvErr.mask | SR.DMADecErr.mask | SR.SGIntErr.mask | SR.SGSlvErr.mask | SR.SGDecErr.mask | SR.Err_Irq.mask;
/** The offsets of DMACR and DMASR: 32-bit writes only (A8). */
const CONTROL_WORDS = new Set([R.MM2S_DMACR.offset, R.MM2S_DMASR.offset, R.S2MM_DMACR.offset, R.S2MM_DMASR.offset]);

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(XILINX_AXI_DMA_REGISTERS);

const checkChannel = (channel: unknown, what: string): Index => {
  const i = CHANNELS.indexOf(channel as XilinxAxiDmaChannel);
  if (i < 0) throw new DeviceConfigError(channel, "must be 'mm2s' or 's2mm'", what);
  return i as Index;
};

/**
 * The AXI DMA's interrupt coalescing timers (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (Dly_Irq, the coalescing reload and the line
 * change in the delay timer's expiry step); G2/G3 through the timers' transactions (no
 * register write sets Dly_Irq: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const dma = new XilinxAxiDma(clock);                                  // 100 MHz, 125 clocks a unit
 * dma.write(0x30, 4, (8 << 24) | (1 << 16) | (1 << 13) | 1);             // S2MM_DMACR: IRQDelay 8, Dly_IrqEn, RS
 * dma.completePacket('s2mm');                                           // a packet ends: the delay timer starts
 * clock.advanceTo(8 * 1_250);                                           // 8 units of 1.25 µs later
 * dma.lines.s2mm_introut.level;                                         // true: Dly_Irq
 * ```
 */
export class XilinxAxiDma extends PartialKitDevice<Registers, {
  /** {@link XilinxAxiDma.mm2sIntrout}. */
  mm2s_introut: IrqLine;
  /** {@link XilinxAxiDma.s2mmIntrout}. */
  s2mm_introut: IrqLine;
}> {
  /**
   * Creates the core with its registers at their reset values and both delay timers stopped.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - SG clock, delay timer resolution, data path stand-in, name, trigger delivery, timing
   * @throws DeviceConfigError for an `sgclk` that is not a ClockInput, a resolution outside 1-100000, an unknown `dataPath`, `delivery` or `timing`, an empty name, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: XilinxAxiDmaOptions = {}) {
    checkDeviceOptions('XilinxAxiDma', options, {
      sgclk: 'clock?',
      delayTimerResolution: { integer: [1, 100_000], optional: true },
      dataPath: { oneOf: ['none', 'instant'], optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'xilinx-axi-dma');
    this.sgclk = options.sgclk ?? new ClockInput(`${this.name}.sgclk`, 100_000_000);
    this.resolution = options.delayTimerResolution ?? 125;
    this.dataPath = options.dataPath ?? 'none';
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timers = INDICES.map((i) =>
      channelTimer(scheduler, {
        device: this.name,
        name: `${this.name}.${CHANNELS[i]}.delay`,
        policy: XILINX_AXI_DMA_POLICY,
        delivery: options.delivery,
        timing: options.timing,
        owner: this,
        channel: i,
        onExpiry: XilinxAxiDma.expired,
        events: this.outlet,
        lifetime: this.lifetime,
      }),
    ) as unknown as readonly [PTimer, PTimer];
    this.attachBank(XILINX_AXI_DMA_REGISTERS, XilinxAxiDma.HOOKS);
    this.attachUnmodelled({ registers: XILINX_AXI_DMA_UNMODELLED, what: 'descriptor engine and data path' });
    this.mm2sIntrout = new IrqLine(`${this.name}.mm2s_introut`);
    this.s2mmIntrout = new IrqLine(`${this.name}.s2mm_introut`);
    this.reset();
    // reset() applied the current rate; each later change re-times a counting delay timer.
    this.lifetime.add(this.sgclk.watch(() => this.onClock()));
  }

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const hooks = (i: Index) => ({
      [REG[i].DMACR]: { write: (d: XilinxAxiDma, value: number, old: number) => d.onControl(i, value, old) },
      [REG[i].DMASR]: { read: (d: XilinxAxiDma) => d.status(i), write: (d: XilinxAxiDma, value: number) => d.bank.set(REG[i].DMASR, value & DMASR_STORED) },
      [REG[i].TAILDESC]: { write: (d: XilinxAxiDma) => d.onTail(i) },
    });
    return deviceHooks<XilinxAxiDma>().of(XILINX_AXI_DMA_REGISTERS, { ...hooks(0), ...hooks(1) });
  })();

  /**
   * A store to a modelled register: as on any kit device, except that a write narrower than 32
   * bits to DMACR or DMASR is a `bad-size` guest error that changes nothing (A8).
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  protected override writeModelled(offset: number, size: AccessSize, value: number): void {
    if (this.isNarrowControlWrite(offset, size, value)) {
      const detail = `${this.registerAt(offset)} takes 32-bit writes only (A8), not ${size}`;
      this.outlet.record({ kind: 'guest-error', time: this.scheduler.now(), source: this.name, offset, size, reason: 'bad-size', detail });
      return;
    }
    super.writeModelled(offset, size, value);
  }

  /** Reset (and DMACR.Reset): registers to their reset values, both coalescing counts 1, both delay timers stopped and cleared. */
  override reset(): void {
    this.bank.reset();
    this.thresholds[0] = 1;
    this.thresholds[1] = 1;
    for (const i of INDICES) this.syncDelay(i);
    this.updateIrq();
  }

  snapshot(): XilinxAxiDmaSnapshot {
    return {
      ...this.snapshotHead(XILINX_AXI_DMA_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot()],
      thresholds: [this.thresholds[0], this.thresholds[1]],
      sgclkHz: this.sgclk.hz,
    };
  }

  /**
   * Loads an {@link XilinxAxiDmaSnapshot} taken at the clock's current time by a core of this
   * name; all or nothing (everything is checked before anything changes). The SG clock input
   * is the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the SG clock's rate, a delay timer's own rules (`timers[i].<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'XilinxAxiDma', version: XILINX_AXI_DMA_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart()], 'MM2S, S2MM'),
      thresholds: snapshotTuple([snapshotInteger(1, 255), snapshotInteger(1, 255)], 'MM2S, S2MM'),
      sgclkHz: snapshotHz(),
    }));
    expectSame('sgclkHz', s.sgclkHz, this.sgclk.hz, "the sgclk input's frequency now");
    const views = INDICES.map((i) => this.checkTimer(this.timers[i], s.timers[i], `timers[${i}]`));
    for (const i of INDICES) this.checkChannel(s.registers.registers, i, views[i]!, s.thresholds[i]);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
    ]);
    this.thresholds[0] = s.thresholds[0];
    this.thresholds[1] = s.thresholds[1];
    for (const i of INDICES) this.rates[i].adopt(this.sgclk.hz, this.resolution);
    this.updateIrq();
  }

  /**
   * The data path's input (A9): one whole packet completed on `channel` at this instant, an
   * IOC event. The coalescing count goes down (IOC_Irq and a reload at 1) and the delay timer
   * restarts from 0 (unless IRQDelay is 0 or Dly_Irq is pending, A3). Ignored on a halted
   * channel (RS 0): no packet moves there.
   *
   * Ordering: synchronous; from inside an expiry step (a line listener) it joins the timer's
   * callback context (G3).
   * @param channel - `'mm2s'` or `'s2mm'`
   * @returns whether the packet was taken (the channel runs)
   * @throws DeviceConfigError for another channel name
   */
  completePacket(channel: XilinxAxiDmaChannel): boolean {
    const i = checkChannel(channel, 'XilinxAxiDma.completePacket(channel)');
    if (this.bank.fieldAt(HANDLES[i].DMACR_RS) === 0) return false;
    if (this.thresholds[i] <= 1) {
      this.bank.setFieldAt(HANDLES[i].DMASR_IOC_Irq, 1);
      this.thresholds[i] = this.bank.fieldAt(HANDLES[i].DMACR_IRQThreshold);
    } else {
      this.thresholds[i]--;
    }
    this.syncDelay(i, true);
    this.updateIrq();
    return true;
  }

  // ---- public lines -------------------------------------------------------------

  /** The MM2S channel's interrupt output (mm2s_introut). */
  readonly mm2sIntrout: IrqLine;
  /** The S2MM channel's interrupt output (s2mm_introut). */
  readonly s2mmIntrout: IrqLine;
  /** The registers of {@link XILINX_AXI_DMA_REGISTERS}, in map order (the unmodelled ones are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: XilinxAxiDma, i: number): void => d.onExpiry(i as Index);

  /** The delay timeout (in the timer's callback context when delivery is sync): A2, A4. */
  private onExpiry(i: Index): void {
    this.bank.setFieldAt(HANDLES[i].DMASR_Dly_Irq, 1);
    this.thresholds[i] = this.bank.fieldAt(HANDLES[i].DMACR_IRQThreshold);
    // The one-shot stopped at 0; under a bottom half a packet may have restarted it since: Dly_Irq now holds it off (A3).
    this.syncDelay(i);
    this.updateIrq();
  }

  /** DMACR write: soft reset, the threshold rules (A4), run/stop (A7), then the delay timer (A2, A6). */
  private onControl(i: Index, value: number, old: number): void {
    if (field(value, CR.Reset) === 1) {
      this.reset();
      return;
    }
    const threshold = field(value, CR.IRQThreshold);
    if (threshold === 0) this.bank.setFieldAt(HANDLES[i].DMACR_IRQThreshold, 1);
    if (threshold !== field(old, CR.IRQThreshold)) this.thresholds[i] = this.bank.fieldAt(HANDLES[i].DMACR_IRQThreshold);
    const run = field(value, CR.RS);
    if (run !== field(old, CR.RS)) {
      this.bank.setFieldAt(HANDLES[i].DMASR_Halted, run === 1 ? 0 : 1);
      this.bank.setFieldAt(HANDLES[i].DMASR_Idle, 0);
    }
    this.syncDelay(i);
  }

  /** TAILDESC write: with the instant data path, one packet on a running channel (A9). */
  private onTail(i: Index): void {
    if (this.bank.fieldAt(HANDLES[i].DMACR_RS) === 0) return; // PG021: no effect while halted
    if (this.dataPath === 'none') {
      const offset = XILINX_AXI_DMA_REGISTERS.byName[REG[i].TAILDESC].offset;
      const feature = `${REG[i].TAILDESC} (descriptor processing: with dataPath 'none' packets end through completePacket())`;
      this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature });
      return;
    }
    this.completePacket(CHANNELS[i]);
    this.bank.setFieldAt(HANDLES[i].DMASR_Idle, 1);
  }

  private onClock(): void {
    for (const i of INDICES) this.syncDelay(i);
    this.updateIrq();
  }

  /** Whether channel `i`'s delay timer counts: running, or frozen by a stopped clock with units left. */
  private delayEnabled(i: Index): boolean {
    const t = this.timers[i];
    return t.mode !== 'stopped' || t.getCountNumber() > 0;
  }

  /** IRQDelaySts: units elapsed since the packet's end, 0 when the timer is off (A2). */
  private delayCount(i: Index): number {
    if (!this.delayEnabled(i)) return 0;
    const t = this.timers[i];
    // Numbers: the limit is IRQDelay (8 bits), and DMASR is read at every poll (no BigInt per read, #19).
    return Number(t.getLimit()) - t.getCountNumber();
  }

  /** DMASR as read: the stored bits 15:0, the coalescing count (23:16) and IRQDelaySts (31:24). */
  private status(i: Index): number {
    return (this.bank.getAt(HANDLES[i].DMASR) | (this.thresholds[i] << 16) | (this.delayCount(i) << 24)) >>> 0;
  }

  /**
   * Brings channel `i`'s delay timer in line with its registers and clock, in one transaction
   * (joining the callback context when called from there): off (stopped, cleared) unless
   * IRQDelay ≠ 0, RS = 1 and Dly_Irq = 0; a restart (a packet's end) or a new IRQDelay counts
   * from 0 again; a counting timer runs while the SG clock runs (A2, A3, A6).
   * @param restart - a packet ended: count from 0
   */
  private syncDelay(i: Index, restart = false): void {
    const delay = this.bank.fieldAt(HANDLES[i].DMACR_IRQDelay);
    const allowed = delay !== 0 && this.bank.fieldAt(HANDLES[i].DMACR_RS) === 1 && this.bank.fieldAt(HANDLES[i].DMASR_Dly_Irq) === 0;
    const counting = this.delayEnabled(i); // read before any change (reference §5.2 pitfall 2)
    this.timers[i].transaction((t) => {
      const running = this.rates[i].apply(t, this.sgclk.hz, this.resolution); // first: a new period latches the running count (pitfall 3)
      if (!allowed || (!counting && !restart)) {
        t.stop();
        t.setCount(0);
        return;
      }
      if (restart || t.getLimit() !== BigInt(delay)) t.setLimit(delay, true);
      if (running) t.run(true);
      else t.stop();
    });
  }

  /** A write narrower than 32 bits to DMACR or DMASR that the bank would otherwise take (A8). */
  private isNarrowControlWrite(offset: number, size: AccessSize, value: number): boolean {
    if (size !== 1 && size !== 2) return false;
    if (!Number.isSafeInteger(offset) || offset < 0 || !CONTROL_WORDS.has(offset - (offset % 4))) return false;
    return isAccessValue(value, size);
  }

  private registerAt(offset: number): string {
    const word = offset - (offset % 4);
    return XILINX_AXI_DMA_REGISTERS.registers.find((r) => r.offset === word)!.name;
  }

  /** Channel `i`'s invariants (module header, "Snapshots"), on a snapshot the schema and the timer accepted. */
  private checkChannel(r: Readonly<Record<string, number>>, i: Index, timer: TimerPartView, threshold: number): void {
    const { DMACR, DMASR } = REG[i];
    const cr = r[DMACR]!;
    const sr = r[DMASR]!;
    const at = (reg: string, f: string): string => registerPath(reg, f);
    if (field(cr, CR.Reset) !== 0) refuseSnapshot(registerPath(DMACR), cr, `must have ${at(DMACR, 'Reset')} 0: the soft reset completes within the write`);
    if (field(cr, CR.TAILPEN) !== 1) refuseSnapshot(registerPath(DMACR), cr, `must have ${at(DMACR, 'TAILPEN')} 1: the bit is fixed`);
    if (field(cr, CR.IRQThreshold) === 0) refuseSnapshot(registerPath(DMACR), cr, `must have ${at(DMACR, 'IRQThreshold')} at least 1: a write of 0 stores 1 (A4)`);
    if ((sr & ~DMASR_STORED) !== 0) refuseSnapshot(registerPath(DMASR), sr, 'must store nothing in bits 31:16: they are read from the coalescing count and the delay timer');
    const rs = field(cr, CR.RS);
    if (field(sr, SR.Halted) === rs) refuseSnapshot(registerPath(DMASR), sr, `must have ${at(DMASR, 'Halted')} ${1 - rs} while ${at(DMACR, 'RS')} is ${rs}: halting takes no time (A7)`);
    if (rs === 0 && field(sr, SR.Idle) === 1) refuseSnapshot(registerPath(DMASR), sr, `must have ${at(DMASR, 'Idle')} 0 while ${at(DMACR, 'RS')} is 0 (A7)`);
    if (field(sr, SR.SGIncld) !== 1) refuseSnapshot(registerPath(DMASR), sr, `must have ${at(DMASR, 'SGIncld')} 1: the core runs in scatter/gather mode`);
    if ((sr & NEVER_SET) !== 0) refuseSnapshot(registerPath(DMASR), sr, 'must have the DMA and SG error bits and Err_Irq 0: errors are not modelled');
    const most = field(cr, CR.IRQThreshold);
    if (threshold > most) refuseSnapshot(`thresholds[${i}]`, threshold, `must not exceed ${at(DMACR, 'IRQThreshold')} (${most}): the count reloads from it and only counts down (A4)`);

    const hz = this.sgclk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, this.resolution, `of one delay unit, ${this.resolution} SG clocks at ${hz} Hz`);
    expectTimerMode(timer, ['stopped', 'oneshot'], '(the delay timer is one-shot, A2)');
    const counting = timer.mode !== 'stopped' || timer.delta > 0n;
    if (!counting) return;
    const delay = field(cr, CR.IRQDelay);
    const dly = field(sr, SR.Dly_Irq);
    if (rs !== 1 || delay === 0 || dly !== 0) {
      refuseSnapshot(
        `${timer.where}.${timer.mode === 'stopped' ? 'delta' : 'mode'}`,
        timer.mode === 'stopped' ? timer.delta.toString() : timer.mode,
        `must show a stopped, cleared delay timer while ${at(DMACR, 'RS')} is ${rs}, ${at(DMACR, 'IRQDelay')} is ${delay} and ${at(DMASR, 'Dly_Irq')} is ${dly} (it counts only with RS 1, IRQDelay not 0 and Dly_Irq 0: A2, A3)`,
      );
    }
    expectTimerLimit(timer, delay, `(${at(DMACR, 'IRQDelay')}: the delay timer counts IRQDelay units)`);
    expectTimerCountAtMost(timer, delay, `(${at(DMACR, 'IRQDelay')}: at most IRQDelay units are left)`);
    if (hz > 0) expectTimerMode(timer, ['oneshot'], `while counting with the SG clock at ${hz} Hz (a counting delay timer runs while its clock runs)`);
    else expectTimerMode(timer, ['stopped'], 'while the SG clock is stopped (0 Hz freezes the count)');
  }

  /** The output lines by name: `mm2s_introut` and `s2mm_introut` (no combined line: the core has two pins). */
  protected createLines() {
    return { mm2s_introut: this.mm2sIntrout, s2mm_introut: this.s2mmIntrout };
  }

  /** `mm2s.delay`, `s2mm.delay` (8 bits): what IRQDelaySts reads now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    return INDICES.map((i) =>
      // As delayCount(): the timer's limit less its count while the delay timer counts, else 0.
      timerProbe(this.timers[i], {
        name: `${CHANNELS[i]}.delay`,
        width: 8,
        state: () => [this.delayEnabled(i) ? this.timers[i].getLimit() : undefined] as const,
        value: (count, [limit]) => (limit === undefined ? 0n : limit - count),
      }),
    );
  }

  /** The one place the outputs are computed (STYLE.md 18, A10). */
  protected updateIrq(): void {
    this.mm2sIntrout.set(this.irqLevel(0));
    this.s2mmIntrout.set(this.irqLevel(1));
  }

  /** Channel `i`'s interrupt output: a status bit set whose enable is set (a method, not a closure per update: this runs at every access, #19). */
  private irqLevel(i: Index): boolean {
    return (this.bank.getAt(HANDLES[i].DMASR) & this.bank.getAt(HANDLES[i].DMACR) & IRQ_BITS) !== 0;
  }

  /** The SG clock input (m_axi_sg_aclk). */
  readonly sgclk: ClockInput;
  /** The delay timers, MM2S first (exposed for tests and traces; guests see them through DMASR). */
  readonly timers: readonly [PTimer, PTimer];
  /** C_DLYTMR_RESOLUTION: SG clocks per delay unit. */
  readonly resolution: number;
  /** What stands for the data path (A9). */
  readonly dataPath: XilinxAxiDmaDataPath;
  /** The coalescing counts, MM2S first (IRQThresholdSts). */
  private readonly thresholds: [number, number] = [1, 1];
  private readonly rates: readonly [CounterRate, CounterRate] = [new CounterRate(), new CounterRate()];
}
