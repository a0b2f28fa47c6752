export {
  ALLWINNER_A10_PIT_POLICY,
  ALLWINNER_A10_PIT_SNAPSHOT_VERSION,
  AllwinnerA10Pit,
  type AllwinnerA10PitOptions,
  type AllwinnerA10PitSnapshot,
  type AllwinnerA10PitTimerIndex,
} from './AllwinnerA10Pit';
export { ALLWINNER_A10_PIT_REGISTERS } from './ALLWINNER_A10_PIT_REGISTERS';
