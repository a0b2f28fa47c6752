/** What the heap needs from an entry: its key and a back-pointer for O(log n) removal. */
export interface HeapEntry {
  /** Due time, integer ns. */
  time: number;
  /** Scheduling sequence number: breaks ties so same-instant work runs FIFO. */
  seq: number;
  /** Position in the heap array, or -1 when not queued. */
  index: number;
}

const before = (a: HeapEntry, b: HeapEntry): boolean => a.time < b.time || (a.time === b.time && a.seq < b.seq);

/**
 * Binary min-heap ordered by (time, seq). Entries carry their own index so a
 * re-armed entry is moved in place instead of being removed and re-allocated.
 * The (time, seq) key is a total order, so the heap's lack of stability never
 * shows: ties are broken by seq, not by where entries happen to sit.
 */
export class EventHeap<E extends HeapEntry> {
  private readonly items: E[] = [];

  /** Number of queued entries. */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, without removing it. */
  peek(): E | undefined {
    return this.items[0];
  }

  /** Queues an entry that is not queued. */
  push(entry: E): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  /** Restores order after a queued entry's key changed. */
  update(entry: E): void {
    if (!this.up(entry.index)) this.down(entry.index);
  }

  /** Removes and returns the earliest entry. */
  pop(): E | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop()!;
    if (last !== top) {
      items[0] = last;
      last.index = 0;
      this.down(0);
    }
    top.index = -1;
    return top;
  }

  /** Removes a queued entry from anywhere in the heap. */
  remove(entry: E): void {
    const items = this.items;
    const i = entry.index;
    const last = items.pop()!;
    entry.index = -1;
    if (last !== entry) {
      items[i] = last;
      last.index = i;
      this.update(last);
    }
  }

  /** The queued entries in (time, seq) order (a sorted copy; for inspection, not the hot path). */
  ordered(): E[] {
    return [...this.items].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  /**
   * The entries due at `time` (the earliest instant) in seq order, and the
   * next later due time: what a chooser is asked about at each step. It
   * visits only those entries and the subtrees' roots just past them (a
   * parent is never later than its children), so it costs O(k log k) for k
   * ready entries, not a sort of the whole queue.
   * @param time - the earliest due time (`peek().time`)
   * @returns the ready entries and the next later due time, if any
   */
  front(time: number): { readonly ready: E[]; readonly next: number | undefined } {
    const items = this.items;
    const ready: E[] = [];
    let next: number | undefined;
    const stack = items.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const e = items[i]!;
      if (e.time !== time) {
        if (next === undefined || e.time < next) next = e.time;
        continue;
      }
      ready.push(e);
      const l = 2 * i + 1;
      if (l < items.length) stack.push(l);
      if (l + 1 < items.length) stack.push(l + 1);
    }
    ready.sort((a, b) => a.seq - b.seq);
    return { ready, next };
  }

  /** Removes every entry. */
  clear(): E[] {
    const all = this.items.splice(0);
    for (const e of all) e.index = -1;
    return all;
  }

  private up(i: number): boolean {
    const items = this.items;
    const entry = items[i]!;
    const start = i;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex]!;
      if (!before(entry, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.index = i;
    return i !== start;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(items[r]!, items[l]!)) c = r;
      const child = items[c]!;
      if (!before(child, entry)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = entry;
    entry.index = i;
  }
}
