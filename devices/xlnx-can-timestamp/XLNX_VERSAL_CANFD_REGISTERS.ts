/**
 * Register map of the timestamp part of the Xilinx Versal CAN-FD controller (PG223 "CAN FD"
 * v2.0, the core Versal integrates; AM011 for the Versal address map), keyed by the manual's
 * mnemonics, offsets from the controller's base. Only the registers that start, clear, show or
 * capture the 16-bit timestamp counter, and its overflow interrupt, are here; every other
 * register of the controller is listed in `XLNX_VERSAL_CANFD_NOT_MODELLED` and reached as an
 * `unimplemented` event. Behaviour lives in `XlnxCanTimestamp` (see its header).
 *
 * All registers are 32-bit and take 32-bit accesses only (device header, X9).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';
import { XLNX_CAN_MODE_REGISTERS } from './XLNX_ZYNQMP_CAN_REGISTERS';

/** An interrupt bit of the controller that the timestamp model does not drive: stored and read back, reported when written 1. */
const other = (n: number) => bit(n, 'unimplemented');

/** The Versal CAN-FD controller's timestamp registers. */
export const XLNX_VERSAL_CANFD_REGISTERS = defineRegisterMap({
  ...XLNX_CAN_MODE_REGISTERS,
  /** Interrupt status register: only TSCNT_OFLW is modelled; the controller's other status bits read 0 (X8). */
  ISR: reg32(
    0x01c,
    {
      /** Timestamp counter overflow: set when the counter wraps from 0xFFFF to 0 (X4); cleared by ICR.CTSCNT_OFLW. */
      TSCNT_OFLW: bit(5, 'ro'),
    },
    { access: 'ro' },
  ),
  /** Interrupt enable register: ETSCNT_OFLW is modelled; the other enables are stored and read back (a driver's read-modify-write keeps them) and reported. */
  IER: reg32(0x020, {
    EARBLST: other(0),
    ETXOK: other(1),
    EPEE: other(2),
    EBSFRD: other(3),
    ERXOK: other(4),
    /** Enable of the timestamp overflow interrupt: the line is ISR.TSCNT_OFLW && IER.ETSCNT_OFLW. */
    ETSCNT_OFLW: bit(5),
    ERXFOFLW: other(6),
    /** Reserved: reads 0, writes ignored. */
    RESERVED7: bit(7, 'reserved'),
    EERROR: other(8),
    EBSOFF: other(9),
    ESLP: other(10),
    EWKUP: other(11),
    ERXFWMFLL: other(12),
    ETXRRS: other(13),
    ETXCRS: other(14),
    ERXFOFLW_1: other(15),
    ERXFWMFLL_1: other(16),
    ERXMNF: other(17),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(18, 12, 'reserved'),
    ETXEOFLW: other(30),
    ETXEWMFLL: other(31),
  }),
  /** Interrupt clear register: write-only, stores nothing; CTSCNT_OFLW = 1 clears ISR.TSCNT_OFLW, a 1 in another clear bit is reported. */
  ICR: reg32(
    0x024,
    {
      CARBLST: other(0),
      CTXOK: other(1),
      CPEE: other(2),
      CBSFRD: other(3),
      CRXOK: other(4),
      /** Write 1: clear ISR.TSCNT_OFLW. */
      CTSCNT_OFLW: bit(5, 'wo'),
      CRXFOFLW: other(6),
      /** Reserved: writes ignored. */
      RESERVED7: bit(7, 'reserved'),
      CERROR: other(8),
      CBSOFF: other(9),
      CSLP: other(10),
      CWKUP: other(11),
      CRXFWMFLL: other(12),
      CTXRRS: other(13),
      CTXCRS: other(14),
      CRXFOFLW_1: other(15),
      CRXFWMFLL_1: other(16),
      CRXMNF: other(17),
      /** Reserved: writes ignored. */
      RESERVED: bits(18, 12, 'reserved'),
      CTXEOFLW: other(30),
      CTXEWMFLL: other(31),
    },
    { access: 'wo' },
  ),
  /** Timestamp register (read hook: TIMESTAMP_CNT is the counter now, X7); stores nothing. */
  TSR: reg32(0x028, {
    /** Write 1: clear the timestamp counter (X3); reads 0. */
    CTS: bit(0, 'wo'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 15, 'reserved'),
    /** The timestamp counter's value. */
    TIMESTAMP_CNT: bits(16, 16, 'ro'),
  }),
  /**
   * DLC word of RX FIFO 0's message buffer 0 (the buffer a driver reads first after reset): only
   * its timestamp is modelled, the counter's value when the last frame was stored
   * (`captureRxTimestamp`, X6). DLC, FDF, BRS, ESI and the matched filter index belong to the
   * controller and read 0. Read-only (a write is a `read-only` guest error).
   */
  RB_DLC: reg32(
    0x2104,
    {
      /** RX timestamp: the counter's value when the frame was stored. */
      TIMESTAMP: bits(0, 16, 'ro'),
    },
    { access: 'ro' },
  ),
});
