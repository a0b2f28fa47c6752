/**
 * ARMv7-M SysTick: the architected 24-bit system timer of the Cortex-M cores, a down-counter
 * that reloads from RVR, sets COUNTFLAG when it counts to 0 and (TICKINT) pends the SysTick
 * exception.
 *
 * Manual: ARMv7-M Architecture Reference Manual, ARM DDI 0403, §B3.3 "The system timer,
 * SysTick" (ARMv8-M: DDI 0553 §B11); Cortex-M3/M4 and M0 Devices Generic User Guides, ARM
 * DUI 0553 / DUI 0662, §4.4 "System timer, SysTick". QEMU's `armv7m_systick` was used as a
 * cross-check only (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * Ports: `cpuclk` (the processor clock, CSR.CLKSOURCE = 1) and `refclk` (the external
 * reference clock, CLKSOURCE = 0), both ClockInputs whose rate may change at run time; the
 * counter decrements once per cycle of the selected one (no prescaler). Output: `systick`
 * ({@link Armv7mSystick.irq}), the SysTick exception's pending state (S5).
 * Timing: exact by default (`timing` option): a cycle is exactly 10^9/Hz ns. The catalogue's
 * defaults (cpuclk 25 MHz, 40 ns; refclk 1 MHz, 1000 ns: QEMU's mps2 boards) are whole ns per
 * cycle and both timings agree there; clocks that are not (a 48 MHz, 72 MHz, 120 MHz or
 * 168 MHz core: 20⅚, 13⅑, 8⅓, 5 20/21 ns; a 32.768 kHz reference) are where `timing: 'qemu'`
 * (QEMU's 64.32 fixed-point period, floored per countdown) differs by up to k ns at the k-th
 * wrap. (test/devices/armv7m-systick/Armv7mSystick.spec.ts 'Timing …')
 *
 * Not modelled (and what the guest sees instead):
 * - The NVIC and the rest of the System Control Block: exception entry, priorities, the
 *   other ICSR bits (VECTACTIVE, PENDSVSET, NMIPENDSET, …) read 0 and a write of 1 to them
 *   is an `unimplemented` event (`ICSR[24:0]`, …). Taking the exception clears its pending
 *   state in hardware; here the guest's handler does it with ICSR.PENDSTCLR (S5).
 * - The Security Extension's banked instances (one instance = one bank), privilege checks
 *   (an unprivileged access is a BusFault in hardware; here every access is privileged),
 *   halting in Debug state, and the "core clock ≥ 2.5 × reference clock" requirement.
 * - Reset values of RVR and CVR are UNKNOWN in the manual: here 0 (as QEMU).
 *
 * Ambiguities, and how they were decided (tests in test/devices/armv7m-systick/, titles
 * start with the tag):
 * S1 Counting. From RVR down to 0; the 1 -> 0 step sets COUNTFLAG and (TICKINT) pends the
 *    exception; CVR then reads 0 for one cycle and RVR is loaded on the next, so a period is
 *    RVR + 1 cycles (the manual's "RELOAD = N - 1 for N cycles"). ('S1 …')
 * S2 RVR = 0. The counter halts at 0 at its next wrap (the step to 0 still sets COUNTFLAG
 *    and pends), ENABLE stays 1. An RVR write takes effect at the next reload. A non-zero
 *    RVR written while halted restarts the count: the manual's counter keeps reloading RVR
 *    at every edge, so it loads the new value on the next cycle, silently. QEMU: the counter
 *    stays halted until ENABLE is toggled. ('S2 …')
 * S3 ENABLE. 0 freezes CVR; 1 resumes from the frozen value; with CVR = 0 the first cycle
 *    loads RVR without an event (CVR reads 0 during it). A CSR write that keeps ENABLE
 *    never reloads. ('S3 …')
 * S4 CVR write: any value clears CVR to 0 and clears COUNTFLAG, never pends; a counting
 *    counter reads 0 for one cycle, then reloads RVR silently (Zephyr's drivers rely on
 *    that zero: Zephyr #48608). A CSR read returns COUNTFLAG and clears it; a CSR write
 *    leaves it. ('S4 …')
 * S5 The exception output (the reference's modeller decision "pulse vs level"). The manual
 *    pends the exception; the pending state is latched in the NVIC, not in SysTick, so
 *    clearing COUNTFLAG, TICKINT or ENABLE never un-pends it. QEMU pulses a line into the
 *    NVIC. Here the line is that latched pending state, modelled with ICSR.PENDSTSET (read:
 *    pending; write 1: pend, as software may) and ICSR.PENDSTCLR (write 1: clear), the
 *    two ICSR bits Zephyr's driver uses: it rises at each step to 0 with TICKINT = 1 and
 *    is lowered only by PENDSTCLR (the guest's handler stands for exception entry) or a
 *    reset. PENDSTSET and PENDSTCLR written as 1 together: the manual calls it
 *    UNPREDICTABLE; here PENDSTCLR wins (the line ends low). ('S5 …')
 * S6 Clocks. 0 Hz on the selected clock freezes CVR (the kit's CounterRate rule); a rate
 *    change or a CLKSOURCE change re-times the count from its reading with a fresh cycle
 *    (the partial cycle is lost); a CSR write that also clears ENABLE freezes the count of
 *    its instant, as the old clock counted it. A change of the unselected clock changes nothing.
 *    QEMU: a change of either clock's rate re-times the counter from that clock whatever
 *    CLKSOURCE selects (its known bug); this model does not. ('S6 …')
 * S7 CALIB is implementation defined: the `calib` option gives its value; left out, it is
 *    computed from `refclk` at the read as QEMU's is: TENMS = (refclk cycles in 10 ms) - 1
 *    (24 bits), SKEW when that is not exactly 10 ms, TENMS 0 with SKEW for a stopped
 *    refclk. A `calib` with NOREF (bit 31) means no reference clock: CLKSOURCE reads 1 and
 *    ignores writes of 0 (the manual's IMP DEF reset, QEMU's behaviour without `refclk`). ('S7 …')
 * S8 Reads at an instant with a step to 0 show the value before it (1) when ordered before
 *    the expiry step and 0 with COUNTFLAG and PENDSTSET set after it: never a mix (G1).
 *    (harness spec)
 * S9 Access sizes: only 32-bit accesses (the manual: word accesses; QEMU refuses others
 *    too), others are `bad-size` guest errors; offsets with no register are `unmapped`
 *    guest errors (in hardware: other SCS registers); a CALIB write is a `read-only` guest
 *    error (QEMU logs a bad offset). (guest-error spec)
 *
 * Policy: see ARMV7M_SYSTICK_POLICY (W+D+R+O, the same set as QEMU's; verified against the
 * reference's worked timeline in the spec, 'S1 …').
 *
 * Device kit: RegisterBank on ARMV7M_SYSTICK_REGISTERS, one deviceTimer, a CounterRate for
 * the selected clock, an EventOutlet for events; `dispose()` ends the clock watches and the
 * timer.
 *
 * Snapshots (#14): {@link Armv7mSystickSnapshot}, checked by one strict schema, by the
 * counter's own rules (`timer.<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it:
 * - `cpuclkHz`/`refclkHz` are the inputs' rates now; while the selected clock runs the
 *   counter ticks once per its cycle (`expectTimerPeriod` at that rate);
 * - the counter reloads from RVR (`timer.limit` = RVR.RELOAD);
 * - it is stopped while ENABLE is 0 or the selected clock is stopped; running, it is
 *   periodic; stopped under ENABLE with the clock running, it has halted at 0 with RVR 0 (S2);
 *   with RVR 0 a running counter is not at 0 (it halts there, S2);
 * - with CALIB.NOREF, CLKSOURCE is 1 (S7);
 * - CVR and CALIB store nothing (reads are computed) and ICSR.PENDSTCLR stores 0;
 * - COUNTFLAG and PENDSTSET may take either value in any state (a wrap, then ENABLE = 0,
 *   keeps both): no rule.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: COUNTFLAG and the
 * pending state change in the expiry step itself, G1); 'bottom-half' exists only to show
 * the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  deviceTimer,
  expectResetValues,
  expectRunningMode,
  expectSame,
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
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { ARMV7M_SYSTICK_REGISTERS } from './ARMV7M_SYSTICK_REGISTERS';

/** The counter's policy flags, one reason each (S1, S3, S4). */
export const ARMV7M_SYSTICK_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // after the 1 -> 0 step CVR reads 0 for one cycle before RVR is loaded: a period is RVR + 1 cycles (S1)
  'NO_COUNTER_ROUND_DOWN', // CVR reads like the hardware counter: RVR in the cycle after the reload, 1 in the last cycle (S1, S8)
  'NO_IMMEDIATE_RELOAD', // a 0 left by a CVR write or found at enable is held one cycle, then RVR is loaded (S3, S4)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting 1 -> 0 sets COUNTFLAG and pends: a CVR write or an enable at 0 never does (S3, S4)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Armv7mSystickSnapshot} format version. */
export const ARMV7M_SYSTICK_SNAPSHOT_VERSION = 1;

/** The SysTick's whole state as plain, versioned data. */
export interface Armv7mSystickSnapshot extends DeviceSnapshot {
  readonly version: typeof ARMV7M_SYSTICK_SNAPSHOT_VERSION;
  /** The register bank (CVR and CALIB store nothing; ICSR.PENDSTSET is the pending state). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its limit is RVR. */
  readonly timer: PTimerSnapshot;
  /** `cpuclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly cpuclkHz: number;
  /** `refclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly refclkHz: number;
}

/** Options of {@link Armv7mSystick}. */
export interface Armv7mSystickOptions {
  /** The processor clock (CLKSOURCE = 1); rate changeable at run time, 0 Hz = stopped. */
  readonly cpuclk: ClockInput;
  /** The external reference clock (CLKSOURCE = 0); rate changeable at run time, 0 Hz = stopped. */
  readonly refclk: ClockInput;
  /**
   * SYST_CALIB's value (implementation defined): TENMS in bits 23:0, SKEW bit 30, NOREF bit 31
   * (bits 29:24 must be 0). Default: computed from `refclk` at each read (S7).
   */
  readonly calib?: number;
  /** Instance name, the `source` of its events (default `'armv7m-systick'`). */
  readonly name?: string;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counter keeps time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof ARMV7M_SYSTICK_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  CSR_CLKSOURCE: fieldHandle(ARMV7M_SYSTICK_REGISTERS, 'CSR', 'CLKSOURCE'),
  CSR_COUNTFLAG: fieldHandle(ARMV7M_SYSTICK_REGISTERS, 'CSR', 'COUNTFLAG'),
  CSR_TICKINT: fieldHandle(ARMV7M_SYSTICK_REGISTERS, 'CSR', 'TICKINT'),
  ICSR_PENDSTSET: fieldHandle(ARMV7M_SYSTICK_REGISTERS, 'ICSR', 'PENDSTSET'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  CSR: registerHandle(ARMV7M_SYSTICK_REGISTERS, 'CSR'),
} as const;

const { CSR, CVR, CALIB, ICSR } = ARMV7M_SYSTICK_REGISTERS.byName;
const CLKSOURCE = CSR.fieldByName.CLKSOURCE.mask;
const ENABLE = CSR.fieldByName.ENABLE.mask;
const NOREF = CALIB.fieldByName.NOREF.mask;
const SKEW = CALIB.fieldByName.SKEW.mask;
const TENMS = CALIB.fieldByName.TENMS.mask;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(ARMV7M_SYSTICK_REGISTERS);

/** Registers that store nothing: CVR and CALIB (reads are computed). */
const FIXED = [CVR, CALIB];

/**
 * CALIB as QEMU computes it from the reference clock (S7).
 * @param hz - the reference clock's rate now
 */
const calibOf = (hz: number): number => {
  const cycles = Math.floor(hz / 100); // cycles in 10 ms
  if (cycles === 0) return SKEW; // TENMS unknown
  const tenms = (cycles - 1) & TENMS;
  const exact = hz % 100 === 0 && cycles - 1 <= TENMS;
  return (tenms | (exact ? 0 : SKEW)) >>> 0;
};

/**
 * The SysTick timer (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (COUNTFLAG, PENDSTSET and the line change in
 * the counter's expiry step); G2/G3 through the timer's transactions (no register write
 * sets COUNTFLAG or pends: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const cpuclk = new ClockInput('cpuclk', 25_000_000);     // 40 ns per cycle
 * const refclk = new ClockInput('refclk', 1_000_000);
 * const systick = new Armv7mSystick(clock, { cpuclk, refclk });
 * systick.write(0x004, 4, 999);                              // RVR: 1000 cycles per period
 * systick.write(0x008, 4, 0);                                // CVR: cleared
 * systick.write(0x000, 4, 0b111);                            // CSR = CLKSOURCE | TICKINT | ENABLE
 * clock.advanceTo(40_000);                                   // the first step to 0
 * systick.irq.level;                                         // true: the exception is pending
 * ```
 */
export class Armv7mSystick extends KitDevice<Registers, {
  /** {@link Armv7mSystick.irq}: the SysTick exception is pending. */
  systick: IrqLine;
}> {
  /**
   * Creates the SysTick with its registers at their reset values and the counter stopped.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock inputs, CALIB, name, trigger delivery, timing
   * @throws DeviceConfigError for a clock that is not a ClockInput, a `calib` that is not a 32-bit value with bits 29:24 clear, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Armv7mSystickOptions) {
    checkDeviceOptions('Armv7mSystick', options, {
      cpuclk: 'clock',
      refclk: 'clock',
      calib: { integer: [0, 0xffff_ffff], optional: true },
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'armv7m-systick');
    if (options.calib !== undefined && (options.calib & 0x3f00_0000) !== 0) {
      throw new DeviceConfigError(options.calib, 'must have bits 29:24 clear (SYST_CALIB: TENMS 23:0, SKEW 30, NOREF 31)', 'Armv7mSystick(options.calib)');
    }
    this.cpuclk = options.cpuclk;
    this.refclk = options.refclk;
    this.calib = options.calib;
    this.noref = options.calib !== undefined && (options.calib & NOREF) !== 0;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: ARMV7M_SYSTICK_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.systick`);
    this.attachBank(ARMV7M_SYSTICK_REGISTERS, {
      CSR: { write: () => this.onControl() },
      RVR: { write: (value) => this.onReload(value) },
      CVR: { read: () => this.timer.getCountNumber(), write: () => this.onCurrent() },
      CALIB: { read: () => this.calib ?? calibOf(this.refclk.hz) },
      ICSR: { write: (value, old) => this.onPend(value, old) },
    });
    if (this.noref) this.bank.setFieldAt(FIELD.CSR_CLKSOURCE, 1);
    this.lifetime.add(this.cpuclk.watch(() => this.onClock()));
    this.lifetime.add(this.refclk.watch(() => this.onClock()));
    this.onClock();
  }

  /** Reset: registers from the map's reset values (CLKSOURCE 1 under NOREF), the counter stopped at 0 with limit 0, nothing pending. */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(0, false);
      t.setCount(0);
    });
    this.bank.reset();
    if (this.noref) this.bank.setFieldAt(FIELD.CSR_CLKSOURCE, 1);
    this.onClock();
  }

  snapshot(): Armv7mSystickSnapshot {
    return {
      ...this.snapshotHead(ARMV7M_SYSTICK_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      cpuclkHz: this.cpuclk.hz,
      refclkHz: this.refclk.hz,
    };
  }

  /**
   * Loads an {@link Armv7mSystickSnapshot} taken at the clock's current time by a SysTick of
   * this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock mismatch, the counter's own rules (`timer.<field>`), or an invariant
   *   of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Armv7mSystick', version: ARMV7M_SYSTICK_SNAPSHOT_VERSION }, () => ({ timer: snapshotPart(), cpuclkHz: snapshotHz(), refclkHz: snapshotHz() }));
    expectSame('cpuclkHz', s.cpuclkHz, this.cpuclk.hz, "the cpuclk input's frequency now");
    expectSame('refclkHz', s.refclkHz, this.refclk.hz, "the refclk input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    this.checkConsistency(s.registers.registers, timer);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.rate.adopt(this.selectedHz());
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The SysTick exception's pending state (ICSR.PENDSTSET, S5). */
  readonly irq: IrqLine;
  /** The registers of {@link ARMV7M_SYSTICK_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The step to 0 (in the timer's callback context when delivery is sync): S1, S2, S5. */
  private onExpiry(): void {
    this.bank.setFieldAt(FIELD.CSR_COUNTFLAG, 1);
    if (this.bank.fieldAt(FIELD.CSR_TICKINT) === 1) this.bank.setFieldAt(FIELD.ICSR_PENDSTSET, 1);
    // RVR = 0: the counter halts at 0 (ENABLE stays 1, S2).
    if (this.timer.getLimit() === 0n) this.timer.transaction((t) => t.stop());
    this.updateIrq();
  }

  /**
   * ICSR write (the stored value is what was written, `old` the value before): PENDSTSET = 1
   * pends, PENDSTCLR = 1 un-pends and wins over PENDSTSET, 0s change nothing; PENDSTCLR
   * stores nothing (S5).
   */
  private onPend(value: number, old: number): void {
    const { PENDSTSET, PENDSTCLR } = ICSR.fieldByName;
    const pending = (value & PENDSTCLR.mask) !== 0 ? 0 : (value & PENDSTSET.mask) !== 0 ? 1 : (old & PENDSTSET.mask) !== 0 ? 1 : 0;
    this.bank.set('ICSR', pending === 1 ? PENDSTSET.mask : 0);
  }

  /** CSR write: ENABLE cleared stops first, CLKSOURCE re-times, then ENABLE set runs (QEMU < 7.0's order bug avoided; S3, S6, S7). */
  private onControl(): void {
    if (this.noref) this.bank.setFieldAt(FIELD.CSR_CLKSOURCE, 1);
    this.onClock();
  }

  /** RVR write: the new reload value applies at the next reload; a counter at 0 with RVR 0 halts, a halted one restarts (S2). */
  private onReload(value: number): void {
    this.timer.transaction((t) => {
      if (value === 0 && t.getCountNumber() === 0) t.stop(); // nothing left to count: hold 0
      t.setLimit(value & 0xff_ffff, false);
      this.runIfEnabled(t);
    });
  }

  /** CVR write: the counter and COUNTFLAG clear; never pends (S4). */
  private onCurrent(): void {
    this.bank.set('CVR', 0); // nothing is stored: the counter is the timer
    this.bank.setFieldAt(FIELD.CSR_COUNTFLAG, 0);
    this.timer.transaction((t) => {
      if (t.getLimit() === 0n) t.stop(); // RVR = 0: the counter halts at 0 (S2)
      t.setCount(0);
      this.runIfEnabled(t);
    });
  }

  /** A clock input or CLKSOURCE changed: re-time from the selected clock, 0 Hz stops (S6). */
  private onClock(): void {
    this.timer.transaction((t) => {
      // A CSR write clearing ENABLE holds the count of its instant, counted on the clock it ran on,
      // also when it switches CLKSOURCE too: the stop comes before the re-timing (S3, S6).
      if ((this.bank.getAt(REGISTER.CSR) & ENABLE) === 0) t.stop();
      this.rate.apply(t, this.selectedHz()); // a new period latches the running count
      this.runIfEnabled(t);
    });
    this.updateIrq();
  }

  /** The selected clock's rate now (CLKSOURCE). */
  private selectedHz(): number {
    return (this.bank.getAt(REGISTER.CSR) & CLKSOURCE) !== 0 ? this.cpuclk.hz : this.refclk.hz;
  }

  /**
   * Last step of a change: the counter runs periodic while ENABLE is set and the selected
   * clock runs, unless it has halted at 0 with RVR 0 (S2). On a running counter `run` only
   * switches the mode, so the count goes on (S3).
   */
  private runIfEnabled(t: PTimer): void {
    if ((this.bank.getAt(REGISTER.CSR) & ENABLE) === 0 || !this.rate.running) {
      t.stop();
      return;
    }
    if (t.getLimit() === 0n && t.getCountNumber() === 0) {
      t.stop();
      return;
    }
    t.run(false);
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, timer: TimerPartView): void {
    expectResetValues(r, FIXED);
    if ((r['ICSR']! & ICSR.fieldByName.PENDSTCLR.mask) !== 0) {
      refuseSnapshot(`registers.registers.ICSR`, r['ICSR'], `must have ${registerPath('ICSR', 'PENDSTCLR')} 0 (write-only, stores nothing)`);
    }
    const csr = r['CSR']!;
    const clksource = (csr & CLKSOURCE) !== 0 ? 1 : 0;
    if (this.noref && clksource === 0) {
      refuseSnapshot(`registers.registers.CSR`, csr, `must have ${registerPath('CSR', 'CLKSOURCE')} 1: CALIB.NOREF says there is no reference clock (S7)`);
    }
    const reload = r['RVR']!;
    expectTimerLimit(timer, reload, `(${registerPath('RVR', 'RELOAD')}: the counter reloads from RVR)`);
    const hz = clksource === 1 ? this.cpuclk.hz : this.refclk.hz;
    const clock = clksource === 1 ? 'cpuclk' : 'refclk';
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one ${clock} cycle at ${hz} Hz (${registerPath('CSR', 'CLKSOURCE')} ${clksource})`);
    const enabled = (csr & ENABLE) !== 0;
    if (!enabled || hz === 0) {
      expectTimerMode(timer, ['stopped'], `while ${registerPath('CSR', 'ENABLE')} is ${enabled ? 1 : 0} and ${clock} runs at ${hz} Hz (the counter runs only under ENABLE with its clock running)`);
      return;
    }
    expectRunningMode(timer, false, `(SysTick counts periodically, S1)`);
    const halted = reload === 0 && timer.delta === 0n;
    if (timer.mode === 'stopped' && !halted) {
      refuseSnapshot(
        `${timer.where}.mode`,
        timer.mode,
        `must be running while ${registerPath('CSR', 'ENABLE')} is 1 and ${clock} runs, unless it halted at 0 with ${registerPath('RVR')} 0 (S2; here RVR ${reload}, ${timer.where}.delta ${timer.delta})`,
      );
    }
    if (timer.mode !== 'stopped' && halted) {
      refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be stopped at 0 with ${registerPath('RVR')} 0: the counter halts there (S2)`);
    }
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { systick: this.irq };
  }

  /** `current` (24 bits): what a guest read of CVR returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // CVR's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'current', width: 24 })];
  }

  /** The one place the output is computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(FIELD.ICSR_PENDSTSET) === 1);
  }

  /** The counter (exposed for tests and traces; guests see it through CVR). */
  readonly timer: PTimer;
  /** The processor clock input (CLKSOURCE = 1). */
  readonly cpuclk: ClockInput;
  /** The external reference clock input (CLKSOURCE = 0). */
  readonly refclk: ClockInput;
  private readonly calib: number | undefined;
  private readonly noref: boolean;
  private readonly rate = new CounterRate();
}
