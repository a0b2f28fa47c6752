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
 * @internal Used by {@link TraceDigest}; exported for its tests.
 */
export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;
  /** Scratch for {@link Fnv1a64.uint}'s digits, lowest first (a safe integer has at most 16). */
  private readonly digits = new Uint8Array(16);

  /** Feeds the UTF-8 encoding of `text`. */
  update(text: string): this {
    // The halves live in locals for the loop (a trace's digest hashes every byte of every event).
    let hi = this.hi;
    let lo = this.lo;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        // One byte, step() inlined: nearly every byte of a trace is ASCII.
        const x = (lo ^ c) >>> 0;
        const low = x * 0x1b3;
        const lowPart = low >>> 0;
        hi = (hi * 0x1b3 + (low - lowPart) / 0x1_0000_0000 + (x << 8)) >>> 0;
        lo = lowPart;
        continue;
      }
      this.hi = hi;
      this.lo = lo;
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
      } else if (c >= 0xd800 && c <= 0xdfff && c <= 0xdbff && i + 1 < n && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
        i++;
        this.byte(0xf0 | (cp >> 18));
        this.byte(0x80 | ((cp >> 12) & 0x3f));
        this.byte(0x80 | ((cp >> 6) & 0x3f));
        this.byte(0x80 | (cp & 0x3f));
      } else {
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder encodes it
        this.byte(0xe0 | (c >> 12));
        this.byte(0x80 | ((c >> 6) & 0x3f));
        this.byte(0x80 | (c & 0x3f));
      }
      hi = this.hi;
      lo = this.lo;
    }
    this.hi = hi;
    this.lo = lo;
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
      const x = (lo ^ text.charCodeAt(i)) >>> 0;
      const low = x * 0x1b3;
      const lowPart = low >>> 0;
      hi = (hi * 0x1b3 + (low - lowPart) / 0x1_0000_0000 + (x << 8)) >>> 0;
      lo = lowPart;
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
    do {
      const q = Math.floor(rest / 10);
      digits[k++] = 0x30 + (rest - q * 10);
      rest = q;
    } while (rest > 0);
    let hi = this.hi;
    let lo = this.lo;
    while (k > 0) {
      const x = (lo ^ digits[--k]!) >>> 0;
      const low = x * 0x1b3;
      const lowPart = low >>> 0;
      hi = (hi * 0x1b3 + (low - lowPart) / 0x1_0000_0000 + (x << 8)) >>> 0;
      lo = lowPart;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** The hash so far as 16 lower-case hex digits (feeding may continue). */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }

  /**
   * h = (h xor b) * 0x100000001b3 mod 2^64, with h = hi·2^32 + lo.
   * The prime is 2^40 + 0x1b3, so the product is h·0x1b3 + (h << 40): the
   * shift only adds lo's low 24 bits, moved up 8, to the high half. Every
   * intermediate stays below 2^42, exact in a double.
   */
  private byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    const low = lo * 0x1b3;
    const lowPart = low >>> 0;
    const carry = (low - lowPart) / 0x1_0000_0000;
    this.hi = (this.hi * 0x1b3 + carry + (lo << 8)) >>> 0;
    this.lo = lowPart;
  }
}
