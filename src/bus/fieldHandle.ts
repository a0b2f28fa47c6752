import { lowMask, type FieldDef, type FieldName, type RegisterMap, type RegisterName, type RegisterShape } from './defineRegisterMap';
import { BusRangeError } from './errors';

/**
 * One field of a register map, looked up once: a device keeps it (a module
 * constant) and reads or stores the field with `RegisterBank.fieldAt` /
 * `RegisterBank.setFieldAt`, which cost an array read where `field(name,
 * field)` looks both names up on every call. A device's expiry and IRQ
 * update read a few fields each time they run (#19).
 */
export interface FieldHandle<R extends RegisterShape = RegisterShape> {
  /** The map it belongs to: a bank of another map refuses it. */
  readonly map: RegisterMap<R>;
  /** The register's name. */
  readonly register: RegisterName<R>;
  /** The register's position in the map (its index in `map.registers`). */
  readonly index: number;
  /** The field. */
  readonly field: FieldDef;
  /** The largest value the field holds. */
  readonly max: number;
}

/**
 * One register of a register map, looked up once (see {@link FieldHandle}): for
 * `RegisterBank.getAt`.
 */
export interface RegisterHandle<R extends RegisterShape = RegisterShape> {
  /** The map it belongs to: a bank of another map refuses it. */
  readonly map: RegisterMap<R>;
  /** The register's name. */
  readonly register: RegisterName<R>;
  /** The register's position in the map (its index in `map.registers`). */
  readonly index: number;
}

/**
 * A register of `map`, looked up once, for `RegisterBank.getAt`.
 *
 * ## Example
 * ```ts
 * const LOAD = registerHandle(REGISTERS, 'LOAD');
 * bank.getAt(LOAD); // as bank.get('LOAD')
 * ```
 * @param map - the register map
 * @param register - the register's name
 * @returns the handle
 * @throws BusRangeError for a name not in the map
 */
export const registerHandle = <R extends RegisterShape>(map: RegisterMap<R>, register: RegisterName<R>): RegisterHandle<R> => {
  const def = Object.hasOwn(map.byName, register) ? map.byName[register] : undefined;
  if (def === undefined) throw new BusRangeError(register, 'is not a register of the map', 'registerHandle(register)');
  return Object.freeze({ map, register, index: map.registers.indexOf(def) });
};

/**
 * A field of `map`, looked up once, for `RegisterBank.fieldAt` and
 * `RegisterBank.setFieldAt`.
 *
 * ## Example
 * ```ts
 * const CTRL_IRQEN = fieldHandle(REGISTERS, 'CTRL', 'IRQEN');
 * bank.fieldAt(CTRL_IRQEN);        // as bank.field('CTRL', 'IRQEN')
 * bank.setFieldAt(CTRL_IRQEN, 1);  // as bank.setField('CTRL', 'IRQEN', 1)
 * ```
 * @param map - the register map
 * @param register - the register's name
 * @param field - the field's name in it
 * @returns the handle
 * @throws BusRangeError for a register or field not in the map
 */
export const fieldHandle = <R extends RegisterShape, K extends RegisterName<R>>(map: RegisterMap<R>, register: K, field: FieldName<R, K>): FieldHandle<R> => {
  const { index } = registerHandle(map, register);
  const def = map.registers[index]!;
  const f = Object.hasOwn(def.fieldByName, field) ? (def.fieldByName as Record<string, FieldDef>)[field] : undefined;
  if (f === undefined) throw new BusRangeError(field, `is not a field of ${register}`, 'fieldHandle(field)');
  return Object.freeze({ map, register, index, field: f, max: lowMask(f.width) });
};
