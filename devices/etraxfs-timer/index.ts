export {
  ETRAXFS_TIMER_POLICY,
  ETRAXFS_TIMER_SNAPSHOT_VERSION,
  ETRAXFS_WATCHDOG_DIVISOR,
  EtraxfsTimer,
  type EtraxfsClockName,
  type EtraxfsTimerOptions,
  type EtraxfsTimerSnapshot,
  type EtraxfsWatchdogStage,
} from './EtraxfsTimer';
export { ETRAXFS_TIMER_FREQ, ETRAXFS_TIMER_NOT_MODELLED, ETRAXFS_TIMER_OP, ETRAXFS_TIMER_REGISTERS } from './ETRAXFS_TIMER_REGISTERS';
