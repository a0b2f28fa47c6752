export {
  CMSDK_APB_WATCHDOG_POLICY,
  CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION,
  CmsdkApbWatchdog,
  type CmsdkApbWatchdogOptions,
  type CmsdkApbWatchdogSnapshot,
} from './CmsdkApbWatchdog';
export { CMSDK_APB_WATCHDOG_REGISTERS, WDOG_UNLOCK_KEY } from './CMSDK_APB_WATCHDOG_REGISTERS';
