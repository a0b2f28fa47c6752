import { describe, expect, it } from 'vitest';
import { ACCESS_SIZES, isAccessValue, maxAccessValue } from '../../src/shared/AccessSize';

describe('maxAccessValue', () => {
  it('is the largest value of each access size, and the largest safe integer for 8 bytes', () => {
    expect(ACCESS_SIZES.map(maxAccessValue)).toEqual([0xff, 0xffff, 0xffff_ffff, Number.MAX_SAFE_INTEGER]);
  });

  it('is 2^(8·size) - 1 for the other whole sizes too, as the formula it replaces', () => {
    for (const size of [0, 3, 5, 6, 7]) expect(maxAccessValue(size)).toBe(2 ** (8 * size) - 1);
    expect(maxAccessValue(9)).toBe(2 ** 72 - 1);
  });
});

describe('isAccessValue', () => {
  it('takes the unsigned safe integers up to the size and nothing else', () => {
    expect(isAccessValue(0, 1)).toBe(true);
    expect(isAccessValue(0xff, 1)).toBe(true);
    expect(isAccessValue(0x100, 1)).toBe(false);
    expect(isAccessValue(0xffff_ffff, 4)).toBe(true);
    expect(isAccessValue(2 ** 32, 4)).toBe(false);
    expect(isAccessValue(Number.MAX_SAFE_INTEGER, 8)).toBe(true);
    for (const bad of [-1, 0.5, Number.NaN, Infinity, 2 ** 53, '1', undefined, null, 1n]) expect(isAccessValue(bad, 8)).toBe(false);
  });
});
