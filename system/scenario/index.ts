export { DEFAULT_SCENARIO } from './defaultScenario';
export { deviceProfile, type DeviceProfile } from './deviceProfile';
export { parseDuration, parseFrequency } from './durations';
export { buildSystem, parseScenario, type BuildOptions, type BuiltScenario } from './loadScenario';
export { parseAddress } from './parseAddress';
export type { ChannelGuest, Scenario, ScenarioAccess, ScenarioController, ScenarioDevice, ScenarioGuest } from './Scenario';
export { ScenarioError } from './ScenarioError';
export { formatPath, SCENARIO_SCHEMA, scenarioIssue, valueAt, type ScenarioGuestJson, type ScenarioJson } from './scenarioSchema';
