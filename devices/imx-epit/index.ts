export {
  IMX_EPIT_POLICY,
  IMX_EPIT_SNAPSHOT_VERSION,
  ImxEpit,
  type ImxEpitOptions,
  type ImxEpitSegment,
  type ImxEpitSnapshot,
} from './ImxEpit';
export { IMX_EPIT_REGISTERS } from './IMX_EPIT_REGISTERS';
