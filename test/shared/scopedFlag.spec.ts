import { describe, expect, it } from 'vitest';
import { scopedFlag } from '../../src/shared/scopedFlag';

describe('scopedFlag', () => {
  it('holds inside within, nested calls included, until the outermost returns; a throw lets it go', () => {
    const flag = scopedFlag();
    const other = scopedFlag();
    expect(flag.held()).toBe(false);
    const seen = flag.within(() => [flag.held(), flag.within(() => flag.held()), flag.held(), other.held()]);
    expect(seen).toEqual([true, true, true, false]);
    expect(flag.held()).toBe(false);
    expect(() =>
      flag.within(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(flag.held()).toBe(false);
    expect(flag.within(() => 42)).toBe(42);
  });
});
