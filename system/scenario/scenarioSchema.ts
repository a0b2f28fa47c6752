import { z } from 'zod';
import { namedRecord } from '../namedRecord';
import { isReservedName, RESERVED_NAME_RULE } from '../reservedName';
import { formatPath, schemaIssue } from '../schemaIssue';
import { ScenarioError } from './ScenarioError';

export { formatPath, valueAt } from '../schemaIssue';

/** Names of devices, guests and the controller: no `.` (lines are `<device>.<line>`). */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const name = z
  .string()
  .regex(NAME, { error: "must be a name of letters, digits, '_' and '-' that starts with a letter or '_'" })
  .refine((n) => !isReservedName(n), { error: RESERVED_NAME_RULE });
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
  clocks: namedRecord(frequency).optional(),
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
  const { path, value, rule } = schemaIssue(error, input, SCENARIO_SCHEMA);
  return new ScenarioError(formatPath(path), value, rule);
};
