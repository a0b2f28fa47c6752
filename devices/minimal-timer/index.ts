export { MINIMAL_TIMER_REGISTERS, MinimalTimer, type MinimalTimerOptions } from './MinimalTimer';
