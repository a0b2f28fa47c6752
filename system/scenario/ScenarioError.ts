import { ArgumentError } from '../../src/shared/ArgumentError';

/**
 * A scenario file breaks a rule: a malformed structure, an unknown key, a
 * value out of range, or a reference to something the scenario does not have
 * (an unknown device type, device, channel, clock, line or register). The
 * message is `<path>: <value> is invalid: <rule>`, e.g.
 * `devices[1].clocks.pclk: "25" is invalid: a frequency needs a unit ...`.
 */
export class ScenarioError extends ArgumentError {
  /** Always `ScenarioError`. */
  override readonly name: string = 'ScenarioError';
  /**
   * Creates the error; its message is built from the three parts.
   * @param path - where in the scenario, as `a.b[2].c` (`(root)` for the whole file)
   * @param value - the offending value, as given
   * @param rule - the rule it breaks, in words
   */
  constructor(
    readonly path: string,
    value: unknown,
    rule: string,
  ) {
    super(path, value, rule);
  }
}
