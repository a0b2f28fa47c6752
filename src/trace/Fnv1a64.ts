import { carryOut, mulHigh, type Fnv1a64Text } from './Fnv1a64Text';

/**
 * Incremental FNV-1a 64-bit hash of the UTF-8 bytes of the text fed to it
 * (the public-domain Fowler–Noll–Vo function: offset basis
 * 0xcbf29ce484222325, prime 0x100000001b3). Non-cryptographic: it detects
 * accidental differences between runs, not tampering.
 *
 * Plain TypeScript on two 32-bit halves (no BigInt on the hot path, no
 * platform crypto), so it runs the same in Node and in a browser. Text is
 * encoded as UTF-8 the way `TextEncoder` does, a lone surrogate becoming
 * U+FFFD.
 *
 * One byte: h = (h xor b) * 0x100000001b3 mod 2^64, with h = hi·2^32 + lo.
 * The prime is 2^40 + 0x1b3, so the product is h·0x1b3 + (h << 40): the
 * shift only adds lo's low 24 bits, moved up 8, to the high half. Both
 * halves are int32s multiplied with `Math.imul` (the low 32 bits of a
 * product, exact), the carry out of lo·0x1b3 from its 16-bit halves: no
 * double arithmetic, no value that leaves the small-integer range (the
 * double form ran at a sixth of the speed, and a run's digest hashes every
 * byte of every event).
 *
 * @internal Used by {@link TraceDigest}; exported for its tests.
 */
export class Fnv1a64 {
  /** The halves as int32 (read as unsigned by {@link Fnv1a64.hex}). */
  private hi = 0xcbf29ce4 | 0;
  private lo = 0x84222325 | 0;
  /** Scratch for {@link Fnv1a64.uint}'s digits, lowest first (a safe integer has at most 16). */
  private readonly digits = new Uint8Array(16);

  /** Feeds the UTF-8 encoding of `text`. */
  update(text: string): this {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
      } else if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
        i++;
        this.byte(0xf0 | (cp >> 18));
        this.byte(0x80 | ((cp >> 12) & 0x3f));
        this.byte(0x80 | ((cp >> 6) & 0x3f));
        this.byte(0x80 | (cp & 0x3f));
      } else {
        const u = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c; // a lone surrogate, as TextEncoder encodes it
        this.byte(0xe0 | (u >> 12));
        this.byte(0x80 | ((u >> 6) & 0x3f));
        this.byte(0x80 | (u & 0x3f));
      }
    }
    return this;
  }

  /**
   * Feeds `text`, every character of which the caller knows is below 0x80
   * (one UTF-8 byte each): the JSON a trace event's digest hashes is nearly
   * all such text, so the per-character branch of {@link Fnv1a64.update} goes.
   */
  ascii(text: string): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < text.length; i++) {
      const x = lo ^ text.charCodeAt(i);
      lo = Math.imul(x, 0x1b3);
      hi = (Math.imul(hi, 0x1b3) + carryOut(x) + (x << 8)) | 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /**
   * Feeds the decimal digits of `n`, a non-negative safe integer, as
   * `String(n)` (and JSON) writes them, without making the string.
   */
  uint(n: number): this {
    const digits = this.digits;
    let k = 0;
    let r = n;
    if (n > 99_999_999) {
      // The low 8 digits (zero-padded) and the rest, each an int32: no floating-point division per digit.
      // The floor is exact: below 2^53 the quotient is below 2^27, where doubles are 2^-26 apart, and a
      // non-integer quotient is at least 10^-8 from an integer, more than half that spacing.
      const high = Math.floor(n / 1e8);
      let low = n - high * 1e8;
      for (let j = 0; j < 4; j++) {
        const q = (low / 100) | 0;
        const pair = low - q * 100;
        digits[k++] = ONES[pair]!;
        digits[k++] = TENS[pair]!;
        low = q;
      }
      r = high;
    }
    // Two digits a division (by a constant: the JIT makes it a multiply).
    r |= 0;
    while (r >= 100) {
      const q = (r / 100) | 0;
      const pair = r - q * 100;
      digits[k++] = ONES[pair]!;
      digits[k++] = TENS[pair]!;
      r = q;
    }
    digits[k++] = ONES[r]!;
    if (r >= 10) digits[k++] = TENS[r]!;
    let hi = this.hi;
    let lo = this.lo;
    while (k > 0) {
      const x = lo ^ digits[--k]!;
      lo = Math.imul(x, 0x1b3);
      hi = (Math.imul(hi, 0x1b3) + carryOut(x) + (x << 8)) | 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /**
   * Feeds a prepared constant text (see {@link Fnv1a64Text}): the same as
   * feeding its bytes, in one multiply and one table lookup.
   */
  text(text: Fnv1a64Text): this {
    const lo = this.lo;
    const l = 2 * (lo & 0xff);
    // h·p^k + G(l) mod 2^64, in int32 halves.
    const mLo = Math.imul(lo, text.lo);
    const mHi = mulHigh(lo, text.lo) + Math.imul(lo, text.hi) + Math.imul(this.hi, text.lo);
    const sum = (mLo >>> 0) + (text.table[l]! >>> 0);
    this.lo = sum | 0;
    this.hi = (mHi + text.table[l + 1]! + (sum > 0xffffffff ? 1 : 0)) | 0;
    return this;
  }

  /** The hash so far as 16 lower-case hex digits (feeding may continue). */
  hex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }

  /** Feeds one byte (see the class doc for the arithmetic). */
  private byte(b: number): void {
    const x = this.lo ^ b;
    this.lo = Math.imul(x, 0x1b3);
    this.hi = (Math.imul(this.hi, 0x1b3) + carryOut(x) + (x << 8)) | 0;
  }
}

/** The ones' and the tens' digit (as ASCII) of 0 to 99. */
const ONES = Uint8Array.from({ length: 100 }, (_, i) => 0x30 + (i % 10));
const TENS = Uint8Array.from({ length: 100 }, (_, i) => 0x30 + Math.floor(i / 10));
