export {
  ARMV7M_SYSTICK_POLICY,
  ARMV7M_SYSTICK_SNAPSHOT_VERSION,
  Armv7mSystick,
  type Armv7mSystickOptions,
  type Armv7mSystickSnapshot,
} from './Armv7mSystick';
export { ARMV7M_SYSTICK_REGISTERS } from './ARMV7M_SYSTICK_REGISTERS';
