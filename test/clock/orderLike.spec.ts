import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWork, orderLike } from '../../src/clock/orderLike';
import { VirtualClock, type PendingEvent } from '../../src/clock/VirtualClock';
import { ClockRangeError } from '../../src/clock/errors';
import { workTag, type WorkKind, type WorkTag } from '../../src/clock/WorkTag';

interface Queued {
  readonly time: number;
  readonly tag: WorkTag;
  readonly id: number;
}

/** The rule written the plain way: a key per (time, tag), the listed indices per key, one sort over everything. */
const model = (queued: readonly Queued[], order: readonly { time: number; tag: WorkTag }[]): Queued[] => {
  const key = (time: number, tag: WorkTag): string => JSON.stringify([time, tag.kind, tag.owner]);
  const slots = new Map<string, number[]>();
  order.forEach((e, i) => slots.set(key(e.time, e.tag), [...(slots.get(key(e.time, e.tag)) ?? []), i]));
  const rank = new Map(queued.map((q) => [q, slots.get(key(q.time, q.tag))?.shift() ?? -1]));
  return [...queued].sort((a, b) => a.time - b.time || rank.get(a)! - rank.get(b)!);
};

const kinds: WorkKind[] = ['expiry', 'guest', 'bottom-half'];
const tagArb = fc.record({ kind: fc.constantFrom(...kinds), owner: fc.constantFrom('t0', 't1', 't2') });
const itemArb = fc.record({ time: fc.integer({ min: 0, max: 4 }), tag: tagArb });

describe('orderLike', () => {
  it('puts unlisted work first at its instant, then listed work in the listing order', () => {
    const a = { time: 10, tag: workTag('work', 'a'), id: 0 };
    const b = { time: 10, tag: workTag('work', 'b'), id: 1 };
    const x = { time: 10, tag: workTag('work', 'x'), id: 2 };
    const c = { time: 20, tag: workTag('work', 'c'), id: 3 };
    const order = [
      { time: 10, tag: workTag('work', 'a') },
      { time: 10, tag: workTag('work', 'b') },
      { time: 20, tag: workTag('work', 'c') },
    ];
    expect(orderLike([b, a, x, c], order).map((q) => q.id)).toEqual([2, 0, 1, 3]);
  });

  it('matches the n-th queued piece of a tag to the n-th listed one, whatever order the listing takes', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 14 }), fc.array(itemArb, { maxLength: 14 }), fc.boolean(), (items, listing, sortListing) => {
        // The queue as a heap lists it: by time, FIFO within an instant (ids in arrival order).
        const queued = items.map((it, id) => ({ time: it.time, tag: workTag(it.tag.kind, it.tag.owner), id })).sort((p, q) => p.time - q.time || p.id - q.id);
        // Tags equal by value, not by object: a listing read back from a snapshot.
        const order = listing.map((it) => ({ time: it.time, tag: { ...it.tag } }));
        if (sortListing) order.sort((p, q) => p.time - q.time);
        const got = orderLike(queued, order);
        expect(got.map((q) => q.id)).toEqual(model(queued, order).map((q) => q.id));
      }),
      { numRuns: 2000, seed: 18 },
    );
  });

  it('gives back the queue unchanged for its own listing', () => {
    const queued = [0, 0, 1, 1, 1].map((time, id) => ({ time, tag: workTag('guest', `g${id % 2}`), id }));
    expect(orderLike(queued, queued)).toEqual(queued);
  });
});

/** The rule written the plain way: the same multiset of (time, tag) keys, and the same key sequence or not. */
const compareModel = (queued: readonly { time: number; tag: WorkTag }[], order: readonly { time: number; tag: WorkTag }[]): string => {
  const key = (e: { time: number; tag: WorkTag }): string => JSON.stringify([e.time, e.tag.kind, e.tag.owner]);
  const a = queued.map(key);
  const b = order.map(key);
  if (a.join('|') === b.join('|')) return 'same';
  return [...a].sort().join('|') === [...b].sort().join('|') ? 'reordered' : 'different';
};

describe('compareWork and VirtualClock.restoreOrder', () => {
  it('tells the same work in the same order, in another order inside its instants, and other work apart, as a key-multiset model does', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 10 }), fc.array(itemArb, { maxLength: 10 }), fc.boolean(), (items, other, shuffleOnly) => {
        const queued = [...items].sort((p, q) => p.time - q.time).map((it) => ({ time: it.time, tag: workTag(it.tag.kind, it.tag.owner) }));
        // A listing of the same work with each instant reversed, or of other work (in run order either way).
        const listing = shuffleOnly ? [...queued].sort((p, q) => p.time - q.time || 0).reverse().sort((p, q) => p.time - q.time) : [...other].sort((p, q) => p.time - q.time);
        const order = listing.map((it) => ({ time: it.time, tag: { ...it.tag } }));
        expect(compareWork(queued, order)).toBe(compareModel(queued, order));
      }),
      { numRuns: 2000, seed: 19 },
    );
  });

  it('puts back a listing\'s order when the queue holds its work, and leaves a queue that does not hold it as it was', () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    const at = (time: number, name: string): void => void clock.scheduleLabeled(name, () => ran.push(name), time);
    at(10, 'a');
    at(10, 'b');
    at(20, 'c');
    const listing = clock.pendingEvents();
    const reversed = [listing[1]!, listing[0]!, listing[2]!];
    expect(clock.restoreOrder(reversed)).toBe(true);
    expect(clock.pendingEvents().map((e) => e.label)).toEqual(reversed.map((e) => e.label));
    // Other work (one piece at another time): nothing moves.
    const before = clock.pendingEvents().map((e) => e.label);
    expect(clock.restoreOrder([listing[0]!, listing[1]!, { ...listing[2]!, time: 30 }])).toBe(false);
    expect(clock.restoreOrder(listing.slice(0, 2))).toBe(false);
    expect(clock.pendingEvents().map((e) => e.label)).toEqual(before);
    clock.advanceTo(20);
    expect(ran).toEqual(['b', 'a', 'c']);
  });

  it('refuses a listing that is not one, naming the entry, and leaves the queue as it was', () => {
    const clock = new VirtualClock();
    clock.scheduleLabeled('a', () => undefined, 10);
    clock.scheduleLabeled('b', () => undefined, 10);
    const before = clock.pendingEvents();
    const bad: [unknown, RegExp][] = [
      [null, /^restoreOrder\(order\): null is invalid: must be an array/],
      [[before[0], { time: '10', tag: before[1]!.tag }], /^restoreOrder\(order\)\[1\]: .* is invalid: must be pending work/],
      [[{ time: 10, tag: null }], /^restoreOrder\(order\)\[0\]/],
    ];
    for (const [order, message] of bad) {
      expect(() => clock.restoreOrder(order as PendingEvent[])).toThrow(ClockRangeError);
      expect(() => clock.restoreOrder(order as PendingEvent[])).toThrow(message);
      expect(() => clock.reorderPending(order as PendingEvent[])).toThrow(ClockRangeError);
    }
    expect(clock.pendingEvents()).toEqual(before);
  });
});
