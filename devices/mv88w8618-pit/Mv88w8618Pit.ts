/**
 * Marvell 88W8618 programmable interval timers (Freecom MusicPal): four 32-bit down-counters
 * that reload their LENGTH and interrupt at every period, with the interrupt controller's
 * latch that holds each timer's interrupt until the guest acknowledges it, and the board reset
 * register behind which the firmware's watchdog/reboot sits.
 *
 * Manual: none public. The 88W8618's register layout and behaviour are known only from QEMU's
 * `musicpal` machine (`mv88w8618_pit`, `mv88w8618_pic`; Jan Kiszka, 2008), reverse-engineered
 * from the Freecom firmware, a Linux 2.6 image whose timer driver was never published
 * (reference devices-2.md §21, every hardware fact [low]). QEMU is therefore the primary
 * source here; where this model differs from it the header says "QEMU:" and why.
 *
 * ## Ports
 * - `tclk`: one {@link ClockInput} for the four timers, default 1 MHz (QEMU counts all four
 *   at 1 MHz and calls the common rate a simplification). 0 Hz freezes the counts; a rate
 *   change re-times a running count from its reading with a fresh cycle (the kit's
 *   CounterRate rule).
 * - `timer0` … `timer3`: one {@link IrqLine} per timer, the PIC input's latched and enabled
 *   state (PIC STATUS bit 4 + n); `irq`: their OR, the PIC's output to the CPU as far as the
 *   timers drive it.
 * - `reset`: the system-reset request of BOARD_RESET (P7).
 *
 * ## Timing
 * Exact by default (`timing` option): a tick is exactly 10^9/tclk ns. At the default 1 MHz both
 * timings agree; a tclk that is not a whole number of ns per cycle (3 MHz, 24 MHz) is where
 * `timing: 'qemu'` (QEMU's 64.32 fixed point, floored per countdown) differs.
 *
 * ## Policy
 * {@link MV88W8618_PIT_POLICY}: TIMERn_VALUE reads like a hardware down-counter.
 *
 * ## Not modelled, and what the guest sees instead
 * - The rest of the PIC: its other 28 inputs (a write of 1 to their ENABLE_SET/ENABLE_CLR bits
 *   is an `unimplemented` event; STATUS reads 0 there) and any PIC register other than
 *   STATUS, ENABLE_SET and ENABLE_CLR (unmapped guest errors).
 * - Whatever watchdog sits behind BOARD_RESET: a write of another value is an `unimplemented`
 *   event (P7).
 * - The meaning of each CONTROL nibble's four bits: only "any bit set" is known (P3).
 * - Offsets of the PIT page other than the registers (0x1024-0x1030, 0x1038-): unmapped
 *   guest errors reading 0 (QEMU reads 0 silently).
 *
 * ## Ambiguities, and how they are decided
 * Tests in test/devices/mv88w8618-pit/, titles start with the tag.
 * P1 Counting. A running timer counts down from LENGTH at tclk and, at the step to 0, reloads
 *    LENGTH and interrupts in the same instant: one interrupt every LENGTH ticks. VALUE reads
 *    LENGTH through the first tick after a load and 1 through the last. QEMU: LEGACY, so VALUE
 *    reads one less between ticks (its reference note: LEGACY reads one less than a hardware
 *    down-counter); the period is the same. ('P1 …')
 * P2 LENGTH writes. A non-zero value is stored and loaded into the count at once (a running
 *    timer goes on counting from it); 0 stops the timer where it is. ('P2 …')
 * P3 CONTROL. Nibble n (bits 4n+3:4n) not 0 runs timer n when its LENGTH is not 0, continuing
 *    from its count; a nibble of 0 (or LENGTH 0) stops it, keeping its count. A CONTROL write
 *    that keeps a running timer enabled leaves its count alone (QEMU likewise). Bits 31:16
 *    belong to no timer: a 1 written there is an `unimplemented` event. ('P3 …')
 * P4 Read-back. LENGTH and CONTROL read back what was written. QEMU: they read 0 (it models
 *    no read of them; the firmware makes none). ('P4 …')
 * P5 The interrupt path (the reference's modeller note). The PIT drives each timer's PIC
 *    input with an edge at every expiry; the PIC latches it (its `level` bit) whether or not
 *    the input is enabled. STATUS reads latch & enable; ENABLE_SET enables inputs; ENABLE_CLR
 *    disables them and clears their latches, which is how the guest acknowledges a timer (then
 *    re-enables it with ENABLE_SET). Nothing in the PIT lowers a line. ENABLE_SET and
 *    ENABLE_CLR are write-only strobes: a read is a `write-only` guest error (QEMU reads 0).
 *    ('P5 …')
 * P6 Reads at an expiry instant see VALUE before the reload with the latch clear, or VALUE
 *    reloaded with the latch set: never a mix (G1, the harness spec).
 * P7 BOARD_RESET: writing exactly 0x10000 raises `reset`, which stays high until `reset()`
 *    (what the system does with it is its business); any other value changes nothing and is
 *    reported as `unimplemented`; the register stores nothing and reads are `write-only` guest
 *    errors. ('P7 …')
 * P8 tclk at 0 Hz freezes every count (a running timer resumes when the clock runs again).
 *    ('P8 …')
 * P9 Access sizes: 32-bit only; other sizes are `bad-size` guest errors (QEMU takes any size).
 *    A write to STATUS or a VALUE register is a `read-only` guest error. (guest-error spec)
 *
 * ## Snapshots
 * {@link Mv88w8618PitSnapshot}, checked by one strict schema, each timer's own rules
 * (`timers[n].<field>`) and the invariants that hold by construction, each refused at the
 * field that breaks it: STATUS, VALUE, the PIC strobes and BOARD_RESET store nothing; the PIC
 * latch and enable masks hold only the timer bits (`pic.level`, `pic.enabled`); each timer's
 * limit is its LENGTH, its period one tclk cycle, it runs periodic exactly while its CONTROL
 * nibble is not 0, its LENGTH is not 0 and tclk runs, and, LENGTH not 0, its count never
 * exceeds LENGTH.
 *
 * ## Ordering
 * Expiries are delivered with `delivery` (default `sync`: the reload, the latch and the lines
 * change in the expiry step, G1); `bottom-half` exists only to show the race (a read in the
 * gap sees VALUE reloaded and the latch clear).
 *
 * ## Device kit
 * A KitDevice (the shell on the prototype) on MV88W8618_PIT_REGISTERS, four deviceTimers, one
 * CounterRate each; `dispose()` ends the clock watch and the timers.
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
  snapshotHz,
  snapshotInteger,
  snapshotObject,
  snapshotPart,
  snapshotTuple,
  type DeviceBankHooks,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { MV88W8618_BOARD_RESET_MAGIC, MV88W8618_PIT_REGISTERS } from './MV88W8618_PIT_REGISTERS';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counters' policy flags, one reason each (P1). */
export const MV88W8618_PIT_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // VALUE reads LENGTH through the first tick after a load and 1 through the last, as a hardware down-counter (P1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Mv88w8618PitSnapshot} format version. */
export const MV88W8618_PIT_SNAPSHOT_VERSION = 1;

/** The PIT's (and its PIC bits') whole state as plain, versioned data. */
export interface Mv88w8618PitSnapshot extends DeviceSnapshot {
  readonly version: typeof MV88W8618_PIT_SNAPSHOT_VERSION;
  /** The register bank (STATUS, VALUE, the PIC strobes and BOARD_RESET store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** The four counters, timer 0 first; each one's limit is its LENGTH. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot, PTimerSnapshot, PTimerSnapshot];
  /** The PIC's latch (`level`) and enable masks, timer bits 7:4 only (P5). */
  readonly pic: {
    /** The latched inputs (set by expiries, cleared by ENABLE_CLR). */
    readonly level: number;
    /** The enabled inputs (ENABLE_SET, ENABLE_CLR). */
    readonly enabled: number;
  };
  /** Whether BOARD_RESET has requested a system reset (the `reset` line, P7). */
  readonly resetRequested: boolean;
  /** `tclk` when the snapshot was taken; restore requires the input to be at it. */
  readonly tclkHz: number;
}

/** Options of {@link Mv88w8618Pit}. */
export interface Mv88w8618PitOptions {
  /** The timers' clock; rate changeable at run time, 0 Hz = frozen. Default: a new 1 MHz input (QEMU's rate). */
  readonly tclk?: ClockInput;
  /** Instance name, the `source` of its events (default `'mv88w8618-pit'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Index = 0 | 1 | 2 | 3;
type Four<T> = readonly [T, T, T, T];
const INDICES: readonly Index[] = [0, 1, 2, 3];
/** The timers' (and their lines') name suffixes, by timer. */
const TIMER_SUFFIXES = ['.timer0', '.timer1', '.timer2', '.timer3'] as const;
const TIMERS = 'timer 0, timer 1, timer 2, timer 3';

/** Each timer's registers and fields by role, timer 0 first. */
const roles = <N extends Index>(n: N) => ({ LENGTH: `TIMER${n}_LENGTH`, VALUE: `TIMER${n}_VALUE`, FIELD: `TIMER${n}` }) as const;
const REG = [roles(0), roles(1), roles(2), roles(3)] as const;

/** The PIC bits of the four timer inputs (IRQs 4-7). */
const PIC_BITS = 0xf0;
const picBit = (n: Index): number => 1 << (4 + n);

const nibble = (control: number, n: Index): number => (control >>> (4 * n)) & 0xf;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(MV88W8618_PIT_REGISTERS);

/** Registers that store nothing: STATUS and VALUE (computed reads), the PIC strobes and BOARD_RESET. */
const FIXED = MV88W8618_PIT_REGISTERS.registers.filter((r) => /^(PIC_|TIMER\d_VALUE|BOARD_RESET)/.test(r.name));

type Registers = RegisterShapeOf<typeof MV88W8618_PIT_REGISTERS>;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  CONTROL: registerHandle(MV88W8618_PIT_REGISTERS, 'CONTROL'),
} as const;

/**
 * The 88W8618 PIT and its PIC acknowledge (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (the reload, the PIC latch and the lines change
 * in the timer's expiry step); G2/G3 through the timers' transactions.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const pit = new Mv88w8618Pit(clock);                  // 1 MHz
 * pit.write(0x1000, 4, 10_000);                         // TIMER0_LENGTH: 10 ms
 * pit.write(0x1010, 4, 0x1);                            // CONTROL: timer 0 runs
 * pit.write(0x008, 4, 1 << 4);                          // PIC ENABLE_SET: timer 0's input
 * clock.advanceTo(10_000_000);
 * pit.lines.timer0.level;                               // true, until ENABLE_CLR
 * ```
 */
export class Mv88w8618Pit extends KitDevice<Registers, {
  /** Timer 0's PIC input (IRQ 4), latched and enabled. */
  timer0: IrqLine;
  /** Timer 1's PIC input (IRQ 5), latched and enabled. */
  timer1: IrqLine;
  /** Timer 2's PIC input (IRQ 6), latched and enabled. */
  timer2: IrqLine;
  /** Timer 3's PIC input (IRQ 7), latched and enabled. */
  timer3: IrqLine;
  /** {@link Mv88w8618Pit.irq}: any of the four. */
  irq: IrqLine;
  /** {@link Mv88w8618Pit.resetRequest}: the system-reset request. */
  reset: IrqLine;
}> {
  /**
   * Creates the PIT with its registers at their reset values, the four timers stopped with
   * LENGTH 0 and nothing latched or enabled in the PIC.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock, name, trigger delivery, timing
   * @throws DeviceConfigError for a `tclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Mv88w8618PitOptions = {}) {
    checkDeviceOptions('Mv88w8618Pit', options, { tclk: 'clock?', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'mv88w8618-pit');
    this.tclk = options.tclk ?? new ClockInput(`${this.name}.tclk`, 1_000_000);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    // One wiring for the four timers; each name is one string piece, shared by the timer and its line (#19).
    const names = INDICES.map((n) => this.name + TIMER_SUFFIXES[n]);
    this.timers = this.attachTimers(names, {
      policy: MV88W8618_PIT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: Mv88w8618Pit.expired,
    }) as unknown as Four<PTimer>;
    this.attachBank(MV88W8618_PIT_REGISTERS, Mv88w8618Pit.HOOKS);
    this.timerLines = INDICES.map((n) => new IrqLine(names[n]!)) as unknown as Four<IrqLine>;
    this.irq = new IrqLine(`${this.name}.irq`);
    this.resetRequest = new IrqLine(`${this.name}.reset`);
    this.reset();
    // reset() applied the current rate; each later change re-times the running counts.
    this.followClock(this.tclk, Mv88w8618Pit.clockChanged);
  }

  /** TCLK changed rate: the running counts re-timed (one function for every instance, #19). */
  private static readonly clockChanged = (d: Mv88w8618Pit): void => d.syncAll();

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const hooks: Record<string, unknown> = {
      PIC_STATUS: { read: (d: Mv88w8618Pit) => d.picLevel & d.picEnabled },
      PIC_ENABLE_SET: { write: (d: Mv88w8618Pit, v: number) => d.onEnable(v, true) },
      PIC_ENABLE_CLR: { write: (d: Mv88w8618Pit, v: number) => d.onEnable(v, false) },
      CONTROL: { write: (d: Mv88w8618Pit) => d.syncAll() },
      BOARD_RESET: { write: (d: Mv88w8618Pit, v: number) => d.onBoardReset(v) },
    };
    for (const n of INDICES) {
      hooks[REG[n].LENGTH] = { write: (d: Mv88w8618Pit, v: number) => d.onLength(n, v) };
      hooks[REG[n].VALUE] = { read: (d: Mv88w8618Pit) => d.timers[n].getCountNumber() };
    }
    return deviceHooks<Mv88w8618Pit>().of(MV88W8618_PIT_REGISTERS, hooks as DeviceBankHooks<Registers, Mv88w8618Pit>);
  })();

  /** Reset: registers to their reset values (LENGTH and CONTROL 0), every timer stopped at 0, the PIC latch and enables clear, no reset request. */
  override reset(): void {
    for (const n of INDICES) {
      this.timers[n].transaction((t) => {
        t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
        t.setLimit(0, false);
        t.setCount(0);
      });
    }
    this.bank.reset();
    this.picLevel = 0;
    this.picEnabled = 0;
    this.resetRequested = false;
    this.syncAll();
  }

  snapshot(): Mv88w8618PitSnapshot {
    return {
      ...this.snapshotHead(MV88W8618_PIT_SNAPSHOT_VERSION),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot(), this.timers[2].snapshot(), this.timers[3].snapshot()],
      pic: { level: this.picLevel, enabled: this.picEnabled },
      resetRequested: this.resetRequested,
      tclkHz: this.tclk.hz,
    };
  }

  /**
   * Loads an {@link Mv88w8618PitSnapshot} taken at the clock's current time by a PIT of this
   * name; all or nothing (everything is checked before anything changes). The tclk input is
   * the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), the tclk rate, a timer's own rules (`timers[n].<field>`), or an invariant of the
   *   module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const mask = snapshotInteger(0, PIC_BITS, `must be an integer with only the timer bits 7:4 (0x${PIC_BITS.toString(16)}) set`);
    const s = this.parseSnapshot(snapshot, { device: 'Mv88w8618Pit', version: MV88W8618_PIT_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple([snapshotPart(), snapshotPart(), snapshotPart(), snapshotPart()], TIMERS),
      pic: snapshotObject({ level: mask, enabled: mask }, 'pic'),
      resetRequested: snapshotBoolean(),
      tclkHz: snapshotHz(),
    }));
    expectSame('tclkHz', s.tclkHz, this.tclk.hz, "the tclk input's frequency now");
    for (const [where, value] of [
      ['pic.level', s.pic.level],
      ['pic.enabled', s.pic.enabled],
    ] as const) {
      if ((value & ~PIC_BITS) !== 0) refuseSnapshot(where, value, 'must hold only the timer bits 7:4 (the other PIC inputs are not modelled)');
    }
    const views = INDICES.map((n) => this.checkTimer(this.timers[n], s.timers[n], `timers[${n}]`));
    expectResetValues(s.registers.registers, FIXED);
    for (const n of INDICES) this.checkTimerConsistency(s.registers.registers, n, views[n]!);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timers[0], s.timers[0], 'timers[0]'],
      [this.timers[1], s.timers[1], 'timers[1]'],
      [this.timers[2], s.timers[2], 'timers[2]'],
      [this.timers[3], s.timers[3], 'timers[3]'],
    ]);
    this.picLevel = s.pic.level;
    this.picEnabled = s.pic.enabled;
    this.resetRequested = s.resetRequested;
    for (const n of INDICES) this.rates[n].adopt(this.tclk.hz);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** Each timer's PIC input, latched and enabled (PIC STATUS bit 4 + n), timer 0 first. */
  readonly timerLines: readonly [IrqLine, IrqLine, IrqLine, IrqLine];
  /** The PIC's output as far as the timers drive it: the OR of {@link Mv88w8618Pit.timerLines}. */
  readonly irq: IrqLine;
  /** The system-reset request of BOARD_RESET (P7): high from the magic write until `reset()`. */
  readonly resetRequest: IrqLine;
  /** The registers of {@link MV88W8618_PIT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: Mv88w8618Pit, n: number): void => d.onExpiry(n as Index);

  /** Timer n reached 0 and reloaded (in its callback context when delivery is sync): its edge sets the PIC latch (P1, P5). */
  private onExpiry(n: Index): void {
    this.picLevel |= picBit(n);
    this.updateIrq();
  }

  /** PIC ENABLE_SET / ENABLE_CLR (P5): the strobes store nothing; a clear also drops the latches. */
  private onEnable(value: number, set: boolean): void {
    const bits = value & PIC_BITS;
    if (set) {
      this.picEnabled |= bits;
      this.bank.set('PIC_ENABLE_SET', 0);
    } else {
      this.picEnabled &= ~bits;
      this.picLevel &= ~bits;
      this.bank.set('PIC_ENABLE_CLR', 0);
    }
  }

  /** TIMERn_LENGTH write (P2): a non-zero value loads the count at once; 0 stops the timer where it is. */
  private onLength(n: Index, value: number): void {
    this.timers[n].transaction((t) => {
      if (value === 0) {
        t.stop(); // first: stop latches the running count
        t.setLimit(0, false);
        return;
      }
      t.setLimit(value, true);
    });
    this.sync(n);
  }

  /** BOARD_RESET write (P7): the magic value requests a system reset; anything else is reported. */
  private onBoardReset(value: number): void {
    this.bank.set('BOARD_RESET', 0);
    if (value === MV88W8618_BOARD_RESET_MAGIC) {
      this.resetRequested = true;
      return;
    }
    const feature = `BOARD_RESET value 0x${value.toString(16)} (only 0x10000, the reboot, is known; the watchdog behind the register is not)`;
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset: MV88W8618_PIT_REGISTERS.byName.BOARD_RESET.offset, feature });
  }

  private syncAll(): void {
    for (const n of INDICES) this.sync(n);
    this.updateIrq();
  }

  /**
   * Brings timer n in line with CONTROL, LENGTH and tclk (P3, P8): periodic while its nibble is
   * not 0, its LENGTH is not 0 and tclk runs, else stopped where it is. On a running timer `run`
   * only keeps the mode, so the count goes on.
   */
  private sync(n: Index): void {
    const enabled = nibble(this.bank.getAt(REGISTER.CONTROL), n) !== 0 && this.bank.get(REG[n].LENGTH) !== 0;
    this.timers[n].transaction((t) => {
      const running = this.rates[n].apply(t, this.tclk.hz); // first: a new period latches the running count (pitfall 3)
      if (enabled && running) t.run(false);
      else t.stop();
    });
  }

  /** Timer n's invariants (module header, "Snapshots"), on a snapshot the schema and the timer accepted. */
  private checkTimerConsistency(r: Readonly<Record<string, number>>, n: Index, timer: TimerPartView): void {
    const length = r[REG[n].LENGTH]!;
    const control = nibble(r['CONTROL']!, n);
    expectTimerLimit(timer, length, `(${registerPath(REG[n].LENGTH)}: the timer reloads its LENGTH)`);
    const hz = this.tclk.hz;
    if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one tclk cycle at ${hz} Hz`);
    if (length !== 0) expectTimerCountAtMost(timer, length, `(${registerPath(REG[n].LENGTH)}: the count starts from LENGTH and only counts down)`);
    const runs = control !== 0 && length !== 0 && hz > 0;
    const because = `while ${registerPath('CONTROL', REG[n].FIELD)} is ${control}, ${registerPath(REG[n].LENGTH)} is ${length} and tclk runs at ${hz} Hz (P3, P8)`;
    expectTimerMode(timer, runs ? ['periodic'] : ['stopped'], because);
  }

  /** The output lines by name: `timer0` … `timer3`, `irq` and `reset`. */
  protected createLines() {
    return {
      timer0: this.timerLines[0],
      timer1: this.timerLines[1],
      timer2: this.timerLines[2],
      timer3: this.timerLines[3],
      irq: this.irq,
      reset: this.resetRequest,
    };
  }

  /** `timer0.value` … `timer3.value` (32 bits): what a guest read of TIMERn_VALUE returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // VALUE is the count itself.
    return INDICES.map((n) => timerProbe(this.timers[n], { name: `timer${n}.value`, width: 32 }));
  }

  /** The one place the outputs are computed (STYLE.md 18): each input's latch & enable, their OR, the reset request. */
  protected updateIrq(): void {
    const pending = this.picLevel & this.picEnabled;
    for (const n of INDICES) this.timerLines[n].set((pending & picBit(n)) !== 0);
    this.irq.set(pending !== 0);
    this.resetRequest.set(this.resetRequested);
  }

  /** The timers' clock input. */
  readonly tclk: ClockInput;
  /** The four counters, timer 0 first (exposed for tests and traces; guests see them through TIMERn_VALUE). */
  readonly timers: readonly [PTimer, PTimer, PTimer, PTimer];
  private picLevel = 0;
  private picEnabled = 0;
  private resetRequested = false;
  private readonly rates: Four<CounterRate> = [new CounterRate(), new CounterRate(), new CounterRate(), new CounterRate()];
}
