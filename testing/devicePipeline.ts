import { merge, map, skip, type Observable, type SchedulerLike } from 'rxjs';
import { applyAccesses } from '../operators/applyAccesses';
import type { AccessResult, Device, GuestAccess, RegisterMap } from '../src/bus';
import type { IrqSignal } from '../src/irq/IrqLine';
import type { PTimer } from '../src/ptimer';

/** What {@link devicePipeline} wires together. */
export interface DevicePipelineOptions {
  /** The device the accesses are applied to. */
  readonly device: Device;
  /** The guest's accesses, e.g. `m.cold('--a-(bc)', { a: guestRead(0x4) })`. */
  readonly accesses$: Observable<GuestAccess>;
  /** The device's register map, to label accesses by register name instead of offset. */
  readonly registers?: RegisterMap<any, any>;
  /** Interrupt line(s) whose changes to show. */
  readonly irq?: IrqSignal;
  /** Timers whose triggers to show. */
  readonly timers?: readonly PTimer[];
}

/**
 * The label of an access result: `VALUE=4` (read), `LOAD:=4` (write),
 * `VALUE!read-only` (refused); registers named from `registers`, else `0x4`.
 */
export const accessLabel = (result: AccessResult, registers?: RegisterMap<any, any>): string => {
  const name = registers?.registers.find((r) => r.offset === result.offset)?.name ?? `0x${result.offset.toString(16)}`;
  if (result.error !== undefined) return `${name}!${result.error}`;
  return result.kind === 'read' ? `${name}=${result.value}` : `${name}:=${result.value}`;
};

/**
 * One labelled stream of everything a device pipeline does, in the order it
 * happens, for one-line ordering assertions: the guest's accesses applied to
 * the device (see {@link accessLabel}), each trigger of the given timers
 * (`expiry` or `commit`, prefixed with the timer's name when there are
 * several), and each change of the interrupt line (`irq=1` / `irq=0`; the
 * level at subscription is not an event).
 *
 * Ordering: adds no scheduling of its own, so the stream shows exactly the
 * order in which the scheduler ran the work (G1: an expiry's trigger and the
 * IRQ it raises appear in the same frame, before any guest access that ran
 * after the expiry at that instant).
 *
 * ## Example
 * ```ts
 * const ns = nsScheduler(m);
 * const device = new MinimalTimer(ns, { periodNs: NS_PER_FRAME });
 * const events$ = devicePipeline(ns, { device, accesses$, registers: MINIMAL_TIMER_REGISTERS, irq: device.irq, timers: [device.timer] });
 * m.expect(events$).toBeObservable('(lc)--(ti)', labels);
 * ```
 * @param scheduler - the scheduler the device runs on (ns)
 * @param options - device, accesses and what to show
 * @returns the labelled events
 */
export const devicePipeline = (scheduler: SchedulerLike, options: DevicePipelineOptions): Observable<string> => {
  const timers = options.timers ?? [];
  const triggers = timers.map((timer) =>
    timer.triggers$.pipe(map((t) => (timers.length > 1 ? `${timer.name}:${t.cause}` : t.cause))),
  );
  const irq = options.irq === undefined ? [] : [options.irq.level$.pipe(skip(1), map((level) => `irq=${level ? 1 : 0}`))];
  const accesses = options.accesses$.pipe(
    applyAccesses(options.device, scheduler),
    map((result) => accessLabel(result, options.registers)),
  );
  // Triggers and IRQ first: subscribed before the accesses start, so nothing is missed.
  return merge(...triggers, ...irq, accesses);
};
