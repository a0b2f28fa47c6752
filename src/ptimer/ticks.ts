import { Observable } from 'rxjs';
import { scheduleTagged } from '../clock/scheduleTagged';
import { workTag } from '../clock/WorkTag';
import { countAt, nextCountChange } from './countAt';
import { copyState, type PTimerState } from './PTimerState';
import type { PTimerTick, TickWatcher, TimerRecord } from './TimerRecord';

const SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The state reads use: the record, except that a period change not yet
 * committed does not apply to the countdown still running (see
 * `TimerRecord.anchoredRate`).
 */
export const readState = (r: TimerRecord): PTimerState => (r.anchoredRate === undefined ? r : { ...copyState(r), ...r.anchoredRate });

/** The count a guest reads now (pure, O(1)). */
export const readCount = (r: TimerRecord): bigint => countAt(readState(r), r.flags, r.rateClamp, BigInt(r.scheduler.now()));

/**
 * The `ticks$` stream of a record: the readable count each time it changes.
 * Per-tick work is scheduled only while subscribed (tagged `tick`).
 */
export const ticksOf = (r: TimerRecord): Observable<PTimerTick> =>
  new Observable<PTimerTick>((subscriber) => {
    const watchers = (r.watchers ??= new Set<TickWatcher>());
    const watcher: TickWatcher = { subscriber, last: readCount(r), at: undefined, action: undefined };
    watchers.add(watcher);
    r.watcherCount = watchers.size;
    planTick(r, watcher);
    return () => {
      watchers.delete(watcher);
      r.watcherCount = watchers.size;
      watcher.action?.unsubscribe();
    };
  });

/** After a change of state: every watcher sees the new count (if it changed) and re-plans its next tick. */
export const notifyTicks = (r: TimerRecord): void => {
  if (r.watcherCount === 0) return;
  for (const w of r.watchers!) {
    emitTick(r, w);
    planTick(r, w);
  }
};

/** Completes every watcher (the timer is disposed). */
export const completeTicks = (r: TimerRecord): void => {
  for (const w of [...(r.watchers ?? [])]) w.subscriber.complete();
};

const emitTick = (r: TimerRecord, w: TickWatcher): void => {
  const count = readCount(r);
  if (count !== w.last) {
    w.last = count;
    w.subscriber.next({ time: r.scheduler.now(), count });
  }
};

const planTick = (r: TimerRecord, w: TickWatcher): void => {
  const now = BigInt(r.scheduler.now());
  const at = nextCountChange(r, r.flags, r.rateClamp, now);
  if (at === undefined || at > SAFE_NS) {
    w.at = undefined;
    w.action?.unsubscribe();
    w.action = undefined;
    return;
  }
  if (w.at === at) return;
  w.at = at;
  w.action?.unsubscribe();
  w.action = scheduleTagged(
    r.scheduler,
    workTag('tick', r.name),
    () => {
      w.at = undefined;
      w.action = undefined;
      emitTick(r, w);
      planTick(r, w);
    },
    Number(at - now),
  );
};
