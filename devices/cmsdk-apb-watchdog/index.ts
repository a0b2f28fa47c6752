export {
  CMSDK_APB_WATCHDOG_POLICY,
  CMSDK_APB_WATCHDOG_SNAPSHOT_VERSION,
  CMSDK_APB_WATCHDOG_VARIANTS,
  CmsdkApbWatchdog,
  type CmsdkApbWatchdogOptions,
  type CmsdkApbWatchdogSnapshot,
  type CmsdkApbWatchdogVariant,
} from './CmsdkApbWatchdog';
export { CMSDK_APB_WATCHDOG_REGISTERS, WDOG_UNLOCK_KEY } from './CMSDK_APB_WATCHDOG_REGISTERS';
export { LUMINARY_WATCHDOG_REGISTERS } from './LUMINARY_WATCHDOG_REGISTERS';
