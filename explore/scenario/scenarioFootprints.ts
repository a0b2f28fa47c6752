import type { Scenario } from '../../system/scenario/Scenario';
import { GUEST_LABEL_PREFIX } from '../../system/GuestScheduler';

/** Work whose footprint is unknown touches everything. */
const EVERYTHING: ReadonlySet<string> = new Set(['*']);

const DEVICE_WORK = /^(?:defer )?(?:ptimer|bottom-half) '([^.']+)\./;
const NUMBERED = /#\d+$/;

/**
 * Which pieces of a scenario's work commute, by what they touch: a timer's
 * expiry and its bottom half touch their device; a guest touches the devices
 * it accesses (its channel's device, or every device of an `accesses` list);
 * a guest that accesses the interrupt controller also depends on every
 * device routed to it. Two pieces of work commute when they touch no device
 * in common. Work the scenario cannot place (anything unlabelled) touches
 * everything.
 *
 * Expiries of two devices routed to the controller do commute: each only
 * sets its own input's level, and the levels end the same in either order.
 *
 * @param scenario - the scenario
 * @param extra - further guests (name → devices), e.g. the explorer's observers
 * @returns the independence relation, by label
 * @internal
 */
export const scenarioIndependence = (
  scenario: Scenario,
  extra: ReadonlyMap<string, readonly string[]> = new Map(),
): ((a: string, b: string) => boolean) => {
  const controller = scenario.interruptController;
  const routed = controller === undefined ? [] : controller.inputs.map((input) => input.slice(0, input.indexOf('.')));
  const expand = (devices: Iterable<string>): Set<string> => {
    const set = new Set<string>();
    for (const d of devices) {
      set.add(d);
      if (d === controller?.name) for (const r of routed) set.add(r);
    }
    return set;
  };
  const guests = new Map<string, ReadonlySet<string>>();
  for (const g of scenario.guests) {
    guests.set(GUEST_LABEL_PREFIX + g.name, expand(g.program === 'accesses' ? g.accesses.map((a) => a.device) : [g.device]));
  }
  for (const [name, devices] of extra) guests.set(GUEST_LABEL_PREFIX + name, expand(devices));

  const cache = new Map<string, ReadonlySet<string>>();
  const footprint = (label: string): ReadonlySet<string> => {
    let found = cache.get(label);
    if (found === undefined) {
      const plain = label.replace(NUMBERED, '');
      const device = DEVICE_WORK.exec(plain)?.[1];
      found = device !== undefined ? new Set([device]) : (guests.get(plain) ?? EVERYTHING);
      cache.set(label, found);
    }
    return found;
  };
  return (a, b) => {
    const fa = footprint(a);
    const fb = footprint(b);
    if (fa === EVERYTHING || fb === EVERYTHING) return false;
    for (const d of fa) if (fb.has(d)) return false;
    return true;
  };
};
