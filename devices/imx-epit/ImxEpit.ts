/**
 * NXP i.MX EPIT (Enhanced Periodic Interrupt Timer): a 32-bit down-counter with a 12-bit
 * prescaler, a reload (LR) and a compare register (CMPR); OCIF is set when the counter
 * steps to CMPR.
 *
 * Manual: i.MX 6Dual/6Quad Applications Processor Reference Manual, IMX6DQRM, chapter
 * "Enhanced Periodic Interrupt Timer (EPIT)". QEMU's `imx_epit` was a cross-check of
 * behaviour only (no code); where this model departs from it, the entry says so.
 *
 * Output: `irq` = SR.OCIF && CR.OCIEN (E7).
 * Clocks: three ClockInputs, one per CLKSRC source (`ipg`, `ipgHighfreq`, `ipg32k`);
 * CLKSRC = 0 selects none (the counter stops). Counter rate = source / (PRESCALER + 1):
 * the timer's period is `setPeriodFromClock(source, PRESCALER + 1)`, the one way every
 * device sets a rate. The rule for a stopped or changed clock is the kit's CounterRate
 * rule (E8, E5), with CLKSRC = 0 as one more way to be at 0 Hz; the EPIT keeps the rate it
 * applied itself (it is part of its snapshot) and re-plans its segment on a change (see
 * "Structure").
 * Timing: exact by default (`timing` option): a counter cycle is exactly
 * (PRESCALER + 1)·10^9/source ns, so 24 MHz ÷ 24 is 1000 ns and seL4's 1 ms tick is 1 ms
 * ('seL4 …'). The catalogue's 66 MHz ipg (15 5/33 ns), 24 MHz ipgHighfreq (41⅔ ns) and
 * 32.768 kHz ipg32k (30 517.578125 ns) are not whole ns per cycle, so the timings differ
 * there: `timing: 'qemu'` reproduces QEMU's arithmetic (the source's period at 2^-32 ns
 * times the divider: 24 MHz ÷ 24 is 999.99999999 ns, each countdown floored to whole ns).
 * Segments follow one another without losing the fraction of a ns a segment end falls at
 * (see "Structure"), so a set-and-forget round of LR + 1 cycles keeps exact time too
 * (test/devices/catalogue.timing.spec.ts).
 * Options: all checked when the device is built (the kit's `checkDeviceOptions`): the three
 * inputs must be ClockInputs; a misspelt option, an empty name or an unknown `delivery` is a
 * DeviceConfigError naming it (options spec, '#13').
 *
 * Not modelled (and what accessing it does):
 * - The output pin (CR.OM): the bits store and read back; a non-zero write emits an
 *   `unimplemented` event `CR.OM`.
 * - Wait, doze, stop and debug modes (WAITEN, DOZEN, STOPEN, DBGEN): stored and read back,
 *   no effect (no low-power state exists here).
 * - The clock-domain synchronisation delays of the real block: writes act at once.
 *
 * Structure (decided): ONE PTimer, counting counter cycles in segments, not QEMU's two
 * timers. A segment runs from the current counter value down to the next event point:
 * CMPR (if below the value) or 0; a `wrap` segment is the cycle spent at 0 before the
 * reload (LR if RLD, else 0xFFFFFFFF). CNR = segment target + timer count (0 in a wrap).
 * The compare event is the end of a segment whose target is CMPR, so the counter step
 * and OCIF happen in one expiry step (G1), and there is no second timer whose
 * uncommitted count could be read (gitlab #1263 cannot happen by construction; CNR is
 * always read from the committed timer before a transaction opens).
 * While it counts, the timer runs periodic with the length of the NEXT segment as its
 * limit: at a segment end its own reload starts that segment at the end's exact instant
 * (in exact timing, its fraction of a ns included), and the expiry only plans the segment
 * after it; re-planning from the expiry instead would restart at the whole ns the expiry
 * is delivered at. A segment followed by none (E11 idle) runs one-shot. Under the legacy
 * `bottom-half` delivery, where the device learns of a segment end only later, each
 * segment stays one-shot and is re-planned by the bottom half, as in QEMU: a segment then
 * starts at the whole ns its bottom half runs at, and exact timing keeps no fraction of a
 * ns across segment ends there.
 * Its `expiry` trace events (the kit's, one per timer expiry) therefore mark segment ends:
 * a compare event is the segment end that sets OCIF, and the ends at 0 and of a wrap that
 * are not compares are expiries too (before the device kit only compares were traced).
 *
 * Ambiguities of the manual, and how they were decided (tests in test/devices/imx-epit/,
 * titles start with the tag):
 * E1 Timing. The counter steps once per prescaled cycle; in set-and-forget mode it
 *    counts LR … 1, 0, then LR again (a round is LR + 1 cycles); free-running rolls over
 *    from 0 to 0xFFFFFFFF. At an edge instant a read ordered before the step shows the
 *    value before it. ('E1 …')
 * E2 Compare. OCIF is set at the cycle edge where the counter steps to CMPR (decrement,
 *    reload or roll-over); a value loaded by a register write (enable with ENMOD, LR with
 *    IOVW) equal to CMPR is not a step and sets nothing. With RLD and CMPR > LR no
 *    compare ever happens (QEMU #1491 inverted this condition). ('E2 …', '#1491')
 * E3 ENMOD. Enabling with ENMOD = 1 loads LR (RLD = 1) or 0xFFFFFFFF (RLD = 0); with
 *    ENMOD = 0 the counter resumes from the value it froze at when EN was cleared. ('E3 …')
 * E4 LR write. Loads the counter only when IOVW = 1 (in either mode); otherwise LR is
 *    used at the next reload. ('E4 …', '#1263')
 * E5 Restarts. An enable, an IOVW load, a CMPR write while counting, and a clock or
 *    prescaler change re-time the counter from the value it reads, starting a fresh full
 *    cycle at the write (the partial cycle is lost, at most one counter cycle; QEMU's
 *    model has the same loss). CR writes that change nothing else (OCIEN, RLD, IOVW …)
 *    do not disturb the counter, nor does a CLKSRC switch between two inputs at the same
 *    frequency (the applied rate is unchanged: the kit's rule). ('E5 …')
 * E6 SWR. Resets every register except CR.EN, ENMOD, STOPEN, WAITEN, DOZEN, DBGEN (SR,
 *    LR, CMPR, the other CR fields, CNR = 0xFFFFFFFF); CLKSRC becomes 0, so the counter
 *    is stopped. SWR reads 0. One transaction per path (no LP #1880424 nested begin,
 *    also from inside an interrupt subscriber). ('E6 …', '#1880424')
 * E7 IRQ = OCIF && OCIEN, not gated by EN (QEMU also requires EN): a pending flag
 *    survives disabling the counter until the guest clears it. ('E7 …')
 * E8 Clock off (CLKSRC = 0 or the source at 0 Hz) freezes CNR; compare and reload
 *    events stop; when a clock runs again the count goes on with a fresh cycle (E5). A
 *    reset or SWR applies CLKSRC = 0 like a guest write. ('E8 …')
 * E9 Access sizes: 32-bit only; others are `bad-size` guest errors. A CNR write is a
 *    `read-only` guest error. (guest-error spec)
 * E10 Offsets 0x14 and up read 0 and ignore writes as `unmapped` guest errors.
 * E11 RLD with LR = 0: the counter stays at 0; if CMPR = 0 every cycle's reload is a
 *    compare event, otherwise the timer idles (no per-cycle work). ('E11 …')
 *
 * Snapshots (#14): {@link ImxEpitSnapshot}, checked by one strict schema, by the segment
 * timer's own rules (`timer.<field>`), and by the invariants that hold by construction, each
 * refused at the field that breaks it:
 * - `appliedHz` is the rate of the input CR.CLKSRC selects now and `appliedDiv` is
 *   CR.PRESCALER + 1; while that rate is not 0, the timer's period is one counter cycle in its
 *   timing (see "Timing");
 * - CR.SWR reads 0 (E6); CNR stores nothing (its reads are the count): it holds its reset value;
 * - the timer has a reload value only while it runs periodic (`limit` 0 otherwise: every
 *   path that stops it or runs it one-shot clears it);
 * - it is stopped while CR.EN is 0 or the rate is 0; stopped otherwise, it idles at 0 (E11:
 *   a `down` segment to 0 with nothing left);
 * - under `sync` delivery a counting timer runs periodic with the next segment's length as its
 *   `limit` ("Structure"): after a `down` segment to CMPR (not 0), the target's own value (the
 *   count from CMPR to 0); after one to 0, 1 (the wrap); after a `wrap`, the length of the
 *   segment planned from the reload value when the wrap began, in [1, 0xFFFFFFFF] (an LR or
 *   RLD write does not re-plan it: the wrap's end does). It runs one-shot only in a `down`
 *   segment to 0 that the E11 idle follows (CMPR not 0; LR and RLD may have changed since).
 *   Under `bottom-half` delivery it never runs periodic;
 * - a `down` segment never starts above 0xFFFFFFFF (target + count), a `wrap` segment is one
 *   cycle (a count of at most 1); while counting, a `down` segment ends at CMPR when CMPR is
 *   below the counter value, else at 0 (every CMPR write re-plans it, E5).
 *
 * Policy: see IMX_EPIT_POLICY. Ordering: compare events are delivered with `delivery`
 * ('sync' by default, G1); 'bottom-half' exists only to show the LP #1777777 race.
 */
import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import {
  checkDeviceOptions,
  deviceTimer,
  expectResetValues,
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
  snapshotField,
  snapshotHz,
  snapshotInteger,
  snapshotObject,
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
import { IMX_EPIT_REGISTERS } from './IMX_EPIT_REGISTERS';

/** The segment timer's policy flags, one reason each. */
export const IMX_EPIT_POLICY = [
  'NO_COUNTER_ROUND_DOWN', // CNR reads like the hardware counter: the loaded value right after a load (E1)
  'TRIGGER_ONLY_ON_DECREMENT', // only a segment counted down to its end is an event; segments never start at 0, and if one did it must not fire (E2)
] as const satisfies readonly PTimerPolicy[];

/** Current {@link ImxEpitSnapshot} format version. */
export const IMX_EPIT_SNAPSHOT_VERSION = 1;

/**
 * The stretch of counting the EPIT's one timer is running (see "Structure" in the module header):
 * `down` from the counter value to `target` (CMPR when it is below the value, else 0), the
 * timer's count being what is left (CNR = target + count); or `wrap`, the one cycle the
 * counter spends at 0 before the reload (CNR reads 0).
 */
export type ImxEpitSegment =
  | {
      /** Counting down from the counter value to `target`. */
      readonly kind: 'down';
      /** Where the segment ends: CMPR when it is below the starting value, else 0; ending at CMPR sets OCIF. */
      readonly target: number;
    }
  | {
      /** The cycle at 0 before the reload (LR with RLD, else 0xFFFFFFFF). */
      readonly kind: 'wrap';
    };

/** The EPIT's whole state as plain, versioned data. */
export interface ImxEpitSnapshot extends DeviceSnapshot {
  readonly version: typeof IMX_EPIT_SNAPSHOT_VERSION;
  /** The register bank: every register's stored value (CNR stores nothing: the count is `segment` plus `timer`). */
  readonly registers: RegisterBankSnapshot;
  /** The segment timer: its count is what is left of the current segment. */
  readonly timer: PTimerSnapshot;
  /** The segment the timer is running. */
  readonly segment: ImxEpitSegment;
  /** Counter rate applied to the timer (source Hz and divider); restore requires the inputs to agree. */
  readonly appliedHz: number;
  /** The divider applied to the timer (CR.PRESCALER + 1); restore requires it to match the registers. */
  readonly appliedDiv: number;
}

/** Options of {@link ImxEpit}. */
export interface ImxEpitOptions {
  /** CLKSRC = 1: the peripheral clock. */
  readonly ipg: ClockInput;
  /** CLKSRC = 2: the high-frequency reference clock. */
  readonly ipgHighfreq: ClockInput;
  /** CLKSRC = 3: the 32 kHz reference clock. */
  readonly ipg32k: ClockInput;
  /** Instance name, the `source` of its events (default `'imx-epit'`). */
  readonly name?: string;
  /** Delivery of compare events: `'sync'` (default, G1) or the legacy `'bottom-half'`. */
  readonly delivery?: TriggerDelivery;
  /**
   * How the counter keeps time (see "Timing" in the module header): `'exact'` (default), a tick of
   * exactly 10^9·divisor/hz ns, or `'qemu'`, QEMU's 64.32 fixed-point period floored per
   * countdown, to compare with QEMU.
   */
  readonly timing?: PTimerTiming;
}

type Registers = RegisterShapeOf<typeof IMX_EPIT_REGISTERS>;

/** The fields the device reads and stores, looked up once (its expiry, IRQ and access paths run thousands of times a second). */
const FIELD = {
  CR_CLKSRC: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'CLKSRC'),
  CR_EN: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'EN'),
  CR_ENMOD: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'ENMOD'),
  CR_IOVW: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'IOVW'),
  CR_OCIEN: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'OCIEN'),
  CR_PRESCALER: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'PRESCALER'),
  CR_RLD: fieldHandle(IMX_EPIT_REGISTERS, 'CR', 'RLD'),
  SR_OCIF: fieldHandle(IMX_EPIT_REGISTERS, 'SR', 'OCIF'),
} as const;

/** The registers the device reads, looked up once (as {@link FIELD}). */
const REGISTER = {
  CMPR: registerHandle(IMX_EPIT_REGISTERS, 'CMPR'),
  CR: registerHandle(IMX_EPIT_REGISTERS, 'CR'),
  LR: registerHandle(IMX_EPIT_REGISTERS, 'LR'),
} as const;

const MAX = 0xffff_ffff;
const { CNR } = IMX_EPIT_REGISTERS.byName;
/** CR bits kept by a software reset (E6): EN, ENMOD, DBGEN, WAITEN, DOZEN, STOPEN. */
const SWR_KEEP = 0b11 | (0b1111 << 18);
const SWR = 1 << 16;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(IMX_EPIT_REGISTERS);

/** The fields of {@link ImxEpitSnapshot} besides `device`, `version` and `registers`. */
const snapshotFields = () => ({
  timer: snapshotPart(),
  segment: z.discriminatedUnion(
    'kind',
    [
      snapshotObject({ kind: z.literal('wrap') }),
      snapshotObject({ kind: z.literal('down'), target: snapshotInteger(0, MAX, 'must be a 32-bit counter value') }),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? "must be { kind: 'wrap' } or { kind: 'down', target: u32 }" : undefined) },
  ),
  appliedHz: snapshotHz(),
  appliedDiv: snapshotField<number>((v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 4096, 'must be CR.PRESCALER + 1, an integer in [1, 4096]'),
});

/**
 * The invariants of the module header ("Snapshots") on a snapshot the schema and the timer
 * accepted (the applied rate already compared).
 * @param r - the snapshot's register values
 * @param timer - the segment timer's part
 * @param segment - the segment it runs
 * @param hz - the applied rate (`appliedHz`)
 * @param div - the applied divider (`appliedDiv`)
 * @throws RegisterSnapshotError at the field that breaks one
 */
const checkConsistency = (
  r: Readonly<Record<string, number>>,
  timer: TimerPartView,
  segment: ImxEpitSegment,
  hz: number,
  div: number,
  delivery: TriggerDelivery,
): void => {
  const cr = r['CR']!;
  const f = IMX_EPIT_REGISTERS.byName.CR.fieldByName;
  if ((cr & SWR) !== 0) refuseSnapshot(registerPath('CR'), cr, `must have ${registerPath('CR', 'SWR')} 0: it clears itself (E6)`);
  expectResetValues(r, [CNR]);
  if (timer.mode !== 'periodic') {
    expectTimerLimit(timer, 0, `while ${timer.where}.mode is '${timer.mode}' (the timer reloads only while it runs periodic, the next segment's length as its reload value)`);
  }
  if (delivery === 'bottom-half') {
    expectTimerMode(timer, ['stopped', 'oneshot'], "under 'bottom-half' delivery (each segment runs one-shot and its bottom half re-plans the next)");
  }
  if (hz > 0) expectTimerPeriod(timer, hz, div, `of one counter cycle at appliedHz ${hz} and appliedDiv ${div}`);
  if (segment.kind === 'down') {
    if (BigInt(segment.target) + timer.delta > BigInt(MAX)) {
      refuseSnapshot(`${timer.where}.delta`, timer.delta.toString(), `must not exceed ${MAX - segment.target} (segment.target ${segment.target} plus it is the counter value a segment starts from, 32 bits)`);
    }
  } else {
    expectTimerCountAtMost(timer, 1, "(segment.kind is 'wrap': the one cycle at 0 before the reload)");
  }
  const enabled = (cr & f.EN.mask) !== 0;
  if (!enabled || hz === 0) {
    expectTimerMode(timer, ['stopped'], `while ${registerPath('CR', 'EN')} is ${enabled ? 1 : 0} and appliedHz is ${hz} (it counts only when enabled on a running clock)`);
    return;
  }
  // While counting, every CMPR write re-plans the segment (E5): its target is CMPR when CMPR is below the counter value, else 0.
  const cmpr = r['CMPR']!;
  if (segment.kind === 'down') {
    const value = BigInt(segment.target) + timer.delta;
    const target = BigInt(cmpr) < value ? cmpr : 0;
    if (segment.target !== target) {
      refuseSnapshot(
        'segment.target',
        segment.target,
        `must be ${target} while counting: ${registerPath('CMPR')} (${cmpr}) when it is below the counter value (segment.target + ${timer.where}.delta = ${value}), else 0 (E2, E5)`,
      );
    }
  }
  if (timer.mode === 'stopped' && (segment.kind !== 'down' || segment.target !== 0 || timer.delta !== 0n)) {
    refuseSnapshot(
      `${timer.where}.mode`,
      timer.mode,
      `must be running while ${registerPath('CR', 'EN')} is 1 and appliedHz is ${hz}, unless it idles at 0 (E11: segment.kind 'down', segment.target 0 and ${timer.where}.delta 0; here ${segment.kind === 'down' ? `segment.kind 'down', segment.target ${segment.target}` : "segment.kind 'wrap'"}, delta ${timer.delta})`,
    );
  }
  if (delivery !== 'sync' || timer.mode === 'stopped') return;
  // Sync delivery: the segment after this one is the timer's reload value ("Structure").
  if (timer.mode === 'oneshot') {
    // One-shot only when no segment follows: a segment to 0 whose end idles (E11 needs CMPR ≠ 0; LR and RLD may have changed since, they do not re-plan).
    if (segment.kind !== 'down' || segment.target !== 0 || cmpr === 0) {
      refuseSnapshot(
        `${timer.where}.mode`,
        timer.mode,
        `must be 'periodic' under 'sync' delivery, the next segment's length as its reload value; one-shot only for a segment to 0 that the E11 idle follows (segment.kind 'down', segment.target 0, ${registerPath('CMPR')} not 0; here ${segment.kind === 'down' ? `segment.kind 'down', segment.target ${segment.target}` : "segment.kind 'wrap'"}, ${registerPath('CMPR')} ${cmpr})`,
      );
    }
    return;
  }
  if (segment.kind === 'down') {
    // The next segment runs from the target down to 0 (CMPR is the target itself), or it is the wrap after 0.
    expectTimerLimit(
      timer,
      segment.target === 0 ? 1 : segment.target,
      segment.target === 0
        ? `while ${timer.where}.mode is 'periodic' (its reload value is the next segment: the one-cycle wrap after segment.target 0)`
        : `while ${timer.where}.mode is 'periodic' (its reload value is the next segment: from segment.target ${segment.target}, which is ${registerPath('CMPR')}, down to 0)`,
    );
  } else if (timer.limit < 1n || timer.limit > BigInt(MAX)) {
    // The segment after a wrap is planned from the reload value when the wrap begins; an LR or RLD write since does not re-plan it (its end does).
    refuseSnapshot(
      `${timer.where}.limit`,
      timer.limit.toString(),
      `must be in [1, ${MAX}] while ${timer.where}.mode is 'periodic' (its reload value is the next segment's length in counter cycles, planned from the reload value when segment.kind 'wrap' began)`,
    );
  }
};

/**
 * The i.MX EPIT (see the module header for the contract).
 *
 * Ordering: G1 with `sync` delivery (the counter's step to CMPR and OCIF happen in one
 * expiry step); G2/G3 through the timer's transactions, one per register access.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const ipg = new ClockInput('ipg', 66_000_000);
 * const epit = new ImxEpit(clock, { ipg, ipgHighfreq: new ClockInput('hf', 0), ipg32k: new ClockInput('32k', 32_768) });
 * epit.write(0x08, 4, 999);                         // LR
 * epit.write(0x00, 4, (1 << 24) | 0b1111);          // CLKSRC=ipg, RLD, OCIEN, ENMOD, EN
 * ```
 */
export class ImxEpit extends KitDevice<Registers, {
  /** The EPIT interrupt, {@link ImxEpit.irq}: OCIF && OCIEN. */
  irq: IrqLine;
}> {
  /**
   * Creates the EPIT with its registers at their reset values (CLKSRC 0: no clock) and the counter stopped at CNR's reset value.
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - clock inputs, name, delivery, timing
   * @throws DeviceConfigError for a clock input that is not a ClockInput, an empty name, an unknown `delivery` or `timing`, or an unknown option
   */
  constructor(scheduler: SchedulerLike, options: ImxEpitOptions) {
    checkDeviceOptions('ImxEpit', options, { ipg: 'clock', ipgHighfreq: 'clock', ipg32k: 'clock', name: 'name?', delivery: 'delivery?', timing: 'timing?' });
    super(scheduler, options.name ?? 'imx-epit');
    this.delivery = options.delivery ?? 'sync';
    this.clocks = [options.ipg, options.ipgHighfreq, options.ipg32k];
    // Segment ends reach onExpiry in the timer's expiry step, in its callback context (G1, G3).
    this.timer = deviceTimer(scheduler, {
      device: this.name,
      name: `${this.name}.counter`,
      policy: IMX_EPIT_POLICY,
      delivery: options.delivery,
      timing: options.timing,
      onExpiry: () => this.onExpiry(),
      events: this.outlet,
      lifetime: this.lifetime,
    });
    this.irq = new IrqLine(`${this.name}.irq`);
    this.attachBank(IMX_EPIT_REGISTERS, {
      CR: { write: (value, old) => this.onControl(value, old) },
      LR: { write: (value) => this.onLoad(value) },
      CMPR: { write: () => this.onCompare() },
      CNR: { read: () => this.counter() },
    });
    // CNR's read hook is pure (segment target plus the timer's count): the probe reuses it.
    this.timer.transaction((t) => {
      t.setCount(CNR.reset);
    });
    // CLKSRC is 0 after reset: no input is selected yet, so there is no rate to apply now.
    for (const input of this.clocks) this.lifetime.add(input.watch(() => this.onClock()));
  }

  /** Hardware reset: registers from the map's reset values; CLKSRC = 0 stops the counter at CNR's reset value. */
  override reset(): void {
    this.bank.reset();
    this.timer.transaction((t) => {
      this.applyRate(t); // CLKSRC = 0 now: the applied rate follows, so a snapshot taken next restores
      this.retime(t, CNR.reset);
    });
    this.updateIrq();
  }

  snapshot(): ImxEpitSnapshot {
    return {
      ...this.snapshotHead(IMX_EPIT_SNAPSHOT_VERSION),
      timer: this.timer.snapshot(),
      segment: this.segment,
      appliedHz: this.appliedHz,
      appliedDiv: this.appliedDiv,
    };
  }

  /**
   * Loads an {@link ImxEpitSnapshot} taken at the clock's current time by an EPIT of this
   * name; all or nothing (everything is checked before anything changes).
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError at the full path of the first field at fault: the format
   *   (strict), a clock mismatch (`appliedHz`), a divider that is not the snapshot's
   *   CR.PRESCALER + 1 (`appliedDiv`), the timer's own rules (`timer.<field>`), or an
   *   invariant of the module header ("Snapshots")
   */
  restore(snapshot: unknown): void {
    const s = this.parseSnapshot(snapshot, { device: 'ImxEpit', version: IMX_EPIT_SNAPSHOT_VERSION }, snapshotFields);
    const r = s.registers.registers;
    // The rate the snapshot's registers select (CLKSRC, PRESCALER), from the inputs as they are now.
    const src = (r['CR']! & IMX_EPIT_REGISTERS.byName.CR.fieldByName.CLKSRC.mask) >>> IMX_EPIT_REGISTERS.byName.CR.fieldByName.CLKSRC.lsb;
    const hz = src === 0 ? 0 : this.clocks[src - 1]!.hz;
    const div = ((r['CR']! & IMX_EPIT_REGISTERS.byName.CR.fieldByName.PRESCALER.mask) >>> IMX_EPIT_REGISTERS.byName.CR.fieldByName.PRESCALER.lsb) + 1;
    expectSame('appliedHz', s.appliedHz, hz, `the frequency of the clock input ${registerPath('CR', 'CLKSRC')} selects now, in Hz`);
    if (s.appliedDiv !== div) refuseSnapshot('appliedDiv', s.appliedDiv, `must equal ${registerPath('CR', 'PRESCALER')} + 1 (${div})`);
    const timer = this.checkTimer(this.timer, s.timer, 'timer');
    checkConsistency(r, timer, s.segment, hz, div, this.delivery);
    restoreParts([
      [this.bank, s.registers, 'registers'],
      [this.timer, s.timer, 'timer'],
    ]);
    this.segment = s.segment.kind === 'wrap' ? { kind: 'wrap' } : { kind: 'down', target: s.segment.target };
    // The timer's snapshot carries the period these stand for.
    this.appliedHz = hz;
    this.appliedDiv = div;
    this.updateIrq();
  }

  // ---- public lines -------------------------------------------------------------

  /** The EPIT interrupt: OCIF && OCIEN (E7). */
  readonly irq: IrqLine;
  /** The registers of {@link IMX_EPIT_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  // ---- private ------------------------------------------------------------------

  /** End of a segment (in the timer's callback context when delivery is sync): the counter's step. */
  private onExpiry(): void {
    const value = this.endOf(this.segment);
    if (value === this.bank.getAt(REGISTER.CMPR)) this.bank.setFieldAt(FIELD.SR_OCIF, 1); // E2: set whatever OCIEN says
    const t = this.timer;
    const next = this.plan(value);
    // Compared as numbers (cycles stay far below 2^53): a BigInt made per expiry only to compare it was garbage.
    if (t.mode === 'periodic' && next.cycles > 0 && Number(t.getLimit()) === next.cycles) {
      // The timer's reload already started the next segment, at this one's exact end: plan the one after.
      this.segment = next.segment;
      const after = this.plan(this.endOf(next.segment)).cycles;
      t.transaction((tt) => {
        if (after === 0) {
          tt.setLimit(0, false); // no segment follows: one-shot, and nothing to reload (the snapshot rules' canonical form)
          tt.run(true);
        } else {
          tt.setLimit(after, false);
        }
      });
    } else {
      // One-shot segments (bottom-half delivery, the segment before an E11 idle) or LR/RLD changed since the plan.
      t.transaction((tt) => this.retime(tt, value));
    }
    this.updateIrq();
  }

  /** CR write: SWR, enable edges and clock selection (E3, E5, E6, E8). */
  private onControl(value: number, old: number): void {
    if ((value & SWR) !== 0) {
      this.softReset();
      return;
    }
    const cur = this.counter(); // committed value, before any transaction opens (#1263)
    const enRose = (value & 1) === 1 && (old & 1) === 0;
    this.timer.transaction((t) => {
      const changedRate = this.applyRate(t);
      if (enRose) {
        this.retime(t, this.bank.fieldAt(FIELD.CR_ENMOD) === 1 ? this.top() : cur);
      } else if (!this.counting()) {
        // After a period change, hold the value read before the transaction rather than the one stop()
        // latches: a stop() after a period change in one transaction latches a wrong count for a long
        // countdown with a fractional period (scaled by the ratio of the periods; found by the snapshot
        // fuzz, #14). retime() stops and loads `cur` itself.
        if (changedRate) this.retime(t, cur);
        else {
          t.stop();
          t.setLimit(0, false); // a stopped segment timer reloads nothing until it is re-planned
        }
      } else if (changedRate || t.mode === 'stopped') {
        this.retime(t, cur);
      }
    });
  }

  /** LR write: with IOVW the counter is loaded (E4); otherwise LR waits for the next reload. */
  private onLoad(value: number): void {
    if (this.bank.fieldAt(FIELD.CR_IOVW) === 0) return;
    this.timer.transaction((t) => this.retime(t, value));
  }

  /** CMPR write: the segment's target may change (E5). */
  private onCompare(): void {
    if (!this.counting()) return; // a stopped counter re-plans when it starts
    const cur = this.counter();
    this.timer.transaction((t) => this.retime(t, cur));
  }

  /** A clock input changed: re-time if it is the selected one (E5, E8). */
  private onClock(): void {
    const cur = this.counter();
    this.timer.transaction((t) => {
      // A stopped clock keeps the period (no change), so only a new rate re-plans; retime holds `cur` when not counting (see onControl).
      if (this.applyRate(t)) this.retime(t, cur);
    });
    this.updateIrq();
  }

  /** CR.SWR (E6): one transaction on this path only (LP #1880424). */
  private softReset(): void {
    const keep = this.bank.getAt(REGISTER.CR) & SWR_KEEP;
    this.bank.reset();
    this.bank.set('CR', keep);
    this.timer.transaction((t) => {
      this.applyRate(t);
      this.retime(t, CNR.reset);
    });
  }

  /**
   * The counter now holds `value` (a load, or a step at a segment end): plan the next
   * segment from it, a fresh cycle anchored now; or hold it when not counting.
   */
  private retime(t: PTimer, value: number): void {
    t.stop(); // first: stop latches the running count (reference §5.2 pitfall 3)
    const now = this.plan(value);
    this.segment = now.segment;
    t.setCount(now.cycles);
    t.setLimit(0, false); // only a periodic segment timer has a reload value (the next segment's length)
    if (now.cycles === 0 || !this.counting()) return; // E11: nothing will ever happen, idle
    const next = this.plan(this.endOf(now.segment)).cycles;
    if (this.delivery === 'sync' && next > 0) {
      // The next segment is the timer's reload value: it starts at this one's exact end ("Structure").
      t.setLimit(next, false);
      t.run(false);
    } else {
      t.run(true);
    }
  }

  /** The segment that starts when the counter steps to (or is loaded with) `value`, and its length in counter cycles (0: idle, E11). */
  private plan(value: number): { readonly segment: ImxEpitSegment; readonly cycles: number } {
    const cmpr = this.bank.getAt(REGISTER.CMPR);
    if (value !== 0) {
      const target = cmpr < value ? cmpr : 0;
      return { segment: { kind: 'down', target }, cycles: value - target };
    }
    // E11: RLD with LR = 0 and no compare at 0: nothing will ever happen.
    if (this.top() === 0 && cmpr !== 0) return { segment: { kind: 'down', target: 0 }, cycles: 0 };
    return { segment: { kind: 'wrap' }, cycles: 1 };
  }

  /** The counter value a segment ends at: its target, or the reload value after a wrap. */
  private endOf(segment: ImxEpitSegment): number {
    return segment.kind === 'wrap' ? this.top() : segment.target;
  }

  /**
   * Applies the selected clock and prescaler to the timer with the kit's CounterRate rule
   * (0 Hz leaves the period and the caller stops; the same rate again is a no-op; see
   * "Clocks" in the header); true if the rate changed, so the caller re-plans the segment
   * from the value read (E5, E8).
   */
  private applyRate(t: PTimer): boolean {
    const { hz, div } = this.selectedRate();
    if (hz === this.appliedHz && div === this.appliedDiv) return false;
    this.appliedHz = hz;
    this.appliedDiv = div;
    if (hz > 0) t.setPeriodFromClock(hz, div);
    return true;
  }

  /** The counter's input now: the clock CR.CLKSRC selects (0 Hz for none) and PRESCALER + 1. */
  private selectedRate(): { hz: number; div: number } {
    const src = this.bank.fieldAt(FIELD.CR_CLKSRC);
    return { hz: src === 0 ? 0 : this.clocks[src - 1]!.hz, div: this.bank.fieldAt(FIELD.CR_PRESCALER) + 1 };
  }

  /** Every path that changes CR or a clock applies the rate first, so the applied one is the selected one. */
  private counting(): boolean {
    return this.bank.fieldAt(FIELD.CR_EN) === 1 && this.appliedHz > 0;
  }

  /** The value the counter reloads with after 0: LR in set-and-forget mode, else 0xFFFFFFFF. */
  private top(): number {
    return this.bank.fieldAt(FIELD.CR_RLD) === 1 ? this.bank.getAt(REGISTER.LR) : MAX;
  }

  /** CNR as the guest reads it, from the committed timer. */
  private counter(): number {
    if (this.segment.kind === 'wrap') return 0;
    return this.segment.target + this.timer.getCountNumber();
  }

  /** The output lines by TRM signal name. */
  protected createLines() {
    return { irq: this.irq };
  }

  /** `counter` (32 bits): what a guest read of CNR returns now, read without an access. */
  protected createProbes(): readonly DeviceProbe[] {
    // As counter(): the segment's target plus the count, 0 in a wrap segment.
    return [
    timerProbe(this.timer, {
      name: 'counter',
      width: 32,
      state: () => [this.segment.kind === 'wrap' ? undefined : this.segment.target] as const,
      value: (count, [target]) => (target === undefined ? 0n : BigInt(target) + count),
    }),
  ];
  }

  /** The one place the output is computed (E7). */
  protected updateIrq(): void {
    this.irq.set(this.bank.fieldAt(FIELD.SR_OCIF) === 1 && this.bank.fieldAt(FIELD.CR_OCIEN) === 1);
  }

  /** The segment timer (exposed for tests; guests see it through CNR). */
  readonly timer: PTimer;
  /** Clock inputs by CLKSRC - 1. */
  readonly clocks: readonly [ClockInput, ClockInput, ClockInput];
  private segment: ImxEpitSegment = { kind: 'down', target: 0 };
  /** How segment ends reach the device: only `sync` plans the next segment ahead ("Structure"). */
  private readonly delivery: TriggerDelivery;
  /** The rate the timer's period was last set from (0 Hz: none selected or stopped). */
  private appliedHz = 0;
  private appliedDiv = 1;
}
