/**
 * Whether `n` is a whole, non-negative safe integer (a time in ns, an address, a size).
 * @param n - anything
 * @internal
 */
export const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
