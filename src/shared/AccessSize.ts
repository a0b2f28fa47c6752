/** Width of a guest access in bytes. */
export type AccessSize = 1 | 2 | 4 | 8;

/** The access sizes a guest can attempt (whether a device accepts them is the device's business). */
export const ACCESS_SIZES: readonly AccessSize[] = Object.freeze([1, 2, 4, 8]);

/** {@link maxAccessValue} for sizes 0 to 8, worked out once. */
const MAX_BY_SIZE: readonly number[] = Array.from({ length: 9 }, (_, size) => (size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * size) - 1));

/**
 * The largest value a guest access of `size` bytes carries: 2^(8·size) − 1,
 * and `Number.MAX_SAFE_INTEGER` for 8 bytes (values are JavaScript numbers).
 * A device checking a store's value uses it on every access, so it is looked
 * up, not computed (a power with a variable exponent is a floating-point call).
 *
 * ## Example
 * ```ts
 * maxAccessValue(2); // 0xffff
 * ```
 *
 * @param size - bytes (1, 2, 4 or 8; any other whole number gives 2^(8·size) − 1 too)
 * @returns the largest value
 */
export const maxAccessValue = (size: number): number => MAX_BY_SIZE[size] ?? (size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * size) - 1);

/**
 * Whether `value` is one a guest access of `size` bytes carries: an unsigned
 * safe integer up to {@link maxAccessValue}. The one check of a store's value,
 * for the access constructors, the register bank and devices that take
 * stores of their own.
 *
 * ## Example
 * ```ts
 * isAccessValue(0xff, 1); // true
 * isAccessValue(0x1ff, 1); // false
 * isAccessValue(-1, 4); // false
 * ```
 *
 * @param value - the value stored (any value: a non-number is not one)
 * @param size - bytes (1, 2, 4 or 8)
 * @returns whether it fits
 */
export const isAccessValue = (value: unknown, size: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= maxAccessValue(size);
