import { Subject, type Observable, type SchedulerLike } from 'rxjs';
import { z } from 'zod';
import type { GuestErrorEvent, TraceEvent } from '../trace/TraceEvent';
import type { TraceSink } from '../trace/TraceSink';
import {
  lowMask,
  type FieldDef,
  type FieldName,
  type RegisterDef,
  type RegisterMap,
  type RegisterName,
  type RegisterShape,
} from './defineRegisterMap';
import type { Device, DeviceSnapshot } from './Device';
import { compileHooks, type CompiledHooks } from './compileHooks';
import { DeviceHooks } from './deviceHooks';
import { BusRangeError } from './errors';
import { isAccessValue } from '../shared/AccessSize';
import type { FieldHandle, RegisterHandle } from './fieldHandle';
import type { AccessSize, GuestErrorReason } from './GuestAccess';
import { parseSnapshot, snapshotDeviceName, snapshotObject, snapshotVersion } from './snapshotSchema';

/** Current {@link RegisterBankSnapshot} format version. */
export const REGISTER_BANK_SNAPSHOT_VERSION = 1;

/** A bank's registers as plain, versioned data: every register's stored value by name. */
export interface RegisterBankSnapshot extends DeviceSnapshot {
  /** Always {@link REGISTER_BANK_SNAPSHOT_VERSION}. */
  readonly version: typeof REGISTER_BANK_SNAPSHOT_VERSION;
  /** Every register of the map by name, with its stored value (unsigned, within the register's width). */
  readonly registers: { readonly [register: string]: number };
}

/** Callbacks of one field (see {@link RegisterBank} for when each runs). */
export interface FieldHooks {
  /** After a guest write that covers the field (writable modes only), changed or not. */
  readonly write?: (value: number, old: number) => void;
  /** After a guest access that changed the field's value (a write, or a read of an `rc` field). */
  readonly change?: (value: number, old: number) => void;
}

/** Callbacks of one register (see {@link RegisterBank} for when each runs). */
export interface RegisterHooks<F extends string = string> {
  /**
   * The register's value as a guest read sees it, computed at the read (a
   * counter, a status derived from elsewhere). The read returns it through
   * the fields' read masks; nothing is stored and `rc` fields are not
   * cleared. A guest write to the register starts from this value. Device-side
   * `get`/`field` still return the stored value.
   */
  readonly read?: () => number;
  /** After every accepted guest write: the register's new and previous value. */
  readonly write?: (value: number, old: number) => void;
  /** Callbacks by field name (none for a register without fields). */
  readonly fields?: [F] extends [never] ? never : { readonly [K in F]?: FieldHooks };
}

/** Hooks of a whole bank, by register name. */
export type BankHooks<R extends RegisterShape> = { readonly [K in RegisterName<R>]?: RegisterHooks<R[K]> };

/** Options of {@link RegisterBank}. */
export interface RegisterBankOptions<R extends RegisterShape> {
  /** The device's name: the `source` of the bank's events, and the `device` of its snapshots. */
  readonly name: string;
  /** Virtual time, read (with `now()`) to stamp events; nothing is scheduled on it. */
  readonly scheduler: SchedulerLike;
  /**
   * The device's callbacks by register name (and field name within each); registers without hooks just store.
   * A {@link DeviceHooks} table (shared by a device class) needs `device`.
   */
  readonly hooks?: BankHooks<R> | DeviceHooks<R, never>;
  /** The instance a {@link DeviceHooks} table's callbacks receive first (required with one, refused without). */
  readonly device?: unknown;
  /** Asked on each guest write that is otherwise acceptable: `true` refuses it as a `locked` guest error. */
  readonly locked?: (register: RegisterName<R>) => boolean;
  /** Also receives every event the bank emits, synchronously, before `events$`. */
  readonly sink?: TraceSink;
}

const NO_FIELDS: readonly FieldDef[] = Object.freeze([]);

/** The bits an access of each size covers in a 32-bit register, by size (1, 2, 4, 8): looked up, not computed, per access. */
const SIZE_MASK: readonly number[] = [0, lowMask(8), lowMask(16), 0, lowMask(32), 0, 0, 0, lowMask(64)];

const WRITABLE_FIELD = new Set(['rw', 'wo', 'w1c', 'w0c', 'unimplemented']);
const hex = (n: number): string => `0x${n.toString(16)}`;
const fieldValue = (value: number, f: FieldDef): number => (value & f.mask) >>> f.lsb >>> 0;

/**
 * A device's registers at run time: the state of one {@link RegisterMap},
 * the guest's view of it (`read`/`write`, which never throw for anything a
 * bus could carry), and the device's own view (`get`/`set`/`field`/`setField`,
 * which run no hooks). It is a complete {@link Device}, so a device may
 * delegate to it or expose it.
 *
 * ## Guest accesses
 * An access is refused, as a `guest-error` event that reads 0 and changes
 * nothing (no hook runs), for the first of these that applies:
 * 1. `unmapped`: no register holds the byte at `offset`;
 * 2. `bad-size`: the register does not accept `size` (its `sizes`);
 * 3. `misaligned`: `offset` is not a multiple of `size`;
 * 4. `read-only` (a write to an `ro` register) or `write-only` (a read of a
 *    `wo` register);
 * 5. `locked`: a write while `locked(register)` says so.
 *
 * A narrower access reads or writes only the bytes it addresses
 * (little-endian); each field mode (see `FieldMode`) applies to the
 * bits the access covers. Bits no field covers (in a register that declares
 * fields) and `reserved` fields read as 0 and ignore writes.
 *
 * ## The order of a guest write (the one place it is stated; tested in test/bus/RegisterBank.hooks.spec.ts)
 * 1. Field modes are applied and the register's new value is stored, all at
 *    once: every callback below sees the whole write done.
 * 2. Field write callbacks, in map order, for every field the write covers
 *    whose mode takes writes (`rw`, `wo`, `w1c`, `w0c`, `unimplemented`),
 *    changed or not: `(newFieldValue, oldFieldValue)`.
 * 3. Change callbacks, in map order, for the fields whose value changed.
 * 4. The register's write callback: `(newValue, oldValue)`.
 * 5. Reports, as `unimplemented` events (by tag name, in bit order): each
 *    `unimplemented` field written with a non-zero value (`CTRL.SELEXTEN`),
 *    then each run of bits no field covers written with a 1 (`CTRL[7:4]`).
 *    `reserved` fields are never reported.
 *
 * Callbacks receive the values computed in step 1 even if an earlier
 * callback changed the register with `set`/`setField`; what a callback sets
 * is final (the bank stores nothing after step 1). A callback that throws
 * ends the sequence and propagates to the caller (the value stays stored): a
 * throwing hook is a bug in the device, not the guest's doing.
 *
 * A guest read of a register with `rc` fields returns the value, clears the
 * bits it returned, then runs the change callbacks of the fields that
 * changed, in map order (so a device can lower its interrupt).
 *
 * Malformed calls, which no bus could carry (an offset that is not a
 * non-negative safe integer, a size other than 1/2/4/8, a value that does not
 * fit `size` bytes), throw {@link BusRangeError}: they are our caller's bugs.
 *
 * Ordering: synchronous throughout (G1): an access's callbacks and events
 * all happen inside the `read`/`write` call, at the current virtual time.
 *
 * ## Example
 * ```ts
 * const bank = new RegisterBank(REGISTERS, {
 *   name: 'timer0',
 *   scheduler: clock,
 *   hooks: { CTRL: { fields: { EN: { change: (en) => (en ? start() : stop()) } } } },
 * });
 * bank.write(0x000, 4, 0b1001); // CTRL: EN and IRQEN set, EN's change callback runs
 * bank.field('CTRL', 'IRQEN');  // 1
 * bank.read(0x100, 4);          // 0, and a guest-error event { reason: 'unmapped' }
 * ```
 *
 * @see defineRegisterMap for the map it runs.
 */
export class RegisterBank<R extends RegisterShape> implements Device {
  /**
   * @param map - the register map (shared by every instance of the device)
   * @param options - name, scheduler, hooks, lock predicate, sink
   * @throws BusRangeError if `hooks` names a register or field the map does not have
   */
  constructor(map: RegisterMap<R>, options: RegisterBankOptions<R>) {
    this.map = map;
    this.name = options.name;
    this.scheduler = options.scheduler;
    this.sink = options.sink;
    this.locked = options.locked as ((register: string) => boolean) | undefined;
    this.values = map.registers.map((r) => r.reset);
    ({ indexOf: this.indexOf, byByte: this.byByte, plans: this.plans, readSizes: this.readSizes, writeSizes: this.writeSizes } = lookupsOf(map));
    const hooks = options.hooks;
    if (hooks instanceof DeviceHooks) {
      if ((hooks.map as RegisterMap<any>) !== map) throw new BusRangeError('hooks', 'is a DeviceHooks table of another register map', 'RegisterBank(hooks)');
      if (options.device === undefined) throw new BusRangeError(options.device, 'must be the instance a DeviceHooks table calls', 'RegisterBank(device)');
      // Shared by every instance of the device class: nothing per instance but the device (#19).
      this.hooks = hooks.compiled;
    } else {
      if (options.device !== undefined) throw new BusRangeError('device', 'is only for a DeviceHooks table: per-instance hooks close over their device', 'RegisterBank(device)');
      this.hooks = compileHooks(map, (hooks ?? {}) as never, false, 'RegisterBank');
    }
    this.device = options.device;
  }

  // ---- the guest's view --------------------------------------------------------

  /**
   * A guest load (see the class doc for refusals and `rc` fields).
   * @returns the bytes read, or 0 for a refused access
   */
  read(offset: number, size: AccessSize): number {
    checkCall(offset, size, 'read');
    const index = this.accept(offset, size, 'read');
    if (index === undefined) return 0;
    const def = this.map.registers[index]!;
    const shift = (offset - def.offset) * 8;
    // Shifts, not `2 ** shift`: a power with a variable exponent is a floating-point pow call, on every access
    // (a register is 32 bits, so its bytes' lanes and values fit the shift operators).
    const lanes = (SIZE_MASK[size]! << shift) >>> 0;
    const hook = this.hooks[index]!;
    if (hook.read !== undefined) return (this.computed(index) & def.readMask & lanes) >>> shift;

    const old = this.values[index]!;
    const result = (old & def.readMask & lanes) >>> shift;
    const clear = this.plans[index]!.rcMask & lanes;
    if ((old & clear) !== 0) {
      const next = (old & ~clear) >>> 0;
      this.values[index] = next;
      const fields = hook.anyField ? def.fields : NO_FIELDS;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const before = fieldValue(old, f);
        const after = fieldValue(next, f);
        if (before !== after) hook.fields[i]?.change?.(this.device, after, before);
      }
    }
    return result;
  }

  /** A guest store (see the class doc for refusals and the order of callbacks). */
  write(offset: number, size: AccessSize, value: number): void {
    checkCall(offset, size, 'write');
    if (!isAccessValue(value, size)) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${size} byte(s)`, 'write(value)');
    }
    const index = this.accept(offset, size, 'write');
    if (index === undefined) return;
    const def = this.map.registers[index]!;
    const plan = this.plans[index]!;
    const hook = this.hooks[index]!;
    const shift = (offset - def.offset) * 8;
    const lanes = (SIZE_MASK[size]! << shift) >>> 0;
    // The low 32 bits of the value, moved to its lanes (ToInt32 keeps them, as ToUint32 did).
    const written = (value << shift) >>> 0;
    const old = hook.read !== undefined ? this.computed(index) : this.values[index]!;

    // 1. field modes: the fields' masks are disjoint, so each mode applies to its own bits at once
    let next: number;
    if (plan.plain) {
      next = ((old & ~lanes) | (written & lanes)) >>> 0;
    } else {
      const store = plan.storeMask & lanes;
      next = ((old & ~store) | (written & store)) >>> 0;
      next = (next & ~(written & plan.w1cMask & lanes)) >>> 0;
      next = (next & ~(~written & plan.w0cMask & lanes)) >>> 0;
    }
    this.values[index] = next;

    // 2. field write callbacks, 3. change callbacks (only fields the write covers and whose mode takes writes)
    if (hook.anyField && (plan.writableMask & lanes) !== 0) {
      const { fields } = def;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if ((f.mask & lanes) !== 0 && (f.mask & plan.writableMask) !== 0) hook.fields[i]?.write?.(this.device, fieldValue(next, f), fieldValue(old, f));
      }
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if ((f.mask & lanes) === 0 || (f.mask & plan.writableMask) === 0) continue;
        const before = fieldValue(old, f);
        const after = fieldValue(next, f);
        if (before !== after) hook.fields[i]?.change?.(this.device, after, before);
      }
    }
    // 4. register callback
    hook.write?.(this.device, next, old);
    // 5. reports
    if ((written & plan.reportMask & lanes) !== 0) {
      for (const f of def.fields) {
        if (f.mode === 'unimplemented' && (written & f.mask & lanes) !== 0) {
          this.emit({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: `${def.name}.${f.name}` });
        }
      }
      for (const run of def.undeclared) {
        if ((written & run.mask & lanes) !== 0) {
          this.emit({ kind: 'unimplemented', time: this.scheduler.now(), source: this.name, offset, feature: run.label });
        }
      }
    }
  }

  /** Registers to the map's reset values. Runs no hooks and emits nothing. */
  reset(): void {
    this.map.registers.forEach((r, i) => {
      this.values[i] = r.reset;
    });
  }

  /** Every register's stored value, by name, as plain versioned data (a read hook's value is not included: its owner keeps that state). */
  snapshot(): RegisterBankSnapshot {
    // A plain loop, not Object.fromEntries (6x slower here): the ordering explorer snapshots a bank at most of its forks.
    const registers: Record<string, number> = {};
    const list = this.map.registers;
    for (let i = 0; i < list.length; i++) {
      const name = list[i]!.name;
      // An own property whatever the name (as fromEntries made it): an assignment to `__proto__` would set the prototype.
      if (name === '__proto__') Object.defineProperty(registers, name, { value: this.values[i]!, enumerable: true, writable: true, configurable: true });
      else registers[name] = this.values[i]!;
    }
    return { device: this.name, version: REGISTER_BANK_SNAPSHOT_VERSION, registers };
  }

  /**
   * Loads a {@link RegisterBankSnapshot}: all or nothing (it is fully checked
   * first, against {@link RegisterBank.snapshotSchema}). Runs no hooks: the
   * device recomputes what depends on the registers (its interrupt line)
   * itself.
   * @param snapshot - untrusted data (e.g. parsed JSON)
   * @throws RegisterSnapshotError naming the first part at fault (its full
   *   path, e.g. `registers.CTRL`): not an object, a field the format does not
   *   have, wrong version, a `device` that is not this bank's name, `registers`
   *   missing, a register missing or not in the map, a value that is not an
   *   unsigned integer of the register's width, or that sets bits that hold
   *   nothing (reserved or undeclared)
   */
  restore(snapshot: unknown): void {
    const s = parseSnapshot(this.snapshotSchema, snapshot);
    this.map.registers.forEach((r, i) => {
      this.values[i] = s.registers[r.name]!;
    });
  }

  /**
   * The schema of this bank's snapshots (zod, strict at every level): `device`
   * is this bank's name (a snapshot of another instance is refused),
   * `version` is {@link REGISTER_BANK_SNAPSHOT_VERSION}, and `registers` has
   * exactly the map's registers, each an unsigned integer of its width that
   * sets only bits that hold something. A device embeds it in its own
   * snapshot's schema, so a bad register is reported at its full path there
   * (`registers.registers.CTRL`).
   */
  get snapshotSchema(): z.ZodType<RegisterBankSnapshot> {
    this.schema ??= bankSchemaOf(this.map, this.name);
    return this.schema;
  }

  // ---- the device's view (no hooks, no events) ---------------------------------

  /** The register's stored value. @throws BusRangeError for a name not in the map */
  get(name: RegisterName<R>): number {
    return this.values[this.index(name, 'get')]!;
  }

  /**
   * Stores a register's value.
   * @throws BusRangeError for a name not in the map, or a value that does not
   *   fit the register or sets bits that hold nothing (reserved or undeclared)
   */
  set(name: RegisterName<R>, value: number): void {
    const index = this.index(name, 'set');
    const def = this.map.registers[index]!;
    if (!Number.isSafeInteger(value) || value < 0 || value > lowMask(def.width)) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${def.width} bits`, `set('${name}')`);
    }
    if ((value & ~def.storeMask) !== 0) {
      throw new BusRangeError(value, `must not set bits that hold nothing (reserved or undeclared) in ${name}`, `set('${name}')`);
    }
    this.values[index] = value;
  }

  /** A field's stored value (shifted down). @throws BusRangeError for a name not in the map */
  field<K extends RegisterName<R>>(name: K, field: FieldName<R, K>): number {
    const index = this.index(name, 'field');
    return fieldValue(this.values[index]!, this.fieldDef(index, field, 'field'));
  }

  /**
   * Stores a field's value, leaving the rest of the register as it is.
   * @throws BusRangeError for a name not in the map, a value that does not fit
   *   the field, or a non-zero value for a `reserved` field
   */
  setField<K extends RegisterName<R>>(name: K, field: FieldName<R, K>, value: number): void {
    const index = this.index(name, 'setField');
    const f = this.fieldDef(index, field, 'setField');
    // The caller's name is built only for an error: this runs on most register writes.
    if (!Number.isSafeInteger(value) || value < 0 || value > lowMask(f.width)) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${f.width} bit(s)`, `setField('${name}', '${field}')`);
    }
    if (f.mode === 'reserved' && value !== 0) throw new BusRangeError(value, 'a reserved field holds nothing: only 0', `setField('${name}', '${field}')`);
    this.values[index] = ((this.values[index]! & ~f.mask) | (value << f.lsb)) >>> 0;
  }

  /**
   * {@link RegisterBank.get} through a handle made once ({@link registerHandle}): no name lookup.
   * @throws BusRangeError for a handle to another map's register
   */
  getAt(handle: RegisterHandle<R>): number {
    if (handle.map !== this.map) throw foreign(handle.register, 'getAt(handle)');
    return this.values[handle.index]!;
  }

  /**
   * {@link RegisterBank.set} through a handle made once ({@link registerHandle}): no name lookup.
   * @throws BusRangeError for a handle to another map's register, or a value that does not
   *   fit the register or sets bits that hold nothing (reserved or undeclared)
   */
  setAt(handle: RegisterHandle<R>, value: number): void {
    if (handle.map !== this.map) throw foreign(handle.register, 'setAt(handle)');
    const def = this.map.registers[handle.index]!;
    if (!Number.isSafeInteger(value) || value < 0 || value > lowMask(def.width)) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${def.width} bits`, `setAt(${handle.register})`);
    }
    if ((value & ~def.storeMask) !== 0) {
      throw new BusRangeError(value, `must not set bits that hold nothing (reserved or undeclared) in ${handle.register}`, `setAt(${handle.register})`);
    }
    this.values[handle.index] = value;
  }

  /**
   * {@link RegisterBank.field} through a handle made once ({@link fieldHandle}): no name lookup.
   * @throws BusRangeError for a handle to another map's field
   */
  fieldAt(handle: FieldHandle<R>): number {
    if (handle.map !== this.map) throw foreign(handle.register, 'fieldAt(handle)');
    return fieldValue(this.values[handle.index]!, handle.field);
  }

  /**
   * {@link RegisterBank.setField} through a handle made once ({@link fieldHandle}): no name lookup.
   * @throws BusRangeError for a handle to another map's field, a value that
   *   does not fit the field, or a non-zero value for a `reserved` field
   */
  setFieldAt(handle: FieldHandle<R>, value: number): void {
    if (handle.map !== this.map) throw foreign(handle.register, 'setFieldAt(handle)');
    const f = handle.field;
    if (!Number.isSafeInteger(value) || value < 0 || value > handle.max) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${f.width} bit(s)`, `setFieldAt(${handle.register}.${f.name})`);
    }
    if (f.mode === 'reserved' && value !== 0) throw new BusRangeError(value, 'a reserved field holds nothing: only 0', `setFieldAt(${handle.register}.${f.name})`);
    this.values[handle.index] = ((this.values[handle.index]! & ~f.mask) | (value << f.lsb)) >>> 0;
  }

  // ---- private -------------------------------------------------------------------

  /** The register an access goes to, or undefined after reporting why it is refused. */
  private accept(offset: number, size: AccessSize, kind: 'read' | 'write'): number | undefined {
    const index = offset < this.byByte.length ? this.byByte[offset]! : -1;
    // The usual access settled from two tables: a register there that takes this size for this kind, aligned
    // (sizes are powers of two: the low bits), and no lock to ask. Anything else is judged below, in order.
    if (
      index >= 0 &&
      ((kind === 'read' ? this.readSizes : this.writeSizes)[index]! & size) !== 0 &&
      (offset & (size - 1)) === 0 &&
      (kind === 'read' || this.locked === undefined)
    ) {
      return index;
    }
    if (index < 0) return this.refuse(offset, size, 'unmapped', `no register at ${hex(offset)}`);
    const def = this.map.registers[index]!;
    if ((this.plans[index]!.sizeBits & size) === 0) {
      return this.refuse(offset, size, 'bad-size', `${def.name} accepts ${def.sizes.join('/')}-byte accesses, not ${size}`);
    }
    if ((offset & (size - 1)) !== 0) {
      return this.refuse(offset, size, 'misaligned', `${def.name}: a ${size}-byte access at ${hex(offset)} is not aligned to ${size}`);
    }
    if (kind === 'write' && def.access === 'ro') return this.refuse(offset, size, 'read-only', `${def.name} is read-only`);
    if (kind === 'read' && def.access === 'wo') return this.refuse(offset, size, 'write-only', `${def.name} is write-only`);
    if (kind === 'write' && this.locked?.(def.name) === true) return this.refuse(offset, size, 'locked', `${def.name} is locked`);
    return index;
  }

  private refuse(offset: number, size: AccessSize, reason: GuestErrorReason, detail: string): undefined {
    const event: GuestErrorEvent = { kind: 'guest-error', time: this.scheduler.now(), source: this.name, offset, size, reason, detail };
    this.emit(event);
    return undefined;
  }

  private emit(event: TraceEvent): void {
    this.sink?.record(event);
    // Hot and without replay: before anyone subscribed there is nobody to tell.
    this.subject?.next(event);
  }

  /** A read hook's value, checked (a bad one is the device's bug). */
  private computed(index: number): number {
    const def: RegisterDef = this.map.registers[index]!;
    const value = this.hooks[index]!.read!(this.device);
    if (!Number.isSafeInteger(value) || value < 0 || value > lowMask(def.width)) {
      throw new BusRangeError(value, `must be an unsigned integer that fits in ${def.width} bits`, `read hook of ${def.name}`);
    }
    return value;
  }

  private index(name: string, method: string): number {
    const index = this.indexOf.get(name);
    if (index === undefined) throw new BusRangeError(name, 'is not a register of the map', `${method}(name)`);
    return index;
  }

  private fieldDef(index: number, field: string, method: string): FieldDef {
    const def = this.map.registers[index]!;
    // One property read; a name the object inherits (`toString`, `__proto__`) is no FieldDef of that name.
    const f = (def.fieldByName as Record<string, FieldDef | undefined>)[field];
    if (typeof f !== 'object' || f === null || f.name !== field) throw new BusRangeError(field, `is not a field of ${def.name}`, `${method}(field)`);
    return f;
  }

  readonly name: string;

  /** Guest errors and `unimplemented` reports, as they happen. Hot: no replay. */
  get events$(): Observable<TraceEvent> {
    // Built on first use: most banks are never watched this way (one per device instance).
    return (this.eventStream ??= (this.subject ??= new Subject<TraceEvent>()).asObservable());
  }

  private readonly map: RegisterMap<R>;
  private readonly scheduler: SchedulerLike;
  private readonly sink: TraceSink | undefined;
  private readonly locked: ((register: string) => boolean) | undefined;
  /** By register index: the map's shared table (DeviceHooks) or this instance's own. */
  private readonly hooks: readonly CompiledHooks[];
  /** What a DeviceHooks table's callbacks receive first (undefined with per-instance hooks). */
  private readonly device: unknown;
  private subject: Subject<TraceEvent> | undefined = undefined;
  private eventStream: Observable<TraceEvent> | undefined = undefined;
  /** Built on first use (it names this instance). */
  private schema: z.ZodType<RegisterBankSnapshot> | undefined;
  /** Stored values, by register index (map order). */
  private readonly values: number[];
  /** Register index by name; shared by every bank of the map (see {@link lookupsOf}). */
  private readonly indexOf: ReadonlyMap<string, number>;
  /** Register index by each byte offset up to the map's last (-1: no register); shared like `indexOf`. */
  private readonly byByte: Int32Array;
  /** Each register's masks for the access paths, by index; shared like `indexOf`. */
  private readonly plans: readonly RegisterPlan[];
  /** The sizes each register takes for a load and for a store, by index; shared like `indexOf`. */
  private readonly readSizes: Uint8Array;
  private readonly writeSizes: Uint8Array;
}

/**
 * What the guest's access paths need of one register, worked out once per map
 * (a guest access runs for every load and store of a simulation; bench/accesses.ts).
 */
interface RegisterPlan {
  /** The sizes it takes, as bits (1, 2, 4 and 8 are distinct bits). */
  readonly sizeBits: number;
  /** No fields: a write stores every byte it covers. */
  readonly plain: boolean;
  /** Bits of `rc` fields (cleared by a read). */
  readonly rcMask: number;
  /** Bits of fields that store what is written (`rw`, `wo`, `unimplemented`). */
  readonly storeMask: number;
  /** Bits of `w1c` and `w0c` fields. */
  readonly w1cMask: number;
  readonly w0cMask: number;
  /** Bits of fields whose mode takes writes (their write and change callbacks run). */
  readonly writableMask: number;
  /** Bits a write reports as `unimplemented` when set: `unimplemented` fields and undeclared runs. */
  readonly reportMask: number;
}

interface MapLookups {
  readonly indexOf: ReadonlyMap<string, number>;
  readonly byByte: Int32Array;
  readonly plans: readonly RegisterPlan[];
  /** The sizes each register takes for a load, as bits: 0 for a write-only one. */
  readonly readSizes: Uint8Array;
  /** The sizes each register takes for a store, as bits: 0 for a read-only one. */
  readonly writeSizes: Uint8Array;
}

/** A map's lookup tables, built once per map: they depend on nothing else, and a device instance should not carry its own. */
const LOOKUPS = new WeakMap<RegisterMap<any>, MapLookups>();

const maskOf = (r: RegisterDef, modes: readonly string[]): number =>
  r.fields.reduce((m, f) => (modes.includes(f.mode) ? (m | f.mask) >>> 0 : m), 0);

const planOf = (r: RegisterDef): RegisterPlan => ({
  sizeBits: r.sizes.reduce((bits, size) => bits | size, 0),
  plain: r.fields.length === 0,
  rcMask: maskOf(r, ['rc']),
  storeMask: maskOf(r, ['rw', 'wo', 'unimplemented']),
  w1cMask: maskOf(r, ['w1c']),
  w0cMask: maskOf(r, ['w0c']),
  writableMask: maskOf(r, [...WRITABLE_FIELD]),
  reportMask: (maskOf(r, ['unimplemented']) | r.undeclared.reduce((m, u) => m | u.mask, 0)) >>> 0,
});

const lookupsOf = (map: RegisterMap<any>): MapLookups => {
  let found = LOOKUPS.get(map);
  if (found === undefined) {
    const indexOf = new Map<string, number>();
    const end = map.registers.reduce((e, r) => Math.max(e, r.offset + r.bytes), 0);
    const byByte = new Int32Array(end).fill(-1);
    map.registers.forEach((r, index) => {
      indexOf.set(r.name, index);
      for (let b = 0; b < r.bytes; b++) byByte[r.offset + b] = index;
    });
    const plans = map.registers.map(planOf);
    const readSizes = Uint8Array.from(map.registers, (r, i) => (r.access === 'wo' ? 0 : plans[i]!.sizeBits));
    const writeSizes = Uint8Array.from(map.registers, (r, i) => (r.access === 'ro' ? 0 : plans[i]!.sizeBits));
    LOOKUPS.set(map, (found = { indexOf, byByte, plans, readSizes, writeSizes }));
  }
  return found;
};

/**
 * Bank schemas by map and name: building one costs milliseconds and every
 * instance of a device with one name has the same, so each is built once.
 */
const SCHEMAS = new WeakMap<RegisterMap<RegisterShape>, Map<string, z.ZodType<RegisterBankSnapshot>>>();

/** The schema of {@link RegisterBankSnapshot}s of `map` for the instance `name` (see {@link RegisterBank.snapshotSchema}). */
const bankSchemaOf = (map: RegisterMap<RegisterShape>, name: string): z.ZodType<RegisterBankSnapshot> => {
  let byName = SCHEMAS.get(map);
  if (byName === undefined) SCHEMAS.set(map, (byName = new Map()));
  let schema = byName.get(name);
  if (schema === undefined) {
    schema = snapshotObject(
      {
        device: snapshotDeviceName(name),
        version: snapshotVersion(REGISTER_BANK_SNAPSHOT_VERSION),
        registers: z.strictObject(Object.fromEntries(map.registers.map((r) => [r.name, registerValue(r)])), {
          error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a register of the map' : 'must be an object of register values by name'),
        }),
      },
      'an object made by snapshot()',
    ) as unknown as z.ZodType<RegisterBankSnapshot>;
    byName.set(name, schema);
  }
  return schema;
};

const fitsWidth = (v: unknown, r: RegisterDef): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= lowMask(r.width);

/** A register's value in a snapshot: present, an unsigned integer of its width, no bits that hold nothing. */
const registerValue = (r: RegisterDef): z.ZodType<number> =>
  z.custom<number>((v) => fitsWidth(v, r) && (v & ~r.storeMask) === 0, {
    error: ({ input: v }) => {
      if (v === undefined) return 'is missing';
      if (!fitsWidth(v, r)) return `must be an unsigned integer that fits in ${r.width} bits`;
      return `must not set bits that hold nothing (reserved or undeclared): ${hex((v & ~r.storeMask) >>> 0)}`;
    },
  });

/** The error for a {@link FieldHandle} or {@link RegisterHandle} of another map. */
const foreign = (register: string, method: string): BusRangeError =>
  new BusRangeError(register, "is a handle to another register map's register (make it with this bank's map)", method);

/** Rejects calls no bus could make (see the class doc). */
const checkCall = (offset: number, size: number, method: string): void => {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new BusRangeError(offset, 'must be a non-negative safe integer byte offset', `${method}(offset)`);
  }
  if (size !== 4 && size !== 1 && size !== 2 && size !== 8) throw new BusRangeError(size, 'must be 1, 2, 4 or 8 bytes', `${method}(size)`);
};
