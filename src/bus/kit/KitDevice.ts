import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import type { z } from 'zod';
import type { ClockInput } from '../../clock/ClockInput';
import type { PTimer } from '../../ptimer/PTimer';
import type { IrqSignal } from '../../shared/IrqSignal';
import type { TraceEvent } from '../../trace/TraceEvent';
import type { TraceSink } from '../../trace/TraceSink';
import type { Device, DeviceProbe, DeviceSnapshot, RegisterInfo } from '../Device';
import type { RegisterMap, RegisterName, RegisterShape } from '../defineRegisterMap';
import type { AccessSize } from '../GuestAccess';
import { DeviceHooks } from '../deviceHooks';
import { RegisterBank, type BankHooks, type RegisterBankSnapshot } from '../RegisterBank';
import { deviceSnapshotSchema, parseSnapshot, type DeviceSnapshotShape } from '../snapshotSchema';
import { checkTimerPart, type TimerPartView } from '../timerPart';
import { channelTimers, type ChannelTimersOptions } from './deviceTimer';
import { DeviceLifetime } from './DeviceLifetime';
import { EventOutlet } from './EventOutlet';

/** What every kit device's snapshot starts with: its name, its format version and its register bank. */
export interface KitSnapshotHead<V extends number> {
  /** The instance's name. */
  readonly device: string;
  /** The snapshot format version. */
  readonly version: V;
  /** The register bank's state. */
  readonly registers: RegisterBankSnapshot;
}

/** Which snapshot format a kit device reads: see `KitDevice.parseSnapshot`. */
export interface KitSnapshotFormat {
  /** The device class, for the rule of a snapshot that is not an object (`must be an object made by Sp804.snapshot()`). */
  readonly device: string;
  /** The version the device reads. */
  readonly version: number;
}

/** What `attachBank` adds to the map and hooks. */
export interface KitBankOptions<R extends RegisterShape> {
  /** Asked on each guest write that is otherwise acceptable: `true` refuses it as a `locked` guest error. */
  readonly locked?: (register: RegisterName<R>) => boolean;
}

/**
 * The shell every catalogue device shares, written once: the guest's
 * `read`/`write` go to a {@link RegisterBank} (which reports a bad access as
 * a `guest-error` event and changes nothing) and each write ends with the
 * device's `updateIrq`; `reset`, `traceTo`, `dispose`, `events$`, lazily built
 * `lines` and `probes`, and the snapshot plumbing (the head of a snapshot,
 * one strict schema per class and name, a timer part checked at the current
 * instant).
 *
 * `R` is the register map's shape, `L` the lines' (by TRM signal name, each documented).
 *
 * A device kit piece. Everything is on the prototype: an instance holds its
 * name, scheduler, {@link EventOutlet}, lifetime and bank, and nothing per
 * method, so a system of many devices stays small (#19).
 *
 * A subclass, in its constructor: calls `super(scheduler, name)`, makes its
 * timers with `deviceTimer` (`events: this.outlet`, `lifetime: this.lifetime`),
 * calls `attachBank` with its map and hooks, and resets or
 * syncs as its header says. It implements `snapshot`, `restore`,
 * `updateIrq` (the one place its outputs are computed, STYLE.md 18),
 * `createLines` and `createProbes`, and overrides `reset` when a reset does
 * more than the bank's.
 *
 * Ordering: none of G1–G5 is its own: a write's hooks and their trace
 * events run inside `write` (G1), and `updateIrq` runs after them, once.
 *
 * ## Example
 * ```ts
 * class Blinker extends KitDevice<RegisterShapeOf<typeof BLINKER_REGISTERS>> {
 *   constructor(scheduler: SchedulerLike) {
 *     super(scheduler, 'blinker');
 *     this.attachBank(BLINKER_REGISTERS, { CTRL: { write: (v) => this.irq.set(v !== 0) } });
 *   }
 *   snapshot() { return this.snapshotHead(1); }
 *   restore(snapshot: unknown) {
 *     const s = this.parseSnapshot(snapshot, { device: 'Blinker', version: 1 }, () => ({}));
 *     this.bank.restore(s.registers);
 *     this.updateIrq();
 *   }
 *   readonly irq = new IrqLine('blinker.irq');
 *   readonly registers = registerInfoOf(BLINKER_REGISTERS);
 *   protected createLines() { return { irq: this.irq }; }
 *   protected createProbes() { return []; }
 *   protected updateIrq() { this.irq.set(this.bank.get('CTRL') !== 0); }
 * }
 * ```
 */
export abstract class KitDevice<R extends RegisterShape, L extends Readonly<Record<string, IrqSignal>> = Readonly<Record<string, IrqSignal>>> implements Device {
  /**
   * @param scheduler - virtual time (1 unit = 1 ns)
   * @param name - the instance name, the `source` of its events (checked by the subclass's `checkDeviceOptions`)
   */
  protected constructor(scheduler: SchedulerLike, name: string) {
    this.scheduler = scheduler;
    this.name = name;
  }

  /**
   * A guest load: the bank's value (a register's read hook, or 0 and a `guest-error` event for a bad access).
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @returns the value read
   */
  read(offset: number, size: AccessSize): number {
    return this.bank.read(offset, size);
  }

  /**
   * A guest store: the bank applies it (or reports a bad access), then the outputs are recomputed.
   * @param offset - byte offset in the device's region
   * @param size - access size in bytes
   * @param value - the value stored
   */
  write(offset: number, size: AccessSize, value: number): void {
    this.bank.write(offset, size, value);
    this.updateIrq();
  }

  /** Hardware reset: registers to their reset values, then the outputs. Override when timers or device state reset too. */
  reset(): void {
    this.bank.reset();
    this.updateIrq();
  }

  abstract snapshot(): DeviceSnapshot;
  abstract restore(snapshot: unknown): void;

  /** Guest errors and `unimplemented` reports (from the bank), expiries and the device's own reports. Hot. */
  get events$(): Observable<TraceEvent> {
    return this.outlet.events$;
  }

  /**
   * Connects a synchronous sink to the device's events (see `Device.traceTo`).
   * @param sink - the sink
   * @returns a function that disconnects it
   */
  traceTo(sink: TraceSink): () => void {
    return this.outlet.connect(sink);
  }

  /** Releases the timers (the lifetime) and the clock-input listener, and completes `events$`. */
  dispose(): void {
    this.lifetime.unsubscribe();
    const follows = this.follows;
    if (follows !== undefined) for (let i = 0; i < follows.length; i += FOLLOW_STRIDE) (follows[i] as ClockInput).unwatch(this.clockListener!);
    this.outlet.close();
  }

  /** The output lines by TRM signal name, built on first use (see `createLines`) and frozen. */
  get lines(): Readonly<L> {
    return (this.builtLines ??= Object.freeze(this.createLines()));
  }

  /** The device's probes, built on first use (see `createProbes`) and frozen: most instances are never sampled. */
  get probes(): readonly DeviceProbe[] {
    return (this.builtProbes ??= Object.freeze(this.createProbes()));
  }

  /** The guest-visible registers (the map's, shared by every instance). */
  abstract readonly registers: readonly RegisterInfo[];

  readonly name: string;

  /** The output lines by local name; called once, on the first read of {@link KitDevice.lines}. */
  protected abstract createLines(): L;

  /** The probes; called once, on the first read of {@link KitDevice.probes}. */
  protected abstract createProbes(): readonly DeviceProbe[];

  /** The one place the device's outputs are computed (STYLE.md 18): after every write, reset and restore. */
  protected abstract updateIrq(): void;

  /**
   * Makes the device's register bank, with the device's name, scheduler and outlet.
   * @param map - the register map
   * @param hooks - the device's callbacks by register name: its class's shared {@link DeviceHooks} table (called with this
   *   instance), or per-instance hooks
   * @param options - a lock predicate
   * @returns the bank (also `this.bank`)
   * @throws BusRangeError if `hooks` names a register or field the map does not have
   */
  protected attachBank(map: RegisterMap<R>, hooks?: BankHooks<R> | DeviceHooks<R, this>, options: KitBankOptions<R> = {}): RegisterBank<R> {
    const device = hooks instanceof DeviceHooks ? this : undefined;
    this.bank = new RegisterBank(map, { name: this.name, scheduler: this.scheduler, sink: this.outlet, hooks: hooks as BankHooks<R> | DeviceHooks<R, never>, device, locked: options.locked });
    return this.bank;
  }

  /**
   * The device's timers, one per name (channel `i` named `names[i]`), made
   * with {@link channelTimers} with this device as their owner, its name,
   * outlet and lifetime: the handler is a static function of the class,
   * given the device and the channel.
   * @param names - each timer's name, `<device>.<timer>` by convention
   * @param options - policy, delivery, timing and the class's handler
   * @returns the timers, channel 0 first
   */
  protected attachTimers(names: readonly string[], options: Omit<ChannelTimersOptions<this>, 'device' | 'names' | 'owner' | 'events' | 'lifetime'>): PTimer[] {
    return channelTimers(this.scheduler, { ...options, device: this.name, names, owner: this, events: this.outlet, lifetime: this.lifetime });
  }

  /**
   * Follows a clock input until `dispose`: `onChange(this, hz, clock)` runs after each change of
   * its rate, in the order the device followed its inputs. Give a static function (one per class):
   * a device has one listener for all its inputs and keeps three slots per follow, not a closure
   * and a stop function each (#19). Errors its handlers throw surface from the input's `setHz`
   * (the first one, after every handler ran), as a listener's do.
   * @param clock - the input
   * @param onChange - the device's handler, given the device, the new rate in Hz and the input
   */
  protected followClock(clock: ClockInput, onChange: (device: this, hz: number, clock: ClockInput) => void): void {
    const follows = this.follows ?? [];
    // One registration per input: the listener looks at every input the device follows.
    // Bound, not an arrow: no context object beside it.
    if (!follows.includes(clock)) clock.watch((this.clockListener ??= this.clocksChanged.bind(this)));
    // A new array of the exact size (a push or a spread leaves room for 16 more slots, #19).
    this.follows = follows.concat([clock, onChange, clock.hz]);
  }

  /**
   * The fields every snapshot of this device starts with, in order: `device`, `version`, `registers`.
   * @param version - the format version
   * @returns the head, to spread first into the snapshot
   */
  protected snapshotHead<V extends number>(version: V): KitSnapshotHead<V> {
    return { device: this.name, version, registers: this.bank.snapshot() };
  }

  /**
   * Checks an untrusted snapshot against the device's one strict schema (built once per class
   * and instance name by `deviceSnapshotSchema`): `device` must be this instance's name,
   * `version` the format's, `registers` the bank's, and the device's own fields `fields()`.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @param format - the device class (for messages) and the version it reads
   * @param fields - the device's own fields' schemas (called once per class and name: no instance state)
   * @returns the parsed snapshot
   * @throws RegisterSnapshotError at the full path of the first field at fault
   */
  protected parseSnapshot<S extends z.core.$ZodLooseShape>(snapshot: unknown, format: KitSnapshotFormat, fields: () => S): z.output<z.ZodObject<DeviceSnapshotShape<z.ZodType<RegisterBankSnapshot>> & S, z.core.$strict>> {
    const schema = deviceSnapshotSchema({ device: format.device, name: this.name, version: format.version, bank: this.bank.snapshotSchema }, fields);
    return parseSnapshot(schema, snapshot);
  }

  /**
   * Checks a timer's part of a snapshot at the current virtual time (see `checkTimerPart`).
   * @param timer - the device's timer
   * @param part - the snapshot's part for it
   * @param where - its path in the device snapshot (`timer`, `timers[1]`)
   * @returns the part, read
   * @throws RegisterSnapshotError at `<where>.<field>`
   */
  protected checkTimer(timer: PTimer, part: unknown, where: string): TimerPartView {
    return checkTimerPart(timer, part, where, this.scheduler.now());
  }

  /** Virtual time (1 unit = 1 ns). */
  protected readonly scheduler: SchedulerLike;
  /** Where the device's events go (the bank's, the timers' expiries, the device's own reports). */
  protected readonly outlet = new EventOutlet();
  /** Everything `dispose` releases: timers made with `deviceTimer` and clock-input listeners. */
  protected readonly lifetime: Subscription = new DeviceLifetime();
  /** The register bank, made by `attachBank` in the subclass's constructor. */
  protected bank!: RegisterBank<R>;
  private builtLines: Readonly<L> | undefined;
  private builtProbes: readonly DeviceProbe[] | undefined;
  /** `followClock`'s follows, flat: (input, handler, rate last handled) each; absent until the first. */
  private follows: unknown[] | undefined;
  /** The one listener the device gives each input it follows. */
  private clockListener: (() => void) | undefined;

  /** An input changed: runs the handler of each follow whose input's rate differs from the one it last handled. */
  private clocksChanged(): void {
    const follows = this.follows!;
    let first: { error: unknown } | undefined;
    for (let i = 0; i < follows.length; i += FOLLOW_STRIDE) {
      const clock = follows[i] as ClockInput;
      const hz = clock.hz;
      if (hz === follows[i + 2]) continue;
      follows[i + 2] = hz;
      try {
        (follows[i + 1] as (device: this, hz: number, clock: ClockInput) => void)(this, hz, clock);
      } catch (error) {
        first ??= { error };
      }
    }
    if (first !== undefined) throw first.error;
  }
}

/** Slots per follow in `KitDevice.follows`. */
const FOLLOW_STRIDE = 3;
