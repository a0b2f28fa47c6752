import type { SchedulerLike } from 'rxjs';

/**
 * Told about every trigger that passes through {@link deliverTriggers} on a
 * scheduler: when the timer emitted it, and when the device received it (after
 * the device's handler returned). Under `sync` delivery both happen in the
 * same step; under `bottom-half`, the delivery is a later step.
 */
export interface TriggerMonitor {
  /** The timer (its name, `<device>.<timer>` in catalogue devices) emitted a trigger. */
  emitted(timer: string): void;
  /** The device's handler for a trigger of that timer has run. */
  delivered(timer: string): void;
}

const monitors = new WeakMap<SchedulerLike, TriggerMonitor>();

/**
 * Watches the triggers every device on `scheduler` receives through
 * {@link deliverTriggers}: what an ordering explorer needs to check that each
 * expiry is delivered exactly once (G5) and that no guest access falls
 * between an expiry and its delivery (G1). One monitor per scheduler; it is
 * consulted at every trigger, so devices created before the call are watched
 * too.
 *
 * @param scheduler - the scheduler the devices were created on
 * @param monitor - the monitor
 * @returns a function that removes the monitor
 * @internal
 */
export const monitorTriggers = (scheduler: SchedulerLike, monitor: TriggerMonitor): (() => void) => {
  monitors.set(scheduler, monitor);
  return () => {
    if (monitors.get(scheduler) === monitor) monitors.delete(scheduler);
  };
};

/** The monitor watching `scheduler`, if any. @internal */
export const triggerMonitorOf = (scheduler: SchedulerLike): TriggerMonitor | undefined => monitors.get(scheduler);

/** The timer's name of a trigger-like value (`{ timer: { name } }`), else `timer`. @internal */
export const triggerTimerName = (value: unknown): string => {
  const name = (value as { timer?: { name?: unknown } } | null)?.timer?.name;
  return typeof name === 'string' ? name : 'timer';
};
