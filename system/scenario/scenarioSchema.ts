import { z } from 'zod';
import { ScenarioError } from './ScenarioError';

/** Names of devices, guests and the controller: no `.` (lines are `<device>.<line>`). */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const name = z.string().regex(NAME, { error: "must be a name of letters, digits, '_' and '-' that starts with a letter or '_'" });
const duration = z.union([z.string(), z.number()], { error: "must be a duration with a unit, e.g. '10ms'" });
const frequency = z.union([z.string(), z.number()], { error: "must be a frequency, e.g. '25MHz', or a number of Hz" });
const address = z.union([z.number(), z.string()], { error: "must be a whole number or a hex string such as '0x40000000'" });
const count = z.number().int().min(1);

const device = z.strictObject({
  /** Instance name, unique among the devices. */
  name,
  /** A catalogue device type: the device folder's name. */
  type: z.string(),
  /** Base address: a number or a hex string. */
  base: address,
  /** Clock inputs by name; missing ones run at the type's default. */
  clocks: z.record(z.string(), frequency).optional(),
  /** How its timers keep time: `exact` (default) or QEMU's `qemu` (clocks up to 1 GHz). */
  timing: z.enum(['exact', 'qemu']).optional(),
});

const interruptController = z.strictObject({
  /** Instance name (default `intc`). */
  name: name.optional(),
  /** Base address: a number or a hex string. */
  base: address,
  /** Line paths `<device>.<line>`; input i is bit i of the controller's registers. */
  inputs: z.array(z.string()).min(1).max(32),
});

const access = z.strictObject({
  /** Virtual time of the access: a duration from time 0. */
  at: duration,
  /** A device of the scenario, or the interrupt controller. */
  device: name,
  /** A register name from the device's `registers`; or `offset`. */
  register: z.string().optional(),
  /** Offset in the device (a number or a hex string); or `register`. */
  offset: address.optional(),
  /** Access width in bytes (default: the register's, else 4). */
  size: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], { error: 'must be 1, 2, 4 or 8 bytes' }).optional(),
  /** The value to write; without it the access is a read. */
  write: z.number().optional(),
});

const onChannel = {
  /** Guest name, unique among the guests. */
  name,
  /** The device whose channel the guest runs. */
  device: name,
  /** A channel of that device (default: its first channel; for `watchdog-feeder`, its first watchdog channel). */
  channel: z.string().optional(),
};

const guest = z.discriminatedUnion('program', [
  z.strictObject({
    ...onChannel,
    /** A periodic tick handler (`periodicTick`). */
    program: z.literal('periodic-tick'),
    /** Ticks per second. */
    hz: frequency,
    /** Stop after this many ticks (default: never). */
    ticks: count.optional(),
    /** Interrupt latency (default 0). */
    latency: duration.optional(),
  }),
  z.strictObject({
    ...onChannel,
    /** A free-running counter read at intervals (`clocksourceReader`). */
    program: z.literal('clocksource-reader'),
    /** Interval between reads. */
    every: duration,
    /** Stop after this many reads (default: never). */
    reads: count.optional(),
  }),
  z.strictObject({
    ...onChannel,
    /** A watchdog daemon (`watchdogFeeder`). */
    program: z.literal('watchdog-feeder'),
    /** Watchdog timeout. */
    timeout: duration,
    /** Interval between feeds; less than the timeout. */
    feedEvery: duration,
    /** Stop feeding after this many feeds, so the watchdog bites (default: never). */
    stopAfter: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    ...onChannel,
    /** Reads the counter and status at intervals (`pollingReader`). */
    program: z.literal('polling-reader'),
    /** Interval between polls. */
    every: duration,
    /** Start the channel first at this many expiries per second (default: poll only). */
    hz: frequency.optional(),
    /** Stop after this many polls (default: never). */
    polls: count.optional(),
  }),
  z.strictObject({
    /** Guest name, unique among the guests. */
    name,
    /** Fixed accesses at fixed times (`timedAccesses`). */
    program: z.literal('accesses'),
    /** The accesses, in time order. */
    accesses: z.array(access),
  }),
]);

/**
 * The scenario file format (JSON), checked for structure: strict objects
 * (an unknown key is an error), the types of every field. Values (durations,
 * frequencies, addresses) and references (types, devices, channels, lines,
 * registers) are checked by `parseScenario` afterwards.
 */
export const SCENARIO_SCHEMA = z.strictObject({
  /** A name for the scenario. */
  name: z.string().optional(),
  /** What the scenario shows, in words. */
  description: z.string().optional(),
  /** Reserved for programs that draw random numbers; recorded, default 1. */
  seed: z.number().int().min(0).optional(),
  /** Run length, from time 0. */
  duration,
  /** How the devices' timers deliver expiries: `sync` (default) or the legacy `bottom-half`. */
  delivery: z.enum(['sync', 'bottom-half']).optional(),
  /** The devices (at least one). */
  devices: z.array(device).min(1),
  /** An interrupt controller, with the device lines as its inputs. */
  interruptController: interruptController.optional(),
  /** The guest programs, in the order they are added (and start). */
  guests: z.array(guest),
});

/** A scenario file as its structure allows (before values and references are checked). */
export type ScenarioJson = z.infer<typeof SCENARIO_SCHEMA>;
/** One guest entry of a {@link ScenarioJson}. */
export type ScenarioGuestJson = ScenarioJson['guests'][number];

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** A path as `a.b[2].c`; `(root)` for the empty path. */
export const formatPath = (path: readonly PathKey[]): string => {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
};

/** The value at `path` in `input`, or `undefined` where there is none. */
export const valueAt = (input: unknown, path: readonly PathKey[]): unknown => {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

/** The keys the schema allows at `path` of `input` (following a discriminated union by the input's discriminator). */
const knownKeysAt = (input: unknown, path: readonly PathKey[]): readonly string[] | undefined => {
  let schema: unknown = SCENARIO_SCHEMA;
  const at = (i: number): unknown => valueAt(input, path.slice(0, i));
  for (let i = 0; i <= path.length; i++) {
    // Unwrap optional/default wrappers; pick the union member the input's discriminator names.
    for (;;) {
      const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (def === undefined) return undefined;
      if (def['type'] === 'optional' || def['type'] === 'default') schema = def['innerType'];
      else if (def['type'] === 'union' && typeof def['discriminator'] === 'string') {
        const wanted = valueAt(at(i), [def['discriminator']]);
        schema = (def['options'] as unknown[]).find((o) => {
          const shape = (o as { shape?: Record<string, { _zod?: { def?: { values?: unknown[] } } }> }).shape;
          return shape?.[def['discriminator'] as string]?._zod?.def?.values?.includes(wanted) === true;
        });
      } else break;
    }
    if (i === path.length) break;
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    const key = path[i]!;
    if (def['type'] === 'object') schema = (def['shape'] as Record<PropertyKey, unknown>)[key];
    else if (def['type'] === 'array') schema = def['element'];
    else return undefined;
  }
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape === undefined ? undefined : Object.keys(shape);
};

const quoteAll = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** The rule an issue reports, in words. */
const ruleOf = (issue: Issue, value: unknown): string => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return value === undefined ? `is required (${expected})` : `must be ${expected}`;
    }
    case 'invalid_value':
      return `must be one of: ${quoteAll(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options !== undefined) return value === undefined ? `is required: one of ${quoteAll(options)}` : `must be one of: ${quoteAll(options)}`;
      return value === undefined ? `is required: ${issue.message}` : issue.message;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min === 1 ? 'must not be empty' : `must have at least ${min} characters`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${max} item${max === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must have at most ${max} characters`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    default:
      return value === undefined ? `is required: ${issue.message}` : issue.message;
  }
};

/**
 * The first issue of a failed validation as one {@link ScenarioError}: the path
 * as `a.b[2].c`, the value found there in the input, and the rule in words. An
 * unknown key is reported at its own path (`guests[0].colour`), listing the keys
 * that object allows.
 * @param error - the validation's error
 * @param input - what was validated
 * @returns the error to throw
 */
export const scenarioIssue = (error: z.ZodError, input: unknown): ScenarioError => {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const path = [...issue.path, key];
    const known = knownKeysAt(input, issue.path);
    return new ScenarioError(formatPath(path), valueAt(input, path), `unknown key${known === undefined ? '' : `; known keys here: ${known.join(', ')}`}`);
  }
  const value = valueAt(input, issue.path);
  return new ScenarioError(formatPath(issue.path), value, ruleOf(issue, value));
};
