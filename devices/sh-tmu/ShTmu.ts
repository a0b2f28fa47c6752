/**
 * SuperH TMU (Timer Unit) of the SH-4 (SH7750, SH7750S/R, SH7751/R): three 32-bit down-counters,
 * each reloaded from its constant register at every underflow, started and stopped through one
 * shared start register, counting Pφ/4 … Pφ/1024, the on-chip RTC output clock or an external
 * clock, and raising its own underflow interrupt (TUNI0 … TUNI2).
 *
 * Manual: Renesas SH7750/SH7750S/SH7750R Group User's Manual: Hardware, section "Timer Unit
 * (TMU)" (register descriptions, operation); the SH7751/SH7751R manual's TMU section is the same
 * block. The manual was not read directly: the facts here are the
 * reference's (devices-2.md §19), the SH7708/SH7727 manuals' TMU text (the same counter:
 * "TCNT underflows from H'00000000 to H'FFFFFFFF, UNF is set and TCOR is loaded"), NetBSD's
 * tmureg.h and the register use of Linux's sh_tmu driver (whose sequences
 * test/devices/sh-tmu/ShTmu.drivers.spec.ts replays). QEMU's `sh_timer` (tmu012) was a
 * cross-check only (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `pclk`: Pφ, the peripheral clock (TPSC 0-4). Default 60 MHz, the SH7751R's Pφ on QEMU's
 *   r2d board (X6).
 * - `rtcclk`: the on-chip RTC's output clock (TPSC 6). Default 16 384 Hz, the rate NetBSD's SH
 *   clock code gives it (X6).
 * - `tclk`: the external clock on the TCLK pin (TPSC 7). Default 0 Hz: nothing on the pin (X6).
 *   Each a {@link ClockInput} whose rate may change at run time; 0 Hz holds a channel counting it.
 * - TUNI0, TUNI1, TUNI2: {@link ShTmu.tuni0} … {@link ShTmu.tuni2}, level lines, each UNF & UNIE of
 *   its channel (X5). Channel 2's input capture interrupt TICPI2 is not modelled (X12).
 *
 * ## Timing
 * Exact by default (`timing` option): a count is exactly divisor·10^9/hz ns. At the default
 * 60 MHz Pφ a Pφ/4 count is 66⅔ ns, not a whole number of ns: exact timing keeps the k-th
 * underflow at ⌊k·round⌋ ns, `timing: 'qemu'` (QEMU's 64.32 fixed-point period, each round
 * floored) drifts early by up to k ns. (ShTmu.spec.ts, "timing …")
 *
 * ## Policy
 * {@link SH_TMU_POLICY}. The ptimer holds TCNT + 1 and reloads TCOR + 1 (TmuChannel.ts), so its
 * step to 0 is the underflow and no load ever sets it to 0: the flags about zero counts
 * (immediate trigger or reload) never come into play and are left out. QEMU: LEGACY on TCNT
 * itself (X1).
 *
 * ## Not modelled, and what the guest sees instead
 * - Input capture (channel 2): TCPR2 reads 0 and is read-only, TCR2.ICPE stores and reads back
 *   (a non-zero write is an `unimplemented` event), TCR2.ICPF is never set, TICPI2 has no line
 *   (X12).
 * - The TCLK pin as an output (TOCR.TCOE = 1 puts the RTC clock out on it): TCOE stores and
 *   reads back, a write of 1 is an `unimplemented` event; `tclk` keeps feeding TPSC 7 (X11).
 * - The second block of the SH7750R/SH7751R (TMU3, TMU4 at 0xFE100000) and its TSTR2: another
 *   instance would be a two-channel variant whose layout was not checked.
 * - The prescaler's phase: Pφ's divider runs freely in hardware; here a start, a TCNT write or
 *   a new selection begins a full count (X2, X3, X4).
 * - Standby and module stop (STBCR.MSTP2), the interrupt controller (IPRA priorities) and bus
 *   timing: the lines are outputs, accesses take no time.
 * - The P4/area-7 aliases: one map at one base (X10).
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the test whose title starts with the tag (test/devices/sh-tmu/ShTmu.spec.ts unless
 * another file is named).
 * X1 Counting and period. TCNT counts down; the count after 0 is the underflow: TCNT takes TCOR
 *    and UNF rises in that one step, so a round is TCOR + 1 counts and the first underflow after
 *    a TCNT write of N comes N + 1 counts later (the manual's H'00000000 → H'FFFFFFFF
 *    underflow). TCNT reads N through the first count after the write and 0 through the last.
 *    QEMU: the interrupt comes as TCNT reaches 0 (TCOR counts a round) and TCNT reads one less
 *    between counts.
 * X2 TCOR and TCNT writes. A TCOR write changes nothing until the next underflow loads it. A
 *    TCNT write loads the counter at once, held or counting; a counting channel's next count is
 *    a full one from the write; TCNT = 0 makes the next count underflow. Nothing is stored in
 *    TCNT (its reads are the counter).
 * X3 TSTR. STRn = 1 counts channel n, 0 holds TCNT where it is; 0 -> 1 resumes from the held
 *    value with a full count. A write that leaves STRn as it is changes nothing for channel n
 *    (TSTR is shared: drivers read-modify-write it). QEMU: the same start and stop.
 * X4 Clock selection (TCR.TPSC, CKEG). 0-4 Pφ/4, /16, /64, /256, /1024; 5 reserved (the
 *    manual's "setting prohibited"): stored and read back, each TCR write carrying it is an
 *    `unimplemented` event `TCRn.TPSC=5 (…)`, and the channel holds (as on a stopped clock)
 *    until a valid selection; 6 the RTC output clock (`rtcclk`); 7 TCLK (`tclk`), counted once
 *    per cycle on one edge (CKEG 00 rising, 01 falling) or twice on both (CKEG 1x). The
 *    reference's table has 5 and 6 the other way round; NetBSD's tmureg.h (SH4 RTC = 6,
 *    TCLK = 7) and QEMU's own decode (6 and 7 external, 5 refused) agree on this one. A TCR
 *    write that changes the count rate re-times the channel from its reading with a full count
 *    (the partial count is lost); one that keeps it (Linux's interrupt handler writes TCR at
 *    every tick to clear UNF) leaves the count alone. QEMU: every TCR write stops and restarts a
 *    counting channel, losing the partial count each time, so Linux's periodic tick drifts; TPSC
 *    5 is a hardware error and 6/7 count Pφ undivided.
 * X5 UNF and TUNIn. Every underflow sets UNF, whatever UNIE says; writing 0 to UNF clears it,
 *    writing 1 keeps it; reading TCR clears nothing. TUNIn is UNF & UNIE, a level: an
 *    underflow while UNF is set changes nothing. QEMU: UNF is only set while UNIE is 1, so a
 *    guest polling UNF with the interrupt disabled never sees an underflow.
 * X6 Clocks. A rate change of the selected clock re-times the channel from its reading with a
 *    full count; 0 Hz holds it (the kit's CounterRate rule); a change of an unselected clock
 *    changes nothing. Defaults: Pφ 60 MHz, RTC output 16 384 Hz, TCLK 0 Hz. QEMU: Pφ only
 *    (60 MHz on r2d), no RTC clock, TCLK as Pφ.
 * X7 Reset. TOCR 0, TSTR 0, TCORn and TCNTn 0xFFFFFFFF, TCRn 0 (Pφ/4, UNIE 0, UNF 0), TCPR2 0,
 *    every channel held, lines low. QEMU: no reset handler, and before the first TCR write TCR
 *    reads garbage (its TCPR2 start value, 0xDEADBEEF, written into TCR).
 * X8 Access sizes and guest errors (ShTmu.guestErrors.spec.ts). Each register takes its own
 *    width: TOCR and TSTR 8-bit, TCRn 16-bit, TCORn, TCNTn and TCPR2 32-bit; any other size is
 *    a `bad-size` guest error, an offset with no register `unmapped`, a TCPR2 write
 *    `read-only`. Reserved bits read 0 and ignore writes, without an event.
 * X9 G1. A read at an underflow instant shows TCNT 0 and UNF 0 when ordered before the
 *    underflow, TCOR and UNF 1 after it: never a mix. (ShTmu.harness.spec.ts)
 * X10 Aliases. The SH7750 decodes the block at P4 0xFFD80000 and area 7 0x1FD80000, the same
 *    registers. The device is one map at one base; the address decode is the system's (map it
 *    where the guest looks; the default scenario puts it at 0x40110000).
 * X11 TOCR.TCOE: stored, not acted on (see "Not modelled").
 * X12 Input capture: not modelled (see "Not modelled"); ICPF, which only a capture sets, stays 0.
 *
 * ## Departures from QEMU
 * The period and reads (X1), TCR writes (X4), TPSC 5-7 and the clocks (X4, X6), UNF with UNIE 0
 * (X5), reset (X7); the guest errors of X8 are this model's (QEMU's region states no access
 * sizes, and an offset with no register stops QEMU with a hardware error).
 *
 * ## Snapshots
 * {@link ShTmuSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it:
 * - `pclkHz`, `rtcclkHz`, `tclkHz` are the inputs' rates now;
 * - TCNTn stores nothing (its reads are the counter) and TCPR2 keeps 0; TCR2.ICPF is 0;
 * - each counter reloads TCORn + 1 and holds TCNT + 1 (1 to 2^32); its period is one count of
 *   the clock TCRn selects, when that clock runs; it runs periodic while STRn is 1 and the
 *   selection counts something, and is stopped otherwise;
 * - TOCR, TSTR, TCORn, TCRn (but ICPF) may hold anything.
 *
 * ## Device kit
 * A KitDevice (RegisterBank on SH_TMU_REGISTERS, EventOutlet), three channelTimers (`<name>.tmu0`
 * … `.tmu2`), a CounterRate each; `dispose()` ends the clock watches and the timers.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: TCNT's reload, UNF and
 * TUNIn change in the expiry step itself, G1); 'bottom-half' exists only to show the LP
 * #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  checkDeviceOptions,
  expectResetValues,
  expectSame,
  refuseSnapshot,
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
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { SH_TMU_REGISTERS } from './SH_TMU_REGISTERS';
import { checkTmuChannel, TmuChannel, TPSC_RESERVED, type TmuClockRates } from './TmuChannel';

/** The counters' policy flags, one reason each (X1). */
export const SH_TMU_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // TCNT reads the hardware count: N through the first count after a write of N, 0 through the last before the underflow (X1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link ShTmuSnapshot} format version. */
export const SH_TMU_SNAPSHOT_VERSION = 1;

/** The TMU's whole state as plain, versioned data. */
export interface ShTmuSnapshot extends DeviceSnapshot {
  readonly version: typeof SH_TMU_SNAPSHOT_VERSION;
  /** The register bank (TCNTn and TCPR2 keep their reset values: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The three counters, channel 0 first, each holding TCNT + 1. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** Pφ when the snapshot was taken; restore requires the input to be at it. */
  readonly pclkHz: number;
  /** The RTC output clock when the snapshot was taken; restore requires the input to be at it. */
  readonly rtcclkHz: number;
  /** TCLK when the snapshot was taken; restore requires the input to be at it. */
  readonly tclkHz: number;
}

/** Options of {@link ShTmu}. */
export interface ShTmuOptions {
  /** Instance name, the `source` of its events (default `'sh-tmu'`). */
  readonly name?: string;
  /** Pφ, the peripheral clock (TPSC 0-4); rate changeable at run time, 0 Hz = stopped. Default 60 MHz (X6). */
  readonly pclk?: ClockInput;
  /** The on-chip RTC output clock (TPSC 6). Default 16 384 Hz (X6). */
  readonly rtcclk?: ClockInput;
  /** The external clock on the TCLK pin (TPSC 7). Default 0 Hz, nothing on the pin (X6). */
  readonly tclk?: ClockInput;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof SH_TMU_REGISTERS>;
type Index = 0 | 1 | 2;
const INDICES: readonly Index[] = [0, 1, 2];
/** The timers' name suffixes, by channel. */
const TIMER_SUFFIXES = ['.tmu0', '.tmu1', '.tmu2'] as const;
const CHANNELS = 'channel 0, channel 1, channel 2';

/** Each channel's registers by role (TCOR0, …). */
const REG = SH_TMU_REGISTERS.channels.CH;
const ICPF = SH_TMU_REGISTERS.byName.TCR2.fieldByName.ICPF.mask;
const TPSC = SH_TMU_REGISTERS.byName.TCR0.fieldByName.TPSC;

/** Pφ's default: the SH7751R's on QEMU's r2d board (X6). */
const DEFAULT_PCLK_HZ = 60_000_000;
/** The RTC output clock's default: NetBSD's SH_RTC_CLOCK (X6). */
const DEFAULT_RTCCLK_HZ = 16_384;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(SH_TMU_REGISTERS);

/** Registers that store nothing: TCNTn (computed reads) and TCPR2 (no capture, X12). */
const FIXED = SH_TMU_REGISTERS.registers.filter((r) => /^(TCNT\d|TCPR2)$/.test(r.name));

/**
 * The SuperH TMU (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a channel's underflow, TCNT's reload, UNF
 * and TUNIn change in one step at that instant; `bottom-half` exists only to show the race.
 * G2/G3 — each register write changes its channel in one transaction; no write underflows.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const tmu = new ShTmu(clock);                         // Pφ 60 MHz: Pφ/4 counts of 66⅔ ns
 * tmu.write(0x10, 2, 0x0020);                            // TCR0: Pφ/4, UNIE
 * tmu.write(0x08, 4, 149);                               // TCOR0: rounds of 150 counts (10 µs)
 * tmu.write(0x0c, 4, 149);                               // TCNT0: the first round too
 * tmu.write(0x04, 1, 0x01);                              // TSTR: start channel 0
 * clock.advanceTo(10_000);                               // the underflow: UNF set, TUNI0 rises
 * tmu.write(0x10, 2, 0x0020);                            // TCR0 with UNF 0: acknowledged
 * ```
 */
export class ShTmu extends KitDevice<Registers, {
  /** {@link ShTmu.tuni0}. */
  tuni0: IrqLine;
  /** {@link ShTmu.tuni1}. */
  tuni1: IrqLine;
  /** {@link ShTmu.tuni2}. */
  tuni2: IrqLine;
}> {
  /**
   * Creates the TMU with its registers at their reset values and every channel held.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, clock inputs, trigger delivery, timing
   * @throws DeviceConfigError for an empty or non-string `name`, a clock that is not a ClockInput, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: ShTmuOptions = {}) {
    checkDeviceOptions('ShTmu', options, { name: 'name?', pclk: 'clock?', rtcclk: 'clock?', tclk: 'clock?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'sh-tmu');
    this.pclk = options.pclk ?? new ClockInput(`${this.name}.pclk`, DEFAULT_PCLK_HZ);
    this.rtcclk = options.rtcclk ?? new ClockInput(`${this.name}.rtcclk`, DEFAULT_RTCCLK_HZ);
    this.tclk = options.tclk ?? new ClockInput(`${this.name}.tclk`, 0);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One wiring for the three timers, names one string piece each (#19).
    this.timers = this.attachTimers(INDICES.map((i) => this.name + TIMER_SUFFIXES[i]), {
      policy: SH_TMU_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: ShTmu.expired,
    }) as [PTimer, PTimer, PTimer];
    const bank = this.attachBank(SH_TMU_REGISTERS, ShTmu.HOOKS);
    const rates = (): TmuClockRates => ({ pclk: this.pclk.hz, rtcclk: this.rtcclk.hz, tclk: this.tclk.hz });
    this.channels = INDICES.map(
      (i) => new TmuChannel({ bank, index: i, names: REG[i], timer: this.timers[i], rates }),
    ) as unknown as readonly [TmuChannel, TmuChannel, TmuChannel];
    this.tuni0 = new IrqLine(`${this.name}.TUNI0`);
    this.tuni1 = new IrqLine(`${this.name}.TUNI1`);
    this.tuni2 = new IrqLine(`${this.name}.TUNI2`);
    this.reset();
    // reset() applied the current rates; each later change re-times the channels counting that clock at its instant.
    for (const input of [this.pclk, this.rtcclk, this.tclk]) this.followClock(input, ShTmu.clockChanged);
  }

  /** An input changed rate: every channel re-timed (one function for every instance, #19). */
  private static readonly clockChanged = (d: ShTmu): void => d.syncAll();

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<ShTmu>();
    return build.of(SH_TMU_REGISTERS, {
      TSTR: { write: (d) => d.syncAll() },
      ...build.channels(SH_TMU_REGISTERS, 'CH', (i) => ({
        TCOR: { write: (d) => d.channels[i].sync() },
        TCNT: { read: (d) => d.channels[i].value(), write: (d, v) => d.channels[i].load(v) },
        TCR: { write: (d, v) => d.onControl(i, v) },
      })),
    });
  })();

  /** Reset (X7): registers to their reset values, every channel held at TCNT 0xFFFFFFFF, lines low. */
  override reset(): void {
    this.bank.reset();
    for (const channel of this.channels) channel.reset();
    this.updateIrq();
  }

  snapshot(): ShTmuSnapshot {
    return {
      ...this.snapshotHead(SH_TMU_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot(), this.timers[2].snapshot()],
      pclkHz: this.pclk.hz,
      rtcclkHz: this.rtcclk.hz,
      tclkHz: this.tclk.hz,
    };
  }

  /**
   * Loads an {@link ShTmuSnapshot} taken at the clock's current time by a device of this name;
   * all or nothing (everything is checked before anything changes). The clock inputs are the
   * system's: set them to the snapshot's rates first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock rate that differs from its input's, a counter's own rules
   *   (`timers[i].<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'ShTmu', version: SH_TMU_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart(), snapshotPart()], CHANNELS),
      pclkHz: snapshotHz(),
      rtcclkHz: snapshotHz(),
      tclkHz: snapshotHz(),
    }));
    expectSame('pclkHz', s.pclkHz, this.pclk.hz, "the Pφ input's rate now in Hz");
    expectSame('rtcclkHz', s.rtcclkHz, this.rtcclk.hz, "the RTC output clock input's rate now in Hz");
    expectSame('tclkHz', s.tclkHz, this.tclk.hz, "the TCLK input's rate now in Hz");
    const views = INDICES.map((i) => this.checkTimer(this.timers[i], s.timers[i], `timers[${i}]`));
    const r = s.registers.registers;
    expectResetValues(r, FIXED);
    if ((r['TCR2']! & ICPF) !== 0) refuseSnapshot(registerPath('TCR2'), r['TCR2'], `must have ${registerPath('TCR2', 'ICPF')} 0: only an input capture sets it, and none is modelled (X12)`);
    const rates: TmuClockRates = { pclk: this.pclk.hz, rtcclk: this.rtcclk.hz, tclk: this.tclk.hz };
    for (const i of INDICES) {
      const started = ((r['TSTR']! >>> i) & 1) === 1;
      checkTmuChannel(r, started, views[i]!, rates, { names: REG[i], start: registerPath('TSTR', `STR${i}`) });
    }
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
      [this.timers[2], s.timers[2], 'timers[2]'],
    ]);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** TUNI0: channel 0's underflow interrupt, TCR0.UNF & TCR0.UNIE (X5). */
  readonly tuni0: IrqLine;
  /** TUNI1: channel 1's underflow interrupt, TCR1.UNF & TCR1.UNIE (X5). */
  readonly tuni1: IrqLine;
  /** TUNI2: channel 2's underflow interrupt, TCR2.UNF & TCR2.UNIE (X5). */
  readonly tuni2: IrqLine;
  /** The registers of {@link SH_TMU_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: ShTmu, i: number): void => d.onExpiry(i as Index);

  /** Channel `i` underflowed (in its callback context when delivery is sync): X1, X5. */
  private onExpiry(i: Index): void {
    this.channels[i].onExpiry();
    this.updateIrq();
  }

  /** TCRn write (field modes already applied: UNF cleared by a 0, X5): a reserved TPSC is reported (X4), then the channel follows the selection. */
  private onControl(i: Index, value: number): void {
    if ((value & TPSC.mask) >>> TPSC.lsb === TPSC_RESERVED) {
      this.outlet.record({
        kind: 'unimplemented',
        time: this.scheduler.now(),
        source: this.name,
        offset: SH_TMU_REGISTERS.byName[REG[i].TCR].offset,
        feature: `${REG[i].TCR}.TPSC=${TPSC_RESERVED} (reserved: the counter holds)`,
      });
    }
    this.channels[i].sync();
  }

  /** TSTR written or a clock changed: every channel follows its STRn bit and its selected clock (X3, X6). */
  private syncAll(): void {
    for (const channel of this.channels) channel.sync();
    this.updateIrq();
  }

  /** The output lines by name: `tuni0`, `tuni1`, `tuni2` (no combined line). */
  protected createLines() {
    return { tuni0: this.tuni0, tuni1: this.tuni1, tuni2: this.tuni2 };
  }

  /** `tmu0.tcnt` … `tmu2.tcnt` (32 bits): what a guest read of TCNTn returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // As TCNT's read hook (TmuChannel.value()): the ptimer holds TCNT + 1.
    return INDICES.map((i) => timerProbe(this.timers[i], { name: `tmu${i}.tcnt`, width: 32, value: (count) => count - 1n }));
  }

  /** The one place the outputs are computed (STYLE.md 18): TUNIn = UNF & UNIE of channel n. */
  protected updateIrq(): void {
    this.tuni0.set(this.channels[0].pending());
    this.tuni1.set(this.channels[1].pending());
    this.tuni2.set(this.channels[2].pending());
  }

  /** Pφ, the peripheral clock (TPSC 0-4). */
  readonly pclk: ClockInput;
  /** The on-chip RTC output clock (TPSC 6). */
  readonly rtcclk: ClockInput;
  /** The external clock on the TCLK pin (TPSC 7). */
  readonly tclk: ClockInput;
  /** The counters: channels 0, 1, 2, each holding TCNT + 1 (exposed for tests and traces; guests see them through TCNTn). */
  readonly timers: readonly [PTimer, PTimer, PTimer];
  /** Each channel's behaviour. */
  private readonly channels: readonly [TmuChannel, TmuChannel, TmuChannel];
}
