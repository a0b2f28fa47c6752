import { SystemSnapshotError } from '../errors';

/**
 * Checks a position a program is asked to resume from (it comes from a
 * snapshot, possibly read back from JSON): a plain object with exactly the
 * program's fields, each passing its check. An unknown key is refused too: a
 * position the program would not report back is not one it can be in.
 * Returns a copy, so the program's state never aliases it.
 * @param position - the value given to `start`
 * @param fields - a check per field
 * @param what - the program, e.g. `'periodicTick'`
 * @returns a shallow copy of the position
 * @throws SystemSnapshotError at `position` or `position.<field>` (a system's restore puts `guests.<name>.` before it)
 */
export const checkPosition = <T extends object>(
  position: unknown,
  fields: { readonly [K in keyof T]-?: (value: unknown) => boolean },
  what: string,
): T => {
  if (typeof position !== 'object' || position === null || Array.isArray(position)) {
    throw new SystemSnapshotError('position', position, `must be an object ${what} reported through position()`);
  }
  const p = position as Record<string, unknown>;
  for (const [key, ok] of Object.entries(fields) as [string, (value: unknown) => boolean][]) {
    const value = Object.hasOwn(p, key) ? p[key] : undefined;
    if (!ok(value)) throw new SystemSnapshotError(`position.${key}`, value, `is not a value ${what} reports`);
  }
  for (const key of Object.keys(p)) {
    if (!Object.hasOwn(fields, key)) throw new SystemSnapshotError(`position.${key}`, p[key], `unknown key; ${what} reports ${Object.keys(fields).join(', ')}`);
  }
  return { ...p } as T;
};
