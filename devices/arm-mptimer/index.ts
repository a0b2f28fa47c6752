export {
  CORTEX_A9_TIMER_POLICY,
  CORTEX_A9_TIMER_WATCHDOG_SNAPSHOT_VERSION,
  CortexA9TimerWatchdog,
  type CortexA9TimerWatchdogOptions,
  type CortexA9TimerWatchdogSnapshot,
} from './CortexA9TimerWatchdog';
export { CORTEX_A9_TIMER_WATCHDOG_REGISTERS, WDOG_DISABLE_KEY_1, WDOG_DISABLE_KEY_2 } from './CORTEX_A9_TIMER_WATCHDOG_REGISTERS';
