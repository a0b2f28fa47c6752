export { XLNX_CSU_DMA_POLICY, XLNX_CSU_DMA_SNAPSHOT_VERSION, XlnxCsuDma, type XlnxCsuDmaOptions, type XlnxCsuDmaSnapshot } from './XlnxCsuDma';
export { XLNX_CSU_DMA_REGISTERS, XLNX_CSU_DMA_UNMODELLED } from './XLNX_CSU_DMA_REGISTERS';
