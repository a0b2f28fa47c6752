import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fnv1a64 } from '../../src/trace/Fnv1a64';
import { referenceFnv1a64 } from './traceArbitraries';

describe('Fnv1a64', () => {
  // Published FNV-1a 64 test vectors.
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j to %s', (text, hex) => {
    expect(new Fnv1a64().update(text).hex()).toBe(hex);
    expect(referenceFnv1a64(text)).toBe(hex);
  });

  it('property: equals a BigInt implementation over TextEncoder bytes, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        expect(new Fnv1a64().update(text).hex()).toBe(referenceFnv1a64(text));
      }),
    );
  });

  it('property: feeding text in pieces equals feeding it at once', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 16 }), { maxLength: 8 }), (pieces) => {
        const hash = new Fnv1a64();
        for (const piece of pieces) hash.update(piece);
        expect(hash.hex()).toBe(new Fnv1a64().update(pieces.join('')).hex());
      }),
    );
  });

  it('encodes 1-, 2-, 3- and 4-byte UTF-8 sequences like TextEncoder, and a lone surrogate as U+FFFD', () => {
    for (const text of ['\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}', '\ud800', 'x\udc00y', '\ud83d']) {
      expect(new Fnv1a64().update(text).hex()).toBe(referenceFnv1a64(text));
    }
    expect(new Fnv1a64().update('\ud800').hex()).toBe(new Fnv1a64().update('\ufffd').hex());
  });

  it('ascii() and uint() feed what update() would for the same text', () => {
    expect(new Fnv1a64().ascii('{"time":').uint(0).uint(9).uint(10).uint(2 ** 53 - 1).hex()).toBe(new Fnv1a64().update(`{"time":0910${2 ** 53 - 1}`).hex());
    // Around the switch from floating-point to int32 digits (2^31), and the int32 range itself.
    // Also around 10^8, where the digits are made in two int32 parts (the low one zero-padded), and two digits a step.
    for (const n of [2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32, 10 ** 10, 9, 10, 11, 99, 100, 101, 999, 1000, 1_000_000_007, 99_999_999, 100_000_000, 100_000_001, 100_000_010, 1_000_000_000, 123_000_000_045, 10 ** 15, 2 ** 53 - 1, 2 ** 53 - 1 - 99_999_999, 90_071_991 * 1e8 - 1, 90_071_991 * 1e8]) {
      expect(new Fnv1a64().uint(n).hex()).toBe(referenceFnv1a64(String(n)));
    }
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(new Fnv1a64().uint(n).hex()).toBe(referenceFnv1a64(String(n)));
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 20 }), (n, text) => {
        expect(new Fnv1a64().ascii(text).uint(n).hex()).toBe(referenceFnv1a64(`${text}${n}`));
      }),
    );
  });
});
