import { grown } from './grown';
import type { WorkTag } from './WorkTag';

/** What {@link orderLike} needs of queued work and of the wanted order: a due time and a tag. */
interface Timed {
  readonly time: number;
  readonly tag: WorkTag;
}

const sameTag = (a: WorkTag, b: WorkTag): boolean => a === b || (a.kind === b.kind && a.owner === b.owner);

/**
 * Queued work put in the order a listing taken earlier gave it (what
 * `VirtualClock.reorderPending` does): at each instant, work is matched to
 * that instant's listed work by tag, the n-th queued piece of a tag to the
 * n-th listed one; unlisted work goes first, in its current order, then the
 * matched work in the listing's order.
 *
 * An explorer does this at nearly every fork, on a queue of a few dozen
 * entries where an instant holds a handful: matching inside an instant by a
 * linear scan costs less than keys and maps over the whole queue.
 * @param queued - the queued work in (time, FIFO) order
 * @param order - the wanted order (its times in any order)
 * @returns the queued work in its new order (a new array)
 */
export const orderLike = <E extends Timed>(queued: readonly E[], order: readonly Timed[]): E[] => {
  const listed = byTime(order);
  const at = (m: number): Timed => order[listed === undefined ? m : listed[m]!]!;
  const indexAt = (m: number): number => (listed === undefined ? m : listed[m]!);
  const out: E[] = new Array<E>(queued.length);
  let filled = 0;
  // Scratch kept between calls (no callback runs inside, so no call overlaps another): arrays that grew and
  // were emptied at every instant were most of what a rewind allocated.
  const { rank, sorted, used } = scratch(Math.max(queued.length, order.length));
  let j = 0;
  for (let i = 0; i < queued.length; ) {
    const time = queued[i]!.time;
    let end = i + 1;
    while (end < queued.length && queued[end]!.time === time) end++;
    while (j < order.length && at(j).time < time) j++;
    let listedEnd = j;
    while (listedEnd < order.length && at(listedEnd).time === time) listedEnd++;
    used.fill(0, 0, listedEnd - j);
    let count = 0;
    for (let k = i; k < end; k++) {
      const tag = queued[k]!.tag;
      let r = -1;
      for (let m = j; m < listedEnd; m++) {
        if (used[m - j] === 0 && sameTag(at(m).tag, tag)) {
          used[m - j] = 1;
          r = indexAt(m);
          break;
        }
      }
      // Per queued entry of the instant, the index in `order` it matched (-1: unlisted), and the entries
      // (offsets from the instant's first) sorted by it: insertion, stable (only -1 repeats).
      rank[k - i] = r;
      let p = count++;
      while (p > 0 && rank[sorted[p - 1]!]! > r) {
        sorted[p] = sorted[p - 1]!;
        p--;
      }
      sorted[p] = k - i;
    }
    for (let p = 0; p < count; p++) out[filled++] = queued[i + sorted[p]!]!;
    i = end;
    j = listedEnd;
  }
  return out;
};

/** Scratch kept between calls of {@link orderLike}, grown as needed. */
const scratchArrays = { rank: new Int32Array(64), sorted: new Int32Array(64), used: new Uint8Array(64) };

/** The scratch arrays, grown to at least `n`. */
const scratch = (n: number): typeof scratchArrays => {
  scratchArrays.rank = grown(scratchArrays.rank, n);
  scratchArrays.sorted = grown(scratchArrays.sorted, n);
  scratchArrays.used = grown(scratchArrays.used, n);
  return scratchArrays;
};

/**
 * The indices of `order` by time, ties in their listed order; `undefined`
 * when it is in time order already, as a queue listing is (then an index is
 * its own).
 */
const byTime = (order: readonly Timed[]): number[] | undefined => {
  let sortedAlready = true;
  for (let i = 1; i < order.length && sortedAlready; i++) sortedAlready = order[i - 1]!.time <= order[i]!.time;
  if (sortedAlready) return undefined;
  const indices = order.map((_, i) => i);
  indices.sort((a, b) => order[a]!.time - order[b]!.time || a - b);
  return indices;
};

/**
 * Whether queued work is the listed work, by time and tag (both in run
 * order, so by time): `'same'` in the same order, `'reordered'` when only the
 * order inside instants differs (each listed piece matched to one queued
 * piece of its tag), `'different'` otherwise. @internal
 * @param queued - the queued work in run order
 * @param order - the listing, in run order
 */
export const compareWork = (queued: readonly Timed[], order: readonly Timed[]): 'same' | 'reordered' | 'different' => {
  if (queued.length !== order.length) return 'different';
  let result: 'same' | 'reordered' = 'same';
  for (let i = 0; i < queued.length; ) {
    const time = queued[i]!.time;
    let end = i;
    while (end < queued.length && queued[end]!.time === time) end++;
    if (order[i]!.time !== time || order[end - 1]!.time !== time || (end < order.length && order[end]!.time === time)) return 'different';
    let inOrder = true;
    for (let k = i; k < end && inOrder; k++) inOrder = sameTag(queued[k]!.tag, order[k]!.tag);
    if (!inOrder) {
      // The instant's work as a multiset: each listed piece matched to one queued piece not matched yet.
      const used = new Array<boolean>(end - i).fill(false);
      for (let k = i; k < end; k++) {
        let m = i;
        while (m < end && (used[m - i] || !sameTag(queued[m]!.tag, order[k]!.tag))) m++;
        if (m === end) return 'different';
        used[m - i] = true;
      }
      result = 'reordered';
    }
    i = end;
  }
  return result;
};
