import { distinctUntilChanged, map, skip, type Observable, type SchedulerLike } from 'rxjs';
import type { IrqEvent } from '../trace/TraceEvent';
import { IrqArgumentError } from './IrqArgumentError';
import type { IrqSignal } from './IrqLine';
import { IRQ_SIGNAL_RULE, isIrqSignal } from './isIrqSignal';

/**
 * An interrupt signal's level changes as `irq` trace events: one event per
 * change after subscription, stamped with `scheduler.now()`, its `source`
 * the signal's name. The level the signal has when subscribed is not an
 * event (the line is traced only on change, STYLE.md 18); a trace that needs
 * it can record it, or subscribe while every line is still low.
 *
 * Ordering: preserves G1. Each event is emitted synchronously inside the
 * signal's change, at the virtual time of the change, with no scheduler hop;
 * a pulse (high then low within one instant) gives two events at that time.
 *
 * ## Example
 * ```
 * level$:    f--t---f--
 * irqEvents: ---r---l--   r = { time: 3, source, kind: 'irq', level: true }, l = … level: false
 * ```
 * ```ts
 * irqEvents(irq, clock).subscribe((event) => trace.record(event));
 * ```
 *
 * @param signal - the line or combination of lines to trace
 * @param scheduler - the virtual clock whose `now()` stamps the events (no default)
 * @returns the events; never completes while the signal's `level$` does not
 * @throws IrqArgumentError for a signal that is not an IrqSignal, or a scheduler without `now()`
 * @see anyOf
 */
export const irqEvents = (signal: IrqSignal, scheduler: SchedulerLike): Observable<IrqEvent> => {
  if (!isIrqSignal(signal)) {
    throw new IrqArgumentError(signal, IRQ_SIGNAL_RULE, 'irqEvents(signal)');
  }
  if (typeof (scheduler as Partial<SchedulerLike> | null | undefined)?.now !== 'function') {
    throw new IrqArgumentError(scheduler, 'must be a SchedulerLike with now()', 'irqEvents(scheduler)');
  }
  const source = signal.name;
  return signal.level$.pipe(
    // level$ promises distinct levels; checking again costs one comparison and keeps "only on change" true
    // even for a signal that breaks that promise.
    distinctUntilChanged(),
    skip(1),
    map((level): IrqEvent => ({ time: scheduler.now(), source, kind: 'irq', level })),
  );
};
