/**
 * Xilinx LogiCORE IP AXI Timer (axi_timer): two 32-bit up/down timer/counters (timer 0 at
 * +0x00, timer 1 at +0x10) on an AXI4-Lite slave, clocked by S_AXI_ACLK (no prescaler), with
 * generate and capture modes and one interrupt output.
 *
 * Manual: Xilinx "AXI Timer v2.0 LogiCORE IP Product Guide", PG079 (register set and behaviour
 * as in the XPS Timer/Counter data sheet, DS573, and the AXI Timer v1.x data sheet, DS764).
 * QEMU's hw/timer/xilinx_timer.c (which models the XPS core) was a cross-check, behaviour only;
 * where it departs from the manual the manual is followed (ambiguities 1, 3, 4, 6, 7).
 *
 * Outputs: `interrupt` (the core's Interrupt pin) = OR over the timers of TnINT && ENITn
 * (`anyOf`, the one place they are combined); `timer0Irq` and `timer1Irq` are the two terms,
 * which the core does not bring out separately.
 *
 * Timing model (ptimer policy W+O+R+D, see {@link XILINX_AXI_TIMER_POLICY}). One clock =
 * one S_AXI_ACLK period. The ptimer counts the clocks left until the counter's carry: a
 * down-counter showing TCR is TCR + 1 clocks from its carry (the step 0 → 0xFFFFFFFF), an
 * up-counter 2^32 − TCR (the step 0xFFFFFFFF → 0); ptimer count 0 is the carry state, in
 * which TCR shows 0xFFFFFFFF (down) or 0 (up). So TCR = (count − 1) mod 2^32 counting down
 * and (2^32 − count) mod 2^32 counting up. In generate mode the carry sets TnINT and, with
 * ARHT, the counter shows the carry value for one clock and then TLR again: a period is
 * TLR + 2 clocks down, 0xFFFFFFFF − TLR + 2 up (PG079's PWM period formulas); without ARHT
 * it holds the carry value. In capture mode the counter wraps (2^32 clocks) without an
 * interrupt. At a clock edge a read still shows the value before the edge (the new one shows
 * from 1 ns after), except that the carry value shows from the edge itself, together with
 * TnINT (G1); see ambiguity 2.
 *
 * Timing: exact by default (`timing` option): a clock is exactly 10^9/S_AXI_ACLK ns and the
 * k-th clock of a count started at A ends at ⌊A + k·clock⌋. At the catalogue's 100 MHz
 * (10 ns) both timings agree; an S_AXI_ACLK that is not a whole number of ns per clock
 * (24 MHz: 41⅔ ns; 33.333 MHz) is where they differ: `timing: 'qemu'` reproduces QEMU's
 * arithmetic (the clock at 2^-32 ns, each countdown floored to whole ns: the k-th
 * interrupt up to k ns early) (test/devices/catalogue.timing.spec.ts).
 *
 * Not modelled:
 * - PWM mode (PWMAn), cascade mode (CASC, one 64-bit counter) and the GenerateOut pins
 *   (GENTn): the bits are stored and read back, the counters keep running as two independent
 *   32-bit counters, and each write of a 1 to one of them is reported as an `unimplemented`
 *   event (`TCSR0.PWMA0`, `TCSR0.CASC`, `TCSR1.GENT1`, …);
 * - the Freeze input, the CaptureTrig polarity generics and the input synchronisers: a
 *   capture (see {@link XilinxAxiTimer.capture}) takes the count at the instant it is called;
 * - counter widths below 32 bits (C_COUNT_WIDTH) and the one-timer-only configuration;
 * - the address decoder's aliasing (only S_AXI_AWADDR[4:0] is decoded): offsets from 0x20
 *   are `unmapped` guest errors here;
 * - S_AXI_ACLK above 2 GHz (far beyond any FPGA fabric): a period of TLR + 2 clocks could be
 *   shorter than the 1 ns time step, which QEMU timing cannot schedule (it floors each
 *   period's fraction, so such a period would re-fire at one instant forever); the limit
 *   holds in exact timing too, so both timings model the same device. At such a
 *   frequency the counters freeze as at 0 Hz, and each change to one (after construction)
 *   emits an `unimplemented` event `S_AXI_ACLK above 2 GHz` (offset 0: no register is
 *   involved).
 *   Pinned: "S_AXI_ACLK above 2 GHz" (spec).
 *
 * Guest accesses the model refuses (RegisterBank guest errors: read 0, nothing changes):
 * 0x0C, 0x1C and offsets from 0x20 `unmapped`; 1-, 2- and 8-byte accesses `bad-size`; 4-byte
 * accesses not aligned to 4 `misaligned`; writes to TCR0/TCR1 `read-only`. No lock. Writes to
 * the reserved bits (TCSR0[31:12], TCSR1[31:11]) are ignored silently.
 *
 * Ambiguities of the manual, and how they are decided (the test that pins each is named;
 * "(spec)" is test/devices/xilinx-axi-timer/XilinxAxiTimer.spec.ts):
 * 1. When TnINT rises and what TCR shows around the rollover: PG079 says the interrupt comes
 *    from the counter "rolling over" and gives a period of TLR + 2 (down) or MAX − TLR + 2 (up)
 *    clocks. Here TnINT rises at the instant TCR steps into the carry value (0xFFFFFFFF down,
 *    0 up), which it shows for one clock before TLR is reloaded. (QEMU, with the legacy
 *    ptimer policy, interrupts every TLR + 1 clocks and reads one less between edges.)
 *    Pinned: "generate mode, counting down" and "generate mode, counting up" (spec).
 * 2. Reads at a clock edge show the value before the edge (the edge's new value from 1 ns
 *    after); the carry value shows from its edge, with TnINT, and so does the reload out of a
 *    carry state the counter was restarted in (ARHT set on a held counter, ENT or the clock
 *    back on during the carry clock), since no count-down leads to it. Pinned: same tests,
 *    "hold mode stops at the carry value" and "a frequency change at run time" (spec).
 * 3. Hold (ARHT = 0): the counter stops at the carry value and TnINT is set. Writing 1 to
 *    TnINT clears it and it stays clear (PG079's write-1-to-clear). Old versions of the
 *    vendor's standalone driver disable the timer and pulse LOAD before acknowledging, citing
 *    a hardware fault; that sequence works here too. A held counter restarts only through
 *    LOAD (or by setting ARHT, which reloads TLR one clock later without a new TnINT); ENT
 *    0 → 1 alone leaves it held. QEMU restarts on every TCSR write with ENT. Pinned: "hold
 *    mode stops at the carry value" (spec) and the xtmrctr "one-shot (no AUTO_RELOAD)" tests
 *    (XilinxAxiTimer.drivers.spec.ts).
 * 4. LOAD is a level, not a pulse: while it is 1 the counter shows TLR (following TLR
 *    writes) and does not count; counting starts when it is cleared with ENT set, the first
 *    step one clock later (QEMU ignores LOAD and loads TLR at each write with ENT). Pinned:
 *    "LOAD holds TCR at TLR" (spec).
 * 5. ENALL is mirrored in both TCSRs: a TCSR write with ENALL = 1 sets ENALL in both and sets
 *    ENT0 and ENT1 (also when the written value has ENT = 0); a TCSR write with ENALL = 0
 *    clears ENALL in both and leaves the other timer's ENT as it was. Pinned: "ENALL" (spec).
 * 6. TnINT is write-1-to-clear (PG079): a TCSR write with TnINT = 0 leaves it set. QEMU clears
 *    it on any TCSR write. Pinned: "TINT is write-1-to-clear" (spec) and the driver tests.
 * 7. ENT = 0 stops the counter at the value it shows (QEMU ignores ENT = 0); re-enabling
 *    resumes from it with a full clock (the partial clock is lost, as in the ptimer).
 *    Pinned: "ENT = 0 freezes the counter" (spec).
 * 8. UDT changed while counting: TCR keeps the value it shows and counts the other way from
 *    it (a full clock later); a counter in its carry state stays there. Pinned: "changing UDT
 *    keeps TCR" (spec).
 * 9. Capture mode: the counter runs free and wraps after 2^32 clocks (TLR holds captures, so
 *    nothing is reloaded); the rollover does not set TnINT. A capture needs MDT, CAPT and ENT
 *    set and S_AXI_ACLK running; it copies TCR into TLR and sets TnINT, except with ARHT = 0
 *    while TnINT is still set, when the first capture is kept. Pinned: "capture mode" (spec).
 * 10. Narrow accesses: the AXI4-Lite data path is 32 bits and PG079 says nothing of byte
 *    lanes; 1- and 2-byte accesses are `bad-size` guest errors (QEMU accepts only 4 bytes
 *    too). Pinned: XilinxAxiTimer.guestErrors.spec.ts.
 * 11. S_AXI_ACLK stopped (0 Hz, or above the 2 GHz the model supports): the counters freeze at
 *    the values they show (ENT keeps its value) and resume with a full clock when it
 *    restarts; no capture is taken. This is the device kit's CounterRate rule, each counter's
 *    CounterRate being given 0 Hz for a clock beyond the model. Pinned: "S_AXI_ACLK at 0 Hz
 *    freezes the counters" (spec).
 * 12. TLR written during the one-clock carry state of an auto-reloading counter: the counter
 *    then reloads the value TLR had when the carry happened; the new value takes effect at
 *    the next rollover (a simplification of the ptimer's reload). Pinned: "TLR written in
 *    the carry clock" (spec).
 * 13. TnINT is set whatever ENITn says (PG079: ENIT masks the output only); the output
 *    follows ENITn at once when it changes. Pinned: "ENIT masks the output, not TINT" (spec).
 *
 * Snapshots (#14): {@link XilinxAxiTimerSnapshot}, checked by one strict schema, by each
 * counter's own rules (`timers[i].<field>`), and by the invariants that hold by construction,
 * each refused at the field that breaks it (for each counter, from its TCSR and TLR):
 * - `aclkHz` is the S_AXI_ACLK input's rate now; while it is within the model the counter
 *   ticks once per clock (the period `setPeriodFromClock` gives at that rate, in its timing);
 * - ENALL is the same in both TCSRs, and sets ENT in both (ambiguity 5);
 * - the ptimer reloads the clocks from TLR to the carry (generate mode) or a whole wrap
 *   (capture mode), and never counts more than a wrap (2^32 clocks) and one (see `checkCounter`);
 * - LOAD holds the counter stopped at TLR (ambiguity 4);
 * - the counter is stopped while ENT is 0, LOAD is 1 or the clock is stopped (or beyond the
 *   model); running, it is one-shot exactly in hold mode (MDT and ARHT 0); stopped under ENT
 *   otherwise, it is a hold-mode counter held at its carry (ambiguity 3);
 * - TCR0/TCR1 store nothing (their reads are the counts): they hold 0.
 *
 * Device kit: every option is checked (`checkDeviceOptions`: unknown keys are errors); each
 * counter's expiries come through `channelTimer` (`deviceTimer` with one shared handler), which records the `expiry` event (`timer`
 * `<name>.timer0`/`.timer1`) before TnINT is set and surfaces an error on the expiry path
 * from the clock call (G5); a guest access made from an interrupt listener during a sync
 * expiry joins the counter's callback context; events go out through an `EventOutlet`
 * (`traceTo`); `dispose()` releases both counters and the S_AXI_ACLK listener.
 */
import type { SchedulerLike } from 'rxjs';
import {
  deviceHooks,
  checkDeviceOptions,
  CounterRate,
  DeviceConfigError,
  checkTimerPart,
  channelTimer,
  expectResetValues,
  expectRunningMode,
  expectTimerCountAtMost,
  expectTimerLimit,
  expectTimerMode,
  expectTimerPeriod,
  refuseSnapshot,
  registerHandle,
  registerPath,
  snapshotHz,
  snapshotPart,
  snapshotTuple,
  expectSame,
  registerInfoOf,
  restoreParts,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterBankSnapshot,
  type RegisterHandle,
  type RegisterInfo,
  type RegisterShapeOf,
  type TimerPartView,
  type TriggerDelivery,
} from '../../src/bus';
import { KitDevice } from '../../src/bus/kit/KitDevice';
import { timerProbe } from '../../src/bus/kit/timerProbe';
import type { ClockInput } from '../../src/clock/ClockInput';
import { anyOf, IrqLine, type IrqSignal } from '../../src/irq';
import type { PTimer, PTimerPolicy, PTimerSnapshot, PTimerTiming } from '../../src/ptimer';
import { XILINX_AXI_TIMER_REGISTERS } from './XILINX_AXI_TIMER_REGISTERS';

/**
 * The ptimer policy of both counters, one reason per flag (the ptimer count is the number of
 * clocks left until the carry; see the module header).
 */
export const XILINX_AXI_TIMER_POLICY = [
  // With ARHT the counter shows the carry value (0xFFFFFFFF down, 0 up) for one clock before
  // TLR is reloaded: a period is TLR + 2 clocks down, MAX − TLR + 2 up (PG079).
  'WRAP_AFTER_ONE_PERIOD',
  // Only the counter's own rollover sets TnINT; restarting from a carry value it already
  // signalled (ARHT set on a held counter, ENT or the clock back on in the carry clock) must not.
  'TRIGGER_ONLY_ON_DECREMENT',
  // A counter restarted in its carry state leaves it at the next clock edge, like the
  // hardware's reload, not at once.
  'NO_IMMEDIATE_RELOAD',
  // TCR shows the value of the current clock for the whole clock, not one step ahead.
  'NO_COUNTER_ROUND_DOWN',
] as const satisfies readonly PTimerPolicy[];

/** Options of {@link XilinxAxiTimer}. */
export interface XilinxAxiTimerOptions {
  /** The S_AXI_ACLK input, which both counters count; 0 Hz freezes them. */
  readonly aclk: ClockInput;
  /** Instance name: the `source` of its events (default `xilinx-axi-timer`). */
  readonly name?: string;
  /** How the counters' triggers reach the device: `sync` (default, G1) or the legacy `bottom-half`, for race tests only. */
  readonly delivery?: TriggerDelivery;
  /**
   * How both counters keep time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9/S_AXI_ACLK ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

/** Current {@link XilinxAxiTimerSnapshot} format version. */
export const XILINX_AXI_TIMER_SNAPSHOT_VERSION = 1;

/** The device's state as plain, versioned data. */
export interface XilinxAxiTimerSnapshot extends DeviceSnapshot {
  readonly version: typeof XILINX_AXI_TIMER_SNAPSHOT_VERSION;
  /** S_AXI_ACLK when it was taken: the counters' periods depend on it, so restore requires the same. */
  readonly aclkHz: number;
  /** The register bank: every register's stored value (TCR0/TCR1 store nothing: the counts are in `timers`). */
  readonly registers: RegisterBankSnapshot;
  /** Timer 0's and timer 1's ptimers. */
  readonly timers: readonly [PTimerSnapshot, PTimerSnapshot];
}

type Registers = RegisterShapeOf<typeof XILINX_AXI_TIMER_REGISTERS>;

/** The registers of each timer/counter by role (TCSRn, TLRn, TCRn), timer 0 first. */
const TIMER_REGISTERS = XILINX_AXI_TIMER_REGISTERS.channels.TIMER;

interface Counter {
  readonly index: 0 | 1;
  readonly reg: (typeof TIMER_REGISTERS)[number];
  /** Its TCSR, looked up once: read at every IRQ update and expiry (#19). */
  readonly tcsr: RegisterHandle<RegisterShapeOf<typeof XILINX_AXI_TIMER_REGISTERS>>;
  readonly timer: PTimer;
  /** The period from S_AXI_ACLK (the kit's 0 Hz rule). */
  readonly rate: CounterRate;
  readonly line: IrqLine;
}

/** A change to one counter, applied in one transaction by `program`. */
interface CounterChange {
  /** New ptimer count (clocks to the carry). */
  count?: number;
}

// Bits 10:0 sit at the same positions in TCSR0 and TCSR1.
const F = XILINX_AXI_TIMER_REGISTERS.byName.TCSR0.fieldByName;
const MDT = F.MDT0.mask;
const UDT = F.UDT0.mask;
const CAPT = F.CAPT0.mask;
const ARHT = F.ARHT0.mask;
const LOAD = F.LOAD0.mask;
const ENIT = F.ENIT0.mask;
const ENT = F.ENT0.mask;
const TINT = F.T0INT.mask;
const ENALL = F.ENALL.mask;
const CAPTURING = MDT | CAPT | ENT;

/**
 * The fastest S_AXI_ACLK modelled: up to 2 GHz the shortest period (2 clocks) is at least the
 * 1 ns time step (see "Not modelled" in the module header).
 */
const MAX_ACLK_HZ = 2_000_000_000;
/** Whether the counters are clocked: S_AXI_ACLK running, and not beyond the model. */
const clocked = (hz: number): boolean => hz > 0 && hz <= MAX_ACLK_HZ;

/** Counter states in one wrap (2^32), and the largest count. */
const WRAP = 2 ** 32;
const MAX = 0xffff_ffff;

const countsDown = (tcsr: number): boolean => (tcsr & UDT) !== 0;
/** Clocks from a TCR value to the carry: the ptimer count that shows it. */
const clocksToCarry = (tcr: number, down: boolean): number => (down ? tcr + 1 : WRAP - tcr);
/** The TCR value a ptimer count shows; count 0 is the carry state. */
const tcrOf = (count: number, down: boolean): number => (down ? (count + MAX) % WRAP : (WRAP - count) % WRAP);
/** What the counter reloads at its carry: TLR (generate) or the next value of a free-running wrap (capture). */
const reloadOf = (tcsr: number, tlr: number): number => ((tcsr & MDT) !== 0 ? MAX : clocksToCarry(tlr, countsDown(tcsr)));
/** Generate mode without ARHT: the counter holds at its carry (a one-shot ptimer). */
const holds = (tcsr: number): boolean => (tcsr & (MDT | ARHT)) === 0;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(XILINX_AXI_TIMER_REGISTERS);

/** Registers that store nothing: TCR0/TCR1 (their reads are the counts). */
const FIXED = TIMER_REGISTERS.map((reg) => XILINX_AXI_TIMER_REGISTERS.byName[reg.TCR]);

/**
 * The invariants of the module header ("Snapshots") for one counter, on a snapshot the schema
 * and the counter accepted.
 * @param r - the snapshot's register values
 * @param reg - the counter's registers by role
 * @param timer - its part
 * @param hz - S_AXI_ACLK now (the snapshot's `aclkHz`, already compared)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkCounter = (r: Readonly<Record<string, number>>, reg: (typeof TIMER_REGISTERS)[number], timer: TimerPartView, hz: number): void => {
  const tcsr = r[reg.TCSR]!;
  const tlr = r[reg.TLR]!;
  // A TCSR bit by its mask, named as in this counter's TCSR (bits 10:0 sit at the same positions in both).
  const bit = (mask: number): string => registerPath(reg.TCSR, XILINX_AXI_TIMER_REGISTERS.byName[reg.TCSR].fields.find((f) => f.mask === mask)!.name);
  expectTimerLimit(
    timer,
    reloadOf(tcsr, tlr),
    (tcsr & MDT) !== 0 ? `(a whole wrap less one: capture mode, ${bit(MDT)} 1)` : `(the clocks from ${registerPath(reg.TLR)} to the carry, counting as ${bit(UDT)} says)`,
  );
  expectTimerCountAtMost(timer, WRAP, '(a wrap, 2^32 clocks)');
  if (clocked(hz)) expectTimerPeriod(timer, hz, 1, `of one S_AXI_ACLK cycle at aclkHz ${hz}`);
  const loading = (tcsr & LOAD) !== 0;
  if (loading && timer.delta !== BigInt(clocksToCarry(tlr, countsDown(tcsr)))) {
    refuseSnapshot(
      `${timer.where}.delta`,
      timer.delta.toString(),
      `must be ${clocksToCarry(tlr, countsDown(tcsr))} while ${bit(LOAD)} is 1: LOAD holds the counter at ${registerPath(reg.TLR)} (ambiguity 4)`,
    );
  }
  const enabled = (tcsr & ENT) !== 0;
  if (!enabled || loading || !clocked(hz)) {
    expectTimerMode(timer, ['stopped'], `while ${bit(ENT)} is ${enabled ? 1 : 0}, ${bit(LOAD)} is ${loading ? 1 : 0} and aclkHz is ${hz} (it counts only under ENT, without LOAD, on a running clock)`);
    return;
  }
  const hold = holds(tcsr);
  expectRunningMode(timer, hold, `while ${bit(MDT)} is ${(tcsr & MDT) !== 0 ? 1 : 0} and ${bit(ARHT)} is ${(tcsr & ARHT) !== 0 ? 1 : 0} (one-shot exactly in hold mode)`);
  if (timer.mode === 'stopped' && (!hold || timer.delta !== 0n)) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${bit(ENT)} is 1 without LOAD on a running clock, unless it is a hold-mode counter held at its carry (${bit(ARHT)} 0, ${timer.where}.delta 0; here delta ${timer.delta})`,
    );
  }
};

/**
 * ENALL is mirrored in both TCSRs and sets ENT in both (ambiguity 5).
 * @throws RegisterSnapshotError at the TCSR that breaks it
 */
const checkEnall = (r: Readonly<Record<string, number>>): void => {
  const [t0, t1] = [TIMER_REGISTERS[0]!.TCSR, TIMER_REGISTERS[1]!.TCSR];
  const enall = (r[t0]! & ENALL) !== 0;
  if (((r[t1]! & ENALL) !== 0) !== enall) {
    refuseSnapshot(registerPath(t1), r[t1], `must have ENALL equal to ${registerPath(t0, 'ENALL')} (${enall ? 1 : 0}): ENALL is one bit seen in both TCSRs`);
  }
  for (const tcsr of [t0, t1]) {
    if (enall && (r[tcsr]! & ENT) === 0) refuseSnapshot(registerPath(tcsr), r[tcsr], `must have ENT set while ${registerPath(tcsr, 'ENALL')} is 1: ENALL enables both timers`);
  }
};

/**
 * The Xilinx AXI Timer (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery: a counter's rollover, its TnINT and the
 * interrupt output change in one step; G2/G3 hold because every register write changes a
 * counter in exactly one transaction per ptimer and the expiry callback opens none. `capture`
 * never touches a ptimer, so it may be called from anywhere, also from a trigger subscriber.
 * `bottom-half` breaks G1 on purpose (tests only).
 *
 * ## Example
 * ```ts
 * const aclk = new ClockInput('S_AXI_ACLK', 100_000_000); // 10 ns per clock
 * const timer = new XilinxAxiTimer(clock, { aclk });
 * timer.write(0x04, 4, 98);   // TLR0: a period of 98 + 2 = 100 clocks, counting down
 * timer.write(0x00, 4, 0x20); // TCSR0: LOAD
 * timer.write(0x00, 4, 0xd2); // TCSR0: ENT | ENIT | ARHT | UDT
 * clock.advanceTo(990);       // TCR0 steps 0 → 0xFFFFFFFF: T0INT set, interrupt high
 * ```
 */
export class XilinxAxiTimer extends KitDevice<Registers, {
  /** The core's Interrupt pin, {@link XilinxAxiTimer.interrupt}: the OR of the two timers' terms. */
  interrupt: IrqSignal;
  /** Timer 0's term, {@link XilinxAxiTimer.timer0Irq}: T0INT && ENIT0. */
  'timer0.irq': IrqSignal;
  /** Timer 1's term, {@link XilinxAxiTimer.timer1Irq}: T1INT && ENIT1. */
  'timer1.irq': IrqSignal;
}> {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - S_AXI_ACLK input, name, trigger delivery, timing
   * @throws DeviceConfigError for an `aclk` that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: XilinxAxiTimerOptions) {
    checkDeviceOptions('XilinxAxiTimer', options, { aclk: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'xilinx-axi-timer');
    this.aclk = options.aclk;
    this.counters = TIMER_REGISTERS.map((reg, i) => {
      const counter: Counter = {
        index: i as 0 | 1,
        reg,
        tcsr: registerHandle(XILINX_AXI_TIMER_REGISTERS, reg.TCSR),
        // Expiries reach onExpiry in the counter's expiry step, in its callback context (G1, G3).
        timer: channelTimer(scheduler, {
          device: this.name,
          name: `${this.name}.timer${i}`,
          policy: XILINX_AXI_TIMER_POLICY,
          delivery: options.delivery,
          timing: options.timing,
          owner: this,
          channel: i,
          onExpiry: XilinxAxiTimer.expired,
          events: this.outlet,
          lifetime: this.lifetime,
        }),
        rate: new CounterRate(),
        line: new IrqLine(`${this.name}.timer${i}.irq`),
      };
      return counter;
    });
    const [c0, c1] = this.counters as [Counter, Counter];
    this.attachBank(XILINX_AXI_TIMER_REGISTERS, XilinxAxiTimer.HOOKS);
    this.timer0Irq = c0.line;
    this.timer1Irq = c1.line;
    this.reset();
    // reset() applied the current frequency; each later change reprograms both counters at its instant.
    this.lifetime.add(this.aclk.watch((hz) => this.clockChanged(hz)));
  }

  /** Reset (S_AXI_ARESETN): every register 0, so both counters stopped, counting up from TCR = 0. */
  override reset(): void {
    this.bank.reset();
    const regs = XILINX_AXI_TIMER_REGISTERS.byName;
    for (const c of this.counters) {
      const tcsr = regs[c.reg.TCSR].reset;
      this.program(c, tcsr, { count: clocksToCarry(regs[c.reg.TCR].reset, countsDown(tcsr)) });
    }
    this.updateIrq();
  }

  snapshot(): XilinxAxiTimerSnapshot {
    const [c0, c1] = this.counters as [Counter, Counter];
    return {
      device: this.name,
      version: XILINX_AXI_TIMER_SNAPSHOT_VERSION,
      aclkHz: this.aclk.hz,
      registers: this.bank.snapshot(),
      timers: [c0.timer.snapshot(), c1.timer.snapshot()],
    };
  }

  /**
   * Loads a {@link XilinxAxiTimerSnapshot} taken at the current virtual time by a timer of
   * this name; all or nothing (everything is checked before anything changes).
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), an S_AXI_ACLK mismatch, a counter's own rules (`timers[i].<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'XilinxAxiTimer', version: XILINX_AXI_TIMER_SNAPSHOT_VERSION }, () => ({ aclkHz: snapshotHz(), timers: snapshotTuple([snapshotPart(), snapshotPart()], 'timer 0, timer 1') }));
    const hz = this.aclk.hz;
    expectSame('aclkHz', s.aclkHz, hz, "the S_AXI_ACLK input's frequency now");
    const now = this.scheduler.now();
    const views = this.counters.map((c) => checkTimerPart(c.timer, s.timers[c.index], `timers[${c.index}]`, now));
    const r = s.registers.registers;
    expectResetValues(r, FIXED);
    checkEnall(r);
    for (const c of this.counters) checkCounter(r, c.reg, views[c.index]!, hz);
    restoreParts([[this.bank, s.registers, 'registers'], ...this.counters.map((c) => [c.timer, s.timers[c.index], `timers[${c.index}]`] as const)]);
    // The timers' snapshots carry their periods, taken at this S_AXI_ACLK.
    for (const c of this.counters) c.rate.adopt(clocked(hz) ? hz : 0);
    this.updateIrq();
  }

  /**
   * The CaptureTrig input of timer `index` is asserted (an active edge, after the core's
   * polarity setting). In capture mode (MDT), with CAPT and ENT set and S_AXI_ACLK running,
   * TCR is copied into TLR and TnINT is set; with ARHT = 0 a capture while TnINT is still set
   * is ignored (the first capture is kept until the guest clears TnINT). Otherwise nothing
   * happens. Touches no ptimer, so it is safe anywhere (also from a trigger subscriber).
   * @param index - 0 or 1
   * @returns whether a capture was taken
   * @throws DeviceConfigError for an index other than 0 or 1
   */
  capture(index: 0 | 1): boolean {
    const c = index === 0 || index === 1 ? this.counters[index] : undefined;
    if (c === undefined) {
      throw new DeviceConfigError(index, 'must be 0 or 1 (the timer whose CaptureTrig input is asserted)', 'XilinxAxiTimer.capture(index)');
    }
    const tcsr = this.bank.get(c.reg.TCSR);
    if ((tcsr & CAPTURING) !== CAPTURING || !clocked(this.aclk.hz)) return false;
    if ((tcsr & TINT) !== 0 && (tcsr & ARHT) === 0) return false;
    // TLR is the capture register here; in capture mode the reload does not use it, so no ptimer changes.
    this.bank.set(c.reg.TLR, this.tcr(c));
    this.bank.set(c.reg.TCSR, (tcsr | TINT) >>> 0);
    this.updateIrq();
    return true;
  }

  /** Name of the instance: the `source` of its events. */
  /** The core's Interrupt output: `timer0Irq` OR `timer1Irq` (built on first use, #19). */
  get interrupt(): IrqSignal {
    return (this.combined ??= anyOf(`${this.name}.interrupt`, this.timer0Irq, this.timer1Irq));
  }
  /** Timer 0's term of the interrupt: T0INT && ENIT0 (not a pin of the core). */
  readonly timer0Irq: IrqSignal;
  /** Timer 1's term of the interrupt: T1INT && ENIT1 (not a pin of the core). */
  readonly timer1Irq: IrqSignal;
  /** The registers of {@link XILINX_AXI_TIMER_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;
  /** The S_AXI_ACLK input. */
  readonly aclk: ClockInput;

  /** The register hooks, one table for every instance (#19). */
  private static readonly HOOKS = (() => {
    const build = deviceHooks<XilinxAxiTimer>();
    return build.of(
      XILINX_AXI_TIMER_REGISTERS,
      build.channels(XILINX_AXI_TIMER_REGISTERS, 'TIMER', (i, reg) => ({
        TCSR: { write: (d, v, old) => d.writeTcsr(d.counters[i]!, v, old) },
        TLR: { write: (d) => d.program(d.counters[i]!, d.bank.get(reg.TCSR), {}) },
        TCR: { read: (d) => d.tcr(d.counters[i]!) },
      })),
    );
  })();

  private combined: IrqSignal | undefined;

  /** Every timer's handler (one function, no closure per timer, #19). */
  private static readonly expired = (d: XilinxAxiTimer, i: number): void => d.onExpiry(d.counters[i]!);

  /**
   * A counter reached its carry: in generate mode TnINT is set (whatever ENIT says); in
   * capture mode the wrap is silent. A holding counter's ptimer has stopped itself there.
   * Runs in the timer's callback context when delivery is sync.
   */
  private onExpiry(c: Counter): void {
    const tcsr = this.bank.getAt(c.tcsr);
    if ((tcsr & MDT) === 0) this.bank.setAt(c.tcsr, (tcsr | TINT) >>> 0);
    this.updateIrq();
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { interrupt: this.interrupt, 'timer0.irq': this.timer0Irq, 'timer1.irq': this.timer1Irq };
  }

  /**
   * `timer0.counter`, `timer1.counter` (32 bits): what guest reads of TCR0 and TCR1 return
   * now (counting up or down as UDT says), read without an access.
   */
  protected createProbes(): readonly DeviceProbe[] {
    // The TCRn read hooks are pure (the ptimer count mapped to the up or down TCR value): the probes reuse them.
    return this.counters.map((c) =>
      timerProbe(c.timer, {
        name: `timer${c.index}.counter`,
        width: 32,
        state: () => [countsDown(this.bank.get(c.reg.TCSR))] as const,
        value: (count, [down]) => tcrOf(Number(count), down),
      }),
    );
  }

  /** The one place the outputs are computed; called at the end of every state change. */
  protected updateIrq(): void {
    for (const c of this.counters) {
      const tcsr = this.bank.getAt(c.tcsr);
      c.line.set((tcsr & TINT) !== 0 && (tcsr & ENIT) !== 0);
    }
  }

  /** S_AXI_ACLK changed: both counters reprogrammed at this instant (a frequency beyond the model is reported). */
  private clockChanged(hz: number): void {
    if (hz > MAX_ACLK_HZ) {
      this.outlet.record({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset: 0, feature: 'S_AXI_ACLK above 2 GHz' });
    }
    for (const c of this.counters) this.program(c, this.bank.get(c.reg.TCSR), {});
  }

  /** TCSRn written (the bank stored it): ENALL's mirroring, then both counters as they need. */
  private writeTcsr(c: Counter, written: number, old: number): void {
    const other = this.counters[1 - c.index]!;
    const otherOld = this.bank.get(other.reg.TCSR);
    // ENALL = 1 sets ENALL and ENT in both TCSRs; ENALL = 0 clears it in both (ambiguity 5).
    const tcsr = (written & ENALL) !== 0 ? (written | ENT) >>> 0 : written;
    const otherTcsr = ((written & ENALL) !== 0 ? otherOld | ENALL | ENT : otherOld & ~ENALL) >>> 0;
    this.bank.set(c.reg.TCSR, tcsr);
    this.bank.set(other.reg.TCSR, otherTcsr);
    const change: CounterChange = {};
    if (((tcsr ^ old) & UDT) !== 0) {
      // The counter keeps the value it shows and counts the other way from it; the carry state stays (ambiguity 8).
      const count = c.timer.getCountNumber();
      change.count = count === 0 ? 0 : clocksToCarry(tcrOf(count, countsDown(old)), countsDown(tcsr));
    }
    this.program(c, tcsr, change);
    if (otherTcsr !== otherOld) this.program(other, otherTcsr, {});
  }

  /**
   * Applies a counter's TCSR, TLR and the clock to its ptimer in one transaction, in the order
   * that keeps every write (reference §5.2 pitfall 3): the period (the counter's CounterRate)
   * and stop first (both latch the running count), then count and reload value, then run. It counts when ENT is set,
   * LOAD is clear, the clock runs (within the model's range), and it is not a holding counter
   * at its carry.
   */
  private program(c: Counter, tcsr: number, change: CounterChange): void {
    const hz = this.aclk.hz;
    const tlr = this.bank.get(c.reg.TLR);
    const loading = (tcsr & LOAD) !== 0;
    // LOAD keeps TCR at TLR, following TLR writes (ambiguity 4).
    const count = loading ? clocksToCarry(tlr, countsDown(tcsr)) : change.count;
    const hold = holds(tcsr);
    const counts =
      (tcsr & ENT) !== 0 && !loading && clocked(hz) && !(hold && (count ?? c.timer.getCountNumber()) === 0);
    c.timer.transaction((t) => {
      // A clock beyond the model counts as stopped (ambiguity 11); an unchanged rate is a no-op.
      c.rate.apply(t, clocked(hz) ? hz : 0);
      if (!counts) t.stop();
      if (count !== undefined) t.setCount(count);
      t.setLimit(reloadOf(tcsr, tlr), false);
      if (counts) t.run(hold);
    });
  }

  /** TCRn as the guest reads it. */
  private tcr(c: Counter): number {
    return tcrOf(c.timer.getCountNumber(), countsDown(this.bank.getAt(c.tcsr)));
  }

  private readonly counters: readonly Counter[];
}
