/**
 * Samsung Exynos4210 RTC, the tick timer: a 32-bit down-counter on the RTC's 32.768 kHz
 * crystal divided by 2^TICCKSEL, started by RTCCON.TICEN, reloading TICCNT, interrupting
 * (INTP.TIC, the tick interrupt) every TICCNT + 1 tick clocks. The calendar is modelled only as
 * far as the tick needs it: not at all (its registers are `unimplemented`, R6).
 *
 * Manual: Samsung Exynos4210 User's Manual, chapter "Real Time Clock" (the S3C6410/S5PV210 RTC
 * block; the S3C2410/S3C2440 manuals' "Tick Time Interrupt" sections give the period as
 * (n + 1) / tick clock). No text copy of the Exynos manual was available: the register layout
 * is the one QEMU's `exynos4210.rtc` and Linux's rtc-s3c.c (`s3c6410` data, which the
 * Exynos4210 device tree selects) agree on. QEMU was a cross-check only (behaviour, no code);
 * each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `xtal`: the RTC crystal (XrtcXTI), a {@link ClockInput}, default 32 768 Hz; the counter
 *   ticks at xtal / 2^TICCKSEL. Its rate may change at run time; 0 Hz holds the count (R5).
 * - `tick`: the tick interrupt, an {@link IrqLine} high while INTP.TIC is set (R3). The alarm
 *   interrupt is not modelled (no line).
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 10^9·2^TICCKSEL / xtal ns, 30 517.578125
 * ns at 32 768 Hz, not a whole number of ns: expiries fall on its floor. `timing: 'qemu'` (QEMU's
 * 64.32 fixed-point period, floored per countdown) drifts up to a ns per round
 * (Exynos4210Rtc.spec.ts, "timing …").
 *
 * ## Policy
 * {@link EXYNOS4210_RTC_POLICY}: the PWM timers' (W+O+R+D), for the same reasons (the counter is
 * the Samsung down-counter they share, devices/exynos4210-pwm/SamsungCounter.ts). QEMU: LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The calendar (BCD time, leap years, the 1 Hz counter) and the alarm: RTCALM, ALMSEC …
 *   ALMYEAR and BCDSEC … BCDYEAR ({@link EXYNOS4210_RTC_UNMODELLED}) are `unimplemented`
 *   events reading 0; INTP.ALM is never set.
 * - RTCCON's calendar and pin bits (CLKSEL, CNTSEL, CLKRST, CLKOUTEN): stored, each write of a
 *   1 is an `unimplemented` event, and the tick ignores them (R4).
 * - The tick's wake-up from power-down modes, and the phase of the crystal: the write that sets
 *   TICEN is a tick boundary.
 * Every other offset of the 256-byte region is an `unmapped` guest error (R8).
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/exynos4210-rtc/, titles start with the tag.
 * R1 Counting. TICEN 0 -> 1 loads TICCNT; each tick decrements the count; the decrement to 0
 *    sets INTP.TIC; the count rests at 0 for a tick, then reloads TICCNT: the first round is
 *    TICCNT ticks and every later one TICCNT + 1, the manuals' period (n + 1) / tick clock and
 *    what Linux relies on (TICCNT = 32 768 / freq - 1 for freq interrupts a second). It is the
 *    PWM timers' counter with auto-reload always on (their header's P1, P2). QEMU: a period of
 *    TICCNT ticks (LEGACY), CURTICCNT one less between ticks.
 * R2 TICEN and TICCNT. TICEN 0 -> 1 restarts the count from TICCNT; 1 -> 0 holds it
 *    (CURTICCNT keeps the value). A TICCNT write while counting changes the next reload, not
 *    the count (as QEMU, which loads TICCNT only at the enable and at each interrupt; the
 *    manual is silent [low]). TICCNT 0, outside the manual's range: the counter holds 0 and
 *    never interrupts (only a decrement reaches 0: the PWM header's P2). QEMU: TICCNT values
 *    up to 2 are refused (a guest-error log) and not stored; here every value is stored.
 * R3 The tick interrupt has no enable bit: the line is INTP.TIC, set at each decrement to 0 and
 *    cleared by a write of 1 (Linux's handler writes INTP with a byte access).
 * R4 CTLEN gates the CPU's writes to the calendar (the manual's RTC control enable), not the
 *    tick: the tick counts under TICEN whatever CTLEN is. QEMU: the tick runs only while its
 *    RTCEN (CTLEN) is 1 and stops when it is cleared (Linux's suspend clears both TICEN and
 *    CTLEN, so it sees no difference). CLKSEL, CNTSEL, CLKRST and CLKOUTEN do not touch the
 *    tick.
 * R5 Clock. TICCKSEL and `xtal` changes re-time a running count from its reading with a fresh
 *    tick (the kit's CounterRate rule; the partial tick is lost); 0 Hz holds the count.
 * R6 The calendar and alarm registers are `unimplemented` events (UnmodelledRegisters): the
 *    tick needs none of them. QEMU keeps BCD time from the host clock and an alarm.
 * R7 Reads at an instant with a decrement to 0 show the count before it when ordered before
 *    the expiry step, and 0 with INTP.TIC set after it: never a mix (G1). (harness spec)
 * R8 Access sizes: 8-, 16- and 32-bit on every register (Linux's driver reads and writes
 *    RTCCON as halfwords, INTP and the calendar as bytes, TICCNT as a word), each naturally
 *    aligned; 64-bit accesses are `bad-size`, unaligned ones `misaligned`, CURTICCNT writes
 *    `read-only` guest errors; offsets with no register `unmapped`.
 *
 * ## Departures from QEMU
 * The policy (R1), TICCNT values up to 2 stored (R2), the tick independent of CTLEN (R4), no
 * calendar or alarm (R6).
 *
 * ## Snapshots
 * {@link Exynos4210RtcSnapshot}, checked by one strict schema, by the counter's own rules
 * (`timer.<field>`) and by the invariants that hold by construction, each refused at the field
 * that breaks it: CURTICCNT at its reset value (it stores nothing); INTP.ALM 0 (never set);
 * the counter reloading TICCNT, counting at most 2^32, ticking at xtal / 2^TICCKSEL; stopped
 * while TICEN is 0 or xtal is stopped; otherwise periodic, and stopped only at 0 with TICCNT 0.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` ('sync' by default: INTP.TIC and the line change in
 * the expiry step itself, G1); 'bottom-half' exists only to show the race.
 *
 * ## Device kit
 * A PartialKitDevice (the shell on the prototype) on EXYNOS4210_RTC_REGISTERS, one deviceTimer
 * (`<name>.tick`) driven by the shared Samsung counter (and its CounterRate), the calendar's
 * registers left out (UnmodelledRegisters); `dispose()` ends the clock watch and the timer.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  deviceTimer,
  expectResetValues,
  expectSame,
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
  type TriggerDelivery,
} from '../../src/bus';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { checkSamsungCounter, SAMSUNG_COUNTER_POLICY, SamsungCounter, type SamsungCounterSetting } from '../exynos4210-pwm/SamsungCounter';
import { EXYNOS4210_RTC_REGISTERS, EXYNOS4210_RTC_UNMODELLED } from './EXYNOS4210_RTC_REGISTERS';

/** The tick counter's policy flags: the PWM timers', for the same reasons (R1). QEMU: LEGACY. */
export const EXYNOS4210_RTC_POLICY = SAMSUNG_COUNTER_POLICY satisfies readonly PTimerPolicy[];

/** Current {@link Exynos4210RtcSnapshot} format version. */
export const EXYNOS4210_RTC_SNAPSHOT_VERSION = 1;

/** The RTC crystal's rate, the `xtal` default. */
export const EXYNOS4210_RTC_XTAL_HZ = 32_768;

/** The RTC tick timer's whole state as plain, versioned data. */
export interface Exynos4210RtcSnapshot extends DeviceSnapshot {
  readonly version: typeof EXYNOS4210_RTC_SNAPSHOT_VERSION;
  /** The register bank (CURTICCNT stores nothing: the count is in `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The tick counter; it reloads TICCNT. */
  readonly timer: PTimerSnapshot;
  /** `xtal` when the snapshot was taken; restore requires the input to be at it. */
  readonly xtalHz: number;
}

/** Options of {@link Exynos4210Rtc}. */
export interface Exynos4210RtcOptions {
  /** The RTC crystal (XrtcXTI); rate changeable at run time, 0 Hz holds the count. Default 32 768 Hz. */
  readonly xtal?: ClockInput;
  /** Instance name, the `source` of its events (default `'exynos4210-rtc'`). */
  readonly name?: string;
  /** Delivery of the tick counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof EXYNOS4210_RTC_REGISTERS>;
type RegisterName = keyof Registers & string;

const { RTCCON, INTP, CURTICCNT } = EXYNOS4210_RTC_REGISTERS.byName;
const field = (f: { readonly mask: number; readonly lsb: number }, value: number): number => (value & f.mask) >>> f.lsb;
const TICEN = RTCCON.fieldByName.TICEN;
const TICCKSEL = RTCCON.fieldByName.TICCKSEL;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(EXYNOS4210_RTC_REGISTERS);

/** The tick counter's setting from register values (the bank's, or a snapshot's) and the crystal's rate (R1, R5). */
const settingFrom = (get: (name: RegisterName) => number, xtalHz: number): SamsungCounterSetting => ({
  reload: get('TICCNT'),
  start: field(TICEN, get('RTCCON')) === 1,
  autoReload: true,
  hold: false,
  hz: xtalHz,
  divisor: 2 ** field(TICCKSEL, get('RTCCON')),
});

/**
 * The Exynos4210 RTC's tick timer (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (at a decrement to 0, CURTICCNT reading 0,
 * INTP.TIC and the `tick` line change in one step); G2/G3 through the counter's transactions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const rtc = new Exynos4210Rtc(clock);               // 32 768 Hz crystal
 * rtc.write(0x44, 4, 32);                             // TICCNT
 * rtc.write(0x40, 2, 1 << 8);                         // RTCCON.TICEN: 32 ticks to the first interrupt
 * rtc.write(0x44, 4, 31);                             // then one every 32 ticks: 1024 Hz
 * clock.advanceTo(976_563);                           // ⌊32 · 30 517.578125⌋ ns
 * rtc.tick.level;                                     // true (INTP.TIC)
 * ```
 */
export class Exynos4210Rtc extends PartialKitDevice<Registers, {
  /** {@link Exynos4210Rtc.tick}: a tick interrupt is pending. */
  tick: IrqLine;
}> {
  /**
   * Creates the RTC with its registers at their reset values and the tick counter stopped at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - crystal input, name, trigger delivery, timing
   * @throws DeviceConfigError for an `xtal` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Exynos4210RtcOptions = {}) {
    checkDeviceOptions('Exynos4210Rtc', options, { xtal: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'exynos4210-rtc');
    this.xtal = options.xtal ?? new ClockInput(`${this.name}.xtal`, EXYNOS4210_RTC_XTAL_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.tick`,
      policy: EXYNOS4210_RTC_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.counter = new SamsungCounter(this.timer);
    this.attachBank(EXYNOS4210_RTC_REGISTERS, {
      RTCCON: { write: (value, old) => this.sync(field(TICEN, value) === 1 && field(TICEN, old) === 0) },
      TICCNT: { write: () => this.sync() },
      CURTICCNT: { read: () => this.counter.count() },
    });
    this.attachUnmodelled({
      registers: EXYNOS4210_RTC_UNMODELLED,
      what: 'the calendar and the alarm',
      sizes: [1, 2, 4],
    });
    this.tick = new IrqLine(`${this.name}.tick`);
    this.reset();
    // reset() applied the current rate; each later change re-times a running count (R5).
    this.lifetime.add(this.xtal.watch(() => this.sync()));
  }

  /** Reset: registers to 0, the tick counter stopped at 0, the line low. */
  override reset(): void {
    this.bank.reset();
    this.sync(true);
  }

  /** Registers, the tick counter and the crystal's rate, as plain versioned data. */
  snapshot(): Exynos4210RtcSnapshot {
    return {
      ...this.snapshotHead(EXYNOS4210_RTC_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      xtalHz: this.xtal.hz,
    };
  }

  /**
   * Loads an {@link Exynos4210RtcSnapshot} taken at the clock's current time by an RTC of this
   * name; all or nothing (everything is checked before anything changes). The crystal input is
   * the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the crystal's rate, the counter's own rules (`timer.<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Exynos4210Rtc', version: EXYNOS4210_RTC_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), xtalHz: snapshotHz() }));
    expectSame('xtalHz', s.xtalHz, this.xtal.hz, "the xtal input's frequency now");
    const view = this.checkTimer(this.timer, s.timer, 'timer');
    const r = s.registers.registers;
    expectResetValues(r, [CURTICCNT]);
    if ((r.INTP! & INTP.fieldByName.ALM.mask) !== 0) {
      refuseSnapshot(registerPath('INTP'), r.INTP, `must have ${registerPath('INTP', 'ALM')} 0: the alarm is not modelled, so it is never set`);
    }
    checkSamsungCounter(view, settingFrom((name) => r[name]!, this.xtal.hz), {
      reload: registerPath('TICCNT'),
      start: registerPath('RTCCON', 'TICEN'),
      clock: `xtal ${this.xtal.hz} Hz ÷ 2^${registerPath('RTCCON', 'TICCKSEL')}`,
      mode: '(the tick counter always reloads TICCNT, R1)',
    });
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.counter.adopt(this.settingOf());
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The tick interrupt: INTP.TIC (R3). */
  readonly tick: IrqLine;
  /** The registers of {@link EXYNOS4210_RTC_REGISTERS}, in map order (the calendar's are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The decrement to 0 (in the timer's callback context when delivery is sync): INTP.TIC rises (R1, R3). */
  private onExpiry(): void {
    this.bank.setField('INTP', 'TIC', 1);
    this.updateIrq();
  }

  /**
   * Brings the tick counter in line with RTCCON, TICCNT and the crystal (R1, R2, R4, R5).
   * @param load - TICEN has just been set (or the RTC reset): the count takes TICCNT
   */
  private sync(load = false): void {
    this.counter.sync(this.settingOf(), load);
    this.updateIrq();
  }

  private settingOf(): SamsungCounterSetting {
    return settingFrom((name) => this.bank.get(name), this.xtal.hz);
  }

  /** The output line by name: `tick` is {@link Exynos4210Rtc.tick}. */
  protected createLines() {
    return { tick: this.tick };
  }

  /** `tick.count` (32 bits): what a guest read of CURTICCNT returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // CURTICCNT as its read hook (SamsungCounter.count()) shows it.
    return [timerProbe(this.timer, { name: 'tick.count', width: 32 })];
  }

  /** The one place the output is computed (STYLE.md 18): the line is INTP.TIC (R3). */
  protected updateIrq(): void {
    this.tick.set(this.bank.field('INTP', 'TIC') === 1);
  }

  /** The RTC crystal input. */
  readonly xtal: ClockInput;
  /** The tick counter (exposed for tests and traces; guests see it through CURTICCNT). */
  readonly timer: PTimer;
  private readonly counter: SamsungCounter;
}
