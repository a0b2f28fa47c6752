/**
 * SMSC LAN9118 general-purpose timer (GP timer): the 16-bit down-counter, decremented every
 * 100 µs, that the LAN9118 Ethernet controller offers the host for timed interrupts, with the
 * part of the controller's interrupt path it raises (INT_STS.GPT_INT, INT_EN, IRQ_CFG and the
 * IRQ pin) and the identification registers a driver's probe reads first.
 *
 * Manual: SMSC LAN9118 datasheet, "System Control and Status Registers" (GPT_CFG 0x8C, GPT_CNT
 * 0x90, INT_STS 0x58, INT_EN 0x5C, IRQ_CFG 0x54, ID_REV 0x50, BYTE_TEST 0x64, PMT_CTRL 0x84) and
 * "General Purpose Timer"; the same GP timer is in the LAN911x/LAN921x/LAN9220 family. No text
 * copy of the datasheet was at hand: offsets, bit positions, access modes and reset values are
 * those public headers agree on (Linux smsc911x.h, SMSC's reference driver, Arm's Corstone SVD:
 * GPT_CFG reset 0xFFFF, GPT_CNT reset 0xFFFF); the counting behaviour is the reference's
 * (devices-2.md §13, [med]); what no source settles is decided below. QEMU's `lan9118`, as the
 * reference describes it, was a cross-check only (behaviour, no code); each departure from it is
 * marked "QEMU:" below.
 *
 * ## Ports
 * - `gptclk`: the GP timer's 100 µs time base, a {@link ClockInput} (default 10 kHz). The chip
 *   derives it from its 25 MHz crystal; it is an input so that a system can stop or re-time it
 *   (X12). The counter decrements once per cycle.
 * - `irq` ({@link Lan9118Gpt.irq}): the controller's IRQ pin as a logical request (X8).
 *
 * ## Timing
 * Exact by default (`timing` option). At 10 kHz a tick is 100 000 ns, a whole number, and both
 * timings agree; a time base that is not a whole number of ns per cycle is where `timing: 'qemu'`
 * (QEMU's 64.32 fixed-point period, floored per countdown) differs (Lan9118Gpt.spec.ts, 'X12 …').
 *
 * ## Policy (one reason per flag)
 * {@link LAN9118_GPT_POLICY}: W+D+R+O, as for the SysTick and the SP804. QEMU runs it LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The rest of the Ethernet controller: the FIFO ports (0x00-0x4F), FIFO_INT, RX_CFG, TX_CFG,
 *   HW_CFG (with the soft reset), RX_DP_CTRL, RX/TX_FIFO_INF, GPIO_CFG, WORD_SWAP, FREE_RUN,
 *   RX_DROP, MAC_CSR_CMD/DATA (and so the MAC CSRs and the PHY behind them), AFC_CFG, E2P_CMD
 *   and E2P_DATA: each access is an `unimplemented` event naming the register, reads 0, writes
 *   change nothing (`LAN9118_NOT_MODELLED`; X10). A driver polling a busy bit there (HW_CFG.SRST,
 *   E2P_CMD.EPC_BUSY) sees it clear at once.
 * - Every interrupt source other than the GP timer and the software interrupt: their INT_STS
 *   bits never become pending; their INT_EN bits are stored and read back, and a 1 written to
 *   them is an `unimplemented` event (`INT_EN.RSFL_EN`, …; X7).
 * - The IRQ pin's electrical form (IRQ_POL, IRQ_TYPE: stored only) and the interrupt
 *   de-assertion interval (INT_DEAS: stored; a non-zero write is an `unimplemented` event; the
 *   line may rise again at once after it falls; INT_DEAS_STS reads 0) (X8).
 * - Power management: PMT_CTRL.READY reads 1 (the device is always ready); its other bits read
 *   0 and a 1 written to them is an `unimplemented` event `PMT_CTRL[31:1]`; a BYTE_TEST write
 *   (the wake-up from a power-saving state) is an `unimplemented` event and changes nothing (X11).
 * - The 16-bit host bus mode (a strap): 32-bit accesses only (X9).
 * - The phase of the chip's 100 µs divider: a GPT_CFG write is the loading edge, the first
 *   decrement comes one full tick later (X12).
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the tests named in brackets (test/devices/lan9118-gpt/Lan9118Gpt.spec.ts unless
 * another file is named; titles start with the tag).
 * X1 Counting. TIMER_EN written 1 loads GPT_LOAD; GPT_CNT shows it for one tick and then counts
 *    down once per tick; the step from 1 to 0 sets INT_STS.GPT_INT; GPT_CNT shows 0 for one
 *    tick and then 0xFFFF (a 16-bit decrement wraps: the timer does not reload GPT_LOAD), so
 *    later rounds last 65 536 ticks. QEMU: reads one less between ticks, never shows 0 and wraps
 *    to 0xFFFF in the step to 0, so later rounds last 65 535 ticks. ('X1 …')
 * X2 GPT_INT is set at each step to 0 whatever INT_EN.GPT_INT_EN says; INT_EN only gates
 *    IRQ_INT. QEMU: sets GPT_INT only while GPT_INT_EN is set. ('X2 …')
 * X3 Every GPT_CFG write with TIMER_EN = 1 loads the counter from the GPT_LOAD it writes and
 *    restarts the count, also while the timer runs: SMSC's reference driver reschedules a
 *    running GP timer by rewriting GPT_CFG, and Linux's smc911x re-arms its one-second GP timer
 *    in the interrupt handler the same way; both rely on it (Lan9118Gpt.drivers.spec.ts).
 *    QEMU: only a change of TIMER_EN from 0 to 1 loads; a rewrite while enabled changes
 *    nothing, so those drivers' next interrupt comes 6.5 s later. ('X3 …')
 * X4 TIMER_EN written 0 stops the timer and GPT_CNT reads 0xFFFF (its reset value) until the
 *    next enable; GPT_LOAD keeps the value written, as QEMU. ('X4 …')
 * X5 GPT_LOAD = 0: nothing to count down; GPT_CNT shows 0 for one tick and wraps to 0xFFFF
 *    without an interrupt: the first GPT_INT comes 65 536 ticks after the write. QEMU: GPT_INT
 *    at once (its LEGACY timer fires when started at 0). ('X5 …')
 * X6 Software interrupt: the interrupt is generated by setting SW_INT_EN; every INT_EN write
 *    with SW_INT_EN = 1 counts as setting it, not only a change from 0, and sets INT_STS.SW_INT
 *    (QEMU does the same); Linux's interrupt test relies on it (Lan9118Gpt.drivers.spec.ts). ('X6 …')
 * X7 The other interrupt sources exist in INT_STS/INT_EN but never become pending (see "Not
 *    modelled"); PHY_INT is read-only (cleared in the PHY). ('X7 …')
 * X8 The IRQ pin. IRQ_INT = (INT_STS & INT_EN) ≠ 0, read-only, whatever IRQ_EN says; the line
 *    is IRQ_EN && IRQ_INT, the logical request (an active-low, open-drain pin is a board
 *    matter). ('X8 …')
 * X9 Access sizes: 32-bit accesses only; others are `bad-size` guest errors, on the modelled and
 *    the not-modelled registers alike. QEMU: accepts 16-bit accesses in its 16-bit bus mode.
 *    (Lan9118Gpt.guestErrors.spec.ts)
 * X10 Offsets: the not-modelled registers are `unimplemented` events (above); reserved offsets
 *    (0x60, 0x94, 0xB8-0xFC) and any offset past the 256-byte window are `unmapped` guest
 *    errors; GPT_CNT and ID_REV writes are `read-only` guest errors (QEMU logs both kinds as
 *    guest errors too). (Lan9118Gpt.guestErrors.spec.ts)
 * X11 BYTE_TEST reads 0x87654321 and PMT_CTRL.READY reads 1 from reset: a driver's probe finds
 *    the chip ready and its byte order right (Lan9118Gpt.drivers.spec.ts).
 * X12 The time base. `gptclk` at 0 Hz freezes GPT_CNT (the kit's CounterRate rule); a rate
 *    change re-times the count from its reading with a fresh, full tick. ('X12 …')
 *
 * ## Snapshots
 * {@link Lan9118GptSnapshot}, checked by one strict schema, by the counter's own rules
 * (`timer.<field>`), and by the invariants that hold by construction, each refused at the field
 * that breaks it:
 * - `gptclkHz` is the input's rate now; while it runs the counter ticks once per its cycle;
 * - the counter wraps to 0xFFFF (`timer.limit` = 0xFFFF) and never counts more than 16 bits;
 * - with TIMER_EN 0 it is stopped at 0xFFFF (X4); with TIMER_EN 1 it is periodic while `gptclk`
 *   runs and stopped while it is at 0 Hz;
 * - ID_REV, BYTE_TEST, PMT_CTRL and GPT_CNT store their reset values (reads are computed or fixed);
 * - in INT_STS only GPT_INT and SW_INT can be set (X7); IRQ_CFG.INT_DEAS_STS is 0 and
 *   IRQ_CFG.IRQ_INT is (INT_STS & INT_EN) ≠ 0 (X8).
 *
 * ## Device kit and ordering
 * RegisterBank on {@link LAN9118_GPT_REGISTERS}, one deviceTimer, a CounterRate for `gptclk`,
 * an EventOutlet for events; `dispose()` ends the clock watch and the timer. Expiries are
 * delivered with `delivery` ('sync' by default: GPT_INT, IRQ_INT and the line change in the
 * expiry step itself, G1); 'bottom-half' exists only to show the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  ACCESS_SIZES,
  checkDeviceOptions,
  CounterRate,
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
  snapshotHz,
  snapshotPart,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type GuestErrorReason,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { LAN9118_GPT_REGISTERS } from './LAN9118_GPT_REGISTERS';
import { notModelledAt } from './LAN9118_NOT_MODELLED';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counter's policy flags, one reason each (X1, X5). */
export const LAN9118_GPT_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the step to 0 GPT_CNT shows 0 for one tick, then 0xFFFF: a 16-bit decrement wraps (X1)
  'NO_COUNTER_ROUND_DOWN', // GPT_CNT reads the hardware count: GPT_LOAD in the tick after the load, 1 in the last tick (X1)
  'NO_IMMEDIATE_RELOAD', // a load of 0 shows 0 for a tick before the wrap to 0xFFFF (X5)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting from 1 to 0 sets GPT_INT: a load of 0 does not (X5)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Lan9118GptSnapshot} format version. */
export const LAN9118_GPT_SNAPSHOT_VERSION = 1;

/** The GP timer's time base by default: one tick every 100 µs. */
export const LAN9118_GPT_HZ = 10_000;

/** The LAN9118's ID_REV by default: chip 0x0118, revision 1. */
export const LAN9118_ID_REV = 0x0118_0001;

/** The GP timer's whole state as plain, versioned data. */
export interface Lan9118GptSnapshot extends DeviceSnapshot {
  readonly version: typeof LAN9118_GPT_SNAPSHOT_VERSION;
  /** The register bank (GPT_CNT and ID_REV store their reset values: their reads are computed). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; it wraps to 0xFFFF. */
  readonly timer: PTimerSnapshot;
  /** `gptclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly gptclkHz: number;
}

/** Options of {@link Lan9118Gpt}. */
export interface Lan9118GptOptions {
  /** The 100 µs time base (default: a 10 kHz input of its own); rate changeable at run time, 0 Hz = stopped. */
  readonly gptclk?: ClockInput;
  /** ID_REV's value (default {@link LAN9118_ID_REV}); another family member's (LAN9220: 0x9220_xxxx) has the same GP timer. */
  readonly idRev?: number;
  /** Instance name, the `source` of its events (default `'lan9118-gpt'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof LAN9118_GPT_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  INT_STS_GPT_INT: fieldHandle(LAN9118_GPT_REGISTERS, 'INT_STS', 'GPT_INT'),
  INT_STS_SW_INT: fieldHandle(LAN9118_GPT_REGISTERS, 'INT_STS', 'SW_INT'),
  IRQ_CFG_IRQ_EN: fieldHandle(LAN9118_GPT_REGISTERS, 'IRQ_CFG', 'IRQ_EN'),
  IRQ_CFG_IRQ_INT: fieldHandle(LAN9118_GPT_REGISTERS, 'IRQ_CFG', 'IRQ_INT'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  GPT_CFG: registerHandle(LAN9118_GPT_REGISTERS, 'GPT_CFG'),
  INT_EN: registerHandle(LAN9118_GPT_REGISTERS, 'INT_EN'),
  INT_STS: registerHandle(LAN9118_GPT_REGISTERS, 'INT_STS'),
} as const;

const { ID_REV, BYTE_TEST, PMT_CTRL, GPT_CFG, GPT_CNT, INT_STS } = LAN9118_GPT_REGISTERS.byName;
const TIMER_EN = GPT_CFG.fieldByName.TIMER_EN.mask;
const GPT_LOAD = GPT_CFG.fieldByName.GPT_LOAD.mask;
/** The INT_STS bits that can become pending (X7). */
const MODELLED_SOURCES = (INT_STS.fieldByName.GPT_INT.mask | INT_STS.fieldByName.SW_INT.mask) >>> 0;
/** The 16-bit counter's wrap value, GPT_CNT while disabled (X1, X4). */
const WRAP = 0xffff;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(LAN9118_GPT_REGISTERS);

/** Registers that store nothing the device changes: ID_REV and GPT_CNT (computed reads), BYTE_TEST and PMT_CTRL (fixed). */
const FIXED = [ID_REV, BYTE_TEST, PMT_CTRL, GPT_CNT];

/**
 * The LAN9118 GP timer and its interrupt path (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (GPT_INT, IRQ_INT and the line change in the
 * counter's expiry step); G2/G3 through the timer's transactions (no register write sets
 * GPT_INT: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const gpt = new Lan9118Gpt(clock);                 // 10 kHz: 100 µs a tick
 * gpt.write(0x5c, 4, 1 << 19);                       // INT_EN = GPT_INT_EN
 * gpt.write(0x54, 4, 1 << 8);                        // IRQ_CFG = IRQ_EN
 * gpt.write(0x8c, 4, (1 << 29) | 10);                // GPT_CFG = TIMER_EN | 10 ticks
 * clock.advanceTo(1_000_000);                        // 1 ms: GPT_CNT reaches 0
 * gpt.irq.level;                                     // true; INT_STS bit 19 is set
 * ```
 */
export class Lan9118Gpt extends KitDevice<Registers, {
  /** {@link Lan9118Gpt.irq}: the controller's IRQ pin. */
  irq: IrqLine;
}> {
  /**
   * Creates the GP timer with its registers at their reset values and the counter stopped at 0xFFFF.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - time base, ID_REV, name, trigger delivery, timing
   * @throws DeviceConfigError for a `gptclk` that is not a ClockInput, an `idRev` that is not a 32-bit value, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Lan9118GptOptions = {}) {
    checkDeviceOptions('Lan9118Gpt', options, {
      gptclk: 'clock?',
      idRev: { integer: [0, 0xffff_ffff], optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'lan9118-gpt');
    this.gptclk = options.gptclk ?? new ClockInput(`${this.name}.gptclk`, LAN9118_GPT_HZ);
    this.idRev = options.idRev ?? LAN9118_ID_REV;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.gpt`,
      policy: LAN9118_GPT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(LAN9118_GPT_REGISTERS, {
      ID_REV: { read: () => this.idRev },
      INT_EN: { fields: { SW_INT_EN: { write: (value) => this.onSoftwareInterrupt(value) } } },
      BYTE_TEST: { write: () => this.report(BYTE_TEST.offset, 'BYTE_TEST write (the wake-up from a power-saving state)') },
      GPT_CFG: { write: (value, old) => this.onConfig(value, old) },
      GPT_CNT: { read: () => this.timer.getCountNumber() },
    });
    this.reset();
    // reset() applied the current rate; each later change re-times the counter at its instant.
    this.lifetime.add(this.gptclk.watch(() => this.onClock()));
  }

  override read(offset: number, size: AccessSize): number {
    if (this.notModelled(offset, size, 0)) return 0;
    return this.bank.read(offset, size);
  }

  override write(offset: number, size: AccessSize, value: number): void {
    if (this.notModelled(offset, size, value)) return;
    this.bank.write(offset, size, value);
    this.updateIrq();
  }

  /** Power-on reset: registers from the map's reset values, the counter stopped at 0xFFFF, nothing pending (X4). */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(WRAP, false);
      t.setCount(WRAP);
    });
    this.bank.reset();
    this.onClock();
  }

  snapshot(): Lan9118GptSnapshot {
    return {
      ...this.snapshotHead(LAN9118_GPT_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      gptclkHz: this.gptclk.hz,
    };
  }

  /**
   * Loads a {@link Lan9118GptSnapshot} taken at the clock's current time by a GP timer of this
   * name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a time base mismatch, the counter's own rules (`timer.<field>`), or an invariant
   *   of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Lan9118Gpt', version: LAN9118_GPT_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), gptclkHz: snapshotHz() }));
    expectSame('gptclkHz', s.gptclkHz, this.gptclk.hz, "the gptclk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.rate.adopt(this.gptclk.hz);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The IRQ pin as a logical request: IRQ_CFG.IRQ_EN && IRQ_CFG.IRQ_INT (X8). */
  readonly irq: IrqLine;
  /** The registers of {@link LAN9118_GPT_REGISTERS}, in map order (the not-modelled ones are not in the map). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The step to 0 (in the timer's callback context when delivery is sync): GPT_INT, whatever GPT_INT_EN says (X1, X2). */
  private onExpiry(): void {
    this.bank.setFieldAt(FIELD.INT_STS_GPT_INT, 1);
    this.updateIrq();
  }

  /** A write covering INT_EN.SW_INT_EN: written 1, it raises the software interrupt (X6). */
  private onSoftwareInterrupt(value: number): void {
    if (value === 1) this.bank.setFieldAt(FIELD.INT_STS_SW_INT, 1);
  }

  /**
   * GPT_CFG write: with TIMER_EN the counter loads the written GPT_LOAD and counts from it, also
   * when it was running (X3); TIMER_EN falling stops it at 0xFFFF (X4).
   */
  private onConfig(value: number, old: number): void {
    const enabled = (value & TIMER_EN) !== 0;
    if (!enabled && (old & TIMER_EN) === 0) return;
    this.timer.transaction((t) => {
      if (enabled) {
        t.setCount(value & GPT_LOAD);
      } else {
        t.stop(); // first: stop latches the running count
        t.setCount(WRAP);
      }
      this.runIfEnabled(t);
    });
  }

  /** `gptclk` changed (or a reset applies it): re-time from the new rate, 0 Hz freezes (X12). */
  private onClock(): void {
    this.timer.transaction((t) => {
      this.rate.apply(t, this.gptclk.hz); // first: a new period latches the running count
      this.runIfEnabled(t);
    });
    this.updateIrq();
  }

  /** Last step of a change: the counter runs periodic while TIMER_EN is set and `gptclk` runs; on a running counter `run` only switches the mode. */
  private runIfEnabled(t: PTimer): void {
    if ((this.bank.getAt(REGISTER.GPT_CFG) & TIMER_EN) !== 0 && this.rate.running) t.run(false);
    else t.stop();
  }

  /**
   * An access to a register of the controller that is not modelled: reported and handled here
   * (an `unimplemented` event, or a guest error for a bad size or alignment); `false` for any
   * other offset, and for a malformed call, which the bank refuses (X9, X10).
   */
  private notModelled(offset: number, size: AccessSize, value: number): boolean {
    if (!Number.isSafeInteger(offset) || !ACCESS_SIZES.includes(size) || !Number.isSafeInteger(value) || value < 0) return false;
    const register = notModelledAt(offset);
    if (register === undefined) return false;
    if (size !== 4) {
      this.refuse(offset, size, 'bad-size', `${register.name} (not modelled) accepts 4-byte accesses, not ${size}`);
    } else if (offset % 4 !== 0) {
      this.refuse(offset, size, 'misaligned', `${register.name}: a 4-byte access at 0x${offset.toString(16)} is not aligned to 4`);
    } else {
      this.report(offset, `${register.name} (${register.part})`);
    }
    return true;
  }

  private refuse(offset: number, size: AccessSize, reason: GuestErrorReason, detail: string): void {
    this.outlet.record({ kind: 'guest-error', time: this.scheduler.now(), source: this.name, offset, size, reason, detail });
  }

  private report(offset: number, feature: string): void {
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature });
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView): void {
    expectResetValues(r, FIXED);
    const status = r['INT_STS']!;
    if ((status & ~MODELLED_SOURCES) !== 0) {
      refuseSnapshot(
        registerPath('INT_STS'),
        status,
        `must have only ${registerPath('INT_STS', 'GPT_INT')} and ${registerPath('INT_STS', 'SW_INT')} set: the other sources are not modelled and never pend (X7)`,
      );
    }
    const cfg = r['IRQ_CFG']!;
    const { IRQ_INT, INT_DEAS_STS } = LAN9118_GPT_REGISTERS.byName.IRQ_CFG.fieldByName;
    if ((cfg & INT_DEAS_STS.mask) !== 0) {
      refuseSnapshot(registerPath('IRQ_CFG'), cfg, `must have ${registerPath('IRQ_CFG', 'INT_DEAS_STS')} 0: the de-assertion interval is not modelled (X8)`);
    }
    const pending = (status & r['INT_EN']!) !== 0;
    if (((cfg & IRQ_INT.mask) !== 0) !== pending) {
      refuseSnapshot(
        registerPath('IRQ_CFG'),
        cfg,
        `must have ${registerPath('IRQ_CFG', 'IRQ_INT')} ${pending ? 1 : 0}: it is (${registerPath('INT_STS')} & ${registerPath('INT_EN')}) ≠ 0 (X8)`,
      );
    }
    expectTimerLimit(timer, WRAP, `(GPT_CNT is 16 bits: the count wraps to 0xFFFF, X1)`);
    expectTimerCountAtMost(timer, WRAP, `(GPT_CNT is 16 bits)`);
    const hz = this.gptclk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one gptclk cycle at ${hz} Hz`);
    const enabled = (r['GPT_CFG']! & TIMER_EN) !== 0;
    if (!enabled) {
      expectTimerMode(timer, ['stopped'], `while ${registerPath('GPT_CFG', 'TIMER_EN')} is 0`);
      if (timer.delta !== BigInt(WRAP)) {
        refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${WRAP} while ${registerPath('GPT_CFG', 'TIMER_EN')} is 0: a disabled GP timer reads 0xFFFF (X4)`);
      }
      return;
    }
    if (hz === 0) expectTimerMode(timer, ['stopped'], `while gptclk is at 0 Hz (X12)`);
    else expectTimerMode(timer, ['periodic'], `while ${registerPath('GPT_CFG', 'TIMER_EN')} is 1 and gptclk runs (X1)`);
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `gpt.count` (16 bits): what a guest read of GPT_CNT returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // GPT_CNT's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'gpt.count', width: 16 })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change: IRQ_INT, then the line (X8). */
  protected updateIrq(): void {
    const pending = (this.bank.getAt(REGISTER.INT_STS) & this.bank.getAt(REGISTER.INT_EN)) !== 0;
    this.bank.setFieldAt(FIELD.IRQ_CFG_IRQ_INT, pending ? 1 : 0);
    this.irq.set(pending && this.bank.fieldAt(FIELD.IRQ_CFG_IRQ_EN) === 1);
  }

  /** The counter (exposed for tests and traces; guests see it through GPT_CNT). */
  readonly timer: PTimer;
  /** The 100 µs time base. */
  readonly gptclk: ClockInput;
  private readonly idRev: number;
  private readonly rate = new CounterRate();
}
