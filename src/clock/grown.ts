/**
 * `array` when it holds at least `n` elements, else a new one of the same
 * kind holding at least `n` (twice the old length when that is more, so a
 * scratch array that keeps growing is replaced O(log n) times). For the
 * scratch arrays the clock's queue listings keep between calls.
 * @param array - the scratch array now
 * @param n - the elements needed
 * @returns an array of at least `n` elements (its contents are not kept)
 */
export const grown = <A extends Int32Array | Uint8Array>(array: A, n: number): A =>
  array.length >= n ? array : (new (array.constructor as new (length: number) => A)(Math.max(n, 2 * array.length)));
