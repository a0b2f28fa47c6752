/**
 * Register map of the timestamp part of the Xilinx Zynq UltraScale+ (ZynqMP) CAN controller
 * (UG1085 "CAN Controller", UG1087 register reference, module `CAN`), keyed by the manual's
 * mnemonics, offsets from the controller's base. Only the registers that start, clear, show
 * or capture the 16-bit timestamp counter are here; every other register of the controller
 * is listed in `XLNX_ZYNQMP_CAN_NOT_MODELLED` and reached as an `unimplemented` event.
 * Behaviour lives in `XlnxCanTimestamp` (see its header for every decision).
 *
 * All registers are 32-bit and take 32-bit accesses only (device header, X9).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** SRR and SR, the same in both controllers (ZynqMP CAN and Versal CAN-FD). */
export const XLNX_CAN_MODE_REGISTERS = {
  /** Software reset register: reset and the configuration/operation switch that gates the counter (X2, X5). */
  SRR: reg32(0x000, {
    /** Write 1: reset the controller (registers to reset values, CEN 0, the counter cleared); reads 0 (X5). */
    SRST: bit(0, 'wo'),
    /** CAN enable: 0 configuration mode (the counter held at 0), 1 operation (the counter runs) (X2). */
    CEN: bit(1),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(2, 30, 'reserved'),
  }),
  /** Status register (read hook: CONFIG is SRR.CEN inverted). The other status bits belong to the controller: they read 0 (X8). */
  SR: reg32(
    0x018,
    {
      /** 1 in configuration mode (SRR.CEN 0): what Linux's probe and reset wait for. */
      CONFIG: bit(0, 'ro'),
    },
    { access: 'ro', reset: 0x1 },
  ),
} as const;

/** The ZynqMP CAN controller's timestamp registers. */
export const XLNX_ZYNQMP_CAN_REGISTERS = defineRegisterMap({
  ...XLNX_CAN_MODE_REGISTERS,
  /** Timestamp control register: stores nothing. */
  TCR: reg32(0x028, {
    /** Write 1: clear the timestamp counter (X3); reads 0. */
    CTS: bit(0, 'wo'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED: bits(1, 31, 'reserved'),
  }),
  /**
   * RX FIFO data length code word of the frame at the head of the RX FIFO: only its timestamp is
   * modelled, the counter's value when the last frame was stored (`captureRxTimestamp`, X6). DLC
   * (bits 31:28) belongs to the controller and reads 0. Read-only: the manual ignores writes to
   * the RX FIFO; here a write is a `read-only` guest error.
   */
  RXFIFO_DLC: reg32(
    0x054,
    {
      /** RX timestamp: the counter's value when the frame was stored. */
      RXT: bits(0, 16, 'ro'),
    },
    { access: 'ro' },
  ),
});
