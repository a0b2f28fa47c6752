import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type RegisterOptions, type UnmodelledRegister } from '../../src/bus';

/**
 * DMACR (PG021 "MM2S_DMACR", "S2MM_DMACR"): the same fields in both channels. Reset 0x0001_0002
 * (IRQThreshold 1, bit 1 fixed at 1).
 */
const DMACR_FIELDS = {
  /** Run/stop: 1 runs the channel, 0 halts it (halting completes at once here: no transfer is ever in flight). */
  RS: bit(0),
  /** Reserved, always 1 (the vendor's HDL: tail-pointer mode, fixed on). */
  TAILPEN: bit(1, 'ro'),
  /** Soft reset of the whole core (both channels); completes at once, so it reads 0. */
  Reset: bit(2),
  /** Keyhole: stored and reported, the data path is not modelled. */
  Keyhole: bit(3, 'unimplemented'),
  /** Cyclic BD mode: stored and reported, the descriptor engine is not modelled. */
  CyclicBDEnable: bit(4, 'unimplemented'),
  /** Reserved: reads 0, writes ignored. */
  RSVD5: bits(5, 7, 'reserved'),
  /** Lets IOC_Irq drive the channel's interrupt output. */
  IOC_IrqEn: bit(12),
  /** Lets Dly_Irq drive the channel's interrupt output. */
  Dly_IrqEn: bit(13),
  /** Lets Err_Irq drive the channel's interrupt output. */
  Err_IrqEn: bit(14),
  /** Reserved: reads 0, writes ignored. */
  RSVD15: bit(15, 'reserved'),
  /** Interrupt coalescing: IOC events per IOC_Irq, 1-255 (a write of 0 stores 1, A4). */
  IRQThreshold: bits(16, 8),
  /** Interrupt delay timeout in units of C_DLYTMR_RESOLUTION SG clocks; 0 disables the delay timer. */
  IRQDelay: bits(24, 8),
} as const satisfies FieldSpecs;

/**
 * DMASR (PG021 "MM2S_DMASR", "S2MM_DMASR"). Bits 31:16 are the live coalescing state (read
 * hook); the register stores bits 15:0 only. Reset 0x0001_0009 as read (Halted, SGIncld,
 * threshold count 1).
 */
const DMASR_FIELDS = {
  /** 1 while RS is 0 (the channel halts at once: no transfer is in flight). */
  Halted: bit(0, 'ro'),
  /** Scatter/gather idle: 1 once a tail-pointer write was processed (`dataPath: 'instant'`), 0 while halted. */
  Idle: bit(1, 'ro'),
  /** Reserved: reads 0. */
  RSVD2: bit(2, 'reserved'),
  /** Scatter/gather engine included: 1 (the delay timer exists in SG mode only). */
  SGIncld: bit(3, 'ro'),
  /** DMA internal error: never set (the data path is not modelled). */
  DMAIntErr: bit(4, 'ro'),
  /** DMA slave error: never set (the data path is not modelled). */
  DMASlvErr: bit(5, 'ro'),
  /** DMA decode error: never set (the data path is not modelled). */
  DMADecErr: bit(6, 'ro'),
  /** Reserved: reads 0. */
  RSVD7: bit(7, 'reserved'),
  /** SG internal error: never set (descriptors are not fetched). */
  SGIntErr: bit(8, 'ro'),
  /** SG slave error: never set (descriptors are not fetched). */
  SGSlvErr: bit(9, 'ro'),
  /** SG decode error: never set (descriptors are not fetched). */
  SGDecErr: bit(10, 'ro'),
  /** Reserved: reads 0. */
  RSVD11: bit(11, 'reserved'),
  /** Interrupt on complete: the threshold count ran out; write 1 to clear. */
  IOC_Irq: bit(12, 'w1c'),
  /** Interrupt on delay: the delay timer timed out; write 1 to clear. While set, the delay timer cannot start (A3). */
  Dly_Irq: bit(13, 'w1c'),
  /** Interrupt on error: never set (errors are not modelled); write 1 to clear. */
  Err_Irq: bit(14, 'w1c'),
  /** Reserved: reads 0. */
  RSVD15: bit(15, 'reserved'),
  /** IRQThresholdSts: the coalescing count now (read hook; stores nothing). */
  IRQThresholdSts: bits(16, 8, 'ro'),
  /** IRQDelaySts: the delay timer's count now, counting up from 0 (read hook; stores nothing). */
  IRQDelaySts: bits(24, 8, 'ro'),
} as const satisfies FieldSpecs;

/** TAILDESC: the tail descriptor pointer, 64-byte aligned. */
const TAILDESC_FIELDS = {
  /** Reserved: reads 0, writes ignored (descriptors are 64-byte aligned). */
  RSVD: bits(0, 6, 'reserved'),
  /** The tail descriptor's address bits 31:6. */
  TailDescPtr: bits(6, 26),
} as const satisfies FieldSpecs;

/** DMACR and DMASR take byte and halfword reads (a driver may read IRQDelaySts alone); writes are 32-bit (A8). */
const CONTROL: RegisterOptions = { sizes: [1, 2, 4] };

/**
 * The registers of the Xilinx LogiCORE IP AXI DMA (PG021, "AXI DMA v7.1 LogiCORE IP Product
 * Guide", "Scatter/Gather Mode Register Address Map") that hold its interrupt-coalescing timer
 * part: each channel's control (DMACR) and status (DMASR) register, and its tail descriptor
 * pointer (TAILDESC, the doorbell of the stand-in data path, see `XilinxAxiDma`). MM2S at 0x00,
 * S2MM at 0x30. The rest of the core's registers are listed in
 * {@link XILINX_AXI_DMA_UNMODELLED}; every other offset of the 1 KiB region is unmapped.
 */
export const XILINX_AXI_DMA_REGISTERS = defineRegisterMap({
  /** MM2S DMA control. */
  MM2S_DMACR: reg32(0x00, DMACR_FIELDS, { ...CONTROL, reset: 0x0001_0002 }),
  /** MM2S DMA status (stores bits 15:0; bits 31:16 are read from the coalescing state). */
  MM2S_DMASR: reg32(0x04, DMASR_FIELDS, { ...CONTROL, reset: 0x0000_0009 }),
  /** MM2S tail descriptor pointer (lower 32 bits). */
  MM2S_TAILDESC: reg32(0x10, TAILDESC_FIELDS),
  /** S2MM DMA control. */
  S2MM_DMACR: reg32(0x30, DMACR_FIELDS, { ...CONTROL, reset: 0x0001_0002 }),
  /** S2MM DMA status (stores bits 15:0; bits 31:16 are read from the coalescing state). */
  S2MM_DMASR: reg32(0x34, DMASR_FIELDS, { ...CONTROL, reset: 0x0000_0009 }),
  /** S2MM tail descriptor pointer (lower 32 bits). */
  S2MM_TAILDESC: reg32(0x40, TAILDESC_FIELDS),
});

/**
 * The AXI DMA's other registers (PG021 register address maps, scatter/gather and direct
 * register mode): the descriptor pointers' other words, the direct-mode address and length
 * registers and SG_CTL. They belong to the descriptor engine and the data path, which are not
 * modelled: an access is an `unimplemented` event, reads 0.
 */
export const XILINX_AXI_DMA_UNMODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'MM2S_CURDESC', offset: 0x08 },
  { name: 'MM2S_CURDESC_MSB', offset: 0x0c },
  { name: 'MM2S_TAILDESC_MSB', offset: 0x14 },
  { name: 'MM2S_SA', offset: 0x18 },
  { name: 'MM2S_SA_MSB', offset: 0x1c },
  { name: 'MM2S_LENGTH', offset: 0x28 },
  { name: 'SG_CTL', offset: 0x2c },
  { name: 'S2MM_CURDESC', offset: 0x38 },
  { name: 'S2MM_CURDESC_MSB', offset: 0x3c },
  { name: 'S2MM_TAILDESC_MSB', offset: 0x44 },
  { name: 'S2MM_DA', offset: 0x48 },
  { name: 'S2MM_DA_MSB', offset: 0x4c },
  { name: 'S2MM_LENGTH', offset: 0x58 },
]);
