/** The period values given so far, each kept once (see {@link sharedBigInt}). */
const SEEN = new Map<bigint, bigint>();
/** Past this many distinct values the table starts again (a sweep over rates must not grow it without bound). */
const MAX_SEEN = 4096;

/**
 * `value`, as the one BigInt object kept for that value. A heap BigInt costs
 * 24 bytes, and the timers of a system run at a few rates: sharing the
 * period fields' values saves about 100 bytes per timer (a device pays this
 * per channel, #19). For values set at a period change, never per expiry.
 * @internal
 */
export const sharedBigInt = (value: bigint): bigint => {
  const kept = SEEN.get(value);
  if (kept !== undefined) return kept;
  if (SEEN.size >= MAX_SEEN) SEEN.clear();
  SEEN.set(value, value);
  return value;
};
