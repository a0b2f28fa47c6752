export { INTEGRATOR_PIT_POLICY, INTEGRATOR_PIT_SNAPSHOT_VERSION, IntegratorPit, type IntegratorPitOptions, type IntegratorPitSnapshot } from './IntegratorPit';
export { INTEGRATOR_PIT_REGISTERS } from './INTEGRATOR_PIT_REGISTERS';
