export { XILINX_AXI_TIMER_REGISTERS } from './XILINX_AXI_TIMER_REGISTERS';
export {
  XILINX_AXI_TIMER_POLICY,
  XILINX_AXI_TIMER_SNAPSHOT_VERSION,
  XilinxAxiTimer,
  type XilinxAxiTimerOptions,
  type XilinxAxiTimerSnapshot,
} from './XilinxAxiTimer';
