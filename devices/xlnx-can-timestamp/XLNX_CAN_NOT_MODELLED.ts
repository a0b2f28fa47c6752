/**
 * The registers of the two CAN controllers that the timestamp model does not hold: the
 * CAN protocol engine, its FIFOs and buffers, acceptance filters and bit timing. Every
 * 32-bit access to one of them is an `unimplemented` event naming it (a read returns 0, a
 * write changes nothing); an access of another size is a `bad-size` guest error, as for
 * the modelled registers (device header, X9). Offsets of the controller's space that are
 * in no list and hold no modelled register are `unmapped` guest errors.
 */

/** A register, or a block of registers, of the controller that is not modelled. */
export interface XlnxCanUnmodelledRegister {
  /** The manual's name of the register or block. */
  readonly name: string;
  /** First byte offset. */
  readonly from: number;
  /** One past the last byte offset. */
  readonly to: number;
}

const reg = (name: string, offset: number): XlnxCanUnmodelledRegister => Object.freeze({ name, from: offset, to: offset + 4 });
const block = (name: string, from: number, to: number): XlnxCanUnmodelledRegister => Object.freeze({ name, from, to });

/** ZynqMP CAN (UG1087 module `CAN`): every register besides SRR, SR, TCR and RXFIFO_DLC. */
export const XLNX_ZYNQMP_CAN_NOT_MODELLED: readonly XlnxCanUnmodelledRegister[] = Object.freeze([
  reg('MSR', 0x04),
  reg('BRPR', 0x08),
  reg('BTR', 0x0c),
  reg('ECR', 0x10),
  reg('ESR', 0x14),
  reg('ISR', 0x1c),
  reg('IER', 0x20),
  reg('ICR', 0x24),
  reg('WIR', 0x2c),
  reg('TXFIFO_ID', 0x30),
  reg('TXFIFO_DLC', 0x34),
  reg('TXFIFO_DATA1', 0x38),
  reg('TXFIFO_DATA2', 0x3c),
  reg('TXHPB_ID', 0x40),
  reg('TXHPB_DLC', 0x44),
  reg('TXHPB_DATA1', 0x48),
  reg('TXHPB_DATA2', 0x4c),
  reg('RXFIFO_ID', 0x50),
  reg('RXFIFO_DATA1', 0x58),
  reg('RXFIFO_DATA2', 0x5c),
  reg('AFR', 0x60),
  reg('AFMR1', 0x64),
  reg('AFIR1', 0x68),
  reg('AFMR2', 0x6c),
  reg('AFIR2', 0x70),
  reg('AFMR3', 0x74),
  reg('AFIR3', 0x78),
  reg('AFMR4', 0x7c),
  reg('AFIR4', 0x80),
]);

/**
 * Versal CAN-FD (PG223 v2.0 register space): every register besides SRR, SR, ISR, IER, ICR,
 * TSR and RX FIFO 0 buffer 0's DLC word; the message buffers as blocks (RX FIFO 0's block
 * around the modelled RB_DLC).
 */
export const XLNX_VERSAL_CANFD_NOT_MODELLED: readonly XlnxCanUnmodelledRegister[] = Object.freeze([
  reg('MSR', 0x04),
  reg('BRPR', 0x08),
  reg('BTR', 0x0c),
  reg('ECR', 0x10),
  reg('ESR', 0x14),
  reg('F_BRPR', 0x88),
  reg('F_BTR', 0x8c),
  reg('TRR', 0x90),
  reg('IETRS', 0x94),
  reg('TCR', 0x98),
  reg('IETCS', 0x9c),
  reg('TXE_FSR', 0xa0),
  reg('TXE_WIR', 0xa4),
  reg('RCS0', 0xb0),
  reg('RCS1', 0xb4),
  reg('RCS2', 0xb8),
  reg('RXBFLL1', 0xc0),
  reg('RXBFLL2', 0xc4),
  reg('AFR', 0xe0),
  reg('FSR', 0xe8),
  reg('WIR', 0xec),
  block('TX message buffers', 0x100, 0xa00),
  block('acceptance filter mask/ID pairs', 0xa00, 0xb00),
  block('TX event FIFO (its DLC words hold transmit timestamps)', 0x2000, 0x2100),
  block('RX FIFO 0 message buffers', 0x2100, 0x3300),
  block('RX FIFO 1 message buffers', 0x4100, 0x5300),
]);
