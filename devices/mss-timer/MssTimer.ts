/**
 * Microsemi (Microchip) SmartFusion2 MSS timer: two 32-bit down-counters (timer 1 and timer 2),
 * each periodic or one-shot with a background load register and its own interrupt, that can be
 * concatenated into one 64-bit down-counter. The same block is in SmartFusion (A2F) and in
 * PolarFire SoC's MSS.
 *
 * Manual: Microsemi UG0331 "SmartFusion2 Microcontroller Subsystem User Guide", chapter 18
 * "System Timer": §18.2.2 (clocks, resets, interrupts), §18.2.3.1 (periodic, one-shot, 64-bit
 * and 32-bit modes), §18.3.2 (use models), §18.4 (register map and tables 18-5 to 18-20). The
 * driver is Microchip's bare-metal `mss_timer` (mss_timer.h, MIT licence), whose sequences
 * test/devices/mss-timer/MssTimer.drivers.spec.ts replays. QEMU's `mss-timer` was a cross-check
 * only (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - PCLK0, the APB_0 clock the block counts (§18.2.2.1): one {@link ClockInput} (`pclk`), rate
 *   changeable at run time, 0 Hz = stopped. Default 100 MHz, the manual's worked examples and
 *   QEMU's default (X11).
 * - TIMER1INT and TIMER2INT (NVIC IRQs 14 and 15): {@link MssTimer.timer1int} and
 *   {@link MssTimer.timer2int}, level lines. TIMER1INT carries timer 1's MIS, or in 64-bit mode
 *   the 64-bit timer's (X6).
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 10^9/PCLK0 ns. At 100 MHz (10 ns) both
 * timings agree; at a PCLK0 that is not a whole number of ns per cycle (the emcraft-sf2 board's
 * 71 MHz: 14 6/71 ns; 142 MHz) `timing: 'qemu'` reproduces QEMU's 64.32 fixed-point period,
 * each countdown floored, and differs by up to k ns at the k-th reload.
 * (MssTimer.spec.ts, "timing …")
 *
 * ## Policy
 * {@link MSS_TIMER_POLICY}, one reason per flag. No WRAP_AFTER_ONE_PERIOD: the reload happens in
 * the tick that reaches 0, so a period is LOADVAL ticks (X1). No NO_IMMEDIATE_RELOAD: a periodic
 * counter at 0 loads LOADVAL at once (X5). QEMU: LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The SYSREG soft reset (SOFT_RESET_CR bit 6 holds the block in reset): not part of this
 *   block; {@link MssTimer.reset} is that reset.
 * - The NVIC, and the PolarFire PLIC: the lines are outputs; the driver's NVIC calls are not
 *   register accesses of this block.
 * - Bus timing (APB wait states): accesses take no time.
 * The block has no other registers: nothing here is `unimplemented`.
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the test whose title starts with the tag (test/devices/mss-timer/MssTimer.spec.ts
 * unless another file is named).
 * X1 Period and reads. The counter counts LOADVAL, …, 1 and reaches 0 at the LOADVAL-th tick,
 *    where a periodic counter reloads in the same instant: a period is LOADVAL ticks, the value
 *    the manual's use models load (100 000 counts for 1 ms at 100 MHz, periodic; 3·10^9 for
 *    30 s, one-shot). VAL reads LOADVAL in the tick after a load or reload and 1 in the last;
 *    a periodic counter never reads 0, a one-shot one halts at 0. Not verified on silicon (the
 *    manual's text, borrowed from the SP804's, allows LOADVAL + 1). QEMU: LOADVAL ticks too,
 *    but reads one less between ticks (LOADVAL - 1 … 0).
 * X2 LOADVAL write: loads the counter at once in either mode, enabled or not (table 18-6); an
 *    enabled counter counts on from it. A 0 loaded is not "reaching zero": no interrupt, the
 *    counter holds 0 (one-shot: "load a non-zero value" to restart); a periodic counter whose
 *    reload value is 0 rests at 0 after its next zero. QEMU: LOADVAL 0 with ENABLE interrupts
 *    at once, then stops the timer ("delta zero").
 * X3 BGLOADVAL write: sets LOADVAL, leaves the count; the new value is loaded at the next zero
 *    (table 18-7). BGLOADVAL reads back the last value written to it; a LOADVAL write leaves it.
 * X4 CTRL.ENABLE: 0 freezes the count, 1 resumes from it (the driver's start "also resumes
 *    the down-counter if previously stopped"). A CTRL write never reloads the count. QEMU:
 *    every CTRL write with ENABLE restarts from LOADVAL (so MSS_TIM1_enable_irq after
 *    MSS_TIM1_start restarts the countdown).
 * X5 CTRL.MODE: a change while counting takes effect at the next zero (§18.2.3.1.2). A one-shot
 *    counter halted at 0 stays there, even when enabled, until a LOADVAL write or a MODE change
 *    to periodic, which loads LOADVAL at once and counts on (§18.2.3.1.2). A periodic counter
 *    found at 0 when enabled (after reset, or LOADVAL 0 then BGLOADVAL) loads LOADVAL at once,
 *    silently: MSS_TIM1_load_background then MSS_TIM1_start counts from the background value,
 *    as the driver documents. A load never interrupts; only counting down to 0 does.
 * X6 Interrupts. Reaching 0 sets RIS whatever INTEN says; writing 1 to RIS clears it, 0 does
 *    nothing; MIS = RIS & INTEN is the line. An interrupt still set at the next zero is lost
 *    (§18.2.3.1.1). TIMER1INT = TIM1_MIS | TIM64_MIS, TIMER2INT = TIM2_MIS: the manual names
 *    only TIMER1INT and TIMER2INT (§18.2.2.3); the driver takes the 64-bit interrupt on
 *    Timer 1's handler and leaves Timer 2's unused (MssTimer.drivers.spec.ts).
 * X7 TIM64_MODE. A change of bit 0 puts every register, counter, latch and holding register
 *    back to its power-up state, keeping the new mode (table 18-20); writing the mode it is in
 *    changes nothing. The other mode's registers ignore writes and read their reset value (0),
 *    silently: the manual defines it, and MSS_TIM64_init itself writes TIM1_RIS and TIM2_RIS
 *    in 64-bit mode. Writes to read-only registers stay guest errors in either mode.
 * X8 64-bit loads. A TIM64_LOADVAL_U write goes to a holding register; the TIM64_LOADVAL_L
 *    write loads the 64-bit counter with holding:L at once and sets TIM64_LOADVAL_U:L. A
 *    TIM64_BGLOADVAL_U write goes to a holding register of its own; the TIM64_BGLOADVAL_L
 *    write sets TIM64_BGLOADVAL_U:L and the load value TIM64_LOADVAL_U:L, counter untouched.
 *    A U register reads its current (functional) value, never the held one (§18.2.3.1.3). The
 *    manual does not say whether the two pairs share one holding register (here: one each) or
 *    whether a holding register empties after the L write (here: it keeps its value, so an L
 *    write alone reuses the last U).
 * X9 64-bit reads. A TIM64_VAL_L read returns the low half and stores the upper half of the
 *    counter at that instant into TIM64_VAL_U (table 18-12); TIM64_VAL_U reads that latch (0
 *    after reset until an L read). L then U is one coherent 64-bit value across a borrow from
 *    the upper half, however far apart the reads are (MSS_TIM64_get_current_value's order).
 *    QEMU: no 64-bit mode (its region is 0x30 bytes; these offsets hit unassigned memory).
 * X10 Accesses. 32-bit only (an APB slave): other sizes are `bad-size` guest errors. Offsets
 *    0x58-0xFFF of the block's 4 KiB window hold nothing: `unmapped`. Writes to TIMx_VAL,
 *    TIMx_MIS, TIM64_VAL_U/L and TIM64_MIS ("writes have no effect") are `read-only` guest
 *    errors. Reserved bits read 0 and ignore writes, without an event.
 *    (MssTimer.guestErrors.spec.ts)
 * X11 PCLK0. A rate change re-times the counters from their readings with a fresh tick (the
 *    partial tick is lost); 0 Hz freezes them. QEMU: the `clock-frequency` property is read
 *    before the board sets it, so QEMU always counts at 100 MHz.
 * X12 Reset. Every register 0 (§18.4), counters stopped at 0, lines low. QEMU: no reset
 *    handler.
 * X13 G1. A read at an instant with a zero shows the count before it (1, RIS 0) when ordered
 *    before the expiry step, and the reloaded count with RIS set after it: never a mix.
 *    (MssTimer.harness.spec.ts)
 *
 * ## Departures from QEMU
 * The 64-bit mode (X7-X9), reads (X1), zero loads (X2), CTRL writes (X4), the clock (X11),
 * reset (X12); the guest errors of X10 are this model's (what QEMU does with other access
 * sizes and with writes to VAL and MIS was not checked).
 *
 * ## Snapshots
 * {@link MssTimerSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it:
 * - `pclkHz` is the input's rate now; while it runs every counter ticks once per PCLK0 cycle;
 * - TIMx_VAL, TIMx_MIS, TIM64_VAL_L and TIM64_MIS store nothing (computed reads);
 * - the mode not selected by TIM64_MODE is at reset: its registers 0, its counters stopped at
 *   0 with reload 0, and (32-bit mode) the holding registers and TIM64_VAL_U 0;
 * - an active counter reloads its LOADVAL (TIM64_LOADVAL_U:L), holds at most its width; it is
 *   stopped while ENABLE is 0 or PCLK0 is stopped; enabled, it runs as MODE says unless it
 *   rests at 0 with nothing to load (count 0, and one-shot or reload 0); running, its count is
 *   not 0;
 * - TIMx_BGLOADVAL, TIM64_BGLOADVAL_U:L, TIM64_VAL_U (64-bit mode) and RIS may hold anything.
 *
 * ## Device kit
 * A KitDevice (RegisterBank on MSS_TIMER_REGISTERS, EventOutlet), three timers from one `channelTimers` call
 * (`<name>.timer1`, `.timer2`, `.timer64`; the 64-bit one is a counter of its own, idle in
 * 32-bit mode, as timers 1 and 2 are in 64-bit mode), a CounterRate each; `dispose()` ends the
 * clock watch and the timers.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: VAL, RIS, MIS and the
 * line change in the expiry step itself, G1); 'bottom-half' exists only to show the LP
 * #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  deviceHooks,
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
  snapshotInteger,
  snapshotPart,
  snapshotTuple,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBank,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShape,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { MSS_TIMER_REGISTERS } from './MSS_TIMER_REGISTERS';
import { checkMssCounter, MssCounter, type MssCounterHandles } from './MssCounter';

/** The counters' policy flags, one reason each (X1, X2, X5). */
export const MSS_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // VAL reads the hardware count: LOADVAL in the tick after a load, 1 in the last (X1)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 interrupts: a load of 0, or a periodic counter loading at 0, never does (X2, X5)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link MssTimerSnapshot} format version. */
export const MSS_TIMER_SNAPSHOT_VERSION = 1;

/** The MSS timer's whole state as plain, versioned data. */
export interface MssTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof MSS_TIMER_SNAPSHOT_VERSION;
  /** The register bank (TIMx_VAL, TIMx_MIS, TIM64_VAL_L and TIM64_MIS store nothing; TIM64_VAL_U is the latch of X9). */
  readonly registers: RegisterBankSnapshot;
  /** The counters: timer 1, timer 2, the 64-bit timer. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** The holding register of TIM64_LOADVAL_U (X8). */
  readonly heldLoadvalU: number;
  /** The holding register of TIM64_BGLOADVAL_U (X8). */
  readonly heldBgloadvalU: number;
  /** PCLK0 when the snapshot was taken; restore requires the input to be at it. */
  readonly pclkHz: number;
}

/** Options of {@link MssTimer}. */
export interface MssTimerOptions {
  /** Instance name, the `source` of its events (default `'mss-timer'`). */
  readonly name?: string;
  /** PCLK0, the APB_0 clock the counters count; rate changeable at run time, 0 Hz = stopped. Default: 100 MHz (X11). */
  readonly pclk?: ClockInput;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof MSS_TIMER_REGISTERS>;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  TIM64_MODE: registerHandle(MSS_TIMER_REGISTERS, 'TIM64_MODE'),
} as const;
type Index = 0 | 1 | 2;
const INDICES: readonly Index[] = [0, 1, 2];
/** Timers 1 and 2 (channel indices of the TIM bank). */
const PAIR: readonly (0 | 1)[] = [0, 1];
const TIMERS = 'timer 1, timer 2, the 64-bit timer';

/** Timer 1's and timer 2's registers by role (TIM1_VAL, …). */
const REG = MSS_TIMER_REGISTERS.channels.TIM;
const MODE64 = MSS_TIMER_REGISTERS.byName.TIM64_MODE.fieldByName.TIM64_MODE.mask;
/** Each counter's control and raw status registers, by name and as handles. */
const COUNTER_NAMES = [REG[0], REG[1], { CTRL: 'TIM64_CTRL', RIS: 'TIM64_RIS' }] as const;
const COUNTER_HANDLES: readonly MssCounterHandles[] = COUNTER_NAMES.map(({ CTRL, RIS }) => ({
  ctrl: registerHandle(MSS_TIMER_REGISTERS, CTRL),
  inten: fieldHandle(MSS_TIMER_REGISTERS, CTRL, 'INTEN' as never),
  ris: fieldHandle(MSS_TIMER_REGISTERS, RIS, 'RIS' as never),
})) as unknown as readonly MssCounterHandles[];
const MASK32 = 0xffff_ffffn;
const MAX32 = 0xffff_ffffn;
const MAX64 = 0xffff_ffff_ffff_ffffn;

/** PCLK0's default: the manual's worked examples and QEMU's default `clock-frequency` (X11). */
const DEFAULT_PCLK_HZ = 100_000_000;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MSS_TIMER_REGISTERS);

const ALL = MSS_TIMER_REGISTERS.registers;
/** Registers whose reads are computed: they store nothing (X1, X6, X9). */
const FIXED = ALL.filter((r) => /^(TIM[12]_(VAL|MIS)|TIM64_VAL_L|TIM64_MIS)$/.test(r.name));
/** The 32-bit mode's registers: at reset in 64-bit mode (X7). */
const REGS32 = ALL.filter((r) => /^TIM[12]_/.test(r.name));
/** The 64-bit mode's registers but TIM64_MODE: at reset in 32-bit mode (X7). */
const REGS64 = ALL.filter((r) => /^TIM64_/.test(r.name) && r.name !== 'TIM64_MODE');

const u64 = (upper: number, lower: number): bigint => (BigInt(upper) << 32n) | BigInt(lower);

/** The timers' name suffixes, by channel. */
const TIMER_SUFFIXES = ['.timer1', '.timer2', '.timer64'] as const;

/** Each counter's reload value, read from the bank (one function per counter for every instance, #19). */
const RELOADS: readonly ((bank: RegisterBank<RegisterShape>) => bigint)[] = [
  (bank) => BigInt(bank.get(REG[0].LOADVAL)),
  (bank) => BigInt(bank.get(REG[1].LOADVAL)),
  (bank) => u64(bank.get('TIM64_LOADVAL_U'), bank.get('TIM64_LOADVAL_L')),
];

/**
 * The SmartFusion2 MSS timer (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a counter's zero, VAL's reload, RIS, MIS
 * and the line change in one step at that instant; `bottom-half` exists only to show the race.
 * G2/G3 — each register write changes its counter in one transaction, and no write interrupts
 * (TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timer = new MssTimer(clock);                    // PCLK0 100 MHz: 10 ns ticks
 * timer.write(0x54, 4, 0);                              // TIM64_MODE: two 32-bit timers
 * timer.write(0x0c, 4, 0);                              // TIM1_CTRL: periodic, stopped
 * timer.write(0x04, 4, 100_000);                        // TIM1_LOADVAL: 1 ms periods
 * timer.write(0x0c, 4, 0b101);                          // TIM1_CTRL: INTEN | ENABLE
 * clock.advanceTo(1_000_000);                           // TIMER1INT rises
 * timer.write(0x10, 4, 1);                              // TIM1_RIS: cleared
 * ```
 */
export class MssTimer extends KitDevice<Registers, {
  /** {@link MssTimer.timer1int}. */
  timer1int: IrqLine;
  /** {@link MssTimer.timer2int}. */
  timer2int: IrqLine;
}> {
  /**
   * Creates the timer with its registers at their reset values (32-bit mode) and every counter
   * stopped at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, PCLK0 input, trigger delivery, timing
   * @throws DeviceConfigError for an empty or non-string `name`, a `pclk` that is not a ClockInput, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: MssTimerOptions = {}) {
    checkDeviceOptions('MssTimer', options, { name: 'name?', pclk: 'clock?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'mss-timer');
    this.pclk = options.pclk ?? new ClockInput(`${this.name}.pclk`, DEFAULT_PCLK_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One wiring for the three timers, names one string piece each (#19).
    this.timers = this.attachTimers(TIMER_SUFFIXES.map((suffix) => this.name + suffix), {
      policy: MSS_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: MssTimer.expired,
    }) as [PTimer, PTimer, PTimer];
    const bank = this.attachBank(MSS_TIMER_REGISTERS, MssTimer.HOOKS);
    this.counters = INDICES.map(
      (i) =>
        new MssCounter({
          bank,
          ctrl: COUNTER_NAMES[i].CTRL,
          ris: COUNTER_NAMES[i].RIS,
          handles: COUNTER_HANDLES[i]!,
          timer: this.timers[i],
          clock: this.pclk,
          reload: RELOADS[i]!,
        }),
    ) as unknown as readonly [MssCounter, MssCounter, MssCounter];
    this.timer1int = new IrqLine(`${this.name}.TIMER1INT`);
    this.timer2int = new IrqLine(`${this.name}.TIMER2INT`);
    this.reset();
    // reset() applied the current rate; each later change re-times the counters at its instant.
    this.followClock(this.pclk, MssTimer.clockChanged);
  }

  /** PCLK0 changed rate: every counter re-timed (one function for every instance, #19). */
  private static readonly clockChanged = (d: MssTimer): void => {
    for (const counter of d.counters) counter.sync();
    d.updateIrq();
  };

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<MssTimer>();
    return build.of(MSS_TIMER_REGISTERS, {
      ...build.channels(MSS_TIMER_REGISTERS, 'TIM', (i, names) => ({
        VAL: { read: (d) => d.counters[i].valueNumber() },
        LOADVAL: { write: (d, v) => d.ifMode(false, names.LOADVAL, () => d.counters[i].load(BigInt(v))) },
        BGLOADVAL: { write: (d, v) => d.ifMode(false, names.BGLOADVAL, () => d.writeBackground32(i, v)) },
        CTRL: { write: (d) => d.ifMode(false, names.CTRL, () => d.counters[i].sync()) },
        MIS: { read: (d) => d.counters[i].masked() },
      })),
      TIM64_VAL_L: { read: (d) => d.readLower() },
      TIM64_LOADVAL_U: { write: (d, v, old) => d.ifMode(true, 'TIM64_LOADVAL_U', () => d.hold('load', v, old)) },
      TIM64_LOADVAL_L: { write: (d, v) => d.ifMode(true, 'TIM64_LOADVAL_L', () => d.writeLoad64(v)) },
      TIM64_BGLOADVAL_U: { write: (d, v, old) => d.ifMode(true, 'TIM64_BGLOADVAL_U', () => d.hold('background', v, old)) },
      TIM64_BGLOADVAL_L: { write: (d, v) => d.ifMode(true, 'TIM64_BGLOADVAL_L', () => d.writeBackground64(v)) },
      TIM64_CTRL: { write: (d) => d.ifMode(true, 'TIM64_CTRL', () => d.counters[2].sync()) },
      TIM64_MIS: { read: (d) => d.counters[2].masked() },
      TIM64_MODE: { write: (d, v, old) => d.onMode(v, old) },
    });
  })();

  /** Reset (X12): every register 0 (32-bit mode), holding registers 0, the counters stopped at 0, lines low. */
  override reset(): void {
    this.bank.reset();
    this.reinitialize();
  }

  snapshot(): MssTimerSnapshot {
    return {
      ...this.snapshotHead(MSS_TIMER_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot(), this.timers[2].snapshot()],
      heldLoadvalU: this.heldLoadvalU,
      heldBgloadvalU: this.heldBgloadvalU,
      pclkHz: this.pclk.hz,
    };
  }

  /**
   * Loads an {@link MssTimerSnapshot} taken at the clock's current time by a device of this
   * name; all or nothing (everything is checked before anything changes). The PCLK0 input is
   * the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a PCLK0 rate that differs from the input's, a counter's own rules
   *   (`timers[i].<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'MssTimer', version: MSS_TIMER_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart(), snapshotPart()], TIMERS),
      heldLoadvalU: snapshotInteger(0, 0xffff_ffff),
      heldBgloadvalU: snapshotInteger(0, 0xffff_ffff),
      pclkHz: snapshotHz(),
    }));
    expectSame('pclkHz', s.pclkHz, this.pclk.hz, "the PCLK0 input's rate now in Hz");
    const views = INDICES.map((i) => this.checkTimer(this.timers[i], s.timers[i], `timers[${i}]`));
    this.checkConsistency(s.registers.registers, views, s.heldLoadvalU, s.heldBgloadvalU);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
      [this.timers[2], s.timers[2], 'timers[2]'],
    ]);
    this.heldLoadvalU = s.heldLoadvalU;
    this.heldBgloadvalU = s.heldBgloadvalU;
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** TIMER1INT (NVIC IRQ 14): TIM1_MIS, or TIM64_MIS in 64-bit mode (X6). */
  readonly timer1int: IrqLine;
  /** TIMER2INT (NVIC IRQ 15): TIM2_MIS; low in 64-bit mode (X6). */
  readonly timer2int: IrqLine;
  /** The registers of {@link MSS_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: MssTimer, i: number): void => d.onExpiry(i as Index);

  /** Counter `i` reached 0 (in its callback context when delivery is sync): X6. */
  private onExpiry(i: Index): void {
    this.counters[i].onExpiry();
    this.updateIrq();
  }

  /** Whether the block is in 64-bit mode. */
  private mode64(): boolean {
    return (this.bank.getAt(REGISTER.TIM64_MODE) & MODE64) !== 0;
  }

  /**
   * A write to a register of one mode: in that mode it takes effect (`then`); in the other the
   * register keeps its reset value, 0, and nothing else happens (X7).
   * @param in64 - the register belongs to the 64-bit mode
   */
  private ifMode(in64: boolean, register: keyof Registers & string, then: () => void): void {
    if (this.mode64() === in64) then();
    else this.bank.set(register, 0);
  }

  /** TIMx_BGLOADVAL write: LOADVAL takes the value, the count goes on (X3). */
  private writeBackground32(i: 0 | 1, value: number): void {
    this.bank.set(REG[i].LOADVAL, value);
    this.counters[i].sync();
  }

  /** A U write (X8): the value waits in its holding register; the register keeps its current value. */
  private hold(pair: 'load' | 'background', value: number, old: number): void {
    if (pair === 'load') {
      this.heldLoadvalU = value;
      this.bank.set('TIM64_LOADVAL_U', old);
    } else {
      this.heldBgloadvalU = value;
      this.bank.set('TIM64_BGLOADVAL_U', old);
    }
  }

  /** TIM64_LOADVAL_L write (X8): the held upper half and this value load the counter at once. */
  private writeLoad64(lower: number): void {
    this.bank.set('TIM64_LOADVAL_U', this.heldLoadvalU);
    this.counters[2].load(u64(this.heldLoadvalU, lower));
  }

  /** TIM64_BGLOADVAL_L write (X8): the background value and the load value take held:L; the count goes on. */
  private writeBackground64(lower: number): void {
    this.bank.set('TIM64_BGLOADVAL_U', this.heldBgloadvalU);
    this.bank.set('TIM64_LOADVAL_U', this.heldBgloadvalU);
    this.bank.set('TIM64_LOADVAL_L', lower);
    this.counters[2].sync();
  }

  /** TIM64_VAL_L read (X9): the low half now; the upper half of the same instant goes to TIM64_VAL_U. */
  private readLower(): number {
    const count = this.counters[2].value();
    this.bank.set('TIM64_VAL_U', Number(count >> 32n));
    return Number(count & MASK32);
  }

  /** TIM64_MODE write (X7): a change of mode puts the block back to its power-up state in the new mode. */
  private onMode(value: number, old: number): void {
    if (((value ^ old) & MODE64) === 0) return;
    this.bank.reset();
    this.bank.set('TIM64_MODE', value & MODE64);
    this.reinitialize();
  }

  /** After the bank was reset: holding registers 0, counters stopped at 0, the lines recomputed. */
  private reinitialize(): void {
    this.heldLoadvalU = 0;
    this.heldBgloadvalU = 0;
    for (const counter of this.counters) counter.reset();
    this.updateIrq();
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counters accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, views: readonly TimerPartView[], heldLoadvalU: number, heldBgloadvalU: number): void {
    expectResetValues(r, FIXED);
    const hz = this.pclk.hz;
    if (hz > 0) for (const view of views) expectTimerPeriod(view, hz, 1, `of one PCLK0 cycle at pclkHz ${hz}`);
    const mode64 = (r['TIM64_MODE']! & MODE64) !== 0;
    const modePath = registerPath('TIM64_MODE', 'TIM64_MODE');
    const idle = (view: TimerPartView): void => {
      const because = `while ${modePath} is ${mode64 ? 1 : 0} (the other mode's counters are held at reset, X7)`;
      expectTimerMode(view, ['stopped'], because);
      expectTimerLimit(view, 0, because);
      expectTimerCountAtMost(view, 0, because);
    };
    // The other mode's registers: at reset, by a rule that names TIM64_MODE (X7).
    const atReset = (defs: typeof REGS32): void => {
      for (const def of defs) {
        if (r[def.name] !== def.reset) {
          refuseSnapshot(registerPath(def.name), r[def.name], `must be 0 while ${modePath} is ${mode64 ? 1 : 0}: the other mode's registers ignore writes and hold their reset value (X7)`);
        }
      }
    };
    if (mode64) {
      atReset(REGS32);
      idle(views[0]!);
      idle(views[1]!);
      const limit = u64(r['TIM64_LOADVAL_U']!, r['TIM64_LOADVAL_L']!);
      checkMssCounter(r['TIM64_CTRL']!, limit, MAX64, views[2]!, hz, {
        ctrl: 'TIM64_CTRL',
        reload: `${registerPath('TIM64_LOADVAL_U')}:${registerPath('TIM64_LOADVAL_L')}`,
        clock: 'pclkHz',
      });
      return;
    }
    atReset(REGS64);
    if (heldLoadvalU !== 0) this.refuseHeld('heldLoadvalU', heldLoadvalU, modePath);
    if (heldBgloadvalU !== 0) this.refuseHeld('heldBgloadvalU', heldBgloadvalU, modePath);
    idle(views[2]!);
    for (const i of PAIR) {
      checkMssCounter(r[REG[i].CTRL]!, BigInt(r[REG[i].LOADVAL]!), MAX32, views[i]!, hz, { ctrl: REG[i].CTRL, reload: registerPath(REG[i].LOADVAL), clock: 'pclkHz' });
    }
  }

  /** A holding register set in 32-bit mode, where no U write reaches it (X7, X8). */
  private refuseHeld(field: string, value: number, modePath: string): never {
    return refuseSnapshot(field, value, `must be 0 while ${modePath} is 0: no TIM64_*_U write is taken in 32-bit mode, and the mode change cleared it (X7, X8)`);
  }

  /** The output lines by name: `timer1int`, `timer2int`. */
  protected createLines() {
    return { timer1int: this.timer1int, timer2int: this.timer2int };
  }

  /** `timer1.value`, `timer2.value` (32 bits) and `timer64.value` (64 bits): the counts now, read without an access (and without X9's latch). */
  protected createProbes(): readonly DeviceProbe[] {
    // The counts without a guest read (a TIM64_VAL_L read latches the upper half; a probe must not).
    return [
      timerProbe(this.timers[0], { name: 'timer1.value', width: 32 }),
      timerProbe(this.timers[1], { name: 'timer2.value', width: 32 }),
      timerProbe(this.timers[2], { name: 'timer64.value', width: 64 }),
    ];
  }

  /** The one place the outputs are computed (STYLE.md 18): TIMER1INT = TIM1_MIS | TIM64_MIS, TIMER2INT = TIM2_MIS (X6). */
  protected updateIrq(): void {
    this.timer1int.set(this.counters[0].masked() === 1 || this.counters[2].masked() === 1);
    this.timer2int.set(this.counters[1].masked() === 1);
  }

  /** PCLK0, the clock the counters count. */
  readonly pclk: ClockInput;
  /** The counters: timer 1, timer 2, the 64-bit timer (exposed for tests and traces; guests see them through the registers). */
  readonly timers: readonly [PTimer, PTimer, PTimer];
  /** Each counter's behaviour: timer 1, timer 2, the 64-bit timer. */
  private readonly counters: readonly [MssCounter, MssCounter, MssCounter];
  /** The holding register of TIM64_LOADVAL_U (X8). */
  private heldLoadvalU = 0;
  /** The holding register of TIM64_BGLOADVAL_U (X8). */
  private heldBgloadvalU = 0;
}
