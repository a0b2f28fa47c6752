import { auditTime, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { checkScheduler, nsRule, OperatorArgumentError } from './errors';

/**
 * Legacy delivery, modelled on a QEMU bottom half: each value *schedules* a
 * deferred delivery on `scheduler`, `delay` ns later, instead of passing
 * through at once.
 *
 * **Do not use it for new devices.** It exists only so that tests can show
 * the LP #1777777 race (docs/semantics.md §9):
 * between a timer's reload and the delivery of its trigger, a guest can read
 * the reloaded counter next to an interrupt status that says nothing
 * happened. Devices take their timer's triggers synchronously (G1).
 *
 * It follows the bottom half's rules:
 * - Scheduling a delivery that is already pending does nothing: one delivery
 *   per pending period, however many values arrive in it. A bottom half
 *   carries no payload (its handler reads the device state current when it
 *   runs), so the delivery carries the latest value received while pending.
 * - A pending delivery keeps its place: later values do not push it back
 *   (this is not a debounce).
 * - It runs after the work already queued for its instant (FIFO on
 *   `VirtualClock` and on rxjs's `TestScheduler`); with `delay = 0`, at the
 *   same instant, but after the rest of it.
 * - Once it runs it is no longer pending: a value that arrives during the
 *   delivery (or after) schedules a new one.
 * - When the source completes, a pending delivery still runs, then the
 *   stream completes; an error passes through at once and drops it.
 *
 * That is rxjs's `auditTime(delay, scheduler)`, which is what this is.
 *
 * Ordering: breaks G1 on purpose — the delivery is a separate scheduled step,
 * so other work at the same instant (a guest access already queued) runs
 * between the source's emission and the delivery; preserves G4 — deliveries
 * are FIFO at their instant.
 *
 * ## Example
 * ```ts
 * // 1 frame = 1 000 ns; delivery 3 frames after the first value of a burst
 * const triggers = m.cold('a-b-----c--|');
 * const expected =        '---b-------(c|)';
 * m.expect(triggers.pipe(deliverAsBottomHalf(ns, 3_000))).toBeObservable(expected);
 * ```
 *
 * @param scheduler - virtual time in ns, where the delivery is scheduled
 * @param delay - ns between the first value of a pending period and its delivery, default 0
 * @returns an operator that delivers each pending period's latest value, later
 * @throws OperatorArgumentError for a delay that is not a whole, non-negative, safe number of ns
 * @see docs/semantics.md §9 (delivery and the race)
 */
export const deliverAsBottomHalf = <T>(scheduler: SchedulerLike, delay = 0): MonoTypeOperatorFunction<T> => {
  checkScheduler(scheduler, 'deliverAsBottomHalf(scheduler)');
  const rule = nsRule(delay);
  if (rule !== undefined) throw new OperatorArgumentError(delay, rule, 'deliverAsBottomHalf(delay)');
  return auditTime<T>(delay, scheduler);
};
