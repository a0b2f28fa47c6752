import { compileHooks, type CompiledHooks } from './compileHooks';
import { fileChannelHooks, type ChannelIndex } from './fileChannelHooks';
import type { BankShape, ChannelNames, ChannelShape, RegisterMap, RegisterName, RegisterShape } from './defineRegisterMap';

/** A field's callbacks in a {@link DeviceHooks} table: as `FieldHooks`, with the device first. */
export interface DeviceFieldHooks<D> {
  /** After a guest write that covers the field (writable modes only), changed or not. */
  readonly write?: (device: D, value: number, old: number) => void;
  /** After a guest access that changed the field's value (a write, or a read of an `rc` field). */
  readonly change?: (device: D, value: number, old: number) => void;
}

/** A register's callbacks in a {@link DeviceHooks} table: as `RegisterHooks`, with the device first. */
export interface DeviceRegisterHooks<D, F extends string = string> {
  /** The register's value as a guest read sees it, computed at the read (see `RegisterHooks.read`). */
  readonly read?: (device: D) => number;
  /** After every accepted guest write: the register's new and previous value. */
  readonly write?: (device: D, value: number, old: number) => void;
  /** Callbacks by field name (none for a register without fields). */
  readonly fields?: [F] extends [never] ? never : { readonly [K in F]?: DeviceFieldHooks<D> };
}

/** A whole {@link DeviceHooks} table, by register name. */
export type DeviceBankHooks<R extends RegisterShape, D> = { readonly [K in RegisterName<R>]?: DeviceRegisterHooks<D, R[K]> };

/**
 * A device class's register hooks, built once for a map and shared by every
 * instance: each callback takes the device as its first argument instead of
 * closing over it. Give it to a `RegisterBank` (`hooks`) with the instance
 * (`device`); the bank then holds no callback, hook object or closure of its
 * own, where per-instance hooks cost each instance about 100 bytes per hooked
 * register (#19). Made by {@link deviceHooks}.
 */
export class DeviceHooks<R extends RegisterShape, D> {
  /** @internal Use {@link deviceHooks}. */
  constructor(map: RegisterMap<R>, compiled: readonly CompiledHooks[]) {
    this.map = map;
    this.compiled = compiled;
  }

  /** The map the table was built for (a bank of another map refuses it). */
  readonly map: RegisterMap<R>;
  /** @internal The callbacks by register index, each taking the device as `this`. */
  readonly compiled: readonly CompiledHooks[];
  /** Keeps `D` in the type, so a table is given only with its kind of device. */
  declare private readonly device?: (device: D) => void;
}

/** The two builders of a device class's hooks, typed for its device `D` (see {@link deviceHooks}). */
export interface DeviceHooksBuilder<D> {
  /**
   * The class's table for `map`.
   * @param map - the register map
   * @param hooks - the callbacks by register name (and field name within each), each taking the device first
   * @returns the table, for `RegisterBankOptions.hooks` (with the instance as `device`)
   * @throws BusRangeError if `hooks` names a register or field the map does not have
   */
  of<R extends RegisterShape>(map: RegisterMap<R>, hooks: DeviceBankHooks<R, D>): DeviceHooks<R, D>;
  /**
   * As `channelHooks`, for a table: channel `i`'s callbacks by member name, filed under its
   * registers' names (`Load` of channel 1 under `Timer2Load`); spread the result into {@link DeviceHooksBuilder.of}.
   * `hooks` runs once per channel of the map, when the table is built, not per instance.
   * @param map - the register map
   * @param bank - a channel bank of it (made by `defineChannels`)
   * @param hooks - channel `i`'s hooks by member name, given its position from 0 and its register names
   * @returns the hooks by register name
   * @throws BusRangeError for a bank that is not a channel bank of the map, or a member it does not have
   */
  channels<R extends RegisterShape, C extends ChannelShape, K extends keyof C & string>(
    map: RegisterMap<R, BankShape, C>,
    bank: K,
    hooks: (index: ChannelIndex<C[K]>, names: C[K][number]) => DeviceChannelHooks<R, C[K][number], D>,
  ): DeviceBankHooks<R, D>;
}

/** One channel's hooks of a {@link DeviceHooks} table by member name, each taking the device first (see `ChannelHooks`). */
export type DeviceChannelHooks<R extends RegisterShape, Ch extends ChannelNames, D> = {
  readonly [M in keyof Ch & string]?: DeviceRegisterHooks<D, R[Ch[M] & keyof R]>;
};

/**
 * Builds a device class's shared hook tables (see {@link DeviceHooks}), typed for its
 * device `D`: build a table once (at module level, or once per map for a class that serves
 * several maps) and give it to every instance's bank.
 *
 * Ordering: none of G1–G5 applies (it builds data; the hooks run as `RegisterBank` says).
 *
 * ## Example
 * ```ts
 * const build = deviceHooks<MyTimer>();
 * const HOOKS = build.of(REGISTERS, {
 *   COUNT: { read: (d) => d.count() },
 *   CTRL: { fields: { EN: { change: (d, en) => d.enable(en === 1) } } },
 *   ...build.channels(REGISTERS, 'Timer', (i) => ({ Load: { write: (d, v) => d.load(i, v) } })),
 * });
 * // in the constructor:
 * this.bank = new RegisterBank(REGISTERS, { name, scheduler, hooks: HOOKS, device: this });
 * ```
 *
 * @returns the builders for device `D`
 */
export const deviceHooks = <D>(): DeviceHooksBuilder<D> => BUILDER as DeviceHooksBuilder<D>;

const BUILDER: DeviceHooksBuilder<unknown> = Object.freeze({
  of: <R extends RegisterShape>(map: RegisterMap<R>, hooks: DeviceBankHooks<R, unknown>): DeviceHooks<R, unknown> =>
    new DeviceHooks(map, compileHooks(map, hooks as never, true, 'deviceHooks')),
  channels: (map: RegisterMap<RegisterShape, BankShape, ChannelShape>, bank: string, hooks: (index: number, names: ChannelNames) => object) =>
    fileChannelHooks(map, bank, hooks as never, 'deviceHooks().channels') as DeviceBankHooks<RegisterShape, unknown>,
}) as DeviceHooksBuilder<unknown>;
