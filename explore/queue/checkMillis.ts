import { SystemConfigError } from '../../system/errors';

/** A day: longer than any sensible wait, short enough that a typo in the unit is caught. */
const MAX_MILLIS = 86_400_000;

/**
 * A duration option of the queue in ms: a whole number from 100 to a day.
 * @param value - the option's value
 * @param what - where it was given, e.g. `'createQueuePool(ttlMillis)'`
 * @returns the value
 * @throws SystemConfigError naming `what` otherwise
 * @internal
 */
export const checkMillis = (value: number, what: string): number => {
  if (!Number.isSafeInteger(value) || value < 100 || value > MAX_MILLIS) throw new SystemConfigError(value, 'must be a whole number of ms from 100 to 86 400 000 (a day)', what);
  return value;
};
