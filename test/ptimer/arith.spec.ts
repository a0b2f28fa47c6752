// Pure 64.32 fixed-point helpers (reference/qemu-ptimer.md §1.7 step 11,
// §1.9 step 3, §1.6 set_freq, §1.14 examples C, D, F, H).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTimerRangeError } from '../../index';
import { U64_MAX, clz64, nextQuotientChange, periodOfFreq, quotient, spanNs, toU64 } from '../../src/ptimer/arith';

const TWO_32 = 1n << 32n;

/** ⌊r / (p + f/2^32)⌋ as an exact rational. */
const exactFloor = (r: bigint, p: bigint, f: bigint): bigint => (r * TWO_32) / (p * TWO_32 + f);

/** Brute force: the largest r' < r whose quotient differs from quotient(r), scanning down at most `steps`. */
const scanDown = (r: bigint, p: bigint, f: bigint, steps: bigint): bigint | undefined | 'not found' => {
  const q0 = quotient(r, p, f);
  for (let x = r - 1n; x >= 1n && r - x <= steps; x--) if (quotient(x, p, f) !== q0) return x;
  return r - steps <= 1n ? undefined : 'not found';
};

describe('U64_MAX', () => {
  it('is 2^64 - 1', () => {
    expect(U64_MAX).toBe(18_446_744_073_709_551_615n);
  });
});

describe('clz64', () => {
  it.each([
    [0n, 64],
    [1n, 63],
    [2n, 62],
    [0xffn, 56],
    [(1n << 32n) - 1n, 32],
    [1n << 32n, 31],
    [999_999_999n, 34],
    [333_333_333n, 35],
    [1n << 63n, 0],
    [U64_MAX, 0],
    [1n << 64n, 0], // wider than 64 bits: no leading zeros
  ])('clz64(%s) = %i', (x, n) => {
    expect(clz64(x)).toBe(n);
  });

  it('agrees with 64 - bit length for random 64-bit values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: U64_MAX }), (x) => {
        expect(clz64(x)).toBe(64 - x.toString(2).length);
      }),
    );
  });
});

describe('quotient (§1.9 step 3: normalised division by the 64.32 period)', () => {
  it('with f = 0 equals the floor of r / p, over the whole u64 range and beyond', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 70n }), fc.bigInt({ min: 1n, max: U64_MAX }), (r, p) => {
        expect(quotient(r, p, 0n)).toBe(r / p);
      }),
    );
  });

  it('with f ≠ 0 is never more than the exact ⌊r / (p + f/2^32)⌋', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
        fc.bigInt({ min: 1n, max: TWO_32 - 1n }),
        (r, p, f) => {
          expect(quotient(r, p, f) <= exactFloor(r, p, f)).toBe(true);
        },
      ),
    );
  });

  // When the count is below 2^31 (r ≤ p·2^31) the rounded-up divisor is at
  // least 2^32, so the rounding costs less than one count: exact or one less.
  it('with f ≠ 0 and a count below 2^31 is exact or one less', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: (1n << 32n) - 1n }),
        fc.bigInt({ min: 1n, max: TWO_32 - 1n }),
        fc.bigInt({ min: 0n, max: 1n << 31n }),
        fc.bigInt({ min: 0n, max: U64_MAX }),
        (p, f, count, extra) => {
          const r = count * p + (extra % p);
          const exact = exactFloor(r, p, f);
          const q = quotient(r, p, f);
          expect(q === exact || q === exact - 1n).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    // Example C (freq 3): period 333 333 333 + 0x55555555/2^32, first deadline 999 999 999.
    [999_999_999n, 333_333_333n, 0x5555_5555n, 2n],
    [666_666_666n, 333_333_333n, 0x5555_5555n, 1n],
    [333_333_333n, 333_333_333n, 0x5555_5555n, 0n],
    // Example D (2 GHz, 0.5 ns): deadline 4 ns; 4, 3, 2, 1 ns left.
    [4n, 0n, 0x8000_0000n, 8n],
    [3n, 0n, 0x8000_0000n, 6n],
    [2n, 0n, 0x8000_0000n, 4n],
    [1n, 0n, 0x8000_0000n, 2n],
    // Example F (24 MHz): deadline 999 999; read at 0, 41 and 500 000.
    [999_999n, 41n, 0xaaaa_aaaan, 23_999n],
    [999_958n, 41n, 0xaaaa_aaaan, 23_998n],
    [499_999n, 41n, 0xaaaa_aaaan, 11_999n],
  ])('worked example: quotient(%s, %s, %s) = %s', (r, p, f, q) => {
    expect(quotient(r, p, f)).toBe(q);
  });

  it('is bit-exact with the §1.9 steps even where they are far from the exact ratio (p = 1, f = 1, r = 2^62)', () => {
    // s = min(clz64(2^62) = 1, clz64(1) = 63) = 1; N = 2^63; Q = 1·2 + ⌊1·2/2^32⌋ = 2,
    // and the 31 low fraction bits left over are non-zero, so Q is rounded up to 3.
    expect(quotient(1n << 62n, 1n, 1n)).toBe((1n << 63n) / 3n);
  });
});

describe('spanNs (§1.7 step 11: d periods, the fraction floored once)', () => {
  it.each([
    [3n, 333_333_333n, 0x5555_5555n, 999_999_999n], // Example C first deadline
    [4n, 333_333_333n, 0x5555_5555n, 1_333_333_333n], // Example C under W: 1 333 333 332 + 1
    [8n, 0n, 0x8000_0000n, 4n], // Example D
    [1n, 0n, 0x8000_0000n, 0n], // 2 GHz, one period: floors to 0 ns
    [24_000n, 41n, 0xaaaa_aaaan, 999_999n], // Example F
    [10n, 2_000_000n, 0n, 20_000_000n], // Example A
  ])('spanNs(%s, %s, %s) = %s', (d, p, f, ns) => {
    expect(spanNs(d, p, f)).toBe(ns);
  });

  it('is d·p exactly, without the mod-2^64 wrap (a deliberate departure)', () => {
    expect(spanNs(U64_MAX, 2n, 0n)).toBe(2n * U64_MAX);
    expect(spanNs(U64_MAX, 1n, 0x8000_0000n)).toBe(U64_MAX + U64_MAX / 2n);
  });

  it('equals d·p + ⌊f·d / 2^32⌋ for random inputs', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        fc.bigInt({ min: 0n, max: TWO_32 - 1n }),
        (d, p, f) => {
          expect(spanNs(d, p, f)).toBe(d * p + (f * d) / TWO_32);
        },
      ),
    );
  });
});

describe('periodOfFreq (Example H, set_freq rows)', () => {
  it.each([
    [500n, 2_000_000n, 0n],
    [1_000_000n, 1_000n, 0n],
    [25_000_000n, 40n, 0n],
    [24_000_000n, 41n, 0xaaaa_aaaan],
    [32_768n, 30_517n, 0x9400_0000n],
    [3n, 333_333_333n, 0x5555_5555n],
    [2_000_000_000n, 0n, 0x8000_0000n],
    [1_000_000_000n, 1n, 0n],
    [1n, 1_000_000_000n, 0n],
  ])('%s Hz → %s ns + %s/2^32', (hz, ns, frac) => {
    expect(periodOfFreq(hz)).toEqual({ ns, frac });
  });
});

describe('toU64', () => {
  it('accepts safe non-negative integer numbers and bigints in [0, 2^64 - 1], returning a bigint', () => {
    expect(toU64(0, 'x')).toBe(0n);
    expect(toU64(Number.MAX_SAFE_INTEGER, 'x')).toBe(9_007_199_254_740_991n);
    expect(toU64(U64_MAX, 'x')).toBe(U64_MAX);
    expect(toU64(0n, 'x')).toBe(0n);
  });

  it.each([
    [-1, 'f(v): -1 is invalid: must be a bigint in [0, 2^64 - 1] or a safe non-negative integer number'],
    [1.5, 'f(v): 1.5 is invalid'],
    [Number.NaN, 'f(v): NaN is invalid'],
    [Infinity, 'f(v): Infinity is invalid'],
    [2 ** 53, 'f(v): 9007199254740992 is invalid'],
    [-1n, 'f(v): -1n is invalid: must be in [0, 2^64 - 1]'],
    [1n << 64n, 'f(v): 18446744073709551616n is invalid: must be in [0, 2^64 - 1]'],
    ['5', 'f(v): "5" is invalid: must be a bigint'],
    [null, 'f(v): null is invalid'],
  ] as const)('rejects %s with PTimerRangeError naming the value and the rule', (value, message) => {
    let error: unknown;
    try {
      toU64(value as unknown as number, 'f(v)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PTimerRangeError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(message);
    expect(Object.is((error as PTimerRangeError).value, value)).toBe(true);
  });
});

describe('nextQuotientChange (next drop of the quotient, agrees with a scan)', () => {
  it('agrees with a brute-force scan on random small inputs', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 3_000n }),
        fc.bigInt({ min: 0n, max: 60n }),
        fc.bigInt({ min: 0n, max: TWO_32 - 1n }),
        (r, p, f) => {
          fc.pre(p !== 0n || f !== 0n);
          expect(nextQuotientChange(r, p, f)).toBe(scanDown(r, p, f, r));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with a scan on large r (the change is within a few periods below r)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n << 32n, max: (1n << 66n) - 1n }),
        fc.bigInt({ min: 1n, max: 5_000n }),
        fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: TWO_32 - 1n })),
        (r, p, f) => {
          expect(nextQuotientChange(r, p, f)).toBe(scanDown(r, p, f, 3n * p + 10n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with a scan just above every power of two (where the normalising shift changes)', () => {
    for (let k = 1n; k <= 65n; k++) {
      for (const [p, f] of [
        [1n, 0n],
        [3n, 0x5555_5555n],
        [41n, 0xaaaa_aaaan],
        [0n, 0x8000_0000n],
        [7n, 1n],
      ] as const) {
        for (let j = 0n; j <= 3n; j++) {
          const r = (1n << k) + j;
          expect(nextQuotientChange(r, p, f), `r=2^${k}+${j} p=${p} f=${f}`).toBe(scanDown(r, p, f, 3n * p + 10n));
        }
      }
    }
  });

  it('returns undefined when the quotient holds all the way down to 1', () => {
    expect(nextQuotientChange(999n, 1_000n, 0n)).toBeUndefined();
    expect(nextQuotientChange(1n, 1n, 0n)).toBeUndefined();
    expect(nextQuotientChange(333_333_333n, 333_333_333n, 0x5555_5555n)).toBeUndefined();
  });

  it('finds the period boundaries of Example C (freq 3, deadline 999 999 999)', () => {
    // Read at t = 0 (r = 999 999 999) is 2; it drops to 1 at t = 333 333 333 (r = 666 666 666).
    expect(nextQuotientChange(999_999_999n, 333_333_333n, 0x5555_5555n)).toBe(666_666_666n);
    // 1 → 0 at t = 666 666 666 (r = 333 333 333).
    expect(nextQuotientChange(666_666_666n, 333_333_333n, 0x5555_5555n)).toBe(333_333_333n);
  });
});
