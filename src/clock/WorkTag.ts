/**
 * What a piece of scheduled work is, in the vocabulary tools use to observe
 * and order an instant's work (see {@link VirtualClock.observe}):
 * - `expiry`: a timer's deadline (owner: the timer's name);
 * - `bottom-half`: a legacy deferred delivery of a timer's trigger (owner: the timer);
 * - `guest`: a step of a guest program (owner: the guest's name);
 * - `tick`: a timer's per-tick notification, only while someone watches its ticks (owner: the timer);
 * - `placer`: a system's anchor that slots replayed or resumed guest work into an instant;
 * - `work`: anything else (rxjs operators' work; owner: a label or the work function's name).
 */
export type WorkKind = 'expiry' | 'bottom-half' | 'guest' | 'tick' | 'placer' | 'work';

/** Every {@link WorkKind}, in documentation order. */
export const WORK_KINDS: readonly WorkKind[] = Object.freeze(['expiry', 'bottom-half', 'guest', 'tick', 'placer', 'work']);

/** A structured tag on scheduled work: its kind and whose it is. Plain frozen data, compared by value. */
export interface WorkTag {
  /** What the work is. */
  readonly kind: WorkKind;
  /** Whose it is: a timer's, a guest's or a label; `''` when nobody said. */
  readonly owner: string;
}

/**
 * A frozen {@link WorkTag}.
 * @param kind - what the work is
 * @param owner - whose it is (a timer or guest name)
 * @returns the tag
 */
export const workTag = (kind: WorkKind, owner: string): WorkTag => Object.freeze({ kind, owner });

/**
 * The diagnostic label of tagged work, as runaway errors and pending-work
 * listings show it: `ptimer '<owner>' expiry`, `bottom-half '<owner>'`,
 * `guest:<owner>`, `ptimer '<owner>' tick`, `placer '<owner>'`, and for
 * plain `work` its owner (or `anonymous work`).
 * @param tag - the work's tag
 * @returns the label
 */
export const labelOf = (tag: WorkTag): string => {
  // Tags are frozen and reused (a timer keeps its expiry's), and an explorer lists the queue at every fork:
  // the same tag gives the same string object, so labels compare by reference and are not rebuilt.
  // A tag someone could still change (not frozen) is labelled afresh each time.
  let label = LABELS.get(tag);
  if (label === undefined) {
    label = labelText(tag);
    if (Object.isFrozen(tag)) LABELS.set(tag, label);
  }
  return label;
};

/** Each tag's label, once it was asked for (weak: a tag nothing queues any more goes with its label). */
const LABELS = new WeakMap<WorkTag, string>();

const labelText = (tag: WorkTag): string => {
  switch (tag.kind) {
    case 'expiry':
      return `ptimer '${tag.owner}' expiry`;
    case 'bottom-half':
      return `bottom-half '${tag.owner}'`;
    case 'guest':
      return `guest:${tag.owner}`;
    case 'tick':
      return `ptimer '${tag.owner}' tick`;
    case 'placer':
      return `placer '${tag.owner}'`;
    default:
      return tag.owner === '' ? 'anonymous work' : tag.owner;
  }
};
