import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fnv1a64 } from '../../src/trace/Fnv1a64';
import { Fnv1a64Text, mulHigh } from '../../src/trace/Fnv1a64Text';
import { referenceFnv1a64 } from './traceArbitraries';

describe('Fnv1a64Text (a constant text hashed in one multiply, #19)', () => {
  it('fed from the offset basis, hashes like its bytes (published vectors)', () => {
    expect(new Fnv1a64().text(Fnv1a64Text.of('')).hex()).toBe('cbf29ce484222325');
    expect(new Fnv1a64().text(Fnv1a64Text.of('a')).hex()).toBe('af63dc4c8601ec8c');
    expect(new Fnv1a64().text(Fnv1a64Text.of('foobar')).hex()).toBe('85944171f73967e8');
  });

  it('property: from any state, feeding a prepared text equals feeding its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 48 }), fc.string({ maxLength: 4 }), (before, text, after) => {
        const expected = referenceFnv1a64(before + text + after);
        expect(new Fnv1a64().update(before).update(text).update(after).hex()).toBe(expected);
        expect(new Fnv1a64().update(before).text(Fnv1a64Text.of(text)).update(after).hex()).toBe(expected);
      }),
    );
  });

  it('from a state ending in each of the 256 low bytes (each entry of its table), equals its bytes', () => {
    const line = ',"source":"timer0","kind":"read","offset":';
    const text = Fnv1a64Text.of(line);
    const seen = new Set<string>();
    for (let i = 0; seen.size < 256; i++) {
      const before = `x${i}`;
      const low = new Fnv1a64().ascii(before).hex().slice(14);
      if (seen.has(low)) continue;
      seen.add(low);
      expect(new Fnv1a64().ascii(before).text(text).hex()).toBe(referenceFnv1a64(before + line));
    }
    expect(seen.size).toBe(256);
  });

  it('texts fed one after another, and a text fed twice, equal their bytes', () => {
    const a = Fnv1a64Text.of('{"time":');
    const b = Fnv1a64Text.of(',"kind":"irq","level":true}\n');
    expect(new Fnv1a64().text(a).uint(42).text(b).text(b).hex()).toBe(referenceFnv1a64('{"time":42,"kind":"irq","level":true}\n,"kind":"irq","level":true}\n'));
  });

  it('property: mulHigh is the high 32 bits of the unsigned 64-bit product', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (a, b) => {
        const product = BigInt(a >>> 0) * BigInt(b >>> 0);
        expect(mulHigh(a, b) >>> 0).toBe(Number(product >> 32n));
      }),
    );
    expect(mulHigh(-1, -1) >>> 0).toBe(0xfffffffe);
  });
});
