/**
 * A constant text prepared for {@link Fnv1a64.text}: feeding it then costs
 * one 64-bit multiply and one table lookup, whatever its length, instead of
 * one multiply per byte.
 *
 * Why it works: one FNV-1a step is h' = (h xor b)·p mod 2^64. The xor
 * changes only h's low byte l, so h xor b = h + d with d = (l xor b) − l,
 * which depends on l alone; and the low byte of h' is ((l xor b)·p) mod 256,
 * again a function of l alone. So over the k bytes of a text, h_k =
 * h·p^k + G(l) mod 2^64, where G sums the d's times powers of p and depends
 * only on h's low byte l at the start: 256 values, computed once per text by
 * hashing it from each of the 256 starting bytes. (The same holds of any
 * FNV-1a: a fact of its arithmetic, not of this code.)
 *
 * A trace event's JSON line is mostly such text: the keys, the punctuation,
 * the kind, the enumerated values; only the source's name and the numbers'
 * digits vary. So a line's digest costs a few of these, its name and its
 * digits, not its 80 bytes.
 *
 * Memory: 2 KiB each (the table), so only the trace format's few constant
 * texts are prepared (see `canonicalTraceEvent.ts`), not one per name: in a
 * running system a table per name would be read too rarely to stay cached.
 * @internal Used by {@link Fnv1a64.text}; exported for its tests.
 */
export class Fnv1a64Text {
  /** p^k mod 2^64 as int32 halves. */
  readonly hi: number;
  readonly lo: number;
  /** G by starting low byte l: its low half at `2l`, its high half at `2l + 1`, as int32. */
  readonly table = new Int32Array(512);
  /** The text's UTF-8 length in bytes. */
  readonly length: number;

  /** @param bytes - the text's bytes (its UTF-8 encoding) */
  constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    let hi = 0;
    let lo = 1;
    for (let i = 0; i < bytes.length; i++) {
      // × p = × (2^40 + 0x1b3)
      const h = mulHigh(lo, 0x1b3) + Math.imul(hi, 0x1b3) + (lo << 8);
      lo = Math.imul(lo, 0x1b3);
      hi = h | 0;
    }
    this.hi = hi;
    this.lo = lo;
    for (let l = 0; l < 256; l++) {
      // The text hashed from the state l (its high half 0), less l·p^k: G(l).
      let h = 0;
      let x = l;
      for (let i = 0; i < bytes.length; i++) {
        const y = x ^ bytes[i]!;
        x = Math.imul(y, 0x1b3);
        h = (Math.imul(h, 0x1b3) + carryOut(y) + (y << 8)) | 0;
      }
      const mLo = Math.imul(l, this.lo);
      const mHi = (mulHigh(l, this.lo) + Math.imul(l, this.hi)) | 0;
      const gLo = (x >>> 0) - (mLo >>> 0);
      this.table[2 * l] = gLo | 0;
      this.table[2 * l + 1] = (h - mHi - (gLo < 0 ? 1 : 0)) | 0;
    }
  }

  /** The prepared UTF-8 encoding of `text`. */
  static of(text: string): Fnv1a64Text {
    return new Fnv1a64Text(new TextEncoder().encode(text));
  }
}

/** The high 32 bits of the product of `a` and `b` read as unsigned 32-bit (exact: every term below 2^53). */
export const mulHigh = (a: number, b: number): number => {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const mid = a1 * b0 + a0 * b1 + ((a0 * b0) >>> 16);
  return (a1 * b1 + Math.floor(mid / 65536)) | 0;
};

/**
 * The high 32 bits of x·0x1b3 for x read as unsigned 32-bit: from its 16-bit
 * halves, floor((xh·0x1b3 + floor(xl·0x1b3 / 2^16)) / 2^16), every term below 2^26.
 */
export const carryOut = (x: number): number => ((x >>> 16) * 0x1b3 + (((x & 0xffff) * 0x1b3) >>> 16)) >>> 16;

/**
 * A constant text of the trace format (a key, punctuation, an enumeration's
 * value), prepared when first hashed: a process that never hashes a trace
 * never builds its tables.
 * @internal
 */
export class LazyText {
  private prepared: Fnv1a64Text | undefined;
  /** @param text - the text, as it is hashed */
  constructor(readonly text: string) {}
  /** The prepared text. */
  get(): Fnv1a64Text {
    return (this.prepared ??= Fnv1a64Text.of(this.text));
  }
}
