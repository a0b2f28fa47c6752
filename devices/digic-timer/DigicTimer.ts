/**
 * Canon DIGIC timer: one of the 16-bit down-counters of Canon's DIGIC camera SoCs (DIGIC 4 in the
 * PowerShot A1100 has three, at 0xC021_0000 + 0x100·n), reloading from RELVALUE; barebox uses
 * one as its clocksource, Canon's DryOS one as its system tick.
 *
 * Manual: none is public. The register layout and behaviour are what the CHDK and Magic Lantern
 * projects reverse engineered, as the reference summarises them (devices-2.md §17), with the
 * register sequence of barebox's `drivers/clocksource/digic.c` and what Magic Lantern's camera
 * emulator (`eos_handle_timers`) makes of the same registers. QEMU's `digic-timer` was a
 * cross-check only (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `clk`: the counter's clock, a {@link ClockInput} (default 1 MHz: QEMU's rate and barebox's;
 *   the real one is not known). The counter steps once per cycle (no prescaler is known).
 * - No output line: no interrupt of the timer block is known (D7).
 *
 * ## Timing
 * Exact by default (`timing` option): at 1 MHz a cycle is 1000 ns, a whole number, and both
 * timings agree; a clock that is not a whole number of ns per cycle (3 MHz: 333⅓ ns) is where
 * `timing: 'qemu'` (QEMU's 64.32 fixed-point period, floored per countdown) differs
 * (DigicTimer.spec.ts, 'D10 …').
 *
 * ## Policy (one reason per flag)
 * {@link DIGIC_TIMER_POLICY}: W+D+R+O, as the SysTick's. QEMU runs it LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The words at 0x04, 0x10 and 0x14, which barebox's set-up writes (2, 1 "start", 3
 *   "divider?") and whose purpose is unknown: each access is an `unimplemented` event naming the
 *   word, reads 0 and changes nothing ({@link DIGIC_TIMER_UNMODELLED}; D5). Counting does not
 *   wait for the 0x10 write.
 * - An interrupt (D7), a prescaler, and the rest of the SoC's timer space (the other timers are
 *   other instances; each instance is one 256-byte window).
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the tests named in brackets (test/devices/digic-timer/DigicTimer.spec.ts unless
 * another file is named; titles start with the tag).
 * D1 Counting. The counter counts down one step per cycle from the value loaded to 0, shows 0
 *    for one cycle and then restarts from RELVALUE: a period is RELVALUE + 1 cycles. Magic
 *    Lantern's emulator times the timer at (RELVALUE + 1) µs, and barebox reads 0xFFFF − VALUE
 *    as a 16-bit counter with RELVALUE 0xFFFF, which needs all 65 536 values. QEMU: a period of
 *    RELVALUE cycles; VALUE reads one less between steps and never shows 0. ('D1 …')
 * D2 EN. 1 counts on from the counter's value; 0 freezes the counter at its reading, and a later
 *    1 resumes from it (the partial cycle is lost). QEMU: clearing EN does not stop the counter.
 *    Magic Lantern's emulator clears the count when EN is cleared; not followed (it is the
 *    emulator's simplification; nothing shows the hardware does it). ('D2 …')
 * D3 RELVALUE write: the counter loads the written value at once (a fresh cycle starts) and it
 *    becomes the reload value, whether or not EN is set, as in QEMU; barebox's set-up writes
 *    RELVALUE 0xFFFF before EN, so its count starts from 0xFFFF. ('D3 …')
 * D4 CONTROL.RST written 1: the timer resets (CONTROL and RELVALUE 0, the counter stopped at 0);
 *    the rest of that write is ignored, as in QEMU. RST reads 0. ('D4 …')
 * D5 The words at 0x04, 0x10 and 0x14 are `unimplemented`, not guest errors: drivers write them
 *    (barebox's set-up, DigicTimer.drivers.spec.ts). QEMU: logs them as unimplemented too.
 *    (DigicTimer.guestErrors.spec.ts)
 * D6 Bits with no known meaning: CONTROL[30:1] and RELVALUE[31:16] read 0 and store nothing; a 1
 *    written there is an `unimplemented` event (`CONTROL[30:1]`, `RELVALUE[31:16]`). QEMU stores
 *    CONTROL whole and keeps RELVALUE's low 16 bits. (DigicTimer.guestErrors.spec.ts)
 * D7 No interrupt. QEMU has none, and barebox uses the timer as a clocksource only. Magic
 *    Lantern's emulator raises an interrupt of the SoC's interrupt controller from the timer
 *    DryOS uses as its tick, and guesses that 0x10 enables it; the block has no status register
 *    a model could set, so nothing is modelled: no line, and an expiry changes no register. The
 *    catalogue type has no channel. ('D7 …')
 * D8 Access sizes and offsets: 32-bit accesses only (barebox uses readl/writel); others are
 *    `bad-size` guest errors and a 32-bit access off a word boundary `misaligned` (on the unknown
 *    words too), a VALUE write is a `read-only` guest error, offsets other than the
 *    six words are `unmapped`; each changes nothing. QEMU: accepts any size, logs other offsets as
 *    unimplemented. (DigicTimer.guestErrors.spec.ts)
 * D9 RELVALUE 0: nothing to count down; the counter rests at 0 (stopped) once it gets there, and
 *    a RELVALUE write of 0 holds it at 0 at once. A later non-zero RELVALUE write loads and
 *    restarts it. QEMU: a LEGACY periodic timer with limit 0 stops too. ('D9 …')
 * D10 The clock: `clk` at 0 Hz freezes the counter (the kit's CounterRate rule); a rate change
 *    re-times it from its reading with a fresh, full cycle. ('D10 …')
 * D11 G1. The expiry (the step to 0) changes no register, so no read can see the count and a
 *    status disagree: reads at the step see 1 before it and 0 after it, under either delivery.
 *    (DigicTimer.harness.spec.ts)
 *
 * ## Snapshots
 * {@link DigicTimerSnapshot}, checked by one strict schema, by the counter's own rules
 * (`timer.<field>`), and by the invariants that hold by construction, each refused at the field
 * that breaks it:
 * - `clkHz` is the input's rate now; while it runs the counter ticks once per its cycle;
 * - VALUE stores its reset value (its reads are the count) and CONTROL.RST stores 0;
 * - the counter reloads RELVALUE (`timer.limit`) and never holds more than 16 bits;
 * - it is stopped while EN is 0 or `clk` is stopped; with EN 1 and `clk` running it runs
 *   periodic, unless it rests at 0 with RELVALUE 0 (D9), where it is stopped.
 *
 * ## Device kit and ordering
 * A PartialKitDevice (the shell on the prototype) on {@link DIGIC_TIMER_REGISTERS}, the unknown
 * words left out, one deviceTimer, a CounterRate for `clk`; `dispose()` ends the clock
 * watch and the timer. Expiries are delivered with `delivery` ('sync' by default); as an expiry
 * changes no register (D7), 'bottom-half' shows nothing different here (D11).
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectResetValues,
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
  snapshotHz,
  snapshotPart,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { PartialKitDevice } from '../../src/bus/kit/PartialKitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import type { IrqSignal } from '../../src/irq';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { DIGIC_TIMER_REGISTERS, DIGIC_TIMER_UNMODELLED } from './DIGIC_TIMER_REGISTERS';

/** The counter's policy flags, one reason each (D1, D2, D9). */
export const DIGIC_TIMER_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the step to 0 VALUE reads 0 for one cycle before RELVALUE is loaded: a period is RELVALUE + 1 cycles (D1)
  'NO_COUNTER_ROUND_DOWN', // VALUE reads like the hardware counter: the loaded value for the whole first cycle, 1 in the last (D1, D11)
  'NO_IMMEDIATE_RELOAD', // a counter frozen at 0 and enabled again holds 0 for a cycle before RELVALUE is loaded, like a counted-down 0 (D2)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 is an expiry: a RELVALUE write of 0 or an enable at 0 is not (D3, D9)
] as const satisfies readonly PTimerPolicy[];

/** The counter's clock rate by default (QEMU's and barebox's; the real one is not known). */
export const DIGIC_TIMER_HZ = 1_000_000;

/** Current {@link DigicTimerSnapshot} format version. */
export const DIGIC_TIMER_SNAPSHOT_VERSION = 1;

/** The DIGIC timer's whole state as plain, versioned data. */
export interface DigicTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof DIGIC_TIMER_SNAPSHOT_VERSION;
  /** The register bank (VALUE stores its reset value: the count is in `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its reload value is RELVALUE. */
  readonly timer: PTimerSnapshot;
  /** `clk` when the snapshot was taken; restore requires the input to be at it. */
  readonly clkHz: number;
}

/** Options of {@link DigicTimer}. */
export interface DigicTimerOptions {
  /** The counter's clock (default: a 1 MHz input of its own); rate changeable at run time, 0 Hz = frozen. */
  readonly clk?: ClockInput;
  /** Instance name, the `source` of its events (default `'digic-timer'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default) or the legacy `'bottom-half'` (no register depends on it, D11). */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof DIGIC_TIMER_REGISTERS>;

const { CONTROL, RELVALUE, VALUE } = DIGIC_TIMER_REGISTERS.byName;
const EN = CONTROL.fieldByName.EN.mask;
const RST = CONTROL.fieldByName.RST.mask;
const RELOAD = RELVALUE.fieldByName.RELVALUE.mask;
/** The 16-bit counter's largest value. */
const MAX_COUNT = 0xffff;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(DIGIC_TIMER_REGISTERS);

/**
 * A Canon DIGIC timer (see the module header for the contract).
 *
 * Ordering: the counter's expiry (its step to 0) changes no register (D7, D11); G2/G3 through
 * the timer's transactions (no register write makes an expiry: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timer = new DigicTimer(clock);            // 1 MHz: 1 µs a step
 * timer.write(0x00, 4, 0x8000_0000);              // CONTROL.RST: reset
 * timer.write(0x08, 4, 0xffff);                   // RELVALUE: the counter loads 0xFFFF
 * timer.write(0x00, 4, 1);                        // CONTROL.EN
 * clock.advanceTo(10_500);                        // 10.5 µs
 * 0xffff - timer.read(0x0c, 4);                   // 10: barebox's clocksource reading
 * ```
 */
export class DigicTimer extends PartialKitDevice<Registers> {
  /**
   * Creates the timer with its registers at their reset values and the counter stopped at 0.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock, name, trigger delivery, timing
   * @throws DeviceConfigError for a `clk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: DigicTimerOptions = {}) {
    checkDeviceOptions('DigicTimer', options, { clk: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'digic-timer');
    this.clk = options.clk ?? new ClockInput(`${this.name}.clk`, DIGIC_TIMER_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: DIGIC_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.attachBank(DIGIC_TIMER_REGISTERS, {
      CONTROL: { write: (value) => this.onControl(value) },
      RELVALUE: { write: (value) => this.onReload(value & RELOAD) },
      VALUE: { read: () => this.timer.getCountNumber() },
    });
    this.attachUnmodelled({ registers: DIGIC_TIMER_UNMODELLED, what: 'purpose unknown' });
    this.reset();
    // reset() applied the current rate; each later change re-times the counter at its instant.
    this.lifetime.add(this.clk.watch(() => this.sync()));
  }

  /** Reset: CONTROL and RELVALUE 0, the counter stopped at 0 (D4). */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(0, true);
    });
    this.bank.reset();
    this.sync();
  }

  snapshot(): DigicTimerSnapshot {
    return {
      ...this.snapshotHead(DIGIC_TIMER_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      clkHz: this.clk.hz,
    };
  }

  /**
   * Loads a {@link DigicTimerSnapshot} taken at the clock's current time by a DIGIC timer of this
   * name; all or nothing (everything is checked before anything changes). The clock input is the
   * system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the clock's rate, the counter's own rules (`timer.<field>`), or an invariant of
   *   the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'DigicTimer', version: DIGIC_TIMER_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), clkHz: snapshotHz() }));
    expectSame('clkHz', s.clkHz, this.clk.hz, "the clk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.rate.adopt(this.clk.hz);
  }

  // ---- public lines -------------------------------------------------------------

  /** The registers of {@link DIGIC_TIMER_REGISTERS}, in map order (the unknown words are not listed). */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** No output line: no interrupt of the timer block is known (D7). */
  protected createLines(): Readonly<Record<string, IrqSignal>> {
    return {};
  }

  /** `value` (16 bits): what a guest read of VALUE returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // VALUE's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'value', width: 16 })];
  }

  /** No output to compute (D7). */
  protected updateIrq(): void {}

  /** The step to 0 (in the timer's callback context when delivery is sync): nothing to set (D7); with RELVALUE 0 the counter rests at 0 (D9). */
  private onExpiry(): void {
    if (this.timer.getLimit() === 0n) this.timer.transaction((t) => t.stop());
  }

  /** CONTROL write: RST resets the timer and nothing else of the write applies (D4); otherwise EN starts or freezes the counter (D2). */
  private onControl(value: number): void {
    if ((value & RST) !== 0) {
      this.reset();
      return;
    }
    this.sync();
  }

  /** RELVALUE write: the counter loads the value at once and reloads it from then on (D3, D9). */
  private onReload(value: number): void {
    this.timer.transaction((t) => {
      t.stop(); // first: a fresh count from the write instant (D3)
      t.setLimit(value, true);
    });
    this.sync();
  }

  /**
   * Brings the counter in line with CONTROL.EN and `clk`, in one transaction: it runs periodic
   * while EN is 1 and `clk` runs, unless it rests at 0 with RELVALUE 0 (D9); on a running counter
   * `run` only keeps the mode, so the count goes on (D2, D10).
   */
  private sync(): void {
    const enabled = (this.bank.get('CONTROL') & EN) !== 0;
    const hz = this.clk.hz;
    this.timer.transaction((t) => {
      const resting = t.getLimit() === 0n && t.getCountNumber() === 0; // before any change: later reads are stale (reference §5.2 pitfall 2)
      if (!enabled || hz === 0) t.stop(); // first: stop latches the count at the old period (pitfall 3)
      const running = this.rate.apply(t, hz); // a new period latches a running count
      if (enabled && running && !resting) t.run(false);
      else t.stop();
    });
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView): void {
    expectResetValues(r, [VALUE]);
    const control = r['CONTROL']!;
    if ((control & RST) !== 0) refuseSnapshot(registerPath('CONTROL'), control, `must have ${registerPath('CONTROL', 'RST')} 0: a reset completes within its write (D4)`);
    const reload = r['RELVALUE']!;
    expectTimerLimit(timer, reload, `(${registerPath('RELVALUE')}: the counter reloads RELVALUE, D1)`);
    expectTimerCountAtMost(timer, MAX_COUNT, '(the counter is 16 bits)');
    const hz = this.clk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one clk cycle at ${hz} Hz`);
    const enabled = (control & EN) !== 0;
    if (!enabled || hz === 0) {
      expectTimerMode(timer, ['stopped'], `while ${registerPath('CONTROL', 'EN')} is ${enabled ? 1 : 0} and clk runs at ${hz} Hz (the counter counts only under EN with its clock running, D2)`);
      return;
    }
    expectRunningMode(timer, false, '(the counter reloads RELVALUE after each step to 0, D1)');
    const resting = reload === 0 && timer.delta === 0n;
    if (timer.mode === 'stopped' && !resting) {
      refuseSnapshot(
        `${timer.where}.mode`,
        timer.mode,
        `must be running while ${registerPath('CONTROL', 'EN')} is 1 and clk runs, unless it rests at 0 with ${registerPath('RELVALUE')} 0 (D9; here RELVALUE ${reload}, ${timer.where}.delta ${timer.delta})`,
      );
    }
    if (timer.mode !== 'stopped' && resting) {
      refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be stopped at 0 (${timer.where}.delta 0) with ${registerPath('RELVALUE')} 0: the counter rests there (D9)`);
    }
  }

  /** The counter's clock input. */
  readonly clk: ClockInput;
  /** The counter (exposed for tests and traces; guests see it through VALUE). */
  readonly timer: PTimer;
  private readonly rate = new CounterRate();
}
