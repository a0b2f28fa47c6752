/** Width of a guest access in bytes. */
export type AccessSize = 1 | 2 | 4 | 8;

/** The access sizes a guest can attempt (whether a device accepts them is the device's business). */
export const ACCESS_SIZES: readonly AccessSize[] = Object.freeze([1, 2, 4, 8]);
