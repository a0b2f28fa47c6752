import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type UnmodelledRegister } from '../../src/bus';

/** CSUDMA_SRC_CTRL: the stream timeout's compare value and the stream pause are modelled; the rest configures the data path. */
const SRC_CTRL_FIELDS = {
  /** Pause memory reads: stored and reported, the memory side is not modelled. */
  PAUSE_MEM: bit(0, 'unimplemented'),
  /** Pause the stream: no data is offered to the stream, so no back-pressure stall can last (C3). */
  PAUSE_STRM: bit(1),
  /** FIFO watermark: stored and reported, the FIFO is not modelled. */
  FIFO_THRESH: bits(2, 8, 'unimplemented'),
  /** Timeout compare value in prescaled ticks (C1); 0xFFF holds the timeout counters cleared. */
  TIMEOUT_VAL: bits(10, 12),
  /** AXI burst type: stored and reported, the AXI side is not modelled. */
  AXI_BRST_TYPE: bit(22, 'unimplemented'),
  /** Byte swap: stored and reported, the data path is not modelled. */
  ENDIANNESS: bit(23, 'unimplemented'),
  /** Slave error on an unmapped APB access: stored and reported (the model reports such accesses as guest errors). */
  APB_ERR_RESP: bit(24, 'unimplemented'),
  /** Reserved: reads 0, writes ignored. */
  RSVD: bits(25, 7, 'reserved'),
} as const satisfies FieldSpecs;

/** CSUDMA_DST_CTRL: as the SRC one, plus the SSS FIFO threshold; nothing of it is modelled but the stored TIMEOUT_VAL (C5). */
const DST_CTRL_FIELDS = {
  /** Pause memory writes: stored and reported. */
  PAUSE_MEM: bit(0, 'unimplemented'),
  /** Pause the stream: stored and reported (the DST stream side is not modelled). */
  PAUSE_STRM: bit(1, 'unimplemented'),
  /** FIFO watermark: stored and reported. */
  FIFO_THRESH: bits(2, 8, 'unimplemented'),
  /** Timeout compare value of the DST counters: stored (the DST counters are not modelled, C5). */
  TIMEOUT_VAL: bits(10, 12),
  /** AXI burst type: stored and reported. */
  AXI_BRST_TYPE: bit(22, 'unimplemented'),
  /** Byte swap: stored and reported. */
  ENDIANNESS: bit(23, 'unimplemented'),
  /** Slave error on an unmapped APB access: stored and reported. */
  APB_ERR_RESP: bit(24, 'unimplemented'),
  /** Loop-back flow control threshold of the secure stream switch: stored and reported. */
  SSS_FIFOTHRESH: bits(25, 7, 'unimplemented'),
} as const satisfies FieldSpecs;

/** CSUDMA_SRC_CTRL2 / DST_CTRL2 (ZynqMP layout [med]); `timeoutEn` is how TIMEOUT_EN is modelled in the channel. */
const ctrl2Fields = <M extends 'rw' | 'unimplemented'>(timeoutEn: M) =>
  ({
    /** Outstanding AXI commands: stored and reported. */
    MAX_OUTS_CMDS: bits(0, 4, 'unimplemented'),
    /** Prescaler: a timeout tick is TIMEOUT_PRE + 1 cycles of clk (C1). */
    TIMEOUT_PRE: bits(4, 12),
    /** RAM margin adjust A: stored and reported. */
    RAM_EMAA: bits(16, 3, 'unimplemented'),
    /** RAM margin adjust B: stored and reported. */
    RAM_EMAB: bits(19, 3, 'unimplemented'),
    /** Enables the channel's two timeout counters. */
    TIMEOUT_EN: bit(22, timeoutEn),
    /** Route to the APU cache controller: stored and reported. */
    ROUTE_BIT: bit(23, 'unimplemented'),
    /** AXI cache bits: stored and reported. */
    AXCACHE: bits(24, 3, 'unimplemented'),
    /** RAM margin adjust select: stored and reported. */
    RAM_EMASA: bit(27, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RSVD: bits(28, 4, 'reserved'),
  }) as const satisfies FieldSpecs;

/** SRC interrupt bits (I_STS, I_EN, I_DIS, I_MASK): only TIMEOUT_STRM is ever raised (C5). */
const srcIrq = (mode: 'w1c' | 'wo' | 'ro') =>
  ({
    /** Memory side done. */
    MEM_DONE: bit(0, mode),
    /** Transfer done. */
    DONE: bit(1, mode),
    /** AXI read error. */
    AXI_RDERR: bit(2, mode),
    /** Timeout counter 1: data waited at the stream interface for TIMEOUT_VAL ticks (the timer part). */
    TIMEOUT_STRM: bit(3, mode),
    /** Timeout counter 2: memory read latency. */
    TIMEOUT_MEM: bit(4, mode),
    /** FIFO watermark crossed. */
    THRESH_HIT: bit(5, mode),
    /** An APB access to an unimplemented location. */
    INVALID_APB: bit(6, mode),
    /** Reserved: reads 0, writes ignored. */
    RSVD: bits(7, 25, 'reserved'),
  }) as const satisfies FieldSpecs;

/** DST interrupt bits: none is ever raised (C5). */
const dstIrq = (mode: 'w1c' | 'wo' | 'ro') =>
  ({
    /** Reserved: reads 0, writes ignored. */
    RSVD0: bit(0, 'reserved'),
    /** Transfer done. */
    DONE: bit(1, mode),
    /** AXI write response error. */
    AXI_BRESP_ERR: bit(2, mode),
    /** Timeout counter 1 (stream). */
    TIMEOUT_STRM: bit(3, mode),
    /** Timeout counter 2 (memory). */
    TIMEOUT_MEM: bit(4, mode),
    /** FIFO watermark crossed. */
    THRESH_HIT: bit(5, mode),
    /** An APB access to an unimplemented location. */
    INVALID_APB: bit(6, mode),
    /** The DST FIFO overflowed. */
    FIFO_OVERFLOW: bit(7, mode),
    /** Reserved: reads 0, writes ignored. */
    RSVD: bits(8, 24, 'reserved'),
  }) as const satisfies FieldSpecs;

/**
 * The registers of the Zynq UltraScale+ CSU DMA (UG1087 "CSUDMA" module; UG1085 "CSU DMA")
 * that hold its timeout part: each channel's control registers (CTRL, CTRL2) and its interrupt
 * block (I_STS, I_EN, I_DIS, I_MASK). SRC at 0x000, DST at 0x800. Every register takes 32-bit
 * accesses only. The rest of the block is listed in {@link XLNX_CSU_DMA_UNMODELLED}; every
 * other offset of the 4 KiB region is unmapped.
 */
export const XLNX_CSU_DMA_REGISTERS = defineRegisterMap({
  /** SRC channel control (reset 0x003F_FA00: TIMEOUT_VAL 0xFFE, FIFO_THRESH 0x80). */
  SRC_CTRL: reg32(0x00c, SRC_CTRL_FIELDS, { reset: 0x003f_fa00 }),
  /** SRC interrupt status: write 1 to clear. */
  SRC_I_STS: reg32(0x014, srcIrq('w1c')),
  /** SRC interrupt enable: write 1 to unmask (stores nothing). */
  SRC_I_EN: reg32(0x018, srcIrq('wo'), { access: 'wo' }),
  /** SRC interrupt disable: write 1 to mask (stores nothing). */
  SRC_I_DIS: reg32(0x01c, srcIrq('wo'), { access: 'wo' }),
  /** SRC interrupt mask: 1 = masked (reset: all masked). */
  SRC_I_MASK: reg32(0x020, srcIrq('ro'), { access: 'ro', reset: 0x7f }),
  /** SRC channel control 2 (reset 0x081B_FFF8: TIMEOUT_PRE 0xFFF, timeouts disabled). */
  SRC_CTRL2: reg32(0x024, ctrl2Fields('rw'), { reset: 0x081b_fff8 }),
  /** DST channel control (reset 0x803F_FA00). */
  DST_CTRL: reg32(0x80c, DST_CTRL_FIELDS, { reset: 0x803f_fa00 }),
  /** DST interrupt status: write 1 to clear. */
  DST_I_STS: reg32(0x814, dstIrq('w1c')),
  /** DST interrupt enable: write 1 to unmask (stores nothing). */
  DST_I_EN: reg32(0x818, dstIrq('wo'), { access: 'wo' }),
  /** DST interrupt disable: write 1 to mask (stores nothing). */
  DST_I_DIS: reg32(0x81c, dstIrq('wo'), { access: 'wo' }),
  /** DST interrupt mask: 1 = masked (reset: all masked). */
  DST_I_MASK: reg32(0x820, dstIrq('ro'), { access: 'ro', reset: 0xfe }),
  /** DST channel control 2 (reset 0x081B_FFF8); its TIMEOUT_EN is stored and reported (C5). */
  DST_CTRL2: reg32(0x824, ctrl2Fields('unimplemented'), { reset: 0x081b_fff8 }),
});

/**
 * The CSU DMA's other registers (UG1087): the address, size and status registers of both
 * channels, the SRC checksum and the safety/ECO words. They belong to the data path, which is
 * not modelled: an access is an `unimplemented` event, reads 0.
 */
export const XLNX_CSU_DMA_UNMODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'SRC_ADDR', offset: 0x000 },
  { name: 'SRC_SIZE', offset: 0x004 },
  { name: 'SRC_STS', offset: 0x008 },
  { name: 'SRC_CRC', offset: 0x010 },
  { name: 'SRC_ADDR_MSB', offset: 0x028 },
  { name: 'DST_ADDR', offset: 0x800 },
  { name: 'DST_SIZE', offset: 0x804 },
  { name: 'DST_STS', offset: 0x808 },
  { name: 'DST_ADDR_MSB', offset: 0x828 },
  { name: 'SAFETY_CHK', offset: 0xff8 },
  { name: 'FUTURE_ECO', offset: 0xffc },
]);
