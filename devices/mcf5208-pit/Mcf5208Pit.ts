/**
 * Freescale ColdFire MCF5208 programmable interrupt timer (PIT): a 16-bit down-counter on the
 * internal bus clock ÷ 2^PRE that sets PIF when it reaches 0 and then reloads its modulus (PMR) or
 * rolls over to 0xFFFF, with a level interrupt PIF && PIE. The MCF5208 has two (PIT0, PIT1); Linux
 * uses PIT0 as its clock event device and clocksource on the 5208, 527x, 532x and 5441x.
 *
 * Manual: MCF5208 Reference Manual, chapter "Programmable Interrupt Timers (PIT0–PIT1)": PCSR,
 * PMR, PCNTR. No text copy of the manual was at hand: the register layout and bit positions are
 * those the reference (devices-2.md §23, [med]) and Freescale's MCF52xx/53xx headers agree on; the
 * counting behaviour is the reference's; what no source settles is decided below. QEMU's
 * `mcf5208` PIT (`m5208_timer`) was a cross-check only (behaviour, no code); each departure from
 * it is marked "QEMU:" below. The MCF5206's timer module is a different block (an up-counter with
 * a reference compare): the two share no code beyond the device kit (see `Mcf5206Timer`).
 *
 * ## Ports
 * - `busclk`: the internal bus clock, a {@link ClockInput} (default 83 333 333 Hz, half the
 *   MCF5208's 166.67 MHz core clock, as QEMU's). 0 Hz freezes the counter (P9).
 * - `irq` ({@link Mcf5208Pit.irq}): the PIT's interrupt request, PIF && PIE (P5).
 *
 * ## Timing
 * Exact by default (`timing` option): a step is exactly 2^PRE·10^9/busclk ns. The default bus
 * clock is not a whole number of ns per cycle (12.000 000 048 ns), so `timing: 'qemu'` (QEMU's
 * 64.32 fixed-point period, floored per countdown) drifts from it by up to a ns a round
 * (Mcf5208Pit.spec.ts, 'P9 …').
 *
 * ## Policy (one reason per flag)
 * {@link MCF5208_PIT_POLICY}: W+D+R+O, as the SysTick's. QEMU runs it LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - Debug and doze modes (PCSR.DBG, DOZE): stored and read back; a 1 written is an
 *   `unimplemented` event (`PCSR.DBG`, `PCSR.DOZE`); the counter never halts for them (P7).
 * - The interrupt controller (INTC0, its level and priority): `irq` is the request line.
 * - The prescaler's phase: a PMR load or an enable starts a fresh prescaled cycle (P2, P3).
 * - 8- and 32-bit accesses (big-endian byte lanes): refused (P8).
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the tests named in brackets (test/devices/mcf5208-pit/Mcf5208Pit.spec.ts unless
 * another file is named; titles start with the tag).
 * P1 Counting. PCNTR counts down one step per prescaled cycle; the step to 0 sets PIF. With RLD 1
 *    PCNTR shows 0 for one step and then PMR is loaded: a period is PMR + 1 steps (the reference's
 *    reading of the manual's timeout formula). With RLD 0 it rolls from 0 to 0xFFFF after that
 *    step: 65 536 steps a round. QEMU: a period of PMR steps (0xFFFF with RLD 0), PCNTR one less
 *    between steps, never 0. ('P1 …')
 * P2 EN. 0 holds the counter (and its prescaler) at its reading; 1 resumes from it with a fresh
 *    prescaled cycle: enabling does not load PMR, so after Linux's periodic set-up (PCSR 0, PMR,
 *    PCSR with EN) the first PIF comes when the held count runs out (0xFFFF after reset). A
 *    counter held at 0 and enabled again shows 0 for one step, then loads (PMR or 0xFFFF) without
 *    setting PIF. QEMU: its LEGACY timer fires at once when enabled at 0 (the reference's
 *    "immediate first interrupt"), and every PCSR write other than PIE/PIF re-times the count.
 *    ('P2 …')
 * P3 PMR write. With OVW 1 the counter loads the written value at once (a fresh prescaled cycle),
 *    enabled or not, and with RLD 1 it is also the reload value; with OVW 0 the value is only
 *    stored and loaded at the next reload (RLD 1). Either way the write clears PIF, as QEMU's
 *    does (the reference notes it [med]; the manual's text was not at hand to verify it). Loading
 *    0 sets no PIF (only counting down to 0 does). A reload value
 *    changed (PMR with RLD 1, or RLD itself) during the step the counter shows 0 after its step
 *    to 0 is loaded at the end of a fresh step at 0: up to a step late, as the counter cannot
 *    shorten a step in progress. ('P3 …')
 * P4 PCSR writes change the count only through EN, RLD and PRE: Linux's interrupt handler
 *    rewrites PCSR with PIF set (a read-modify-write) and must not disturb the count. A PRE change
 *    while counting re-times the counter from its reading with a fresh prescaled cycle (the kit's
 *    CounterRate rule); an RLD change applies at the next step to 0. ('P4 …')
 * P5 PIF is set at each step to 0 whatever PIE says; `irq` is PIF && PIE, a level, lowered by
 *    writing PIF 1, a PMR write or reset. ('P5 …')
 * P6 PMR 0 with RLD 1: nothing to count down; the counter rests at 0 (stopped) once it gets
 *    there, after setting PIF once, and a PMR write of 0 with OVW 1 holds it at 0 at once. A
 *    non-zero PMR written while it rests is loaded at the next step. QEMU: a LEGACY periodic timer
 *    with limit 0 stops at once. ('P6 …')
 * P7 PCSR.DBG and DOZE store and read back with no effect (see "Not modelled").
 * P8 Access sizes and byte order. The registers are 16-bit and big-endian. The bus carries an
 *    access's value, not its bytes: a 16-bit access's value is the register's value as the CPU sees
 *    it, so the byte order never shows. An 8-bit access (which on the CPU's big-endian lanes would
 *    be PCSR[15:8] at offset 0) or a 32-bit one (PCSR:PMR at offset 0) is refused as a `bad-size`
 *    guest error rather than given the register bank's little-endian lane rule; every driver read
 *    here (Linux, FreeRTOS, FNET) uses 16-bit accesses. A PCNTR write is a `read-only` guest error;
 *    offsets 0x06–0x3FFF are `unmapped`; each changes nothing. QEMU: ignores the access size and
 *    aborts on other offsets. (Mcf5208Pit.guestErrors.spec.ts)
 * P9 The clock: `busclk` at 0 Hz freezes the counter; a rate change re-times it from its reading
 *    with a fresh, full step. ('P9 …')
 * P10 G1. Reads at a step to 0 see PCNTR 1 with PIF clear when ordered before the expiry step and
 *    PCNTR 0 with PIF set after it: never a mix. (Mcf5208Pit.harness.spec.ts)
 *
 * ## Snapshots
 * {@link Mcf5208PitSnapshot}, checked by one strict schema, by the counter's own rules
 * (`timer.<field>`), and by the invariants that hold by construction, each refused at the field
 * that breaks it:
 * - `busclkHz` is the input's rate now; while it runs the counter steps every 2^PRE cycles;
 * - PCNTR stores its reset value (its reads are the count);
 * - the counter reloads PMR with RLD 1 and 0xFFFF with RLD 0 (`timer.limit`), and never holds
 *   more than 16 bits;
 * - it is stopped while EN is 0 or `busclk` is stopped; with EN 1 and `busclk` running it runs
 *   periodic, unless it rests at 0 with a reload value of 0 (P6), where it is stopped.
 *
 * ## Device kit and ordering
 * RegisterBank on {@link MCF5208_PIT_REGISTERS}, one deviceTimer, a CounterRate for `busclk` and
 * the prescaler, an EventOutlet for events; `dispose()` ends the clock watch and the timer.
 * Expiries are delivered with `delivery` ('sync' by default: PIF and the line change in the expiry
 * step itself, G1); 'bottom-half' exists only to show the LP #1777777 race.
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
  fieldHandle,
  refuseSnapshot,
  registerHandle,
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
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { MCF5208_PIT_REGISTERS } from './MCF5208_PIT_REGISTERS';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counter's policy flags, one reason each (P1, P2, P3). */
export const MCF5208_PIT_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the step to 0 PCNTR shows 0 for one step before PMR (or 0xFFFF) is loaded: PMR + 1 steps a period (P1)
  'NO_COUNTER_ROUND_DOWN', // PCNTR reads like the hardware counter: the loaded value for the whole first step, 1 in the last (P1, P10)
  'NO_IMMEDIATE_RELOAD', // a counter held at 0 and enabled, or loaded with 0, shows 0 for a step before it reloads (P2, P3)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 sets PIF: a load of 0 or an enable at 0 never does (P2, P3)
] as const satisfies readonly PTimerPolicy[];

/** The default bus clock: the MCF5208's 166.67 MHz core clock ÷ 2, as QEMU's. */
export const MCF5208_PIT_BUSCLK_HZ = 83_333_333;

/** Current {@link Mcf5208PitSnapshot} format version. */
export const MCF5208_PIT_SNAPSHOT_VERSION = 1;

/** The PIT's whole state as plain, versioned data. */
export interface Mcf5208PitSnapshot extends DeviceSnapshot {
  readonly version: typeof MCF5208_PIT_SNAPSHOT_VERSION;
  /** The register bank (PCNTR stores its reset value: the count is in `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its reload value is PMR (RLD 1) or 0xFFFF (RLD 0). */
  readonly timer: PTimerSnapshot;
  /** `busclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly busclkHz: number;
}

/** Options of {@link Mcf5208Pit}. */
export interface Mcf5208PitOptions {
  /** The internal bus clock (default: an 83 333 333 Hz input of its own); rate changeable at run time, 0 Hz = frozen. */
  readonly busclk?: ClockInput;
  /** Instance name, the `source` of its events (default `'mcf5208-pit'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof MCF5208_PIT_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  PCSR_PIF: fieldHandle(MCF5208_PIT_REGISTERS, 'PCSR', 'PIF'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  PCSR: registerHandle(MCF5208_PIT_REGISTERS, 'PCSR'),
  PMR: registerHandle(MCF5208_PIT_REGISTERS, 'PMR'),
} as const;

const { PCSR, PCNTR } = MCF5208_PIT_REGISTERS.byName;
const F = PCSR.fieldByName;
/** The 16-bit counter's roll-over value: what it loads after 0 with RLD 0 (P1). */
const ROLLOVER = 0xffff;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MCF5208_PIT_REGISTERS);

const flag = (pcsr: number, f: { readonly mask: number }): boolean => (pcsr & f.mask) !== 0;
const prescale = (pcsr: number): number => 2 ** ((pcsr & F.PRE.mask) >>> F.PRE.lsb);
/** The value the counter loads after the step to 0 (P1). */
const reloadOf = (pcsr: number, pmr: number): number => (flag(pcsr, F.RLD) ? pmr : ROLLOVER);

/**
 * One MCF5208 PIT (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (PIF and the line change in the counter's expiry
 * step); G2/G3 through the timer's transactions (no register write sets PIF:
 * TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const pit = new Mcf5208Pit(clock, { busclk: new ClockInput('busclk', 1_000_000) }); // 1 µs a step
 * pit.write(0x00, 2, 0x0010);                        // PCSR = OVW (disabled)
 * pit.write(0x02, 2, 99);                            // PMR = 99: the counter loads 99 at once
 * pit.write(0x00, 2, 0x000b);                        // PCSR = PIE | RLD | EN
 * clock.advanceTo(99_000);                           // the step to 0
 * pit.irq.level;                                     // true; PCSR.PIF is set
 * ```
 */
export class Mcf5208Pit extends KitDevice<Registers, {
  /** {@link Mcf5208Pit.irq}: the interrupt request. */
  irq: IrqLine;
}> {
  /**
   * Creates the PIT with its registers at their reset values and the counter held at 0xFFFF.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - bus clock, name, trigger delivery, timing
   * @throws DeviceConfigError for a `busclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Mcf5208PitOptions = {}) {
    checkDeviceOptions('Mcf5208Pit', options, { busclk: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'mcf5208-pit');
    this.busclk = options.busclk ?? new ClockInput(`${this.name}.busclk`, MCF5208_PIT_BUSCLK_HZ);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: MCF5208_PIT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(MCF5208_PIT_REGISTERS, {
      PCSR: { write: () => this.sync() },
      PMR: { write: (value) => this.onModulus(value) },
      PCNTR: { read: () => this.timer.getCountNumber() },
    });
    this.reset();
    // reset() applied the current rate; each later change re-times the counter at its instant.
    this.lifetime.add(
      this.busclk.watch(() => {
        this.sync();
        this.updateIrq();
      }),
    );
  }

  /** Reset: registers from the map's reset values (PMR 0xFFFF), the counter held at 0xFFFF, PIF clear. */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(ROLLOVER, true);
    });
    this.bank.reset();
    this.sync();
    this.updateIrq();
  }

  snapshot(): Mcf5208PitSnapshot {
    return {
      ...this.snapshotHead(MCF5208_PIT_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      busclkHz: this.busclk.hz,
    };
  }

  /**
   * Loads an {@link Mcf5208PitSnapshot} taken at the clock's current time by a PIT of this name;
   * all or nothing (everything is checked before anything changes). The bus clock input is the
   * system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the bus clock's rate, the counter's own rules (`timer.<field>`), or an invariant
   *   of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Mcf5208Pit', version: MCF5208_PIT_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), busclkHz: snapshotHz() }));
    expectSame('busclkHz', s.busclkHz, this.busclk.hz, "the busclk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.rate.adopt(this.busclk.hz, prescale(this.bank.getAt(REGISTER.PCSR)));
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The PIT's interrupt request: PCSR.PIF && PCSR.PIE (P5). */
  readonly irq: IrqLine;
  /** The registers of {@link MCF5208_PIT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The step to 0 (in the timer's callback context when delivery is sync): PIF, whatever PIE says; with a reload value of 0 the counter rests (P5, P6). */
  private onExpiry(): void {
    this.bank.setFieldAt(FIELD.PCSR_PIF, 1);
    if (this.timer.getLimit() === 0n) this.timer.transaction((t) => t.stop());
    this.updateIrq();
  }

  /** PMR write: PIF clears; with OVW the counter loads the value at once, and with RLD it is the reload value (P3). */
  private onModulus(value: number): void {
    this.bank.setFieldAt(FIELD.PCSR_PIF, 0);
    if (flag(this.bank.getAt(REGISTER.PCSR), F.OVW)) {
      this.timer.transaction((t) => {
        t.stop(); // first: a fresh count from the write instant
        t.setCount(value);
      });
    }
    this.sync();
  }

  /**
   * Brings the counter in line with PCSR, PMR and `busclk`, in one transaction: the rate (2^PRE
   * cycles a step; unchanged, it leaves the count alone), the reload value (RLD: PMR, else
   * 0xFFFF; it applies at the next step to 0), and whether it counts: EN 1 with `busclk` running,
   * unless it rests at 0 with nothing to reload (P6). On a running counter `run` only keeps the
   * mode, so no PCSR write that keeps EN, RLD and PRE disturbs the count (P2, P4, P9).
   */
  private sync(): void {
    const pcsr = this.bank.getAt(REGISTER.PCSR);
    const reload = reloadOf(pcsr, this.bank.getAt(REGISTER.PMR));
    const hz = this.busclk.hz;
    const enabled = flag(pcsr, F.EN);
    this.timer.transaction((t) => {
      const count = t.getCount(); // before any change: later reads in the transaction are stale (reference §5.2 pitfall 2)
      if (!enabled || hz === 0) t.stop(); // first: stop latches the count at the old period (pitfall 3)
      const running = this.rate.apply(t, hz, prescale(pcsr)); // a new period latches a running count
      // In the step at 0 after a step to 0 the timer already holds its next round: a new reload
      // value there is loaded at the end of a fresh step at 0 instead (P3).
      if (t.mode !== 'stopped' && t.getLimit() !== BigInt(reload) && count === 0n) t.setCount(0);
      t.setLimit(reload, false);
      const resting = reload === 0 && count === 0n;
      if (enabled && running && !resting) t.run(false);
      else t.stop();
    });
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView): void {
    expectResetValues(r, [PCNTR]);
    const pcsr = r['PCSR']!;
    const reload = reloadOf(pcsr, r['PMR']!);
    const rld = flag(pcsr, F.RLD) ? 1 : 0;
    expectTimerLimit(timer, reload, `(with ${registerPath('PCSR', 'RLD')} ${rld} the counter reloads ${rld === 1 ? registerPath('PMR') : '0xFFFF'}, P1)`);
    expectTimerCountAtMost(timer, ROLLOVER, '(PCNTR is 16 bits)');
    const hz = this.busclk.hz;
    const divisor = prescale(pcsr);
    if (hz > 0) expectTimerPeriod(timer, hz, divisor, `of one step, 2^${registerPath('PCSR', 'PRE')} = ${divisor} cycles at ${hz} Hz`);
    const enabled = flag(pcsr, F.EN);
    if (!enabled || hz === 0) {
      expectTimerMode(timer, ['stopped'], `while ${registerPath('PCSR', 'EN')} is ${enabled ? 1 : 0} and busclk runs at ${hz} Hz (the counter counts only under EN with its clock running, P2)`);
      return;
    }
    expectRunningMode(timer, false, `(the counter reloads or rolls over after each step to 0, P1)`);
    const resting = reload === 0 && timer.delta === 0n;
    if (timer.mode === 'stopped' && !resting) {
      refuseSnapshot(
        `${timer.where}.mode`,
        timer.mode,
        `must be running while ${registerPath('PCSR', 'EN')} is 1 and busclk runs, unless it rests at 0 with a reload value of 0 (P6; here reload ${reload}, ${timer.where}.delta ${timer.delta})`,
      );
    }
    if (timer.mode !== 'stopped' && resting) {
      refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be stopped at 0 (${timer.where}.delta 0) with a reload value of 0 (${registerPath('PCSR', 'RLD')} 1, ${registerPath('PMR')} 0): the counter rests there (P6)`);
    }
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `pcntr` (16 bits): what a guest read of PCNTR returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // PCNTR's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'pcntr', width: 16 })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change (P5). */
  protected updateIrq(): void {
    const pcsr = this.bank.getAt(REGISTER.PCSR);
    this.irq.set(flag(pcsr, F.PIF) && flag(pcsr, F.PIE));
  }

  /** The internal bus clock input. */
  readonly busclk: ClockInput;
  /** The counter (exposed for tests and traces; guests see it through PCNTR). */
  readonly timer: PTimer;
  private readonly rate = new CounterRate();
}
