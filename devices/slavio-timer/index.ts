export { SLAVIO_TIMER_POLICY, SLAVIO_TIMER_SNAPSHOT_VERSION, SlavioTimer, type SlavioTimerOptions, type SlavioTimerSnapshot } from './SlavioTimer';
export {
  SLAVIO_MAX_CPUS,
  SLAVIO_PROCESSOR_BLOCK,
  SLAVIO_PROCESSOR_STRIDE,
  SLAVIO_SYSTEM_OFFSET,
  SLAVIO_TIMER_LAYOUTS,
  SLAVIO_TIMER_REGISTERS,
  slavioTimerRegisters,
  type SlavioTimerLayout,
  type SlavioTimerRegisters,
} from './SLAVIO_TIMER_REGISTERS';
