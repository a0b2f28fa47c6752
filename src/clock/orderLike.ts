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
  const out: E[] = [];
  /** Per queued entry of the instant at hand, the index in `order` it matched (-1: unlisted). */
  const rank: number[] = [];
  /** The instant's queued entries (offsets from its first), sorted by rank. */
  const sorted: number[] = [];
  const used: boolean[] = [];
  let j = 0;
  for (let i = 0; i < queued.length; ) {
    const time = queued[i]!.time;
    let end = i + 1;
    while (end < queued.length && queued[end]!.time === time) end++;
    while (j < listed.length && order[listed[j]!]!.time < time) j++;
    let listedEnd = j;
    while (listedEnd < listed.length && order[listed[listedEnd]!]!.time === time) listedEnd++;
    rank.length = 0;
    used.length = 0;
    sorted.length = 0;
    for (let m = j; m < listedEnd; m++) used.push(false);
    for (let k = i; k < end; k++) {
      const tag = queued[k]!.tag;
      let r = -1;
      for (let m = j; m < listedEnd; m++) {
        if (!used[m - j] && sameTag(order[listed[m]!]!.tag, tag)) {
          used[m - j] = true;
          r = listed[m]!;
          break;
        }
      }
      rank.push(r);
      // Insertion, stable: equal ranks (only -1 repeats) keep their queued order.
      let p = sorted.length;
      sorted.push(0);
      while (p > 0 && rank[sorted[p - 1]!]! > r) {
        sorted[p] = sorted[p - 1]!;
        p--;
      }
      sorted[p] = k - i;
    }
    for (const s of sorted) out.push(queued[i + s]!);
    i = end;
    j = listedEnd;
  }
  return out;
};

/** The indices of `order` by time, ties in their listed order (no sort when it is in time order, as a queue listing is). */
const byTime = (order: readonly Timed[]): number[] => {
  const indices = order.map((_, i) => i);
  let sortedAlready = true;
  for (let i = 1; i < order.length && sortedAlready; i++) sortedAlready = order[i - 1]!.time <= order[i]!.time;
  if (!sortedAlready) indices.sort((a, b) => order[a]!.time - order[b]!.time || a - b);
  return indices;
};
