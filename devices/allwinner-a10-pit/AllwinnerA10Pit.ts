/**
 * Allwinner A10 timer block ("PIT"): six 32-bit down-counting timers, each clocked from
 * LOSC (32 768 Hz) or OSC24M through a ÷1…÷128 prescaler, continuous or single mode, one
 * interrupt output per timer (the SoC wires them to separate GIC inputs); plus a 64-bit
 * free-running counter, two AVS counters and a watchdog in the same 1 KiB region.
 *
 * Manual: Allwinner A10 User Manual, "Timer Controller" chapter (Allwinner gives its manuals
 * no document number). The register facts were cross-read from the A20 User Manual rev. 1.0-1.3,
 * whose timer chapter describes the same block in the same words, and from the register
 * layouts public drivers use (Linux timer-sun4i, U-Boot sunxi). QEMU's
 * `hw/timer/allwinner-a10-pit.c` was a cross-check only; where it departs from the manual
 * this model follows the manual (each case below).
 *
 * ## Ports
 * - LOSC and OSC24M: {@link ClockInput}s (defaults 32 768 Hz and 24 MHz), selected per timer
 *   by TMRn_CTRL.CLK_SRC, divided by 2^CLK_PRES. Either may change at run time.
 * - `irqs[0..5]`: one {@link IrqLine} per timer, high while TMRn_IRQ_PEND && TMRn_IRQ_EN;
 *   `irq`: their OR ({@link anyOf}), for a board that shares one input.
 *
 * ## Policy (one reason per flag)
 * See {@link ALLWINNER_A10_PIT_POLICY}. The hardware counts INTV, INTV-1, …, 1 one tick each,
 * interrupts when it reaches 0, shows 0 for one tick and reloads INTV (continuous): a period
 * of INTV + 1 ticks, so INTV = 0xFFFFFFFF gives Linux a clocksource with 2^32 distinct states
 * and no jump at the wrap. Worked example (LOSC ÷64, 1 953 125 ns per tick, INTV = 3,
 * continuous, started at t = 0): CUR reads 3 until 1 953 125, 2 from 1 953 126, 1 from
 * 3 906 251, 0 with the interrupt at 5 859 375, 3 again from 7 812 501, next interrupt at
 * 13 671 875 (test "the policy: …" in AllwinnerA10Pit.spec.ts). QEMU's LEGACY reads one
 * less between boundaries, never shows 0 and interrupts every INTV ticks.
 *
 * ## Not modelled, and what the guest sees instead
 * - The phase of the timer clock and prescaler: a start, RELOAD or CUR_VALUE write is the
 *   loading edge and the first decrement comes one tick later; a clock-source, prescaler or
 *   clock-rate change on a running counter keeps the shown count and starts a full new tick
 *   at the change (the partial tick is lost). The manual's "wait 2 timer cycles between
 *   disable and enable" and the RELOAD busy time are not enforced: both take effect at once.
 * - CLK_SRC 10/11 (PLL6/6 or the external clock pins, depending on the timer): the write is
 *   stored and reported as an `unimplemented` event; the counter holds while selected.
 * - The per-timer differences of the manual's tables (extra sources of some timers) beyond
 *   that: every timer has timer 0's register layout, as in QEMU.
 * - Watchdog (WDOG_CTRL/WDOG_MODE) and AVS counters (AVS_CNT_CTL/CNT0/CNT1/DIV): stored and
 *   read back, never count or reset the system; each non-zero write is an `unimplemented`
 *   event. TMR_IRQ_EN bits 31:6 likewise (`unimplemented` when written with a 1). The
 *   watchdog (with its bit 8 of TMR_IRQ_EN/STA) is modelled by `AllwinnerWdt`'s `'sun4i'`
 *   variant, which decodes this block for it and leaves the timers out: one block, either model.
 * - 0x100–0x13F (RTC, alarm, general-purpose data, CPU config, driven by the RTC driver):
 *   every access is an `unimplemented` event, reads 0, writes change nothing.
 * - CNT64_CLK_SRC_SEL = 1 (PLL6/6): stored and reported; the counter keeps counting OSC24M.
 * Other offsets in the region (reserved holes) are `unmapped` guest errors; accesses other
 * than 32 bits are `bad-size` guest errors (the block is a 32-bit APB slave).
 *
 * ## Ambiguities of the manual and how they are decided (each pinned by the named test)
 * 1. EN 0→1 without RELOAD: the manual says a started timer loads the interval, and also
 *    that a timer paused before reaching 0 resumes from the paused value unless RELOAD is
 *    written with EN. Decided: a non-zero held count resumes; a held count of 0 (reset, a
 *    finished single shot, a pause while resting at 0) loads INTV ("EN resumes a paused
 *    count …").
 * 2. RELOAD self-clears: it reads back 0 at once (QEMU keeps it set, so Linux's
 *    read-modify-write stop re-loads the count there; here a stop only pauses) ("RELOAD
 *    loads the interval and reads back 0 …"; drivers spec: "stop is a pause …").
 * 3. INTV write: stored; it takes effect at the next reload or RELOAD write, the count is not
 *    touched (the manual makes RELOAD the way to count from a new interval; QEMU reloads the
 *    count on every INTV write). Written while the counter rests at 0, the new interval is
 *    the one loaded at the end of that rest, one full tick after the write ("INTV …").
 * 4. CUR_VALUE write: the manual marks it read/write; the write loads the counter (running:
 *    the count restarts from it at the write instant). QEMU ignores it. Writing 0 to a
 *    running continuous counter makes it rest at 0 for one tick, then reload INTV, with no
 *    interrupt (only a decrement to 0 interrupts); in single mode it holds 0, as for INTV = 0
 *    ("CUR_VALUE …").
 * 5. Single mode: at 0 the counter stops at 0, TMRn_IRQ_PEND is set and EN clears (the
 *    manual: the timer disables itself) ("single mode …").
 * 6. INTV = 0: there is nothing to count down: the counter holds 0 and never interrupts, in
 *    both modes, with EN left set ("INTV = 0 …").
 * 7. The pending bit is set at 0 whether or not TMRn_IRQ_EN is set; the line is
 *    PEND && EN ("IRQ enable and status …").
 * 8. A clock input at 0 Hz or a reserved CLK_SRC: the counter holds its count and resumes
 *    (with a full tick) when a running clock is selected again ("clock changes …"): the
 *    device kit's CounterRate rule, which also sets the prescaled tick and leaves a count
 *    alone when a CTRL write keeps the source and prescaler it runs at.
 * 9. The 64-bit counter counts OSC24M ticks from reset (or the last CNT64_CLR_EN); CNT64_LO
 *    and CNT64_HI read the value latched by the last CNT64_RL_EN write (QEMU latches virtual
 *    nanoseconds); both control bits self-clear; writes to LO/HI only change the latch
 *    ("the 64-bit counter …").
 * 10. Neither clock is a whole number of ns per tick: OSC24M's is 41⅔ ns, LOSC's
 *    30 517.578125 ns (whole only from ÷64). The counters keep exact time (see "Timing"):
 *    tick k of a count loaded at A ends at ⌊A + k·tick⌋, so the 2^32-tick clocksource wraps
 *    at its exact instant, CUR shows the loaded count at a load instant and 0 at the
 *    instant a continuous count reaches it, so it never steps backwards (drivers spec: "the
 *    clocksource wraps without a jump", "exact timing: …"). In QEMU timing CUR shows one less
 *    at a load instant, and INTV instead of 0 at the instant a continuous count reaches 0,
 *    as QEMU does (AllwinnerA10Pit.timing.spec.ts).
 *
 * A guest access made synchronously inside an interrupt emission (a line subscriber that
 * writes back at once) joins the timer's callback context ("a line subscriber may
 * reprogram …").
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 2^CLK_PRES·10^9/hz ns of the selected
 * clock, and counts and interrupts follow the exact ticks however long a count runs. With the
 * default clocks no OSC24M tick and no LOSC tick below ÷64 is whole ns (ambiguity 10), so the
 * timings differ there: `timing: 'qemu'` reproduces QEMU's arithmetic (the tick at 2^-32 ns,
 * each countdown floored to whole ns: the k-th interrupt of a continuous count up to k ns
 * early; counts whose remaining time exceeds 2^32 ns read through a divisor missing low
 * fraction bits, up to half a tick early; one less at a load instant) (drivers spec:
 * "timing 'qemu', framework precision …"; AllwinnerA10Pit.timing.spec.ts;
 * test/devices/catalogue.timing.spec.ts).
 *
 * ## Snapshots (#14)
 * {@link AllwinnerA10PitSnapshot}, checked by one strict schema, by each timer's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it (for each timer, from its TMRn_CTRL and TMRn_INTV_VALUE):
 * - `clocks` are the LOSC and OSC24M rates now; while the selected source runs, the timer's
 *   period is one prescaled tick in its timing (see Timing);
 * - RELOAD reads back 0 (ambiguity 2), and so do CNT64_CLR_EN and CNT64_RL_EN (ambiguity 9);
 * - the timer reloads INTV (`limit` = INTV) and never counts more than 32 bits;
 * - it is stopped while EN is 0 or its source is stopped (0 Hz or a reserved CLK_SRC);
 *   running, it is one-shot exactly in single mode; stopped under EN with its source running,
 *   it holds 0 that nothing reloads (single mode, or INTV = 0: ambiguities 4 to 6);
 * - `cnt64.anchor` is not after the snapshot.
 *
 * ## Device kit
 * Options are checked with `checkDeviceOptions` (unknown keys are errors, a name must not be
 * empty); each timer's expiries come through `channelTimer` (`deviceTimer` with one shared handler), which records the `expiry` event
 * (`timer` `<name>.timer0` … `.timer5`) before the pending bit is set and surfaces an error
 * on the expiry path from the clock call (G5); events go out through an `EventOutlet`
 * (`traceTo`); `dispose()` releases the six timers and the LOSC and OSC24M listeners.
 */
import type { SchedulerLike } from 'rxjs';
import type { z } from 'zod';
import {
  ACCESS_SIZES,
  deviceHooks,
  checkDeviceOptions,
  fieldHandle,
  registerHandle,
  CounterRate,
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
  snapshotInteger,
  snapshotObject,
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
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { cycleCounterProbe } from '../../src/bus/kit/cycleCounterProbe';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { anyOf } from '../../src/irq/anyOf';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { ALLWINNER_A10_PIT_REGISTERS } from './ALLWINNER_A10_PIT_REGISTERS';

/**
 * The timers' ptimer policy: a decrement per prescaled tick, the interrupt when the count
 * reaches 0, one tick at 0, then the reload (continuous) or a stop (single).
 */
export const ALLWINNER_A10_PIT_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // CUR rests at 0 for one tick before INTV comes back: INTV + 1 ticks per period, no clocksource jump
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 interrupts; RELOAD/CUR writes of 0 never do (ambiguities 4, 6)
  'NO_IMMEDIATE_RELOAD', // a 0 written to CUR rests one tick before INTV is reloaded, like a counted-down 0 (ambiguity 4)
  'NO_COUNTER_ROUND_DOWN', // CUR shows the hardware count: INTV for the whole first tick, not one less
] as const satisfies readonly PTimerPolicy[];

/** Current {@link AllwinnerA10PitSnapshot} format version (2: version 1's `loads` are gone, the timers keep exact time). */
export const ALLWINNER_A10_PIT_SNAPSHOT_VERSION = 2;

/** The timer block's whole state as plain, versioned data. */
export interface AllwinnerA10PitSnapshot extends DeviceSnapshot {
  readonly version: typeof ALLWINNER_A10_PIT_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (TMRn_CUR_VALUE_REG reads come from `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The six timers' counters, timer 0 first. */
  readonly timers: readonly PTimerSnapshot[];
  /** The 64-bit counter: OSC24M ticks counted up to an instant. */
  readonly cnt64: {
    /** The ticks counted up to `anchor`, an unsigned 64-bit count as a decimal string. */
    readonly ticks: string;
    /** The instant, in whole ns, not after the snapshot's time. */
    readonly anchor: number;
  };
  /** The clock rates when it was taken; restore requires the inputs to be at them. */
  readonly clocks: {
    /** LOSC in Hz. */
    readonly losc: number;
    /** OSC24M in Hz. */
    readonly osc24m: number;
  };
}

/** Options of {@link AllwinnerA10Pit}. */
export interface AllwinnerA10PitOptions {
  /** Source name of its events (default `'allwinner-a10-pit'`). */
  readonly name?: string;
  /** The 32 kHz low-speed oscillator (CLK_SRC 00). Default: a new 32 768 Hz input. */
  readonly losc?: ClockInput;
  /** The 24 MHz oscillator (CLK_SRC 01, and the 64-bit counter). Default: a new 24 MHz input. */
  readonly osc24m?: ClockInput;
  /** How expiries reach the device: `sync` (default, at the expiry instant, G1) or the legacy `bottom-half`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How its six counters keep time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9·divisor/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/** The number of one of the six timers of {@link AllwinnerA10Pit} (TMR0 … TMR5). */
export type AllwinnerA10PitTimerIndex = 0 | 1 | 2 | 3 | 4 | 5;

const INDICES: readonly AllwinnerA10PitTimerIndex[] = [0, 1, 2, 3, 4, 5];
/** Name suffixes by timer: `.timer<n>` (the timers), `.irq<n>` (the lines). */
const TIMER_SUFFIXES = ['.timer0', '.timer1', '.timer2', '.timer3', '.timer4', '.timer5'] as const;
const IRQ_SUFFIXES = ['.irq0', '.irq1', '.irq2', '.irq3', '.irq4', '.irq5'] as const;

/** Each timer's registers by role (TMRn_CTRL_REG, …), timer 0 first. */
const REG = ALLWINNER_A10_PIT_REGISTERS.channels.TMR;

const CTRL = ALLWINNER_A10_PIT_REGISTERS.byName.TMR0_CTRL_REG.fieldByName;

/** What each expiry and IRQ update reads and stores, looked up once (six timers, thousands of expiries a second). */
const MAP = ALLWINNER_A10_PIT_REGISTERS;
const IRQ_PEND = INDICES.map((i) => fieldHandle(MAP, 'TMR_IRQ_STA_REG', `TMR${i}_IRQ_PEND`));
const CTRL_MODE = INDICES.map((i) => fieldHandle(MAP, REG[i].CTRL, 'MODE'));
const CTRL_EN = INDICES.map((i) => fieldHandle(MAP, REG[i].CTRL, 'EN'));
const IRQ_STA = registerHandle(MAP, 'TMR_IRQ_STA_REG');
const IRQ_EN = registerHandle(MAP, 'TMR_IRQ_EN_REG');
const field = (value: number, f: { readonly mask: number; readonly lsb: number }): number => (value & f.mask) >>> f.lsb;

/** The 0x100–0x13F window (RTC, alarm, general-purpose data, CPU config): not modelled. */
const RTC_WINDOW = { from: 0x100, to: 0x140 } as const;

const NS_PER_S = 1_000_000_000n;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(ALLWINNER_A10_PIT_REGISTERS);

const MAX_TIME = Number.MAX_SAFE_INTEGER;

const isU64Decimal = (v: unknown): boolean => typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) < 1n << 64n;

/** The fields of {@link AllwinnerA10PitSnapshot} besides `device`, `version` and `registers`. */
const snapshotFields = () => {
  const six = <T extends z.ZodType>(part: () => T, what: string) => snapshotTuple([part(), part(), part(), part(), part(), part()], what);
  return {
    timers: six(snapshotPart, 'timer 0 to timer 5'),
    cnt64: snapshotObject(
      {
        ticks: snapshotField<string>(isU64Decimal, 'must be a decimal string of an unsigned 64-bit count'),
        anchor: snapshotInteger(0, MAX_TIME, 'must be a whole ns time'),
      },
      'an object { ticks, anchor }',
    ),
    clocks: snapshotObject({ losc: snapshotHz(), osc24m: snapshotHz() }, 'an object { losc, osc24m }'),
  };
};

/** The reset value of TMRn_CTRL.RELOAD and of the 64-bit counter's strobes: they read back 0. */
const CNT64_CTRL = ALLWINNER_A10_PIT_REGISTERS.byName.CNT64_CTRL_REG.fieldByName;

/**
 * The invariants of the module header ("Snapshots") for timer `i`, on a snapshot the schema
 * and the timer accepted.
 * @param r - the snapshot's register values
 * @param i - the timer
 * @param timer - its part
 * @param hz - its source's rate now before the prescaler (0: stopped or reserved)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkTimer = (
  r: Readonly<Record<string, number>>,
  i: AllwinnerA10PitTimerIndex,
  timer: TimerPartView,
  hz: number,
): void => {
  const ctrl = r[REG[i].CTRL]!;
  const at = (f: string): string => registerPath(REG[i].CTRL, f);
  if (field(ctrl, CTRL.RELOAD) !== 0) refuseSnapshot(registerPath(REG[i].CTRL), ctrl, `must have ${at('RELOAD')} 0: it clears itself (ambiguity 2)`);
  const interval = r[REG[i].INTV_VALUE]!;
  expectTimerLimit(timer, interval, `(${registerPath(REG[i].INTV_VALUE)}: the timer reloads the interval)`);
  expectTimerCountAtMost(timer, 0xffff_ffff, '(a 32-bit counter)');
  if (hz > 0) expectTimerPeriod(timer, hz, 2 ** field(ctrl, CTRL.CLK_PRES), `of one tick of the source ${at('CLK_SRC')} selects (${hz} Hz) with ${at('CLK_PRES')}`);
  const enabled = field(ctrl, CTRL.EN) === 1;
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${at('EN')} is ${enabled ? 1 : 0} and the source ${at('CLK_SRC')} selects runs at ${hz} Hz (it counts only when enabled on a running clock)`);
    return;
  }
  const single = field(ctrl, CTRL.MODE) === 1;
  expectRunningMode(timer, single, `while ${at('MODE')} is ${single ? 1 : 0}`);
  if (timer.mode === 'stopped' && (timer.delta !== 0n || (!single && interval !== 0))) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${at('EN')} is 1 on a running clock, unless it holds a 0 nothing reloads (${timer.where}.delta 0, and ${at('MODE')} 1 or ${registerPath(REG[i].INTV_VALUE)} 0; here delta ${timer.delta}, MODE ${single ? 1 : 0}, INTV ${interval})`,
    );
  }
};

/** The Allwinner A10 timer block (see the module header for the contract). */
export class AllwinnerA10Pit extends KitDevice<RegisterShapeOf<typeof ALLWINNER_A10_PIT_REGISTERS>, Readonly<Record<`irq${AllwinnerA10PitTimerIndex}` | 'irq', IrqSignal>>> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, LOSC and OSC24M inputs, trigger delivery, timing
   * @throws DeviceConfigError for a clock that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: AllwinnerA10PitOptions = {}) {
    checkDeviceOptions('AllwinnerA10Pit', options, { name: 'name?', losc: 'clock?', osc24m: 'clock?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'allwinner-a10-pit');
    this.losc = options.losc ?? new ClockInput(`${this.name}.losc`, 32_768);
    this.osc24m = options.osc24m ?? new ClockInput(`${this.name}.osc24m`, 24_000_000);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // Names are one string piece each on a shared suffix (#19).
    this.timers = this.attachTimers(INDICES.map((i) => this.name + TIMER_SUFFIXES[i]), {
      policy: ALLWINNER_A10_PIT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: AllwinnerA10Pit.expired,
    });
    this.attachBank(ALLWINNER_A10_PIT_REGISTERS, AllwinnerA10Pit.HOOKS);
    this.irqs = INDICES.map((i) => new IrqLine(this.name + IRQ_SUFFIXES[i]));
    this.cnt64 = { ticks: 0n, anchor: scheduler.now(), hz: this.osc24m.hz };
    this.reset();
    // reset() applied the current rates; each later change reprograms the timers on that input.
    this.followClock(this.losc, AllwinnerA10Pit.loscChanged);
    this.followClock(this.osc24m, AllwinnerA10Pit.osc24mChanged);
  }

  override read(offset: number, size: AccessSize): number {
    if (this.inRtcWindow(offset, size)) {
      this.reportRtc(offset);
      return 0;
    }
    return super.read(offset, size);
  }

  override write(offset: number, size: AccessSize, value: number): void {
    if (this.inRtcWindow(offset, size) && isAccessValue(value, size)) {
      this.reportRtc(offset);
      return;
    }
    super.write(offset, size, value);
  }

  /** Registers to the manual's reset values; every counter stopped at 0; the 64-bit counter restarts from 0. */
  override reset(): void {
    this.bank.reset();
    for (const i of INDICES) this.syncCounter(i, { count: 0 });
    this.cnt64 = { ticks: 0n, anchor: this.scheduler.now(), hz: this.osc24m.hz };
    this.updateIrq();
  }

  /** Registers, the six timers, the 64-bit counter and the clock rates, as plain versioned data. */
  snapshot(): AllwinnerA10PitSnapshot {
    return {
      ...this.snapshotHead(ALLWINNER_A10_PIT_SNAPSHOT_VERSION),
      timers: this.timers.map((t) => t.snapshot()),
      cnt64: { ticks: this.cnt64.ticks.toString(), anchor: this.cnt64.anchor },
      clocks: { losc: this.losc.hz, osc24m: this.osc24m.hz },
    };
  }

  /**
   * Loads an {@link AllwinnerA10PitSnapshot} taken at the current virtual time by a timer block
   * of this name; all or nothing (everything is checked before anything changes). The clock
   * inputs are the system's: set them to the snapshot's rates first.
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock rate that differs from its input's, a timer's own rules
   *   (`timers[i].<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'AllwinnerA10Pit', version: ALLWINNER_A10_PIT_SNAPSHOT_VERSION }, snapshotFields);
    expectSame('clocks.losc', s.clocks.losc, this.losc.hz, "the losc input's rate now in Hz");
    expectSame('clocks.osc24m', s.clocks.osc24m, this.osc24m.hz, "the osc24m input's rate now in Hz");
    const now = this.scheduler.now();
    if (s.cnt64.anchor > now) refuseSnapshot('cnt64.anchor', s.cnt64.anchor, `must be a whole ns time not after now (${now})`);
    const views = INDICES.map((i) => this.checkTimer(this.timers[i]!, s.timers[i], `timers[${i}]`));
    const r = s.registers.registers;
    const strobes = CNT64_CTRL.CNT64_CLR_EN.mask | CNT64_CTRL.CNT64_RL_EN.mask;
    if ((r['CNT64_CTRL_REG']! & strobes) !== 0) {
      refuseSnapshot(registerPath('CNT64_CTRL_REG'), r['CNT64_CTRL_REG'], 'must have CNT64_CLR_EN and CNT64_RL_EN 0: they clear themselves (ambiguity 9)');
    }
    for (const i of INDICES) checkTimer(r, i, views[i]!, this.sourceHz(r[REG[i].CTRL]!));
    restoreParts([[this.bank, s.registers, 'registers'], ...INDICES.map((i) => [this.timers[i]!, s.timers[i], `timers[${i}]`] as const)]);
    this.cnt64 = { ticks: BigInt(s.cnt64.ticks), anchor: s.cnt64.anchor, hz: this.osc24m.hz };
    this.updateIrq();
  }

  /** Per-timer interrupt outputs, index = timer: high while TMRn_IRQ_PEND and TMRn_IRQ_EN are both set. */
  readonly irqs: readonly IrqLine[];
  /** The OR of the six outputs (built on first use, #19). */
  get irq(): IrqSignal {
    return (this.combined ??= anyOf(`${this.name}.irq`, ...this.irqs));
  }
  /** The registers of {@link ALLWINNER_A10_PIT_REGISTERS}, in map order (the RTC window 0x100–0x13F is not in the map). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<AllwinnerA10Pit>();
    return build.of(ALLWINNER_A10_PIT_REGISTERS, {
      ...build.channels(ALLWINNER_A10_PIT_REGISTERS, 'TMR', (i) => ({
        CTRL: { write: (d, v, old) => d.writeCtrl(i, v, old) },
        INTV_VALUE: { write: (d) => d.syncCounter(i) },
        CUR_VALUE: { read: (d) => d.shownCount(i), write: (d, v) => d.syncCounter(i, { count: v }) },
      })),
      CNT64_CTRL_REG: { write: (d, v) => d.writeCnt64Ctrl(v) },
    });
  })();

  private combined: IrqSignal | undefined;

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: AllwinnerA10Pit, i: number): void => d.onExpiry(i as AllwinnerA10PitTimerIndex);

  /** LOSC changed rate (one function per class, #19). */
  private static readonly loscChanged = (d: AllwinnerA10Pit): void => d.onClock(0);
  /** OSC24M changed rate. */
  private static readonly osc24mChanged = (d: AllwinnerA10Pit): void => d.onClock(1);

  /** Timer `i` reached 0 (in its callback context when delivery is sync): pending whatever TMRn_IRQ_EN says (ambiguity 7). */
  private onExpiry(i: AllwinnerA10PitTimerIndex): void {
    this.bank.setFieldAt(IRQ_PEND[i]!, 1);
    // Single mode: the ptimer stopped itself at 0; the timer clears its own EN (ambiguity 5).
    if (this.bank.fieldAt(CTRL_MODE[i]!) === 1) this.bank.setFieldAt(CTRL_EN[i]!, 0);
    this.updateIrq();
  }

  /**
   * The output lines by local name: `irq0` … `irq5` are {@link AllwinnerA10Pit.irqs}[0] …
   * [5] (timer n's interrupt), `irq` is {@link AllwinnerA10Pit.irq} (their OR).
   */
  protected createLines(): Readonly<Record<`irq${AllwinnerA10PitTimerIndex}` | 'irq', IrqSignal>> {
    const [irq0, irq1, irq2, irq3, irq4, irq5] = this.irqs as readonly [IrqLine, IrqLine, IrqLine, IrqLine, IrqLine, IrqLine];
    return { irq0, irq1, irq2, irq3, irq4, irq5, irq: this.irq };
  }

  /**
   * `timer0.value` … `timer5.value` (32 bits): what a guest read of TMRn_CUR_VALUE_REG returns
   * now. `cnt64` (64 bits): the 64-bit counter now, i.e. what CNT64_HI:CNT64_LO would read
   * after a CNT64_RL_EN latch at this instant; the probe neither latches nor changes LO/HI.
   * All read without an access.
   */
  protected createProbes(): readonly DeviceProbe[] {
    // CUR_VALUE's read hook is pure; the 64-bit counter is probed live, without the CNT64_RL_EN latch a guest needs.
    return [
      ...INDICES.map((i) => timerProbe(this.timers[i]!, { name: `timer${i}.value`, width: 32 })),
      cycleCounterProbe(this.scheduler, { name: 'cnt64', width: 64, origin: () => ({ count: this.cnt64.ticks, time: this.cnt64.anchor, hz: this.cnt64.hz }) }),
    ];
  }

  /** The one place the outputs are computed (the OR follows through anyOf). */
  protected updateIrq(): void {
    for (const i of INDICES) {
      // Read afresh for each line: a subscriber of an earlier line may already have acknowledged this one.
      const level = this.bank.getAt(IRQ_STA) & this.bank.getAt(IRQ_EN);
      this.irqs[i]!.set(((level >>> i) & 1) === 1);
    }
  }

  private writeCtrl(i: AllwinnerA10PitTimerIndex, value: number, old: number): void {
    const reload = field(value, CTRL.RELOAD) === 1;
    if (reload) this.bank.setField(REG[i].CTRL, 'RELOAD', 0); // self-clearing (ambiguity 2)
    const source = field(value, CTRL.CLK_SRC);
    if (source > 1) {
      const offset = ALLWINNER_A10_PIT_REGISTERS.byName[REG[i].CTRL].offset;
      const feature = `${REG[i].CTRL}.CLK_SRC=${source} (PLL6/6 or external clock: not modelled, the counter holds)`;
      this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature });
    }
    const starting = field(value, CTRL.EN) === 1 && field(old, CTRL.EN) === 0;
    this.syncCounter(i, { reload, starting });
  }

  private writeCnt64Ctrl(value: number): void {
    const fields = ALLWINNER_A10_PIT_REGISTERS.byName.CNT64_CTRL_REG.fieldByName;
    if (field(value, fields.CNT64_CLR_EN) === 1) {
      this.cnt64 = { ticks: 0n, anchor: this.scheduler.now(), hz: this.cnt64.hz };
      this.bank.setField('CNT64_CTRL_REG', 'CNT64_CLR_EN', 0);
    }
    if (field(value, fields.CNT64_RL_EN) === 1) {
      const now = this.cnt64Value();
      this.bank.set('CNT64_LO_REG', Number(now & 0xffff_ffffn));
      this.bank.set('CNT64_HI_REG', Number((now >> 32n) & 0xffff_ffffn));
      this.bank.setField('CNT64_CTRL_REG', 'CNT64_RL_EN', 0);
    }
  }

  /** A clock input changed: the 64-bit counter keeps its ticks so far, and the timers on it are reprogrammed. */
  private onClock(source: 0 | 1): void {
    if (source === 1 && this.osc24m.hz !== this.cnt64.hz) {
      this.cnt64 = { ticks: this.cnt64Value(), anchor: this.scheduler.now(), hz: this.osc24m.hz };
    }
    for (const i of INDICES) if (field(this.bank.get(REG[i].CTRL), CTRL.CLK_SRC) === source) this.syncCounter(i);
    this.updateIrq();
  }

  /** OSC24M ticks counted by the 64-bit counter up to now. */
  private cnt64Value(): bigint {
    const elapsed = BigInt(this.scheduler.now() - this.cnt64.anchor);
    return (this.cnt64.ticks + (elapsed * BigInt(this.cnt64.hz)) / NS_PER_S) & 0xffff_ffff_ffff_ffffn;
  }

  /** The frequency timer `i` counts at before its prescaler: 0 for a stopped clock or a reserved source. */
  private sourceHz(ctrl: number): number {
    const source = field(ctrl, CTRL.CLK_SRC);
    return source === 0 ? this.losc.hz : source === 1 ? this.osc24m.hz : 0;
  }

  /** What CUR_VALUE shows now: the ptimer's count. */
  private shownCount(i: AllwinnerA10PitTimerIndex): number {
    return this.timers[i]!.getCountNumber();
  }

  /**
   * Brings timer `i`'s ptimer in line with its registers and clock, in one transaction (which
   * joins the timer's callback context when called from there). Changing nothing re-anchors
   * nothing.
   * @param change - `count`: load the counter with it; `reload`: RELOAD was written; `starting`: EN went 0→1
   */
  private syncCounter(
    i: AllwinnerA10PitTimerIndex,
    change: { readonly count?: number; readonly reload?: boolean; readonly starting?: boolean } = {},
  ): void {
    const ctrl = this.bank.get(REG[i].CTRL);
    const interval = this.bank.get(REG[i].INTV_VALUE);
    const enabled = field(ctrl, CTRL.EN) === 1;
    const single = field(ctrl, CTRL.MODE) === 1;
    const hz = this.sourceHz(ctrl);
    const divisor = 2 ** field(ctrl, CTRL.CLK_PRES);
    const apply = (t: PTimer): void => {
      // Read before any change: once a count is set, reads in the transaction are stale (reference §5.2 pitfall 2).
      let count = this.shownCount(i);
      let recount = false;
      if (change.count !== undefined) {
        count = change.count;
        recount = true;
      }
      if (change.reload === true || (change.starting === true && count === 0)) {
        count = interval; // RELOAD, or a start with nothing held (ambiguity 1)
        recount = true;
      }
      const limitChanged = t.getLimit() !== BigInt(interval);
      // Resting at 0 in continuous mode: the new interval is what the end of the rest loads (ambiguity 3).
      if (limitChanged && !recount && t.mode === 'periodic' && count === 0) recount = true;
      // Nothing to count down: a single shot at 0, or INTV = 0 (ambiguities 5, 6); a stopped clock holds (8).
      const counting = enabled && hz > 0 && !(count === 0 && (single || interval === 0));
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      CounterRate.applyTo(t, hz, divisor); // a rate it already runs at changes nothing (ambiguity 8)
      if (limitChanged) t.setLimit(interval, false);
      if (recount) t.setCount(count);
      if (counting) t.run(single); // on a running timer only a mode switch: the countdown continues
    };
    this.timers[i]!.transaction(apply);
  }

  private inRtcWindow(offset: number, size: AccessSize): boolean {
    return Number.isSafeInteger(offset) && offset >= RTC_WINDOW.from && offset < RTC_WINDOW.to && ACCESS_SIZES.includes(size);
  }

  private reportRtc(offset: number): void {
    const feature = 'RTC/alarm/general-purpose/CPU-config registers (0x100-0x13F)';
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature });
  }

  /** The 32 kHz input (CLK_SRC 00). */
  readonly losc: ClockInput;
  /** The 24 MHz input (CLK_SRC 01, the 64-bit counter). */
  readonly osc24m: ClockInput;
  /** The six counters (for inspection; the guest reaches them through the registers). */
  readonly timers: readonly PTimer[];
  /** The 64-bit counter: `ticks` counted up to `anchor` (ns), then `hz` ticks per second since. */
  private cnt64: { ticks: bigint; anchor: number; hz: number };
}
