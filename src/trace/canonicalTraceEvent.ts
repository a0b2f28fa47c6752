import { ACCESS_SIZES } from '../shared/AccessSize';
import type { GuestErrorReason } from '../shared/GuestErrorReason';
import { TraceFormatError, type TraceFormatContext } from './errors';
import type { Fnv1a64 } from './Fnv1a64';
import { LazyText, type Fnv1a64Text } from './Fnv1a64Text';
import type {
  AccessEvent,
  ExpiryEvent,
  GuestErrorEvent,
  IrqEvent,
  MarkEvent,
  TraceEvent,
  TriggerEvent,
  UnimplementedEvent,
  ViolationEvent,
} from './TraceEvent';

/** Where the event being checked sits, for error messages. */
interface Place {
  readonly line: number | undefined;
  readonly context: TraceFormatContext;
}

type Check = (value: unknown, field: string, place: Place) => unknown;

const fail = (place: Place, field: string, value: unknown, rule: string): never => {
  throw new TraceFormatError(place.line, field, value, rule, place.context);
};

/** -0 and 0 print alike in JSON; keep one of them so events compare equal after a round trip. */
const noNegativeZero = (n: number): number => (n === 0 ? 0 : n);

const uint: Check = (value, field, place) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? noNegativeZero(value)
    : fail(place, field, value, 'must be a non-negative safe integer');

const string: Check = (value, field, place) =>
  typeof value === 'string' ? value : fail(place, field, value, 'must be a string');

const boolean: Check = (value, field, place) =>
  typeof value === 'boolean' ? value : fail(place, field, value, 'must be a boolean');

const size: Check = (value, field, place) =>
  (ACCESS_SIZES as readonly unknown[]).includes(value) ? value : fail(place, field, value, 'must be 1, 2, 4 or 8');

/** The members of each enumeration check, for {@link LineField.members}. */
const ENUMS = new Map<Check, readonly string[]>();

/** A check for one of the keys of `members` (a record keyed by every member of a string union, so none is forgotten). */
const oneOf = (members: Readonly<Record<string, true>>): Check => {
  const names = Object.keys(members);
  const rule = `must be one of ${names.map((n) => `'${n}'`).join(', ')}`;
  const check: Check = (value, field, place) =>
    typeof value === 'string' && names.includes(value) ? value : fail(place, field, value, rule);
  ENUMS.set(check, names);
  return check;
};

const GUEST_ERROR_REASONS = {
  unmapped: true,
  'bad-size': true,
  misaligned: true,
  'read-only': true,
  'write-only': true,
  locked: true,
} as const satisfies Record<GuestErrorReason, true>;

const EXPIRY_CAUSES = { expiry: true, commit: true } as const satisfies Record<ExpiryEvent['cause'], true>;

const DELIVERIES = { sync: true, 'bottom-half': true } as const satisfies Record<TriggerEvent['delivery'], true>;

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const JSON_DATA_RULE =
  'must be JSON data: null, a boolean, a finite number, a string, a bigint (exported as a decimal string), ' +
  'an array or a plain object of those';

/**
 * Canonical copy of a mark's payload: bigints become decimal strings, object
 * keys are sorted, properties whose value is `undefined` are dropped (as
 * JSON drops them), `-0` becomes `0`; the copy is frozen.
 */
const jsonData = (value: unknown, field: string, place: Place, ancestors: object[]): unknown => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? noNegativeZero(value) : fail(place, field, value, JSON_DATA_RULE);
    case 'object': {
      if (value === null) return null;
      if (ancestors.includes(value)) return fail(place, field, value, 'must not contain itself (a cycle)');
      ancestors.push(value);
      let copy: unknown;
      if (Array.isArray(value)) {
        copy = value.map((item: unknown, i) =>
          item === undefined
            ? fail(place, `${field}[${i}]`, item, `array elements must be JSON data, not undefined`)
            : jsonData(item, `${field}[${i}]`, place, ancestors),
        );
      } else if (isPlainObject(value)) {
        const source = value as Readonly<Record<string, unknown>>;
        const entries: [string, unknown][] = [];
        // Sorted by UTF-16 code units; JSON.stringify then lists integer-like keys first in numeric
        // order (JavaScript's property order), which is just as fixed.
        for (const key of Object.keys(source).sort()) {
          const item = source[key];
          if (item !== undefined) entries.push([key, jsonData(item, `${field}.${key}`, place, ancestors)]);
        }
        // fromEntries defines own properties, so a key named "__proto__" stays data.
        copy = Object.fromEntries(entries);
      } else {
        return fail(place, field, value, JSON_DATA_RULE);
      }
      ancestors.pop();
      return Object.freeze(copy);
    }
    default:
      return fail(place, field, value, JSON_DATA_RULE);
  }
};

const data: Check = (value, field, place) => jsonData(value, field, place, []);

interface FieldSpec<Required extends boolean> {
  readonly required: Required;
  readonly check: Check;
}

const req = (check: Check): FieldSpec<true> => ({ required: true, check });
const opt = (check: Check): FieldSpec<false> => ({ required: false, check });

/**
 * The fields of an event kind besides `time`, `source` and `kind`, in their
 * canonical order. The type makes the table list every field of the event's
 * interface, no other, and mark it optional exactly when the interface does.
 */
type Fields<E> = {
  readonly [F in Exclude<keyof E, 'time' | 'source' | 'kind'>]-?: FieldSpec<{} extends Pick<E, F> ? false : true>;
};

const ACCESS: Fields<AccessEvent> = {
  offset: req(uint),
  size: req(size),
  value: req(uint),
  error: opt(oneOf(GUEST_ERROR_REASONS)),
};

/** Per kind, the fields after `time`, `source`, `kind`, in export order. */
const SCHEMAS: Readonly<Record<TraceEvent['kind'], Readonly<Record<string, FieldSpec<boolean>>>>> = {
  read: ACCESS,
  write: ACCESS,
  'guest-error': {
    offset: req(uint),
    size: req(size),
    reason: req(oneOf(GUEST_ERROR_REASONS)),
    detail: req(string),
  } satisfies Fields<GuestErrorEvent>,
  unimplemented: { offset: req(uint), feature: req(string) } satisfies Fields<UnimplementedEvent>,
  expiry: { timer: req(string), cause: req(oneOf(EXPIRY_CAUSES)) } satisfies Fields<ExpiryEvent>,
  trigger: { timer: req(string), delivery: req(oneOf(DELIVERIES)) } satisfies Fields<TriggerEvent>,
  irq: { level: req(boolean) } satisfies Fields<IrqEvent>,
  mark: { label: req(string), data: opt(data) } satisfies Fields<MarkEvent>,
  violation: { message: req(string) } satisfies Fields<ViolationEvent>,
};

const KINDS = Object.keys(SCHEMAS);
const KIND_RULE = `must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}`;

const COMMON: Readonly<Record<'time' | 'source', FieldSpec<true>>> = { time: req(uint), source: req(string) };

/** Each kind's fields as a list, computed once (the order is the canonical field order). */
const FIELD_LISTS = Object.fromEntries(Object.entries(SCHEMAS).map(([kind, schema]) => [kind, Object.entries(schema)])) as unknown as Readonly<
  Record<TraceEvent['kind'], readonly (readonly [string, FieldSpec<boolean>])[]>
>;
const COMMON_LIST = Object.entries(COMMON) as readonly (readonly [string, FieldSpec<boolean>])[];


type BuiltKind = Exclude<TraceEvent['kind'], 'mark'>;
type Builder = (time: number, source: string, c: readonly unknown[]) => TraceEvent;

/**
 * Per kind but a mark, its canonical event as one object literal from the
 * checked fields (in the order of its `SCHEMAS` entry; an absent optional
 * left out): a fixed shape per kind.
 */
const BUILDERS: Readonly<Record<BuiltKind, Builder>> = {
  read: (time, source, c) => accessOf(time, source, 'read', c),
  write: (time, source, c) => accessOf(time, source, 'write', c),
  'guest-error': (time, source, c) =>
    ({ time, source, kind: 'guest-error', offset: c[0], size: c[1], reason: c[2], detail: c[3] }) as GuestErrorEvent,
  unimplemented: (time, source, c) => ({ time, source, kind: 'unimplemented', offset: c[0], feature: c[1] }) as UnimplementedEvent,
  expiry: (time, source, c) => ({ time, source, kind: 'expiry', timer: c[0], cause: c[1] }) as ExpiryEvent,
  trigger: (time, source, c) => ({ time, source, kind: 'trigger', timer: c[0], delivery: c[1] }) as TriggerEvent,
  irq: (time, source, c) => ({ time, source, kind: 'irq', level: c[0] }) as IrqEvent,
  violation: (time, source, c) => ({ time, source, kind: 'violation', message: c[0] }) as ViolationEvent,
};

const accessOf = (time: number, source: string, kind: 'read' | 'write', c: readonly unknown[]): AccessEvent =>
  (c[3] === undefined
    ? { time, source, kind, offset: c[0], size: c[1], value: c[2] }
    : { time, source, kind, offset: c[0], size: c[1], value: c[2], error: c[3] }) as AccessEvent;

/** The checked values of the event being checked, in export order (reused: this runs once per recorded event). */
const checked: unknown[] = [];

/**
 * Checks that `event` is a {@link TraceEvent} and returns its canonical form:
 * a new frozen object whose keys come in the export order (`time`, `source`,
 * `kind`, then the kind's fields in the order its interface declares them),
 * without optional fields that are absent or `undefined`, with `-0` as `0`,
 * and a mark's `data` made canonical (bigints as decimal strings, object
 * keys sorted, frozen). Two events that differ only in how they were built
 * (key order, `undefined` optionals, bigint vs its decimal string in `data`)
 * have the same canonical form, hence the same JSON line and digest.
 *
 * Rules: `time`, `offset` and `value` are non-negative safe integers; `size`
 * is 1, 2, 4 or 8; enumerations (`kind`, `error`, `reason`, `cause`,
 * `delivery`) take only their listed values; text fields are strings; no
 * field outside the kind's interface is allowed (an `undefined` one counts as
 * absent). Events are not required to be in time order.
 *
 * Ordering: none (pure function).
 *
 * ## Example
 * ```ts
 * canonicalTraceEvent({ level: true, kind: 'irq', source: 'irq0', time: 5 });
 * // { time: 5, source: 'irq0', kind: 'irq', level: true }
 * ```
 *
 * @param event - the event to check (any value: it may come from JSON)
 * @param line - its 1-based line in a JSON lines text (or its position in a trace), for errors
 * @param context - whether `line` counts text lines (`'line'`, default) or recorded events (`'event'`)
 * @returns the canonical, frozen copy
 * @throws TraceFormatError naming the line, the field and the rule
 * @see Trace
 */
export const canonicalTraceEvent = (
  event: unknown,
  line?: number,
  context: TraceFormatContext = 'line',
): TraceEvent => {
  const kind = typeof event === 'object' && event !== null ? (event as { kind?: unknown }).kind : undefined;
  const build = typeof kind === 'string' && Object.hasOwn(BUILDERS, kind) ? BUILDERS[kind as BuiltKind] : undefined;
  if (build === undefined || Array.isArray(event)) return canonicalCopy(event, line, context);
  // Hot (every recorded event): checked into `checked`, then built as one object literal per kind
  // (a fixed shape, the canonical key order), not by keyed stores into an empty object.
  checkKnown(event as Readonly<Record<string, unknown>>, kind as BuiltKind, line, context);
  return Object.freeze(build(checkedTime, checkedSource, checked));
};

/** The general path of {@link canonicalTraceEvent}: any kind (a mark's data), and the errors. */
const canonicalCopy = (event: unknown, line: number | undefined, context: TraceFormatContext): TraceEvent => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return fail({ line, context }, '(root)', event, 'must be an object (one trace event)');
  }
  const source = event as Readonly<Record<string, unknown>>;
  const kind = source['kind'];
  if (kind === undefined) return fail({ line, context }, 'kind', kind, `required: ${KIND_RULE}`);
  if (typeof kind !== 'string' || !Object.hasOwn(FIELD_LISTS, kind)) return fail({ line, context }, 'kind', kind, KIND_RULE);
  const out: Record<string, unknown> = {};
  let taken = 1; // kind
  for (const [field, spec] of COMMON_LIST) {
    const value = source[field];
    if (value === undefined) fail({ line, context }, field, value, `required for kind '${kind}'`);
    out[field] = spec.check(value, field, { line, context });
    taken++;
    if (field === 'source') out['kind'] = kind;
  }
  for (const [field, spec] of FIELD_LISTS[kind as TraceEvent['kind']]) {
    const value = source[field];
    if (value === undefined) {
      if (spec.required) fail({ line, context }, field, value, `required for kind '${kind}'`);
      continue;
    }
    out[field] = spec.check(value, field, { line, context });
    taken++;
  }
  let defined = 0;
  for (const field in source) if (Object.hasOwn(source, field) && source[field] !== undefined) defined++;
  if (defined !== taken) {
    for (const field of Object.keys(source)) {
      if (source[field] !== undefined && !Object.hasOwn(out, field)) {
        fail({ line, context }, field, source[field], `is not a field of kind '${kind}'`);
      }
    }
  }
  return Object.freeze(out) as unknown as TraceEvent;
};

/** One field as the digest writes it: its name, its check, and the JSON text before its value (`,"name":`). */
interface LineField {
  readonly field: string;
  readonly spec: FieldSpec<boolean>;
  readonly prefix: string;
  /** `prefix`, prepared for hashing. */
  readonly prefixText: LazyText;
  /** For an enumeration, `prefix` and each value, prepared (its values are few). */
  readonly members: Readonly<Record<string, LazyText>> | undefined;
}

/** Per kind, its fields in export order, each with the JSON text before its value. */
const LINE_FIELDS = Object.fromEntries(
  Object.entries(FIELD_LISTS).map(([kind, list]) => [
    kind,
    list.map(([field, spec]): LineField => {
      const prefix = `,${JSON.stringify(field)}:`;
      const members = ENUMS.get(spec.check);
      return {
        field,
        spec,
        prefix,
        prefixText: new LazyText(prefix),
        members: members === undefined ? undefined : Object.fromEntries(members.map((m) => [m, new LazyText(`${prefix}${JSON.stringify(m)}`)])),
      };
    }),
  ]),
) as unknown as Readonly<Record<TraceEvent['kind'], readonly LineField[]>>;

/** Per kind, the JSON text between the source's value and the kind's first field. */
const KIND_TEXT = Object.fromEntries(KINDS.map((kind) => [kind, `,"kind":${JSON.stringify(kind)}`])) as Readonly<Record<string, string>>;



/** The checked time and source of the event {@link checkKnown} last checked (with `checked`: no allocation per event). */
let checkedTime = 0;
let checkedSource = '';

/**
 * Checks an event of a kind with a builder as {@link canonicalCopy} would
 * (same errors, same order), leaving its checked values in `checkedTime`,
 * `checkedSource` and `checked` (its fields in export order, `undefined`
 * for an absent optional).
 */
/** The place {@link checkKnown} hands its checks (set per event). */
const hotPlace: { line: number | undefined; context: TraceFormatContext } = { line: undefined, context: 'line' };

const checkKnown = (source: Readonly<Record<string, unknown>>, kind: BuiltKind, line: number | undefined, context: TraceFormatContext): void => {
  const fields = LINE_FIELDS[kind as TraceEvent['kind']];
  // One place for every check of the event (read only when a check fails, at once): no object per field.
  const place = hotPlace;
  place.line = line;
  place.context = context;
  const time = source['time'];
  if (time === undefined) fail({ line, context }, 'time', time, `required for kind '${kind}'`);
  checkedTime = uint(time, 'time', place) as number;
  const name = source['source'];
  if (name === undefined) fail({ line, context }, 'source', name, `required for kind '${kind}'`);
  checkedSource = string(name, 'source', place) as string;
  let taken = 3;
  for (let i = 0; i < fields.length; i++) {
    const { field, spec } = fields[i]!;
    const value = source[field];
    if (value === undefined) {
      if (spec.required) fail({ line, context }, field, value, `required for kind '${kind}'`);
      checked[i] = undefined;
      continue;
    }
    checked[i] = spec.check(value, field, place);
    taken++;
  }
  let defined = 0;
  for (const field in source) if (Object.hasOwn(source, field) && source[field] !== undefined) defined++;
  if (defined !== taken) {
    // Slow path, to name the field: the canonical copy finds it as it would.
    canonicalCopy(source, line, context);
  }
};

/** Whether JSON writes `text` as its characters between quotes, each one byte of UTF-8 (no escape, nothing above 0x7e). */
const isPlainJsonText = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
};

const hashJsonString = (hash: Fnv1a64, text: string): void => {
  if (isPlainJsonText(text)) hash.ascii('"').ascii(text).ascii('"');
  else hash.update(JSON.stringify(text));
};

/**
 * Feeds `hash` the bytes of `event`'s JSON line, `JSON.stringify(canonicalTraceEvent(event))`
 * and `'\n'`, without making the copy or the string: the digest of a run
 * hashes every event, and building both cost more than hashing. The event
 * is checked exactly as {@link canonicalTraceEvent} checks it (same errors,
 * in the same order), all of it before the first byte is fed, so a bad event
 * leaves `hash` as it was. A mark (whose `data` is any JSON) takes the
 * canonical copy's path.
 * @param event - the event to check and hash (any value)
 * @param hash - the running digest
 * @param line - its position, for errors
 * @param context - what `line` counts, for errors
 * @throws TraceFormatError as {@link canonicalTraceEvent} does
 * @internal Used by {@link TraceDigest} and {@link Trace.digest}.
 */
export const hashTraceEvent = (event: unknown, hash: Fnv1a64, line: number | undefined, context: TraceFormatContext): void => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return fail({ line, context }, '(root)', event, 'must be an object (one trace event)');
  }
  const source = event as Readonly<Record<string, unknown>>;
  const kind = source['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(BUILDERS, kind)) {
    // A mark's data, or an error to report: the canonical copy says it.
    hash.update(JSON.stringify(canonicalCopy(event, line, context))).ascii('\n');
    return;
  }
  checkKnown(source, kind as BuiltKind, line, context);
  hashCheckedEvent(hash, kind as BuiltKind, checkedTime, checkedSource, checked);
};

/**
 * Feeds `hash` the JSON line of an event of `kind` whose fields were checked
 * (see {@link checkTraceEvent}): `values` are its fields in export order,
 * `undefined` for an absent optional.
 * @internal Used by {@link hashTraceEvent} and {@link Trace.digest}.
 */
export const hashCheckedEvent = (hash: Fnv1a64, kind: CheckedKind, time: number, source: string, values: readonly unknown[]): void => {
  // An access's and an irq's line each have one hasher, whichever path their event came by.
  if (kind === 'read' || kind === 'write') {
    hashAccess(hash, time, source, kind, values[0] as number, values[1] as number, values[2] as number, values[3] as string | undefined);
    return;
  }
  if (kind === 'irq') {
    hashIrq(hash, time, source, values[0] as boolean);
    return;
  }
  const fields = LINE_FIELDS[kind];
  hashHead(hash, time, source);
  hash.text(HEAD_END[kind].get());
  // The closing quote of the source, the kind and the first field's key are one text: the first value follows.
  hashFieldValue(hash, fields[0]!.members, values[0]);
  for (let i = 1; i < fields.length; i++) {
    const value = values[i];
    if (value === undefined) continue;
    const field = fields[i]!;
    const members = field.members;
    // An enumeration's key and value are one prepared text.
    if (members !== undefined && typeof value === 'string' && Object.hasOwn(members, value)) hash.text(members[value]!.get());
    else hashFieldValue(hash.text(field.prefixText.get()), members, value);
  }
  hash.ascii('}\n');
};

/** Feeds a checked field's value (its key already fed): every field but a mark's data is a safe integer, a string or a boolean. */
const hashFieldValue = (hash: Fnv1a64, members: LineField['members'], value: unknown): void => {
  if (typeof value === 'number') hash.uint(value);
  else if (typeof value === 'string') {
    if (members !== undefined && Object.hasOwn(members, value)) hash.text(VALUE_TEXTS.get(value)!.get());
    else hashJsonString(hash, value);
  } else hash.ascii(value === true ? 'true' : 'false');
};

/**
 * Feeds a line's start up to its source's name and that name, without its
 * closing quote: `{"time":<time>,"source":"<source>` (the caller feeds the
 * text that begins with the quote).
 */
const hashHead = (hash: Fnv1a64, time: number, source: string): void => {
  hash.text(TIME_TEXT.get()).uint(time).text(SOURCE_TEXT.get());
  if (isPlainJsonText(source)) hash.ascii(source);
  else {
    const json = JSON.stringify(source);
    hash.update(json.slice(1, json.length - 1));
  }
};

/**
 * The kinds whose events are checked field by field into plain values
 * (every kind but a mark, whose `data` is any JSON).
 * @internal
 */
export type CheckedKind = BuiltKind;

/** What type each field of a checked kind holds, in export order. @internal */
export type CheckedFieldType = 'number' | 'string' | 'boolean';

/**
 * Per checked kind, the type of each of its fields (after `time`, `source`,
 * `kind`), in export order: how a compact store encodes them.
 * @internal Used by {@link Trace}.
 */
export const CHECKED_FIELD_TYPES = Object.fromEntries(
  Object.keys(BUILDERS).map((kind) => [
    kind,
    FIELD_LISTS[kind as BuiltKind].map(([, spec]): CheckedFieldType => (spec.check === uint || spec.check === size ? 'number' : spec.check === boolean ? 'boolean' : 'string')),
  ]),
) as unknown as Readonly<Record<CheckedKind, readonly CheckedFieldType[]>>;

/** The checked values of {@link checkTraceEvent}'s last event (read them before checking another). @internal */
export interface CheckedEvent {
  readonly kind: CheckedKind;
  readonly time: number;
  readonly source: string;
  /** Its fields in export order, `undefined` for an absent optional (a shared array, overwritten by the next check). */
  readonly values: readonly unknown[];
}

/**
 * Checks `event` exactly as {@link canonicalTraceEvent} does (same errors,
 * same order) without copying it, when its kind is a checked one; returns
 * its checked values (valid until the next call), or `undefined` for a mark
 * or a value that is no event of a checked kind (the caller then takes
 * {@link canonicalTraceEvent}'s path, which checks it or throws).
 * @internal Used by {@link Trace.record}.
 */
export const checkTraceEvent = (event: unknown, line: number | undefined, context: TraceFormatContext): CheckedEvent | undefined => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
  const source = event as Readonly<Record<string, unknown>>;
  const kind = source['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(BUILDERS, kind)) return undefined;
  checkKnown(source, kind as BuiltKind, line, context);
  lastChecked.kind = kind as BuiltKind;
  lastChecked.time = checkedTime;
  lastChecked.source = checkedSource;
  return lastChecked;
};

const lastChecked: { kind: BuiltKind; time: number; source: string; readonly values: unknown[] } = { kind: 'irq', time: 0, source: '', values: checked };

/**
 * The canonical, frozen event of a checked kind from its checked values (as
 * {@link canonicalTraceEvent} returns it).
 * @internal Used by {@link Trace.events}.
 */
export const buildCheckedEvent = (kind: CheckedKind, time: number, source: string, values: readonly unknown[]): TraceEvent =>
  Object.freeze(BUILDERS[kind](time, source, values));

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Whether an access event given as its fields is one {@link checkTraceEvent}
 * accepts (a negative zero is stored as 0 by the caller, as the check
 * normalises it): the guard of the fields-only paths, which fall back to the
 * event object, and its error, otherwise.
 * @internal
 */
export const isCheckedAccess = (time: unknown, source: unknown, offset: unknown, size: unknown, value: unknown, error: unknown): boolean =>
  isUint(time) &&
  typeof source === 'string' &&
  isUint(offset) &&
  (size === 4 || size === 1 || size === 2 || size === 8) &&
  isUint(value) &&
  (error === undefined || (typeof error === 'string' && Object.hasOwn(GUEST_ERROR_REASONS, error)));

/** Whether an irq event given as its fields is one {@link checkTraceEvent} accepts unchanged. @internal */
export const isCheckedIrq = (time: unknown, source: unknown, level: unknown): boolean =>
  isUint(time) && typeof source === 'string' && typeof level === 'boolean';

/** `{"time":`, every line's start, and `,"source":"` after its time. */
const TIME_TEXT = new LazyText('{"time":');
const SOURCE_TEXT = new LazyText(',"source":"');

/** Per checked kind, what follows its source's name up to its first field's value: `","kind":"read","offset":`. */
const HEAD_END = Object.fromEntries(
  Object.keys(BUILDERS).map((kind) => [kind, new LazyText(`"${KIND_TEXT[kind]!}${LINE_FIELDS[kind as BuiltKind][0]!.prefix}`)]),
) as unknown as Readonly<Record<BuiltKind, LazyText>>;

/** An enumeration's value as a JSON string (`"expiry"`), for one that is a kind's first field. */
const VALUE_TEXTS = new Map(
  Object.values(LINE_FIELDS)
    .flatMap((fields) => fields.flatMap((field) => Object.keys(field.members ?? {})))
    .map((value) => [value, new LazyText(JSON.stringify(value))]),
);

/** An irq's line after its source's name, per level. */
const IRQ_HIGH = new LazyText('","kind":"irq","level":true}\n');
const IRQ_LOW = new LazyText('","kind":"irq","level":false}\n');

/** `,"size":<size>,"value":` by size (1, 2, 4 or 8). */
const SIZE_TEXTS: readonly (LazyText | undefined)[] = Array.from({ length: 9 }, (_, size) =>
  (ACCESS_SIZES as readonly number[]).includes(size) ? new LazyText(`,"size":${size},"value":`) : undefined,
);
/** An access line's end, by its error (`}\n` without one). */
const ERROR_TEXTS = Object.fromEntries(Object.keys(GUEST_ERROR_REASONS).map((reason) => [reason, new LazyText(`,"error":${JSON.stringify(reason)}}\n`)])) as Readonly<Record<string, LazyText>>;

/**
 * Hashes the line of a checked access event (see {@link isCheckedAccess}):
 * the bytes {@link hashCheckedEvent} hashes for it, without its values array.
 * @internal
 */
export const hashAccess = (
  hash: Fnv1a64,
  time: number,
  source: string,
  kind: 'read' | 'write',
  offset: number,
  size: number,
  value: number,
  error: string | undefined,
): void => {
  hashHead(hash, time, source);
  hash.text(kind === 'read' ? HEAD_END.read.get() : HEAD_END.write.get());
  hash.uint(offset).text(SIZE_TEXTS[size]!.get()).uint(value);
  if (error === undefined) hash.ascii('}\n');
  else hash.text(ERROR_TEXTS[error]!.get());
};

/**
 * The text of an access's or an irq's line from its source's opening quote
 * up to its first value (`,"source":"timer0","kind":"read","offset":`), or
 * for an irq to its end, as {@link hashAccess} and {@link hashIrq} hash it:
 * for a caller that prepares it once for a source with many events (see
 * {@link hashAccessAfterHead}).
 * @internal Used by {@link Trace.digest}.
 */
export const lineHeadText = (source: string, kind: 'read' | 'write' | 'irq', level = false): string =>
  `,"source":${JSON.stringify(source)}${kind === 'irq' ? (level ? IRQ_HIGH : IRQ_LOW).text.slice(1) : HEAD_END[kind].text.slice(1)}`;

/**
 * {@link hashAccess} with the line's head prepared: `head` is the
 * prepared {@link lineHeadText} of its source and kind.
 * @internal Used by {@link Trace.digest}.
 */
export const hashAccessAfterHead = (hash: Fnv1a64, time: number, head: Fnv1a64Text, offset: number, size: number, value: number, error: string | undefined): void => {
  hash.text(TIME_TEXT.get()).uint(time).text(head).uint(offset).text(SIZE_TEXTS[size]!.get()).uint(value);
  if (error === undefined) hash.ascii('}\n');
  else hash.text(ERROR_TEXTS[error]!.get());
};

/** {@link hashIrq} with the rest of the line prepared (the {@link lineHeadText} of its source and level). @internal Used by {@link Trace.digest}. */
export const hashIrqAfterHead = (hash: Fnv1a64, time: number, rest: Fnv1a64Text): void => {
  hash.text(TIME_TEXT.get()).uint(time).text(rest);
};

/** Hashes the line of a checked irq event (see {@link isCheckedIrq}). @internal */
export const hashIrq = (hash: Fnv1a64, time: number, source: string, level: boolean): void => {
  hashHead(hash, time, source);
  hash.text(level ? IRQ_HIGH.get() : IRQ_LOW.get());
};
