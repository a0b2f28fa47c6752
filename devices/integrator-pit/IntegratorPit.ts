/**
 * ARM Integrator/CP counter/timers: three identical down-counters (32- or 16-bit) in the
 * Integrator/CP FPGA, 0x100 apart, each with a ÷1/÷16/÷256 prescaler, one-shot, periodic or
 * free-running modes, and its own interrupt line (no combined output).
 *
 * Manual: ARM Integrator/CP User Guide, ARM DUI 0159, "Counter/timers". No text copy of it
 * was available: the register set is the one QEMU's `integrator_pit` (hw/timer/arm_timer.c)
 * and Linux's timer-sp804 (`arm,integrator-cp-timer`) agree on, each timer the SP804's
 * register block without the SP804's integration test and ID registers; the counter
 * behaviour is the SP804 TRM's (ARM DDI 0271), shared with {@link Sp804} through one
 * per-timer implementation (devices/sp804/Sp804Counter.ts). QEMU was a cross-check only.
 *
 * ## Ports
 * - TIMCLK of each timer: a {@link ClockInput} each (or one for all three). The board feeds
 *   timer 0 from the 25 MHz base-board crystal and timers 1 and 2 from `timclk`, the 24 MHz
 *   core-module oscillator ÷ 24 = 1 MHz (Linux integratorcp.dts); the defaults (and the
 *   catalogue's) are those. QEMU counts timer 0 at 40 MHz (ambiguity 2). 0 Hz stops a counter.
 * - TIMINT0, TIMINT1, TIMINT2: one {@link IrqLine} per timer (PIC IRQs 5, 6, 7 on the board),
 *   not ORed (unlike the SP804's TIMINTC).
 *
 * ## Policy (one reason per flag)
 * {@link INTEGRATOR_PIT_POLICY}, the SP804's: the count rests at 0 for a tick before it
 * reloads (Load + 1 ticks per period), only counting down to 0 interrupts, a 0 count waits a
 * tick before reloading, and Value reads the hardware count. QEMU runs these timers LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - TIMCLK and prescaler phase: as the SP804 (a Load write or enable is the loading edge).
 * - The Integrator's interrupt controller and its routing: each line is an output.
 * - The register space above timer 2 (0x300-0xFFF), where QEMU logs "bad timer" and reads 0:
 *   unmapped guest errors, as are the SP804's ITCR/ITOP and ID offsets, which this block
 *   does not have. The one `unimplemented` event is the undefined TimerPre encoding 11.
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the test named in brackets (test/devices/integrator-pit/IntegratorPit.spec.ts
 * unless another file is named).
 * 1. Counter behaviour. DUI 0159 was not read; each timer behaves as the SP804 TRM's counter
 *    (the SP804 header's ambiguities 1-9: a Load write restarts the count at once, Load = 0
 *    interrupts at once, Control writes never reload, 16-bit mode, one-shot halt, TIMCLK at
 *    0 Hz) ("1: each timer is an SP804 counter ...").
 * 2. Timer 0's clock: 25 MHz by default (the DTS: Linux computes its clocksource rate from
 *    it), not QEMU's 40 MHz, which makes Linux's clocksource run 1.6× fast in QEMU; pass a
 *    40 MHz input to compare with QEMU ("2: timer 0 at 25 MHz, timers 1 and 2 at 1 MHz ...").
 * 3. Offsets other than the three blocks are `unmapped` guest errors reading 0
 *    (IntegratorPit.guestErrors.spec.ts).
 * 4. Value writes (Linux's clocksource set-up writes 0xFFFFFFFF there) are `read-only` guest
 *    errors with no effect, as on the SP804; QEMU ignores them silently
 *    (IntegratorPit.drivers.spec.ts).
 * 5. Access sizes: 32-bit only, as the SP804's APB block; others are `bad-size` guest errors
 *    (IntegratorPit.guestErrors.spec.ts).
 * 6. A Control write with TimerEn set does not restart the count (QEMU restarts it from the
 *    limit on every such write). Linux's one-shot path (Load, then Control) starts from the
 *    Load write either way (IntegratorPit.drivers.spec.ts, "one-shot ...").
 *
 * ## Departures from QEMU
 * The policy (QEMU: LEGACY, so interrupts every Load ticks, not Load + 1, and Value reads
 * one less between ticks), Value before the first Control write (0xFFFFFFFF; QEMU 0), no
 * restart on Control writes (6), 16-bit periodic reloads cut to 16 bits, TimerPre = 11
 * counted ÷256 (QEMU ÷1), timer 0 at 25 MHz (2), guest errors for Value writes (4) and bad
 * sizes (5).
 *
 * ## Timing
 * Exact by default (`timing` option): a prescaled tick is exactly divisor·10^9/TIMCLK ns. At
 * the defaults (25 MHz: 40 ns; 1 MHz: 1 µs) and at QEMU's 40 MHz (25 ns) every tick is
 * whole ns and both timings agree; a TIMCLK that is not a whole number of ns per cycle (the
 * core-module's 24 MHz undivided: 41⅔ ns; 3 MHz) is where they differ: `timing: 'qemu'`
 * reproduces QEMU's arithmetic (each countdown floored to whole ns)
 * (IntegratorPit.spec.ts, "timing ...").
 *
 * ## Snapshots
 * {@link IntegratorPitSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[i].<field>`) and by the SP804's per-counter invariants (the SP804 header,
 * "Snapshots": reload value, count bound, period at `timclkHz[i]`, mode from Control, BGLoad
 * equal to Load), and TimerNValue, TimerNMIS and TimerNIntClr at their reset values; each is
 * refused at the field that breaks it.
 *
 * ## Device kit
 * Options are checked with `checkDeviceOptions` (unknown keys are errors); each timer's
 * expiries come through `deviceTimer` (the `expiry` event, timer `<name>.timer0` … `.timer2`,
 * before RIS rises; errors on the expiry path surface from the clock call, G5); events go
 * out through an `EventOutlet`; `dispose()` releases the timers and the TIMCLK listeners.
 */
import type { SchedulerLike } from 'rxjs';
import { checkDeviceOptions, registerInfoOf, type DeviceSnapshot, type RegisterBankSnapshot, type RegisterInfo, type TriggerDelivery } from '../../src/bus';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { SP804_POLICY } from '../sp804/Sp804';
import { Sp804Block, type Sp804BlockKind } from '../sp804/Sp804Block';
import { INTEGRATOR_PIT_REGISTERS } from './INTEGRATOR_PIT_REGISTERS';

/** The counters' policy: the SP804's, for the same reasons (see {@link SP804_POLICY}). QEMU: LEGACY. */
export const INTEGRATOR_PIT_POLICY = SP804_POLICY satisfies readonly PTimerPolicy[];

/** Current {@link IntegratorPitSnapshot} format version. */
export const INTEGRATOR_PIT_SNAPSHOT_VERSION = 1;

/** The Integrator/CP counter/timers' whole state as plain, versioned data. */
export interface IntegratorPitSnapshot extends DeviceSnapshot {
  readonly version: typeof INTEGRATOR_PIT_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (TimerNValue keeps its reset value: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** The three counters. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** Each counter's held upper half, TimerNValue[31:16] while it counts in 16-bit mode. */
  readonly upper: readonly [number, number, number];
  /** Each timer's TIMCLK rate in Hz when it was taken; restore requires the inputs to be at them. */
  readonly timclkHz: readonly [number, number, number];
}

/** Options of {@link IntegratorPit}. */
export interface IntegratorPitOptions {
  /** Source name of its events (default `'integrator-pit'`). */
  readonly name?: string;
  /**
   * TIMCLK of each timer: `[timer0, timer1, timer2]`, or one input for all three. Default: the
   * board's, 25 MHz, 1 MHz, 1 MHz (ambiguity 2; QEMU counts timer 0 at 40 MHz).
   */
  readonly timclk?: ClockInput | readonly [ClockInput, ClockInput, ClockInput];
  /** How expiries reach the device: `sync` (default, at the expiry instant, G1) or the legacy `bottom-half`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time (see "Timing" in the module header): `'exact'` (default) or `'qemu'`. */
  readonly timing?: PTimerTiming;
}

/** The board's TIMCLK rates (Linux integratorcp.dts): timer 0 on the 25 MHz crystal, timers 1 and 2 at 1 MHz. */
const BOARD_HZ = [25_000_000, 1_000_000, 1_000_000] as const;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(INTEGRATOR_PIT_REGISTERS);

/** Registers the device never changes: TimerNValue and TimerNMIS (computed reads), TimerNIntClr (keeps nothing). */
const FIXED = INTEGRATOR_PIT_REGISTERS.registers.filter((r) => /^Timer\d(Value|MIS|IntClr)$/.test(r.name));

/** The Integrator/CP counter/timers as an SP804-style block: three counters, timer 0 first. */
const KIND: Sp804BlockKind = {
  device: 'IntegratorPit',
  version: INTEGRATOR_PIT_SNAPSHOT_VERSION,
  map: INTEGRATOR_PIT_REGISTERS,
  policy: INTEGRATOR_PIT_POLICY,
  first: 0,
  fixed: FIXED,
};

/** The `timclk` option's rule: one ClockInput for all timers, or one each. */
const checkTimclk = (given: unknown): string | undefined =>
  given instanceof ClockInput || (Array.isArray(given) && given.length === 3 && given.every((c) => c instanceof ClockInput))
    ? undefined
    : 'must be a ClockInput or a triple [timer0, timer1, timer2] of them';

/**
 * The ARM Integrator/CP counter/timers (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a timer's zero, Value reaching 0, RIS,
 * MIS and its TIMINT line change in one step at that instant; `bottom-half` exists only to
 * show the race. G2/G3 — each register write changes its timer in one transaction.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const pit = new IntegratorPit(clock);                 // 25 MHz, 1 MHz, 1 MHz
 * pit.write(0x100, 4, 3);                               // Timer1Load
 * pit.write(0x108, 4, 0xe2);                            // Timer1Control: enable, periodic, IntEnable, 32-bit
 * clock.advanceTo(3_000);                               // 3, 2, 1, 0: RIS and TIMINT1 rise at 3 µs
 * ```
 */
export class IntegratorPit extends Sp804Block<{
  /** TIMINT0, {@link IntegratorPit.timint0}. */
  timint0: IrqLine;
  /** TIMINT1, {@link IntegratorPit.timint1}. */
  timint1: IrqLine;
  /** TIMINT2, {@link IntegratorPit.timint2}. */
  timint2: IrqLine;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, TIMCLK inputs, trigger delivery, timing
   * @throws DeviceConfigError for an empty or non-string `name`, a `timclk` that is not a ClockInput or a triple of them, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: IntegratorPitOptions = {}) {
    checkDeviceOptions('IntegratorPit', options, { name: 'name?', timclk: { check: checkTimclk, optional: true }, delivery: 'delivery?', timing: 'timing?' });
    const name = options.name ?? 'integrator-pit';
    const given = options.timclk ?? BOARD_HZ.map((hz, i) => new ClockInput(`${name}.timclk${i}`, hz));
    super(scheduler, name, given instanceof ClockInput ? [given, given, given] : [given[0]!, given[1]!, given[2]!], options, KIND);
    this.timint0 = new IrqLine(`${this.name}.TIMINT0`);
    this.timint1 = new IrqLine(`${this.name}.TIMINT1`);
    this.timint2 = new IrqLine(`${this.name}.TIMINT2`);
    this.start();
  }

  /** Registers, the three timers, the held upper halves and the TIMCLK rates, as plain versioned data. */
  override snapshot(): IntegratorPitSnapshot {
    return super.snapshot() as IntegratorPitSnapshot;
  }

  /** Timer 0's interrupt output (Timer0MIS). */
  readonly timint0: IrqLine;
  /** Timer 1's interrupt output (Timer1MIS). */
  readonly timint1: IrqLine;
  /** Timer 2's interrupt output (Timer2MIS). */
  readonly timint2: IrqLine;
  /** The registers of {@link INTEGRATOR_PIT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;
  /** Each timer's TIMCLK input (the same object three times when shared). */
  declare readonly timclk: readonly [ClockInput, ClockInput, ClockInput];
  /** The three counters (for inspection; the guest reaches them through the registers). */
  declare readonly timers: readonly [PTimer, PTimer, PTimer];

  /** The output lines, one per timer (no combined line). */
  protected createLines() {
    return { timint0: this.timint0, timint1: this.timint1, timint2: this.timint2 };
  }

  /** The one place the outputs are computed: TIMINTn = TimerNMIS. */
  protected updateIrq(): void {
    this.timint0.set(this.counters[0]!.masked() === 1);
    this.timint1.set(this.counters[1]!.masked() === 1);
    this.timint2.set(this.counters[2]!.masked() === 1);
  }
}
