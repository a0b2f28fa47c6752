import type { Scenario } from '../../system/scenario/Scenario';
import type { WorkTag } from '../../src/clock/WorkTag';
import { timerDevice } from '../exploreSchedules';

/** Work whose footprint is unknown touches everything. */
const EVERYTHING: ReadonlySet<string> = new Set(['*']);


/**
 * Which pieces of a scenario's work commute, by what they touch: a timer's
 * expiry and its bottom half touch their device; a guest touches the devices
 * it accesses (its channel's device, or every device of an `accesses` list);
 * a guest that accesses the interrupt controller also depends on every
 * device routed to it. Two pieces of work commute when they touch no device
 * in common. Work the scenario cannot place (work that is neither a timer's nor a guest's) touches
 * everything.
 *
 * Expiries of two devices routed to the controller do commute: each only
 * sets its own input's level, and the levels end the same in either order.
 *
 * @param scenario - the scenario
 * @param extra - further guests (name → devices), e.g. the explorer's observers
 * @returns the independence relation, by work tag
 * @internal
 */
export const scenarioIndependence = (
  scenario: Scenario,
  extra: ReadonlyMap<string, readonly string[]> = new Map(),
): ((a: WorkTag, b: WorkTag) => boolean) => {
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
    guests.set(g.name, expand(g.program === 'accesses' ? g.accesses.map((a) => a.device) : [g.device]));
  }
  for (const [name, devices] of extra) guests.set(name, expand(devices));

  const timers = new Map<string, ReadonlySet<string>>();
  const footprint = (tag: WorkTag): ReadonlySet<string> => {
    const device = timerDevice(tag);
    if (device !== undefined) {
      let set = timers.get(device);
      if (set === undefined) timers.set(device, (set = new Set([device])));
      return set;
    }
    return (tag.kind === 'guest' ? guests.get(tag.owner) : undefined) ?? EVERYTHING;
  };
  return (a, b) => {
    const fa = footprint(a);
    const fb = footprint(b);
    if (fa === EVERYTHING || fb === EVERYTHING) return false;
    for (const d of fa) if (fb.has(d)) return false;
    return true;
  };
};
