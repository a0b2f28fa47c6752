/**
 * The SMSC LAN9118 system control and status registers that its general-purpose timer (GP
 * timer) and its interrupt path use, at their real offsets in the controller's 256-byte
 * register window (SMSC LAN9118 datasheet, "System Control and Status Registers"; the names
 * are the datasheet's, as Linux's smsc911x.h and Arm's Corstone SVD spell them). Behaviour
 * lives in `Lan9118Gpt` (see its header for every decision); the controller's other registers
 * are listed in `LAN9118_NOT_MODELLED` and are not in this map.
 *
 * Every register is 32 bits and takes 32-bit accesses only (device header, X9). In INT_STS and
 * INT_EN only the GP timer's bit and the software interrupt's are modelled; the other sources
 * (FIFOs, MAC, PHY, GPIOs, power management) are declared so that a driver's read-modify-write
 * keeps its meaning, but they never become pending (X7).
 */
import { bit, bits, defineRegisterMap, reg32 } from '../../src/bus';

/** The registers of the GP timer and of the interrupt path it raises (offsets from the controller's base). */
export const LAN9118_GPT_REGISTERS = defineRegisterMap({
  /** ID_REV (read hook: the `idRev` option): chip ID and revision, read by every driver's probe. */
  ID_REV: reg32(
    0x50,
    {
      /** Revision of the chip (LAN9118 rev. B: 1). */
      REV_ID: bits(0, 16, 'ro'),
      /** The chip: 0x0118 for the LAN9118. */
      CHIP_ID: bits(16, 16, 'ro'),
    },
    { access: 'ro', reset: 0x0118_0001 },
  ),
  /** IRQ_CFG: the IRQ pin's configuration and the master interrupt status (Linux: INT_CFG). */
  IRQ_CFG: reg32(0x54, {
    /** IRQ buffer type: 1 push-pull, 0 open-drain. Stored only: the pin's electrical form is not modelled (X8). */
    IRQ_TYPE: bit(0),
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bits(1, 3, 'reserved'),
    /** IRQ polarity: 1 active high, 0 active low. Stored only: the line is the logical request (X8). */
    IRQ_POL: bit(4),
    /** Reserved: reads 0, writes ignored. */
    RESERVED1: bits(5, 3, 'reserved'),
    /** Enables the IRQ output; internal status is unaffected. */
    IRQ_EN: bit(8),
    /** Reserved: reads 0, writes ignored. */
    RESERVED2: bits(9, 3, 'reserved'),
    /** Master interrupt: some enabled source is pending (INT_STS & INT_EN), whatever IRQ_EN says. */
    IRQ_INT: bit(12, 'ro'),
    /** The de-assertion interval is running: never, as it is not modelled (X8). */
    INT_DEAS_STS: bit(13, 'ro'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED3: bits(14, 10, 'reserved'),
    /** Interrupt de-assertion interval, 10 µs units: stored, not applied (X8). */
    INT_DEAS: bits(24, 8, 'unimplemented'),
  }),
  /** INT_STS: the interrupt sources' status, each bit cleared by writing 1. */
  INT_STS: reg32(0x58, {
    /** GPIO0 input event: a source not modelled, never set (X7). */
    GPIO0_INT: bit(0, 'w1c'),
    /** GPIO1 input event: a source not modelled, never set (X7). */
    GPIO1_INT: bit(1, 'w1c'),
    /** GPIO2 input event: a source not modelled, never set (X7). */
    GPIO2_INT: bit(2, 'w1c'),
    /** RX status FIFO at its level: a source not modelled, never set (X7). */
    RSFL: bit(3, 'w1c'),
    /** RX status FIFO full: a source not modelled, never set (X7). */
    RSFF: bit(4, 'w1c'),
    /** RX data FIFO at its level: a source not modelled, never set (X7). */
    RDFL: bit(5, 'w1c'),
    /** RX data FIFO overrun: a source not modelled, never set (X7). */
    RXDF: bit(6, 'w1c'),
    /** TX status FIFO at its level: a source not modelled, never set (X7). */
    TSFL: bit(7, 'w1c'),
    /** TX status FIFO full: a source not modelled, never set (X7). */
    TSFF: bit(8, 'w1c'),
    /** TX data FIFO space available: a source not modelled, never set (X7). */
    TDFA: bit(9, 'w1c'),
    /** TX data FIFO overrun: a source not modelled, never set (X7). */
    TDFO: bit(10, 'w1c'),
    /** TX data FIFO underrun: a source not modelled, never set (X7). */
    TDFU: bit(11, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bit(12, 'reserved'),
    /** Transmitter error: a source not modelled, never set (X7). */
    TXE: bit(13, 'w1c'),
    /** Receiver error: a source not modelled, never set (X7). */
    RXE: bit(14, 'w1c'),
    /** Receive watchdog time-out: a source not modelled, never set (X7). */
    RWT: bit(15, 'w1c'),
    /** TX status FIFO overflow: a source not modelled, never set (X7). */
    TXSO: bit(16, 'w1c'),
    /** Power management event: a source not modelled, never set (X7). */
    PME_INT: bit(17, 'w1c'),
    /** The PHY's interrupt: read-only (cleared in the PHY); a source not modelled, never set (X7). */
    PHY_INT: bit(18, 'ro'),
    /** The GP timer counted down to 0 (X1, X2). */
    GPT_INT: bit(19, 'w1c'),
    /** RX DMA done: a source not modelled, never set (X7). */
    RXD_INT: bit(20, 'w1c'),
    /** TX packet completed: a source not modelled, never set (X7). */
    TIOC_INT: bit(21, 'w1c'),
    /** RX frame dropped (the name Linux gives bit 22): a source not modelled, never set (X7). */
    RXDF_INT: bit(22, 'w1c'),
    /** RX dropped-frame counter half-way: a source not modelled, never set (X7). */
    RXDFH_INT: bit(23, 'w1c'),
    /** Receiver stopped: a source not modelled, never set (X7). */
    RXSTOP_INT: bit(24, 'w1c'),
    /** Transmitter stopped: a source not modelled, never set (X7). */
    TXSTOP_INT: bit(25, 'w1c'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED1: bits(26, 5, 'reserved'),
    /** The software interrupt: set by an INT_EN write with SW_INT_EN set (X6). */
    SW_INT: bit(31, 'w1c'),
  }),
  /** INT_EN: which INT_STS sources drive IRQ_INT (and so the IRQ pin). */
  INT_EN: reg32(0x5c, {
    /** Enables GPIO0 input event: not modelled, stored and reported when written 1 (X7). */
    GPIO0_INT_EN: bit(0, 'unimplemented'),
    /** Enables GPIO1 input event: not modelled, stored and reported when written 1 (X7). */
    GPIO1_INT_EN: bit(1, 'unimplemented'),
    /** Enables GPIO2 input event: not modelled, stored and reported when written 1 (X7). */
    GPIO2_INT_EN: bit(2, 'unimplemented'),
    /** Enables RX status FIFO at its level: not modelled, stored and reported when written 1 (X7). */
    RSFL_EN: bit(3, 'unimplemented'),
    /** Enables RX status FIFO full: not modelled, stored and reported when written 1 (X7). */
    RSFF_EN: bit(4, 'unimplemented'),
    /** Enables RX data FIFO at its level: not modelled, stored and reported when written 1 (X7). */
    RDFL_EN: bit(5, 'unimplemented'),
    /** Enables RX data FIFO overrun: not modelled, stored and reported when written 1 (X7). */
    RXDF_EN: bit(6, 'unimplemented'),
    /** Enables TX status FIFO at its level: not modelled, stored and reported when written 1 (X7). */
    TSFL_EN: bit(7, 'unimplemented'),
    /** Enables TX status FIFO full: not modelled, stored and reported when written 1 (X7). */
    TSFF_EN: bit(8, 'unimplemented'),
    /** Enables TX data FIFO space available: not modelled, stored and reported when written 1 (X7). */
    TDFA_EN: bit(9, 'unimplemented'),
    /** Enables TX data FIFO overrun: not modelled, stored and reported when written 1 (X7). */
    TDFO_EN: bit(10, 'unimplemented'),
    /** Enables TX data FIFO underrun: not modelled, stored and reported when written 1 (X7). */
    TDFU_EN: bit(11, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED0: bit(12, 'reserved'),
    /** Enables transmitter error: not modelled, stored and reported when written 1 (X7). */
    TXE_EN: bit(13, 'unimplemented'),
    /** Enables receiver error: not modelled, stored and reported when written 1 (X7). */
    RXE_EN: bit(14, 'unimplemented'),
    /** Enables receive watchdog time-out: not modelled, stored and reported when written 1 (X7). */
    RWT_EN: bit(15, 'unimplemented'),
    /** Enables TX status FIFO overflow: not modelled, stored and reported when written 1 (X7). */
    TXSO_EN: bit(16, 'unimplemented'),
    /** Enables power management event: not modelled, stored and reported when written 1 (X7). */
    PME_INT_EN: bit(17, 'unimplemented'),
    /** Enables the PHY's interrupt: not modelled, stored and reported when written 1 (X7). */
    PHY_INT_EN: bit(18, 'unimplemented'),
    /** GPT_INT drives IRQ_INT. */
    GPT_INT_EN: bit(19),
    /** Enables RX DMA done: not modelled, stored and reported when written 1 (X7). */
    RXD_INT_EN: bit(20, 'unimplemented'),
    /** Enables TX packet completed: not modelled, stored and reported when written 1 (X7). */
    TIOC_INT_EN: bit(21, 'unimplemented'),
    /** Enables RX frame dropped (the name Linux gives bit 22): not modelled, stored and reported when written 1 (X7). */
    RXDF_INT_EN: bit(22, 'unimplemented'),
    /** Enables RX dropped-frame counter half-way: not modelled, stored and reported when written 1 (X7). */
    RXDFH_INT_EN: bit(23, 'unimplemented'),
    /** Enables receiver stopped: not modelled, stored and reported when written 1 (X7). */
    RXSTOP_INT_EN: bit(24, 'unimplemented'),
    /** Enables transmitter stopped: not modelled, stored and reported when written 1 (X7). */
    TXSTOP_INT_EN: bit(25, 'unimplemented'),
    /** Reserved: reads 0, writes ignored. */
    RESERVED1: bits(26, 5, 'reserved'),
    /** SW_INT drives IRQ_INT; every write of it as 1 also raises SW_INT (X6). */
    SW_INT_EN: bit(31),
  }),
  /** BYTE_TEST: a fixed pattern for the host to check byte order and bus width. A write is the power-saving wake-up (X11). */
  BYTE_TEST: reg32(
    0x64,
    {
      /** 0x87654321: read back swapped or halved, it shows a wrong byte order or bus width. */
      VALUE: bits(0, 32, 'ro'),
    },
    { reset: 0x8765_4321 },
  ),
  /** PMT_CTRL: only READY is modelled (the device is always ready); the power-management bits read 0 (X11). */
  PMT_CTRL: reg32(
    0x84,
    {
      /** The device is ready for access: always 1 here. */
      READY: bit(0, 'ro'),
    },
    { reset: 0x1 },
  ),
  /** GPT_CFG: the GP timer's pre-load value and enable. */
  GPT_CFG: reg32(
    0x8c,
    {
      /** The count loaded when TIMER_EN is written 1 (X3). */
      GPT_LOAD: bits(0, 16),
      /** Reserved: reads 0, writes ignored. */
      RESERVED0: bits(16, 13, 'reserved'),
      /** 1 counts down from GPT_LOAD every 100 µs; 0 stops the timer, GPT_CNT reads 0xFFFF (X4). */
      TIMER_EN: bit(29),
      /** Reserved: reads 0, writes ignored. */
      RESERVED1: bits(30, 2, 'reserved'),
    },
    { reset: 0xffff },
  ),
  /** GPT_CNT (read hook: the counter): the GP timer's current count. */
  GPT_CNT: reg32(
    0x90,
    {
      /** The count, 0xFFFF while the timer is disabled. */
      GPT_CNT: bits(0, 16, 'ro'),
      /** Reserved: reads 0, writes ignored. */
      RESERVED: bits(16, 16, 'reserved'),
    },
    { access: 'ro', reset: 0xffff },
  ),
});
