/**
 * Freescale (Motorola) ColdFire MCF5206 timer module: two identical 16-bit general-purpose timers,
 * each an up-counter (TCN) on the system clock ÷ (PS + 1) (or ÷ 16 ÷ (PS + 1)) with a reference
 * compare (TRR) that sets TER.REF and interrupts, restarting the count (FRR 1) or letting it run
 * on (FRR 0). Linux (arch/m68k/coldfire/timers.c, for the 5206/5206e/5249/5272/5307/5407 …) uses
 * timer 1 as its tick and clocksource and timer 2 as its profiling timer.
 *
 * Manual: MCF5206 ColdFire Integrated Microprocessor User's Manual, chapter "Timer Module" (TMR,
 * TRR, TCR, TCN, TER at MBAR + 0x100 and + 0x120). No text copy of the manual was at hand: the
 * register layout, bit positions and reset values are the reference's (devices-2.md §22, [med])
 * and those of Linux's mcftimer.h; what they do not settle is decided below. QEMU's timer in
 * `hw/m68k/mcf5206.c` was a cross-check only (behaviour, no code); each departure from it is
 * marked "QEMU:" below. The MCF5208's PIT is a different block (a down-counter with a modulus):
 * the two share no code beyond the device kit (see `Mcf5208Pit`).
 *
 * ## Ports
 * - `sysclk`: the system clock, a {@link ClockInput} (default 25 MHz: the MCF5206's lower speed
 *   grade; the 5206 runs at up to 33 MHz, the 5206e at up to 54 MHz, per the reference). QEMU
 *   counts at a fixed 66 MHz; pass a 66 MHz input to compare with it. 0 Hz freezes both counters
 *   (M9).
 * - `timer1`, `timer2` ({@link Mcf5206Timer.timer1}, {@link Mcf5206Timer.timer2}): each timer's
 *   interrupt request to the SIM (QEMU: interrupt controller lines 9 and 10) (M6).
 *
 * ## Timing
 * Exact by default (`timing` option): a step is exactly divisor·10^9/sysclk ns. At the default
 * 25 MHz every step is a whole number of ns and both timings agree; a 33 MHz or 54 MHz clock
 * (30.30 ns, 18.52 ns) is where `timing: 'qemu'` (QEMU's 64.32 fixed-point period, floored per
 * countdown) differs (Mcf5206Timer.spec.ts, 'M9 …').
 *
 * ## Policy (one reason per flag)
 * {@link MCF5206_TIMER_POLICY}: D+O, as the i.MX GPT's (the other up-counter built on the
 * down-counting timer). QEMU runs it LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The TIN input and TOUT output: capture (TMR.CE, TCR, TER.CAP) and output (TMR.OM) store and
 *   read back, a non-zero write of CE or OM is an `unimplemented` event, CLK 11 (count TIN edges)
 *   is an `unimplemented` event and holds the counter as CLK 00 does; TCR stays 0 and CAP is never
 *   set (M2, M11).
 * - The SIM's interrupt control registers (ICR9, ICR10, IMR, IPR): each line is the request.
 * - The prescaler's phase: a TCN write, a TRR write or a rate change starts a fresh step (M4, M5).
 * - Accesses of other sizes (the SIM's big-endian byte lanes): refused (M8).
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the tests named in brackets (test/devices/mcf5206-timer/Mcf5206Timer.spec.ts unless
 * another file is named; titles start with the tag).
 * M1 Counting and the reference event. TCN counts up from 0 one step per prescaled cycle. The
 *    reference event is the edge that takes TCN off TRR: TCN reads TRR for a whole step, then REF
 *    is set as TCN moves on, back to 0 in restart mode (FRR 1: TRR + 1 steps a round, Linux's "0
 *    to TRR included" that makes it write TRR = cycles - 1) or on to TRR + 1 in free-run mode (FRR
 *    0: TCN goes round through 0xFFFF → 0, unflagged, 2^16 steps between events). REF and the
 *    return to 0 in one step is what Linux's clocksource (jiffies + TCN; older kernels add a jiffy
 *    when the interrupt is pending) needs to be monotonic. QEMU: a round of TRR steps, REF with TCN
 *    back at 0 (TCN never reads TRR); free-run mode is not implemented (the timer stays stopped).
 *    ('M1 …')
 * M2 The input clock. CLK 01: the system clock ÷ (PS + 1); 10: ÷ 16 ÷ (PS + 1); 00: the counter
 *    holds; 11 (TIN edges): not modelled, reported, the counter holds. A PS or CLK change while
 *    counting re-times the count from its reading with a fresh step (the kit's CounterRate rule).
 *    QEMU: CLK 00 and 11 stop the timer with a "not implemented" log. ('M2 …')
 * M3 RST. While RST is 0 the timer is held in reset: TCN reads 0 and does not count, and TMR and
 *    TRR can be written (Linux writes TRR while the timer is disabled). A change of RST from 1 to
 *    0 returns TRR (0xFFFF), TCR, TCN and TER to their reset values; TMR takes the value written.
 *    RST from 0 to 1 starts the count at TCN 0. QEMU: the 1 → 0 change sets TMR and TRR to 0.
 *    ('M3 …')
 * M4 TCN write: a write of any value clears TCN to 0 (the manual's "write resets it", as the
 *    reference reads it; not verified against the manual's text), with a fresh step; nothing is
 *    stored. In reset it stays 0. QEMU: the value written sets its down-count (TCN then reads TRR
 *    minus the value). ('M4 …')
 * M5 TRR write while counting: the next reference event is when TCN next leaves the new TRR,
 *    counted from TCN's reading at the write (after the wrap through 0xFFFF when TCN is already
 *    above it); the step in progress restarts (up to a step is lost: the down-counting timer
 *    re-plans its countdown, as the i.MX GPT's OCR writes do). QEMU: every TRR or TMR write
 *    restarts the round from TCN 0. ('M5 …')
 * M6 TER and the interrupt. REF is set at each reference event whatever ORI says; REF and CAP
 *    are cleared by writing 1 (Linux's handler writes CAP | REF). A timer's line is ORI && REF, or
 *    CE ≠ 00 && CAP, a level. ('M6 …')
 * M7 FRR and ORI changes while counting leave TCN alone; a changed FRR applies after the next
 *    reference event (the round in progress ends when TCN leaves TRR either way). ('M7 …')
 * M8 Access sizes and byte order. TMR, TRR, TCR and TCN take 16-bit accesses only, TER 8-bit
 *    only: the accesses Linux makes. The registers are big-endian; the bus carries values, not
 *    bytes, so at a register's own width the byte order never shows, and an access of another
 *    width (whose big-endian byte lanes the register bank's little-endian narrow-access rule would
 *    get wrong) is a `bad-size` guest error. A TCR write is a `read-only` guest error; offsets
 *    between the registers (0x02, 0x06, 0x0A, 0x0E, 0x10, 0x12–0x1F and timer 2's) and past 0x3F
 *    are `unmapped`. Each changes nothing. QEMU: splits or joins other sizes along the 5206's
 *    big-endian byte lanes. (Mcf5206Timer.guestErrors.spec.ts)
 * M9 The clock: `sysclk` at 0 Hz freezes both counters at their reading; a rate change re-times
 *    them with a fresh step. ('M9 …')
 * M10 G1. Reads at a reference event see TCN at TRR with REF clear when ordered before the
 *    expiry step, and TCN moved on with REF set after it: never a mix.
 *    (Mcf5206Timer.harness.spec.ts)
 * M11 Capture and output (see "Not modelled").
 *
 * ## Snapshots
 * {@link Mcf5206TimerSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it (per timer, `Mcf5206Counter.ts`'s `checkMcf5206Counter`):
 * - `sysclkHz` is the input's rate now; while it runs each counter steps every (PS + 1)(× 16)
 *   cycles;
 * - TCR and TCN store their reset values (TCN's reads are the count), TER.CAP is 0;
 * - the reload value is the round: TRR + 1 with FRR 1, 2^16 with FRR 0; a countdown is 1 to 2^16
 *   steps;
 * - in reset (RST 0): stopped with TCN 0 (TRR + 1 steps to the event) and TER 0; out of reset:
 *   periodic while CLK selects the system clock and it runs, else stopped.
 *
 * ## Device kit and ordering
 * A KitDevice (the shell on the prototype) on {@link MCF5206_TIMER_REGISTERS}, two deviceTimers
 * (`<name>.timer1`, `<name>.timer2`), a CounterRate each; `dispose()` ends the clock
 * watch and the timers. Expiries are delivered with `delivery` ('sync' by default: REF and the
 * line change in the expiry step itself, G1); 'bottom-half' exists only to show the LP #1777777
 * race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  checkDeviceOptions,
  channelTimer,
  expectSame,
  RegisterBank,
  registerInfoOf,
  restoreParts,
  snapshotHz,
  snapshotPart,
  snapshotTuple,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShape,
  type RegisterShapeOf,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { checkMcf5206Counter, Mcf5206Counter } from './Mcf5206Counter';
import { MCF5206_TIMER_REGISTERS } from './MCF5206_TIMER_REGISTERS';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counters' policy flags, one reason each (M1). */
export const MCF5206_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // TCN reads like the hardware counter: the start value for a countdown's whole first step, TRR in its last (M1, M10)
  'TRIGGER_ONLY_ON_DECREMENT', // only a countdown counted down to its end is a reference event; countdowns never start at 0, and one that did must not fire (M1)
] as const satisfies readonly PTimerPolicy[];

/** The default system clock: 25 MHz. */
export const MCF5206_TIMER_SYSCLK_HZ = 25_000_000;

/** Current {@link Mcf5206TimerSnapshot} format version. */
export const MCF5206_TIMER_SNAPSHOT_VERSION = 1;

/** The timer module's whole state as plain, versioned data. */
export interface Mcf5206TimerSnapshot extends DeviceSnapshot {
  readonly version: typeof MCF5206_TIMER_SNAPSHOT_VERSION;
  /** The register bank (TCN and TCR store their reset values: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** Each timer's countdown to its next reference event, timer 1 first. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot];
  /** `sysclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly sysclkHz: number;
}

/** Options of {@link Mcf5206Timer}. */
export interface Mcf5206TimerOptions {
  /** The system clock (default: a 25 MHz input of its own); rate changeable at run time, 0 Hz = frozen. */
  readonly sysclk?: ClockInput;
  /** Instance name, the `source` of its events (default `'mcf5206-timer'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Index = 0 | 1;
const INDICES: readonly Index[] = [0, 1];
const TIMERS = 'timer 1, timer 2';

/** Each timer's registers by role (TMR1 …), timer 1 first. */
const REG = MCF5206_TIMER_REGISTERS.channels.Timer;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MCF5206_TIMER_REGISTERS);

/**
 * The MCF5206 timer module (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery (a reference event's REF, TCN's move and the
 * line change in one expiry step); G2/G3 through the timers' transactions (no register write sets
 * REF: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const tm = new Mcf5206Timer(clock);                  // 25 MHz: 40 ns a step at ÷1
 * tm.write(0x00, 2, 0);                                // TMR1 = 0: held in reset
 * tm.write(0x04, 2, 999);                              // TRR1 = 999: rounds of 1000 steps
 * tm.write(0x00, 2, 0x001b);                           // TMR1 = ORI | FRR | CLK 01 | RST
 * clock.advanceTo(40_000);                             // TCN leaves 999: REF
 * tm.timer1.level;                                     // true; TER1 (byte 0x11) reads 0x02
 * ```
 */
export class Mcf5206Timer extends KitDevice<RegisterShapeOf<typeof MCF5206_TIMER_REGISTERS>, {
  /** {@link Mcf5206Timer.timer1}. */
  timer1: IrqLine;
  /** {@link Mcf5206Timer.timer2}. */
  timer2: IrqLine;
}> {
  /**
   * Creates the module with its registers at their reset values and both timers held in reset.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - system clock, name, trigger delivery, timing
   * @throws DeviceConfigError for a `sysclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Mcf5206TimerOptions = {}) {
    checkDeviceOptions('Mcf5206Timer', options, { sysclk: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'mcf5206-timer');
    this.sysclk = options.sysclk ?? new ClockInput(`${this.name}.sysclk`, MCF5206_TIMER_SYSCLK_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timers = INDICES.map((i) =>
      channelTimer(scheduler, {
        device: this.name,
        name: `${this.name}.timer${i + 1}`,
        policy: MCF5206_TIMER_POLICY,
        delivery: options.delivery,
        timing: options.timing,
        owner: this,
        channel: i,
        onExpiry: Mcf5206Timer.expired,
        events: this.outlet,
        lifetime: this.lifetime,
      }),
    ) as unknown as readonly [PTimer, PTimer];
    this.attachBank(MCF5206_TIMER_REGISTERS, Mcf5206Timer.HOOKS);
    this.counters = INDICES.map(
      (i) =>
        new Mcf5206Counter({
          bank: this.bank as unknown as RegisterBank<RegisterShape>,
          names: REG[i],
          timer: this.timers[i],
          clock: this.sysclk,
          report: (offset, feature) => this.outlet.record({ kind: 'unimplemented', time: scheduler.now(), source: this.name, offset, feature }),
        }),
    ) as unknown as readonly [Mcf5206Counter, Mcf5206Counter];
    this.timer1 = new IrqLine(`${this.name}.timer1`);
    this.timer2 = new IrqLine(`${this.name}.timer2`);
    this.reset();
    // reset() applied the current rate; each later change re-times both counters at its instant.
    this.lifetime.add(
      this.sysclk.watch(() => {
        for (const i of INDICES) this.counters[i].sync();
        this.updateIrq();
      }),
    );
  }

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<Mcf5206Timer>();
    return build.of(
      MCF5206_TIMER_REGISTERS,
      build.channels(MCF5206_TIMER_REGISTERS, 'Timer', (i) => ({
        TMR: { write: (d, value, old) => d.counters[i].writeMode(value, old) },
        TRR: { write: (d, _value, old) => d.counters[i].writeReference(old) },
        TCN: { read: (d) => d.counters[i].tcn(), write: (d) => d.counters[i].writeCount() },
      })),
    );
  })();

  /** Reset: registers to their reset values (TRR 0xFFFF), both timers held in reset at TCN 0, nothing pending. */
  override reset(): void {
    this.bank.reset();
    for (const i of INDICES) this.counters[i].reset();
    this.updateIrq();
  }

  snapshot(): Mcf5206TimerSnapshot {
    return {
      ...this.snapshotHead(MCF5206_TIMER_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot()],
      sysclkHz: this.sysclk.hz,
    };
  }

  /**
   * Loads an {@link Mcf5206TimerSnapshot} taken at the clock's current time by a timer module of
   * this name; all or nothing (everything is checked before anything changes). The system clock
   * input is the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the system clock's rate, a counter's own rules (`timers[i].<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Mcf5206Timer', version: MCF5206_TIMER_SNAPSHOT_VERSION }, () => ({ timers: snapshotTuple([snapshotPart(), snapshotPart()], TIMERS), sysclkHz: snapshotHz() }));
    expectSame('sysclkHz', s.sysclkHz, this.sysclk.hz, "the sysclk input's frequency now");
    const views = INDICES.map((i) => this.checkTimer(this.timers[i], s.timers[i], `timers[${i}]`));
    for (const i of INDICES) checkMcf5206Counter(s.registers.registers, REG[i], views[i]!, this.sysclk.hz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
    ]);
    for (const i of INDICES) this.counters[i].adoptRate();
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** Timer 1's interrupt request (M6). */
  readonly timer1: IrqLine;
  /** Timer 2's interrupt request (M6). */
  readonly timer2: IrqLine;
  /** The registers of {@link MCF5206_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: Mcf5206Timer, i: number): void => d.onExpiry(i as Index);

  /** Timer `i`'s reference event (in its callback context when delivery is sync): REF, then the line (M1, M6). */
  private onExpiry(i: Index): void {
    this.counters[i].onExpiry();
    this.updateIrq();
  }

  /** The output lines, one per timer: `timer1`, `timer2`. */
  protected createLines() {
    return { timer1: this.timer1, timer2: this.timer2 };
  }

  /** `timer1.tcn`, `timer2.tcn` (16 bits): what a guest read of TCNn returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    return INDICES.map((i) =>
      // As Mcf5206Counter.tcn(): the up-counter shows TRR + 1 less the ptimer's count.
      timerProbe(this.timers[i], {
        name: `timer${i + 1}.tcn`,
        width: 16,
        state: () => [this.bank.get(REG[i].TRR)] as const,
        value: (count, [trr]) => BigInt(trr) + 1n - count,
      }),
    );
  }

  /** The one place the outputs are computed (STYLE.md 18): each line is its timer's request (M6). */
  protected updateIrq(): void {
    this.timer1.set(this.counters[0].pending());
    this.timer2.set(this.counters[1].pending());
  }

  /** The system clock input. */
  readonly sysclk: ClockInput;
  /** Each timer's countdown to its next reference event, timer 1 first (for inspection; guests see TCN). */
  readonly timers: readonly [PTimer, PTimer];
  /** Each timer's counting (shared by the two: one per-timer implementation). */
  private readonly counters: readonly [Mcf5206Counter, Mcf5206Counter];
}
