import { ClockInput } from '../../clock/ClockInput';
import { PTIMER_TIMINGS } from '../../ptimer/PTimerSnapshot';
import { DeviceConfigError } from '../errors';
import { TRIGGER_DELIVERIES } from './TriggerDelivery';

/**
 * One rule of a device's options (see {@link checkDeviceOptions}): a
 * `ClockInput`, a non-empty name, a trigger delivery, a timer timing
 * (`'qemu'` or `'exact'`), a boolean, an integer
 * in a range, one of a few values, or a check of the device's own. A
 * trailing `?` (or `optional: true`) lets the option be left out.
 */
export type DeviceOptionRule =
  | 'clock'
  | 'clock?'
  | 'name?'
  | 'delivery?'
  | 'timing?'
  | 'boolean?'
  | {
      /** Inclusive bounds of a safe integer. */
      readonly integer: readonly [min: number, max: number];
      /** May be left out. */
      readonly optional?: boolean;
    }
  | {
      /** The allowed values (compared with `===`). */
      readonly oneOf: readonly unknown[];
      /** May be left out. */
      readonly optional?: boolean;
    }
  | {
      /** The device's own check: the broken rule in words, or `undefined` when the value is fine. */
      readonly check: (value: unknown) => string | undefined;
      /** May be left out. */
      readonly optional?: boolean;
    };

const show = (values: readonly unknown[]): string => values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');

/** The broken rule for `value`, or `undefined` when it keeps `rule`. */
const breaks = (rule: DeviceOptionRule, value: unknown): string | undefined => {
  if (typeof rule === 'string') {
    switch (rule) {
      case 'clock':
      case 'clock?':
        return value instanceof ClockInput ? undefined : 'must be a ClockInput';
      case 'name?':
        return typeof value === 'string' && value !== '' ? undefined : 'must be a non-empty string';
      case 'delivery?':
        return (TRIGGER_DELIVERIES as readonly unknown[]).includes(value) ? undefined : `must be one of ${show(TRIGGER_DELIVERIES)}`;
      case 'timing?':
        return (PTIMER_TIMINGS as readonly unknown[]).includes(value) ? undefined : `must be one of ${show(PTIMER_TIMINGS)}`;
      default:
        return typeof value === 'boolean' ? undefined : 'must be a boolean';
    }
  }
  if ('integer' in rule) {
    const [min, max] = rule.integer;
    return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max ? undefined : `must be an integer in [${min}, ${max}]`;
  }
  if ('oneOf' in rule) return rule.oneOf.includes(value) ? undefined : `must be one of ${show(rule.oneOf)}`;
  return rule.check(value);
};

const optional = (rule: DeviceOptionRule): boolean => (typeof rule === 'string' ? rule.endsWith('?') : rule.optional === true);

/**
 * Checks a device's constructor options against its rules, the one way
 * every device does (a device kit piece): the options must be an object,
 * every key it has must be known (a misspelt option is an error, not a
 * silent default), and every rule must hold.
 *
 * ## Example
 * ```ts
 * checkDeviceOptions('CmsdkApbTimer', options, { pclk: 'clock', name: 'name?', delivery: 'delivery?' });
 * ```
 * @param device - the device class's name, for messages (`CmsdkApbTimer(options.pclk)`)
 * @param options - what the caller passed
 * @param rules - each option's rule, by key
 * @throws DeviceConfigError naming the first option that breaks its rule, its value and the rule
 */
export const checkDeviceOptions = (device: string, options: unknown, rules: Readonly<Record<string, DeviceOptionRule>>): void => {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new DeviceConfigError(options, 'must be an object of options', `${device}(options)`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(rules, key) && given[key] !== undefined) {
      throw new DeviceConfigError(given[key], `is not an option of ${device} (options: ${Object.keys(rules).join(', ')})`, `${device}(options.${key})`);
    }
  }
  for (const [key, rule] of Object.entries(rules)) {
    const value = given[key];
    if (value === undefined && optional(rule)) continue;
    const broken = breaks(rule, value);
    if (broken !== undefined) throw new DeviceConfigError(value, broken, `${device}(options.${key})`);
  }
};
