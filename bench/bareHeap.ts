/**
 * The yardstick: hand-written periodic-event loops on a binary min-heap keyed
 * by (time, seq), with no rxjs, no Subscription objects and no checks beyond
 * what the loop needs. Two common shapes are given, because which one is
 * faster depends on the engine and on N:
 *
 * - {@link ObjectHeapLoop}: one object per timer in an array; pop the minimum,
 *   call back, advance its time, push it back (two sifts per event).
 * - {@link TypedHeapLoop}: parallel typed arrays (time, seq, id) and a
 *   "replace top" step (one sift per event), the usual hand-tuned form.
 *
 * Same-instant events run FIFO by seq, as on VirtualClock (G4), so all
 * variants do the same ordering work.
 */

/** One periodic timer in {@link ObjectHeapLoop}. */
export interface BareTimer {
  /** Next due time, ns. */
  time: number;
  /** Sequence number taken when (re-)armed: FIFO among equal times. */
  seq: number;
  /** Period, ns. */
  readonly period: number;
  /** Caller's index of the timer. */
  readonly id: number;
}

/** Periodic timers as objects in an array heap: pop-min, callback, push back. */
export class ObjectHeapLoop {
  private readonly heap: BareTimer[] = [];
  private seq = 0;
  /** Time of the event being run (or of the last one run). */
  now = 0;

  /** @param onEvent - called once per expiry, before the timer is re-armed */
  constructor(private readonly onEvent: (timer: BareTimer) => void) {}

  /** Number of timers queued. */
  get size(): number {
    return this.heap.length;
  }

  /** Adds a timer first due at `first`, then every `period` ns. */
  add(id: number, first: number, period: number): void {
    this.push({ time: first, seq: this.seq++, period, id });
  }

  /**
   * Runs every expiry due at or before `horizon`.
   * @returns how many expiries ran
   */
  runUntil(horizon: number): number {
    const heap = this.heap;
    const onEvent = this.onEvent;
    let ran = 0;
    for (;;) {
      const top = heap[0];
      if (top === undefined || top.time > horizon) break;
      const last = heap.pop()!;
      if (last !== top) this.siftDown(last);
      this.now = top.time;
      onEvent(top);
      ran++;
      top.time += top.period;
      top.seq = this.seq++;
      this.push(top);
    }
    return ran;
  }

  private push(entry: BareTimer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const pi = (i - 1) >> 1;
      const parent = heap[pi]!;
      if (parent.time < entry.time || (parent.time === entry.time && parent.seq < entry.seq)) break;
      heap[i] = parent;
      i = pi;
    }
    heap[i] = entry;
  }

  /** Puts `entry` at the root (the old root was popped) and restores heap order. */
  private siftDown(entry: BareTimer): void {
    const heap = this.heap;
    const n = heap.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let child = heap[c]!;
      if (c + 1 < n) {
        const right = heap[c + 1]!;
        if (right.time < child.time || (right.time === child.time && right.seq < child.seq)) {
          c++;
          child = right;
        }
      }
      if (entry.time < child.time || (entry.time === child.time && entry.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = entry;
  }
}

/** Periodic timers in parallel typed arrays, re-armed by replacing the heap top. */
export class TypedHeapLoop {
  private readonly time: Float64Array;
  private readonly seqs: Float64Array;
  private readonly ids: Int32Array;
  private readonly periods: Float64Array;
  private count = 0;
  private seq = 0;
  /** Time of the event being run (or of the last one run). */
  now = 0;

  /**
   * @param capacity - the most timers this loop will hold
   * @param onEvent - called with the timer's id once per expiry, before it is re-armed
   */
  constructor(
    capacity: number,
    private readonly onEvent: (id: number) => void,
  ) {
    this.time = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.periods = new Float64Array(capacity);
  }

  /** Number of timers queued. */
  get size(): number {
    return this.count;
  }

  /** Adds timer `id` (in [0, capacity)) first due at `first`, then every `period` ns. */
  add(id: number, first: number, period: number): void {
    if (this.count >= this.time.length) throw new RangeError(`TypedHeapLoop: capacity ${this.time.length} exceeded`);
    this.periods[id] = period;
    const { time, seqs, ids } = this;
    const s = this.seq++;
    let i = this.count++;
    while (i > 0) {
      const pi = (i - 1) >> 1;
      if (time[pi]! < first || (time[pi] === first && seqs[pi]! < s)) break;
      time[i] = time[pi]!;
      seqs[i] = seqs[pi]!;
      ids[i] = ids[pi]!;
      i = pi;
    }
    time[i] = first;
    seqs[i] = s;
    ids[i] = id;
  }

  /**
   * Runs every expiry due at or before `horizon`.
   * @returns how many expiries ran
   */
  runUntil(horizon: number): number {
    const { time, seqs, ids, periods, onEvent } = this;
    const size = this.count;
    if (size === 0) return 0;
    let ran = 0;
    let seq = this.seq;
    for (;;) {
      const t = time[0]!;
      if (t > horizon) break;
      const id = ids[0]!;
      this.now = t;
      onEvent(id);
      ran++;
      // Re-arm in place: the new key (t + period, seq) replaces the root and sinks.
      const nt = t + periods[id]!;
      const ns = seq++;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        const r = c + 1;
        if (r < size && (time[r]! < time[c]! || (time[r] === time[c] && seqs[r]! < seqs[c]!))) c = r;
        if (nt < time[c]! || (nt === time[c] && ns < seqs[c]!)) break;
        time[i] = time[c]!;
        seqs[i] = seqs[c]!;
        ids[i] = ids[c]!;
        i = c;
      }
      time[i] = nt;
      seqs[i] = ns;
      ids[i] = id;
    }
    this.seq = seq;
    return ran;
  }
}
