/**
 * The timestamp counter of the Xilinx CAN controllers, and what reads it: a free-running
 * 16-bit up-counter on the CAN reference clock that the controller copies into each frame
 * it stores. One model, two variants (`variant` option):
 * - `'zynqmp'`: the Zynq UltraScale+ CAN controller. Manual: UG1085 (Zynq UltraScale+ TRM),
 *   chapter "CAN Controller", sections "RX Messages" (the counter) and the register
 *   descriptions of UG1087 (module `CAN`): SRR, SR, TCR, RXFIFO_DLC.
 * - `'versal'`: the Versal CAN-FD controller. Manual: PG223 (CAN FD v2.0, the core Versal
 *   integrates): SRR, SR, ISR/IER/ICR (the TSCNT_OFLW bit), TSR, the RX buffers' DLC word.
 * QEMU's `xlnx-zynqmp-can` and `xlnx-versal-canfd` were cross-checks only (behaviour, no
 * code); each departure from them is marked "QEMU:" below.
 *
 * Ports: `canClk`, the CAN reference clock (UG1085's CAN_REF_CLK, Linux's `can_clk`), a
 * ClockInput whose rate may change at run time; the counter steps once per cycle (X10).
 * Output: `irq` ({@link XlnxCanTimestamp.irq}), the controller's interrupt output as far as
 * the modelled sources drive it: ISR.TSCNT_OFLW && IER.ETSCNT_OFLW on the Versal; nothing
 * on the ZynqMP, whose counter has no interrupt (its line stays low). Input:
 * {@link XlnxCanTimestamp.captureRxTimestamp}, the controller storing a received frame.
 * Timing: exact by default (`timing` option): a cycle is exactly 10^9/Hz ns. The catalogue's
 * 24 MHz (ZynqMP, 41⅔ ns) is where `timing: 'qemu'` (QEMU's 64.32 fixed-point period,
 * floored per wrap) drifts up to k ns early at the k-th wrap; at 25 MHz (Versal, 40 ns) both
 * agree. (test/devices/xlnx-can-timestamp/XlnxCanTimestamp.spec.ts 'Timing …')
 *
 * Not modelled (and what the guest sees instead):
 * - The CAN controller itself: protocol engine, bit timing (MSR, BRPR, BTR, F_BRPR, F_BTR),
 *   error counters, TX/RX FIFOs and buffers, acceptance filters, sleep/wake-up, loopback,
 *   snoop. Every register of it (`XLNX_ZYNQMP_CAN_NOT_MODELLED`,
 *   `XLNX_VERSAL_CANFD_NOT_MODELLED`) is an `unimplemented` event at each 32-bit access, naming
 *   it; a read returns 0, a write changes nothing. No frame is ever received or sent by the
 *   model: a frame's arrival is {@link XlnxCanTimestamp.captureRxTimestamp}.
 * - The RX FIFO's depth: the modelled RX DLC word (ZynqMP RXFIFO_DLC, Versal RX FIFO 0
 *   buffer 0's RB_DLC) holds the timestamp of the last frame stored (X6); its other fields
 *   (DLC, FDF, BRS, …) read 0. The Versal's TX event FIFO timestamps are not modelled.
 * - Status bits of the controller: SR other than CONFIG, ISR other than TSCNT_OFLW read 0;
 *   the other IER enables are stored and read back, and `unimplemented` when written 1, as
 *   are the other ICR clear bits (X8).
 * - Whether sleep mode (MSR.SLEEP) stops the counter: MSR is not modelled, the counter runs.
 * - A scenario maps a device over the pages its modelled registers span: the Versal's up to
 *   RB_DLC (0x3000 bytes), so RX FIFO 1's buffers (0x4100 on) are reached on the device
 *   itself only (they are not modelled either way).
 *
 * Ambiguities, and how they were decided (tests in test/devices/xlnx-can-timestamp/, titles
 * start with the tag):
 * X1 Counting. After a clear the counter reads 0 for one full cycle, then 1, …, 0xFFFF in the
 *    2^16-th cycle, and wraps to 0 after 2^16 cycles: a 16-bit counter holds every value one
 *    cycle. A read at a step's own instant sees the value before the step; the wrap is the
 *    counter's only event (the timer's expiry), so there the order decides (X11). QEMU: a LEGACY
 *    periodic ptimer with limit 0xFFFF (timestamp = 0xFFFF − count) reloads on reaching 0,
 *    so it wraps every 0xFFFF cycles and, rounding its count down, reads one step ahead
 *    within a cycle. ('X1 …')
 * X2 CEN gates the counter. UG1085: the counter is cleared when SRR.CEN = 0; decided: held
 *    at 0 while CEN is 0 (configuration mode, reset), started from 0 by the write that sets
 *    CEN, cleared and held by the write that clears it. A write that keeps CEN changes
 *    nothing. QEMU: the counter runs from realize whatever CEN is, and is cleared when CEN
 *    is set. ('X2 …')
 * X3 CTS (ZynqMP TCR, Versal TSR): a 1 clears the counter at the write (0 for a full cycle,
 *    X1) and it counts on; CTS 0, or any CTS write in configuration mode (the counter is
 *    held at 0 already), changes nothing. A clear is not a wrap: it never sets TSCNT_OFLW.
 *    QEMU (Versal): after a clear the count reads 0 for a tick, so a timestamp taken then is
 *    0xFFFF. ('X3 …')
 * X4 TSCNT_OFLW (Versal): set at every wrap from 0xFFFF to 0, whatever IER says (a status
 *    bit); the line is TSCNT_OFLW && ETSCNT_OFLW; cleared by ICR.CTSCNT_OFLW = 1, SRST or
 *    reset, not by CEN or CTS. QEMU: set only when a frame arrives while the derived
 *    timestamp is 0xFFFF (and spuriously in the tick after a clear). ('X4 …')
 * X5 SRST: resets the controller: the modelled registers to their reset values (CEN 0,
 *    ISR/IER 0, the RX timestamp 0), the counter held at 0, the line low; reads 0. SRST
 *    and CEN written 1 together: the reset wins (CEN ends 0). ('X5 …')
 * X6 The RX timestamp. UG1085: each stored frame carries the counter sampled at the last bit
 *    of EOF. {@link XlnxCanTimestamp.captureRxTimestamp} is that instant: the counter's value
 *    goes to RXFIFO_DLC.RXT (ZynqMP) or RB_DLC.TIMESTAMP (Versal) and is returned; in
 *    configuration mode the controller receives nothing (`undefined`, no change). It is kept
 *    when CEN is cleared (UG1085: the RX FIFO keeps its messages in configuration mode) and
 *    cleared by SRST. ('X6 …')
 * X7 TSR.TIMESTAMP_CNT (Versal) is the counter at the read. QEMU: the field changes only when
 *    a frame arrives (reference devices-2.md §12, Δ). ('X7 …')
 * X8 SR.CONFIG is SRR.CEN inverted (reset 1: Linux's probe reads SR and expects exactly 1 in
 *    configuration mode). SR's mode bits (NORMAL, LBACK, …) belong to the controller and read
 *    0. ('X8 …')
 * X9 Access sizes and offsets: only 32-bit accesses (a 32-bit APB/AXI4-Lite slave; QEMU
 *    refuses others too); others are `bad-size` guest errors, also on the not-modelled
 *    registers. A 32-bit access off a 4-byte boundary is `misaligned`; an offset that is
 *    neither a modelled nor a listed register is `unmapped`. Writes to SR, ISR and the RX DLC
 *    word are `read-only`, a read of ICR `write-only` (guest-error spec).
 * X10 The counter's clock is `canClk` undivided (UG1085 "RX Messages": clocked by
 *    CAN_REF_CLK): BRPR, the bit-rate prescaler, does not clock it (it is not modelled).
 *    For the Versal CAN-FD, PG223 was not read on this point: the same rule is assumed (as
 *    QEMU). 0 Hz freezes the counter (the kit's CounterRate rule); a rate change re-times
 *    it from its reading with a fresh cycle. ('X10 …')
 * X11 Reads at the wrap instant see 0xFFFF with TSCNT_OFLW clear when ordered before the
 *    expiry step, 0 with TSCNT_OFLW set after it: never a mix (G1). (harness spec)
 *
 * Policy: see XLNX_CAN_TIMESTAMP_POLICY (one flag).
 *
 * The catalogue: a free-running timestamp counter has no interrupt of its own on the ZynqMP
 * (UG1085: no status bit shows a roll-over) and no register a guest reads it through on
 * demand (only frames carry it), so `xlnx-zynqmp-can` has no channel a driver recipe can use.
 * On the Versal the wrap has a status bit and an interrupt, and TSR shows the counter, so
 * `xlnx-versal-canfd` has one channel that races the wrap: TSR.TIMESTAMP_CNT against
 * ISR.TSCNT_OFLW, every 2^16 cycles (its only period).
 *
 * Device kit: a KitDevice (RegisterBank on the variant's map, EventOutlet), one deviceTimer, a
 * CounterRate for `canClk`; `dispose()` ends the clock watch and the timer.
 *
 * Snapshots: {@link XlnxCanTimestampSnapshot}, checked by one strict schema, by the
 * counter's own rules (`timer.<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it:
 * - `variant` is this controller's (checked first);
 * - `canClkHz` is the input's rate now; while it runs the counter ticks once per cycle;
 * - the counter reloads 2^16 (`timer.limit`) and its count is 1 … 2^16 (timestamp
 *   2^16 − count; 2^16 is 0);
 * - it is stopped while SRR.CEN is 0 or the clock is stopped, periodic otherwise; with CEN 0
 *   it is held at 0 (count 2^16);
 * - SR, TCR/TSR and ICR store nothing (reads are computed or 0) and SRR.SRST stores 0;
 * - TSCNT_OFLW, the enables and the RX timestamp may take any value in any state: no rule.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: TSCNT_OFLW and the
 * line change in the wrap step itself, G1); 'bottom-half' exists only to show the
 * LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  ACCESS_SIZES,
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectResetValues,
  expectRunningMode,
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
  snapshotPart,
  type AccessSize,
  type BankHooks,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterDef,
  type RegisterInfo,
  type RegisterMap,
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
import { XLNX_VERSAL_CANFD_REGISTERS } from './XLNX_VERSAL_CANFD_REGISTERS';
import { XLNX_VERSAL_CANFD_NOT_MODELLED, XLNX_ZYNQMP_CAN_NOT_MODELLED, type XlnxCanUnmodelledRegister } from './XLNX_CAN_NOT_MODELLED';
import { XLNX_ZYNQMP_CAN_REGISTERS } from './XLNX_ZYNQMP_CAN_REGISTERS';

/** The counter's policy flag, with its reason (X1). */
export const XLNX_CAN_TIMESTAMP_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the timestamp (2^16 − count) reads 0 for the whole cycle after a clear or wrap and 0xFFFF in the last one (X1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link XlnxCanTimestampSnapshot} format version. */
export const XLNX_CAN_TIMESTAMP_SNAPSHOT_VERSION = 1;

/** The controllers the model covers (see the module header). */
export const XLNX_CAN_TIMESTAMP_VARIANTS = ['zynqmp', 'versal'] as const;

/** A controller: `'zynqmp'`, the Zynq UltraScale+ CAN, or `'versal'`, the Versal CAN-FD. */
export type XlnxCanTimestampVariant = (typeof XLNX_CAN_TIMESTAMP_VARIANTS)[number];

/** The timestamp part's whole state as plain, versioned data. */
export interface XlnxCanTimestampSnapshot extends DeviceSnapshot {
  readonly version: typeof XLNX_CAN_TIMESTAMP_SNAPSHOT_VERSION;
  /** The controller that took it; only a model of the same variant restores it. */
  readonly variant: XlnxCanTimestampVariant;
  /** The register bank (SR, TCR/TSR and ICR store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** The counter: it counts down from 2^16 and the timestamp is 2^16 minus its count. */
  readonly timer: PTimerSnapshot;
  /** `canClk` when the snapshot was taken; restore requires the input to be at it. */
  readonly canClkHz: number;
}

/** Options of {@link XlnxCanTimestamp}. */
export interface XlnxCanTimestampOptions {
  /** The CAN reference clock (CAN_REF_CLK); rate changeable at run time, 0 Hz = stopped. */
  readonly canClk: ClockInput;
  /** The controller (default `'zynqmp'`). */
  readonly variant?: XlnxCanTimestampVariant;
  /** Instance name, the `source` of its events (default `'xlnx-zynqmp-can'` or `'xlnx-versal-canfd'`). */
  readonly name?: string;
  /** Delivery of the counter's wraps: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

/** Every register of either variant's map; the device names a register of one variant only under that variant. */
type Registers = RegisterShapeOf<typeof XLNX_ZYNQMP_CAN_REGISTERS> & RegisterShapeOf<typeof XLNX_VERSAL_CANFD_REGISTERS>;

/** The counter's modulus: 2^16 values, the ptimer's reload value. */
const WRAP = 0x1_0000;
const WRAP_N = BigInt(WRAP);

const { SRR, SR } = XLNX_ZYNQMP_CAN_REGISTERS.byName;
const SRST = SRR.fieldByName.SRST.mask;
const CEN = SRR.fieldByName.CEN.mask;
const CTSCNT_OFLW = XLNX_VERSAL_CANFD_REGISTERS.byName.ICR.fieldByName.CTSCNT_OFLW.mask;

/** What differs between the variants, as data. */
interface VariantSpec {
  readonly map: RegisterMap<Registers>;
  /** The map's registers as {@link RegisterInfo}, shared by every instance. */
  readonly info: readonly RegisterInfo[];
  /** Registers that store nothing: computed reads and write-only strobes. */
  readonly fixed: readonly RegisterDef[];
  /** The timestamp control register: TCR (ZynqMP) or TSR (Versal). */
  readonly clear: 'TCR' | 'TSR';
  /** The RX DLC word and its timestamp field. */
  readonly rx: readonly ['RXFIFO_DLC', 'RXT'] | readonly ['RB_DLC', 'TIMESTAMP'];
  /** The controller's registers that are not modelled. */
  readonly notModelled: readonly XlnxCanUnmodelledRegister[];
  /** Default instance name (the catalogue type). */
  readonly defaultName: string;
}

const variantSpec = (
  map: RegisterMap<RegisterShape>,
  fixed: readonly string[],
  rest: Omit<VariantSpec, 'map' | 'info' | 'fixed'>,
): VariantSpec => ({
  map: map as unknown as RegisterMap<Registers>,
  info: registerInfoOf(map),
  fixed: map.registers.filter((r) => fixed.includes(r.name)),
  ...rest,
});

const VARIANTS: Readonly<Record<XlnxCanTimestampVariant, VariantSpec>> = {
  zynqmp: variantSpec(XLNX_ZYNQMP_CAN_REGISTERS, ['SR', 'TCR'], {
    clear: 'TCR',
    rx: ['RXFIFO_DLC', 'RXT'],
    notModelled: XLNX_ZYNQMP_CAN_NOT_MODELLED,
    defaultName: 'xlnx-zynqmp-can',
  }),
  versal: variantSpec(XLNX_VERSAL_CANFD_REGISTERS, ['SR', 'ICR', 'TSR'], {
    clear: 'TSR',
    rx: ['RB_DLC', 'TIMESTAMP'],
    notModelled: XLNX_VERSAL_CANFD_NOT_MODELLED,
    defaultName: 'xlnx-versal-canfd',
  }),
};

/**
 * The timestamp counter of a Xilinx CAN controller (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (TSCNT_OFLW and the line change in the wrap
 * step); G2/G3 through the timer's transactions (no register write sets TSCNT_OFLW: a clear
 * reloads without a trigger).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const canClk = new ClockInput('can_clk', 25_000_000);        // 40 ns per cycle
 * const can = new XlnxCanTimestamp(clock, { canClk, variant: 'versal' });
 * can.write(0x020, 4, 1 << 5);                                  // IER: ETSCNT_OFLW
 * can.write(0x000, 4, 1 << 1);                                  // SRR: CEN, the counter starts at 0
 * clock.advanceTo(1_000);                                       // 25 cycles
 * can.read(0x028, 4) >>> 16;                                    // 25: TSR.TIMESTAMP_CNT
 * clock.advanceTo(65_536 * 40);                                 // the wrap
 * can.irq.level;                                                // true: ISR.TSCNT_OFLW
 * ```
 */
export class XlnxCanTimestamp extends KitDevice<Registers, {
  /** {@link XlnxCanTimestamp.irq}: the controller's interrupt output. */
  irq: IrqLine;
}> {
  /**
   * Creates the controller's timestamp part with its registers at their reset values and the
   * counter held at 0 (configuration mode).
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock input, variant, name, trigger delivery, timing
   * @throws DeviceConfigError for a `canClk` that is not a ClockInput, an unknown `variant`, `delivery` or `timing`, an empty name, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: XlnxCanTimestampOptions) {
    checkDeviceOptions('XlnxCanTimestamp', options, {
      canClk: 'clock',
      variant: { oneOf: XLNX_CAN_TIMESTAMP_VARIANTS, optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    const variant = options.variant ?? 'zynqmp';
    const spec = VARIANTS[variant];
    super(scheduler, options.name ?? spec.defaultName);
    this.variant = variant;
    this.spec = spec;
    this.canClk = options.canClk;
    this.registers = this.spec.info;
    // Wraps reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.timestamp`,
      policy: XLNX_CAN_TIMESTAMP_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(this.spec.map, this.hooks());
    this.timer.transaction((t) => t.setLimit(WRAP, true)); // held at 0 (count 2^16) until CEN is set
    this.lifetime.add(this.canClk.watch(() => this.onClock()));
    this.onClock();
  }

  /**
   * A guest load: 0 and a report for a register of the controller that is not modelled (X9), else the bank's value.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @returns the value read
   */
  override read(offset: number, size: AccessSize): number {
    if (this.notModelled(offset, size, 'read')) return 0;
    return super.read(offset, size);
  }

  /**
   * A guest store: reported and dropped for a register of the controller that is not modelled (X9), else as on any kit device.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  override write(offset: number, size: AccessSize, value: number): void {
    if (this.notModelled(offset, size, 'write')) return;
    super.write(offset, size, value);
  }

  /** Reset: registers to their reset values (configuration mode), the counter held at 0, the RX timestamp 0, the line low. */
  override reset(): void {
    this.bank.reset();
    this.onMode();
  }

  snapshot(): XlnxCanTimestampSnapshot {
    return {
      device: this.name,
      version: XLNX_CAN_TIMESTAMP_SNAPSHOT_VERSION,
      variant: this.variant,
      registers: this.bank.snapshot(),
      timer: this.timer.snapshot(),
      canClkHz: this.canClk.hz,
    };
  }

  /**
   * Loads an {@link XlnxCanTimestampSnapshot} taken at the clock's current time by a model of
   * this name and variant; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: another
   *   variant's snapshot (at `variant`, checked first), the format (strict), a clock mismatch,
   *   the counter's own rules (`timer.<field>`), or an invariant of the module header
   *   ("Snapshots")
   */
  restore(snapshot: unknown): void {
    // The variant first, so another variant's snapshot is refused there, not at the first register the maps differ in.
    if (typeof snapshot === 'object' && snapshot !== null && 'variant' in snapshot) {
      expectSame('variant', snapshot.variant, this.variant, "this controller's variant");
    }
    const variant = this.variant;
    // The schema depends on the variant only through the bank's schema, which is the variant map's (the cache key).
    const s = this.parseSnapshot(snapshot, { device: 'XlnxCanTimestamp', version: XLNX_CAN_TIMESTAMP_SNAPSHOT_VERSION }, () => ({
      variant: snapshotField<XlnxCanTimestampVariant>((v) => v === variant, `must be '${variant}', this controller's variant`),
      timer: snapshotPart(),
      canClkHz: snapshotHz(),
    }));
    expectSame('canClkHz', s.canClkHz, this.canClk.hz, "the canClk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.rate.adopt(this.canClk.hz);
    this.updateIrq();
  }

  /**
   * The controller stores a received frame now (UG1085: the counter is sampled at the last
   * bit of EOF): the RX DLC word's timestamp (ZynqMP RXFIFO_DLC.RXT, Versal RB_DLC.TIMESTAMP)
   * takes the counter's value (X6). The frame itself is not modelled.
   * @returns the timestamp stored, or `undefined` in configuration mode (SRR.CEN 0: the
   *   controller receives nothing and nothing changes)
   */
  captureRxTimestamp(): number | undefined {
    if (!this.enabled()) return undefined;
    const stamp = this.timestamp();
    const [register, field] = this.spec.rx;
    this.bank.setField(register, field, stamp);
    return stamp;
  }

  // ---- public lines -------------------------------------------------------------

  /** The controller's interrupt output from the modelled sources: ISR.TSCNT_OFLW && IER.ETSCNT_OFLW (Versal); always low on the ZynqMP. */
  readonly irq: IrqLine;
  /** The registers of the variant's map ({@link XLNX_ZYNQMP_CAN_REGISTERS} or {@link XLNX_VERSAL_CANFD_REGISTERS}), in map order. */
  readonly registers: readonly RegisterInfo[];

  // ---- private ------------------------------------------------------------------

  /** The bank's callbacks for this variant's map. */
  private hooks(): BankHooks<Registers> {
    const common = {
      SRR: { write: (value: number, old: number) => this.onSoftwareReset(value, old) },
      SR: { read: () => (this.enabled() ? 0 : SR.fieldByName.CONFIG.mask) },
    };
    if (this.variant === 'zynqmp') {
      return { ...common, TCR: { write: (value: number) => this.onClear('TCR', value) } } as BankHooks<Registers>;
    }
    return {
      ...common,
      TSR: { read: () => this.timestamp() * 0x1_0000, write: (value: number) => this.onClear('TSR', value) },
      ICR: { write: (value: number) => this.onInterruptClear(value) },
    } as BankHooks<Registers>;
  }

  /** A wrap from 0xFFFF to 0 (in the timer's callback context when delivery is sync): X4. */
  private onExpiry(): void {
    if (this.variant === 'versal') this.bank.setField('ISR', 'TSCNT_OFLW', 1);
    this.updateIrq();
  }

  /** SRR write: SRST resets the controller and wins over CEN (X5); otherwise a CEN change starts or clears the counter (X2). */
  private onSoftwareReset(value: number, old: number): void {
    if ((value & SRST) !== 0) {
      this.bank.reset();
    } else {
      this.bank.set('SRR', value & CEN); // SRST stores nothing
      if ((value & CEN) === (old & CEN)) return;
    }
    this.onMode();
  }

  /** TCR/TSR write: CTS = 1 clears a running counter (X3); the register stores nothing. */
  private onClear(register: 'TCR' | 'TSR', value: number): void {
    this.bank.set(register, 0);
    if ((value & 1) === 0 || !this.enabled()) return;
    this.timer.transaction((t) => t.setCount(WRAP));
  }

  /** ICR write (Versal): CTSCNT_OFLW = 1 clears TSCNT_OFLW; the register stores nothing (X4). */
  private onInterruptClear(value: number): void {
    this.bank.set('ICR', 0);
    if ((value & CTSCNT_OFLW) !== 0) this.bank.setField('ISR', 'TSCNT_OFLW', 0);
  }

  /** CEN changed, or the registers were reset: the counter restarts from 0 and runs under CEN, or is held at 0 (X2). */
  private onMode(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setCount(WRAP);
      this.runIfEnabled(t);
    });
    this.updateIrq();
  }

  /** The clock input changed rate: re-time from it, 0 Hz freezes (X10). */
  private onClock(): void {
    this.timer.transaction((t) => {
      this.rate.apply(t, this.canClk.hz); // first: a new period latches the running count (reference §5.2 pitfall 3)
      this.runIfEnabled(t);
    });
    this.updateIrq();
  }

  /** Last step of a change: the counter runs (periodic, a wrap every 2^16 cycles) while CEN is set and the clock runs. */
  private runIfEnabled(t: PTimer): void {
    if (this.enabled() && this.rate.running) t.run(false);
    else t.stop();
  }

  /** SRR.CEN: operation (the counter runs) rather than configuration mode. */
  private enabled(): boolean {
    return (this.bank.get('SRR') & CEN) !== 0;
  }

  /** The timestamp now: 2^16 minus the count (a count of 2^16 is 0). */
  private timestamp(): number {
    return Number((WRAP_N - this.timer.getCount()) & 0xffffn);
  }

  /**
   * A guest access to a register of the controller that is not modelled: a 32-bit aligned
   * one is an `unimplemented` event naming it, any other a guest error (X9).
   * @returns whether the access was one (and has been reported)
   */
  private notModelled(offset: number, size: AccessSize, kind: 'read' | 'write'): boolean {
    if (!Number.isSafeInteger(offset) || !ACCESS_SIZES.includes(size)) return false; // the bank throws for calls no bus could make
    // A modelled register inside a listed block (RB_DLC in RX FIFO 0's buffers) is the bank's.
    if (this.spec.info.some((r) => offset >= r.offset && offset < r.offset + r.size)) return false;
    const hit = this.spec.notModelled.find((r) => offset >= r.from && offset < r.to);
    if (hit === undefined) return false;
    const time = this.scheduler.now();
    if (size !== 4) {
      this.outlet.record({ kind: 'guest-error', time, source: this.name, offset, size, reason: 'bad-size', detail: `${hit.name} accepts 4-byte accesses, not ${size}` });
    } else if (offset % 4 !== 0) {
      const detail = `${hit.name}: a 4-byte access at 0x${offset.toString(16)} is not aligned to 4`;
      this.outlet.record({ kind: 'guest-error', time, source: this.name, offset, size, reason: 'misaligned', detail });
    } else {
      this.outlet.record({ kind: 'unimplemented', time, source: this.name, offset, feature: `${hit.name} (CAN controller ${kind}: not modelled)` });
    }
    return true;
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView): void {
    expectResetValues(r, this.spec.fixed);
    if ((r['SRR']! & SRST) !== 0) refuseSnapshot(registerPath('SRR'), r['SRR'], `must have ${registerPath('SRR', 'SRST')} 0 (write-only, stores nothing)`);
    expectTimerLimit(timer, WRAP, '(the counter holds 2^16 values: it reloads 2^16, X1)');
    expectTimerCountAtMost(timer, WRAP, '(a count of 2^16 is the timestamp 0, X1)');
    if (timer.delta === 0n) refuseSnapshot(`${timer.where}.delta`, '0', 'must be at least 1: the count reloads at 0, so the timestamp is 2^16 minus a count of 1 to 2^16 (X1)');
    const hz = this.canClk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one canClk cycle at canClkHz ${hz} (X10)`);
    const cen = (r['SRR']! & CEN) !== 0;
    if (!cen || hz === 0) {
      expectTimerMode(timer, ['stopped'], `while ${registerPath('SRR', 'CEN')} is ${cen ? 1 : 0} and canClkHz is ${hz} (the counter runs only under CEN with its clock running, X2)`);
      if (!cen && timer.delta !== WRAP_N) {
        refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${WRAP} (the timestamp 0) while ${registerPath('SRR', 'CEN')} is 0: the counter is held at 0 (X2)`);
      }
      return;
    }
    expectRunningMode(timer, false, '(the counter wraps every 2^16 cycles, X1)');
    if (timer.mode === 'stopped') {
      refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be 'periodic' while ${registerPath('SRR', 'CEN')} is 1 and canClk runs at ${hz} Hz (X2)`);
    }
  }

  /** The output line by name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `timestamp` (16 bits): the counter now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // As timestamp(): the up-counter shows 2^16 less the ptimer's count (the cycles to its wrap), modulo 2^16.
    return [timerProbe(this.timer, { name: 'timestamp', width: 16, value: (count) => WRAP_N - count })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    const versal = this.variant === 'versal';
    this.irq.set(versal && this.bank.field('ISR', 'TSCNT_OFLW') === 1 && this.bank.field('IER', 'ETSCNT_OFLW') === 1);
  }

  /** The controller this model is (see the module header). */
  readonly variant: XlnxCanTimestampVariant;
  /** The counter (exposed for tests and traces; guests see it through TSR or a frame's timestamp). */
  readonly timer: PTimer;
  /** The CAN reference clock input. */
  readonly canClk: ClockInput;
  private readonly spec: VariantSpec;
  private readonly rate = new CounterRate();
}
