// The register sequences the AXI DMA's drivers issue, replayed on the model with what the
// guest must read. Written from what the drivers do (which registers, in which order, with
// which values: reference devices-2.md §9), not from their code:
// - Linux drivers/dma/xilinx/xilinx_dma.c (the dmaengine driver): channel set-up (interrupt
//   enables), the channel reset, a scatter/gather transfer's start (coalescing count = the
//   descriptors queued, the delay from `xlnx,irq-delay` or `coalesce_usecs` scaled by
//   125 SG clocks per unit), the interrupt handler (read DMASR, write its interrupt bits
//   back) and the stop.
// - Linux drivers/net/ethernet/xilinx/xilinx_axienet_main.c: RX coalescing (count, and a
//   delay with its enable when the count is above 1), then run; the handler writes back what
//   it read.
// The data path is not modelled: each packet's completion is `completePacket` (the stand-in,
// device header A9), so these replays run with `dataPath: 'none'` and the descriptor pointer
// writes are `unimplemented` events. SG clock 100 MHz, C_DLYTMR_RESOLUTION 125 (1250 ns a unit).
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../index';
import {
  ALL_IRQ,
  CYCLE,
  DLY_IRQ,
  DLY_IRQEN,
  ERR_IRQEN,
  HALTED,
  IOC_IRQ,
  IOC_IRQEN,
  makeRig,
  RESET,
  RS,
  S2MM_CURDESC,
  S2MM_DMACR,
  S2MM_DMASR,
  S2MM_TAILDESC,
  SGINCLD,
  type Rig,
} from './rig';

const UNIT = 125 * CYCLE;
const T0 = 1_000_000; // the driver runs 1 ms after boot

/** Read-modify-write of DMACR, as the driver's set/clear helpers do. */
const setBits = (rig: Rig, bits: number): void => rig.w(S2MM_DMACR, (rig.r(S2MM_DMACR) | bits) >>> 0);
const clearBits = (rig: Rig, bits: number): void => rig.w(S2MM_DMACR, (rig.r(S2MM_DMACR) & ~bits) >>> 0);

/** xilinx_dma's handler: read DMASR; nothing pending is not ours; else write the interrupt bits back. Returns what it saw. */
const dmaHandler = (rig: Rig): number => {
  const status = rig.r(S2MM_DMASR);
  if ((status & ALL_IRQ) === 0) return 0;
  rig.w(S2MM_DMASR, status & ALL_IRQ);
  return status & ALL_IRQ;
};

/**
 * xilinx_dma_start_transfer on an idle S2MM channel with `pending` descriptors and `delay`
 * units: the count, the current descriptor, the delay, run (polling Halted), the tail.
 */
const startTransfer = (rig: Rig, pending: number, delay: number): void => {
  let reg = rig.r(S2MM_DMACR);
  reg = ((reg & ~0x00ff_0000) | (pending << 16)) >>> 0;
  rig.w(S2MM_DMACR, reg);
  rig.w(S2MM_CURDESC, 0x1000_0000);
  reg = ((reg & ~0xff00_0000) | (delay << 24)) >>> 0;
  rig.w(S2MM_DMACR, reg);
  setBits(rig, RS);
  expect(rig.r(S2MM_DMASR) & HALTED).toBe(0); // the start's poll: out of halt at the first read
  rig.w(S2MM_TAILDESC, 0x1000_0000 + 64 * (pending - 1));
};

const unimplemented = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === 'unimplemented').map((e) => (e as { feature: string }).feature);

describe('Linux xilinx_dma (dmaengine), AXI DMA S2MM channel', () => {
  /** alloc_chan_resources: the three interrupt enables set with a read-modify-write. */
  const allocated = (): Rig => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    setBits(rig, IOC_IRQEN | DLY_IRQEN | ERR_IRQEN);
    expect(rig.r(S2MM_DMACR)).toBe(0x0001_7002);
    return rig;
  };

  it('start_transfer with 4 descriptors and no delay: IRQThreshold 4; the 4th completion raises IOC_Irq, the handler clears it', () => {
    const rig = allocated();
    startTransfer(rig, 4, 0);
    expect(rig.r(S2MM_DMACR)).toBe(0x0004_7003);
    expect(rig.s2mm()).toEqual([0, 4, SGINCLD, false]);
    for (let k = 0; k < 3; k++) rig.device.completePacket('s2mm');
    expect(rig.s2mm()).toEqual([0, 1, SGINCLD, false]);
    rig.device.completePacket('s2mm');
    expect(rig.s2mm()).toEqual([0, 4, IOC_IRQ | SGINCLD, true]);
    expect(dmaHandler(rig)).toBe(IOC_IRQ);
    expect(rig.s2mm()).toEqual([0, 4, SGINCLD, false]);
    // The descriptor engine is not modelled: its pointer writes are reported, nothing else.
    expect(unimplemented(rig.events)).toEqual([
      'S2MM_CURDESC (descriptor engine and data path)',
      "S2MM_TAILDESC (descriptor processing: with dataPath 'none' packets end through completePacket())",
    ]);
  });

  it('coalesce_usecs 50 at a 100 MHz SG clock: IRQDelay round(50 × 100e6 / 125e6) = 40; 2 of 8 descriptors done, Dly_Irq 50 µs after the 2nd', () => {
    const rig = allocated();
    const delay = Math.round((50 * 100e6) / 125e6);
    expect(delay).toBe(40);
    startTransfer(rig, 8, delay);
    expect(rig.r(S2MM_DMACR)).toBe(0x2808_7003);
    rig.device.completePacket('s2mm');
    rig.clock.advanceBy(7_000);
    rig.device.completePacket('s2mm');
    const second = rig.clock.now();
    rig.clock.advanceTo(second + 50_000 - 1);
    expect(rig.s2mm()).toEqual([39, 6, SGINCLD, false]);
    rig.clock.advanceTo(second + 50_000); // 40 units of 1.25 µs: the delay the driver asked for, to the ns
    expect(rig.s2mm()).toEqual([0, 8, DLY_IRQ | SGINCLD, true]); // the timeout also reloads the count
    expect(dmaHandler(rig)).toBe(DLY_IRQ);
    expect(rig.s2mm()[3]).toBe(false);
  });

  it('the handler reads nothing pending on a shared line: it leaves DMASR alone (IRQ_NONE)', () => {
    const rig = allocated();
    startTransfer(rig, 2, 0);
    const before = rig.r(S2MM_DMASR);
    expect(dmaHandler(rig)).toBe(0);
    expect(rig.r(S2MM_DMASR)).toBe(before);
  });

  it('an IOC completion between the handler\'s read and its write-back survives it: only bits written 1 clear (A5; QEMU loses it)', () => {
    const rig = allocated();
    startTransfer(rig, 1, 4);
    rig.device.completePacket('s2mm'); // IOC_Irq (threshold 1)
    rig.w(S2MM_DMASR, IOC_IRQ);
    rig.device.completePacket('s2mm');
    rig.w(S2MM_DMASR, IOC_IRQ);
    rig.clock.advanceBy(4 * UNIT); // Dly_Irq
    const status = rig.r(S2MM_DMASR); // the handler reads Dly_Irq only
    expect(status & ALL_IRQ).toBe(DLY_IRQ);
    rig.device.completePacket('s2mm'); // ... a packet completes before the write-back: IOC_Irq
    rig.w(S2MM_DMASR, status & ALL_IRQ); // writes back Dly_Irq (and 0 for IOC_Irq)
    expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | SGINCLD, true]); // IOC_Irq kept: the next handler run sees it
  });

  it('chan_reset: DMACR.Reset reads back 0 at the first poll, every register is at its reset value; the enables are then set again', () => {
    const rig = allocated();
    startTransfer(rig, 3, 10);
    rig.device.completePacket('s2mm');
    setBits(rig, RESET);
    expect(rig.r(S2MM_DMACR) & RESET).toBe(0); // the poll ends at once
    expect([rig.r(S2MM_DMACR), rig.r(S2MM_DMASR)]).toEqual([0x0001_0002, 0x0001_0009]);
    setBits(rig, IOC_IRQEN | DLY_IRQEN | ERR_IRQEN);
    expect(rig.r(S2MM_DMACR)).toBe(0x0001_7002);
    rig.clock.advanceBy(100 * UNIT);
    expect(rig.events.filter((e) => e.kind === 'expiry')).toEqual([]);
  });

  it('terminate (stop_transfer): RS cleared, Halted at the first poll; the counting delay timer stops and clears', () => {
    const rig = allocated();
    startTransfer(rig, 4, 20);
    rig.device.completePacket('s2mm');
    rig.clock.advanceBy(5 * UNIT + 1);
    expect(rig.s2mm()[0]).toBe(5);
    clearBits(rig, RS);
    expect(rig.r(S2MM_DMASR) & HALTED).toBe(HALTED);
    expect(rig.s2mm()[0]).toBe(0);
    rig.clock.advanceBy(100 * UNIT);
    expect(rig.s2mm()[3]).toBe(false);
  });
});

describe('Linux xilinx_axienet, RX (S2MM) interrupt coalescing', () => {
  /**
   * axienet's DMA start: DMACR = (count << 16) | IOC_EN | ERR_EN, plus (delay << 24) | DLY_EN
   * when the count is above 1, then the current descriptor, RS, the tail.
   */
  const start = (count: number, delay: number): Rig => {
    const rig = makeRig();
    rig.clock.advanceTo(T0);
    let cr = (count << 16) | IOC_IRQEN | ERR_IRQEN;
    if (count > 1) cr |= (delay << 24) | DLY_IRQEN;
    rig.w(S2MM_DMACR, cr >>> 0);
    rig.w(S2MM_CURDESC, 0x2000_0000);
    setBits(rig, RS);
    rig.w(S2MM_TAILDESC, 0x2000_0000 + 64 * 63);
    return rig;
  };
  /** axienet's handler: read DMASR and write the whole value back. */
  const handler = (rig: Rig): number => {
    const status = rig.r(S2MM_DMASR);
    rig.w(S2MM_DMASR, status);
    return status & ALL_IRQ;
  };

  it('count 16, delay 40 units (50 µs): a burst of 16 frames gives one IOC_Irq; 3 more give one Dly_Irq 50 µs after the last', () => {
    const rig = start(16, 40);
    expect(rig.r(S2MM_DMACR)).toBe(0x2810_7003);
    const seen: [number, number][] = [];
    rig.device.s2mmIntrout.watch((high) => {
      if (high) seen.push([rig.clock.now(), handler(rig)]);
    });
    for (let k = 0; k < 16; k++) {
      rig.device.completePacket('s2mm');
      rig.clock.advanceBy(1_000);
    }
    for (let k = 0; k < 3; k++) {
      rig.device.completePacket('s2mm');
      rig.clock.advanceBy(1_000);
    }
    const last = rig.clock.now() - 1_000;
    rig.clock.advanceTo(last + 60_000);
    expect(seen).toEqual([
      [T0 + 15_000, IOC_IRQ],
      [last + 50_000, DLY_IRQ],
    ]);
    // The handler's write-back of the whole DMASR changed nothing but the interrupt bits.
    expect(rig.s2mm()).toEqual([0, 16, SGINCLD, false]);
  });

  it('count 1: no delay programmed (IRQDelay 0, Dly_IrqEn 0): an interrupt per frame, no timer runs', () => {
    const rig = start(1, 40);
    expect(rig.r(S2MM_DMACR)).toBe(0x0001_5003);
    rig.device.completePacket('s2mm');
    expect(rig.device.timers[1].mode).toBe('stopped');
    expect(handler(rig)).toBe(IOC_IRQ);
    rig.device.completePacket('s2mm');
    expect(handler(rig)).toBe(IOC_IRQ);
    rig.clock.advanceBy(1_000 * UNIT);
    expect(rig.events.filter((e) => e.kind === 'expiry')).toEqual([]);
  });
});
