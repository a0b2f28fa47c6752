/**
 * ARM SP804 Dual-Timer Module (PrimeCell): two identical down-counters (32- or 16-bit),
 * each with a ÷1/÷16/÷256 prescaler and one-shot, periodic or free-running modes, an
 * interrupt output per timer (TIMINT1, TIMINT2) and their OR (TIMINTC).
 *
 * Manual: ARM Dual-Timer Module (SP804) Technical Reference Manual, ARM DDI 0271. QEMU's
 * `hw/timer/arm_timer.c` (type `sp804`) was a cross-check only; where it departs from the
 * TRM this model follows the TRM (each case below).
 *
 * ## Ports
 * - TIMCLK qualified by TIMCLKENn, per timer: a {@link ClockInput} each (one input may feed
 *   both). An enable that lets one TIMCLK edge in k through is the same as a clock k times
 *   slower, so the enable is folded into the input's rate. 0 Hz stops the counter (below).
 * - TIMINT1, TIMINT2: {@link IrqLine}s; TIMINTC: their OR ({@link anyOf}).
 *
 * ## Policy (one reason per flag)
 * See {@link SP804_POLICY}. Worked example at 1 MHz (1 µs ticks), Load = 3, periodic,
 * enabled at t = 0: Value reads 3, 2, 1 one tick each (a decrement at a tick boundary B is
 * visible from B + 1 ns), reaches 0 at t = 3 µs where RIS rises, rests at 0 for one tick,
 * reads 3 again from 4 µs + 1 ns, and interrupts every Load + 1 = 4 ticks (3, 7, 11 µs).
 * LEGACY would read 2 from 1 ns, never show 0 and interrupt every 3 ticks
 * (test: "the policy: ..." in Sp804.spec.ts).
 *
 * ## Not modelled, and what the guest sees instead
 * - The phase of TIMCLK and of the prescaler: the instant of a Load write (or of enabling)
 *   acts as the loading edge, and the first decrement comes one prescaled tick later. A
 *   prescaler or clock change on a running counter keeps the displayed count and starts a
 *   full new tick at the change (the partial tick is lost), as does a TimerSize change.
 * - PCLK/TIMCLK synchronisation delays: none (the TRM has Value show a Load at once, too).
 * - Separate PRESETn and TIMCLKRESETn: {@link Sp804.reset} resets the whole block.
 * Every register of the TRM is implemented (including TimerITCR/TimerITOP); the one
 * `unimplemented` event is the undefined TimerPre encoding 11 (below).
 *
 * ## Ambiguities of the TRM and how they are decided
 * Each is pinned by the test named in brackets (in test/devices/sp804/Sp804.spec.ts unless
 * another file is named).
 * 1. Load write: the TRM has the counter take the new value on the next enabled TIMCLK edge,
 *    yet Value show it at once; the count restarts at the write instant, whether or not the
 *    timer is enabled ("a Load write restarts the count at once ...").
 * 2. Load = 0: the TRM says an interrupt is generated immediately; RIS is set at the write,
 *    enabled or not, and the counter rests at 0. Periodic with Load 0 stays at 0 with no
 *    further interrupts ("Load = 0 interrupts at once ...").
 * 3. Control writes never reload the count (QEMU restarts it on every write with TimerEn);
 *    enabling resumes from the held count, 0xFFFFFFFF after reset (QEMU reads 0 before the
 *    first Control write) ("a Control write does not restart the count ...").
 * 4. TimerPre = 11 ("undefined"): stored and read back, counted as ÷256 (QEMU: ÷1), and
 *    each such write emits an `unimplemented` event ("TimerPre = 11 ...").
 * 5. 16-bit mode: the low 16 bits count, wrap to 0xFFFF and interrupt at 0. Load keeps all
 *    32 bits (QEMU does not mask a 16-bit periodic reload; here it is Load[15:0]). The TRM
 *    says Value[31:16] are not cleared in 16-bit mode: they hold Load[31:16] after a Load
 *    write, or the count's upper half when the size is switched from 32 bits; periodic
 *    reloads load only the low half ("16-bit mode ...").
 * 6. A new reload value (BGLoad, Load register via a mode change) chosen while the counter
 *    rests at 0 after an interrupt applies from the next zero: the TRM describes the Load
 *    value as the one used once the counter next reaches zero, and this counter has already
 *    reached it. A reload value of 0 is the exception: the counter, at 0, stays there
 *    (ambiguity 2) ("BGLoad written while the counter rests at 0 ...").
 * 7. One-shot: at 0 the counter halts (TimerEn stays set); Control writes that keep OneShot
 *    leave it halted; clearing OneShot lets it go on: 0 for one more tick, then reload
 *    (periodic: Load; free-running: the maximum) without an interrupt; a Load write
 *    restarts it ("one-shot ...").
 * 8. TIMCLK at 0 Hz: the counter holds its count and resumes when the clock returns
 *    ("clock changes at run time ...").
 * 9. RIS is set at zero whatever IntEnable says; MIS = RIS & IntEnable; TIMINTn = MIS, or
 *    TimerITOP bit n-1 while TimerITCR.ITEN is set ("RIS rises whatever IntEnable says ...",
 *    "integration test registers ...").
 * 10. Access sizes: the block is a 32-bit APB slave; other sizes are `bad-size` guest errors.
 *    Writes to Value (Linux and TF-A write 0xFFFFFFFF there at init) are `read-only` guest
 *    errors with no effect, as the TRM makes Value read-only (Sp804.guestErrors.spec.ts,
 *    Sp804.drivers.spec.ts).
 *
 * A guest access made synchronously inside a TIMINT emission (a line subscriber that
 * writes back at once) is applied in the timer's callback context instead of a nested
 * transaction ("a line subscriber may write back ...").
 */
import { isObservable, merge, Subject, type Observable, type SchedulerLike } from 'rxjs';
import { deliverTriggers, type TriggerDelivery } from '../../operators/deliverTriggers';
import {
  DeviceConfigError,
  expectSame,
  openSnapshot,
  RegisterBank,
  registerInfoOf,
  RegisterSnapshotError,
  restoreAtomically,
  type AccessSize,
  type Device,
  type DeviceProbe,
  type DeviceSnapshot,
  type RegisterInfo,
  type RegisterShapeOf,
} from '../../src/bus';
import { ClockInput } from '../../src/clock/ClockInput';
import { anyOf } from '../../src/irq/anyOf';
import { IrqLine, type IrqSignal } from '../../src/irq/IrqLine';
import { PTimer, type PTimerPolicy, type PTimerTrigger } from '../../src/ptimer';
import type { TraceEvent } from '../../src/trace';
import { SP804_REGISTERS } from './SP804_REGISTERS';

/**
 * The SP804's ptimer policy: the counter decrements on each prescaled TIMCLK edge,
 * interrupts when it reaches 0, and reloads (or wraps) on the next edge.
 */
export const SP804_POLICY = [
  'WRAP_AFTER_ONE_PERIOD', // the count rests at 0 for one tick before it reloads/wraps: Load + 1 ticks per period
  'TRIGGER_ONLY_ON_DECREMENT', // only counting down to 0 interrupts; enabling with a 0 count does not (Load = 0 is raised by the device)
  'NO_IMMEDIATE_RELOAD', // a 0 count (OneShot cleared at 0, re-enabled at 0) waits one tick before it reloads, silently
  'NO_COUNTER_ROUND_DOWN', // Value shows the hardware count: Load for the whole first tick, not one less
] as const satisfies readonly PTimerPolicy[];

/** Current {@link Sp804} snapshot format version. */
export const SP804_SNAPSHOT_VERSION = 1;

/** Options of {@link Sp804}. */
export interface Sp804Options {
  /** Source name of its events (default `'sp804'`). */
  readonly name?: string;
  /**
   * TIMCLK as each timer sees it (qualified by its TIMCLKENn): one input for both timers,
   * or `[timer1, timer2]`. Default: one shared 1 MHz input.
   */
  readonly timclk?: ClockInput | readonly [ClockInput, ClockInput];
  /** How expiries reach the device: `sync` (default, at the expiry instant, G1) or the legacy `bottom-half`. */
  readonly delivery?: TriggerDelivery;
}

type Index = 0 | 1;
type Bank = RegisterBank<RegisterShapeOf<typeof SP804_REGISTERS>>;

/** Each timer's registers by role. */
const REG = [
  {
    load: 'Timer1Load',
    value: 'Timer1Value',
    control: 'Timer1Control',
    intClr: 'Timer1IntClr',
    ris: 'Timer1RIS',
    mis: 'Timer1MIS',
    bgLoad: 'Timer1BGLoad',
  },
  {
    load: 'Timer2Load',
    value: 'Timer2Value',
    control: 'Timer2Control',
    intClr: 'Timer2IntClr',
    ris: 'Timer2RIS',
    mis: 'Timer2MIS',
    bgLoad: 'Timer2BGLoad',
  },
] as const;

const CONTROL = SP804_REGISTERS.byName.Timer1Control.fieldByName;
const flag = (control: number, mask: number): boolean => (control & mask) !== 0;

/** TimerPre → divisor; 11 is undefined in the TRM and counted as ÷256 (ambiguity 4). */
const DIVISOR = [1, 16, 256, 256] as const;

/** The counter's value after reset (TRM: Value resets to 0xFFFFFFFF). */
const VALUE_RESET = SP804_REGISTERS.byName.Timer1Value.reset;

const HALF = 0x1_0000;

/** The map's registers as {@link RegisterInfo}, shared by every instance. */
const REGISTER_INFO = registerInfoOf(SP804_REGISTERS);

/** One prescaled TIMCLK tick as 64.32 fixed-point ns, exact to 2^-32 ns. */
const tickOf = (hz: number, divisor: number): { ns: bigint; frac32: bigint } => {
  const total = ((BigInt(divisor) * 1_000_000_000n) << 32n) / BigInt(hz);
  return { ns: total >> 32n, frac32: total & 0xffff_ffffn };
};

/** A ClockInput by shape (hz, hz$, setHz), so a copy of the class from another bundle passes too. */
const isClock = (c: unknown): c is ClockInput => {
  const input = c as Partial<ClockInput> | null;
  return typeof c === 'object' && input !== null && typeof input.hz === 'number' && isObservable(input.hz$) && typeof input.setHz === 'function';
};

/**
 * The ARM SP804 dual timer (see the module header for the contract).
 *
 * Ordering: G1 under the default `sync` delivery — at a timer's zero, Value reaching 0,
 * RIS, MIS and the TIMINT lines change in one step at that instant; `bottom-half` exists
 * only to show the LP #1777777 race on the device it was filed against. G2/G3 — each
 * register write changes its timer in one transaction, so a guest never sees a half-applied
 * Control write.
 *
 * ## Example
 * ```ts
 * const clock = new VirtualClock();
 * const timclk = new ClockInput('timclk', 1_000_000);      // 1 µs ticks
 * const sp804 = new Sp804(clock, { timclk });
 * sp804.write(0x00, 4, 3);                                // Timer1Load
 * sp804.write(0x08, 4, 0xe2);                             // Timer1Control: enable, periodic, IntEnable, 32-bit
 * clock.advanceTo(3_000);                                 // 3, 2, 1, 0: RIS and TIMINT1 rise at 3 µs
 * sp804.read(0x04, 4);                                    // 0 (Timer1Value), then 3 again from 4 µs + 1 ns
 * ```
 */
export class Sp804 implements Device {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param options - name, TIMCLK input(s), trigger delivery
   * @throws DeviceConfigError for an empty or non-string `name`, a `timclk` that is not a ClockInput or a pair of them, or an unknown `delivery`
   */
  constructor(scheduler: SchedulerLike, options: Sp804Options = {}) {
    this.scheduler = scheduler;
    const name = options.name ?? 'sp804';
    if (typeof name !== 'string' || name === '') throw new DeviceConfigError(name, 'must be a non-empty string', 'Sp804(options.name)');
    this.name = name;
    const given = options.timclk ?? new ClockInput(`${this.name}.timclk`, 1_000_000);
    if (isClock(given)) this.timclk = [given, given];
    else if (Array.isArray(given) && given.length === 2 && isClock(given[0]) && isClock(given[1])) this.timclk = [given[0], given[1]];
    else throw new DeviceConfigError(given, 'must be a ClockInput or a pair [timer1, timer2] of them', 'Sp804(options.timclk)');
    const delivery = options.delivery ?? 'sync';
    if (delivery !== 'sync' && delivery !== 'bottom-half') {
      throw new DeviceConfigError(delivery, "must be 'sync' or 'bottom-half'", 'Sp804(options.delivery)');
    }

    this.timers = [
      new PTimer(scheduler, { name: `${this.name}.timer1`, policy: SP804_POLICY }),
      new PTimer(scheduler, { name: `${this.name}.timer2`, policy: SP804_POLICY }),
    ];
    // triggers$ emits inside the expiry step, so under `sync` the device is updated at that instant (G1).
    this.timers.forEach((timer, i) =>
      timer.triggers$.pipe(deliverTriggers(delivery, scheduler)).subscribe((trigger) => this.onExpiry(i as Index, trigger)),
    );
    this.bank = new RegisterBank(SP804_REGISTERS, {
      name: this.name,
      scheduler,
      hooks: {
        Timer1Load: { write: (v) => this.writeLoad(0, v) },
        Timer1Value: { read: () => this.value(0) },
        Timer1Control: { write: (v, old) => this.writeControl(0, v, old) },
        Timer1IntClr: { write: () => this.clearInterrupt(0) },
        Timer1MIS: { read: () => this.masked(0) },
        Timer1BGLoad: { write: (v) => this.writeBgLoad(0, v) },
        Timer2Load: { write: (v) => this.writeLoad(1, v) },
        Timer2Value: { read: () => this.value(1) },
        Timer2Control: { write: (v, old) => this.writeControl(1, v, old) },
        Timer2IntClr: { write: () => this.clearInterrupt(1) },
        Timer2MIS: { read: () => this.masked(1) },
        Timer2BGLoad: { write: (v) => this.writeBgLoad(1, v) },
      },
    });
    this.events$ = merge(this.bank.events$, this.own.asObservable());
    this.timint1 = new IrqLine(`${this.name}.TIMINT1`);
    this.timint2 = new IrqLine(`${this.name}.TIMINT2`);
    this.timintc = anyOf(`${this.name}.TIMINTC`, this.timint1, this.timint2);
    this.lines = Object.freeze({ timint1: this.timint1, timint2: this.timint2, timintc: this.timintc });
    // The Value read hooks are pure (count plus the held upper half in 16-bit mode): the probes reuse them.
    this.probes = Object.freeze(
      ([0, 1] as const).map((i) => Object.freeze({ name: `timer${i + 1}.value`, width: 32, read: () => BigInt(this.value(i)) })),
    );
    this.reset();
    // hz$ replays the current rate at once (no change then); each later change reprograms the timer.
    this.timclk.forEach((clock, i) =>
      clock.hz$.subscribe(() => {
        this.program(i as Index);
        this.updateIrq();
      }),
    );
  }

  read(offset: number, size: AccessSize): number {
    return this.bank.read(offset, size);
  }

  write(offset: number, size: AccessSize, value: number): void {
    this.bank.write(offset, size, value);
    this.updateIrq();
  }

  /** PRESETn: registers to the TRM's reset values, both counters stopped at 0xFFFFFFFF (16-bit, free-running). */
  reset(): void {
    this.bank.reset();
    this.program(0, { count: VALUE_RESET });
    this.program(1, { count: VALUE_RESET });
    this.updateIrq();
  }

  /** Registers, both timers, the held upper halves and the TIMCLK rates, as plain versioned data. */
  snapshot(): DeviceSnapshot {
    return {
      device: this.name,
      version: SP804_SNAPSHOT_VERSION,
      registers: this.bank.snapshot(),
      timers: [this.timers[0].snapshot(), this.timers[1].snapshot()],
      upper: [...this.upper],
      timclkHz: [this.timclk[0].hz, this.timclk[1].hz],
    };
  }

  /**
   * Loads a {@link Sp804.snapshot} taken at the current virtual time; all or nothing.
   * The TIMCLK inputs are the system's: set them to the snapshot's rates first.
   * @throws RegisterSnapshotError for a malformed snapshot or TIMCLK rates that differ from the inputs'
   * @throws PTimerSnapshotError for a malformed timer part or one taken at another time
   */
  restore(snapshot: unknown): void {
    const s = openSnapshot(snapshot, 'Sp804', SP804_SNAPSHOT_VERSION);
    const pair = (field: string): readonly unknown[] => {
      const v = s[field];
      if (!Array.isArray(v) || v.length !== 2) throw new RegisterSnapshotError(field, v, 'must be an array of two entries (timer 1, timer 2)');
      return v as unknown[];
    };
    const timers = pair('timers');
    const upper = pair('upper').map((u, i) => {
      if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u > 0xffff) {
        throw new RegisterSnapshotError(`upper[${i}]`, u, 'must be an integer in [0, 0xFFFF]');
      }
      return u;
    });
    pair('timclkHz').forEach((hz, i) => {
      expectSame(`timclkHz[${i}]`, hz, this.timclk[i]!.hz, "the TIMCLK input's rate now in Hz");
    });
    const backup = this.snapshot();
    restoreAtomically(
      () => this.load(s.registers, timers, upper),
      () => this.load(backup.registers, backup.timers as unknown[], backup.upper as number[]),
    );
    this.updateIrq();
  }

  /** Timer 1's interrupt output (MIS of timer 1, or TimerITOP bit 0 in integration test mode). */
  readonly timint1: IrqLine;
  /** Timer 2's interrupt output. */
  readonly timint2: IrqLine;
  /** The combined interrupt output: TIMINT1 OR TIMINT2. */
  readonly timintc: IrqSignal;
  /**
   * The output lines by TRM signal name: `timint1` is {@link Sp804.timint1}, `timint2`
   * {@link Sp804.timint2}, `timintc` {@link Sp804.timintc}.
   */
  readonly lines: Readonly<{
    /** TIMINT1, {@link Sp804.timint1}: timer 1's interrupt. */
    timint1: IrqLine;
    /** TIMINT2, {@link Sp804.timint2}: timer 2's interrupt. */
    timint2: IrqLine;
    /** TIMINTC, {@link Sp804.timintc}: TIMINT1 OR TIMINT2. */
    timintc: IrqSignal;
  }>;
  /**
   * `timer1.value`, `timer2.value` (32 bits): what a guest read of TimerXValue returns now
   * (the count, with the held upper half in 16-bit mode, ambiguity 5), read without an access.
   */
  readonly probes: readonly DeviceProbe[];
  /** The registers of {@link SP804_REGISTERS}, in map order. */
  readonly registers: readonly RegisterInfo[] = REGISTER_INFO;

  private onExpiry(i: Index, trigger: PTimerTrigger): void {
    this.bank.setField(REG[i].ris, 'RawTimerInt', 1);
    this.own.next({ kind: 'expiry', time: this.scheduler.now(), source: this.name, timer: this.timers[i].name, cause: trigger.cause });
    this.updateIrq();
  }

  /** The one place the outputs are computed (TIMINTC follows through anyOf). */
  private updateIrq(): void {
    const test = this.bank.field('TimerITCR', 'ITEN') === 1;
    const itop = this.bank.get('TimerITOP');
    this.timint1.set(test ? (itop & 1) !== 0 : this.masked(0) === 1);
    this.timint2.set(test ? (itop & 2) !== 0 : this.masked(1) === 1);
  }

  private writeLoad(i: Index, value: number): void {
    this.bank.set(REG[i].bgLoad, value); // BGLoad reads return Load
    this.program(i, { count: value });
    // TRM: Load = 0 interrupts at once (ambiguity 2); O keeps the ptimer from doing it.
    if (this.counterPart(i, value) === 0) this.bank.setField(REG[i].ris, 'RawTimerInt', 1);
  }

  private writeBgLoad(i: Index, value: number): void {
    this.bank.set(REG[i].load, value);
    this.program(i);
  }

  private writeControl(i: Index, value: number, old: number): void {
    if (((value & CONTROL.TimerPre.mask) >>> CONTROL.TimerPre.lsb) === 3) {
      const offset = SP804_REGISTERS.byName[REG[i].control].offset;
      this.own.next({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: `${REG[i].control}.TimerPre=0b11 (undefined; counts ÷256)` });
    }
    this.program(i, { wasSize32: flag(old, CONTROL.TimerSize.mask) });
  }

  private clearInterrupt(i: Index): void {
    this.bank.setField(REG[i].ris, 'RawTimerInt', 0);
    this.bank.set(REG[i].intClr, 0); // write-only: keep nothing
  }

  /** MIS: RIS & IntEnable. */
  private masked(i: Index): number {
    return this.bank.field(REG[i].ris, 'RawTimerInt') & this.bank.field(REG[i].control, 'IntEnable');
  }

  /** Value: the count, with the held upper half in 16-bit mode (ambiguity 5). */
  private value(i: Index): number {
    const count = Number(this.timers[i].getCount());
    return this.size32(i) ? count : this.upper[i]! * HALF + count;
  }

  private size32(i: Index): boolean {
    return this.bank.field(REG[i].control, 'TimerSize') === 1;
  }

  /** The part of a 32-bit value the counter holds in the current size. */
  private counterPart(i: Index, value: number): number {
    return this.size32(i) ? value : value % HALF;
  }

  /**
   * Brings timer `i`'s ptimer in line with its registers and TIMCLK, in one transaction
   * (or directly, in the timer's callback context). Changing nothing re-anchors nothing.
   * @param change - `count`: the counter is loaded with this 32-bit value; `wasSize32`: TimerSize before a Control write
   */
  private program(i: Index, change: { readonly count?: number; readonly wasSize32?: boolean } = {}): void {
    const control = this.bank.get(REG[i].control);
    const size32 = flag(control, CONTROL.TimerSize.mask);
    const oneShot = flag(control, CONTROL.OneShot.mask);
    const enabled = flag(control, CONTROL.TimerEn.mask);
    const periodic = flag(control, CONTROL.TimerMode.mask);
    const divisor = DIVISOR[(control & CONTROL.TimerPre.mask) >>> CONTROL.TimerPre.lsb]!;
    const hz = this.timclk[i].hz;
    const load = this.bank.get(REG[i].load);
    const apply = (t: PTimer): void => {
      // Read before any change: once a count is set, reads in the transaction are stale (reference §5.2 pitfall 2).
      let count = Number(t.getCount());
      let recount = false;
      if (change.wasSize32 !== undefined && change.wasSize32 !== size32) {
        if (size32) {
          count += this.upper[i]! * HALF;
        } else {
          this.upper[i] = Math.floor(count / HALF);
          count %= HALF;
        }
        recount = true;
      }
      if (change.count !== undefined) {
        this.upper[i] = Math.floor(change.count / HALF);
        count = size32 ? change.count : change.count % HALF;
        recount = true;
      }
      const max = size32 ? 0xffff_ffff : 0xffff;
      const limit = periodic ? (size32 ? load : load % HALF) : max;
      // A one-shot counter halts at 0, and so does a periodic one reloading 0 (ambiguities 2, 7).
      const counting = enabled && hz > 0 && !(count === 0 && (oneShot || limit === 0));
      // Stop and period changes first: both latch the running count (reference §5.2 pitfall 3).
      if (!counting) t.stop();
      if (hz > 0) {
        const tick = tickOf(hz, divisor);
        const now = t.getPeriod();
        if (now.ns !== tick.ns || now.frac32 !== tick.frac32) t.setPeriodFrac(tick.ns, tick.frac32);
      }
      t.setLimit(limit, false); // takes effect at the next zero (ambiguity 6)
      if (recount) t.setCount(count);
      if (counting) t.run(oneShot); // on a running timer only a mode switch: no restart (ambiguity 3)
    };
    const timer = this.timers[i];
    // Inside the timer's own callback context (a guest reacting synchronously to TIMINT) a
    // nested transaction would throw; the setters apply directly there (G3).
    if (timer.inTransaction) apply(timer);
    else timer.transaction(apply);
  }

  /** Applies a checked snapshot's parts (each part validates itself first). */
  private load(registers: unknown, timers: readonly unknown[], upper: readonly number[]): void {
    this.bank.restore(registers);
    this.timers[0].restoreState(timers[0]);
    this.timers[1].restoreState(timers[1]);
    this.upper[0] = upper[0]!;
    this.upper[1] = upper[1]!;
  }

  readonly name: string;
  /** Each timer's TIMCLK input (the same object twice when shared). */
  readonly timclk: readonly [ClockInput, ClockInput];
  /** The two counters (for inspection; the guest reaches them through the registers). */
  readonly timers: readonly [PTimer, PTimer];
  /** Guest errors and unimplemented reports (from the bank), expiries and the TimerPre = 11 report. Hot. */
  readonly events$: Observable<TraceEvent>;
  private readonly scheduler: SchedulerLike;
  private readonly bank: Bank;
  private readonly own = new Subject<TraceEvent>();
  /** The counter's upper half while it counts in 16-bit mode (ambiguity 5). */
  private readonly upper: [number, number] = [VALUE_RESET >>> 16, VALUE_RESET >>> 16];
}
