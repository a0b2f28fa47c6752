/**
 * The Freescale eTSEC registers its transmit poll timer uses, at their real offsets in the
 * controller's 4 KiB register block (MPC8548E / P2020 reference manuals, "Enhanced Three-Speed
 * Ethernet Controllers", register names as the manuals and Linux's gianfar.h spell them; bit
 * positions below are counted from the least significant bit, the manuals count from the most).
 * Behaviour lives in `FslEtsecTimer` (see its header for every decision); the controller's other
 * registers are listed in `FSL_ETSEC_NOT_MODELLED` and are not in this map.
 *
 * Every register is 32 bits and takes 32-bit accesses only (device header, T9).
 */
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type FieldSpec, type UnmodelledRegister } from '../../src/bus';

/** The interrupt event bits (IEVENT) by position; IMASK has the same with an `EN` suffix. */
const EVENTS = {
  PERR: 0,
  DPE: 1,
  FIQ: 2,
  FIR: 3,
  FGPI: 4,
  RXF: 7,
  GRSC: 8,
  MMRW: 9,
  MMRD: 10,
  MAG: 11,
  RXB: 15,
  XFUN: 16,
  CRL: 17,
  LC: 18,
  TXF: 20,
  TXB: 21,
  TXE: 22,
  TXC: 23,
  BABT: 24,
  GTSC: 25,
  MSRO: 26,
  EBERR: 28,
  BSY: 29,
  RXC: 30,
  BABR: 31,
} as const;

/** The bits between the events: reserved (drivers write all-ones to IEVENT to clear it, so they stay silent). */
const GAPS = { RSVD5: bits(5, 2, 'reserved'), RSVD12: bits(12, 3, 'reserved'), RSVD19: bit(19, 'reserved'), RSVD27: bit(27, 'reserved') } as const;

const eventFields = <S extends string>(suffix: S, mode: 'w1c' | 'rw') => ({
  ...(Object.fromEntries(Object.entries(EVENTS).map(([name, at]) => [`${name}${suffix}`, bit(at, mode)])) as { readonly [K in keyof typeof EVENTS as `${K}${S}`]: FieldSpec }),
  ...GAPS,
});

/** The poll timer's registers: the interrupt events and mask, and DMA control. */
export const FSL_ETSEC_TIMER_REGISTERS = defineRegisterMap({
  /** Interrupt events, each cleared by writing 1. The model sets only TXF (a poll transmitted a frame) and GTSC (graceful transmit stop done). */
  IEVENT: reg32(0x010, eventFields('', 'w1c') satisfies FieldSpecs),
  /** Interrupt mask: 1 lets the event drive its output line (tx, rx or err). */
  IMASK: reg32(0x014, eventFields('EN', 'rw') satisfies FieldSpecs),
  /** DMA control. */
  DMACTRL: reg32(0x02c, {
    /** Wait or poll: 0 polls the TxBD ring every `pollCycles` transmit clocks, 1 waits for software (T2). */
    WOP: bit(0),
    /** Write-with-response for TxBD updates: stored, the descriptor memory is not modelled. */
    WWR: bit(1, 'unimplemented'),
    /** Transmit on demand: stored, the descriptor ring is not modelled (T8). */
    TOD: bit(2, 'unimplemented'),
    /** Graceful transmit stop: 1 stops transmission (and polling) and sets IEVENT.GTSC (T4). */
    GTS: bit(3),
    /** Graceful receive stop: stored, the receiver is not modelled. */
    GRS: bit(4, 'unimplemented'),
    /** TxBD snooping: stored, the descriptor memory is not modelled. */
    TBDSEN: bit(6, 'unimplemented'),
    /** Transmit data snooping: stored, the data path is not modelled. */
    TDSEN: bit(7, 'unimplemented'),
    /** Little-endian descriptors: stored, the descriptor memory is not modelled. */
    LE: bits(15, 1, 'unimplemented'),
  }),
});

/** IEVENT's transmit events (the `tx` line), receive events (`rx`) and the rest (`err`), as gianfar routes them. */
export const FSL_ETSEC_TX_EVENTS = (1 << EVENTS.TXF) | (1 << EVENTS.TXB);
/** IEVENT's receive events (the `rx` line). */
export const FSL_ETSEC_RX_EVENTS = (1 << EVENTS.RXF) | (1 << EVENTS.RXB);

const range = (name: string, first: number, count: number, stride: number, from = 0): UnmodelledRegister[] =>
  Array.from({ length: count }, (_, i) => ({ name: `${name}${i + from}`, offset: first + i * stride }));

/** The eTSEC's other registers (T9): accesses are `unimplemented` events reading 0. */
export const FSL_ETSEC_NOT_MODELLED: readonly UnmodelledRegister[] = Object.freeze([
  { name: 'TSEC_ID', offset: 0x000 },
  { name: 'TSEC_ID2', offset: 0x004 },
  { name: 'EDIS', offset: 0x018 },
  { name: 'ECNTRL', offset: 0x020 },
  { name: 'PTV', offset: 0x028 },
  { name: 'TBIPA', offset: 0x030 },
  { name: 'TCTRL', offset: 0x100 },
  { name: 'TSTAT', offset: 0x104 },
  { name: 'DFVLAN', offset: 0x108 },
  { name: 'TXIC', offset: 0x110 },
  { name: 'TQUEUE', offset: 0x114 },
  { name: 'TR03WT', offset: 0x140 },
  { name: 'TR47WT', offset: 0x144 },
  { name: 'TBDBPH', offset: 0x180 },
  ...range('TBPTR', 0x184, 8, 8),
  { name: 'TBASEH', offset: 0x200 },
  ...range('TBASE', 0x204, 8, 8),
  { name: 'TMR_TXTS1_ID', offset: 0x280 },
  { name: 'TMR_TXTS2_ID', offset: 0x284 },
  { name: 'TMR_TXTS1_H', offset: 0x2c0 },
  { name: 'TMR_TXTS1_L', offset: 0x2c4 },
  { name: 'TMR_TXTS2_H', offset: 0x2c8 },
  { name: 'TMR_TXTS2_L', offset: 0x2cc },
  { name: 'RCTRL', offset: 0x300 },
  { name: 'RSTAT', offset: 0x304 },
  { name: 'RXIC', offset: 0x310 },
  { name: 'RQUEUE', offset: 0x314 },
  { name: 'RBIFX', offset: 0x330 },
  { name: 'RQFAR', offset: 0x334 },
  { name: 'RQFCR', offset: 0x338 },
  { name: 'RQFPR', offset: 0x33c },
  { name: 'MRBLR', offset: 0x340 },
  { name: 'RBDBPH', offset: 0x380 },
  ...range('RBPTR', 0x384, 8, 8),
  { name: 'RBASEH', offset: 0x400 },
  ...range('RBASE', 0x404, 8, 8),
  { name: 'TMR_RXTS_H', offset: 0x4c0 },
  { name: 'TMR_RXTS_L', offset: 0x4c4 },
  { name: 'MACCFG1', offset: 0x500 },
  { name: 'MACCFG2', offset: 0x504 },
  { name: 'IPGIFG', offset: 0x508 },
  { name: 'HAFDUP', offset: 0x50c },
  { name: 'MAXFRM', offset: 0x510 },
  { name: 'MIIMCFG', offset: 0x520 },
  { name: 'MIIMCOM', offset: 0x524 },
  { name: 'MIIMADD', offset: 0x528 },
  { name: 'MIIMCON', offset: 0x52c },
  { name: 'MIIMSTAT', offset: 0x530 },
  { name: 'MIIMIND', offset: 0x534 },
  { name: 'IFSTAT', offset: 0x53c },
  { name: 'MACSTNADDR1', offset: 0x540 },
  { name: 'MACSTNADDR2', offset: 0x544 },
  ...Array.from({ length: 15 }, (_, i) => [
    { name: `MAC${String(i + 1).padStart(2, '0')}ADDR1`, offset: 0x548 + 8 * i },
    { name: `MAC${String(i + 1).padStart(2, '0')}ADDR2`, offset: 0x54c + 8 * i },
  ]).flat(),
  // The RMON counters (transmit and receive statistics), the carry and mask registers.
  ...[
    'TR64', 'TR127', 'TR255', 'TR511', 'TR1K', 'TRMAX', 'TRMGV', 'RBYT', 'RPKT', 'RFCS', 'RMCA', 'RBCA', 'RXCF', 'RXPF', 'RXUO', 'RALN', 'RFLR', 'RCDE', 'RCSE',
    'RUND', 'ROVR', 'RFRG', 'RJBR', 'RDRP', 'TBYT', 'TPKT', 'TMCA', 'TBCA', 'TXPF', 'TDFR', 'TEDF', 'TSCL', 'TMCL', 'TLCL', 'TXCL', 'TNCL',
  ].map((name, i) => ({ name, offset: 0x680 + 4 * i })),
  ...['TDRP', 'TJBR', 'TFCS', 'TXCF', 'TOVR', 'TUND', 'TFRG', 'CAR1', 'CAR2', 'CAM1', 'CAM2', 'RREJ'].map((name, i) => ({ name, offset: 0x714 + 4 * i })),
  ...range('IGADDR', 0x800, 8, 4),
  ...range('GADDR', 0x880, 8, 4),
  { name: 'ATTR', offset: 0xbf8 },
  { name: 'ATTRELI', offset: 0xbfc },
  ...range('RQPRM', 0xc00, 8, 4),
  ...range('RFBPTR', 0xc44, 8, 8),
  // The IEEE 1588 timer (a separate timer of the eTSEC, not the poll timer).
  ...['TMR_CTRL', 'TMR_TEVENT', 'TMR_TEMASK', 'TMR_PEVENT', 'TMR_PEMASK', 'TMR_STAT', 'TMR_CNT_H', 'TMR_CNT_L', 'TMR_ADD', 'TMR_ACC', 'TMR_PRSC'].map((name, i) => ({ name, offset: 0xe00 + 4 * i })),
  { name: 'TMROFF_H', offset: 0xe30 },
  { name: 'TMROFF_L', offset: 0xe34 },
  { name: 'TMR_ALARM1_H', offset: 0xe40 },
  { name: 'TMR_ALARM1_L', offset: 0xe44 },
  { name: 'TMR_ALARM2_H', offset: 0xe48 },
  { name: 'TMR_ALARM2_L', offset: 0xe4c },
  ...range('TMR_FIPER', 0xe80, 3, 4, 1),
  { name: 'TMR_ETTS1_H', offset: 0xea0 },
  { name: 'TMR_ETTS1_L', offset: 0xea4 },
  { name: 'TMR_ETTS2_H', offset: 0xea8 },
  { name: 'TMR_ETTS2_L', offset: 0xeac },
]);
