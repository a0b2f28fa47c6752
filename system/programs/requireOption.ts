import { SystemConfigError } from '../errors';

/**
 * Checks one option of a built-in program.
 * @param ok - whether the value keeps the rule
 * @param value - the value, for the message
 * @param rule - the rule, in words
 * @param what - where it was given, e.g. `'periodicTick(options.hz)'`
 * @throws SystemConfigError naming `what`, the value and the rule when `ok` is false
 */
export const requireOption = (ok: boolean, value: unknown, rule: string, what: string): void => {
  if (!ok) throw new SystemConfigError(value, rule, what);
};

/** A whole, non-negative number of ns (or a count) that fits in a safe integer. */
export const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A finite number above 0. */
export const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
