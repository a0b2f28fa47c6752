export { SH_TMU_POLICY, SH_TMU_SNAPSHOT_VERSION, ShTmu, type ShTmuOptions, type ShTmuSnapshot } from './ShTmu';
export { SH_TMU_REGISTERS } from './SH_TMU_REGISTERS';
