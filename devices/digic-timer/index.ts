export {
  DIGIC_TIMER_HZ,
  DIGIC_TIMER_POLICY,
  DIGIC_TIMER_SNAPSHOT_VERSION,
  DigicTimer,
  type DigicTimerOptions,
  type DigicTimerSnapshot,
} from './DigicTimer';
export { DIGIC_TIMER_REGISTERS, DIGIC_TIMER_UNMODELLED } from './DIGIC_TIMER_REGISTERS';
