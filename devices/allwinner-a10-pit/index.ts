export {
  ALLWINNER_A10_PIT_POLICY,
  ALLWINNER_A10_PIT_SNAPSHOT_VERSION,
  AllwinnerA10Pit,
  type AllwinnerA10PitTimerIndex,
  type AllwinnerA10PitOptions,
} from './AllwinnerA10Pit';
export { ALLWINNER_A10_PIT_REGISTERS } from './ALLWINNER_A10_PIT_REGISTERS';
