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
    /** Enable of the arbitration lost interrupt (the controller's: stored, not acted on). */
    EARBLST: other(0),
    /** Enable of the transmission done interrupt (the controller's: stored, not acted on). */
    ETXOK: other(1),
    /** Enable of the protocol exception event interrupt (the controller's: stored, not acted on). */
    EPEE: other(2),
    /** Enable of the bus-off recovery done interrupt (the controller's: stored, not acted on). */
    EBSFRD: other(3),
    /** Enable of the frame received interrupt (the controller's: stored, not acted on). */
    ERXOK: other(4),
    /** Enable of the timestamp overflow interrupt: the line is ISR.TSCNT_OFLW && IER.ETSCNT_OFLW. */
    ETSCNT_OFLW: bit(5),
    /** Enable of the RX FIFO 0 overflow interrupt (the controller's: stored, not acted on). */
    ERXFOFLW: other(6),
    /** Reserved: reads 0, writes ignored. */
    RESERVED7: bit(7, 'reserved'),
    /** Enable of the error interrupt (the controller's: stored, not acted on). */
    EERROR: other(8),
    /** Enable of the bus off interrupt (the controller's: stored, not acted on). */
    EBSOFF: other(9),
    /** Enable of the sleep interrupt (the controller's: stored, not acted on). */
    ESLP: other(10),
    /** Enable of the wake-up interrupt (the controller's: stored, not acted on). */
    EWKUP: other(11),
    /** Enable of the RX FIFO 0 watermark full interrupt (the controller's: stored, not acted on). */
    ERXFWMFLL: other(12),
    /** Enable of the TX buffer ready request served interrupt (the controller's: stored, not acted on). */
    ETXRRS: other(13),
    /** Enable of the TX buffer cancel request served interrupt (the controller's: stored, not acted on). */
    ETXCRS: other(14),
    /** Enable of the RX FIFO 1 overflow interrupt (the controller's: stored, not acted on). */
    ERXFOFLW_1: other(15),
    /** Enable of the RX FIFO 1 watermark full interrupt (the controller's: stored, not acted on). */
    ERXFWMFLL_1: other(16),
    /** Enable of the RX match not finished interrupt (the controller's: stored, not acted on). */
    ERXMNF: other(17),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(18, 12, 'reserved'),
    /** Enable of the TX event FIFO overflow interrupt (the controller's: stored, not acted on). */
    ETXEOFLW: other(30),
    /** Enable of the TX event FIFO watermark full interrupt (the controller's: stored, not acted on). */
    ETXEWMFLL: other(31),
  }),
  /** Interrupt clear register: write-only, stores nothing; CTSCNT_OFLW = 1 clears ISR.TSCNT_OFLW, a 1 in another clear bit is reported. */
  ICR: reg32(
    0x024,
    {
      /** Write 1: clear the arbitration lost status (the controller's: reported, not acted on). */
      CARBLST: other(0),
      /** Write 1: clear the transmission done status (the controller's: reported, not acted on). */
      CTXOK: other(1),
      /** Write 1: clear the protocol exception event status (the controller's: reported, not acted on). */
      CPEE: other(2),
      /** Write 1: clear the bus-off recovery done status (the controller's: reported, not acted on). */
      CBSFRD: other(3),
      /** Write 1: clear the frame received status (the controller's: reported, not acted on). */
      CRXOK: other(4),
      /** Write 1: clear ISR.TSCNT_OFLW. */
      CTSCNT_OFLW: bit(5, 'wo'),
      /** Write 1: clear the RX FIFO 0 overflow status (the controller's: reported, not acted on). */
      CRXFOFLW: other(6),
      /** Reserved: writes ignored. */
      RESERVED7: bit(7, 'reserved'),
      /** Write 1: clear the error status (the controller's: reported, not acted on). */
      CERROR: other(8),
      /** Write 1: clear the bus off status (the controller's: reported, not acted on). */
      CBSOFF: other(9),
      /** Write 1: clear the sleep status (the controller's: reported, not acted on). */
      CSLP: other(10),
      /** Write 1: clear the wake-up status (the controller's: reported, not acted on). */
      CWKUP: other(11),
      /** Write 1: clear the RX FIFO 0 watermark full status (the controller's: reported, not acted on). */
      CRXFWMFLL: other(12),
      /** Write 1: clear the TX buffer ready request served status (the controller's: reported, not acted on). */
      CTXRRS: other(13),
      /** Write 1: clear the TX buffer cancel request served status (the controller's: reported, not acted on). */
      CTXCRS: other(14),
      /** Write 1: clear the RX FIFO 1 overflow status (the controller's: reported, not acted on). */
      CRXFOFLW_1: other(15),
      /** Write 1: clear the RX FIFO 1 watermark full status (the controller's: reported, not acted on). */
      CRXFWMFLL_1: other(16),
      /** Write 1: clear the RX match not finished status (the controller's: reported, not acted on). */
      CRXMNF: other(17),
      /** Reserved: writes ignored. */
      RESERVED: bits(18, 12, 'reserved'),
      /** Write 1: clear the TX event FIFO overflow status (the controller's: reported, not acted on). */
      CTXEOFLW: other(30),
      /** Write 1: clear the TX event FIFO watermark full status (the controller's: reported, not acted on). */
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
