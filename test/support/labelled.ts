import type { SchedulerAction, Subscription } from 'rxjs';
import type { VirtualClock } from '../../src/clock/VirtualClock';
import { workTag, type WorkTag } from '../../src/clock/WorkTag';

/**
 * The tag whose label (see `labelOf`) is `label`: lets explorer tests write
 * work by the labels schedules print (`ptimer 'a.t' expiry`, `bottom-half 'a.t'`,
 * `guest:g`); any other label is plain `work`. Tests only: the library never
 * parses labels back.
 */
export const tagOfLabel = (label: string): WorkTag => {
  const expiry = /^ptimer '(.*)' expiry$/.exec(label);
  if (expiry !== null) return workTag('expiry', expiry[1]!);
  const bh = /^bottom-half '(.*)'$/.exec(label);
  if (bh !== null) return workTag('bottom-half', bh[1]!);
  if (label.startsWith('guest:')) return workTag('guest', label.slice('guest:'.length));
  return workTag('work', label);
};

/** Schedules `work` on `clock` tagged as `label` says (see {@link tagOfLabel}). */
export const scheduleAs = <T>(clock: VirtualClock, label: string, work: (this: SchedulerAction<T>, state?: T) => void, delay?: number): Subscription =>
  clock.scheduleTagged(tagOfLabel(label), work, delay);
