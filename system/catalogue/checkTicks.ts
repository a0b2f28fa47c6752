import { SystemConfigError } from '../errors';

/**
 * Checks the `ticks` given to a recipe's `start`.
 * @param ticks - counter cycles per expiry
 * @param min - the channel's `minTicks`
 * @param max - the channel's `maxTicks`
 * @param what - the recipe, e.g. `'sp804.timer1.start(ticks)'`
 * @returns `ticks`
 * @throws SystemConfigError for a value that is not a whole number in [min, max]
 */
export const checkTicks = (ticks: number, min: number, max: number, what: string): number => {
  if (typeof ticks !== 'number' || !Number.isSafeInteger(ticks) || ticks < min || ticks > max) {
    throw new SystemConfigError(ticks, `must be a whole number of cycles from ${min} to ${max}`, what);
  }
  return ticks;
};
