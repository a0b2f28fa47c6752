/**
 * Axis ETRAX FS timer block (CRIS v32): two 32-bit down-counters with a reload value and a
 * clock select each, the free-running 100 MHz time counter `r_time`, the keyed 8-bit watchdog
 * (NMI, then chip reset) and the interrupt mask/acknowledge block.
 *
 * Manual: no ETRAX FS design reference was read. The facts come from the chip's register
 * description (timer_regs.r, as Linux's generated `timer_defs.h` carries it: offsets, fields,
 * encodings, reset values), the watchdog paragraph of the timer block's design specification
 * that Linux's arch-v32 time.c quotes (an 8-bit counter with a configurable start value,
 * counting down at 100 MHz / 131072 ≈ 763 Hz, an NMI when it counts down to 1 and a chip reset
 * at 0), and how that driver programs the block (reference devices-2.md §25, [med]). QEMU's
 * `etraxfs,timer` (removed in 2024 with the CRIS target) was a cross-check only; each
 * departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - Timer clocks, {@link ClockInput}s selected by rw_tmrN_ctrl.freq: `f100` (100 MHz; also
 *   `r_time`'s and the watchdog's clock), `f29_493` (29.493 MHz), `f32` (32 MHz), `f32_768`
 *   (32.768 MHz), `ext` (the external timer clock, default not connected: 0 Hz). 0 Hz freezes a
 *   count; a rate change re-times a running count from its reading with a fresh cycle.
 * - `irq`: the block's interrupt, r_masked_intr ≠ 0; `nmi`: the watchdog's NMI; `reset`: the
 *   watchdog's chip-reset request.
 *
 * ## Timing
 * Exact by default (`timing` option): a cycle is exactly 10^9/Hz ns. At 100 MHz and 32 MHz
 * (10 ns, 31.25 ns) both timings agree on whole-ns expiries; 29.493 MHz and 32.768 MHz are
 * not whole ns per cycle, where `timing: 'qemu'` (QEMU's 64.32 fixed point, floored per
 * countdown) ends each round up to 1 ns early. `r_time` is computed exactly in both.
 *
 * ## Policy
 * {@link ETRAXFS_TIMER_POLICY}: the counters read like hardware down-counters.
 *
 * ## Not modelled, and what the guest sees instead
 * - The counter/trigger unit (rs_cnt_data, r_cnt_data, rw_cnt_cfg, rw_trig, rw_trig_cfg), the
 *   output select (rw_out) and the test register (rw_test): `unimplemented` events reading 0
 *   ({@link ETRAXFS_TIMER_NOT_MODELLED}); their interrupt sources (cnt, trig) never set, and a
 *   1 written to their mask bits is reported.
 * - The external clock's pin (`ext` is a clock input), the CPU's NMI enable flag (the `nmi`
 *   line is the request), and what the chip reset resets (the `reset` line's business).
 * - Offsets 0x0C, 0x1C, 0x2C and from 0x5C on: unmapped guest errors.
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/etraxfs-timer/, titles start with the tag.
 * E1 op. `ld` loads rw_tmrN_div into the counter and keeps loading it while op stays `ld`
 *    (a div written then is loaded at once); `hold` freezes the counter; `run` counts down. Linux always writes `ld` then `run`, so the
 *    count starts from div at the `run` write. QEMU: `ld` reloads the count without stopping
 *    or starting the timer. ('E1 …')
 * E2 Counting. A running counter counts down at its clock and, at the step to 0, reloads div
 *    and sets r_intr.tmrN in the same instant: a period of div cycles (Linux: 100 MHz with
 *    div = 10^6 is HZ = 100, and its `(div - data) × 10 ns` is the time since the tick, so
 *    data reads div through the first cycle and 1 through the last). QEMU: LEGACY, reading
 *    one less between cycles. ('E2 …')
 * E3 A div write takes effect at the next reload (or at once under `ld`); a running count is left alone
 *    (Linux's clock-change path writes div near the end of a period for that reason). ('E3 …')
 * E4 `run` with the counter at 0 (after reset, or a load of div 0): with div ≠ 0 the counter
 *    reloads div and interrupts at once, as the step to 0 would (QEMU the same); with div 0 it
 *    holds at 0 without an interrupt. A counter that reaches 0 with div 0 interrupts and holds
 *    there. ('E4 …')
 * E5 Reserved encodings: freq 2 or 3 gives the counter no clock (it holds) and op 3 holds it;
 *    each write of one is an `unimplemented` event. freq 0 (off) holds the counter silently;
 *    freq 1 counts `ext`. QEMU: freq 0 and 1 count at 32 MHz, and freq 2/3 or op 3 abort QEMU
 *    (a guest-triggerable crash). ('E5 …')
 * E6 A ctrl write that leaves op at `run` and the clock unchanged leaves the count alone; a
 *    clock change re-times it from its reading. QEMU re-applies the limit on every write.
 *    ('E6 …')
 * E7 rw_ack_intr is a strobe: a 1 clears the source's r_intr bit, a read returns 0 (QEMU the
 *    same). ('E7 …')
 * E8 r_intr reads the raw sources (the register description makes it readable). QEMU reads 0.
 *    ('E8 …')
 * E9 The watchdog (the design specification Linux quotes). An accepted rw_wd_ctrl write lowers
 *    the NMI and loads the counter with cnt (0 counts as 256); cmd 1 starts it counting down
 *    at f100 / 131072, cmd 0 stops it. Counting down to 1 raises `nmi`; the next step, to 0,
 *    raises `reset` (held until `reset()`) and stops it. A start value of 1 gives the reset
 *    after one step and no NMI. While the last accepted write had cmd 1, a write whose key is
 *    not the complement of the last accepted key is refused as a `locked` guest error and
 *    changes nothing. QEMU: 760 Hz, and at the NMI it re-arms 10 steps instead of 1 ("friendlier
 *    to slower emulation"). ('E9 …')
 * E10 r_wd_stat reads the watchdog counter and the last accepted cmd: while stopped, the
 *    loaded cnt; after the reset request, 0. QEMU reads 0. ('E10 …')
 * E11 rw_wd_ctrl reads back the last accepted write. QEMU reads 0. ('E11 …')
 * E12 Access sizes: 32-bit only (QEMU the same); others are `bad-size` guest errors. A write to
 *    a read-only register is a `read-only` guest error. (guest-error spec)
 * E13 The registers the model leaves out are `unimplemented`, not guest errors. (guest-error spec)
 * E14 r_time counts f100 cycles from 0 at reset (and at creation), wrapping at 2^32; a rate
 *    change of f100 goes on from the value it reads. QEMU: virtual ns / 10 since the machine
 *    started, whatever happened since. ('E14 …')
 * E15 Reads at an expiry instant see data before the reload with r_intr clear, or reloaded with
 *    r_intr set: never a mix (G1, the harness spec).
 *
 * ## Snapshots
 * {@link EtraxfsTimerSnapshot}, checked by one strict schema, each counter's own rules
 * (`timers[i].<field>`) and the invariants that hold by construction, each refused at the
 * field that breaks it: the computed and strobe registers store nothing; each timer's limit is
 * its div and its period one cycle of the clock its freq selects; it runs periodic exactly while
 * op is `run`, its clock runs and it is not held at 0 with div 0, and holds div under `ld`; the
 * watchdog's stage follows rw_wd_ctrl.cmd (stopped exactly while cmd is 0), it runs one-shot
 * while counting with f100 running, with at most 255 steps to the NMI and 1 after it; the NMI
 * only after it, the reset request once bitten; `rtime.at` not after the snapshot's instant.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: the reload, r_intr and the line change
 * in the expiry step, G1); `bottom-half` exists only to show the race.
 *
 * ## Device kit
 * A PartialKitDevice (the shell on the prototype) on ETRAXFS_TIMER_REGISTERS, the rest of the
 * block left out; three timers from one `channelTimers` call (tmr0, tmr1, the watchdog), a CounterRate each; `dispose()`
 * ends the clock watches and the timers.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  deviceHooks,
  expectResetValues,
  expectSame,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerHandle,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotField,
  snapshotHz,
  snapshotInteger,
  snapshotObject,
  snapshotPart,
  snapshotTuple,
  type AccessSize,
  type DeviceBankHooks,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { cycleCounterProbe } from '../../src/bus/kit/cycleCounterProbe';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { ETRAXFS_TIMER_FREQ, ETRAXFS_TIMER_NOT_MODELLED, ETRAXFS_TIMER_OP, ETRAXFS_TIMER_REGISTERS } from './ETRAXFS_TIMER_REGISTERS';

/** The counters' policy flags, one reason each (E2, E10). */
export const ETRAXFS_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // data reads div through the first cycle and 1 through the last (Linux's (div - data) × 10 ns); r_wd_stat the watchdog's count likewise (E2, E10)
] as const satisfies readonly PTimerPolicy[];

/** f100 cycles per watchdog step: 100 MHz / 131072 ≈ 763 Hz (E9). */
export const ETRAXFS_WATCHDOG_DIVISOR = 131_072;

/** Current {@link EtraxfsTimerSnapshot} format version. */
export const ETRAXFS_TIMER_SNAPSHOT_VERSION = 1;

/** Where the watchdog is (E9): stopped, counting to the NMI, in its last step, or bitten (reset requested). */
export type EtraxfsWatchdogStage = 'stopped' | 'counting' | 'last' | 'bitten';
const STAGES: readonly EtraxfsWatchdogStage[] = ['stopped', 'counting', 'last', 'bitten'];

/** The timer block's whole state as plain, versioned data. */
export interface EtraxfsTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof ETRAXFS_TIMER_SNAPSHOT_VERSION;
  /** The register bank (the data, time, status and masked registers and the acknowledge store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** Timer 0, timer 1, and the watchdog's counter. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** The watchdog's stage (E9). */
  readonly watchdog: EtraxfsWatchdogStage;
  /** The NMI request's level. */
  readonly nmi: boolean;
  /** Whether the watchdog has requested the chip reset. */
  readonly resetRequested: boolean;
  /** r_time's reading `base` at instant `at` (ns), counting f100 since (E14). */
  readonly rtime: {
    /** r_time's reading at `at`. */
    readonly base: number;
    /** The instant (ns) of that reading: the last reset or f100 rate change. */
    readonly at: number;
  };
  /** The clock inputs' rates when it was taken; restore requires the inputs to be at them. */
  readonly clocksHz: {
    /** The 100 MHz clock's rate. */
    readonly f100: number;
    /** The 29.493 MHz clock's rate. */
    readonly f29_493: number;
    /** The 32 MHz clock's rate. */
    readonly f32: number;
    /** The 32.768 MHz clock's rate. */
    readonly f32_768: number;
    /** The external clock's rate. */
    readonly ext: number;
  };
}

/** Options of {@link EtraxfsTimer}. */
export interface EtraxfsTimerOptions {
  /** The 100 MHz clock (freq 7, r_time, the watchdog). Default: a new 100 MHz input. */
  readonly f100?: ClockInput;
  /** The 29.493 MHz clock (freq 4). Default: a new 29.493 MHz input. */
  readonly f29_493?: ClockInput;
  /** The 32 MHz clock (freq 5). Default: a new 32 MHz input. */
  readonly f32?: ClockInput;
  /** The 32.768 MHz clock (freq 6). Default: a new 32.768 MHz input. */
  readonly f32_768?: ClockInput;
  /** The external timer clock (freq 1). Default: a new input at 0 Hz (not connected). */
  readonly ext?: ClockInput;
  /** Instance name, the `source` of its events (default `'etraxfs-timer'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof ETRAXFS_TIMER_REGISTERS>;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  r_intr: registerHandle(ETRAXFS_TIMER_REGISTERS, 'r_intr'),
  rw_intr_mask: registerHandle(ETRAXFS_TIMER_REGISTERS, 'rw_intr_mask'),
  rw_wd_ctrl: registerHandle(ETRAXFS_TIMER_REGISTERS, 'rw_wd_ctrl'),
} as const;
type Index = 0 | 1;
const INDICES: readonly Index[] = [0, 1];
const REG = [
  { div: 'rw_tmr0_div', data: 'r_tmr0_data', ctrl: 'rw_tmr0_ctrl', bit: 'tmr0' },
  { div: 'rw_tmr1_div', data: 'r_tmr1_data', ctrl: 'rw_tmr1_ctrl', bit: 'tmr1' },
] as const;
/** The timer block's clock inputs by name. */
export type EtraxfsClockName = 'f100' | 'f29_493' | 'f32' | 'f32_768' | 'ext';
const CLOCK_NAMES: readonly EtraxfsClockName[] = ['f100', 'f29_493', 'f32', 'f32_768', 'ext'];
/** The timers' name suffixes, by channel of their shared handler. */
const TIMER_SUFFIXES = ['.tmr0', '.tmr1', '.watchdog'] as const;
type ClockName = EtraxfsClockName;
const DEFAULT_HZ: Readonly<Record<ClockName, number>> = { f100: 100_000_000, f29_493: 29_493_000, f32: 32_000_000, f32_768: 32_768_000, ext: 0 };

const R = ETRAXFS_TIMER_REGISTERS.byName;
const CTRL = R.rw_tmr0_ctrl.fieldByName;
const WD = R.rw_wd_ctrl.fieldByName;
const field = (value: number, f: { readonly mask: number; readonly lsb: number }): number => ((value & f.mask) >>> f.lsb) >>> 0;
/** The r_intr bits the model sets: tmr0 and tmr1. */
const TIMER_BITS = 0b11;
const KEY_MASK = 0x7f;
const TWO32 = 2n ** 32n;

/** The clock rw_tmrN_ctrl.freq selects, `undefined` for off and the reserved encodings (E5). */
const clockOf = (freq: number): ClockName | undefined => {
  switch (freq) {
    case ETRAXFS_TIMER_FREQ.ext:
      return 'ext';
    case ETRAXFS_TIMER_FREQ.f29_493:
      return 'f29_493';
    case ETRAXFS_TIMER_FREQ.f32:
      return 'f32';
    case ETRAXFS_TIMER_FREQ.f32_768:
      return 'f32_768';
    case ETRAXFS_TIMER_FREQ.f100:
      return 'f100';
    default:
      return undefined;
  }
};

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(ETRAXFS_TIMER_REGISTERS);

/** Registers that store nothing: computed reads and the acknowledge strobe. */
const FIXED = [R.r_tmr0_data, R.r_tmr1_data, R.r_time, R.r_wd_stat, R.rw_ack_intr, R.r_masked_intr];

/**
 * The ETRAX FS timer block (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (the reload, r_intr and the lines change in the
 * counter's expiry step); G2/G3 through the timers' transactions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timers = new EtraxfsTimer(clock);                // 100 MHz, 29.493, 32, 32.768 MHz
 * timers.write(0x00, 4, 1_000_000);                      // rw_tmr0_div: 10 ms at 100 MHz
 * timers.write(0x08, 4, (7 << 2) | 0);                   // rw_tmr0_ctrl: f100, load
 * timers.write(0x08, 4, (7 << 2) | 2);                   // rw_tmr0_ctrl: f100, run
 * timers.write(0x48, 4, 1);                              // rw_intr_mask: tmr0
 * clock.advanceTo(10_000_000);
 * timers.irq.level;                                      // true, until rw_ack_intr.tmr0
 * ```
 */
export class EtraxfsTimer extends PartialKitDevice<Registers, {
  /** {@link EtraxfsTimer.irq}. */
  irq: IrqLine;
  /** {@link EtraxfsTimer.nmi}. */
  nmi: IrqLine;
  /** {@link EtraxfsTimer.resetRequest}. */
  reset: IrqLine;
}> {
  /**
   * Creates the block with its registers at their reset values (all 0), both counters and the
   * watchdog stopped at 0, r_time at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock inputs, name, trigger delivery, timing
   * @throws DeviceConfigError for a clock that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: EtraxfsTimerOptions = {}) {
    checkDeviceOptions('EtraxfsTimer', options, {
      f100: 'clock?',
      f29_493: 'clock?',
      f32: 'clock?',
      f32_768: 'clock?',
      ext: 'clock?',
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'etraxfs-timer');
    const input = (c: ClockName): ClockInput => options[c] ?? new ClockInput(`${this.name}.${c}`, DEFAULT_HZ[c]);
    this.clocks = Object.freeze({ f100: input('f100'), f29_493: input('f29_493'), f32: input('f32'), f32_768: input('f32_768'), ext: input('ext') });
    // Expiries reach the one handler in the timer's expiry step, in its callback context (G1, G3);
    // one wiring for the three timers, names one string piece each (#19).
    this.timers = this.attachTimers(TIMER_SUFFIXES.map((suffix) => this.name + suffix), {
      policy: ETRAXFS_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: EtraxfsTimer.expired,
    }) as [PTimer, PTimer, PTimer];
    this.attachBank(ETRAXFS_TIMER_REGISTERS, EtraxfsTimer.HOOKS);
    this.attachUnmodelled({ registers: ETRAXFS_TIMER_NOT_MODELLED, what: 'counter, trigger and output units' });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.nmi = new IrqLine(`${this.name}.nmi`);
    this.resetRequest = new IrqLine(`${this.name}.reset`);
    this.reset();
    // reset() applied the current rates; each later change re-times what runs on that clock.
    for (const c of CLOCK_NAMES) this.followClock(this.clocks[c], EtraxfsTimer.CLOCK_CHANGED[c]);
  }

  /** Each input's change handler, by input name (one table for every instance, #19). */
  private static readonly CLOCK_CHANGED = Object.fromEntries(CLOCK_NAMES.map((c) => [c, (d: EtraxfsTimer) => d.onClock(c)])) as Record<
    ClockName,
    (d: EtraxfsTimer) => void
  >;

  /** Every timer's handler, by channel (TIMER_SUFFIXES' order): counter 0, counter 1, the watchdog. */
  private static readonly expired = (d: EtraxfsTimer, channel: number): void => {
    if (channel === 2) d.onWatchdog();
    else d.onExpiry(channel as Index);
  };

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const hooks: Record<string, unknown> = {
      r_time: { read: (d: EtraxfsTimer) => d.time() },
      rw_wd_ctrl: { write: (d: EtraxfsTimer, v: number) => d.onWatchdogControl(v) },
      r_wd_stat: { read: (d: EtraxfsTimer) => d.watchdogStatus() },
      rw_ack_intr: { write: (d: EtraxfsTimer, v: number) => d.onAcknowledge(v) },
      r_masked_intr: { read: (d: EtraxfsTimer) => d.bank.getAt(REGISTER.r_intr) & d.bank.getAt(REGISTER.rw_intr_mask) },
    };
    for (const i of INDICES) {
      hooks[REG[i].div] = { write: (d: EtraxfsTimer) => d.sync(i) };
      hooks[REG[i].data] = { read: (d: EtraxfsTimer) => d.timers[i].getCountNumber() };
      hooks[REG[i].ctrl] = { write: (d: EtraxfsTimer, v: number, old: number) => d.onControl(i, v, old) };
    }
    return deviceHooks<EtraxfsTimer>().of(ETRAXFS_TIMER_REGISTERS, hooks as DeviceBankHooks<Registers, EtraxfsTimer>);
  })();

  /** A write to a modelled register: a watchdog control write with the wrong key is refused first (see refusesKey). */
  protected override writeModelled(offset: number, size: AccessSize, value: number): void {
    if (offset === R.rw_wd_ctrl.offset && size === 4 && this.refusesKey(value)) return;
    super.writeModelled(offset, size, value);
  }

  /** Reset: registers to 0, both counters and the watchdog stopped at 0, no NMI or reset request, r_time from 0 now. */
  override reset(): void {
    for (const t of this.timers) {
      t.transaction((tx) => {
        tx.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
        tx.setLimit(0, false);
        tx.setCount(0);
      });
    }
    this.bank.reset();
    this.stage = 'stopped';
    this.nmiRaised = false;
    this.resetRequested = false;
    this.rtimeBase = 0n;
    this.rtimeAt = this.scheduler.now();
    this.rtimeHz = this.clocks.f100.hz;
    for (const i of INDICES) this.sync(i);
    this.syncWatchdog();
    this.updateIrq();
  }

  snapshot(): EtraxfsTimerSnapshot {
    const hz = (c: ClockName): number => this.clocks[c].hz;
    return {
      ...this.snapshotHead(ETRAXFS_TIMER_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot(), this.timers[2].snapshot()],
      watchdog: this.stage,
      nmi: this.nmiRaised,
      resetRequested: this.resetRequested,
      rtime: { base: Number(this.rtimeBase), at: this.rtimeAt },
      clocksHz: { f100: hz('f100'), f29_493: hz('f29_493'), f32: hz('f32'), f32_768: hz('f32_768'), ext: hz('ext') },
    };
  }

  /**
   * Loads an {@link EtraxfsTimerSnapshot} taken at the clock's current time by a block of this
   * name; all or nothing (everything is checked before anything changes). The clock inputs are
   * the system's: set them to the snapshot's rates first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock rate, a counter's own rules (`timers[i].<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'EtraxfsTimer', version: ETRAXFS_TIMER_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart(), snapshotPart()], 'tmr0, tmr1, watchdog'),
      watchdog: snapshotField<EtraxfsWatchdogStage>((v) => STAGES.includes(v as EtraxfsWatchdogStage), `must be one of ${STAGES.map((s) => `'${s}'`).join(', ')}`),
      nmi: snapshotBoolean(),
      resetRequested: snapshotBoolean(),
      rtime: snapshotObject({ base: snapshotInteger(0, 0xffff_ffff), at: snapshotInteger(0, Number.MAX_SAFE_INTEGER) }, 'rtime'),
      clocksHz: snapshotObject({ f100: snapshotHz(), f29_493: snapshotHz(), f32: snapshotHz(), f32_768: snapshotHz(), ext: snapshotHz() }, 'clocksHz'),
    }));
    const now = this.scheduler.now();
    if (s.rtime.at > now) refuseSnapshot('rtime.at', s.rtime.at, `must not be after the snapshot's instant, ${now} (E14)`);
    for (const c of CLOCK_NAMES) expectSame(`clocksHz.${c}`, s.clocksHz[c], this.clocks[c].hz, `the ${c} input's frequency now`);
    const views = [0, 1, 2].map((i) => this.checkTimer(this.timers[i]!, s.timers[i], `timers[${i}]`));
    expectResetValues(s.registers.registers, FIXED);
    for (const i of INDICES) this.checkTimerConsistency(s.registers.registers, i, views[i]!);
    this.checkWatchdog(s.registers.registers, views[2]!, s.watchdog, s.nmi, s.resetRequested);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
      [this.timers[2], s.timers[2], 'timers[2]'],
    ]);
    this.stage = s.watchdog;
    this.nmiRaised = s.nmi;
    this.resetRequested = s.resetRequested;
    this.rtimeBase = BigInt(s.rtime.base);
    this.rtimeAt = s.rtime.at;
    this.rtimeHz = this.clocks.f100.hz;
    for (const i of INDICES) this.rates[i].adopt(this.selectedHz(i));
    this.rates[2].adopt(this.clocks.f100.hz, ETRAXFS_WATCHDOG_DIVISOR);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The block's interrupt: r_masked_intr ≠ 0. */
  readonly irq: IrqLine;
  /** The watchdog's NMI request (E9): from the step to 1 until an accepted rw_wd_ctrl write or `reset()`. */
  readonly nmi: IrqLine;
  /** The watchdog's chip-reset request (E9): from the step to 0 until `reset()`. */
  readonly resetRequest: IrqLine;
  /** The registers of {@link ETRAXFS_TIMER_REGISTERS}, in map order (the unmodelled ones are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Timer i reached 0 and reloaded div (in its callback context when delivery is sync): E2, E4. */
  private onExpiry(i: Index): void {
    this.bank.setField('r_intr', REG[i].bit, 1);
    if (this.timers[i].getLimit() === 0n) this.timers[i].transaction((t) => t.stop()); // div 0: held at 0 (E4)
    this.updateIrq();
  }

  /** rw_tmrN_ctrl write: reserved encodings are reported (E5), then the counter follows op and freq (E1, E6). */
  private onControl(i: Index, value: number, old: number): void {
    const { offset } = R[REG[i].ctrl];
    const report = (what: string): void => {
      this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: `${REG[i].ctrl}.${what} (reserved encoding: the counter holds)` });
    };
    const op = field(value, CTRL.op);
    const freq = field(value, CTRL.freq);
    if (op === 3) report('op 3');
    if (freq === 2 || freq === 3) report(`freq ${freq}`);
    if (op !== field(old, CTRL.op) || freq !== field(old, CTRL.freq) || op !== ETRAXFS_TIMER_OP.run) this.sync(i);
  }

  /**
   * Brings timer i in line with its registers and clock (E1-E6): periodic while op is `run`, its
   * clock runs and it is not at 0 with div 0; stopped otherwise. The limit is div (the next reload).
   */
  private sync(i: Index): void {
    const ctrl = this.bank.get(REG[i].ctrl);
    const div = this.bank.get(REG[i].div);
    this.timers[i].transaction((t) => {
      const running = this.rates[i].apply(t, this.selectedHz(i)); // first: a new period latches the running count (pitfall 3)
      const op = field(ctrl, CTRL.op);
      if (op === ETRAXFS_TIMER_OP.ld) {
        t.stop(); // first: stop latches the running count
        t.setLimit(div, true); // under ld the counter takes div (E1)
        return;
      }
      t.setLimit(div, false); // E3: the next reload, not the running count
      const run = op === ETRAXFS_TIMER_OP.run && running && !(div === 0 && t.getCountNumber() === 0);
      if (run) t.run(false);
      else t.stop();
    });
  }

  /** The rate of the clock timer i's freq selects: 0 for off and the reserved encodings (E5). */
  private selectedHz(i: Index): number {
    const clock = clockOf(field(this.bank.get(REG[i].ctrl), CTRL.freq));
    return clock === undefined ? 0 : this.clocks[clock].hz;
  }

  /** A clock input changed: re-time what counts on it; f100 also carries r_time and the watchdog (E14). */
  private onClock(c: ClockName): void {
    if (c === 'f100') {
      this.rtimeBase = BigInt(this.time());
      this.rtimeAt = this.scheduler.now();
      this.rtimeHz = this.clocks.f100.hz;
      this.syncWatchdog();
    }
    for (const i of INDICES) this.sync(i);
    this.updateIrq();
  }

  /** r_time now: f100 cycles since `rtimeAt` on top of `rtimeBase`, modulo 2^32 (E14). */
  private time(): number {
    const elapsed = (BigInt(this.scheduler.now() - this.rtimeAt) * BigInt(this.rtimeHz)) / 1_000_000_000n;
    return Number((this.rtimeBase + elapsed) % TWO32);
  }

  /** Whether a rw_wd_ctrl write is refused for its key (E9), reported as a `locked` guest error. */
  private refusesKey(value: number): boolean {
    if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff_ffff) return false; // the bank refuses it
    const last = this.bank.getAt(REGISTER.rw_wd_ctrl);
    if (field(last, WD.cmd) === 0) return false;
    const want = ~field(last, WD.key) & KEY_MASK;
    const key = field(value, WD.key);
    if (key === want) return false;
    const detail = `rw_wd_ctrl: the watchdog runs, so the key must be 0x${want.toString(16)} (the complement of the last, 0x${field(last, WD.key).toString(16)}), not 0x${key.toString(16)}`;
    this.outlet.record({ kind: 'guest-error', time: this.scheduler.now(), source: this.name, offset: R.rw_wd_ctrl.offset, size: 4, reason: 'locked', detail });
    return true;
  }

  /** An accepted rw_wd_ctrl write (E9): the NMI drops, the counter loads cnt, cmd starts or stops it. */
  private onWatchdogControl(value: number): void {
    this.nmiRaised = false;
    const start = field(value, WD.cnt) === 0 ? 256 : field(value, WD.cnt);
    this.stage = field(value, WD.cmd) === 0 ? 'stopped' : start === 1 ? 'last' : 'counting';
    this.timers[2].transaction((t) => {
      t.stop();
      t.setLimit(0, false);
      t.setCount(this.stage === 'counting' ? start - 1 : this.stage === 'last' ? 1 : 0);
    });
    this.syncWatchdog();
  }

  /** The watchdog's counter reached the step (in its callback context when delivery is sync): to 1 the NMI, to 0 the reset (E9). */
  private onWatchdog(): void {
    if (this.stage === 'counting') {
      this.stage = 'last';
      this.nmiRaised = true;
      this.timers[2].transaction((t) => t.setCount(1));
    } else if (this.stage === 'last') {
      this.stage = 'bitten';
      this.resetRequested = true;
    }
    this.syncWatchdog();
    this.updateIrq();
  }

  /** The watchdog counts one-shot at f100 / 131072 while counting or in its last step and f100 runs; else it is stopped. */
  private syncWatchdog(): void {
    this.timers[2].transaction((t) => {
      const running = this.rates[2].apply(t, this.clocks.f100.hz, ETRAXFS_WATCHDOG_DIVISOR);
      if ((this.stage === 'counting' || this.stage === 'last') && running) t.run(true);
      else t.stop();
    });
  }

  /** r_wd_stat (E10): the counter (the loaded cnt while stopped, 0 once bitten) and the last accepted cmd. */
  private watchdogStatus(): number {
    const ctrl = this.bank.getAt(REGISTER.rw_wd_ctrl);
    const count = this.timers[2].getCountNumber();
    const cnt = this.stage === 'stopped' ? field(ctrl, WD.cnt) : this.stage === 'counting' ? (count + 1) & 0xff : this.stage === 'last' ? count : 0;
    return (cnt | (field(ctrl, WD.cmd) << WD.cmd.lsb)) >>> 0;
  }

  /** rw_ack_intr write (E7): each 1 clears its r_intr bit; the strobe stores nothing. */
  private onAcknowledge(value: number): void {
    this.bank.set('rw_ack_intr', 0);
    this.bank.set('r_intr', this.bank.getAt(REGISTER.r_intr) & ~value & TIMER_BITS);
  }

  /** Timer i's invariants (module header, "Snapshots"), on a snapshot the schema and the timer accepted. */
  private checkTimerConsistency(r: Readonly<Record<string, number>>, i: Index, timer: TimerPartView): void {
    const div = r[REG[i].div]!;
    const ctrl = r[REG[i].ctrl]!;
    const op = field(ctrl, CTRL.op);
    const freq = field(ctrl, CTRL.freq);
    const clock = clockOf(freq);
    const hz = clock === undefined ? 0 : this.clocks[clock].hz;
    expectTimerLimit(timer, div, `(${registerPath(REG[i].div)}: the counter reloads div, E3)`);
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one ${clock} cycle at ${hz} Hz (${registerPath(REG[i].ctrl, 'freq')} ${freq})`);
    const runs = op === ETRAXFS_TIMER_OP.run && hz > 0;
    const because = `while ${registerPath(REG[i].ctrl, 'op')} is ${op}, its clock runs at ${hz} Hz and ${registerPath(REG[i].div)} is ${div} (E1, E4, E5)`;
    if (runs && div === 0) {
      // Counting down to 0, or held there (E4).
      if (timer.mode === 'stopped' && timer.delta !== 0n) refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be 0: ${because} a stopped counter is held at 0`);
      expectTimerMode(timer, ['stopped', 'periodic'], because);
    } else {
      expectTimerMode(timer, runs ? ['periodic'] : ['stopped'], because);
    }
    if (op === ETRAXFS_TIMER_OP.ld && timer.delta !== BigInt(div)) {
      refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must be ${div}: under op ld the counter holds div (E1)`);
    }
  }

  /** The watchdog's invariants (module header, "Snapshots"). */
  private checkWatchdog(r: Readonly<Record<string, number>>, timer: TimerPartView, stage: EtraxfsWatchdogStage, nmi: boolean, bitten: boolean): void {
    const cmd = field(r['rw_wd_ctrl']!, WD.cmd);
    if ((cmd === 0) !== (stage === 'stopped')) refuseSnapshot('watchdog', stage, `must be ${cmd === 0 ? "'stopped'" : "'counting', 'last' or 'bitten'"} while ${registerPath('rw_wd_ctrl', 'cmd')} is ${cmd} (E9)`);
    if (nmi && stage !== 'last' && stage !== 'bitten') refuseSnapshot('nmi', nmi, `must be false while the watchdog is '${stage}': the NMI rises at the step to 1 (E9)`);
    if (stage === 'bitten' && !bitten) refuseSnapshot('resetRequested', bitten, "must be true once the watchdog is 'bitten' (E9)");
    const hz = this.clocks.f100.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, ETRAXFS_WATCHDOG_DIVISOR, `of one watchdog step, ${ETRAXFS_WATCHDOG_DIVISOR} f100 cycles at ${hz} Hz`);
    expectTimerLimit(timer, 0, '(the watchdog never reloads)');
    const counts = stage === 'counting' || stage === 'last';
    expectTimerMode(timer, counts && hz > 0 ? ['oneshot'] : ['stopped'], `while the watchdog is '${stage}' and f100 runs at ${hz} Hz (E9)`);
    expectTimerCountAtMost(timer, stage === 'counting' ? 255 : stage === 'last' ? 1 : 0, `(the steps left in stage '${stage}', E9)`);
  }

  /** The output lines by name: `irq`, `nmi` and `reset`. */
  protected createLines() {
    return { irq: this.irq, nmi: this.nmi, reset: this.resetRequest };
  }

  /** `tmr0.data`, `tmr1.data` (32 bits), `watchdog.cnt` (8 bits), `time` (32 bits): what the guest would read now, without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // The probes map the counts as the data, status and r_time read hooks do.
    return [
      timerProbe(this.timers[0], { name: 'tmr0.data', width: 32 }),
      timerProbe(this.timers[1], { name: 'tmr1.data', width: 32 }),
      // As watchdogStatus()'s cnt: the stored value while stopped, the count + 1 while counting, the count in the last step, 0 once bitten.
      timerProbe(this.timers[2], {
        name: 'watchdog.cnt',
        width: 8,
        state: () => [this.stage, field(this.bank.getAt(REGISTER.rw_wd_ctrl), WD.cnt)] as const,
        value: (count, [stage, cnt]) => (stage === 'stopped' ? BigInt(cnt) : stage === 'counting' ? count + 1n : stage === 'last' ? count : 0n),
      }),
      // As time(): f100 cycles on top of the base since it was taken.
      cycleCounterProbe(this.scheduler, { name: 'time', width: 32, origin: () => ({ count: this.rtimeBase, time: this.rtimeAt, hz: this.rtimeHz }) }),
    ];
  }

  /** The one place the outputs are computed (STYLE.md 18). */
  protected updateIrq(): void {
    this.irq.set((this.bank.getAt(REGISTER.r_intr) & this.bank.getAt(REGISTER.rw_intr_mask) & 0xf) !== 0);
    this.nmi.set(this.nmiRaised);
    this.resetRequest.set(this.resetRequested);
  }

  /** The clock inputs by name. */
  readonly clocks: Readonly<Record<EtraxfsClockName, ClockInput>>;
  /** Timer 0, timer 1 and the watchdog's counter (exposed for tests and traces). */
  readonly timers: readonly [PTimer, PTimer, PTimer];
  private stage: EtraxfsWatchdogStage = 'stopped';
  private nmiRaised = false;
  private resetRequested = false;
  private rtimeBase = 0n;
  private rtimeAt = 0;
  private rtimeHz = 0;
  private readonly rates: readonly [CounterRate, CounterRate, CounterRate] = [new CounterRate(), new CounterRate(), new CounterRate()];
}
