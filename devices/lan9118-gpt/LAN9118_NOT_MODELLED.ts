/**
 * The LAN9118's registers that `Lan9118Gpt` does not model: the rest of the Ethernet
 * controller (SMSC LAN9118 datasheet, "System Control and Status Registers"; the FIFO ports
 * and the system CSRs around the GP timer's). The MAC CSRs and the PHY's registers are reached
 * through MAC_CSR_CMD/MAC_CSR_DATA (and the MAC's MII_ACC/MII_DATA behind them), so they are
 * covered by those two entries. An access to any of these is an `unimplemented` event, not a
 * guest error (device header, X10).
 */

/** One register (or FIFO port window) of the controller that is not modelled. */
export interface NotModelledRegister {
  /** The datasheet's mnemonic. */
  readonly name: string;
  /** First byte offset. */
  readonly offset: number;
  /** Bytes it covers (a FIFO port is aliased over 32 bytes). */
  readonly bytes: number;
  /** What it belongs to, for the event's feature text. */
  readonly part: string;
}

const reg = (name: string, offset: number, part: string, bytes = 4): NotModelledRegister => Object.freeze({ name, offset, bytes, part });

/** The controller's registers outside the GP timer and its interrupt path, by offset. */
export const LAN9118_NOT_MODELLED: readonly NotModelledRegister[] = Object.freeze([
  reg('RX_DATA_FIFO', 0x00, 'receive data FIFO port', 0x20),
  reg('TX_DATA_FIFO', 0x20, 'transmit data FIFO port', 0x20),
  reg('RX_STATUS_FIFO', 0x40, 'receive status FIFO port'),
  reg('RX_STATUS_FIFO_PEEK', 0x44, 'receive status FIFO port'),
  reg('TX_STATUS_FIFO', 0x48, 'transmit status FIFO port'),
  reg('TX_STATUS_FIFO_PEEK', 0x4c, 'transmit status FIFO port'),
  reg('FIFO_INT', 0x68, 'FIFO interrupt levels'),
  reg('RX_CFG', 0x6c, 'receiver'),
  reg('TX_CFG', 0x70, 'transmitter'),
  reg('HW_CFG', 0x74, 'hardware configuration and soft reset'),
  reg('RX_DP_CTRL', 0x78, 'receive data path'),
  reg('RX_FIFO_INF', 0x7c, 'receive FIFO levels'),
  reg('TX_FIFO_INF', 0x80, 'transmit FIFO levels'),
  reg('GPIO_CFG', 0x88, 'GPIOs and LEDs'),
  reg('WORD_SWAP', 0x98, 'host bus word order'),
  reg('FREE_RUN', 0x9c, '25 MHz free-running counter'),
  reg('RX_DROP', 0xa0, 'receiver drop counter'),
  reg('MAC_CSR_CMD', 0xa4, 'MAC CSR (and PHY) access'),
  reg('MAC_CSR_DATA', 0xa8, 'MAC CSR (and PHY) access'),
  reg('AFC_CFG', 0xac, 'automatic flow control'),
  reg('E2P_CMD', 0xb0, 'EEPROM'),
  reg('E2P_DATA', 0xb4, 'EEPROM'),
]);

/**
 * The not-modelled register at `offset`, if any. Offsets in neither this table nor the modelled
 * map (0x60, 0x94, 0xB8-0xFF: reserved in the datasheet; anything past the window) are left to
 * the register bank, which reports them as unmapped.
 * @param offset - a byte offset in the controller's window
 * @returns the register, or `undefined`
 */
export const notModelledAt = (offset: number): NotModelledRegister | undefined => BY_BYTE.get(offset);

// Asked on every access to the controller (modelled ones included): one lookup, not a scan.
const BY_BYTE: ReadonlyMap<number, NotModelledRegister> = new Map(
  LAN9118_NOT_MODELLED.flatMap((r) => Array.from({ length: r.bytes }, (_, b) => [r.offset + b, r] as const)).reverse(),
);
