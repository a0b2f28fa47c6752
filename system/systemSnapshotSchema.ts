import { z } from 'zod';
import { WORK_KINDS, type WorkKind } from '../src/clock/WorkTag';
import { namedRecord } from './namedRecord';
import { formatPath, schemaIssue } from './schemaIssue';
import { SystemSnapshotError } from './errors';
import { SYSTEM_SNAPSHOT_VERSION, type GuestSnapshot, type SystemSnapshot } from './SystemSnapshot';

/** A count, an index or a time in ns: whole, non-negative, held exactly (a safe integer). One rule, so the message names it whole. */
const whole = z.number().refine((n) => Number.isSafeInteger(n) && n >= 0, { error: 'must be a whole, non-negative number that a safe integer holds' });
/** Virtual time (ns). */
const ns = whole;

/**
 * A device's own snapshot: opaque here beyond what every device snapshot has
 * (`device`, `version`); each device validates the rest itself, and its
 * refusal is reported under `devices.<name>`.
 */
const deviceSnapshot = z.looseObject({
  /** The name of the device that took it. */
  device: z.string(),
  /** The device's own snapshot format version. */
  version: z.number(),
});

/** What a guest's program reported through `position()`: JSON data, required (a missing one would restart the program). */
const position = z
  .custom((v) => v !== undefined, { error: "the program's position, as its position() reported it" })
  .superRefine((value, ctx) => {
    const at = notJsonAt(value);
    if (at !== undefined) ctx.addIssue({ code: 'custom', path: [...at], message: 'must be JSON data, as position() reports it (finite numbers, strings, booleans, null, arrays, plain objects)', input: value });
  });

/** The path of the first part of `value` that is not JSON data, or `undefined` when it all is. */
const notJsonAt = (value: unknown, path: readonly (string | number)[] = []): readonly (string | number)[] | undefined => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = notJsonAt(value[i], [...path, i]);
      if (at !== undefined) return at;
    }
    return undefined;
  }
  if (typeof value !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) return path;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    // As in JSON, a key holding undefined is no key.
    const at = item === undefined ? undefined : notJsonAt(item, [...path, key]);
    if (at !== undefined) return at;
  }
  return undefined;
};

/**
 * One guest's state in a system snapshot, by its `state`: `done`,
 * `not-started`, or `waiting` at its `position`, with its timed `wake` when
 * it waits for a time. Strict objects: an unknown key is refused.
 */
export const GUEST_SNAPSHOT_SCHEMA = z.discriminatedUnion('state', [
  z.strictObject({
    /** Its program has returned. */
    state: z.literal('done'),
  }),
  z.strictObject({
    /** It starts at the system's first run. */
    state: z.literal('not-started'),
  }),
  z.strictObject({
    /** It waits at `position`. */
    state: z.literal('waiting'),
    /** Where its program is, as its `position()` reported it. */
    position,
    /** When it wakes, if it waits for a time. */
    wake: z
      .strictObject({
        /** The instant it wakes (ns). */
        time: ns,
        /** Device events that run at that instant before it. */
        after: whole,
        /** Index of its event in the snapshot's `pending`. */
        rank: whole,
      })
      .optional(),
  }),
]);

/** A work tag: its kind and owner. */
const workTag = z.strictObject({
  /** What kind of work it is. */
  kind: z.enum(WORK_KINDS as readonly WorkKind[] as [WorkKind, ...WorkKind[]]),
  /** Who scheduled it (a timer, a guest, a device). */
  owner: z.string(),
});

/**
 * The whole system snapshot's structure: strict objects (an unknown key is
 * refused), the format and version, the time, the devices' snapshots (opaque
 * objects) and the guests' states by name (no name plain objects reserve),
 * and the pending events with their work tags. The cross-field rules (names
 * against the system, guests against pending events, times) are checked by
 * the restore after it.
 */
export const SYSTEM_SNAPSHOT_SCHEMA = z.strictObject({
  /** Always `ptimer-rx-system`. */
  format: z.literal('ptimer-rx-system'),
  /** The format version, {@link SYSTEM_SNAPSHOT_VERSION}. */
  version: z.literal(SYSTEM_SNAPSHOT_VERSION),
  /** Virtual time (ns) at which it was taken. */
  time: ns,
  /** Each device's own snapshot, by device name. */
  devices: namedRecord(deviceSnapshot),
  /** Each guest's state, by guest name. */
  guests: namedRecord(GUEST_SNAPSHOT_SCHEMA),
  /** The work pending on the clock, in run order. */
  pending: z.array(
    z.strictObject({
      /** When it is due (ns). */
      time: ns,
      /** Its work tag. */
      tag: workTag,
      /** Its label, as the clock lists it. */
      label: z.string(),
    }),
  ),
});

// The schema and the public types say the same thing (a compile-time check).
type Parsed = z.infer<typeof SYSTEM_SNAPSHOT_SCHEMA>;
const _sameShape: (s: Parsed) => SystemSnapshot = (s) => s;
const _sameGuest: (g: z.infer<typeof GUEST_SNAPSHOT_SCHEMA>) => GuestSnapshot = (g) => g;
void _sameShape;
void _sameGuest;

/**
 * Checks the structure of an untrusted system snapshot (see
 * {@link SYSTEM_SNAPSHOT_SCHEMA}) and returns it as given, unchanged (not
 * zod's copy: the restore reads the very data it was handed, and device
 * snapshots pass through untouched).
 * @param input - e.g. parsed JSON
 * @returns `input`, typed
 * @throws SystemSnapshotError at the full path of the first problem, with the value and the rule
 */
export const checkSystemSnapshotShape = (input: unknown): SystemSnapshot => {
  const checked = SYSTEM_SNAPSHOT_SCHEMA.safeParse(input);
  if (!checked.success) {
    const { path, value, rule } = schemaIssue(checked.error, input, SYSTEM_SNAPSHOT_SCHEMA);
    throw new SystemSnapshotError(formatPath(path), value, rule);
  }
  return input as SystemSnapshot;
};
