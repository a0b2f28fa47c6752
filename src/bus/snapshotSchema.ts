import { formatFieldPath } from '../shared/fieldPath';
import { parseWithSchema } from '../shared/parseWithSchema';
import { z } from 'zod';
import { describeValue } from '../shared/describeValue';
import { RegisterSnapshotError } from './errors';

/**
 * The pieces every device snapshot schema is built from, and the one way an
 * untrusted snapshot is checked against its schema ({@link parseSnapshot}).
 *
 * Why zod: a snapshot is untrusted data (a file, a message); one declarative
 * schema per snapshot says what each field may hold, refuses fields it does
 * not know (strict objects), and reports the first problem with its full path
 * (`timers[1].delta`, `registers.registers.CONTROL`), never `(root)` for a
 * nested part. Rules that relate fields to each other (a Control register's
 * enable bit and its timer's mode) are each device's, checked after the schema.
 */


/**
 * A path inside a snapshot as `a.b[2].c`; `(root)` for the empty path (the
 * snapshot itself): the project's one notation (src/shared/fieldPath).
 */
export const formatSnapshotPath: (path: readonly PropertyKey[]) => string = formatFieldPath;

/** Joins a part's place with a path inside it (`timers[0]` + `delta`); `(root)` inside is the part itself. */
export const joinSnapshotPath = (where: string, inner: string): string => {
  if (where === '' || where === '(root)') return inner;
  if (inner === '' || inner === '(root)') return where;
  return inner.startsWith('[') ? `${where}${inner}` : `${where}.${inner}`;
};

/** The value at `path` in `input` (own properties only), or `undefined` where there is none. */

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

/** The rule of an issue the schema gave no words of its own, in the project's grammar. */
const defaultRule = (issue: z.core.$ZodRawIssue): string => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is missing' : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => describeValue(v)).join(' or ')}`;
    case 'unrecognized_keys':
      return 'is not a field of this snapshot (a snapshot has exactly the fields its device writes)';
    case 'too_small':
    case 'too_big':
      return issue.origin === 'array' ? 'does not have the number of entries the device writes' : 'is out of range';
    default:
      return 'is invalid';
  }
};

/**
 * Checks an untrusted snapshot against its schema and returns it typed, or
 * throws for the first problem found (the schema's fields in order, unknown
 * fields last).
 *
 * ## Example
 * ```ts
 * const s = parseSnapshot(this.snapshotSchema, snapshot); // typed, every field checked
 * ```
 * @param schema - the snapshot's schema (strict objects; see the builders in this module)
 * @param input - untrusted data (e.g. parsed JSON)
 * @returns the parsed snapshot
 * @throws RegisterSnapshotError whose `field` is the full path of the first
 *   problem (an unknown field at its own path), with the value found there and the rule
 */
export const parseSnapshot = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> =>
  parseWithSchema(schema, input, ({ path, value, rule }) => new RegisterSnapshotError(path, value, rule), defaultRule);

/** A field that must satisfy `test`; `rule` says what it must be. A missing field reads `is missing`. */
export const snapshotField = <T>(test: (value: unknown) => boolean, rule: string): z.ZodType<T> =>
  z.custom<T>(test, { error: (issue) => (issue.input === undefined ? 'is missing' : rule) });

/** `version`: exactly the version this device reads. */
export const snapshotVersion = <V extends number>(version: V): z.ZodType<V> =>
  snapshotField<V>((v) => v === version, `must be ${version}`);

/**
 * `device`: the name of the device restoring it. A snapshot names the instance
 * that took it; loading it into another instance would hand one device's
 * state (and its trace source) to another, so it is refused.
 */
export const snapshotDeviceName = (name: string): z.ZodType<string> =>
  z.custom<string>((v) => v === name, {
    error: (issue) =>
      typeof issue.input !== 'string' ? 'must be a string' : `must be ${describeValue(name)}, the name of the device restoring it`,
  });

/** A field that must equal what the device has now (a clock rate the snapshot cannot change); see `expectSame`. */
export const snapshotSame = <T>(now: T, what: string): z.ZodType<T> =>
  snapshotField<T>((v) => v === now, `must equal ${what} (${describeValue(now)}): set it first`);

/** A whole number in `[min, max]`. */
export const snapshotInteger = (min: number, max: number, rule = `must be an integer in [${min}, ${max}]`): z.ZodType<number> =>
  snapshotField<number>((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max, rule);

/** A clock rate: a whole number of Hz (compared with the input's rate now after parsing, see `expectSame`). */
export const snapshotHz = (): z.ZodType<number> => snapshotInteger(0, Number.MAX_SAFE_INTEGER, 'must be a whole number of Hz');

/** A boolean. */
export const snapshotBoolean = (): z.ZodType<boolean> => snapshotField<boolean>((v) => typeof v === 'boolean', 'must be a boolean');

/**
 * A part whose owner validates it (a timer's snapshot): any value passes the
 * schema, the owner checks it after (see `checkTimerPart`), so fields the
 * owner adds need no change here.
 */
export const snapshotPart = (): z.ZodType<unknown> => z.unknown();

/** An array of exactly `items.length` entries (a timer each, …); `what` names them for the rule. */
export const snapshotTuple = <const T extends readonly [z.ZodType, ...z.ZodType[]]>(items: T, what: string) =>
  z.tuple(items, { error: `must be an array of ${items.length} entries (${what})` });

/** A strict object: a field the shape does not list is refused at its own path. */
export const snapshotObject = <S extends z.core.$ZodLooseShape>(shape: S, what?: string) =>
  z.strictObject(shape, what === undefined ? undefined : { error: (issue) => (issue.code === 'invalid_type' ? `must be ${what}` : undefined) });

/** Device snapshot schemas by the bank schema they embed (one per instance name), then by device class. */
const DEVICE_SCHEMAS = new WeakMap<object, Map<string, z.ZodType>>();

/** What {@link deviceSnapshotSchema} builds a device snapshot's schema from. */
export interface DeviceSnapshotFormat {
  /** The device class, for the rule of a snapshot that is not an object (`must be an object made by Sp804.snapshot()`). */
  readonly device: string;
  /** The instance's name: a snapshot's `device` must be it. */
  readonly name: string;
  /** The snapshot version the device reads. */
  readonly version: number;
  /** Its register bank's snapshot schema (`RegisterBank.snapshotSchema`, which is the same object for every bank of one map and name). */
  readonly bank: z.ZodType;
}

/** The fields every device snapshot's schema has (see {@link deviceSnapshotSchema}). */
export interface DeviceSnapshotShape<B extends z.ZodType> {
  /** The instance's name ({@link snapshotDeviceName}). */
  readonly device: z.ZodType<string>;
  /** The version the device reads ({@link snapshotVersion}). */
  readonly version: z.ZodType<number>;
  /** The register bank's snapshot schema. */
  readonly registers: B;
}

/**
 * The schema of a device's snapshot: a strict object of `device` (the
 * instance's name), `version`, `registers` (its register bank's schema) and
 * the device's own fields. Built once per device class and instance name:
 * building a schema costs far more than checking a snapshot, and devices are
 * created often (a system per scenario run). So `fields` must not depend on
 * the instance's state (a clock rate now is checked after parsing, with
 * `expectSame`).
 *
 * ## Example
 * ```ts
 * const schema = deviceSnapshotSchema(
 *   { device: 'Sp804', name: this.name, version: SP804_SNAPSHOT_VERSION, bank: this.bank.snapshotSchema },
 *   () => ({ timers: snapshotTuple([snapshotPart(), snapshotPart()], 'timer 1, timer 2') }),
 * );
 * const s = parseSnapshot(schema, snapshot);
 * ```
 * @param format - the device class, instance name, version and bank schema
 * @param fields - the device's own fields (called once per class and name)
 * @returns the schema
 */
export const deviceSnapshotSchema = <B extends z.ZodType, S extends z.core.$ZodLooseShape>(
  format: DeviceSnapshotFormat & { readonly bank: B },
  fields: () => S,
): z.ZodObject<DeviceSnapshotShape<B> & S, z.core.$strict> => {
  const build = () =>
    snapshotObject(
      { device: snapshotDeviceName(format.name), version: snapshotVersion(format.version), registers: format.bank, ...fields() },
      `an object made by ${format.device}.snapshot()`,
    ) as z.ZodObject<DeviceSnapshotShape<B> & S, z.core.$strict>;
  let byDevice = DEVICE_SCHEMAS.get(format.bank);
  if (byDevice === undefined) DEVICE_SCHEMAS.set(format.bank, (byDevice = new Map()));
  let schema = byDevice.get(format.device) as ReturnType<typeof build> | undefined;
  if (schema === undefined) {
    schema = build();
    byDevice.set(format.device, schema);
  }
  return schema;
};
