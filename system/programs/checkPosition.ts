import { SystemSnapshotError } from '../errors';
import { describeValue } from '../../src/shared/describeValue';

/**
 * Checks a position a program is asked to resume from (it comes from a
 * snapshot, possibly read back from JSON): a plain object whose fields pass
 * their checks. Returns a copy, so the program's state never aliases it.
 * @param position - the value given to `start`
 * @param fields - a check per field
 * @param what - the program, e.g. `'periodicTick'`
 * @returns a shallow copy of the position
 * @throws SystemSnapshotError naming the first bad field
 */
export const checkPosition = <T extends object>(
  position: unknown,
  fields: { readonly [K in keyof T]-?: (value: unknown) => boolean },
  what: string,
): T => {
  if (typeof position !== 'object' || position === null || Array.isArray(position)) {
    throw new SystemSnapshotError(`${what} position`, 'must be an object the program reported through position()');
  }
  const p = position as Record<string, unknown>;
  for (const [key, ok] of Object.entries(fields) as [string, (value: unknown) => boolean][]) {
    if (!ok(p[key])) throw new SystemSnapshotError(`${what} position.${key}`, `${describeValue(p[key])} is not a value the program reports`);
  }
  return { ...p } as T;
};
