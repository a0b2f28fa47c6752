import type { RegisterMap } from './defineRegisterMap';
import { BusRangeError } from './errors';

/** A field's callbacks as the bank calls them: the bank's device first (per-instance hooks are wrapped to drop it). */
export interface CompiledFieldHooks {
  readonly write: ((device: unknown, value: number, old: number) => void) | undefined;
  readonly change: ((device: unknown, value: number, old: number) => void) | undefined;
}

/** A register's callbacks as the bank calls them (see {@link compileHooks}). */
export interface CompiledHooks {
  readonly read: ((device: unknown) => number) | undefined;
  readonly write: ((device: unknown, value: number, old: number) => void) | undefined;
  /** By field index. */
  readonly fields: readonly (CompiledFieldHooks | undefined)[];
  /** Whether any field has a callback (most writes then skip the field loops). */
  readonly anyField: boolean;
}

/** Any callback of a hook table: per-instance hooks take the values, shared ones the device first. */
type Callback = (...args: never[]) => unknown;

/** A register's hooks of either kind, as given (checked here). */
interface GivenHooks {
  readonly read?: Callback;
  readonly write?: Callback;
  readonly fields?: Readonly<Record<string, { readonly write?: Callback; readonly change?: Callback } | undefined>>;
}

const NO_FIELD_HOOKS: readonly (CompiledFieldHooks | undefined)[] = Object.freeze([]);
const NO_HOOKS: CompiledHooks = Object.freeze({ read: undefined, write: undefined, fields: NO_FIELD_HOOKS, anyField: false });

/**
 * Shared hooks already take the device first and are called as given: a wrapper would put a second,
 * megamorphic call on every hooked access of every device (#19). Per-instance hooks (a bank built with
 * `hooks`, rare) are wrapped to drop the device, and still see it as `this`, as before.
 */
const readOf = (f: Callback | undefined, shared: boolean): CompiledHooks['read'] => {
  if (f === undefined || shared) return f as CompiledHooks['read'];
  const read = f as unknown as (this: unknown) => number;
  return (device) => read.call(device);
};

/** As {@link readOf}, for a write or change callback `(value, old)`. */
const writeOf = (f: Callback | undefined, shared: boolean): CompiledHooks['write'] => {
  if (f === undefined || shared) return f as CompiledHooks['write'];
  const write = f as unknown as (this: unknown, value: number, old: number) => void;
  return (device, value, old) => write.call(device, value, old);
};

/**
 * A bank's hooks in map order, checked against the map: one entry per register, registers
 * without hooks sharing one frozen entry, so a bank carries only what its device gave (#19).
 * @param map - the register map
 * @param given - hooks by register name (and field name within each)
 * @param shared - whether the callbacks take the device first (a `DeviceHooks` table) rather than only the values
 * @param caller - the caller, for errors (`RegisterBank` in `RegisterBank(hooks)`)
 * @returns the compiled hooks, by register index
 * @throws BusRangeError if `given` names a register or field the map does not have
 * @internal
 */
export const compileHooks = (map: RegisterMap<any>, given: Readonly<Record<string, GivenHooks | undefined>>, shared: boolean, caller: string): readonly CompiledHooks[] => {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(map.byName, name)) throw new BusRangeError(name, 'is not a register of the map', `${caller}(hooks)`);
  }
  return map.registers.map((r) => {
    const h = given[r.name];
    const fieldHooks = h?.fields ?? {};
    for (const field of Object.keys(fieldHooks)) {
      if (!Object.hasOwn(r.fieldByName, field)) throw new BusRangeError(field, `is not a field of ${r.name}`, `${caller}(hooks.${r.name}.fields)`);
    }
    const fields = r.fields.map((f): CompiledFieldHooks | undefined => {
      const fh = fieldHooks[f.name];
      if (fh === undefined) return undefined;
      return { write: writeOf(fh.write, shared), change: writeOf(fh.change, shared) };
    });
    const anyField = fields.some((f) => f !== undefined);
    if (h?.read === undefined && h?.write === undefined && !anyField) return NO_HOOKS;
    return { read: readOf(h?.read, shared), write: writeOf(h?.write, shared), fields: anyField ? fields : NO_FIELD_HOOKS, anyField };
  });
};
