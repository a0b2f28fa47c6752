export {
  CMSDK_APB_TIMER_POLICY,
  CMSDK_APB_TIMER_SNAPSHOT_VERSION,
  CmsdkApbTimer,
  type CmsdkApbTimerOptions,
  type CmsdkApbTimerSnapshot,
} from './CmsdkApbTimer';
export { CMSDK_APB_TIMER_REGISTERS } from './CMSDK_APB_TIMER_REGISTERS';
