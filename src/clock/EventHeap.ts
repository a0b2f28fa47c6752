import { grown } from './grown';

/** What the heap needs from an entry: its key and a handle for O(log n) removal. */
export interface HeapEntry {
  /** Due time, integer ns. */
  time: number;
  /** Scheduling sequence number: breaks ties so same-instant work runs FIFO. */
  seq: number;
  /** The heap's handle on the entry (its slot) while it is queued, or -1 when not queued. */
  index: number;
}

const INITIAL_CAPACITY = 64;

/**
 * Binary min-heap ordered by (time, seq). The keys live in typed arrays in
 * heap order, so a sift compares and moves numbers in contiguous memory and
 * never touches an entry object: with 100 000 timers taking turns, a sift
 * that read each entry's fields missed the cache at every level (the bare
 * loop of bench/bareHeap.ts keeps its keys this way too).
 *
 * Each queued entry holds a slot (`index`), fixed while it is queued; the
 * heap keeps the slot's position, so a re-armed entry is moved in place
 * (O(log n), no allocation) and a cancelled one is removed from anywhere.
 * The (time, seq) key is a total order, so the heap's lack of stability
 * never shows: ties are broken by seq, not by where entries happen to sit.
 */
export class EventHeap<E extends HeapEntry> {
  /** Due times, in heap order. */
  private times = new Float64Array(INITIAL_CAPACITY);
  /** Sequence numbers, in heap order. */
  private seqs = new Float64Array(INITIAL_CAPACITY);
  /** The slot of the entry at each heap position. */
  private slots = new Int32Array(INITIAL_CAPACITY);
  /** The heap position of each slot's entry. */
  private positions = new Int32Array(INITIAL_CAPACITY);
  /** The entry holding each slot (`undefined` for a free slot, so a dropped entry can be collected). */
  private readonly entries: (E | undefined)[] = [];
  /** Slots given back by entries that left the heap, reused before new ones. */
  private readonly freeSlots: number[] = [];
  private count = 0;
  /** The slot of the entry {@link EventHeap.popHeld} took, kept for its re-arm; -1 when none is held. */
  private held = -1;
  /** Scratch positions for {@link EventHeap.ordered}'s merge sort, grown as needed. */
  private sortFirst: Int32Array = new Int32Array(0);
  private sortSpare: Int32Array = new Int32Array(0);
  /** Scratch stack of {@link EventHeap.front}'s walk, grown as needed. */
  private frontStack: Int32Array = new Int32Array(0);

  /** Number of queued entries. */
  get size(): number {
    return this.count;
  }

  /** The earliest entry, without removing it. */
  peek(): E | undefined {
    return this.count === 0 ? undefined : this.entries[this.slots[0]!];
  }

  /**
   * Due time of the earliest entry, `Infinity` when empty. It reads the
   * heap's own keys, not the entry: a run loop that checks it, then pops,
   * starts the pop's sift before it touches the entry it is about to run,
   * so with thousands of entries the two cache misses overlap.
   */
  firstTime(): number {
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  /** Queues an entry that is not queued. */
  push(entry: E): void {
    const n = this.count;
    if (n === this.times.length) this.grow();
    let slot = this.held;
    if (slot >= 0 && this.entries[slot] === entry) {
      // The entry being run re-arms itself: it takes back its own slot.
      this.held = -1;
    } else {
      slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.entries.length;
      this.entries[slot] = entry;
    }
    entry.index = slot;
    this.count = n + 1;
    this.up(n, entry.time, entry.seq, slot);
  }

  /** Restores order after a queued entry's key changed. */
  update(entry: E): void {
    const slot = entry.index;
    const i = this.positions[slot]!;
    const time = entry.time;
    const seq = entry.seq;
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      if (time < pt || (time === pt && seq < this.seqs[p]!)) {
        this.up(i, time, seq, slot);
        return;
      }
    }
    this.down(i, time, seq, slot);
  }

  /** Removes and returns the earliest entry. */
  pop(): E | undefined {
    if (this.count === 0) return undefined;
    const slot = this.slots[0]!;
    const top = this.entries[slot]!;
    this.release(slot);
    const n = --this.count;
    if (n > 0) this.down(0, this.times[n]!, this.seqs[n]!, this.slots[n]!);
    return top;
  }

  /**
   * Like {@link EventHeap.pop}, but the entry's slot stays reserved for it
   * until {@link EventHeap.releaseHeld}: a run loop takes the work this way,
   * so work re-arming itself (the usual case) is queued again without giving
   * its slot back and taking one. Outside the heap the entry is not queued
   * (`index` -1), as after a pop.
   */
  popHeld(): E | undefined {
    this.releaseHeld();
    if (this.count === 0) return undefined;
    const slot = this.slots[0]!;
    const top = this.entries[slot]!;
    top.index = -1;
    this.held = slot;
    const n = --this.count;
    if (n > 0) this.down(0, this.times[n]!, this.seqs[n]!, this.slots[n]!);
    return top;
  }

  /** Gives back the slot {@link EventHeap.popHeld} kept, unless its entry was queued again. */
  releaseHeld(): void {
    const slot = this.held;
    if (slot < 0) return;
    this.held = -1;
    this.entries[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Removes a queued entry from anywhere in the heap. */
  remove(entry: E): void {
    const slot = entry.index;
    const i = this.positions[slot]!;
    this.release(slot);
    const n = --this.count;
    if (i === n) return;
    // The last entry fills the hole and moves whichever way its key says.
    const time = this.times[n]!;
    const seq = this.seqs[n]!;
    const moved = this.slots[n]!;
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      if (time < pt || (time === pt && seq < this.seqs[p]!)) {
        this.up(i, time, seq, moved);
        return;
      }
    }
    this.down(i, time, seq, moved);
  }

  /** The queued entries in (time, seq) order (a sorted copy; for inspection, not the hot path). */
  ordered(): E[] {
    // Sorted on the heap's own keys (an explorer lists the queue at nearly every fork): the comparisons read
    // two typed arrays, not two fields of each of two entry objects; a merge sort in two scratch arrays the heap
    // keeps, so the list is the only allocation (Array.prototype.sort copied and buffered on every call).
    const n = this.count;
    this.sortFirst = grown(this.sortFirst, n);
    this.sortSpare = grown(this.sortSpare, n);
    let from = this.sortFirst;
    let to = this.sortSpare;
    for (let i = 0; i < n; i++) from[i] = i;
    const { times, seqs, slots, entries } = this;
    for (let width = 1; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(lo + width, n);
        const hi = Math.min(lo + 2 * width, n);
        let a = lo;
        let b = mid;
        for (let k = lo; k < hi; k++) {
          if (a < mid && (b >= hi || times[from[a]!]! < times[from[b]!]! || (times[from[a]!]! === times[from[b]!]! && seqs[from[a]!]! <= seqs[from[b]!]!))) {
            to[k] = from[a++]!;
          } else to[k] = from[b++]!;
        }
      }
      const t = from;
      from = to;
      to = t;
    }
    const all: E[] = new Array<E>(n);
    for (let i = 0; i < n; i++) all[i] = entries[slots[from[i]!]!]!;
    return all;
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
    const n = this.count;
    const times = this.times;
    const ready: E[] = [];
    let next: number | undefined;
    // A depth-first walk of the subtree of entries due at `time`, its stack in a scratch array the heap keeps
    // (a chooser asks at every step of an explored run: the walk allocates only the list it returns).
    const stack = (this.frontStack = grown(this.frontStack, n + 1));
    let top = 0;
    if (n > 0) stack[top++] = 0;
    while (top > 0) {
      const i = stack[--top]!;
      const t = times[i]!;
      if (t !== time) {
        if (next === undefined || t < next) next = t;
        continue;
      }
      ready.push(this.entries[this.slots[i]!]!);
      const l = 2 * i + 1;
      if (l < n) stack[top++] = l;
      if (l + 1 < n) stack[top++] = l + 1;
    }
    // By seq, in place: a handful of entries, where Array.prototype.sort copied them first.
    for (let k = 1; k < ready.length; k++) {
      const e = ready[k]!;
      let p = k;
      while (p > 0 && ready[p - 1]!.seq > e.seq) {
        ready[p] = ready[p - 1]!;
        p--;
      }
      ready[p] = e;
    }
    return { ready, next };
  }

  /** Removes every entry. */
  clear(): E[] {
    const all = this.queued();
    for (const e of all) e.index = -1;
    this.count = 0;
    this.held = -1;
    this.entries.length = 0;
    this.freeSlots.length = 0;
    return all;
  }

  /**
   * Replaces the queue with `sorted`, which must be in (time, seq) order: a
   * sorted array is a heap, so the keys are laid down as they come, with no
   * sift and no list of what was queued (what `clear` and a push per entry
   * cost a clock that puts its queue in a recorded order at every rewind).
   * @param sorted - the entries to queue, in (time, seq) order
   */
  replaceSorted(sorted: readonly E[]): void {
    for (let i = 0; i < this.count; i++) this.entries[this.slots[i]!]!.index = -1;
    const n = sorted.length;
    while (this.times.length < n) this.grow();
    const { times, seqs, slots, positions, entries } = this;
    for (let i = 0; i < n; i++) {
      const e = sorted[i]!;
      times[i] = e.time;
      seqs[i] = e.seq;
      slots[i] = i;
      positions[i] = i;
      entries[i] = e;
      e.index = i;
    }
    entries.length = n;
    this.freeSlots.length = 0;
    this.count = n;
    this.held = -1;
  }

  /** The queued entries in heap order. */
  private queued(): E[] {
    const all: E[] = [];
    for (let i = 0; i < this.count; i++) all.push(this.entries[this.slots[i]!]!);
    return all;
  }

  /** Frees the slot of an entry leaving the heap. */
  private release(slot: number): void {
    this.entries[slot]!.index = -1;
    this.entries[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.seqs = seqs;
    const slots = new Int32Array(size);
    slots.set(this.slots);
    this.slots = slots;
    const positions = new Int32Array(size);
    positions.set(this.positions);
    this.positions = positions;
  }

  /** Places the key (time, seq, slot) at position `i` or above it. */
  private up(i: number, time: number, seq: number, slot: number): void {
    const { times, seqs } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.put(i, time, seq, slot);
  }

  /** Places the key (time, seq, slot) at position `i` or below it (within the first `count` positions). */
  private down(i: number, time: number, seq: number, slot: number): void {
    const { times, seqs } = this;
    const n = this.count;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        // The later child, picked without a branch: which one it is is a coin toss the CPU cannot predict,
        // and a mispredicted branch per level was the largest cost of a sift (a quarter of a self re-arming
        // action's time at N = 10 000 in a line profile; 0.65x to 0.72x the bare loop in one process).
        const lt = times[c]!;
        const rt = times[r]!;
        c += Number(rt < lt) | (Number(rt === lt) & Number(seqs[r]! < seqs[c]!));
      }
      const ct = times[c]!;
      if (time < ct || (time === ct && seq < seqs[c]!)) break;
      this.move(c, i);
      i = c;
    }
    this.put(i, time, seq, slot);
  }

  /** Moves the key at position `from` to position `to` (a sift step). */
  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    const slot = this.slots[from]!;
    this.slots[to] = slot;
    this.positions[slot] = to;
  }

  /** Puts the key (time, seq, slot) at position `i` (where a sift ends). */
  private put(i: number, time: number, seq: number, slot: number): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.slots[i] = slot;
    this.positions[slot] = i;
  }
}
