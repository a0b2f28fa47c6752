/**
 * Samsung Exynos4210 PWM timers: five 32-bit down-counters (timers 0-3 with a compare buffer
 * and an output pin, timer 4 internal), two 8-bit prescalers, a divider per timer,
 * double-buffered count registers loaded by a manual-update bit, auto-reload, and one
 * interrupt per timer with its enable and status in TINT_CSTAT.
 *
 * Manual: Samsung Exynos4210 User's Manual, chapter "Pulse Width Modulation Timer" (the
 * S3C/S5P PWM timer block; the S3C2410/S3C6410 manuals' "PWM Timer" chapters describe the same
 * counter: "Basic Timer Operation", "Auto-reload and Double Buffering", "Timer Initialization
 * Using Manual Update Bit"). No text copy of the Exynos manual was available: the register
 * layout is the one QEMU's `exynos4210.pwm` and Linux's samsung_pwm_timer.c (`s5p` variant,
 * compatible "samsung,exynos4210-pwm") agree on, and the counting facts come from the S3C
 * manuals and from what Linux's driver relies on (see P1, P2). QEMU was a cross-check only
 * (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `pclk`: the block's input clock (a {@link ClockInput}, rate changeable at run time, 0 Hz
 *   holds every count), default 100 MHz (the Exynos4210's ACLK_100, which feeds the PWM block:
 *   Linux's "timers" clock [med]). Timer n ticks at pclk / (prescaler + 1) / 2^DIV_MUXn
 *   (prescaler 0 for timers 0 and 1, prescaler 1 for timers 2-4).
 * - `irq0` … `irq4`: one {@link IrqLine} per timer, TIMERn_INT_STAT && TIMERn_INT_EN (P6); no
 *   combined output (the SoC's interrupt combiner is not part of the block).
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 10^9·(prescaler + 1)·2^mux / pclk ns.
 * At the default 100 MHz every tick is whole ns and both timings agree; QEMU's 24 MHz
 * (41⅔ ns) is where `timing: 'qemu'` (QEMU's 64.32 fixed-point period, floored per countdown)
 * differs by up to a ns per countdown (Exynos4210Pwm.spec.ts, "timing …").
 *
 * ## Policy
 * {@link EXYNOS4210_PWM_POLICY} (W+O+R+D, one reason per flag there): the count rests at 0 for a
 * tick before it reloads, only a decrement to 0 interrupts, a 0 count waits a tick before it
 * reloads, and TCNTO reads the hardware count. QEMU runs these timers LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The TOUT0-3 pins (the PWM waveforms): TCMPBn is stored and reads back, silently (Linux's
 *   timer driver writes it at every set-up, P7); the output inverters (TCON.INVERTERn), the
 *   dead-zone generator (TCON.DEAD_ZONE, TCFG0.DEAD_ZONE_LENGTH) are stored, and each write of
 *   a non-zero value to them is an `unimplemented` event.
 * - SCLK_PWM, the external clock DIV_MUX 5 selects, and the reserved encodings 6-15: stored,
 *   reported as `unimplemented`, and the timer holds its count while one is selected (P5).
 * - The interrupt combiner and GIC routing: each line is an output.
 * - The phase of PCLK and of the prescaler: the instant of the write that starts a timer is a
 *   tick boundary (the manual's start latency "within the timer resolution" is not modelled).
 * Every other offset of the 4 KiB region is an `unmapped` guest error (P9).
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/exynos4210-pwm/, titles start with the tag.
 * P1 Counting. A manual update loads TCNTBn into the count; each tick decrements it; the
 *    decrement to 0 sets TIMERn_INT_STAT; with auto-reload the count then rests at 0 for one
 *    tick and loads TCNTBn, so the first round after a start is TCNTBn ticks and every later
 *    one TCNTBn + 1 (the S3C manuals: at 0 the buffer is loaded "at the next timer tick").
 *    Linux relies on it: its periodic tick writes TCNTB = rate/HZ - 1 and its clocksource
 *    TCNTB = 0xFFFFFFFF for a 2^32-tick wrap. TCNTBn is double-buffered: a write changes the
 *    next reload, not the count (except while a manual update holds it, P3). QEMU: LEGACY, a
 *    period of TCNTBn ticks and TCNTO reading one less between ticks (the reference's "every
 *    period one tick short").
 * P2 Start and auto-reload. START 0 holds the count; 1 counts on from it (no reload). Without
 *    auto-reload the count stops at 0 after its interrupt and START stays 1 (the manual: the
 *    timer "does not operate any further"); QEMU clears START there. A count at 0 never
 *    interrupts again until a decrement brings it there: a timer started at 0 without
 *    auto-reload, or with a reload value of 0, holds 0 silently (Linux programs at least one
 *    tick because a 0 "would not generate any timer interrupt"); with auto-reload and a reload
 *    value above 0 a 0 count waits a tick, then reloads silently. AUTO_RELOAD changed on a
 *    running timer changes only what happens at its next 0.
 * P3 Manual update is a level: while MANUAL_UPDATEn is 1 the count is TCNTBn (a TCNTBn write
 *    shows in TCNTOn at once) and does not move, started or not (the manual asks for the bit to
 *    be cleared by the next write, as Linux's start does). QEMU: only its 0 -> 1 edge loads,
 *    and a START set in the same write counts from there.
 * P4 Rates. TCFG0, TCFG1 and `pclk` changes re-time a running count from its reading with a
 *    fresh tick (the kit's CounterRate rule; the partial tick is lost); a write that keeps a
 *    timer's rate leaves it alone; 0 Hz holds every count. A TCNTBn write in the tick at 0
 *    after an interrupt leaves that tick at 0 and the reload ending it at the value held at 0
 *    (the S3C manuals: the buffer is copied "at 0" and loaded at the next tick); TCNTOn reads 0
 *    there. A stop or a new rate in such a tick holds 0, and the reload one tick after the
 *    count goes on takes TCNTBn's new value: the copy made at 0 is not kept past the tick.
 * P5 DIV_MUXn 5 (SCLK_PWM) and 6-15 (reserved): stored, one `unimplemented` event per write
 *    selecting one (`TCFG1.DIV_MUXn=5 (…)`), and the timer holds its count while selected.
 *    QEMU: divides by 2^DIV_MUXn whatever it is.
 * P6 Interrupts. TIMERn_INT_STAT rises at every decrement to 0 of timer n, whatever its
 *    enable, and clears by a write of 1; line n is STAT && EN, so enabling a pending status
 *    raises it. QEMU: enabling does not raise a pending interrupt.
 * P7 TCMPBn: stored, no effect, no event (the compare only shapes TOUTn).
 * P8 Reads at an instant with a decrement to 0 show the count before it when ordered before
 *    the expiry step, and 0 with the status set after it: never a mix (G1). (harness spec)
 * P9 Access sizes: 32-bit only (the registers are words; Linux uses readl/writel); others are
 *    `bad-size` guest errors; TCNTOn writes are `read-only` guest errors (Linux's set-up of
 *    timer 4 writes its "TCMPB4" at 0x40, TCNTO4: one such error per set-up, changing
 *    nothing); offsets with no register are `unmapped`. QEMU takes any size and logs bad
 *    offsets.
 *
 * ## Departures from QEMU
 * The policy (P1), START kept after a one-shot (P2), the manual update as a level (P3), the
 * enable raising a pending interrupt (P6), SCLK_PWM not divided (P5), PCLK at 100 MHz instead of
 * a fixed 24 MHz (P4), 32-bit accesses only (P9).
 *
 * ## Snapshots
 * {@link Exynos4210PwmSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it: TCNTOn at their reset values (they store nothing); each counter
 * reloading TCNTBn, counting at most 2^32, ticking at pclk / (prescaler + 1) / 2^mux when it
 * has a clock; held at TCNTBn and stopped under a manual update; stopped when not started or
 * without a clock; otherwise one-shot exactly without auto-reload, and stopped only at a 0
 * nothing reloads.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` ('sync' by default: the status and the line change in
 * the expiry step itself, G1); 'bottom-half' exists only to show the race.
 *
 * ## Device kit
 * A KitDevice (the shell on the prototype) on EXYNOS4210_PWM_REGISTERS, five deviceTimers
 * (`<name>.timer0` …), a CounterRate each (in the shared Samsung counter,
 * devices/exynos4210-pwm/SamsungCounter.ts, which the RTC's tick counter uses too); `dispose()`
 * ends the clock watch and the timers.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  deviceHooks,
  expectResetValues,
  expectSame,
  fieldHandle,
  registerHandle,
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
import { EXYNOS4210_PWM_REGISTERS } from './EXYNOS4210_PWM_REGISTERS';
import { checkSamsungCounter, SAMSUNG_COUNTER_POLICY, SamsungCounter, type SamsungCounterSetting } from './SamsungCounter';

/** The counters' policy flags (see SamsungCounter.ts for a reason per flag; P1, P2). QEMU: LEGACY. */
export const EXYNOS4210_PWM_POLICY = SAMSUNG_COUNTER_POLICY satisfies readonly PTimerPolicy[];

/** Current {@link Exynos4210PwmSnapshot} format version. */
export const EXYNOS4210_PWM_SNAPSHOT_VERSION = 1;

/** The PCLK rate the block gets on the Exynos4210 (ACLK_100), the `pclk` default. */
export const EXYNOS4210_PWM_PCLK_HZ = 100_000_000;

/** The five counters, timer 0 first. */
type Five<T> = readonly [T, T, T, T, T];

/** The PWM timers' whole state as plain, versioned data. */
export interface Exynos4210PwmSnapshot extends DeviceSnapshot {
  readonly version: typeof EXYNOS4210_PWM_SNAPSHOT_VERSION;
  /** The register bank (TCNTOn store nothing: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The five counters; each reloads its TCNTBn. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** `pclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly pclkHz: number;
}

/** Options of {@link Exynos4210Pwm}. */
export interface Exynos4210PwmOptions {
  /** The block's input clock; rate changeable at run time, 0 Hz holds the counts. Default 100 MHz (QEMU: a fixed 24 MHz). */
  readonly pclk?: ClockInput;
  /** Instance name, the `source` of its events (default `'exynos4210-pwm'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Index = 0 | 1 | 2 | 3 | 4;
const INDICES: readonly Index[] = [0, 1, 2, 3, 4];
/** The timers' name suffixes, by timer. */
const TIMER_SUFFIXES = ['.timer0', '.timer1', '.timer2', '.timer3', '.timer4'] as const;
const TIMERS = 'timer 0, timer 1, timer 2, timer 3, timer 4';

type Registers = RegisterShapeOf<typeof EXYNOS4210_PWM_REGISTERS>;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  TINT_CSTAT: registerHandle(EXYNOS4210_PWM_REGISTERS, 'TINT_CSTAT'),
} as const;
type RegisterName = keyof Registers & string;

const R = EXYNOS4210_PWM_REGISTERS.byName;
const T = EXYNOS4210_PWM_REGISTERS.channels.T;
/** Each timer's count buffer and count observation. */
const TCNTB: Five<RegisterName> = [T[0].TCNTB, T[1].TCNTB, T[2].TCNTB, T[3].TCNTB, 'TCNTB4'];
const TCNTO: Five<RegisterName> = [T[0].TCNTO, T[1].TCNTO, T[2].TCNTO, T[3].TCNTO, 'TCNTO4'];

const TCON = R.TCON.fieldByName;
const field = (f: { readonly mask: number; readonly lsb: number }, value: number): number => (value & f.mask) >>> f.lsb;
const START = INDICES.map((n) => TCON[`START${n}`]);
const MANUAL_UPDATE = INDICES.map((n) => TCON[`MANUAL_UPDATE${n}`]);
const AUTO_RELOAD = INDICES.map((n) => TCON[`AUTO_RELOAD${n}`]);
const DIV_MUX = INDICES.map((n) => R.TCFG1.fieldByName[`DIV_MUX${n}`]);
const PRESCALER = [R.TCFG0.fieldByName.PRESCALER0, R.TCFG0.fieldByName.PRESCALER1] as const;
const INT_EN = INDICES.map((n) => R.TINT_CSTAT.fieldByName[`TIMER${n}_INT_EN`]);
const INT_STAT = INDICES.map((n) => R.TINT_CSTAT.fieldByName[`TIMER${n}_INT_STAT`]);
/** The same as handles, for the expiry path. */
const INT_STAT_HANDLES = INDICES.map((n) => fieldHandle(EXYNOS4210_PWM_REGISTERS, 'TINT_CSTAT', `TIMER${n}_INT_STAT`));
/** Timer `n`'s interrupt output in TINT_CSTAT `cstat`: its status bit and its enable (a function, not a closure per update, #19). */
const irqLevel = (cstat: number, n: Index): boolean => field(INT_STAT[n]!, cstat) === 1 && field(INT_EN[n]!, cstat) === 1;

/** The largest DIV_MUX that divides PCLK (÷16); 5 is SCLK_PWM, 6-15 reserved (P5). */
const LAST_DIVIDER = 4;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(EXYNOS4210_PWM_REGISTERS);

/** Registers that store nothing: the count observations (reads are computed). */
const FIXED = TCNTO.map((name) => R[name]);

/** The prescaler that feeds timer n: prescaler 0 for timers 0 and 1, prescaler 1 for timers 2-4. */
const prescalerOf = (n: Index): (typeof PRESCALER)[number] => PRESCALER[n < 2 ? 0 : 1];

/**
 * The Exynos4210 PWM timers (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (at a decrement to 0, TCNTOn reading 0,
 * TIMERn_INT_STAT and line n change in one step); G2/G3 through the timers' transactions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const pwm = new Exynos4210Pwm(clock);                   // PCLK 100 MHz
 * pwm.write(0x00, 4, 0);                                 // TCFG0: prescalers ÷1
 * pwm.write(0x30, 4, 99);                                // TCNTB3
 * pwm.write(0x08, 4, 1 << 17);                           // TCON: manual update of timer 3
 * pwm.write(0x44, 4, 1 << 3);                            // TINT_CSTAT: timer 3's interrupt enabled
 * pwm.write(0x08, 4, (1 << 16) | (1 << 19));             // TCON: start timer 3 with auto-reload
 * clock.advanceTo(990);                                  // 99 ticks of 10 ns: the count reaches 0
 * pwm.irq3.level;                                        // true; then every 100 ticks
 * ```
 */
export class Exynos4210Pwm extends KitDevice<Registers, {
  /** {@link Exynos4210Pwm.irq0}. */
  irq0: IrqLine;
  /** {@link Exynos4210Pwm.irq1}. */
  irq1: IrqLine;
  /** {@link Exynos4210Pwm.irq2}. */
  irq2: IrqLine;
  /** {@link Exynos4210Pwm.irq3}. */
  irq3: IrqLine;
  /** {@link Exynos4210Pwm.irq4}. */
  irq4: IrqLine;
}> {
  /**
   * Creates the block with its registers at their reset values and every counter stopped at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - PCLK input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `pclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Exynos4210PwmOptions = {}) {
    checkDeviceOptions('Exynos4210Pwm', options, { pclk: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'exynos4210-pwm');
    this.pclk = options.pclk ?? new ClockInput(`${this.name}.pclk`, EXYNOS4210_PWM_PCLK_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One wiring for the five timers, names one string piece each (#19).
    this.timers = this.attachTimers(INDICES.map((n) => this.name + TIMER_SUFFIXES[n]), {
      policy: EXYNOS4210_PWM_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: Exynos4210Pwm.expired,
    }) as unknown as Five<PTimer>;
    this.counters = INDICES.map((n) => new SamsungCounter(this.timers[n])) as unknown as Five<SamsungCounter>;
    this.attachBank(EXYNOS4210_PWM_REGISTERS, Exynos4210Pwm.HOOKS);
    this.irq0 = new IrqLine(`${this.name}.irq0`);
    this.irq1 = new IrqLine(`${this.name}.irq1`);
    this.irq2 = new IrqLine(`${this.name}.irq2`);
    this.irq3 = new IrqLine(`${this.name}.irq3`);
    this.irq4 = new IrqLine(`${this.name}.irq4`);
    this.reset();
    // reset() applied the current rate; each later change re-times the running counts (P4).
    this.followClock(this.pclk, Exynos4210Pwm.clockChanged);
  }

  /** PCLK changed rate: the running counts re-timed (one function for every instance, #19). */
  private static readonly clockChanged = (d: Exynos4210Pwm): void => d.syncAll();

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const counts = Object.fromEntries(INDICES.map((n) => [TCNTO[n], { read: (d: Exynos4210Pwm) => d.counters[n].count() }]));
    const buffers = Object.fromEntries(INDICES.map((n) => [TCNTB[n], { write: (d: Exynos4210Pwm) => d.syncTimer(n) }]));
    return deviceHooks<Exynos4210Pwm>().of(EXYNOS4210_PWM_REGISTERS, {
      ...counts,
      ...buffers,
      TCFG0: { write: (d) => d.syncAll() },
      TCFG1: { write: (d, value) => d.onDividers(value) },
      TCON: { write: (d) => d.syncAll() },
    });
  })();

  /** Reset: registers to their reset values (TCFG0 0x101, the rest 0), every counter stopped at 0, the lines low. */
  override reset(): void {
    this.bank.reset();
    for (const n of INDICES) this.counters[n].sync(this.settingOf(n), true);
    this.updateIrq();
  }

  /** Registers, the five counters and the PCLK rate, as plain versioned data. */
  snapshot(): Exynos4210PwmSnapshot {
    return {
      ...this.snapshotHead(EXYNOS4210_PWM_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot(), this.timers[2].snapshot(), this.timers[3].snapshot(), this.timers[4].snapshot()],
      pclkHz: this.pclk.hz,
    };
  }

  /**
   * Loads an {@link Exynos4210PwmSnapshot} taken at the clock's current time by a block of this
   * name; all or nothing (everything is checked before anything changes). The PCLK input is the
   * system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the PCLK rate, a counter's own rules (`timers[i].<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Exynos4210Pwm', version: EXYNOS4210_PWM_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart(), snapshotPart(), snapshotPart(), snapshotPart()], TIMERS),
      pclkHz: snapshotHz(),
    }));
    expectSame('pclkHz', s.pclkHz, this.pclk.hz, "the pclk input's frequency now");
    const views = INDICES.map((n) => this.checkTimer(this.timers[n], s.timers[n], `timers[${n}]`));
    const r = s.registers.registers;
    expectResetValues(r, FIXED);
    for (const n of INDICES) {
      const setting = settingFrom((name) => r[name]!, n, this.pclk.hz);
      const mux = field(DIV_MUX[n]!, r.TCFG1!);
      const clock = mux > LAST_DIVIDER ? `${registerPath('TCFG1', `DIV_MUX${n}`)} ${mux} selects a clock that is not modelled` : `pclk ${this.pclk.hz} Hz ÷ (${registerPath('TCFG0', prescalerOf(n).name)} + 1) ÷ 2^${registerPath('TCFG1', `DIV_MUX${n}`)}`;
      checkSamsungCounter(views[n]!, setting, {
        reload: registerPath(TCNTB[n]),
        start: registerPath('TCON', `START${n}`),
        hold: registerPath('TCON', `MANUAL_UPDATE${n}`),
        clock,
        mode: `while ${registerPath('TCON', `AUTO_RELOAD${n}`)} is ${setting.autoReload ? 1 : 0} (one-shot exactly without auto-reload, P2)`,
      });
    }
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
      [this.timers[2], s.timers[2], 'timers[2]'],
      [this.timers[3], s.timers[3], 'timers[3]'],
      [this.timers[4], s.timers[4], 'timers[4]'],
    ]);
    for (const n of INDICES) this.counters[n].adopt(this.settingOf(n));
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** Timer 0's interrupt (TIMER0_INT_STAT && TIMER0_INT_EN). */
  readonly irq0: IrqLine;
  /** Timer 1's interrupt. */
  readonly irq1: IrqLine;
  /** Timer 2's interrupt. */
  readonly irq2: IrqLine;
  /** Timer 3's interrupt (Linux's clock event timer). */
  readonly irq3: IrqLine;
  /** Timer 4's interrupt. */
  readonly irq4: IrqLine;
  /** The registers of {@link EXYNOS4210_PWM_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: Exynos4210Pwm, n: number): void => d.onExpiry(n as Index);

  /** Timer n's decrement to 0 (in its callback context when delivery is sync): the status rises whatever the enable (P6). */
  private onExpiry(n: Index): void {
    this.bank.setFieldAt(INT_STAT_HANDLES[n]!, 1);
    this.updateIrq();
  }

  /** TCFG1 write: each DIV_MUX selecting SCLK_PWM or a reserved value is reported (P5), then every timer's rate. */
  private onDividers(value: number): void {
    for (const n of INDICES) {
      const mux = field(DIV_MUX[n]!, value);
      if (mux <= LAST_DIVIDER) continue;
      const what = mux === 5 ? 'SCLK_PWM, the external clock' : 'a reserved divider';
      this.outlet.record({
        kind: 'unimplemented',
        time: this.scheduler.now(),
        source: this.name,
        offset: R.TCFG1.offset,
        feature: `TCFG1.DIV_MUX${n}=${mux} (${what}: not modelled, timer ${n} holds its count)`,
      });
    }
    this.syncAll();
  }

  private syncAll(): void {
    for (const n of INDICES) this.syncTimer(n);
    this.updateIrq();
  }

  private syncTimer(n: Index): void {
    this.counters[n].sync(this.settingOf(n));
  }

  /** What timer n's registers and PCLK say now. */
  private settingOf(n: Index): SamsungCounterSetting {
    return settingFrom((name) => this.bank.get(name), n, this.pclk.hz);
  }

  /** The output lines by name, one per timer: `irq0` … `irq4` (no combined line). */
  protected createLines() {
    return { irq0: this.irq0, irq1: this.irq1, irq2: this.irq2, irq3: this.irq3, irq4: this.irq4 };
  }

  /** `timer0.count` … `timer4.count` (32 bits): what a guest read of TCNTOn returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // TCNTOn as its read hook (SamsungCounter.count()) shows it.
    return INDICES.map((n) => timerProbe(this.timers[n], { name: `timer${n}.count`, width: 32 }));
  }

  /** The one place the outputs are computed (STYLE.md 18): line n = TIMERn_INT_STAT && TIMERn_INT_EN (P6). */
  protected updateIrq(): void {
    const cstat = this.bank.getAt(REGISTER.TINT_CSTAT);
    this.irq0.set(irqLevel(cstat, 0));
    this.irq1.set(irqLevel(cstat, 1));
    this.irq2.set(irqLevel(cstat, 2));
    this.irq3.set(irqLevel(cstat, 3));
    this.irq4.set(irqLevel(cstat, 4));
  }

  /** The block's input clock. */
  readonly pclk: ClockInput;
  /** The five counters, timer 0 first (exposed for tests and traces; guests see them through TCNTOn). */
  readonly timers: readonly [PTimer, PTimer, PTimer, PTimer, PTimer];
  private readonly counters: Five<SamsungCounter>;
}

/** Timer n's setting from register values (the bank's, or a snapshot's) and the PCLK rate. */
const settingFrom = (get: (name: RegisterName) => number, n: Index, pclkHz: number): SamsungCounterSetting => {
  const tcon = get('TCON');
  const mux = field(DIV_MUX[n]!, get('TCFG1'));
  const prescaler = field(prescalerOf(n), get('TCFG0'));
  return {
    reload: get(TCNTB[n]),
    start: field(START[n]!, tcon) === 1,
    autoReload: field(AUTO_RELOAD[n]!, tcon) === 1,
    hold: field(MANUAL_UPDATE[n]!, tcon) === 1,
    hz: mux > LAST_DIVIDER ? 0 : pclkHz,
    divisor: (prescaler + 1) * 2 ** Math.min(mux, LAST_DIVIDER),
  };
};
