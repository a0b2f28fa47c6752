import type { SchedulerAction, Subscription } from 'rxjs';
import { scheduleTagged } from '../clock/scheduleTagged';
import { armOwnEntry, disarmOwnEntry } from '../clock/ownEntry';
import { workTag } from '../clock/WorkTag';
import type { TimerRecord } from './TimerRecord';

/** An action that can be re-armed in place and parked off the queue (a VirtualClock's). */
interface Rearmable extends Subscription {
  schedule(state?: unknown, delay?: number): Subscription;
  park?(): void;
}

/**
 * Makes the scheduled action match the state: armed at the deadline while
 * running, else idle. One action per timer, re-armed in place where the
 * scheduler allows it (no allocation per expiry).
 * @param r - the timer
 * @param expireWork - the clock work of every timer (the record travels as its state)
 */
export const sync = (r: TimerRecord, expireWork: (this: SchedulerAction<TimerRecord>, r?: TimerRecord) => void): void => {
  if (r.enabled === 'stopped' || r.nextEvent === Infinity) {
    // A deadline past the clock's range can never be reached.
    if (r.armedAt !== undefined) cancelArm(r);
    r.rearm = false;
    return;
  }
  if (r.armedAt === r.nextEvent && !r.rearm) return;
  r.rearm = false;
  r.armedAt = r.nextEvent;
  const delay = r.nextEvent - r.scheduler.now();
  const ns = delay > 0 ? delay : 0;
  // On a VirtualClock the record is its own queue entry: an expiry reaches the timer without an action object in between.
  if (armOwnEntry(r.scheduler, r, ns)) return;
  const action = r.action as Rearmable | undefined;
  if (action !== undefined && !action.closed && typeof action.schedule === 'function') {
    r.action = action.schedule(r, ns);
  } else {
    r.action = scheduleTagged(r.scheduler, (r.expiryTag ??= workTag('expiry', r.name)), expireWork, ns, r);
  }
};

/** Takes the pending expiry off the scheduler; a parkable action is kept for the next arm. */
export const cancelArm = (r: TimerRecord): void => {
  r.armedAt = undefined;
  if (r.index >= 0) {
    disarmOwnEntry(r.scheduler, r);
    return;
  }
  const action = r.action as Rearmable | undefined;
  if (action === undefined) return;
  if (typeof action.park === 'function') {
    action.park();
  } else {
    action.unsubscribe();
    r.action = undefined;
  }
};
