import { describe, expect, it } from 'vitest';
import { grown } from '../../src/clock/grown';

describe('grown', () => {
  it('keeps an array that is long enough, and replaces a short one with one of its kind, at least twice as long', () => {
    const a = new Int32Array(8);
    expect(grown(a, 8)).toBe(a);
    const b = grown(a, 9);
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.length).toBe(16);
    const c = grown(new Uint8Array(4), 100);
    expect(c).toBeInstanceOf(Uint8Array);
    expect(c.length).toBe(100);
    expect(grown(new Int32Array(0), 0).length).toBe(0);
  });
});
