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
import { bit, bits, defineRegisterMap, reg32, type FieldSpecs, type UnmodelledRegister } from '../../src/bus';

/** IEVENT's events, each cleared by writing 1 (positions from the least significant bit). */
const IEVENT_FIELDS = {
  /** Receive parser error (receiver: never set here). */
  PERR: bit(0, 'w1c'),
  /** Internal data parity error (never set here). */
  DPE: bit(1, 'w1c'),
  /** Filer queue interrupt (receiver: never set here). */
  FIQ: bit(2, 'w1c'),
  /** Filer invalid rule (receiver: never set here). */
  FIR: bit(3, 'w1c'),
  /** Filer general-purpose interrupt (receiver: never set here). */
  FGPI: bit(4, 'w1c'),
  /** Receive frame (receiver: never set here). */
  RXF: bit(7, 'w1c'),
  /** Graceful receive stop complete (receiver: never set here). */
  GRSC: bit(8, 'w1c'),
  /** MII management write complete (never set here). */
  MMRW: bit(9, 'w1c'),
  /** MII management read complete (never set here). */
  MMRD: bit(10, 'w1c'),
  /** Magic packet received (never set here). */
  MAG: bit(11, 'w1c'),
  /** Receive buffer (receiver: never set here). */
  RXB: bit(15, 'w1c'),
  /** Transmit FIFO underrun (never set here). */
  XFUN: bit(16, 'w1c'),
  /** Collision retry limit (never set here). */
  CRL: bit(17, 'w1c'),
  /** Late collision (never set here). */
  LC: bit(18, 'w1c'),
  /** Transmit frame: a poll sent a frame whose last TxBD had its interrupt bit (T3). */
  TXF: bit(20, 'w1c'),
  /** Transmit buffer (never set here: the stand-in frames are one buffer each). */
  TXB: bit(21, 'w1c'),
  /** Transmit error (never set here). */
  TXE: bit(22, 'w1c'),
  /** Transmit control frame (never set here). */
  TXC: bit(23, 'w1c'),
  /** Babbling transmit (never set here). */
  BABT: bit(24, 'w1c'),
  /** Graceful transmit stop complete (T4). */
  GTSC: bit(25, 'w1c'),
  /** MIB counter overflow (never set here). */
  MSRO: bit(26, 'w1c'),
  /** Ethernet bus error (never set here). */
  EBERR: bit(28, 'w1c'),
  /** Busy: a frame dropped for want of a receive buffer (never set here). */
  BSY: bit(29, 'w1c'),
  /** Receive control frame (never set here). */
  RXC: bit(30, 'w1c'),
  /** Babbling receive (never set here). */
  BABR: bit(31, 'w1c'),
  /** Reserved: reads 0, writes ignored (drivers write all-ones to IEVENT to clear it). */
  RSVD5: bits(5, 2, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD12: bits(12, 3, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD19: bit(19, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD27: bit(27, 'reserved'),
} as const satisfies FieldSpecs;

/** IMASK: one enable per IEVENT event, at the same position. */
const IMASK_FIELDS = {
  /** Lets PERR drive its line. */
  PERREN: bit(0, 'rw'),
  /** Lets DPE drive its line. */
  DPEEN: bit(1, 'rw'),
  /** Lets FIQ drive its line. */
  FIQEN: bit(2, 'rw'),
  /** Lets FIR drive its line. */
  FIREN: bit(3, 'rw'),
  /** Lets FGPI drive its line. */
  FGPIEN: bit(4, 'rw'),
  /** Lets RXF drive its line. */
  RXFEN: bit(7, 'rw'),
  /** Lets GRSC drive its line. */
  GRSCEN: bit(8, 'rw'),
  /** Lets MMRW drive its line. */
  MMRWEN: bit(9, 'rw'),
  /** Lets MMRD drive its line. */
  MMRDEN: bit(10, 'rw'),
  /** Lets MAG drive its line. */
  MAGEN: bit(11, 'rw'),
  /** Lets RXB drive its line. */
  RXBEN: bit(15, 'rw'),
  /** Lets XFUN drive its line. */
  XFUNEN: bit(16, 'rw'),
  /** Lets CRL drive its line. */
  CRLEN: bit(17, 'rw'),
  /** Lets LC drive its line. */
  LCEN: bit(18, 'rw'),
  /** Lets TXF drive its line. */
  TXFEN: bit(20, 'rw'),
  /** Lets TXB drive its line. */
  TXBEN: bit(21, 'rw'),
  /** Lets TXE drive its line. */
  TXEEN: bit(22, 'rw'),
  /** Lets TXC drive its line. */
  TXCEN: bit(23, 'rw'),
  /** Lets BABT drive its line. */
  BABTEN: bit(24, 'rw'),
  /** Lets GTSC drive its line. */
  GTSCEN: bit(25, 'rw'),
  /** Lets MSRO drive its line. */
  MSROEN: bit(26, 'rw'),
  /** Lets EBERR drive its line. */
  EBERREN: bit(28, 'rw'),
  /** Lets BSY drive its line. */
  BSYEN: bit(29, 'rw'),
  /** Lets RXC drive its line. */
  RXCEN: bit(30, 'rw'),
  /** Lets BABR drive its line. */
  BABREN: bit(31, 'rw'),
  /** Reserved: reads 0, writes ignored (drivers write all-ones to IEVENT to clear it). */
  RSVD5: bits(5, 2, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD12: bits(12, 3, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD19: bit(19, 'reserved'),
  /** Reserved: reads 0, writes ignored. */
  RSVD27: bit(27, 'reserved'),
} as const satisfies FieldSpecs;

/** The poll timer's registers: the interrupt events and mask, and DMA control. */
export const FSL_ETSEC_TIMER_REGISTERS = defineRegisterMap({
  /** Interrupt events, each cleared by writing 1. The model sets only TXF (a poll transmitted a frame) and GTSC (graceful transmit stop done). */
  IEVENT: reg32(0x010, IEVENT_FIELDS),
  /** Interrupt mask: 1 lets the event drive its output line (tx, rx or err). */
  IMASK: reg32(0x014, IMASK_FIELDS),
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
export const FSL_ETSEC_TX_EVENTS = FSL_ETSEC_TIMER_REGISTERS.byName.IEVENT.fieldByName.TXF.mask | FSL_ETSEC_TIMER_REGISTERS.byName.IEVENT.fieldByName.TXB.mask;
/** IEVENT's receive events (the `rx` line). */
export const FSL_ETSEC_RX_EVENTS = FSL_ETSEC_TIMER_REGISTERS.byName.IEVENT.fieldByName.RXF.mask | FSL_ETSEC_TIMER_REGISTERS.byName.IEVENT.fieldByName.RXB.mask;

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
