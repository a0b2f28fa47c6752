export { CMSDK_APB_DUALTIMER_REGISTERS } from './CMSDK_APB_DUALTIMER_REGISTERS';
export {
  CMSDK_APB_DUALTIMER_POLICY,
  CMSDK_APB_DUALTIMER_SNAPSHOT_VERSION,
  CmsdkApbDualTimer,
  type CmsdkApbDualTimerOptions,
  type CmsdkApbDualTimerSnapshot,
} from './CmsdkApbDualTimer';
