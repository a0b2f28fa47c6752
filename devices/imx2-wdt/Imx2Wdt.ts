/**
 * NXP i.MX2+ watchdog (WDOG): the watchdog of the i.MX25/35/5x/6/7/8M parts (first in the
 * i.MX21, hence Linux's `imx2_wdt`). A counter on the 32.768 kHz low-frequency clock times
 * out (WT + 1) half-seconds after it is enabled or serviced (WSR 0x5555, 0xAAAA) and then
 * requests a system reset; a pre-timeout interrupt (WICR) comes WICT half-seconds before; a
 * power-down counter asserts WDOG_B 16 s after reset unless software turns it off (WMCR).
 *
 * Manual: i.MX 6Dual/6Quad Applications Processor Reference Manual (IMX6DQRM) and its
 * i.MX6/7 siblings, chapter "Watchdog Timer (WDOG)": registers WCR, WSR, WRSR, WICR, WMCR.
 * The manual was not available as text when this model was written: its facts come from the
 * reference summary (devices-2.md §6, confidence [med]) and from the Linux driver's register
 * sequences. QEMU's `imx2.wdt` (`hw/watchdog/wdt_imx2.c`) was used as a cross-check only
 * (behaviour, no code); each departure from it is marked "QEMU:" below.
 *
 * Ports: `ckil` (a ClockInput, the SoC's 32.768 kHz low-frequency reference clock; its rate
 * may change at run time, 0 Hz stops every counter). Outputs (IrqLines, high = asserted):
 * - `wdog_int` ({@link Imx2Wdt.irq}): the pre-timeout interrupt, WICR.WTIS && WICR.WIE (X5);
 * - `wdog_rst` ({@link Imx2Wdt.rst}): the reset request to the SoC's reset controller, from
 *   a timeout (X6) or a software reset (X7), held until `reset()`;
 * - `wdog_b` ({@link Imx2Wdt.wdogB}): the WDOG_B pin asserted (the pin is active low): while
 *   WCR.WDA is 0 (X7), and held until `reset()` after a timeout with WCR.WDT set (X6) or a
 *   power-down counter timeout (X9).
 * What the system does with `wdog_rst` and `wdog_b` (reset itself, cut the power) is its
 * business: the model only drives the lines.
 *
 * Timing: the counters count `ckil` cycles; one WT/WICT step is {@link IMX2_WDT_STEP_CYCLES}
 * (16384) cycles, 0.5 s at 32.768 kHz; the power-down counter is
 * {@link IMX2_WDT_POWER_DOWN_CYCLES} (2^19) cycles, 16 s. Exact by default (`timing`
 * option): at 32.768 kHz a cycle is 30 517.578125 ns, which QEMU's 2^-32 ns fixed point holds
 * exactly, so both timings agree there; at a rate whose cycle it does not hold (30 kHz:
 * 33 333⅓ ns) `timing: 'qemu'` floors each countdown, so the timeout comes up to a ns early
 * (Imx2Wdt.spec 'Timing …').
 *
 * Not modelled (and what the guest sees instead):
 * - Low-power, WAIT and debug modes (WCR.WDZST, WDW, WDBG): the simulated SoC never enters
 *   them; the bits are stored (write-once, X3) and a write of 1 is an `unimplemented` event.
 * - WCR.SRE (i.MX6SX/7/8: how the SoC stretches the software reset): stored, an
 *   `unimplemented` event when written 1; the reset request is a level held until `reset()`.
 * - The reset controller, the WDOG_B pad and the PMIC behind it: `wdog_rst` and `wdog_b` are
 *   lines (above).
 * - The i.MX21/27/31 block without WICR and WMCR (QEMU's `pretimeout-support` off): every
 *   instance here has both.
 * - The prescaler's phase: each (re)load counts whole cycles from the instant of the access.
 *
 * Ambiguities, and how they were decided (tests in test/devices/imx2-wdt/, titles start
 * with the tag):
 * X1 Counting. The counter loads (WT + 1)·16384 cycles when WDE goes 0 -> 1 and at each
 *    service, and counts down one per `ckil` cycle; reaching 0 is the timeout. WT = 0 is a
 *    0.5 s timeout. QEMU: counts 2 Hz steps and takes WT = 0 with WDE as "reset now". ('X1 …')
 * X2 WT written while counting takes effect at the next service: the manual loads WT into the
 *    counter only at the enable and at a service. QEMU: every WCR write reloads the counter
 *    (or stops it, see X3). ('X2 …')
 * X3 Write-once bits. WDE and WDT are write-one-once: a 1 stays until reset, a 0 written while
 *    they are 0 leaves them writable. WDZST, WDBG and WDW lock at the first WCR write,
 *    whatever it writes; WIE and WICT at the first WICR write. WMCR.PDE clears on a write of
 *    0 and never sets again. A write that tries to change a locked bit leaves that bit and
 *    takes effect on the others, with no event: Linux's own sequences (set_timeout's
 *    read-modify-write, the restart handler's WDE | WDA) write locked bits routinely, and
 *    the manual calls the bits write-once, not the access wrong. Every lock clears at reset.
 *    QEMU: freezes the wrong bits (it copies them from WICR), clears WDE at every WCR write
 *    after the first enable (a set_timeout stops the watchdog), and keeps the WDT lock
 *    across reset. ('X3 …')
 * X4 Service. A write of 0xAAAA services (reloads the counter and the pre-timeout, X5) when
 *    the value last written to WSR was 0x5555; other accesses may come between, other WSR
 *    values break the sequence. WSR reads the last value written (as QEMU; the manual
 *    documents no read value). No value is a guest error. A service does nothing while WDE is
 *    0 or after a timeout (X6). ('X4 …')
 * X5 Pre-timeout. With WIE set, WTIS is set (and `wdog_int` rises) when the counter reaches
 *    WICT steps before the timeout, on every countdown: (WT + 1 - WICT)·16384 cycles after
 *    the enable or each service. WICT = 0 puts it at the timeout instant, set before the
 *    reset request; WICT > WT puts it at or before the (re)load: it never comes. WTIS is
 *    never set while WIE is 0 (the manual's status "reflects whether the interrupt has
 *    occurred"); writing 1 clears it. WIE set mid-countdown arms the point for the current
 *    countdown when it is still ahead, counted from the counter's reading then (up to a
 *    cycle late). QEMU: the interrupt comes once per WCR or WICR write; a service does not
 *    re-arm it. ('X5 …')
 * X6 Timeout. The counter stops at 0, `wdog_rst` rises (WRSR.TOUT after the reset, X8) and,
 *    with WDT set, `wdog_b` too, both held until `reset()`; services are ignored until then.
 *    QEMU: WDOG_B is not an output, and WDT and WDA are not told apart. ('X6 …')
 * X7 Software controls. SRS written 0 raises `wdog_rst` (held until reset(), WRSR.SFTW after
 *    it), whatever WDA is; SRS reads 1; the counter is not affected. WDA is a level: WDOG_B is
 *    asserted while WDA is 0 and released when it is written 1 (unless latched by X6/X9).
 *    QEMU: the software reset needs WDA = 0 and SRS = 0 together. ('X7 …')
 * X8 WRSR and reset(). `reset()` is the SoC reset that follows: WRSR then holds the causes
 *    this watchdog raised `wdog_rst` for (SFTW, TOUT or both), or POR when it raised none
 *    (the model sees no other reset source; construction is a power-on: POR). Everything
 *    else returns to its reset value, locks included. QEMU: its reset clears TOUT and SFTW,
 *    so the guest never sees them; POR is never set. ('X8 …')
 * X9 Power-down counter. From reset it counts 2^19 cycles (16 s at 32.768 kHz) whatever WDE
 *    is, then asserts WDOG_B, held until `reset()`. WMCR.PDE written 0 stops it for good
 *    (Linux's probe does so). QEMU: stores PDE only. ('X9 …')
 * X10 Access sizes: the registers are 16-bit (Linux accesses them through a 16-bit regmap);
 *    8-, 32- and 64-bit accesses are `bad-size` guest errors, offsets past WMCR `unmapped`,
 *    a WRSR write `read-only`: each changes nothing. QEMU: ignores a WRSR write; its memory
 *    core splits or widens other sizes. (guest-error spec)
 * X11 Clocks. `ckil` at 0 Hz freezes every counter at its reading; a rate change re-times
 *    them from their reading with a fresh cycle (the kit's CounterRate rule: the partial
 *    cycle is lost; the reading is the hardware counter's, so at a cycle edge it is the
 *    count before the edge), the counter and the pre-timeout together, so the pre-timeout
 *    keeps its distance to the timeout. ('X11 …')
 * X12 G1. Reads at the pre-timeout instant see the pre-timeout counter at 1 with WTIS clear
 *    when ordered before its expiry step, at 0 with WTIS set after it: never a mix. The WDOG
 *    has no counter register; the sweep reads the `pretimeout` probe. (harness spec)
 *
 * Policy: see IMX2_WDT_POLICY (O+D). QEMU uses T+R+D for its 2 Hz timers; the difference has
 * no effect here, since a counter is never started at 0 (the pre-timeout counter is left
 * stopped when there is no pre-timeout point ahead, X5).
 *
 * Device kit: a KitDevice (the shell on the prototype) on IMX2_WDT_REGISTERS; three channelTimers
 * (`counter`, `pretimeout`, `powerdown`), one-shot, all on `ckil` through one CounterRate;
 * `dispose()` ends the clock watch and the timers.
 *
 * Snapshots: {@link Imx2WdtSnapshot}, checked by one strict schema, by each counter's own
 * rules (`counter.<field>`, …), and by the invariants that hold by construction, each refused
 * at the field that breaks it:
 * - `ckilHz` is the input's rate now; while it runs every counter ticks once per cycle;
 * - running counters are one-shot; `counter` counts at most 256 steps, `pretimeout` 255,
 *   `powerDown` 2^19 cycles;
 * - `counter` runs exactly while WDE is 1, no timeout happened (`resetCause` TOUT) and `ckil`
 *   runs; it is at 0 while WDE is 0 and after a timeout, and only then;
 * - `pretimeout` runs only while `counter` runs and WIE is 1, and does whenever it has a count
 *   left then; it is at 0 while WDE is 0;
 * - `powerDown` runs exactly while PDE is 1, `ckil` runs and it has a count left; at 0 it has
 *   fired, so `wdogB` is true; `wdogB` is true only after a power-down or a timeout;
 * - TOUT in `resetCause` needs WDE; WCR.SRS is 1; WRSR is POR or a non-empty set of
 *   {SFTW, TOUT}; WTIS needs WIE;
 * - before the first WCR (WICR) write, `wcrWritten` (`wicrWritten`) false, WCR (WICR) holds
 *   its reset value, and no software reset was requested.
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: WTIS, the reset request
 * and the lines change in the expiry step itself, G1); 'bottom-half' exists only to show the
 * LP #1777777 race. An interrupt handler on `wdog_int` that acknowledges and services during a
 * sync expiry runs in the pre-timeout counter's callback context (G3).
 */
import type { SchedulerLike } from 'rxjs';
import {
  channelTimer,
  checkDeviceOptions,
  CounterRate,
  deviceHooks,
  expectRunningMode,
  expectSame,
  expectTimerCountAtMost,
  expectTimerMode,
  expectTimerPeriod,
  fieldHandle,
  refuseSnapshot,
  registerHandle,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotHz,
  snapshotInteger,
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
import type { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { IMX2_WDT_REGISTERS, IMX2_WDT_SERVICE_KEYS } from './IMX2_WDT_REGISTERS';
import { timerProbe } from '../../src/bus/kit/timerProbe';

/** The counters' policy flags, one reason each (X1, X5). */
export const IMX2_WDT_POLICY = [
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 times out (or reaches the pre-timeout point): loading a count never does
  'NO_COUNTER_ROUND_DOWN', // the probes read like the hardware counter: the full count right after a load, 1 in the last cycle (X12)
] as const satisfies readonly PTimerPolicy[];

/** `ckil` cycles per WT or WICT step: half a second at 32.768 kHz (X1). */
export const IMX2_WDT_STEP_CYCLES = 16_384;

/** `ckil` cycles the power-down counter counts from reset: 16 s at 32.768 kHz (X9). */
export const IMX2_WDT_POWER_DOWN_CYCLES = 2 ** 19;

/** Current {@link Imx2WdtSnapshot} format version. */
export const IMX2_WDT_SNAPSHOT_VERSION = 1;

/** The watchdog's whole state as plain, versioned data. */
export interface Imx2WdtSnapshot extends DeviceSnapshot {
  readonly version: typeof IMX2_WDT_SNAPSHOT_VERSION;
  /** The register bank (WSR: the last value written, X4). */
  readonly registers: RegisterBankSnapshot;
  /** The timeout counter (`ckil` cycles to the timeout). */
  readonly counter: PTimerSnapshot;
  /** The pre-timeout counter (`ckil` cycles to the pre-timeout point; stopped at 0 when none is ahead). */
  readonly pretimeout: PTimerSnapshot;
  /** The power-down counter (`ckil` cycles to its WDOG_B assertion). */
  readonly powerDown: PTimerSnapshot;
  /** `ckil` when the snapshot was taken; restore requires the input to be at it. */
  readonly ckilHz: number;
  /** The causes `wdog_rst` is held for, in WRSR's layout: bit 0 SFTW (software reset), bit 1 TOUT (timeout). */
  readonly resetCause: number;
  /** WDOG_B latched by a timeout with WDT set or by the power-down counter (X6, X9). */
  readonly wdogB: boolean;
  /** WCR was written since reset: WDZST, WDBG and WDW are locked (X3). */
  readonly wcrWritten: boolean;
  /** WICR was written since reset: WIE and WICT are locked (X3). */
  readonly wicrWritten: boolean;
}

/** The timers' channels, for their shared handler. */
const COUNTER = 0;
const PRETIMEOUT = 1;
const POWER_DOWN = 2;

/** Options of {@link Imx2Wdt}. */
export interface Imx2WdtOptions {
  /** The 32.768 kHz low-frequency reference clock (CKIL); rate changeable at run time, 0 Hz = stopped. */
  readonly ckil: ClockInput;
  /** Instance name, the `source` of its events (default `'imx2-wdt'`). */
  readonly name?: string;
  /** Delivery of the counters' expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /** How the counters keep time: `'exact'` (default) or QEMU's `'qemu'` (see "Timing" in the module header). */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof IMX2_WDT_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  WCR_WDA: fieldHandle(IMX2_WDT_REGISTERS, 'WCR', 'WDA'),
  WCR_WDE: fieldHandle(IMX2_WDT_REGISTERS, 'WCR', 'WDE'),
  WCR_WDT: fieldHandle(IMX2_WDT_REGISTERS, 'WCR', 'WDT'),
  WCR_WT: fieldHandle(IMX2_WDT_REGISTERS, 'WCR', 'WT'),
  WICR_WICT: fieldHandle(IMX2_WDT_REGISTERS, 'WICR', 'WICT'),
  WICR_WIE: fieldHandle(IMX2_WDT_REGISTERS, 'WICR', 'WIE'),
  WICR_WTIS: fieldHandle(IMX2_WDT_REGISTERS, 'WICR', 'WTIS'),
  WMCR_PDE: fieldHandle(IMX2_WDT_REGISTERS, 'WMCR', 'PDE'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  WCR: registerHandle(IMX2_WDT_REGISTERS, 'WCR'),
  WICR: registerHandle(IMX2_WDT_REGISTERS, 'WICR'),
} as const;

const { WCR, WRSR, WICR } = IMX2_WDT_REGISTERS.byName;
const WCR_F = WCR.fieldByName;
const WICR_F = WICR.fieldByName;
const WRSR_F = WRSR.fieldByName;
/** WCR bits that lock at the first WCR write (X3). */
const WCR_ONCE = WCR_F.WDZST.mask | WCR_F.WDBG.mask | WCR_F.WDW.mask;
/** WCR bits that stay 1 once written 1 (X3). */
const WCR_STICKY = WCR_F.WDE.mask | WCR_F.WDT.mask;
/** WICR bits that lock at the first WICR write (X3). */
const WICR_ONCE = WICR_F.WIE.mask | WICR_F.WICT.mask;
/** `resetCause` bits (WRSR's layout). */
const SFTW = WRSR_F.SFTW.mask;
const TOUT = WRSR_F.TOUT.mask;
const POR = WRSR_F.POR.mask;
const [KEY1, KEY2] = IMX2_WDT_SERVICE_KEYS;
const STEP = BigInt(IMX2_WDT_STEP_CYCLES);
const MAX_TIMEOUT = 256n * STEP;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(IMX2_WDT_REGISTERS);

/**
 * The pre-timeout counter's count at a (re)load of the counter: (WT + 1 - WICT) steps when
 * WIE is set and the point lies strictly between the load and the timeout, else 0 (none, X5).
 */
const pretimeoutCount = (wcr: number, wicr: number): bigint => {
  const wt = (wcr & WCR_F.WT.mask) >>> WCR_F.WT.lsb;
  const wict = wicr & WICR_F.WICT.mask;
  if ((wicr & WICR_F.WIE.mask) === 0 || wict === 0 || wict > wt) return 0n;
  return BigInt(wt + 1 - wict) * STEP;
};

/**
 * The i.MX2+ watchdog (see the module header for the contract).
 *
 * Ordering: G1 with the default `sync` delivery (WTIS, the reset request and the lines change
 * in the counters' expiry steps); G2/G3 through the timers' transactions (no register write
 * starts a counter at 0: TRIGGER_ONLY_ON_DECREMENT).
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const ckil = new ClockInput('ckil', 32_768);
 * const wdog = new Imx2Wdt(clock, { ckil });
 * wdog.write(0x08, 2, 0);                  // WMCR: the power-down counter off
 * wdog.write(0x06, 2, 0x8001);             // WICR: WIE, pre-timeout 0.5 s before the timeout
 * wdog.write(0x00, 2, 0x0334);             // WCR: WT 3 (2 s), WDA, SRS, WDE: counting
 * clock.advanceTo(1_500_000_000);          // 1.5 s: the pre-timeout point
 * wdog.irq.level;                          // true
 * wdog.write(0x06, 2, 0xc001);             // acknowledge (WTIS is write-1-to-clear)
 * wdog.write(0x02, 2, 0x5555);             // service: 0x5555 then 0xAAAA reloads 2 s
 * wdog.write(0x02, 2, 0xaaaa);
 * ```
 */
export class Imx2Wdt extends KitDevice<Registers, {
  /** {@link Imx2Wdt.irq}: the pre-timeout interrupt. */
  wdog_int: IrqLine;
  /** {@link Imx2Wdt.rst}: the reset request, held until `reset()`. */
  wdog_rst: IrqLine;
  /** {@link Imx2Wdt.wdogB}: WDOG_B asserted. */
  wdog_b: IrqLine;
}> {
  /**
   * Creates the watchdog as a power-on leaves it: registers at their reset values (WRSR.POR),
   * the counter disabled, the power-down counter running.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - the `ckil` input, name, trigger delivery, timing
   * @throws DeviceConfigError for a `ckil` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: Imx2WdtOptions) {
    checkDeviceOptions('Imx2Wdt', options, { ckil: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'imx2-wdt');
    this.ckil = options.ckil;
    // Expiries reach their handlers in the timers' expiry steps, in their callback contexts (G1, G3).
    const timer = (name: string, channel: number): PTimer =>
      channelTimer(scheduler, {
        device: this.name,
        name: `${this.name}.${name}`,
        policy: IMX2_WDT_POLICY,
        delivery: options.delivery,
        timing: options.timing,
        owner: this,
        channel,
        onExpiry: Imx2Wdt.expired,
        events: this.outlet,
        lifetime: this.lifetime,
      });
    this.counter = timer('counter', COUNTER);
    this.pretimeout = timer('pretimeout', PRETIMEOUT);
    this.powerDown = timer('powerdown', POWER_DOWN);
    this.irq = new IrqLine(`${this.name}.wdog_int`);
    this.rst = new IrqLine(`${this.name}.wdog_rst`);
    this.wdogB = new IrqLine(`${this.name}.wdog_b`);
    this.attachBank(IMX2_WDT_REGISTERS, Imx2Wdt.HOOKS);
    this.powerDown.transaction((t) => t.setCount(IMX2_WDT_POWER_DOWN_CYCLES));
    this.followClock(this.ckil, Imx2Wdt.clockChanged);
    this.onClock();
  }

  /** CKIL changed rate (one function for every instance, #19). */
  private static readonly clockChanged = (d: Imx2Wdt): void => d.onClock();

  /** Every timer's handler (one function, no closure per timer, #19): by channel, the counter, the pretimeout, the power-down counter. */
  private static readonly expired = (d: Imx2Wdt, channel: number): void => {
    if (channel === COUNTER) d.onTimeout();
    else if (channel === PRETIMEOUT) d.onPretimeout();
    else d.onPowerDown();
  };

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<Imx2Wdt>();
    return build.of(IMX2_WDT_REGISTERS, {
      WCR: { write: (d, value, old) => d.onControl(value, old) },
      WSR: { write: (d, value, old) => d.onService(value, old) },
      WICR: { write: (d, value, old) => d.onInterruptControl(value, old) },
      WMCR: { fields: { PDE: { change: (d) => d.onPowerDownEnable() } } },
    });
  })();

  /**
   * The SoC reset that follows (X8): WRSR holds the causes `wdog_rst` was raised for (or POR
   * when none), every other register its reset value, every lock clear, the counter disabled,
   * the power-down counter running again from 2^19 cycles, every line low (WDA is 1 again).
   */
  override reset(): void {
    const causes = this.resetCause;
    for (const t of [this.counter, this.pretimeout]) {
      t.transaction((tx) => {
        tx.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
        tx.setCount(0);
      });
    }
    this.powerDown.transaction((t) => {
      t.stop();
      t.setCount(IMX2_WDT_POWER_DOWN_CYCLES);
    });
    this.bank.reset();
    this.bank.set('WRSR', causes === 0 ? POR : causes);
    this.resetCause = 0;
    this.wdogBLatched = false;
    this.wcrWritten = false;
    this.wicrWritten = false;
    this.onClock();
  }

  snapshot(): Imx2WdtSnapshot {
    return {
      ...this.snapshotHead(IMX2_WDT_SNAPSHOT_VERSION),
      counter: this.counter.snapshot(),
      pretimeout: this.pretimeout.snapshot(),
      powerDown: this.powerDown.snapshot(),
      ckilHz: this.ckil.hz,
      resetCause: this.resetCause,
      wdogB: this.wdogBLatched,
      wcrWritten: this.wcrWritten,
      wicrWritten: this.wicrWritten,
    };
  }

  /**
   * Loads an {@link Imx2WdtSnapshot} taken at the clock's current time by a watchdog of this
   * name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a `ckil` mismatch, a counter's own rules (`counter.<field>`, …), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'Imx2Wdt', version: IMX2_WDT_SNAPSHOT_VERSION }, () => ({
      counter: snapshotPart(),
      pretimeout: snapshotPart(),
      powerDown: snapshotPart(),
      ckilHz: snapshotHz(),
      resetCause: snapshotInteger(0, SFTW | TOUT, 'must be an integer in [0, 3]: WRSR.SFTW (1) and WRSR.TOUT (2) bits'),
      wdogB: snapshotBoolean(),
      wcrWritten: snapshotBoolean(),
      wicrWritten: snapshotBoolean(),
    }));
    expectSame('ckilHz', s.ckilHz, this.ckil.hz, "the ckil input's frequency now");
    const timers = {
      counter: this.checkTimer(this.counter, s.counter, 'counter'),
      pretimeout: this.checkTimer(this.pretimeout, s.pretimeout, 'pretimeout'),
      powerDown: this.checkTimer(this.powerDown, s.powerDown, 'powerDown'),
    };
    checkConsistency(s.registers.registers, timers, s, s.ckilHz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.counter, s.counter, 'counter'],
      [this.pretimeout, s.pretimeout, 'pretimeout'],
      [this.powerDown, s.powerDown, 'powerDown'],
    ]);
    this.rate.adopt(s.ckilHz);
    this.resetCause = s.resetCause;
    this.wdogBLatched = s.wdogB;
    this.wcrWritten = s.wcrWritten;
    this.wicrWritten = s.wicrWritten;
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** `wdog_int`: the pre-timeout interrupt (WICR.WTIS && WICR.WIE, X5). */
  readonly irq: IrqLine;
  /** `wdog_rst`: the reset request to the SoC, held until `reset()` (X6, X7). */
  readonly rst: IrqLine;
  /** `wdog_b`: WDOG_B asserted (the pin is active low; X6, X7, X9). */
  readonly wdogB: IrqLine;
  /** The registers of {@link IMX2_WDT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** The counter reached 0 (in its callback context when delivery is sync): X5 (WICT 0), X6. */
  private onTimeout(): void {
    if (this.bank.fieldAt(FIELD.WICR_WIE) === 1 && this.bank.fieldAt(FIELD.WICR_WICT) === 0) this.bank.setFieldAt(FIELD.WICR_WTIS, 1);
    this.resetCause |= TOUT;
    if (this.bank.fieldAt(FIELD.WCR_WDT) === 1) this.wdogBLatched = true;
    // Both stop at 0: a bottom half delivering late may find them reloaded by a service since.
    for (const timer of [this.counter, this.pretimeout]) {
      timer.transaction((t) => {
        t.stop();
        t.setCount(0);
      });
    }
    this.updateIrq();
  }

  /** The pre-timeout point (X5): WTIS set. */
  private onPretimeout(): void {
    if (this.bank.fieldAt(FIELD.WICR_WIE) === 1) this.bank.setFieldAt(FIELD.WICR_WTIS, 1);
    this.updateIrq();
  }

  /** The power-down counter ran out (X9): WDOG_B asserted until reset. */
  private onPowerDown(): void {
    this.wdogBLatched = true;
    this.updateIrq();
  }

  /**
   * WCR write (`value` as the bank stored it, `old` before): locked and sticky bits kept
   * (X3), SRS 0 requests a software reset and reads 1 again (X7), WDE rising loads and starts
   * the counter (X1); a WT change waits for the next service (X2).
   */
  private onControl(value: number, old: number): void {
    let next = value | (old & WCR_STICKY) | WCR_F.SRS.mask;
    if (this.wcrWritten) next = ((next & ~WCR_ONCE) | (old & WCR_ONCE)) >>> 0;
    this.wcrWritten = true;
    this.bank.set('WCR', next);
    if ((value & WCR_F.SRS.mask) === 0) this.resetCause |= SFTW;
    if ((old & WCR_F.WDE.mask) === 0 && (next & WCR_F.WDE.mask) !== 0) this.load();
  }

  /** WSR write: 0xAAAA right after 0x5555 services (X4). */
  private onService(value: number, old: number): void {
    if (value === KEY2 && old === KEY1) this.load();
  }

  /**
   * WICR write: WIE and WICT lock at the first write (X3); WTIS is write-1-to-clear (the
   * bank's `w1c`). WIE rising mid-countdown arms the pre-timeout point if it is still ahead (X5).
   */
  private onInterruptControl(value: number, old: number): void {
    const next = this.wicrWritten ? ((value & ~WICR_ONCE) | (old & WICR_ONCE)) >>> 0 : value;
    this.wicrWritten = true;
    this.bank.set('WICR', next);
    const rising = (old & WICR_F.WIE.mask) === 0 && (next & WICR_F.WIE.mask) !== 0;
    if (!rising || !this.enabled()) return;
    const ahead = this.counter.getCount() - BigInt(next & WICR_F.WICT.mask) * STEP;
    if ((next & WICR_F.WICT.mask) === 0 || ahead <= 0n) return;
    this.pretimeout.transaction((t) => {
      t.setCount(ahead);
      this.runIfCounting(t);
    });
  }

  /** PDE cleared (it never sets again, `w0c`): the power-down counter stops for good (X9). */
  private onPowerDownEnable(): void {
    this.powerDown.transaction((t) => t.stop());
  }

  /** The enable or a service: the counter and the pre-timeout point from WT and WICR (X1, X4, X5); nothing while disabled or timed out. */
  private load(): void {
    if (!this.enabled()) return;
    const wcr = this.bank.getAt(REGISTER.WCR);
    this.counter.transaction((t) => {
      t.setCount(BigInt(this.bank.fieldAt(FIELD.WCR_WT) + 1) * STEP);
      this.runIfCounting(t);
    });
    this.pretimeout.transaction((t) => {
      t.setCount(pretimeoutCount(wcr, this.bank.getAt(REGISTER.WICR)));
      this.runIfCounting(t);
    });
  }

  /** `ckil` changed (or a reset): every counter re-timed from its reading, 0 Hz freezes them (X11). */
  private onClock(): void {
    const hz = this.ckil.hz;
    for (const t of [this.counter, this.pretimeout]) {
      t.transaction((tx) => {
        this.rate.apply(tx, hz); // first: a new period latches the running count (reference §5.2 pitfall 3)
        this.runIfCounting(tx);
      });
    }
    this.powerDown.transaction((t) => {
      this.rate.apply(t, hz);
      if (this.bank.fieldAt(FIELD.WMCR_PDE) === 1 && this.rate.running && t.getCountNumber() > 0) t.run(true);
      else t.stop();
    });
    this.updateIrq();
  }

  /** WDE set and no timeout yet: the counter counts (while `ckil` runs). */
  private enabled(): boolean {
    return this.bank.fieldAt(FIELD.WCR_WDE) === 1 && (this.resetCause & TOUT) === 0;
  }

  /** The counter is counting now. */
  private counting(): boolean {
    return this.enabled() && this.rate.running;
  }

  /** Last step of a change to the counter or the pre-timeout counter: one-shot while counting with a count left, else stopped. */
  private runIfCounting(t: PTimer): void {
    if (this.counting() && t.getCountNumber() > 0) t.run(true);
    else t.stop();
  }

  /** The output lines by signal name: `wdog_int`, `wdog_rst`, `wdog_b`. */
  protected createLines() {
    return { wdog_int: this.irq, wdog_rst: this.rst, wdog_b: this.wdogB };
  }

  /**
   * `counter` (23 bits), `pretimeout` (22) and `powerdown` (20): the `ckil` cycles left to the
   * timeout, to the pre-timeout point (0: none ahead) and to the power-down assertion, read
   * without an access (the WDOG has no counter register).
   */
  protected createProbes(): readonly DeviceProbe[] {
    const probe = (name: string, width: number, t: PTimer): DeviceProbe => timerProbe(t, { name, width });
    return [probe('counter', 23, this.counter), probe('pretimeout', 22, this.pretimeout), probe('powerdown', 20, this.powerDown)];
  }

  /** The one place the outputs are computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(FIELD.WICR_WTIS) === 1 && this.bank.fieldAt(FIELD.WICR_WIE) === 1);
    this.rst.set(this.resetCause !== 0);
    this.wdogB.set(this.wdogBLatched || this.bank.fieldAt(FIELD.WCR_WDA) === 0);
  }

  /** The timeout counter (exposed for tests and traces; the guest cannot read it). */
  readonly counter: PTimer;
  /** The pre-timeout counter, in step with `counter` (exposed for tests and traces). */
  readonly pretimeout: PTimer;
  /** The power-down counter (exposed for tests and traces). */
  readonly powerDown: PTimer;
  /** The `ckil` input. */
  readonly ckil: ClockInput;
  private readonly rate = new CounterRate();
  private resetCause = 0;
  private wdogBLatched = false;
  private wcrWritten = false;
  private wicrWritten = false;
}

/** The snapshot's own fields the invariants read. */
interface Flags {
  readonly resetCause: number;
  readonly wdogB: boolean;
  readonly wcrWritten: boolean;
  readonly wicrWritten: boolean;
}

/** The three counters' parts. */
interface Timers {
  readonly counter: TimerPartView;
  readonly pretimeout: TimerPartView;
  readonly powerDown: TimerPartView;
}

const bitOf = (value: number, mask: number): 0 | 1 => ((value & mask) !== 0 ? 1 : 0);

/**
 * The invariants of the module header ("Snapshots"), on a snapshot the schema and the counters accepted.
 * @param r - the snapshot's register values
 * @param timers - the counters' parts
 * @param flags - the reset causes, the WDOG_B latch and the write-once locks
 * @param hz - `ckil` now (the snapshot's `ckilHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (r: Readonly<Record<string, number>>, timers: Timers, flags: Flags, hz: number): void => {
  const wcr = r['WCR']!;
  const wicr = r['WICR']!;
  const pde = r['WMCR']! & 1;
  const { counter, pretimeout, powerDown } = timers;
  const tout = (flags.resetCause & TOUT) !== 0;
  const wde = bitOf(wcr, WCR_F.WDE.mask);
  const wie = bitOf(wicr, WICR_F.WIE.mask);
  if ((wcr & WCR_F.SRS.mask) === 0) refuseSnapshot(registerPath('WCR'), wcr, `must have ${registerPath('WCR', 'SRS')} 1: it reads 1 after every write (X7)`);
  if (!flags.wcrWritten && wcr !== WCR.reset) {
    refuseSnapshot(registerPath('WCR'), wcr, `must be ${WCR.reset}, its reset value, while wcrWritten is false (only a WCR write changes it)`);
  }
  if (!flags.wcrWritten && (flags.resetCause & SFTW) !== 0) refuseSnapshot('resetCause', flags.resetCause, 'must not have SFTW (1) while wcrWritten is false: only a WCR write requests a software reset (X7)');
  if (!flags.wicrWritten && wicr !== WICR.reset) {
    refuseSnapshot(registerPath('WICR'), wicr, `must be ${WICR.reset}, its reset value, while wicrWritten is false (only a WICR write sets WIE, X5)`);
  }
  if ((wicr & WICR_F.WTIS.mask) !== 0 && wie === 0) refuseSnapshot(registerPath('WICR'), wicr, `must have ${registerPath('WICR', 'WIE')} 1 with ${registerPath('WICR', 'WTIS')} 1: WTIS is set only under WIE (X5)`);
  const wrsr = r['WRSR']!;
  if (wrsr !== POR && (wrsr === 0 || (wrsr & POR) !== 0)) {
    refuseSnapshot(registerPath('WRSR'), wrsr, `must be POR (${POR}) alone or SFTW (1), TOUT (2) or both: the causes of the last reset (X8)`);
  }
  if (tout && wde === 0) refuseSnapshot('resetCause', flags.resetCause, `must not have TOUT (2) while ${registerPath('WCR', 'WDE')} is 0: only an enabled counter times out (X6)`);

  const words = `${registerPath('WCR', 'WDE')} ${wde}, resetCause ${flags.resetCause} and ckilHz ${hz}`;
  for (const view of [counter, pretimeout, powerDown]) {
    expectRunningMode(view, true, '(the WDOG counters count down once, X1)');
    if (hz > 0) expectTimerPeriod(view, hz, 1, `of one ckil cycle at ckilHz ${hz}`);
  }
  expectTimerCountAtMost(counter, MAX_TIMEOUT, `((WT + 1)·${IMX2_WDT_STEP_CYCLES} cycles at most, X1)`);
  expectTimerCountAtMost(pretimeout, MAX_TIMEOUT - STEP, `((WT + 1 - WICT)·${IMX2_WDT_STEP_CYCLES} cycles at most, X5)`);
  expectTimerCountAtMost(powerDown, IMX2_WDT_POWER_DOWN_CYCLES, `(the power-down counter's ${IMX2_WDT_POWER_DOWN_CYCLES} cycles, X9)`);

  // The counter: loaded at the enable, at 0 only after the timeout, counting exactly while enabled, not timed out and clocked.
  const counting = wde === 1 && !tout && hz > 0;
  if (counting) expectTimerMode(counter, ['oneshot'], `while ${words} (it counts while enabled, not timed out and clocked, X1)`);
  else expectTimerMode(counter, ['stopped'], `while ${words} (it counts only while enabled, not timed out and clocked, X1)`);
  const atZero = counter.delta === 0n;
  if (atZero !== (wde === 0 || tout)) {
    refuseSnapshot(`${counter.where}.delta`, counter.delta.toString(), `must be ${atZero ? 'above 0' : '0'} while ${words}: it is at 0 exactly while disabled or after a timeout (X1, X6)`);
  }

  // The pre-timeout counter: counting with the counter while it has a count left, under WIE.
  if (pretimeout.mode !== 'stopped' && wie === 0) {
    refuseSnapshot(`${pretimeout.where}.mode`, pretimeout.mode, `must be 'stopped' while ${registerPath('WICR', 'WIE')} is 0 (X5)`);
  }
  if (wde === 0 && pretimeout.delta !== 0n) refuseSnapshot(`${pretimeout.where}.delta`, pretimeout.delta.toString(), `must be 0 while ${registerPath('WCR', 'WDE')} is 0 (X5)`);
  const preRuns = counting && pretimeout.delta > 0n;
  if ((pretimeout.mode !== 'stopped') !== preRuns) {
    refuseSnapshot(
      `${pretimeout.where}.mode`,
      pretimeout.mode,
      `must be ${preRuns ? "'oneshot'" : "'stopped'"} while ${words} and ${pretimeout.where}.delta ${pretimeout.delta} (it counts with the counter while it has a count left, X5)`,
    );
  }

  // The power-down counter: counting while PDE is 1, clocked and not run out; run out, it latched WDOG_B.
  const pdRuns = pde === 1 && hz > 0 && powerDown.delta > 0n;
  if ((powerDown.mode !== 'stopped') !== pdRuns) {
    refuseSnapshot(
      `${powerDown.where}.mode`,
      powerDown.mode,
      `must be ${pdRuns ? "'oneshot'" : "'stopped'"} while ${registerPath('WMCR', 'PDE')} is ${pde}, ckilHz ${hz} and ${powerDown.where}.delta ${powerDown.delta} (X9)`,
    );
  }
  if (powerDown.delta === 0n && !flags.wdogB) refuseSnapshot('wdogB', flags.wdogB, `must be true while ${powerDown.where}.delta is 0: the power-down counter ran out and asserted WDOG_B (X9)`);
  if (flags.wdogB && powerDown.delta !== 0n && !tout) {
    refuseSnapshot('wdogB', flags.wdogB, `must be false unless ${powerDown.where}.delta is 0 or resetCause has TOUT (2): only those latch WDOG_B (X6, X9)`);
  }
};
