import { XilinxAxiDma, type XilinxAxiDmaChannel } from '../../devices/xilinx-axi-dma/XilinxAxiDma';
import { XILINX_AXI_DMA_REGISTERS } from '../../devices/xilinx-axi-dma/XILINX_AXI_DMA_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = XILINX_AXI_DMA_REGISTERS.byName;
// The fields sit at the same positions in both channels' registers.
const CR = R.MM2S_DMACR.fieldByName;
const SR = R.MM2S_DMASR.fieldByName;
/** IRQDelay is 8 bits; with one SG clock a unit, a timeout of 1 to 255 cycles. */
const MAX_TICKS = 0xff;
/** DMASR's three interrupt bits, cleared together as Linux's handler does. */
const ALL_IRQ = SR.IOC_Irq.mask | SR.Dly_Irq.mask | SR.Err_Irq.mask;

const channel = (ch: XilinxAxiDmaChannel): CatalogueChannel => {
  const prefix = ch === 'mm2s' ? 'MM2S' : 'S2MM';
  const dmacr = R[`${prefix}_DMACR`];
  const dmasr = R[`${prefix}_DMASR`];
  const taildesc = R[`${prefix}_TAILDESC`];
  return {
    name: ch,
    kind: 'watchdog',
    clock: 'sgclk',
    minTicks: 1,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, 1, MAX_TICKS, `xilinx-axi-dma.${ch}.start(ticks)`);
      return [
        guestWrite(dmacr.offset, ((ticks << CR.IRQDelay.lsb) | (1 << CR.IRQThreshold.lsb) | CR.Dly_IrqEn.mask | CR.RS.mask) >>> 0),
        guestWrite(dmasr.offset, ALL_IRQ), // a pending Dly_Irq would hold the delay timer off
        guestWrite(taildesc.offset, 0), // one packet ends now: the delay timer counts from here
      ];
    },
    counter: { offset: dmasr.offset + 3, size: 1, direction: 'up' }, // IRQDelaySts, DMASR[31:24]
    status: { offset: dmasr.offset, size: 4, mask: SR.Dly_Irq.mask },
    acknowledge: [guestWrite(dmasr.offset, ALL_IRQ), guestWrite(taildesc.offset, 0)],
    line: `${ch}_introut`,
  };
};

/**
 * Xilinx AXI DMA, its two channels' interrupt delay timers. The catalogue builds the core with
 * C_DLYTMR_RESOLUTION = 1 (one delay unit per SG clock, so any whole `ticks` from 1 to 255
 * can be asked; the IP's default is 125) and `dataPath: 'instant'`: a TAILDESC write on a
 * running channel is one packet completing at once (the data path is not modelled; device
 * header A9). The delay timer times out when no packet has ended for IRQDelay units, and a
 * new packet restarts it, so the channels are `watchdog` channels: `start(ticks)` sets
 * IRQDelay = ticks with Dly_IrqEn and RS, clears DMASR's interrupt bits and ends a packet
 * (TAILDESC): Dly_Irq rises `ticks` SG clocks later. The acknowledge is Linux's handler's
 * (write back DMASR's interrupt bits) followed by the next packet (TAILDESC), which is the
 * feed: without it the timer stays stopped, since a timeout stops it and a pending Dly_Irq
 * holds it off (A2, A3). IRQDelaySts (DMASR[31:24], read as a byte) counts the units up from
 * 0. No IOC or error interrupt is enabled.
 */
export const xilinxAxiDma: CatalogueDeviceType<XilinxAxiDma> = {
  type: 'xilinx-axi-dma',
  summary: 'Xilinx AXI DMA (PG021): the MM2S and S2MM interrupt delay timers (8-bit IRQDelay on the SG clock) and IOC coalescing',
  clocks: [{ name: 'sgclk', hz: 100_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new XilinxAxiDma(scheduler, { name, sgclk: clocks['sgclk']!, delayTimerResolution: 1, dataPath: 'instant', delivery, timing }),
  channels: [channel('mm2s'), channel('s2mm')],
};
