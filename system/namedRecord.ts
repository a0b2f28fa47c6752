import { z } from 'zod';
import { isReservedName, RESERVED_NAME_RULE } from './reservedName';

/** A device, guest, clock or controller name: a string that is not one plain objects reserve (see {@link isReservedName}). */
export const objectName = z.string().refine((name) => !isReservedName(name), { error: RESERVED_NAME_RULE });

/**
 * Refuses an own `__proto__` key before a record is read: zod skips such a key
 * without a word (copying it would replace the result's prototype), which
 * would drop the entry silently.
 */
const noProtoKey = z.unknown().superRefine((value, ctx) => {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) {
    ctx.addIssue({ code: 'custom', path: ['__proto__'], message: RESERVED_NAME_RULE, input: value });
  }
});

/**
 * A record indexed by names (devices, guests, clocks): every key is an
 * {@link objectName}, so no entry can vanish into an object's prototype.
 * @param value - the schema of each entry
 * @returns the record's schema
 */
export const namedRecord = <V extends z.ZodType>(value: V) => noProtoKey.pipe(z.record(objectName, value));
