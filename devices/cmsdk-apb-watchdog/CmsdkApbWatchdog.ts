/**
 * ARM CMSDK APB watchdog: a 32-bit down-counter clocked by WDOGCLK that raises
 * WDOGINT when it first reaches zero and, if that interrupt is still pending when it
 * reaches zero again, requests a reset on WDOGRES.
 *
 * Manual: Arm Cortex-M System Design Kit Technical Reference Manual, ARM DDI 0479
 * ("APB watchdog"); its programmer's model is the Arm Watchdog Module (SP805) TRM,
 * ARM DDI 0270. QEMU's `cmsdk-apb-watchdog` was used as a cross-check only
 * (behaviour, no code); where this model departs from it, the entry says so.
 *
 * Outputs: `irq` is WDOGINT (WDOGRIS && INTEN, or WDOGITOP.WDOGINT in integration
 * test mode); `wdogres` is WDOGRES, a level that stays high until `reset()`: what the
 * system does with it (reset itself, or route it elsewhere) is the system's business.
 * (It cannot be called `reset`: that is the Device method.)
 * Clock: `wdogclk` (a ClockInput) drives the counter directly: the watchdog has no
 * prescaler.
 * Timing: exact by default (`timing` option): a cycle is exactly 10^9/WDOGCLK ns, so
 * WDOGLOAD cycles last exactly WDOGLOAD·10^9/WDOGCLK ns. At the catalogue's 25 MHz (40 ns)
 * both timings agree; a WDOGCLK that is not a whole number of ns per cycle (24 MHz: 41⅔ ns;
 * 32.768 kHz) is where they differ: `timing: 'qemu'` reproduces QEMU's arithmetic (the
 * cycle at 2^-32 ns, each countdown floored to whole ns: WDOGINT and WDOGRES up to 1 ns
 * early per count) (CmsdkApbWatchdog.timing.spec.ts). A feed reloads the count at its
 * instant in either timing.
 *
 * Not modelled (and what accessing it does):
 * - WDOGCLKEN, the clock-enable input: a gated clock is a `wdogclk` at 0 Hz.
 * - The separate WDOGRESn reset domain of the counter: `reset()` resets everything.
 * - The debug stall of the Luminary variant (WDOGTEST.STALL): stored and read back, each
 *   write of it as 1 an `unimplemented` event (`WDOGTEST.STALL`); the counter never stalls
 *   (a simulated core is never halted by a debugger).
 * - WDOGLOAD = 0, which the TRM calls invalid (the minimum valid value is 1): the
 *   write is stored and reported as an `unimplemented` event (`WDOGLOAD=0`); see A6.
 *
 * Ambiguities of the manual, and how they were decided (test that pins each, in
 * test/devices/cmsdk-apb-watchdog/):
 * A1 Second expiry. The TRM says the reset is asserted "and the counter is stopped"
 *    but also that the count continues. Decided (as QEMU): an expiry while WDOGRIS is
 *    still set latches a reset request and stops the counter; VALUE then holds 0.
 *    (CmsdkApbWatchdog.spec: 'A1 …')
 * A2 RESEN "acts as a mask" for WDOGRES. Decided (as QEMU): the request is latched
 *    whatever RESEN is; WDOGRES = request && RESEN, so setting RESEN later raises it
 *    and clearing RESEN lowers it. Only `reset()` clears the request (WDOGINTCLR
 *    clears the interrupt, not a reset already requested). ('A2 …')
 * A3 After the stop of A1, a reload (WDOGLOAD write, WDOGINTCLR, INTEN 0 -> 1) restarts
 *    the counter when INTEN is set: the TRM says a LOAD write restarts the count
 *    immediately. QEMU departs here (its counter stays stopped until INTEN is toggled).
 *    ('A3 …')
 * A4 Timing, from the TRM's counter description: the count decrements once per
 *    WDOGCLK; the first round after a (re)load lasts LOAD ticks, the interrupt is set
 *    on the 1 -> 0 step, the counter then rests at 0 for one tick and reloads, so later
 *    rounds last LOAD + 1 ticks (the Linux driver sizes its timeout the same way).
 *    VALUE reads like the hardware counter (LOAD right after the write, 1 until the
 *    expiry instant). This matches QEMU's qtest: at 40 ns/tick, LOAD = 1000, VALUE is
 *    500 at 500 ticks + 1 ns, RIS rises at 1000 ticks with VALUE 0, and VALUE reads
 *    1000 one tick later. ('A4 …')
 * A5 INTEN: a write that keeps INTEN at 1 does not reload ("reloads … when the
 *    interrupt is enabled, after previously being disabled"); INTEN 1 -> 0 stops the
 *    counter with VALUE frozen and keeps WDOGRIS (WDOGMIS reads 0). ('A5 …')
 * A6 WDOGLOAD = 0 (below the TRM's minimum): the counter holds 0 and never expires, so
 *    no interrupt and no reset (as QEMU), plus an `unimplemented` event. Note: Linux's
 *    SP805 restart handler writes LOAD = 0 then INTEN | RESEN expecting a prompt reset
 *    from real silicon; in this model it does not reset. ('A6 …')
 * A7 Access sizes: the registers are 32-bit APB registers and APB (AMBA 3) has no byte
 *    strobes, so byte, halfword and 8-byte accesses are refused as `bad-size` guest
 *    errors. QEMU accepts 1-4 byte accesses zero-padded. ('A7 …' in the guest-error spec)
 * A8 Lock: while locked, a write to any register but WDOGLOCK (WDOGITCR and WDOGITOP
 *    included) is a `locked` guest error; a write to a read-only register reports
 *    `read-only` first (RegisterBank's order). WDOGLOCK reads 1 when locked, 0 when not,
 *    never the key. (guest-error spec, 'A8 …')
 * A9 Integration test mode: with WDOGITCR.ENABLE set the outputs follow WDOGITOP; the
 *    counter, WDOGRIS and WDOGMIS keep working and the functional outputs return when
 *    test mode ends. WDOGITOP is write-only (a read is a `write-only` guest error).
 *    ('A9 …')
 * A10 WDOGCLK at 0 Hz stops the counter, VALUE frozen at its reading; when the clock
 *    runs again (or changes frequency while running) the count restarts from the value
 *    it read, with a fresh full tick (the partial tick is lost, as a ptimer period
 *    change does). This is the device kit's CounterRate rule, which the model uses.
 *    ('A10 …')
 *
 * Policy: W+O+R+D, the same as QEMU's (reference §3.2.4) in both variants; one reason per
 * flag at CMSDK_APB_WATCHDOG_POLICY below.
 *
 * Variants (`variant` option, #16): `'cmsdk'` (default) is the ARM block above;
 * `'luminary'` is the watchdog of TI Stellaris (Luminary Micro) LM3S parts, LM3S6965
 * datasheet, "Watchdog Timer" chapter (QEMU's `luminary-watchdog`, a cross-check only). It
 * is the same counter, interrupt, reset request and lock (A1-A6, A8, A10 hold unchanged);
 * its map is {@link LUMINARY_WATCHDOG_REGISTERS} (the CMSDK map is unchanged):
 * - WDOGTEST (WDTTEST, 0x418): bit 8 STALL stored and read back, the stall not modelled
 *   (above); the other bits reserved.
 * - No integration test registers: 0xF00/0xF04 are unmapped (guest errors), and the outputs
 *   are always the functional ones.
 * - The Luminary IDs: PeriphID4-7 0x00, PeriphID0-3 0x05 0x18 0x18 0x01, PCellID 0xB105F00D.
 * - WDOGCONTROL is writable only until INTEN is set: from then on every write to it is
 *   ignored until `reset()`, so the counter cannot be stopped and RESEN must be set before
 *   or with INTEN (datasheet: INTEN "can only be cleared by a hardware reset").
 * Ambiguities of the variant, and how they were decided (tests in
 * CmsdkApbWatchdog.luminary.spec.ts unless named):
 * L1 A write to WDOGCONTROL after INTEN is set. The datasheet and QEMU ignore it (QEMU
 *    without a log). Decided: ignored in every case; a write that would have changed the
 *    register (clear INTEN, set RESEN too late) is also a `locked` guest error, since the
 *    guest's intent silently failed; a write of the value it holds (StellarisWare's
 *    read-modify-write enable and reset-enable calls, repeated) is silent. ('L1 …')
 * L2 The lock: WDOGLOCK locks WDOGTEST like any other register; a locked write to
 *    WDOGCONTROL is a `locked` guest error whatever INTEN says (A8 first). ('L2 …')
 * L3 Whether a locked WDOGICR (WDOGINTCLR) write still clears the interrupt: no, as QEMU
 *    (and A8): it is a `locked` guest error. StellarisWare unlocks before it clears.
 *    (drivers spec, 'StellarisWare …')
 * L4 Clock: WDOGCLK is the system clock (80 ns at the LM3S reset SYSDIV, 12.5 MHz, which the
 *    catalogue's `luminary-watchdog` uses); a SYSCLK change at run time follows A10.
 *    (test/system/catalogue/catalogue.spec.ts, 'luminary-watchdog')
 * L5 Snapshots carry `variant`; a snapshot of one variant is refused by the other at
 *    `variant`. ('L5 …')
 *
 * Snapshots (#14): {@link CmsdkApbWatchdogSnapshot}, checked by one strict schema, by the
 * counter's own rules (`timer.<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it:
 * - `variant` is this watchdog's (L5);
 * - `wdogclkHz` is the WDOGCLK input's rate now; while it runs the counter ticks once per
 *   cycle (its period is what `setPeriodFromClock` gives at that rate, in its timing);
 * - the counter reloads from WDOGLOAD (`timer.limit` = WDOGLOAD);
 * - only a reset request halts the counter (`halted` implies `resetRequest`, A1);
 * - it is stopped while INTEN is 0, WDOGCLK is stopped or it is halted; otherwise it runs
 *   periodic, or holds 0 with WDOGLOAD = 0 (A6);
 * - WDOGLOCK holds the lock state, 0 or 1 (A8);
 * - WDOGVALUE and WDOGMIS store nothing (their reads are computed), WDOGINTCLR keeps no
 *   value, and the ID registers never change: they hold their reset values.
 *
 * Options: every one is checked (checkDeviceOptions): a `wdogclk` that is not a
 * ClockInput, an empty name, an unknown `delivery`, `timing` or `variant`, or an unknown key
 * is a DeviceConfigError naming `CmsdkApbWatchdog(options.<key>)`.
 * Events: besides guest errors and `unimplemented` reports, each delivery of an expiry is
 * an `expiry` trace event (timer `<name>.counter`), recorded before the watchdog acts on
 * it (sets WDOGRIS on the first, requests the reset on the second).
 *
 * Ordering: expiries are delivered with `delivery` ('sync' by default: WDOGRIS is set in
 * the expiry step itself, G1); 'bottom-half' exists only to show the LP #1777777 race.
 * An interrupt handler on `irq` that feeds the watchdog (WDOGINTCLR, behind an unlock)
 * during a sync expiry runs in the counter's callback context (G3): its reload applies
 * when the expiry returns, leaving the state a guest feeding right after would leave.
 */
import type { SchedulerLike } from 'rxjs';
import {
  checkDeviceOptions,
  CounterRate,
  deviceTimer,
  expectResetValues,
  expectRunningMode,
  expectSame,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  fieldHandle,
  refuseSnapshot,
  registerInfoOf,
  registerPath,
  restoreParts,
  snapshotBoolean,
  snapshotHz,
  snapshotField,
  snapshotPart,
  type AccessSize,
  type DeviceProbe,
  type DeviceSnapshot,
  type FieldHandle,
  type RegisterBankSnapshot,
  type RegisterDef,
  type RegisterInfo,
  type RegisterMap,
  type RegisterShape,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { IrqLine } from '../../src/irq/IrqLine';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { CMSDK_APB_WATCHDOG_REGISTERS, WDOG_UNLOCK_KEY } from './CMSDK_APB_WATCHDOG_REGISTERS';
import { LUMINARY_WATCHDOG_REGISTERS } from './LUMINARY_WATCHDOG_REGISTERS';

/** The counter's policy flags, one reason each (TRM counter description, A4). */
export const CMSDK_APB_WATCHDOG_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // the counter rests at 0 for one WDOGCLK tick before it reloads from WDOGLOAD
  'TRIGGER_ONLY_ON_DECREMENT', // only the 1 -> 0 step is a timeout: writing a count never raises the interrupt
  'NO_IMMEDIATE_RELOAD', // a count of 0 stays 0 for a tick instead of being replaced by WDOGLOAD at once
  'NO_COUNTER_ROUND_DOWN', // VALUE reads like the hardware counter (LOAD right after the write, 1 just before zero)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link CmsdkApbWatchdogSnapshot} format version (2: `variant` added, #16). */
export const CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION = 2;

/** The watchdog variants (see "Variants" in the module header). */
export const CMSDK_APB_WATCHDOG_VARIANTS = ['cmsdk', 'luminary'] as const;

/** A watchdog variant: `'cmsdk'`, the ARM block, or `'luminary'`, the TI Stellaris LM3S watchdog. */
export type CmsdkApbWatchdogVariant = (typeof CMSDK_APB_WATCHDOG_VARIANTS)[number];

/** The watchdog's whole state as plain, versioned data. */
export interface CmsdkApbWatchdogSnapshot extends DeviceSnapshot {
  readonly version: typeof CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION;
  /** The variant that took it; only a watchdog of the same variant restores it (L5). */
  readonly variant: CmsdkApbWatchdogVariant;
  /** The register bank: every register's stored value (WDOGLOCK holds the lock status, 1 = locked). */
  readonly registers: RegisterBankSnapshot;
  /** The counter; its limit is WDOGLOAD. */
  readonly timer: PTimerSnapshot;
  /** A reset has been requested (A1/A2): WDOGRES = this && RESEN. */
  readonly resetRequest: boolean;
  /** The counter was stopped by the reset request and not reloaded since (A1/A3). */
  readonly halted: boolean;
  /** WDOGCLK when the snapshot was taken; restore requires the clock input to be at it. */
  readonly wdogclkHz: number;
}

/** Options of {@link CmsdkApbWatchdog}. */
export interface CmsdkApbWatchdogOptions {
  /** The WDOGCLK input (frequency changeable at run time; 0 Hz = stopped). */
  readonly wdogclk: ClockInput;
  /** Instance name, the `source` of its events (default `'cmsdk-apb-watchdog'`, or `'luminary-watchdog'` for that variant). */
  readonly name?: string;
  /** Which block: `'cmsdk'` (default) or `'luminary'` (see "Variants" in the module header). */
  readonly variant?: CmsdkApbWatchdogVariant;
  /** Delivery of the counter's expiries: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9/WDOGCLK ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/**
 * Every register of either variant's map. The bank holds one variant's map; the device
 * names a register of one variant only (WDOGITCR, WDOGITOP; WDOGTEST) under that variant.
 */
type Registers = RegisterShapeOf<typeof CMSDK_APB_WATCHDOG_REGISTERS> & RegisterShapeOf<typeof LUMINARY_WATCHDOG_REGISTERS>;

/** What differs between the variants' maps, as data. */
interface VariantMap {
  readonly map: RegisterMap<Registers>;
  /** The map's registers as {@link RegisterInfo}, shared by every instance. */
  readonly info: readonly RegisterInfo[];
  /** Registers the device never changes: computed reads (WDOGVALUE, WDOGMIS), WDOGINTCLR (keeps nothing) and the ID registers. */
  readonly fixed: readonly RegisterDef[];
  /** The fields the expiry and IRQ paths read and store, looked up once; the test fields only where the variant has them. */
  readonly handles: {
    readonly rawInt: FieldHandle<Registers>;
    readonly inten: FieldHandle<Registers>;
    readonly resen: FieldHandle<Registers>;
    readonly itcrEnable: FieldHandle<Registers> | undefined;
    readonly itopInt: FieldHandle<Registers> | undefined;
    readonly itopRes: FieldHandle<Registers> | undefined;
  };
}

/** A field of `map`, if it has the register (the variants differ in their test registers). */
const optionalField = (map: RegisterMap<Registers>, register: 'WDOGITCR' | 'WDOGITOP', field: string): FieldHandle<Registers> | undefined =>
  Object.hasOwn(map.byName, register) ? fieldHandle(map, register, field as never) : undefined;

const variantMap = (shape: RegisterMap<RegisterShape>): VariantMap => {
  // Only the registers this variant has are named by the device under it (see Registers).
  const map = shape as unknown as RegisterMap<Registers>;
  return {
    map,
    info: registerInfoOf(shape),
    fixed: shape.registers.filter((r) => r.name === 'WDOGINTCLR' || (r.access === 'ro' && r.name !== 'WDOGRIS')),
    handles: {
      rawInt: fieldHandle(map, 'WDOGRIS', 'RAWINT'),
      inten: fieldHandle(map, 'WDOGCONTROL', 'INTEN'),
      resen: fieldHandle(map, 'WDOGCONTROL', 'RESEN'),
      itcrEnable: optionalField(map, 'WDOGITCR', 'ENABLE'),
      itopInt: optionalField(map, 'WDOGITOP', 'WDOGINT'),
      itopRes: optionalField(map, 'WDOGITOP', 'WDOGRES'),
    },
  };
};

const MAPS: Readonly<Record<CmsdkApbWatchdogVariant, VariantMap>> = {
  cmsdk: variantMap(CMSDK_APB_WATCHDOG_REGISTERS),
  luminary: variantMap(LUMINARY_WATCHDOG_REGISTERS),
};

const LOAD_RESET = CMSDK_APB_WATCHDOG_REGISTERS.byName.WDOGLOAD.reset;
const CONTROL = CMSDK_APB_WATCHDOG_REGISTERS.byName.WDOGCONTROL;
/** WDOGCONTROL's stored bits (INTEN, RESEN): a Luminary write is compared on these (L1). */
const CONTROL_BITS = CONTROL.fieldByName.INTEN.mask | CONTROL.fieldByName.RESEN.mask;

/** What the watchdog keeps besides its registers and counter, from a parsed snapshot. */
interface Flags {
  readonly resetRequest: boolean;
  readonly halted: boolean;
}

/**
 * The invariants of the module header ("Snapshots"), on a snapshot the schema and the counter accepted.
 * @param r - the snapshot's register values
 * @param fixed - the variant's registers that never change
 * @param timer - the counter's part
 * @param flags - the reset request and the halt
 * @param hz - WDOGCLK now (the snapshot's `wdogclkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (r: Readonly<Record<string, number>>, fixed: readonly RegisterDef[], timer: TimerPartView, flags: Flags, hz: number): void => {
  expectResetValues(r, fixed);
  if (r['WDOGLOCK'] !== 0 && r['WDOGLOCK'] !== 1) refuseSnapshot(registerPath('WDOGLOCK'), r['WDOGLOCK'], 'must be 0 (unlocked) or 1 (locked)');
  const load = r['WDOGLOAD']!;
  expectTimerLimit(timer, load, `(${registerPath('WDOGLOAD')}: the counter reloads from WDOGLOAD)`);
  if (hz > 0) expectTimerPeriod(timer, hz, 1, `of one WDOGCLK cycle at wdogclkHz ${hz}`);
  if (flags.halted && !flags.resetRequest) refuseSnapshot('halted', true, 'must be false while resetRequest is false: only a reset request halts the counter (A1)');
  const inten = (r['WDOGCONTROL']! & CMSDK_APB_WATCHDOG_REGISTERS.byName.WDOGCONTROL.fieldByName.INTEN.mask) !== 0;
  if (!inten || hz === 0 || flags.halted) {
    expectTimerMode(
      timer,
      ['stopped'],
      `while ${registerPath('WDOGCONTROL', 'INTEN')} is ${inten ? 1 : 0}, wdogclkHz is ${hz} and halted is ${flags.halted} (it counts only under INTEN with WDOGCLK running, not halted)`,
    );
    return;
  }
  expectRunningMode(timer, false, 'while it counts (the watchdog reloads from WDOGLOAD, A4)');
  if (timer.mode === 'stopped' && load !== 0) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be 'periodic' while ${registerPath('WDOGCONTROL', 'INTEN')} is 1, WDOGCLK runs and halted is false, unless ${registerPath('WDOGLOAD')} is 0 (A6; it is ${load})`,
    );
  }
};

/** The CMSDK APB watchdog (see the module header). */
export class CmsdkApbWatchdog extends KitDevice<Registers, {
  /** WDOGINT, {@link CmsdkApbWatchdog.irq}: the watchdog interrupt. */
  wdogint: IrqLine;
  /** WDOGRES, {@link CmsdkApbWatchdog.wdogres}: the reset request, high until `reset()`. */
  wdogres: IrqLine;
}> {
  /**
   * Creates the watchdog with its registers at their reset values, the counter loaded with WDOGLOAD's reset value and stopped (INTEN is 0).
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - WDOGCLK input, name, trigger delivery, timing, variant
   * @throws DeviceConfigError for a `wdogclk` that is not a ClockInput, an empty name, an unknown `delivery`, `timing` or `variant`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: CmsdkApbWatchdogOptions) {
    checkDeviceOptions('CmsdkApbWatchdog', options, {
      wdogclk: 'clock',
      name: 'name?',
      delivery: 'delivery?',
      timing: 'timing?',
      variant: { oneOf: CMSDK_APB_WATCHDOG_VARIANTS, optional: true },
    });
    const variant = options.variant ?? 'cmsdk';
    super(scheduler, options.name ?? (variant === 'cmsdk' ? 'cmsdk-apb-watchdog' : 'luminary-watchdog'));
    this.variant = variant;
    this.maps = MAPS[variant];
    this.registers = this.maps.info;
    this.wdogclk = options.wdogclk;
    // Expiries reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: CMSDK_APB_WATCHDOG_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.wdogint`);
    this.wdogres = new IrqLine(`${this.name}.wdogres`);
    this.attachBank(
      this.maps.map,
      {
        WDOGLOAD: { write: (value) => this.onLoad(value) },
        WDOGVALUE: { read: () => this.timer.getCountNumber() },
        WDOGCONTROL: { fields: { INTEN: { change: (inten) => this.onInten(inten === 1) } } },
        WDOGINTCLR: {
          write: () => {
            this.bank.set('WDOGINTCLR', 0); // nothing is stored: the write is the event
            this.bank.setField('WDOGRIS', 'RAWINT', 0);
            this.reload();
          },
        },
        WDOGMIS: { read: () => this.bank.field('WDOGRIS', 'RAWINT') & this.bank.field('WDOGCONTROL', 'INTEN') },
        WDOGLOCK: { write: (value) => this.bank.set('WDOGLOCK', value === WDOG_UNLOCK_KEY ? 0 : 1) },
      },
      {
        // TRM: while locked, every register but WDOGLOCK ignores writes (A8); Luminary: so does
        // WDOGCONTROL once INTEN is set (L1; `write` lets a write of the held value through silently).
        locked: (register) =>
          (register !== 'WDOGLOCK' && this.bank.get('WDOGLOCK') === 1) || (register === 'WDOGCONTROL' && this.controlFrozen()),
      },
    );
    this.timer.transaction((t) => t.setLimit(LOAD_RESET, true));
    this.lifetime.add(this.wdogclk.watch((hz) => this.onClock(hz)));
    this.onClock(this.wdogclk.hz);
  }

  override write(offset: number, size: AccessSize, value: number): void {
    // L1: a frozen Luminary WDOGCONTROL ignores a write of the value it holds without an event.
    const unchanged = offset === CONTROL.offset && size === 4 && ((value >>> 0) & CONTROL_BITS) === this.bank.get('WDOGCONTROL');
    if (unchanged && this.controlFrozen() && this.bank.get('WDOGLOCK') === 0) return;
    super.write(offset, size, value);
  }

  /** Hardware reset: registers from the map's reset values, the counter stopped at WDOGLOAD's reset value, WDOGRES low. */
  override reset(): void {
    this.timer.transaction((t) => {
      t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
      t.setLimit(LOAD_RESET, true);
    });
    this.bank.reset();
    this.resetRequest = false;
    this.halted = false;
    this.updateIrq();
  }

  snapshot(): CmsdkApbWatchdogSnapshot {
    return {
      device: this.name,
      version: CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION,
      variant: this.variant,
      registers: this.bank.snapshot(),
      timer: this.timer.snapshot(),
      resetRequest: this.resetRequest,
      halted: this.halted,
      wdogclkHz: this.rate.hz,
    };
  }

  /**
   * Loads a {@link CmsdkApbWatchdogSnapshot} taken at the clock's current time by a watchdog
   * of this name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: another
   *   variant's snapshot (at `variant`, checked first), the format (strict), a WDOGCLK mismatch, the counter's own rules (`timer.<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    // L5: the variant first, so another variant's snapshot is refused there, not at the first register the maps differ in.
    if (typeof snapshot === 'object' && snapshot !== null && 'variant' in snapshot) expectSame('variant', snapshot.variant, this.variant, "this watchdog's variant");
    const variant = this.variant;
    // The schema depends on the variant only through the bank's schema, which is the variant map's (the cache key).
    const s = this.parseSnapshot(snapshot, { device: 'CmsdkApbWatchdog', version: CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION }, () => ({
      variant: snapshotField<CmsdkApbWatchdogVariant>((v) => v === variant, `must be '${variant}', this watchdog's variant`),
      timer: snapshotPart(),
      resetRequest: snapshotBoolean(),
      halted: snapshotBoolean(),
      wdogclkHz: snapshotHz(),
    }));
    expectSame('wdogclkHz', s.wdogclkHz, this.rate.hz, "the WDOGCLK input's frequency now");
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(s.registers.registers, this.maps.fixed, timer, s, this.rate.hz);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.resetRequest = s.resetRequest;
    this.halted = s.halted;
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** WDOGINT: the watchdog interrupt. */
  readonly irq: IrqLine;
  /** WDOGRES: the reset request, high until `reset()` (A2). */
  readonly wdogres: IrqLine;
  /** The registers of the variant's map ({@link CMSDK_APB_WATCHDOG_REGISTERS} or {@link LUMINARY_WATCHDOG_REGISTERS}), in map order. */
  readonly registers: readonly RegisterInfo[];

  // ---- private ------------------------------------------------------------------

  /** The counter reached zero (in the timer's callback context when delivery is sync). */
  private onExpiry(): void {
    const { rawInt } = this.maps.handles;
    if (this.bank.fieldAt(rawInt) === 0) {
      this.bank.setFieldAt(rawInt, 1);
    } else {
      // A1: the interrupt was not serviced in time: request a reset and stop the counter.
      this.resetRequest = true;
      this.halted = true;
      this.timer.transaction((t) => t.stop());
    }
    this.updateIrq();
  }

  /** WDOGLOAD write: new reload value, and the count restarts from it (A3, A6). */
  private onLoad(value: number): void {
    if (value === 0) {
      this.outlet.record({
        kind: 'unimplemented',
        time: this.scheduler.now(),
        source: this.name,
        offset: CMSDK_APB_WATCHDOG_REGISTERS.byName.WDOGLOAD.offset,
        feature: 'WDOGLOAD=0',
      });
    }
    this.halted = false;
    this.timer.transaction((t) => {
      t.setLimit(value, true);
      this.runIfEnabled(t);
    });
  }

  /** WDOGINTCLR, or INTEN rising: the count restarts from WDOGLOAD (A3). */
  private reload(): void {
    this.halted = false;
    this.timer.transaction((t) => {
      t.setCount(t.getLimit());
      this.runIfEnabled(t);
    });
  }

  /** INTEN changed: rising reloads and starts the counter, falling stops it (A5). */
  private onInten(enabled: boolean): void {
    if (enabled) this.reload();
    else this.timer.transaction((t) => t.stop());
  }

  /** WDOGCLK changed: 0 Hz stops the counter, any other rate re-times it (A10: the kit's CounterRate rule). */
  private onClock(hz: number): void {
    this.timer.transaction((t) => {
      this.rate.apply(t, hz); // first: a new period latches the running count (reference §5.2 pitfall 3)
      this.runIfEnabled(t);
    });
  }

  /** Last step of a change: the counter runs while INTEN is set, no reset request halted it, and WDOGCLK runs. */
  private runIfEnabled(t: PTimer): void {
    if (this.bank.fieldAt(this.maps.handles.inten) === 1 && !this.halted && this.rate.running) t.run(false);
    else t.stop();
  }

  /** Luminary: WDOGCONTROL no longer takes writes once INTEN is set, until `reset()` (L1). */
  private controlFrozen(): boolean {
    return this.variant === 'luminary' && this.bank.fieldAt(this.maps.handles.inten) === 1;
  }

  /**
   * The output lines by TRM signal name: `wdogint` is {@link CmsdkApbWatchdog.irq},
   * `wdogres` {@link CmsdkApbWatchdog.wdogres}.
   */
  protected createLines() {
    return { wdogint: this.irq, wdogres: this.wdogres };
  }

  /** `value` (32 bits): what a guest read of WDOGVALUE returns now (the count), read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // WDOGVALUE's read hook is the count itself: reading it has no side effect.
    return [timerProbe(this.timer, { name: 'value', width: 32 })];
  }

  /** The one place both outputs are computed (STYLE.md 18), called at the end of every state change. */
  protected updateIrq(): void {
    // The Luminary block has no integration test mode.
    const h = this.maps.handles;
    const test = this.variant === 'cmsdk' && this.bank.fieldAt(h.itcrEnable!) === 1;
    const inten = this.bank.fieldAt(h.inten) === 1;
    const resen = this.bank.fieldAt(h.resen) === 1;
    this.irq.set(test ? this.bank.fieldAt(h.itopInt!) === 1 : inten && this.bank.fieldAt(h.rawInt) === 1);
    this.wdogres.set(test ? this.bank.fieldAt(h.itopRes!) === 1 : resen && this.resetRequest);
  }

  /** Which block this is (see "Variants" in the module header). */
  readonly variant: CmsdkApbWatchdogVariant;
  /** The counter (exposed for tests and traces; guests see it through WDOGVALUE). */
  readonly timer: PTimer;
  /** The WDOGCLK input. */
  readonly wdogclk: ClockInput;
  private readonly maps: VariantMap;
  private readonly rate = new CounterRate();
  private resetRequest = false;
  private halted = false;
}
