/**
 * Allwinner watchdog, both register layouts (`variant` option): a countdown of 0.5 s to 16 s,
 * picked from a table, that the guest restarts ("kicks") with a keyed write; at the timeout it
 * sets its interrupt-pending bit and, when so configured, requests a system reset.
 *
 * Manuals: Allwinner A10 User Manual ("Timer Controller": WDOG_CTRL_REG, WDOG_MODE_REG, and the
 * watchdog's bit 8 of TMR_IRQ_EN_REG/TMR_IRQ_STA_REG; A20 and R40 have the same block) for
 * `'sun4i'`; A31 and H3 User Manuals ("Watchdog": WDOGn_IRQ_EN_REG, _IRQ_STA_REG, _CTRL_REG,
 * _CFG_REG, _MODE_REG; H5 and A64 have the same block) for `'sun6i'`. Allwinner gives its
 * manuals no document number. The manuals themselves were not at hand: the register facts
 * were cross-read from Allwinner's own A10 SDK register header, NuttX's A1x timer header,
 * U-Boot's and Linux's sunxi watchdog drivers and the Linux device-tree binding; the reference
 * (devices-2.md §7) marks them [med]. QEMU's `allwinner-wdt` was a cross-check only
 * (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * ## Placement (W1)
 * - `'sun4i'`: on the A10 the watchdog is part of the timer block (0x01C2_0C00): its control
 *   and mode registers are at 0x90/0x94 of the block, and its interrupt enable and pending
 *   bits are bit 8 of the block's TMR_IRQ_EN_REG/TMR_IRQ_STA_REG (0x00/0x04), registers it
 *   shares with the six timers. Linux's device tree and QEMU make it a separate device at
 *   0x01C2_0C90 (16 bytes) because Linux never uses its interrupt; a device there could not
 *   hold bit 8, and a guest could neither see nor clear the watchdog's interrupt. So this
 *   variant is mapped at the timer block's base and decodes the block: the watchdog's
 *   registers at their real offsets ({@link ALLWINNER_WDT_REGISTERS}.sun4i); every other
 *   register of the block (timers, AVS counters, 64-bit counter, 0x100–0x13F) is not
 *   modelled: an access to it is an `unimplemented` event (reads 0, writes change nothing);
 *   the timers' bits of TMR_IRQ_EN/STA read 0 and a 1 written to them is an `unimplemented`
 *   event. The block's timers are `AllwinnerA10Pit`'s (which stores the watchdog's
 *   registers without acting on them): a bus maps one device per range, so one simulated A10
 *   timer block is either model, not both. QEMU: a separate device at 0x90, mapped over the
 *   PIT, with no interrupt.
 * - `'sun6i'`: a self-contained 0x20-byte block with its own enable and status registers and
 *   its own interrupt (at 0xA0 of the timer block: 0x01C2_0CA0 on the A31, H3 and A64): a
 *   separate device at its own base, as in Linux's device tree and QEMU.
 *
 * ## Ports
 * - `hosc`: the high-frequency oscillator (OSC24M, 24 MHz by default), a {@link ClockInput}
 *   whose rate may change at run time; the watchdog divides it by 750 internally (W2).
 * - `irq` ({@link AllwinnerWdt.irq}, line `irq`): WDOG_IRQ_PEND && WDOG_IRQ_EN (A10 IRQ 24;
 *   A31 and A64 GIC SPI 25, as their device trees give them).
 * - `reset` ({@link AllwinnerWdt.resetRequest}, line `reset`): the system-reset request (W7).
 *   What the system does with it (reset itself, or route it elsewhere) is the system's business.
 *
 * ## Timing
 * The countdown counts ticks of HOSC ÷ 750 (32 kHz at 24 MHz, 31 250 ns a tick): interval n
 * is {@link ALLWINNER_WDT_INTERVALS}[n] half-seconds of 16 000 ticks, 0.5 s to 16 s at 24 MHz.
 * Exact by default (`timing` option): a tick is exactly 750·10^9/HOSC ns, so a timeout comes
 * exactly its interval after the restart. `timing: 'qemu'` reproduces QEMU's arithmetic on
 * that tick (the HOSC cycle at 2^-32 ns, times 750, the countdown floored to whole ns): at
 * 24 MHz the tick is 31 249.9999999 ns and a 0.5 s timeout comes 1 ns early
 * (AllwinnerWdt.spec 'Timing …'). QEMU itself counts a 2 Hz timer (its sub-0.5 s phase is
 * lost at a clock change); this model counts the 32 kHz ticks.
 *
 * ## Policy
 * {@link ALLWINNER_WDT_POLICY}: D+T, one reason per flag there; the counter always runs
 * one-shot (W6), so the periodic flags have nothing to act on. QEMU: T+R+D on its 2 Hz timer.
 *
 * ## Not modelled, and what the guest sees instead
 * - The sun4i timer block's other registers (W1): `unimplemented` events.
 * - The watchdog clock's source: some later parts (D1) can count LOSC instead of HOSC/750;
 *   these variants have no such selector (the `hosc` input is the only clock).
 * - The reset pulse and what it resets: the `reset` line is a level (W7).
 * - WDOG_MODE_REG bit 31 (one transcription of the A10 manual lists a test-mode bit there;
 *   unverified): reserved here.
 *
 * ## Ambiguities, and how they were decided (tests in test/devices/allwinner-wdt/, titles start with the tag)
 * W1 Placement: see above. ('W1 …', guest-error spec)
 * W2 The clock. The manuals give the intervals in seconds; Allwinner's A10 header says the
 *    watchdog counts HOSC, and Linux's binding calls its clock "high-frequency oscillator
 *    input, divided internally". The divider is not given; 750 is the one Allwinner parts use
 *    for their 32 kHz clock from the 24 MHz HOSC (the A10 clock unit's "HOSC/750 = 32K"
 *    source; the D1's watchdog takes HOSC/750 or LOSC) [not verified for this watchdog].
 *    Decided: ticks of HOSC ÷ 750, 16 000 ticks per half-second, so the table's seconds hold
 *    at 24 MHz and scale with another HOSC rate. ('W2 …')
 * W3 Restart. A WDOG_CTRL_REG write with the key and WDOG_RSTART = 1, or WDOG_EN going
 *    0 -> 1, reloads the countdown with the interval WDOG_INTV_VALUE selects at that moment. A
 *    WDOG_MODE_REG write that keeps WDOG_EN at 1 (Linux's set_timeout changes the interval
 *    that way, then kicks) changes nothing until the next restart; WDOG_EN 1 -> 0 stops the
 *    countdown. The counter runs only while WDOG_EN is 1: a kick while it is 0 does nothing
 *    (enabling restarts anyway). QEMU: a kick restarts the count whatever WDOG_EN is (harmless
 *    there, as its timeout then does nothing). ('W3 …')
 * W4 The key. A WDOG_CTRL_REG write whose key field is not 0xA57 changes nothing, in both
 *    variants (Allwinner's header: the key must be written to modify the register), and is a
 *    `locked` guest error, whatever WDOG_RSTART says. QEMU: sun4i ignores the key (any write
 *    with RSTART restarts), sun6i ignores a keyless write silently. ('W4 …')
 * W5 The timeout. It sets WDOG_IRQ_PEND whatever the configuration (the status records that
 *    the interval was reached); the interrupt output is WDOG_IRQ_PEND && WDOG_IRQ_EN. It also
 *    requests a system reset when sun4i WDOG_RST_EN is 1, or sun6i WDOG_CONFIG is 01 ("to
 *    whole system"); WDOG_CONFIG 10 ("only interrupt") and the reserved 00 (its reset value)
 *    and 11 request none. Both are read at the timeout. QEMU: no interrupt and no status (the
 *    pending bit never sets); only the reset, with sun6i reading CFG bit 0 alone. ('W5 …')
 * W6 One timeout per restart: at the timeout the counter stops at 0 until the guest restarts
 *    it (kick, or WDOG_EN 0 -> 1), so an unattended watchdog in interrupt-only mode interrupts
 *    once, not every interval (as QEMU's one-shot count). ('W6 …')
 * W7 The reset output is a level: it rises at a timeout that requests a reset and stays high
 *    until `reset()` (in hardware the reset ends the request by resetting the watchdog with
 *    the rest of the system); nothing the guest writes lowers it. ('W7 …')
 * W8 A reserved interval (WDOG_INTV_VALUE 12-15). Stored and read back; each WDOG_MODE_REG
 *    write carrying one is an `unimplemented` event (`WDOG_MODE_REG.WDOG_INTV_VALUE=n`), and a
 *    restart with it holds the counter at 0 (no timeout) until a restart with a valid
 *    interval, as the CMSDK watchdog treats its invalid WDOGLOAD = 0. QEMU: logs a guest error
 *    and restarts its count from whatever remained. ('W8 …')
 * W9 WDOG_CTRL_REG stores nothing and reads 0 (a read is no guest error: vendor code reads it
 *    before writing the key), as QEMU. ('W9 …')
 * W10 HOSC changes follow the device kit's CounterRate rule: 0 Hz freezes the countdown, a
 *    running clock again (or a new rate while it runs) continues from the ticks left with a
 *    fresh full tick (the partial tick is lost). ('W10 …')
 * W11 Access sizes: 32-bit only (APB; Linux and U-Boot use readl/writel): other sizes are
 *    `bad-size` guest errors; holes are `unmapped` (sun6i 0x08, 0x0C, 0x1C; sun4i the block's
 *    holes). QEMU: sun6i 0x08/0x0C alias WDOG_IRQ_EN_REG. (guest-error spec)
 * W12 Reset values: every register 0 (the manuals' values were not verified; QEMU's). So a
 *    sun6i watchdog enabled without a WDOG_CFG_REG write requests no reset (W5). ('W12 …')
 * W13 Reads at a timeout instant: WDOG_IRQ_PEND is set in the timeout's own step (G1): a read
 *    ordered before it sees the pending bit clear and the countdown not yet at 0, after it
 *    both. (harness spec)
 *
 * ## Snapshots (#14)
 * {@link AllwinnerWdtSnapshot}, checked by one strict schema, by the counter's own rules
 * (`timer.<field>`), and by the invariants that hold by construction, each refused at the
 * field that breaks it:
 * - `variant` is this watchdog's (checked first, so another variant's snapshot is refused
 *   there, not at the first register the maps differ in);
 * - `hoscHz` is the HOSC input's rate now; while it runs the counter's period is one tick,
 *   HOSC ÷ 750, in the counter's timing;
 * - WDOG_CTRL_REG stores nothing (W9);
 * - the counter's reload value is the interval of the last restart in ticks (one of the
 *   table's) or 0 (none since reset, or a reserved interval, W8), and its count never exceeds it;
 * - it is stopped while WDOG_EN is 0 or HOSC is stopped; otherwise it counts one-shot, or has
 *   stopped at 0 (a timeout, W6, or a reserved interval, W8);
 * - the pending and enable bits and the reset request may take either value in any state
 *   (the guest may clear or change them after a timeout): no rule.
 *
 * Options: every one is checked (checkDeviceOptions): a `variant` other than `'sun4i'` or
 * `'sun6i'` (it has no default: the layouts differ), a `hosc` that is not a ClockInput, an
 * empty name, an unknown `delivery` or `timing`, or an unknown key is a DeviceConfigError
 * naming `AllwinnerWdt(options.<key>)`.
 * Events: guest errors and `unimplemented` reports (from the bank and W1, W8), and one
 * `expiry` trace event (timer `<name>.counter`) per timeout, before the watchdog acts on it.
 *
 * Ordering: the timeout is delivered with `delivery` ('sync' by default: WDOG_IRQ_PEND, the
 * interrupt and the reset request change in the expiry step itself, G1); 'bottom-half' exists
 * only to show the LP #1777777 race. An interrupt handler on `irq` that acknowledges and kicks
 * during a sync timeout runs in the counter's callback context (G3): its restart applies when
 * the timeout returns, leaving the state a guest kicking right after would leave.
 */
import type { SchedulerLike } from 'rxjs';
import {
  ACCESS_SIZES,
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectResetValues,
  expectRunningMode,
  expectSame,
  expectTimerCountAtMost,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  type RegisterBank,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotField,
  snapshotHz,
  snapshotPart,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type FieldDef,
  type RegisterBankSnapshot,
  type RegisterDef,
  type RegisterInfo,
  type RegisterMap,
  type RegisterShape,
  type TimerPartView,
  type TriggerDelivery,
  isAccessValue,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { ALLWINNER_A10_PIT_REGISTERS } from '../allwinner-a10-pit/ALLWINNER_A10_PIT_REGISTERS';
import { ALLWINNER_WDT_KEY, ALLWINNER_WDT_REGISTERS } from './ALLWINNER_WDT_REGISTERS';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counter's policy flags, one reason each (W8, W13); it always runs one-shot (W6). */
export const ALLWINNER_WDT_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // the count (the `counter` probe) reads like a down-counter: the whole interval right after a restart, 1 in the last tick, 0 only once timed out (W13)
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 is a timeout: no restart or clock change makes one (a held count of 0 never fires, W8)
] as const satisfies readonly PTimerPolicy[];

/** The two register layouts: `'sun4i'` (A10/A20/R40) and `'sun6i'` (A31/H3/H5/A64). */
export const ALLWINNER_WDT_VARIANTS = ['sun4i', 'sun6i'] as const;

/** Which layout an {@link AllwinnerWdt} has (see "Placement" in the module header). */
export type AllwinnerWdtVariant = (typeof ALLWINNER_WDT_VARIANTS)[number];

/** The intervals WDOG_INTV_VALUE 0-11 select, in half-seconds: 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16 s. */
export const ALLWINNER_WDT_INTERVALS = Object.freeze([1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 28, 32] as const);

/** The internal division of HOSC that clocks the countdown (W2): 24 MHz ÷ 750 = 32 kHz. */
export const ALLWINNER_WDT_HOSC_DIVISOR = 750;

/** Countdown ticks (HOSC ÷ 750) in half a second at 24 MHz: interval n lasts ALLWINNER_WDT_INTERVALS[n] times this (W2). */
export const ALLWINNER_WDT_TICKS_PER_HALF_SECOND = 16_000;

/** Current {@link AllwinnerWdtSnapshot} format version. */
export const ALLWINNER_WDT_SNAPSHOT_VERSION = 1;

/** The watchdog's whole state as plain, versioned data. */
export interface AllwinnerWdtSnapshot extends DeviceSnapshot {
  readonly version: typeof ALLWINNER_WDT_SNAPSHOT_VERSION;
  /** The variant that took it; only a watchdog of the same variant restores it. */
  readonly variant: AllwinnerWdtVariant;
  /** The register bank (WDOG_CTRL_REG stores nothing). */
  readonly registers: RegisterBankSnapshot;
  /** The countdown; its reload value is the interval of the last restart, in ticks. */
  readonly timer: PTimerSnapshot;
  /** A timeout has requested a system reset (W7): the `reset` line's level. */
  readonly resetRequest: boolean;
  /** HOSC when the snapshot was taken; restore requires the clock input to be at it. */
  readonly hoscHz: number;
}

/** Options of {@link AllwinnerWdt}. */
export interface AllwinnerWdtOptions {
  /** Which layout: `'sun4i'` or `'sun6i'` (no default: see "Placement" in the module header). */
  readonly variant: AllwinnerWdtVariant;
  /** The HOSC input (default: a 24 MHz ClockInput named `<name>.hosc`); rate changeable at run time, 0 Hz = stopped. */
  readonly hosc?: ClockInput;
  /** Instance name, the `source` of its events (default `'allwinner-sun4i-wdt'` or `'allwinner-sun6i-wdt'`). */
  readonly name?: string;
  /** Delivery of the timeouts: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the countdown keeps time (see "Timing" in the module header): `'exact'` (default), a tick
   * of exactly 750·10^9/HOSC ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

type Bank = RegisterBank<RegisterShape>;

/** What differs between the variants, as data. */
interface Layout {
  readonly map: RegisterMap<RegisterShape>;
  /** The map's registers as {@link RegisterInfo}, shared by every instance. */
  readonly info: readonly RegisterInfo[];
  readonly ctrl: RegisterDef;
  readonly mode: RegisterDef;
  /** The register and field of the interrupt enable, and of the pending bit. */
  readonly irqEnable: readonly [RegisterDef, FieldDef];
  readonly irqPending: readonly [RegisterDef, FieldDef];
  /** Whether a timeout now requests a system reset (W5). */
  readonly resetEnabled: (bank: Bank) => boolean;
  /** Byte offsets of the sun4i timer block's registers that are not the watchdog's, with their names (W1). */
  readonly elsewhere: ReadonlyMap<number, string>;
}

const modeFields = (mode: RegisterDef) => ({ en: mode.fieldByName['WDOG_EN']!, intv: mode.fieldByName['WDOG_INTV_VALUE']! });

/** The sun4i block's registers outside the watchdog, by byte: the PIT map's other registers and the 0x100-0x13F window (W1). */
const sun4iElsewhere = (): ReadonlyMap<number, string> => {
  const mine = ALLWINNER_WDT_REGISTERS.sun4i.byName as Readonly<Record<string, RegisterDef>>;
  const bytes = new Map<number, string>();
  for (const r of ALLWINNER_A10_PIT_REGISTERS.registers) {
    if (Object.hasOwn(mine, r.name)) continue;
    for (let b = 0; b < r.bytes; b++) bytes.set(r.offset + b, `${r.name} (A10 timer block, outside the watchdog: see AllwinnerA10Pit)`);
  }
  for (let b = 0x100; b < 0x140; b++) bytes.set(b, 'RTC/alarm/general-purpose/CPU-config registers (0x100-0x13F, A10 timer block)');
  return bytes;
};

const layoutOf = (variant: AllwinnerWdtVariant): Layout => {
  const map = ALLWINNER_WDT_REGISTERS[variant] as unknown as RegisterMap<RegisterShape>;
  const r = map.byName as Readonly<Record<string, RegisterDef>>;
  const [en, sta] = variant === 'sun4i' ? [r['TMR_IRQ_EN_REG']!, r['TMR_IRQ_STA_REG']!] : [r['WDOG_IRQ_EN_REG']!, r['WDOG_IRQ_STA_REG']!];
  const mode = r['WDOG_MODE_REG']!;
  const resetEnabled =
    variant === 'sun4i'
      ? (bank: Bank) => (bank.get(mode.name) & mode.fieldByName['WDOG_RST_EN']!.mask) !== 0
      : (bank: Bank) => bank.field('WDOG_CFG_REG', 'WDOG_CONFIG') === 1;
  return {
    map,
    info: registerInfoOf(map),
    ctrl: r['WDOG_CTRL_REG']!,
    mode,
    irqEnable: [en, en.fieldByName['WDOG_IRQ_EN']!],
    irqPending: [sta, sta.fieldByName['WDOG_IRQ_PEND']!],
    resetEnabled,
    elsewhere: variant === 'sun4i' ? sun4iElsewhere() : new Map(),
  };
};

const LAYOUTS: Readonly<Record<AllwinnerWdtVariant, Layout>> = { sun4i: layoutOf('sun4i'), sun6i: layoutOf('sun6i') };

/** Every interval's length in ticks, by WDOG_INTV_VALUE (W2). */
const INTERVAL_TICKS: readonly number[] = ALLWINNER_WDT_INTERVALS.map((h) => h * ALLWINNER_WDT_TICKS_PER_HALF_SECOND);

const KEY_MASK = ALLWINNER_WDT_REGISTERS.sun6i.byName.WDOG_CTRL_REG.fieldByName.WDOG_KEY_FIELD.mask;
const KEY_LSB = ALLWINNER_WDT_REGISTERS.sun6i.byName.WDOG_CTRL_REG.fieldByName.WDOG_KEY_FIELD.lsb;
const RSTART = ALLWINNER_WDT_REGISTERS.sun6i.byName.WDOG_CTRL_REG.fieldByName.WDOG_RSTART.mask;

/**
 * The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted.
 * @param layout - the variant's layout
 * @param r - the snapshot's register values
 * @param timer - the counter's part
 * @param hz - HOSC now (the snapshot's `hoscHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (layout: Layout, r: Readonly<Record<string, number>>, timer: TimerPartView, hz: number): void => {
  expectResetValues(r, [layout.ctrl]);
  const limit = Number(timer.limit);
  if (limit !== 0 && !INTERVAL_TICKS.includes(limit)) {
    refuseSnapshot(
      `${timer.where}.limit`,
      timer.limit.toString(),
      `must be 0 or one of the intervals in ticks (${INTERVAL_TICKS.join(', ')}): the interval of the last restart (W2, W8)`,
    );
  }
  expectTimerCountAtMost(timer, limit, `(${timer.where}.limit: a countdown never exceeds the interval it was restarted with)`);
  if (hz > 0) expectTimerPeriod(timer, hz, ALLWINNER_WDT_HOSC_DIVISOR, `of one watchdog tick, HOSC ÷ ${ALLWINNER_WDT_HOSC_DIVISOR} at hoscHz ${hz}`);
  const { en } = modeFields(layout.mode);
  const enabled = (r[layout.mode.name]! & en.mask) !== 0;
  if (!enabled || hz === 0) {
    expectTimerMode(
      timer,
      ['stopped'],
      `while ${registerPath(layout.mode.name, 'WDOG_EN')} is ${enabled ? 1 : 0} and hoscHz is ${hz} (it counts only under WDOG_EN with HOSC running)`,
    );
    return;
  }
  expectRunningMode(timer, true, 'while it counts (one timeout per restart, W6)');
  if (timer.mode === 'stopped' && timer.delta !== 0n) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be 'oneshot' while ${registerPath(layout.mode.name, 'WDOG_EN')} is 1 and HOSC runs, unless it stopped at 0 (${timer.where}.delta is ${timer.delta}; W6, W8)`,
    );
  }
  if (timer.mode !== 'stopped' && timer.delta === 0n) {
    refuseSnapshot(`${timer.where}.mode`, timer.mode, `must be 'stopped' at a count of 0: a countdown at 0 has timed out (W6, W8)`);
  }
};

/**
 * The Allwinner watchdog (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (WDOG_IRQ_PEND, the interrupt and the reset
 * request change in the timeout's step); G2/G3 through the counter's transactions (no register
 * write makes a timeout: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const wdt = new AllwinnerWdt(clock, { variant: 'sun6i' });  // HOSC 24 MHz
 * wdt.write(0x14, 4, 0x1);                                    // WDOG_CFG_REG: whole-system reset
 * wdt.write(0x18, 4, (1 << 4) | 1);                           // WDOG_MODE_REG: 1 s, enabled
 * clock.advanceTo(999_999_999);
 * wdt.write(0x10, 4, (0xa57 << 1) | 1);                       // WDOG_CTRL_REG: kick, 1 s more
 * clock.advanceTo(1_999_999_999);
 * wdt.resetRequest.level;                                     // true: timed out at 1 999 999 999 ns
 * ```
 */
export class AllwinnerWdt extends KitDevice<RegisterShape, {
  /** {@link AllwinnerWdt.irq}: the watchdog interrupt. */
  irq: IrqLine;
  /** {@link AllwinnerWdt.resetRequest}: the system-reset request. */
  reset: IrqLine;
}> {
  /**
   * Creates the watchdog with its registers at their reset values (disabled) and the counter stopped.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - variant, HOSC input, name, trigger delivery, timing
   * @throws DeviceConfigError for a missing or unknown `variant`, a `hosc` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: AllwinnerWdtOptions) {
    checkDeviceOptions('AllwinnerWdt', options, {
      variant: { oneOf: ALLWINNER_WDT_VARIANTS },
      hosc: 'clock?',
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
    });
    super(scheduler, options.name ?? `allwinner-${options.variant}-wdt`);
    this.variant = options.variant;
    this.layout = LAYOUTS[this.variant];
    this.registers = this.layout.info;
    this.hosc = options.hosc ?? new ClockInput(`${this.name}.hosc`, 24_000_000);
    // Timeouts reach onExpiry in the counter's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: ALLWINNER_WDT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.resetRequest = new IrqLine(`${this.name}.reset`);
    this.attachBank(
      this.layout.map,
      {
        [this.layout.ctrl.name]: { write: (value: number) => this.onControl(value) },
        [this.layout.mode.name]: { write: (value: number, old: number) => this.onMode(value, old) },
      },
      // W4: a WDOG_CTRL_REG write without the key is refused (`write` judges the value first).
      { locked: (register) => register === this.layout.ctrl.name && !this.keyed },
    );
    this.lifetime.add(this.hosc.watch(() => this.onClock()));
    this.onClock();
  }

  override read(offset: number, size: AccessSize): number {
    if (this.elsewhere(offset, size)) return 0;
    return super.read(offset, size);
  }

  override write(offset: number, size: AccessSize, value: number): void {
    if (isAccessValue(value, size) && this.elsewhere(offset, size)) return;
    this.keyed = offset !== this.layout.ctrl.offset || ((value & KEY_MASK) >>> KEY_LSB) === ALLWINNER_WDT_KEY;
    try {
      this.bank.write(offset, size, value);
    } finally {
      this.keyed = true;
    }
    this.updateIrq();
  }

  /** Hardware reset: registers to their reset values (disabled), the counter stopped with nothing loaded, the reset request and the interrupt low. */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(0, true);
    });
    this.bank.reset();
    this.resetRequested = false;
    this.updateIrq();
  }

  snapshot(): AllwinnerWdtSnapshot {
    return {
      device: this.name,
      version: ALLWINNER_WDT_SNAPSHOT_VERSION,
      variant: this.variant,
      registers: this.bank.snapshot(),
      timer: this.timer.snapshot(),
      resetRequest: this.resetRequested,
      hoscHz: this.hosc.hz,
    };
  }

  /**
   * Loads an {@link AllwinnerWdtSnapshot} taken at the clock's current time by a watchdog of
   * this name and variant; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: another
   *   variant's snapshot (at `variant`, checked first), the format (strict), a HOSC mismatch,
   *   the counter's own rules (`timer.<field>`), or an invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    if (typeof snapshot === 'object' && snapshot !== null && 'variant' in snapshot) expectSame('variant', snapshot.variant, this.variant, "this watchdog's variant");
    const variant = this.variant;
    // The schema depends on the variant only through the bank's schema, which is the variant map's (the cache key).
    const s = this.parseSnapshot(snapshot, { device: 'AllwinnerWdt', version: ALLWINNER_WDT_SNAPSHOT_VERSION }, () => ({
      variant: snapshotField<AllwinnerWdtVariant>((v) => v === variant, `must be '${variant}', this watchdog's variant`),
      timer: snapshotPart(),
      resetRequest: snapshotBoolean(),
      hoscHz: snapshotHz(),
    }));
    expectSame('hoscHz', s.hoscHz, this.hosc.hz, "the hosc input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(this.layout, s.registers.registers, timer, this.hosc.hz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.resetRequested = s.resetRequest;
    this.rate.adopt(this.hosc.hz, ALLWINNER_WDT_HOSC_DIVISOR);
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The watchdog interrupt: WDOG_IRQ_PEND && WDOG_IRQ_EN (W5). */
  readonly irq: IrqLine;
  /** The system-reset request: high from a timeout that requests a reset until `reset()` (W7). */
  readonly resetRequest: IrqLine;
  /** The registers of the variant's map ({@link ALLWINNER_WDT_REGISTERS}), in map order. */
  readonly registers: readonly RegisterInfo[];

  // ---- private ------------------------------------------------------------------

  /** The countdown reached 0 (in the counter's callback context when delivery is sync): W5, W6. */
  private onExpiry(): void {
    const [status, pending] = this.layout.irqPending;
    this.bank.setField(status.name, pending.name, 1);
    if (this.layout.resetEnabled(this.bank)) this.resetRequested = true;
    // The one-shot counter has stopped itself at 0 (W6).
    this.updateIrq();
  }

  /** WDOG_CTRL_REG write, the key already checked (W4): it stores nothing (W9); RSTART restarts (W3). */
  private onControl(value: number): void {
    this.bank.set(this.layout.ctrl.name, 0);
    if ((value & RSTART) !== 0) this.restart();
  }

  /** WDOG_MODE_REG write: a reserved interval is reported (W8); WDOG_EN 0 -> 1 restarts, 1 -> 0 stops (W3). */
  private onMode(value: number, old: number): void {
    const { en, intv } = modeFields(this.layout.mode);
    const interval = (value & intv.mask) >>> intv.lsb;
    if (interval >= INTERVAL_TICKS.length) {
      this.outlet.record({
        kind: 'unimplemented',
        time: this.scheduler.now(),
        source: this.name,
        offset: this.layout.mode.offset,
        feature: `${this.layout.mode.name}.WDOG_INTV_VALUE=${interval} (reserved interval: the counter holds)`,
      });
    }
    const was = (old & en.mask) !== 0;
    const is = (value & en.mask) !== 0;
    if (is && !was) this.restart();
    else if (was && !is) this.timer.transaction((t) => t.stop());
  }

  /** Reloads the countdown with the interval selected now, if enabled (W3); a reserved interval holds it at 0 (W8). */
  private restart(): void {
    if (!this.enabled()) return;
    const { intv } = modeFields(this.layout.mode);
    const ticks = INTERVAL_TICKS[(this.bank.get(this.layout.mode.name) & intv.mask) >>> intv.lsb] ?? 0;
    this.timer.transaction((t) => {
      t.setLimit(ticks, true);
      this.runIfEnabled(t, ticks);
    });
  }

  /** HOSC changed (or the first application): 0 Hz freezes, any other rate re-times the ticks left (W10: the kit's CounterRate rule). */
  private onClock(): void {
    this.timer.transaction((t) => {
      const count = t.getCountNumber(); // read before any change: later reads in the transaction are stale (reference §5.2 pitfall 2)
      this.rate.apply(t, this.hosc.hz, ALLWINNER_WDT_HOSC_DIVISOR); // first: a new period latches the running count (reference §5.2 pitfall 3)
      this.runIfEnabled(t, count);
    });
    this.updateIrq();
  }

  /** Last step of a change: the counter runs one-shot while WDOG_EN is 1, HOSC runs and ticks are left (W6, W8). */
  private runIfEnabled(t: PTimer, count: number): void {
    if (this.enabled() && this.rate.running && count > 0) t.run(true);
    else t.stop();
  }

  private enabled(): boolean {
    return (this.bank.get(this.layout.mode.name) & modeFields(this.layout.mode).en.mask) !== 0;
  }

  /**
   * Whether the access falls on a sun4i timer-block register that is not the watchdog's (W1):
   * then it is reported as `unimplemented` and changes nothing. Malformed calls go on to the
   * bank, which refuses them.
   */
  private elsewhere(offset: number, size: AccessSize): boolean {
    if (!Number.isSafeInteger(offset) || !ACCESS_SIZES.includes(size)) return false;
    const feature = this.layout.elsewhere.get(offset);
    if (feature === undefined) return false;
    this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature });
    return true;
  }

  /**
   * The output lines by local name: `irq` is {@link AllwinnerWdt.irq}, `reset`
   * {@link AllwinnerWdt.resetRequest}.
   */
  protected createLines() {
    return { irq: this.irq, reset: this.resetRequest };
  }

  /** `counter` (19 bits): the ticks left before the timeout (no register shows them), read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // No register shows the count: the probe is the model's own countdown, read without side effects.
    return [timerProbe(this.timer, { name: 'counter', width: 19 })];
  }

  /** The one place both outputs are computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    const [enReg, enField] = this.layout.irqEnable;
    const [staReg, staField] = this.layout.irqPending;
    this.irq.set(this.bank.field(enReg.name, enField.name) === 1 && this.bank.field(staReg.name, staField.name) === 1);
    this.resetRequest.set(this.resetRequested);
  }

  /** Which layout this is (see "Placement" in the module header). */
  readonly variant: AllwinnerWdtVariant;
  /** The countdown (exposed for tests and traces; no register shows it). */
  readonly timer: PTimer;
  /** The HOSC input. */
  readonly hosc: ClockInput;
  private readonly layout: Layout;
  private readonly rate = new CounterRate();
  private resetRequested = false;
  /** Whether the WDOG_CTRL_REG write being performed carries the key (W4); true outside a write. */
  private keyed = true;
}
