/**
 * Sun4m SLAVIO counter/timers: the counter/timer part of Sun's "Slave I/O" chip (STP2001, also
 * made as the NCR89C105) in the sun4m machines (SPARCstation 4, 5, 10, 20): one system
 * counter/timer, which interrupts every CPU at level 10, and one processor counter/timer per CPU,
 * which interrupts its CPU at level 14 or runs as a 54-bit user timer.
 *
 * Manuals: the NCR89C105 chip specification ("Counter/Timers"; QEMU's header cites a text copy)
 * and the Sun-4M System Architecture (§5.3, counters and timers). Neither was at hand: their
 * facts are taken as the sun4m sources quote them (Linux `arch/sparc/include/asm/timer_32.h`:
 * "when a counter reaches the value in the corresponding limit register, the Limit bit is set
 * and the counter is set to 500 nS"; NetBSD `sys/arch/sparc/sparc/timerreg.h`: 22-bit limit and
 * counter counting in 500 ns steps, bit 9 the least significant) and as the reference
 * (devices-2.md §20) and a public hardware study of the sun4m chipset quote them; each fact
 * resting on one such quote is marked below. The drivers whose sequences test/devices/slavio-timer/
 * SlavioTimer.drivers.spec.ts replays are Linux's `sun4m_irq.c` + `time_32.c`, NetBSD's
 * `timer_sun4m.c` + `timer.c` and OpenBIOS's `obio.c`. QEMU's `slavio_timer` was a cross-check
 * only (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Ports
 * - `clk`: the counters' count enable, one step per cycle: 2 MHz (500 ns) on every sun4m
 *   machine; the chip derives it from its system clock (X12). One {@link ClockInput}, rate
 *   changeable at run time, 0 Hz = stopped.
 * - Outputs: `system` ({@link SlavioTimer.systemIrq}), the level-10 interrupt, and `cpu0` …
 *   (`processorIrqs`), each CPU's level-14 interrupt: level lines, each the counter's
 *   limit-reached bit (X4; a processor counter in user-timer mode never interrupts, X7).
 *
 * ## Timing
 * Exact by default (`timing` option): a step is exactly 10^9/clk ns. At 2 MHz (500 ns) both
 * timings agree; `timing: 'qemu'` matters only at a `clk` that is not a whole number of ns per
 * cycle (a model of a prescaler error, such as 65 MHz / 32).
 *
 * ## Policy
 * {@link SLAVIO_TIMER_POLICY}, one reason per flag. The ptimer counts the cycles to the counter's
 * next event (a limit match, a wrap, an overflow), never from 0: every event is at least a cycle
 * away, so the zero-count flags never apply, and the reload happens in the step that meets the
 * event (no WRAP_AFTER_ONE_PERIOD). QEMU: LEGACY.
 *
 * ## Not modelled, and what the guest sees instead
 * - The rest of the SLAVIO (interrupt controller, serial and keyboard ports, AUX and system
 *   control registers): they have address ranges of their own, outside this block's. The lines
 *   are outputs; routing them to levels 10 and 14 is the interrupt controller's work.
 * - Doubleword accesses (`ldd`/`std`, which the chip takes): an `unimplemented` event (X10).
 * - Bus errors: where the chip answers an SBus error acknowledge, the model reports a guest error.
 *
 * ## Ambiguities, and how they are decided
 * Pinned by the test whose title starts with the tag (test/devices/slavio-timer/SlavioTimer.spec.ts
 * unless another file is named).
 * X1 Counting. A counter/timer counts up in bits 30:9 (22 bits, one step per `clk` cycle, 500 ns
 *    at 2 MHz). When it reaches its limit, limit reached (bit 31) is set and the count is set to
 *    1 (0x200) in the same step (the manual as Linux quotes it): it reads 1, 2, …, limit − 1, and a
 *    period is limit − 1 cycles. Linux programs `(n + 1) << 9` for n cycles, QEMU's period is the
 *    same. A step is visible just after its instant (at the instant of step k the count still
 *    shows the value before it; the kit's NO_COUNTER_ROUND_DOWN reading), so 2.5 ms after a
 *    limit write the count reads 5000 and 1 ns later 5001. A limit of 1 is met again only after
 *    the count has gone round its 22 bits (2^22 cycles). Not verified on silicon: NetBSD's
 *    `timerreg.h` reports a period of limit cycles on real sun4m machines (its 50 ppm remark).
 *    QEMU: reads 0 at the instant of each match (its LEGACY reading), 1 here.
 * X2 Limit 0 lets the counter run free: it counts through its 22 bits and wraps from 0x3FFFFF
 *    to 0 every 2^22 cycles (2.1 s) without setting limit reached and without an interrupt (the
 *    Sun-4M architecture manual as quoted, and QEMU; Linux writes 0 to disable the level-14
 *    ticker). The NCR89C105 text is quoted as saying a free-running counter interrupts at each
 *    overflow: not followed (unverified either way).
 * X3 Limit write (LIMIT, SYS_LIMIT): sets the limit (bits 30:9; the other bits hold nothing),
 *    restarts the count at 1 and clears limit reached, so the line falls. QEMU: lowers the line
 *    but leaves its reached flag set, so the counter then shows bit 31 with the line low.
 * X4 Limit read: returns the limit (bit 31 reads 0, as QEMU) and clears limit reached, which is
 *    the interrupt: the acknowledge of every driver (Linux `sun4m_clear_clock_irq`,
 *    `sun4m_clear_profile_irq`; NetBSD `clockintr_4m`, `statintr_4m`). Reading the counter never
 *    clears it: Linux's clocksource reads bit 31 to add a period it has not counted yet.
 * X5 Non-resetting limit write (LIMIT_NR, SYS_LIMIT_NR): sets the limit and leaves the count
 *    and limit reached (NetBSD's statclock reprograms with it so the steps since its interrupt
 *    are not lost). A count already at or past the new limit counts on through the 22-bit wrap
 *    and meets the limit after it (the counter is compared, not reloaded). The step in progress
 *    restarts at the write (at most one step, 500 ns, is lost): the hardware's counter loses
 *    nothing, but the down-counting ptimer is re-timed from the count it shows; the same holds
 *    for the user timer's word writes (X7). Write-only: a read is a `write-only` guest error
 *    (Linux: "appears write only"). QEMU: reads 0; keeps its countdown to the old limit, so a
 *    count past the new limit reads as a negative distance.
 * X6 TIMER_CONFIG: bit n puts processor counter n in user-timer mode; only the bits of the CPUs
 *    present exist (the others read 0: OpenBIOS counts the CPUs from the read-back of all ones,
 *    as QEMU allows). A change of a bit restarts that counter in the new mode with limit reached
 *    clear: a user timer at 0, counting as RUN says; a counter/timer with its kept limit and the
 *    count at 1. Writing the mode a counter is in changes nothing. QEMU: back in counter/timer
 *    mode the counter keeps the user timer's limit.
 * X7 User timer: a 54-bit up-counter of `clk` cycles. Its most significant word is at LIMIT
 *    (bit 31 limit reached, bits 30:0 = count bits 53:23), its least significant at COUNTER
 *    (bits 31:9 = count bits 22:0, bits 8:0 read 0). A write to a word sets its part of the count
 *    (the other part keeps its value at that instant and counting goes on) and clears limit
 *    reached; reads have no side effect (the Sun-4M manual as quoted: only writes clear the user
 *    timer's bit). The 54-bit overflow (2^54 cycles) sets limit reached and never interrupts. A LIMIT_NR
 *    write keeps the limit for counter/timer mode and leaves the user timer alone.
 * X8 START_STOP.RUN: in user-timer mode 1 counts and 0 holds the count; in counter/timer mode it
 *    is stored and does nothing (QEMU since its 2014 fix). Reset value 1, as QEMU (the manual's
 *    not verified).
 * X9 Reset: every limit 0 (free-run), every count 0, limit reached clear, lines low,
 *    TIMER_CONFIG 0, RUN 1, the counters counting at once (the NCR89C105 as quoted: all count
 *    and limit bits 0 after reset; QEMU the same).
 * X10 Accesses: 32-bit only. Byte and halfword accesses are `bad-size` guest errors (the chip
 *    error-acknowledges them). A doubleword access at a register (the chip takes them; QEMU
 *    since 2020) is an `unimplemented` event that reads 0 and changes nothing: its 64-bit value
 *    does not fit the bus's numbers; a guest reads the two words one by one, and a carry between
 *    them is the guest's. Offsets with no register (the system block's 0x0C and 0x14 onwards, the
 *    rest of each page, the pages of absent CPUs) are `unmapped`; a write to SYS_COUNTER, or to a
 *    CPUn_COUNTER in counter/timer mode, is `read-only`; a read of a LIMIT_NR is `write-only`.
 *    Bits that hold nothing read 0 and ignore writes, without an event.
 *    (SlavioTimer.guestErrors.spec.ts)
 * X11 Layout: `'chip'` puts the system block 0x1_0000 above the first processor block, as on the
 *    chip; `'compact'` puts it at 0x4000 so the whole block fits a 64 KiB window (the catalogue's
 *    layout; it is also where old Linux's and OpenBIOS's `struct sun4m_timer_regs`, four
 *    processor pages then the system registers, puts them). Nothing else differs. QEMU maps the
 *    blocks as separate regions at the chip's offsets.
 * X12 Clock: a `clk` rate change re-times every counter from its reading with a fresh cycle (the
 *    partial cycle is lost); 0 Hz holds every count. QEMU: a fixed 500 ns.
 * X13 G1: a read at the instant of a match shows the count before it (limit − 1, limit reached
 *    clear) when ordered before the expiry step, and 1 with limit reached set after it: never a
 *    mix. (SlavioTimer.harness.spec.ts)
 *
 * ## Departures from QEMU
 * The reading at a match (X1), the reached flag after a limit write (X3), a count past a
 * non-resetting limit (X5), the return to counter/timer mode (X6), doubleword accesses and the
 * guest errors (X10), the layout option (X11), the clock input (X12). From the hardware, forced by
 * the down-counting ptimer: the step lost at a non-resetting limit write or a user-timer word
 * write (X5).
 *
 * ## Snapshots
 * {@link SlavioTimerSnapshot}, checked by one strict schema, by each counter's own rules
 * (`timers[k].<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it:
 * - `clkHz` is the input's rate now; while it runs every counter steps once per cycle;
 * - the LIMIT, COUNTER and LIMIT_NR registers store nothing (reads are computed; the limits and
 *   limit-reached bits are `limits` and `reached`);
 * - a counter reloads the cycles from 1 to its limit (a 22-bit wrap for limit 0), or the
 *   54-bit wrap in user-timer mode; its count is 1 to its width; it runs periodic while `clk`
 *   runs (in user-timer mode: and RUN is 1) and is stopped otherwise;
 * - limit reached may be set in any mode (a non-resetting write of 0 keeps it): no rule.
 *
 * ## Device kit
 * A KitDevice (RegisterBank on the instance's map, {@link slavioTimerRegisters}, EventOutlet),
 * one deviceTimer per counter (`<name>.system`, `<name>.cpu0`, …) with a CounterRate each;
 * what the map implies (register names per CPU, limit offsets, fixed registers) is worked out
 * once per map and shared; `dispose()` ends the clock watch and the timers.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: the count's restart,
 * limit reached and the line change in the expiry step itself, G1); 'bottom-half' exists only to
 * show the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  type DeviceHooks,
  checkDeviceOptions,
  expectResetValues,
  expectSame,
  expectTimerPeriod,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotHz,
  snapshotInteger,
  snapshotPart,
  snapshotTuple,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type GuestErrorReason,
  type RegisterBankSnapshot,
  type RegisterInfo,
  type RegisterMap,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { checkSlavioCounter, LIMIT_MAX, SlavioCounter, TIMER_WRAP, USER_WRAP } from './SlavioCounter';
import {
  SLAVIO_MAX_CPUS,
  SLAVIO_TIMER_LAYOUTS,
  slavioTimerRegisters,
  type SLAVIO_TIMER_REGISTERS,
  type SlavioTimerLayout,
  type SlavioTimerRegisters,
} from './SLAVIO_TIMER_REGISTERS';

/** The counters' policy flag, with its reason (X1). */
export const SLAVIO_TIMER_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the count steps once per whole cycle: it reads 1 for the whole first cycle after a limit write or a match (X1)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link SlavioTimerSnapshot} format version. */
export const SLAVIO_TIMER_SNAPSHOT_VERSION = 1;

/** The SLAVIO counter/timers' whole state as plain, versioned data. Arrays list the system counter first, then processor counters 0, 1, …. */
export interface SlavioTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof SLAVIO_TIMER_SNAPSHOT_VERSION;
  /** The register bank (START_STOP and TIMER_CONFIG; the limit and counter registers store nothing). */
  readonly registers: RegisterBankSnapshot;
  /** Each counter's ptimer: the cycles to its next event. */
  readonly timers: readonly PTimerSnapshot[];
  /** Each counter's limit in 500 ns units (0: free-run), kept through user-timer mode. */
  readonly limits: readonly number[];
  /** Each counter's limit-reached bit. */
  readonly reached: readonly boolean[];
  /** `clk` when the snapshot was taken; restore requires the input to be at it. */
  readonly clkHz: number;
}

/** Options of {@link SlavioTimer}. */
export interface SlavioTimerOptions {
  /** Processor counter/timers, one per CPU: 1 (SPARCstation 4/5, the default) to 4 (SPARCstation 10/20 with four modules). */
  readonly cpus?: number;
  /** Where the system block sits: `'chip'` (default, 0x1_0000) or `'compact'` (0x4000), see X11. */
  readonly layout?: SlavioTimerLayout;
  /** The 2 MHz count enable; rate changeable at run time, 0 Hz = stopped. Default: a 2 MHz input of its own (X12). */
  readonly clk?: ClockInput;
  /** Instance name, the `source` of its events (default `'slavio-timer'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type SlavioMap = typeof SLAVIO_TIMER_REGISTERS;
type Name = keyof SlavioTimerRegisters & string;

/** The counters' clock on every sun4m machine: 2 MHz, 500 ns per step (X12). */
const DEFAULT_CLK_HZ = 2_000_000;
/** Bit 31 of a counter (and of the user timer's most significant word): limit reached. */
const LIMIT_REACHED = 0x8000_0000;
/** The count's and the limit's lowest bit: 500 ns (X1). */
const SHIFT = 9;
/** The user timer's bits in its least significant word (count bits 22:0, X7). */
const LOW_BITS = 23n;
const LOW_MASK = (1n << LOW_BITS) - 1n;
/** Count bits 53:23 of the user timer in its most significant word. */
const HIGH_MASK = 0x7fff_ffff;

/** The counters' names, the system counter first: `system`, `cpu0`, … */
const counterNames = (cpus: number): readonly string[] => ['system', ...Array.from({ length: cpus }, (_, n) => `cpu${n}`)];
/** `.<counter name>` by counter (the system counter, then CPU 0 to 3), shared by every instance. */
const COUNTER_SUFFIXES = counterNames(SLAVIO_MAX_CPUS).map((name) => `.${name}`);

const limitField = (word: number): number => Math.floor(word / 2 ** SHIFT) % (LIMIT_MAX + 1);
const hex = (n: number): string => `0x${n.toString(16)}`;

/** What an instance's map implies, the same for every instance of one CPU count and layout (#19). */
interface MapFacts {
  /** Each present CPU's register names by role. */
  readonly cpu: readonly SlavioMap['channels']['CPU'][number][];
  /** Counter index (0 the system) by the offset of its limit register. */
  readonly limitAt: ReadonlyMap<number, number>;
  /** The registers that store nothing. */
  readonly fixed: SlavioMap['registers'];
  /** The map's registers as {@link RegisterInfo}. */
  readonly info: readonly RegisterInfo[];
}

/** Each map's shared register hooks (see `SlavioTimer.hooksOf`). */
const HOOKS = new WeakMap<SlavioMap, DeviceHooks<SlavioTimerRegisters, SlavioTimer>>();
const mapFacts = new WeakMap<RegisterMap, MapFacts>();
const factsOf = (map: SlavioMap, cpus: number): MapFacts => {
  let facts = mapFacts.get(map);
  if (facts === undefined) {
    const cpu = map.channels.CPU.slice(0, cpus);
    const limitAt = new Map<number, number>();
    for (let k = 0; k <= cpus; k++) limitAt.set(map.byName[k === 0 ? 'SYS_LIMIT' : cpu[k - 1]!.LIMIT].offset, k);
    const fixed = map.registers.filter((r) => /(LIMIT|COUNTER|LIMIT_NR)$/.test(r.name));
    mapFacts.set(map, (facts = { cpu, limitAt, fixed, info: registerInfoOf(map) }));
  }
  return facts;
};

/**
 * The SLAVIO counter/timers (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a match, the count's restart at 1, limit
 * reached and the line change in one step at that instant; `bottom-half` exists only to show the
 * race. G2/G3 — each register write changes its counter in one transaction, and no write makes
 * a counter meet an event at once (every event is at least a cycle away).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timer = new SlavioTimer(clock);                  // one CPU, 2 MHz: 500 ns steps
 * timer.write(0x1_0010, 4, 0);                           // TIMER_CONFIG: CPU 0 in counter/timer mode
 * timer.write(0x1_0000, 4, (20_000 + 1) << 9);           // SYS_LIMIT: 20000 steps, 10 ms (Linux, HZ = 100)
 * clock.advanceTo(10_000_000);                           // the level-10 line rises
 * timer.read(0x1_0000, 4);                               // SYS_LIMIT read: acknowledged, the line falls
 * ```
 */
export class SlavioTimer extends KitDevice<SlavioTimerRegisters, Readonly<Record<string, IrqLine>>> {
  /**
   * Creates the counters with their registers at their reset values, every counter running free
   * from 0 (X9).
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - CPUs, layout, clock, name, trigger delivery, timing
   * @throws DeviceConfigError for a `cpus` that is not an integer from 1 to 4, an unknown `layout`, a `clk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: SlavioTimerOptions = {}) {
    checkDeviceOptions('SlavioTimer', options, {
      cpus: { integer: [1, SLAVIO_MAX_CPUS], optional: true },
      layout: { oneOf: SLAVIO_TIMER_LAYOUTS, optional: true },
      clk: 'clock?',
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? 'slavio-timer');
    this.cpus = options.cpus ?? 1;
    this.layout = options.layout ?? 'chip';
    this.clk = options.clk ?? new ClockInput(`${this.name}.clk`, DEFAULT_CLK_HZ);
    this.map = slavioTimerRegisters(this.cpus, this.layout);
    this.facts = factsOf(this.map, this.cpus);
    // Counter k's name (`<name>.system`, `<name>.cpu<n>`), one string piece shared by its timer and its line (#19).
    const names = Array.from({ length: this.cpus + 1 }, (_, k) => this.name + COUNTER_SUFFIXES[k]!);
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3); one wiring for every timer.
    this.timers = this.attachTimers(names, {
      policy: SLAVIO_TIMER_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: SlavioTimer.expired,
    });
    this.counters = this.timers.map(
      (timer, k) =>
        new SlavioCounter({ timer, clock: this.clk, modes: this, cpu: k - 1 }),
    );
    this.attachBank(this.map, SlavioTimer.hooksOf(this.map));
    this.registers = this.facts.info;
    this.systemIrq = new IrqLine(names[0]!);
    this.processorIrqs = this.cpu.map((_, n) => new IrqLine(names[n + 1]!));
    this.reset();
    // reset() applied the current rate; each later change re-times the counters at its instant (X12).
    this.followClock(this.clk, SlavioTimer.clockChanged);
  }

  /** The clock changed rate: every counter re-timed (one function for every instance, #19). */
  private static readonly clockChanged = (d: SlavioTimer): void => {
    for (const counter of d.counters) counter.sync();
    d.updateIrq();
  };

  /** The register hooks of a map (one per CPU count and layout), built once and shared by every instance (#19). */
  private static hooksOf(map: SlavioMap): DeviceHooks<SlavioTimerRegisters, SlavioTimer> {
    let table = HOOKS.get(map);
    if (table === undefined) {
      const build = deviceHooks<SlavioTimer>();
      table = build.of(map, {
        ...build.channels(map, 'CPU', (n, reg) => ({
          LIMIT: { read: (d) => d.readLimitWord(n), write: (d, v) => d.writeLimitWord(n, v) },
          COUNTER: { read: (d) => d.readCounterWord(n), write: (d, v) => d.writeCounterWord(n, v) },
          LIMIT_NR: { write: (d, v) => d.stored(reg.LIMIT_NR, () => d.counters[n + 1]!.writeLimitNoReset(limitField(v))) },
          START_STOP: { write: (d) => d.counters[n + 1]!.sync() },
        })),
        SYS_LIMIT: { read: (d) => d.counters[0]!.limit * 2 ** SHIFT, write: (d, v) => d.stored('SYS_LIMIT', () => d.counters[0]!.writeLimit(limitField(v))) },
        SYS_COUNTER: { read: (d) => d.counterWord(d.counters[0]!) },
        SYS_LIMIT_NR: { write: (d, v) => d.stored('SYS_LIMIT_NR', () => d.counters[0]!.writeLimitNoReset(limitField(v))) },
        TIMER_CONFIG: { write: (d, v, old) => d.onConfig(v, old) },
      });
      HOOKS.set(map, table);
    }
    return table;
  }

  /**
   * A guest load: a doubleword at a register is an `unimplemented` event reading 0 (X10); a
   * whole-word read of a limit register in counter/timer mode acknowledges (X4).
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @returns the value read
   */
  override read(offset: number, size: AccessSize): number {
    if (size === 8 && this.doubleword(offset)) return 0;
    const value = super.read(offset, size);
    // A whole-word read of a limit register in counter/timer mode acknowledges (X4).
    const k = size === 4 ? this.facts.limitAt.get(offset) : undefined;
    if (k !== undefined && !(k > 0 && this.isUser(k - 1))) {
      this.counters[k]!.acknowledge();
      this.updateIrq();
    }
    return value;
  }

  /**
   * A guest store: a doubleword at a register is an `unimplemented` event that changes nothing (X10); else as on any kit device.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  override write(offset: number, size: AccessSize, value: number): void {
    if (size === 8 && Number.isSafeInteger(value) && value >= 0 && this.doubleword(offset)) return;
    super.write(offset, size, value);
  }

  /** Reset (X9): registers to their reset values, every limit 0 and count 0, limit reached clear, counting. */
  override reset(): void {
    this.bank.reset();
    for (const counter of this.counters) counter.reset();
    this.updateIrq();
  }

  snapshot(): SlavioTimerSnapshot {
    return {
      ...this.snapshotHead(SLAVIO_TIMER_SNAPSHOT_VERSION),
      timers: this.timers.map((t) => t.snapshot()),
      limits: this.counters.map((c) => c.limit),
      reached: this.counters.map((c) => c.reached),
      clkHz: this.clk.hz,
    };
  }

  /**
   * Loads a {@link SlavioTimerSnapshot} taken at the clock's current time by a device of this
   * name, CPU count and layout; all or nothing (everything is checked before anything changes).
   * The `clk` input is the system's: set it to the snapshot's rate first.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a `clk` rate that differs from the input's, a counter's own rules
   *   (`timers[k].<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const count = this.counters.length;
    const what = `the system counter, then processor counters 0 to ${count - 2}`;
    const tuple = <T>(item: () => T): [T, ...T[]] => Array.from({ length: count }, item) as [T, ...T[]];
    const s = this.parseSnapshot(snapshot, { device: 'SlavioTimer', version: SLAVIO_TIMER_SNAPSHOT_VERSION }, () => ({
      timers: snapshotTuple(tuple(snapshotPart), what),
      limits: snapshotTuple(tuple(() => snapshotInteger(0, LIMIT_MAX)), what),
      reached: snapshotTuple(tuple(snapshotBoolean), what),
      clkHz: snapshotHz(),
    }));
    expectSame('clkHz', s.clkHz, this.clk.hz, "the clk input's rate now in Hz");
    const views = this.timers.map((timer, k) => this.checkTimer(timer, s.timers[k], `timers[${k}]`));
    this.checkConsistency(s.registers.registers, views, s.limits as readonly number[]);
    restoreParts([[this.bank, s.registers, 'registers'], ...this.timers.map((timer, k) => [timer, s.timers[k], `timers[${k}]`] as const)]);
    this.counters.forEach((counter, k) => {
      counter.limit = (s.limits as readonly number[])[k]!;
      counter.reached = (s.reached as readonly boolean[])[k]!;
    });
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The system counter's interrupt (level 10): its limit-reached bit (X4). */
  readonly systemIrq: IrqLine;
  /** Each processor counter's interrupt (level 14 of its CPU): its limit-reached bit in counter/timer mode (X4, X7). */
  readonly processorIrqs: readonly IrqLine[];
  /** The registers of the instance's map, in map order. */
  readonly registers: readonly RegisterInfo[];

  // ---- private ------------------------------------------------------------------

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: SlavioTimer, k: number): void => d.onExpiry(k);

  /** Counter `k` met its event (in its callback context when delivery is sync): X1, X2, X7. */
  private onExpiry(k: number): void {
    this.counters[k]!.onExpiry();
    this.updateIrq();
  }

  /** Whether processor counter `n` is in user-timer mode (TIMER_CONFIG bit n, X6). */
  /** Whether processor counter `n` is in user-timer mode (TIMER_CONFIG); its counters ask. @internal */
  isUser(n: number): boolean {
    return ((this.bank.get('TIMER_CONFIG') >>> n) & 1) === 1;
  }

  /** Whether processor counter `n`'s START_STOP.RUN is set; its counters ask. @internal */
  isRunning(n: number): boolean {
    return this.bank.field(this.cpu[n]!.START_STOP, 'RUN') === 1;
  }

  /** A counter/timer's counter word: limit reached in bit 31, the count in bits 30:9 (X1). */
  private counterWord(counter: SlavioCounter): number {
    return (Number(counter.value()) * 2 ** SHIFT + (counter.reached ? LIMIT_REACHED : 0)) >>> 0;
  }

  /** CPUn_LIMIT read: the limit, or the user timer's most significant word (X4, X7). */
  private readLimitWord(n: number): number {
    const counter = this.counters[n + 1]!;
    if (!this.isUser(n)) return counter.limit * 2 ** SHIFT;
    return (Number(counter.value() >> LOW_BITS) + (counter.reached ? LIMIT_REACHED : 0)) >>> 0;
  }

  /** CPUn_COUNTER read: the counter word, or the user timer's least significant word (X1, X7). */
  private readCounterWord(n: number): number {
    const counter = this.counters[n + 1]!;
    if (!this.isUser(n)) return this.counterWord(counter);
    return Number(counter.value() & LOW_MASK) * 2 ** SHIFT;
  }

  /** CPUn_LIMIT write: a limit that restarts the count (X3), or count bits 53:23 of the user timer (X7). */
  private writeLimitWord(n: number, value: number): void {
    const counter = this.counters[n + 1]!;
    this.stored(this.cpu[n]!.LIMIT, () => {
      if (!this.isUser(n)) counter.writeLimit(limitField(value));
      else counter.setUserValue((BigInt(value & HIGH_MASK) << LOW_BITS) | (counter.value() & LOW_MASK));
    });
  }

  /** CPUn_COUNTER write: read-only in counter/timer mode (X10); count bits 22:0 of the user timer (X7). */
  private writeCounterWord(n: number, value: number): void {
    const counter = this.counters[n + 1]!;
    const register = this.cpu[n]!.COUNTER;
    this.stored(register, () => {
      if (this.isUser(n)) counter.setUserValue((counter.value() & ~LOW_MASK) | BigInt(Math.floor(value / 2 ** SHIFT)));
      else this.refuse(this.map.byName[register].offset, 4, 'read-only', `${register} is read-only in counter/timer mode (TIMER_CONFIG.T${n} 0)`);
    });
  }

  /** A write to a register that stores nothing: the bank took the value; it goes back to 0 and `then` does the work. */
  private stored(register: Name, then: () => void): void {
    this.bank.set(register, 0);
    then();
  }

  /** TIMER_CONFIG write (X6): each present CPU whose bit changed restarts in its new mode. */
  private onConfig(value: number, old: number): void {
    for (let n = 0; n < this.cpus; n++) {
      if ((((value ^ old) >>> n) & 1) === 1) this.counters[n + 1]!.modeChanged();
    }
  }

  /** A doubleword access (X10): an `unimplemented` event when it starts at a register; `false` leaves it to the bank's guest errors. */
  private doubleword(offset: number): boolean {
    if (!Number.isSafeInteger(offset) || offset % 8 !== 0) return false;
    const register = this.map.registers.find((r) => r.offset === offset);
    if (register === undefined) return false;
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: `doubleword access (ldd/std) at ${register.name}` });
    return true;
  }

  /** A guest error found by the device (the bank finds the others). */
  private refuse(offset: number, size: AccessSize, reason: GuestErrorReason, detail: string): void {
    this.outlet.record({ kind: 'guest-error', time: this.scheduler.now(), source: this.name, offset, size, reason, detail: `${detail} (at ${hex(offset)})` });
  }

  /** The invariants of the module header ("Snapshots"), on a snapshot the schema and the timers accepted. */
  private checkConsistency(r: Readonly<Record<string, number>>, views: readonly TimerPartView[], limits: readonly number[]): void {
    expectResetValues(r, this.facts.fixed);
    const hz = this.clk.hz;
    if (hz > 0) for (const view of views) expectTimerPeriod(view, hz, 1, `of one clk cycle at clkHz ${hz}`);
    views.forEach((view, k) => {
      const n = k - 1;
      const user = k > 0 && ((r['TIMER_CONFIG']! >>> n) & 1) === 1;
      const run = k > 0 && (r[this.cpu[n]!.START_STOP]! & 1) === 1;
      checkSlavioCounter(view, {
        limit: limits[k]!,
        user,
        run,
        hz,
        paths: {
          limit: `limits[${k}]`,
          mode: k > 0 ? registerPath('TIMER_CONFIG', `T${n}`) : registerPath('TIMER_CONFIG'),
          run: k > 0 ? registerPath(this.cpu[n]!.START_STOP, 'RUN') : 'RUN',
        },
      });
    });
  }

  /** The output lines by name: `system`, `cpu0`, … */
  protected createLines(): Readonly<Record<string, IrqLine>> {
    return Object.fromEntries([['system', this.systemIrq], ...this.processorIrqs.map((line, n) => [`cpu${n}`, line] as const)]);
  }

  /** `system.count` (22 bits) and `cpuN.count` (54 bits: the user timer in user-timer mode): the counts now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    const names = counterNames(this.cpus);
    // The counts without a guest read (a limit read would acknowledge). As SlavioCounter.value(): the
    // counter counts up to the value of its next event (the limit, or the user timer's wrap at 0),
    // which is that value less the ptimer's count, modulo the width it counts in now.
    return this.counters.map((counter, k) =>
      timerProbe(this.timers[k]!, {
        name: `${names[k]}.count`,
        width: k === 0 ? 22 : 54,
        state: () => [k > 0 && this.isUser(k - 1), counter.limit] as const,
        value: (count, [user, limit]) => {
          const wrap = user ? USER_WRAP : TIMER_WRAP;
          return (((user ? 0n : BigInt(limit)) - count) % wrap + wrap) % wrap;
        },
      }),
    );
  }

  /** The one place the outputs are computed (STYLE.md 18): each line is its counter's limit-reached bit, a user timer's never (X4, X7). */
  protected updateIrq(): void {
    this.systemIrq.set(this.counters[0]!.reached);
    this.processorIrqs.forEach((line, n) => line.set(this.counters[n + 1]!.reached && !this.isUser(n)));
  }

  /** Processor counter/timers (CPUs). */
  readonly cpus: number;
  /** Where the system block sits (X11). */
  readonly layout: SlavioTimerLayout;
  /** The counters' count enable. */
  readonly clk: ClockInput;
  /** The counters' ptimers: the system counter, then processor counters 0, 1, … (exposed for tests and traces). */
  readonly timers: readonly PTimer[];
  private readonly map: SlavioMap;
  /** What the map implies, shared by every instance of this CPU count and layout. */
  private readonly facts: MapFacts;
  private readonly counters: readonly SlavioCounter[];

  /** Each present CPU's register names by role. */
  private get cpu(): MapFacts['cpu'] {
    return this.facts.cpu;
  }
}
