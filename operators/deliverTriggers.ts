import { identity, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { deliverAsBottomHalf } from './deliverAsBottomHalf';

/** How a device receives its timers' triggers: synchronously (the fixed design) or through a legacy bottom half. */
export type TriggerDelivery = 'sync' | 'bottom-half';

/**
 * A device's trigger delivery as an operator: `sync` passes each trigger
 * through at once (inside the timer's expiry step); `bottom-half` defers it
 * with {@link deliverAsBottomHalf}, only so tests can show the LP #1777777
 * race on a real device model.
 *
 * Ordering: `sync` preserves G1; `bottom-half` breaks it on purpose.
 *
 * ## Example
 * ```ts
 * timer.triggers$.pipe(deliverTriggers(options.delivery ?? 'sync', scheduler)).subscribe(() => this.onExpiry());
 * ```
 * @param delivery - `sync` or `bottom-half`
 * @param scheduler - where a bottom half is scheduled
 * @returns identity for `sync`, a bottom half otherwise
 * @see deliverAsBottomHalf
 */
export const deliverTriggers = <T>(delivery: TriggerDelivery, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> =>
  delivery === 'bottom-half' ? deliverAsBottomHalf<T>(scheduler) : identity;
