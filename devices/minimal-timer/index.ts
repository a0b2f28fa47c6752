export {
  MINIMAL_TIMER_REGISTERS,
  MINIMAL_TIMER_SNAPSHOT_VERSION,
  MinimalTimer,
  type MinimalTimerOptions,
  type MinimalTimerSnapshot,
} from './MinimalTimer';
