export { MINIMAL_TIMER_REGISTERS, MinimalTimer } from './MinimalTimer';
