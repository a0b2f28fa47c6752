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

  it('grows past its initial capacity and keeps the order', () => {
    const heap = new EventHeap<Entry>();
    const entries: Entry[] = Array.from({ length: 1_000 }, (_, id) => ({ id, time: (id * 7919) % 1_000, seq: id, index: -1 }));
    for (const e of entries) heap.push(e);
    const popped: Entry[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e);
    expect(popped).toEqual([...entries].sort(byKey));
  });
});
