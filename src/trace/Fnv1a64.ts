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
    let rest = n;
    // Past 32 bits in floating point; below, in int32 arithmetic (a division by 10 the JIT turns into a multiply).
    while (rest > 0x7fffffff) {
      const q = Math.floor(rest / 10);
      digits[k++] = 0x30 + (rest - q * 10);
      rest = q;
    }
    let r = rest | 0;
    do {
      const q = (r / 10) | 0;
      digits[k++] = 0x30 + (r - q * 10);
      r = q;
    } while (r > 0);
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

/**
 * The high 32 bits of x·0x1b3 for x read as unsigned 32-bit: from its 16-bit
 * halves, floor((xh·0x1b3 + floor(xl·0x1b3 / 2^16)) / 2^16), every term below 2^26.
 */
const carryOut = (x: number): number => ((x >>> 16) * 0x1b3 + (((x & 0xffff) * 0x1b3) >>> 16)) >>> 16;
