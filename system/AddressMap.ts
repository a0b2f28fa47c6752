/** A span of the bus: `size` bytes from `base`. */
export interface AddressSpan {
  /** First byte address. */
  readonly base: number;
  /** Bytes it spans (positive). */
  readonly size: number;
}

/**
 * Disjoint address spans kept sorted by base, so a lookup and an overlap
 * check cost a binary search: building a system of n devices stays
 * O(n log n) compares (and one array insert each), where a scan of every
 * region per device made it quadratic, and a guest access to one of
 * thousands of devices does not walk them all.
 */
export class AddressMap<S extends AddressSpan> {
  private readonly spans: S[] = [];
  /** Each span's base, in the same order: the search reads numbers from one array, not a field of each span (#19: the first access of every guest step searches). */
  private readonly bases: number[] = [];
  /** The span the last lookup found: a guest step's accesses mostly go to one device (spans are never removed). */
  private last: S | undefined = undefined;

  /** The spans in address order. */
  get all(): readonly S[] {
    return this.spans;
  }

  /** Index of the first span whose base is above `address`. */
  private after(address: number): number {
    const { bases } = this;
    let lo = 0;
    let hi = bases.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bases[mid]! <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The span holding `address`, if any. */
  at(address: number): S | undefined {
    const last = this.last;
    if (last !== undefined && address >= last.base && address < last.base + last.size) return last;
    const before = this.spans[this.after(address) - 1];
    if (before === undefined || address >= before.base + before.size) return undefined;
    this.last = before;
    return before;
  }

  /**
   * A span that `size` bytes from `base` would overlap, if any: the spans are
   * disjoint, so only the last one starting at or below `base` and the first
   * one above it can.
   */
  overlapping(base: number, size: number): S | undefined {
    const i = this.after(base);
    const before = this.spans[i - 1];
    if (before !== undefined && base < before.base + before.size) return before;
    const next = this.spans[i];
    return next !== undefined && next.base < base + size ? next : undefined;
  }

  /** Adds a span the caller has checked overlaps none. */
  insert(span: S): void {
    const i = this.after(span.base);
    this.spans.splice(i, 0, span);
    this.bases.splice(i, 0, span.base);
  }
}
