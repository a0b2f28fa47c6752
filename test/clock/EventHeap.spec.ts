import { describe, expect, it } from 'vitest';
import { EventHeap, type HeapEntry } from '../../src/clock/EventHeap';

interface Entry extends HeapEntry {
  readonly id: number;
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure replays. */
const random = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const byKey = (a: Entry, b: Entry): number => a.time - b.time || a.seq - b.seq;

describe('EventHeap', () => {
  it('pops in (time, seq) order, and reports the first due time, through random pushes, re-keys, removals and pops, against a sorted model', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const heap = new EventHeap<Entry>();
      const entries: Entry[] = Array.from({ length: 300 }, (_, id) => ({ id, time: 0, seq: 0, index: -1 }));
      const queued = new Set<Entry>();
      let seq = 0;
      for (let step = 0; step < 3_000; step++) {
        const e = entries[Math.floor(next() * entries.length)]!;
        const op = next();
        if (op < 0.4) {
          // Arm or re-arm, with few distinct times so that ties (FIFO by seq) are common.
          e.time = Math.floor(next() * 50);
          e.seq = seq++;
          if (queued.has(e)) heap.update(e);
          else heap.push(e);
          queued.add(e);
        } else if (op < 0.55) {
          if (queued.has(e)) {
            heap.remove(e);
            queued.delete(e);
          }
        } else if (op < 0.65) {
          const expected = [...queued].sort(byKey)[0];
          expect(heap.pop()).toBe(expected);
          if (expected !== undefined) queued.delete(expected);
        } else if (op < 0.75) {
          // A run loop's pop: the slot is held while the work runs; the work may re-arm itself (before or after
          // other work was armed), or not.
          const expected = [...queued].sort(byKey)[0];
          const top = heap.popHeld();
          expect(top).toBe(expected);
          if (top !== undefined) {
            queued.delete(top);
            expect(top.index).toBe(-1);
            expect(heap.size).toBe(queued.size);
            const other = entries[Math.floor(next() * entries.length)]!;
            if (next() < 0.3 && !queued.has(other) && other !== top) {
              other.time = Math.floor(next() * 50);
              other.seq = seq++;
              heap.push(other);
              queued.add(other);
            }
            if (next() < 0.6) {
              top.time = Math.floor(next() * 50);
              top.seq = seq++;
              heap.push(top);
              queued.add(top);
            }
          }
          heap.releaseHeld();
        } else if (op < 0.8 && queued.size > 0) {
          const sorted = [...queued].sort(byKey);
          const time = sorted[0]!.time;
          const { ready, next: later } = heap.front(time);
          expect(ready).toEqual(sorted.filter((q) => q.time === time));
          expect(later).toBe(sorted.find((q) => q.time !== time)?.time);
        }
        expect(heap.size).toBe(queued.size);
        expect(heap.firstTime()).toBe([...queued].sort(byKey)[0]?.time ?? Infinity);
        if (step % 100 === 0) expect(entries.filter((q) => q.index >= 0)).toEqual(entries.filter((q) => queued.has(q)));
      }
      expect(heap.ordered()).toEqual([...queued].sort(byKey));
      const cleared = heap.clear();
      expect(new Set(cleared)).toEqual(queued);
      expect(heap.size).toBe(0);
      expect(heap.peek()).toBeUndefined();
      expect(entries.every((q) => q.index === -1)).toBe(true);
    }
  });

  it('lists its entries in (time, seq) order at every size, many sharing an instant, one heap reused as it grows and shrinks', () => {
    const next = random(7);
    const heap = new EventHeap<Entry>();
    let seq = 0;
    let id = 0;
    const queued: Entry[] = [];
    for (const size of [0, 1, 2, 3, 5, 8, 13, 64, 65, 100, 257, 31, 4, 0, 130]) {
      while (queued.length > size) heap.remove(queued.pop()!);
      while (queued.length < size) {
        const e: Entry = { id: id++, time: Math.floor(next() * 6), seq: Math.floor(next() * 1_000) * 1_000 + seq++, index: -1 };
        heap.push(e);
        queued.push(e);
      }
      expect(heap.ordered().map((e) => e.id)).toEqual([...queued].sort(byKey).map((e) => e.id));
    }
  });

  it('takes a sorted list in place of its queue, then pushes, removes and pops on from it as from any heap', () => {
    const next = random(11);
    const heap = new EventHeap<Entry>();
    let seq = 0;
    const make = (id: number): Entry => ({ id, time: Math.floor(next() * 8), seq: seq++, index: -1 });
    const old = Array.from({ length: 40 }, (_, id) => make(id));
    for (const e of old) heap.push(e);
    for (const size of [100, 3, 0, 70]) {
      const fresh = Array.from({ length: size }, (_, k) => make(1_000 + k)).sort(byKey);
      const before = heap.ordered();
      heap.replaceSorted(fresh);
      expect(before.filter((e) => !fresh.includes(e)).every((e) => e.index === -1)).toBe(true);
      expect(heap.ordered().map((e) => e.id)).toEqual(fresh.map((e) => e.id));
      const model = [...fresh];
      // On from there: a removal, a push, a re-key.
      if (size > 2) {
        heap.remove(model[1]!);
        model.splice(1, 1);
        const last = model.at(-1)!;
        last.time = 0;
        last.seq = seq++;
        heap.update(last);
      }
      const added = make(2_000 + size);
      heap.push(added);
      model.push(added);
      model.sort(byKey);
      const popped: number[] = [];
      for (let k = 0; k < 5 && heap.size > 0; k++) popped.push(heap.pop()!.id);
      expect(popped).toEqual(model.slice(0, 5).map((e) => e.id));
      expect(heap.ordered().map((e) => e.id)).toEqual(model.slice(5).map((e) => e.id));
    }
  });

  it('grows past its initial capacity and keeps the order', () => {
    const heap = new EventHeap<Entry>();
    const entries: Entry[] = Array.from({ length: 1_000 }, (_, id) => ({ id, time: (id * 7919) % 1_000, seq: id, index: -1 }));
    for (const e of entries) heap.push(e);
    const popped: Entry[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e);
    expect(popped).toEqual([...entries].sort(byKey));
  });
});
