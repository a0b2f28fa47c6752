export {
  ALTERA_AVALON_TIMER_POLICY,
  ALTERA_AVALON_TIMER_SNAPSHOT_VERSION,
  AlteraAvalonTimer,
  type AlteraAvalonTimerOptions,
  type AlteraAvalonTimerSnapshot,
} from './AlteraAvalonTimer';
export { ALTERA_AVALON_TIMER_REGISTERS } from './ALTERA_AVALON_TIMER_REGISTERS';
