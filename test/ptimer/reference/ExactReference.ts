// An exact-rational reference for PTimer's exact timing, written from the
// definition rather than from the library's arithmetic: times and periods
// are fractions of bigints, a countdown is its anchor A, its count at the
// anchor and the number n of periods it lasts, and its tick instants are
// A + j·P. Scope: counts and limits of at least 1 after any write (so no
// zero-count rules beyond the commit trigger of a zero count), policies made
// of WRAP_AFTER_ONE_PERIOD and NO_COUNTER_ROUND_DOWN, no rate clamp.

/** A non-negative rational number `n/d` (d > 0), in lowest terms. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
};
export const q = (n: bigint, d = 1n): Q => {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mulInt = (a: Q, k: bigint): Q => q(a.n * k, a.d);
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
const lt = (a: Q, b: Q): boolean => a.n * b.d < b.n * a.d;
/** ⌊x⌋ for any sign. */
export const floorQ = (a: Q): bigint => (a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d));
const ceilQ = (a: Q): bigint => -floorQ(q(-a.n, a.d));

export interface ExactReferenceOptions {
  readonly wrap: boolean;
  readonly roundUp: boolean;
}

/** One timer, driven by the test at whole-ns instants in time order. */
export class ExactReference {
  mode: 'stopped' | 'periodic' | 'oneshot' = 'stopped';
  limit = 0n;
  /** The count at the anchor (running), or the count (stopped). */
  delta = 0n;
  /** Periods the current countdown lasts. */
  n = 0n;
  period: Q = q(0n);
  anchor: Q = q(0n);
  /** Expiry instants (whole ns), one entry per expiry, and commit triggers. */
  readonly expiries: bigint[] = [];
  readonly commits: bigint[] = [];

  constructor(private readonly options: ExactReferenceOptions) {}

  deadline(): Q {
    return add(this.anchor, mulInt(this.period, this.n));
  }

  /** Runs every expiry due at or before the whole ns `t`. */
  advanceTo(t: bigint): void {
    while (this.mode !== 'stopped' && floorQ(this.deadline()) <= t) {
      const at = floorQ(this.deadline());
      this.expiries.push(at);
      if (this.mode === 'oneshot') {
        this.delta = 0n;
        this.mode = 'stopped';
        return;
      }
      this.anchor = this.deadline();
      this.delta = this.limit;
      this.n = this.limit + (this.options.wrap ? 1n : 0n);
    }
  }

  /** The count a guest reads at the whole ns `t` (expiries due by `t` already run). */
  read(t: bigint): bigint {
    if (this.mode === 'stopped' || this.delta === 0n) return this.delta;
    const anchorNs = floorQ(this.anchor);
    const atAnchor = t === anchorNs;
    // Ticks A + j·P (j ≥ 0) strictly before t: the legacy read is n minus them.
    const tq = q(t);
    const before = lt(this.anchor, tq) ? ceilQ(div(sub(tq, this.anchor), this.period)) : 0n;
    let c = this.n - before;
    if (c < 0n) c = 0n;
    if (!lt(tq, this.deadline())) c = 0n;
    // A countdown begun by W's reload (n = delta + 1, no other has it) rests at 0 for its first period, whatever the mode is now.
    if (c > 0n && this.options.wrap && this.n === this.delta + 1n) {
      if (atAnchor ? c === this.delta + 1n : c === this.delta) return 0n;
    }
    if (this.options.roundUp && !atAnchor) c += 1n;
    return c;
  }

  /** Starts a countdown of `count` at the whole ns `t` (a commit). */
  private anchorAt(t: bigint, count: bigint): void {
    this.anchor = q(t);
    if (count === 0n) {
      // A zero count triggers at the commit and reloads the limit.
      this.commits.push(t);
      count = this.limit;
    }
    this.delta = count;
    this.n = count;
  }

  setPeriod(t: bigint, period: Q): void {
    const c = this.read(t);
    this.delta = c;
    this.period = period;
    if (this.mode !== 'stopped') this.anchorAt(t, c);
  }

  setCount(t: bigint, count: bigint): void {
    if (this.mode !== 'stopped') this.anchorAt(t, count);
    else this.delta = count;
  }

  setLimit(t: bigint, limit: bigint): void {
    this.limit = limit;
    this.setCount(t, limit);
  }

  run(t: bigint, oneshot: boolean): void {
    const wasStopped = this.mode === 'stopped';
    this.mode = oneshot ? 'oneshot' : 'periodic';
    if (wasStopped) this.anchorAt(t, this.delta);
  }

  stop(t: bigint): void {
    if (this.mode === 'stopped') return;
    this.delta = this.read(t);
    this.mode = 'stopped';
  }
}
