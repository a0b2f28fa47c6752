import { isAccessValue } from '../src/bus/GuestAccess';

/**
 * Whether `value` is a guest access `accessRule` accepts, decided without
 * building anything: the rules of `guestRead`/`guestWrite` (whole,
 * non-negative offset; size 1, 2, 4 or 8; for a write, an unsigned value that
 * fits in the size). It must never accept what `accessRule` refuses; a value
 * it refuses goes to `accessRule`, which has the last word (and the message).
 * (`accessRule` calls the constructors, so it allocates an access per check:
 * a third of `applyAccesses`'s own cost per access, bench/accesses.ts.)
 * @internal
 */
export const isWellFormedAccess = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as { kind?: unknown; offset?: unknown; size?: unknown; value?: unknown };
  const { kind, offset, size } = a;
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) return false;
  if (size !== 4 && size !== 1 && size !== 2 && size !== 8) return false;
  if (kind === 'read') return true;
  if (kind !== 'write') return false;
  const v = a.value;
  return isAccessValue(v, size);
};
