export { MSS_TIMER_POLICY, MSS_TIMER_SNAPSHOT_VERSION, MssTimer, type MssTimerOptions, type MssTimerSnapshot } from './MssTimer';
export { MSS_TIMER_BLOCK, MSS_TIMER_REGISTERS } from './MSS_TIMER_REGISTERS';
