/**
 * ARM SP804 Dual-Timer Module (PrimeCell): two identical down-counters (32- or 16-bit),
 * each with a ÷1/÷16/÷256 prescaler and one-shot, periodic or free-running modes, an
 * interrupt output per timer (TIMINT1, TIMINT2) and their OR (TIMINTC).
 *
 * Manual: ARM Dual-Timer Module (SP804) Technical Reference Manual, ARM DDI 0271. QEMU's
 * `hw/timer/arm_timer.c` (type `sp804`) was a cross-check only; where it departs from the
 * TRM this model follows the TRM (each case below).
 *
 * ## Ports
 * - TIMCLK qualified by TIMCLKENn, per timer: a {@link ClockInput} each (one input may feed
 *   both). An enable that lets one TIMCLK edge in k through is the same as a clock k times
 *   slower, so the enable is folded into the input's rate. 0 Hz stops the counter (below).
 * - TIMINT1, TIMINT2: {@link IrqLine}s; TIMINTC: their OR ({@link anyOf}).
 *
 * ## Policy (one reason per flag)
 * See {@link SP804_POLICY}. Worked example at 1 MHz (1 µs ticks), Load = 3, periodic,
 * enabled at t = 0: Value reads 3, 2, 1 one tick each (a decrement at a tick boundary B is
 * visible from B + 1 ns), reaches 0 at t = 3 µs where RIS rises, rests at 0 for one tick,
 * reads 3 again from 4 µs + 1 ns, and interrupts every Load + 1 = 4 ticks (3, 7, 11 µs).
 * LEGACY would read 2 from 1 ns, never show 0 and interrupt every 3 ticks
 * (test: "the policy: ..." in Sp804.spec.ts).
 *
 * ## Not modelled, and what the guest sees instead
 * - The phase of TIMCLK and of the prescaler: the instant of a Load write (or of enabling)
 *   acts as the loading edge, and the first decrement comes one prescaled tick later. A
 *   prescaler or clock change on a running counter keeps the displayed count and starts a
 *   full new tick at the change (the partial tick is lost), as does a TimerSize change.
 * - PCLK/TIMCLK synchronisation delays: none (the TRM has Value show a Load at once, too).
 * - Separate PRESETn and TIMCLKRESETn: {@link Sp804.reset} resets the whole block.
 * Every register of the TRM is implemented (including TimerITCR/TimerITOP); the one
 * `unimplemented` event is the undefined TimerPre encoding 11 (below).
 *
 * ## Ambiguities of the TRM and how they are decided
 * Each is pinned by the test named in brackets (in test/devices/sp804/Sp804.spec.ts unless
 * another file is named).
 * 1. Load write: the TRM has the counter take the new value on the next enabled TIMCLK edge,
 *    yet Value show it at once; the count restarts at the write instant, whether or not the
 *    timer is enabled ("a Load write restarts the count at once ...").
 * 2. Load = 0: the TRM says an interrupt is generated immediately; RIS is set at the write,
 *    enabled or not, and the counter rests at 0. Periodic with Load 0 stays at 0 with no
 *    further interrupts ("Load = 0 interrupts at once ...").
 * 3. Control writes never reload the count (QEMU restarts it on every write with TimerEn);
 *    enabling resumes from the held count, 0xFFFFFFFF after reset (QEMU reads 0 before the
 *    first Control write) ("a Control write does not restart the count ...").
 * 4. TimerPre = 11 ("undefined"): stored and read back, counted as ÷256 (QEMU: ÷1), and
 *    each such write emits an `unimplemented` event ("TimerPre = 11 ...").
 * 5. 16-bit mode: the low 16 bits count, wrap to 0xFFFF and interrupt at 0. Load keeps all
 *    32 bits (QEMU does not mask a 16-bit periodic reload; here it is Load[15:0]). The TRM
 *    says Value[31:16] are not cleared in 16-bit mode: they hold Load[31:16] after a Load
 *    write, or the count's upper half when the size is switched from 32 bits; periodic
 *    reloads load only the low half ("16-bit mode ...").
 * 6. A new reload value (BGLoad, Load register via a mode change) chosen while the counter
 *    rests at 0 after an interrupt applies from the next zero: the TRM describes the Load
 *    value as the one used once the counter next reaches zero, and this counter has already
 *    reached it. A reload value of 0 is the exception: the counter, at 0, stays there
 *    (ambiguity 2) ("BGLoad written while the counter rests at 0 ...").
 * 7. One-shot: at 0 the counter halts (TimerEn stays set); Control writes that keep OneShot
 *    leave it halted; clearing OneShot lets it go on: 0 for one more tick, then reload
 *    (periodic: Load; free-running: the maximum) without an interrupt; a Load write
 *    restarts it ("one-shot ...").
 * 8. TIMCLK at 0 Hz: the counter holds its count and resumes when the clock returns, with a
 *    full tick at the new rate: the kit's CounterRate rule, which also sets the prescaled
 *    tick and leaves a count alone when the rate it is given is the one it runs at
 *    ("clock changes at run time ...").
 * 9. RIS is set at zero whatever IntEnable says; MIS = RIS & IntEnable; TIMINTn = MIS, or
 *    TimerITOP bit n-1 while TimerITCR.ITEN is set ("RIS rises whatever IntEnable says ...",
 *    "integration test registers ...").
 * 10. Access sizes: the block is a 32-bit APB slave; other sizes are `bad-size` guest errors.
 *    Writes to Value (Linux and TF-A write 0xFFFFFFFF there at init) are `read-only` guest
 *    errors with no effect, as the TRM makes Value read-only (Sp804.guestErrors.spec.ts,
 *    Sp804.drivers.spec.ts).
 *
 * A guest access made synchronously inside a TIMINT emission (a line subscriber that
 * writes back at once) joins the timer's callback context ("a line subscriber may write
 * back ...").
 *
 * ## Timing
 * Exact by default (`timing` option): a prescaled tick is exactly divisor·10^9/TIMCLK ns,
 * and the k-th tick of a count started at A ends at ⌊A + k·tick⌋ however long it runs. At
 * the default 1 MHz every tick (1, 16, 256 µs) is whole ns and both timings agree; a TIMCLK
 * that is not a whole number of ns per cycle (24 MHz: 41⅔ ns; 3 MHz) is where they differ:
 * `timing: 'qemu'` reproduces QEMU's arithmetic (the tick at 2^-32 ns, each countdown
 * floored to whole ns), whose k-th interrupt comes up to k ns early and whose Value read
 * at a load instant is one less (Sp804.timing.spec.ts, test/devices/catalogue.timing.spec.ts).
 *
 * ## Snapshots (#14)
 * {@link Sp804Snapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it (for each timer, from its Control and Load):
 * - `timclkHz[i]` is timer i's TIMCLK rate now; while it runs the counter's period is one
 *   prescaled tick in its timing (see Timing);
 * - the reload value is Load (its low half in 16-bit mode) in periodic mode, the counter's
 *   maximum when free-running; the count never exceeds that maximum (by more than 1: see
 *   `checkCounter`); BGLoad equals Load (each
 *   write sets both);
 * - the counter is stopped while TimerEn is 0 or TIMCLK is stopped; running, it is one-shot
 *   exactly when OneShot is set; stopped under TimerEn with TIMCLK running, it holds 0 that
 *   nothing reloads (one-shot, or a reload value of 0: ambiguities 2, 7);
 * - TimerXValue and TimerXMIS store nothing (their reads are computed), TimerXIntClr keeps no
 *   value, and the ID registers never change: they hold their reset values.
 *
 * ## Device kit
 * Each timer's register behaviour and snapshot rules are `Sp804Counter` (Sp804Counter.ts),
 * shared with the Integrator/CP counter/timers (devices/integrator-pit, #16).
 * Options are checked with `checkDeviceOptions` (unknown keys are errors; TIMCLK must be a
 * ClockInput or a pair of them); each timer's expiries come through `deviceTimer`, which
 * records the `expiry` event (`timer` is `<name>.timer1` or `.timer2`) before RIS rises and
 * surfaces an error on the expiry path from the clock call (G5); events go out through an
 * `EventOutlet` (`traceTo`); `dispose()` releases both timers and the TIMCLK listeners.
 */
import type { SchedulerLike } from 'rxjs';
import { checkDeviceOptions, fieldHandle, registerHandle, registerInfoOf, type DeviceSnapshot, type RegisterBankSnapshot, type RegisterInfo, type TriggerDelivery } from '../../src/bus';
import { ClockInput } from '../../src/clock/ClockInput';
import { anyOf } from '../../src/irq/anyOf';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { Sp804Block, type Sp804BlockKind } from './Sp804Block';
import { SP804_REGISTERS } from './SP804_REGISTERS';

/**
 * The SP804's ptimer policy: the counter decrements on each prescaled TIMCLK edge,
 * interrupts when it reaches 0, and reloads (or wraps) on the next edge.
 */
export const SP804_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // the count rests at 0 for one tick before it reloads/wraps: Load + 1 ticks per period
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 interrupts; enabling with a 0 count does not (Load = 0 is raised by the device)
  'NO_IMMEDIATE_RELOAD', // a 0 count (OneShot cleared at 0, re-enabled at 0) waits one tick before it reloads, silently
  'NO_COUNTER_ROUND_DOWN', // Value shows the hardware count: Load for the whole first tick, not one less
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Sp804Snapshot} format version. */
export const SP804_SNAPSHOT_VERSION = 1;

/** The SP804's whole state as plain, versioned data. */
export interface Sp804Snapshot extends DeviceSnapshot {
  readonly version: typeof SP804_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (TimerXValue keeps its reset value: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** Timer 1's and timer 2's counters. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot];
  /** Each counter's held upper half, TimerXValue[31:16] while it counts in 16-bit mode (ambiguity 5). */
  readonly upper: readonly [number, number];
  /** Each timer's TIMCLK rate in Hz when it was taken; restore requires the inputs to be at them. */
  readonly timclkHz: readonly [number, number];
}

/** Options of {@link Sp804}. */
export interface Sp804Options {
  /** Source name of its events (default `'sp804'`). */
  readonly name?: string;
  /**
   * TIMCLK as each timer sees it (qualified by its TIMCLKENn): one input for both timers,
   * or `[timer1, timer2]`. Default: one shared 1 MHz input.
   */
  readonly timclk?: ClockInput | readonly [ClockInput, ClockInput];
  /** How expiries reach the device: `sync` (default, at the expiry instant, G1) or the legacy `bottom-half`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How both counters keep time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9·divisor/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(SP804_REGISTERS);

/** The integration test registers, looked up once: the device's IRQ update reads them every time it runs. */
const ITEN = fieldHandle(SP804_REGISTERS, 'TimerITCR', 'ITEN');
const ITOP = registerHandle(SP804_REGISTERS, 'TimerITOP');

/** Registers the device never changes: TimerXValue and TimerXMIS (computed reads), TimerXIntClr (keeps nothing), the ID registers. */
const FIXED = SP804_REGISTERS.registers.filter((r) => /^Timer\dIntClr$/.test(r.name) || (r.access === 'ro' && !/^Timer\dRIS$/.test(r.name)));

/** The SP804 as an SP804-style block: two counters, timer 1 first. */
const KIND: Sp804BlockKind = { device: 'Sp804', version: SP804_SNAPSHOT_VERSION, map: SP804_REGISTERS, policy: SP804_POLICY, first: 1, fixed: FIXED };

/** The `timclk` option's rule: one ClockInput for both timers, or one each. */
const checkTimclk = (given: unknown): string | undefined =>
  given instanceof ClockInput || (Array.isArray(given) && given.length === 2 && given.every((c) => c instanceof ClockInput))
    ? undefined
    : 'must be a ClockInput or a pair [timer1, timer2] of them';

/**
 * The ARM SP804 dual timer (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a timer's zero, Value reaching 0,
 * RIS, MIS and the TIMINT lines change in one step at that instant; `bottom-half` exists
 * only to show the LP #1777777 race on the device it was filed against. G2/G3 — each
 * register write changes its timer in one transaction, so a guest never sees a half-applied
 * Control write.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timclk = new ClockInput('timclk', 1_000_000);      // 1 µs ticks
 * const sp804 = new Sp804(clock, { timclk });
 * sp804.write(0x00, 4, 3);                                // Timer1Load
 * sp804.write(0x08, 4, 0xe2);                             // Timer1Control: enable, periodic, IntEnable, 32-bit
 * clock.advanceTo(3_000);                                 // 3, 2, 1, 0: RIS and TIMINT1 rise at 3 µs
 * sp804.read(0x04, 4);                                    // 0 (Timer1Value), then 3 again from 4 µs + 1 ns
 * ```
 */
export class Sp804 extends Sp804Block<{
  /** TIMINT1, {@link Sp804.timint1}: timer 1's interrupt. */
  timint1: IrqLine;
  /** TIMINT2, {@link Sp804.timint2}: timer 2's interrupt. */
  timint2: IrqLine;
  /** TIMINTC, {@link Sp804.timintc}: TIMINT1 OR TIMINT2. */
  timintc: IrqSignal;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, TIMCLK input(s), trigger delivery, timing
   * @throws DeviceConfigError for an empty or non-string `name`, a `timclk` that is not a ClockInput or a pair of them, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Sp804Options = {}) {
    checkDeviceOptions('Sp804', options, { name: 'name?', timclk: { check: checkTimclk, optional: true }, delivery: 'delivery?', timing: 'timing?' });
    const name = options.name ?? 'sp804';
    const given = options.timclk ?? new ClockInput(`${name}.timclk`, 1_000_000);
    super(scheduler, name, given instanceof ClockInput ? [given, given] : [given[0], given[1]], options, KIND);
    this.timint1 = new IrqLine(`${this.name}.TIMINT1`);
    this.timint2 = new IrqLine(`${this.name}.TIMINT2`);
    this.start();
  }

  /** Registers, both timers, the held upper halves and the TIMCLK rates, as plain versioned data. */
  override snapshot(): Sp804Snapshot {
    return super.snapshot() as Sp804Snapshot;
  }

  /** Timer 1's interrupt output (MIS of timer 1, or TimerITOP bit 0 in integration test mode). */
  readonly timint1: IrqLine;
  /** Timer 2's interrupt output. */
  readonly timint2: IrqLine;
  /** The combined interrupt output: TIMINT1 OR TIMINT2 (built on first use: most systems wire TIMINT1/2 only, #19). */
  get timintc(): IrqSignal {
    return (this.combined ??= anyOf(`${this.name}.TIMINTC`, this.timint1, this.timint2));
  }
  /** The registers of {@link SP804_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;
  /** Each timer's TIMCLK input (the same object twice when shared). */
  declare readonly timclk: readonly [ClockInput, ClockInput];
  /** The two counters (for inspection; the guest reaches them through the registers). */
  declare readonly timers: readonly [PTimer, PTimer];

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { timint1: this.timint1, timint2: this.timint2, timintc: this.timintc };
  }

  private combined: IrqSignal | undefined;

  /** The one place the outputs are computed (TIMINTC follows through anyOf). */
  protected updateIrq(): void {
    const test = this.bank.fieldAt(ITEN) === 1;
    const itop = this.bank.getAt(ITOP);
    this.timint1.set(test ? (itop & 1) !== 0 : this.counters[0]!.masked() === 1);
    this.timint2.set(test ? (itop & 2) !== 0 : this.counters[1]!.masked() === 1);
  }
}
