/**
 * A seeded pseudo-random source: the strategies' only randomness, so the
 * same seed always gives the same schedules (never `Math.random` or the
 * wall clock). @internal
 */
export interface SeededRandom {
  /** The next 32 random bits, as an unsigned integer. */
  bits(): number;
  /**
   * A uniform integer in `[0, m)`, without modulo bias.
   * @param m - how many values (a positive safe integer up to 2^32)
   */
  below(m: number): number;
}

const WEYL = 0x9e3779b9;

/** Murmur3's finaliser: every input bit flips about half the output bits. */
const mix = (x: number): number => {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
};

/**
 * A generator seeded by one or more safe integers (e.g. a user's seed and a
 * run number, so each run has its own stream and runs need not be drawn in
 * order): a Weyl sequence through Murmur3's finaliser (SplitMix32). Plenty
 * for choosing schedules; not for cryptography.
 * @param words - safe integers (negative ones included) that make up the seed
 * @returns the generator
 * @internal
 */
export const seededRandom = (...words: readonly number[]): SeededRandom => {
  let state = 0x6a09e667;
  for (const w of words) {
    // Both 32-bit halves of a safe integer count: seeds 1 and 2^32 + 1 differ.
    const low = w >>> 0;
    const high = Math.floor(w / 2 ** 32) >>> 0;
    state = mix(state ^ mix(low + WEYL));
    state = mix(state ^ mix(high + 2 * WEYL));
  }
  const bits = (): number => {
    state = (state + WEYL) | 0;
    return mix(state);
  };
  return {
    bits,
    below(m) {
      // Reject the top sliver of 2^32 that m does not divide evenly, so every value is equally likely.
      const limit = 2 ** 32 - (2 ** 32 % m);
      for (;;) {
        const x = bits();
        if (x < limit) return x % m;
      }
    },
  };
};
