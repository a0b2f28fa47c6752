import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressMap, type AddressSpan } from '../../system/AddressMap';

// The sorted map answers exactly as a scan of every span would (the scan it replaced).
const scanAt = (spans: readonly AddressSpan[], address: number): AddressSpan | undefined =>
  spans.find((s) => address >= s.base && address < s.base + s.size);
const scanOverlaps = (spans: readonly AddressSpan[], base: number, size: number): boolean =>
  spans.some((s) => base < s.base + s.size && s.base < base + size);

describe('AddressMap', () => {
  it('finds the span holding an address and any span a new one would overlap, as a scan of all spans does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ base: fc.integer({ min: 0, max: 400 }), size: fc.integer({ min: 1, max: 40 }) }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 460 }), { maxLength: 40 }),
        (candidates, probes) => {
          const map = new AddressMap<AddressSpan>();
          const kept: AddressSpan[] = [];
          for (const c of candidates) {
            const hit = map.overlapping(c.base, c.size);
            expect(hit !== undefined).toBe(scanOverlaps(kept, c.base, c.size));
            if (hit !== undefined) {
              expect(scanOverlaps([hit], c.base, c.size)).toBe(true);
              continue;
            }
            map.insert(c);
            kept.push(c);
          }
          expect(map.all).toEqual([...kept].sort((a, b) => a.base - b.base));
          for (const address of probes) expect(map.at(address)).toBe(scanAt(kept, address));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adjacent spans do not overlap; one byte into the next does', () => {
    const map = new AddressMap<AddressSpan>();
    map.insert({ base: 0x1000, size: 0x1000 });
    expect(map.overlapping(0x2000, 0x10)).toBeUndefined();
    expect(map.overlapping(0xff0, 0x10)).toBeUndefined();
    expect(map.overlapping(0xff0, 0x11)).toEqual({ base: 0x1000, size: 0x1000 });
    expect(map.overlapping(0x1fff, 1)).toEqual({ base: 0x1000, size: 0x1000 });
    expect(map.at(0x1fff)).toEqual({ base: 0x1000, size: 0x1000 });
    expect(map.at(0x2000)).toBeUndefined();
  });

  it('answers a lookup between inserts as a scan does (the span found last is tried first)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.record({ base: fc.integer({ min: 0, max: 400 }), size: fc.integer({ min: 1, max: 40 }) }), fc.array(fc.integer({ min: 0, max: 460 }), { maxLength: 6 }))),
        (steps) => {
          const map = new AddressMap<AddressSpan>();
          const kept: AddressSpan[] = [];
          for (const [c, probes] of steps) {
            if (map.overlapping(c.base, c.size) === undefined) {
              map.insert(c);
              kept.push(c);
            }
            for (const address of probes) expect(map.at(address)).toBe(scanAt(kept, address));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
