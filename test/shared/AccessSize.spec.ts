import { describe, expect, it } from 'vitest';
import { ACCESS_SIZES, maxAccessValue } from '../../src/shared/AccessSize';

describe('maxAccessValue', () => {
  it('is the largest value of each access size, and the largest safe integer for 8 bytes', () => {
    expect(ACCESS_SIZES.map(maxAccessValue)).toEqual([0xff, 0xffff, 0xffff_ffff, Number.MAX_SAFE_INTEGER]);
  });

  it('is 2^(8·size) - 1 for the other whole sizes too, as the formula it replaces', () => {
    for (const size of [0, 3, 5, 6, 7]) expect(maxAccessValue(size)).toBe(2 ** (8 * size) - 1);
    expect(maxAccessValue(9)).toBe(2 ** 72 - 1);
  });
});
