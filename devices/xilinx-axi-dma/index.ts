export {
  XILINX_AXI_DMA_POLICY,
  XILINX_AXI_DMA_SNAPSHOT_VERSION,
  XilinxAxiDma,
  type XilinxAxiDmaChannel,
  type XilinxAxiDmaDataPath,
  type XilinxAxiDmaOptions,
  type XilinxAxiDmaSnapshot,
} from './XilinxAxiDma';
export { XILINX_AXI_DMA_REGISTERS, XILINX_AXI_DMA_UNMODELLED } from './XILINX_AXI_DMA_REGISTERS';
