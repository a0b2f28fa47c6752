// A smaller system cut from a scenario, for tests that build a system thousands of times (the
// system snapshot restore fuzz): the chosen devices with exactly their guests and controller inputs,
// so every part of the system exercised by the full scenario (device and timer parts, each guest
// program, timed accesses, a controller with level inputs, work queued from reset) is still there.
import type { ScenarioJson } from '../../system';

type Guest = ScenarioJson['guests'][number];

/** The devices a guest touches: its channel's, or those of its timed accesses. */
const devicesOf = (guest: Guest): readonly string[] => ('device' in guest ? [guest.device] : guest.accesses.map((a) => a.device));

/**
 * `scenario` cut down to the named devices: the guests that touch only them (or the controller),
 * and the controller inputs from their lines, in the scenario's order.
 * @param scenario - the full scenario
 * @param names - device names of `scenario`
 * @returns a scenario with those devices only
 */
export const scenarioSubset = (scenario: ScenarioJson, names: readonly string[]): ScenarioJson => {
  const unknown = names.filter((n) => !scenario.devices.some((d) => d.name === n));
  if (unknown.length > 0) throw new Error(`scenarioSubset: no device ${unknown.join(', ')} in scenario "${scenario.name ?? ''}"`);
  const kept = new Set(names);
  const { interruptController: controller, ...rest } = scenario;
  if (controller !== undefined) kept.add(controller.name ?? 'intc');
  const deviceOfLine = (line: string): string => line.slice(0, line.indexOf('.'));
  const inputs = controller?.inputs.filter((line) => kept.has(deviceOfLine(line))) ?? [];
  return {
    ...rest,
    name: `${scenario.name ?? 'scenario'}, cut to ${names.join(', ')}`,
    devices: scenario.devices.filter((d) => kept.has(d.name)),
    ...(controller !== undefined && inputs.length > 0 ? { interruptController: { ...controller, inputs } } : {}),
    guests: scenario.guests.filter((g) => devicesOf(g).every((d) => kept.has(d))),
  };
};
