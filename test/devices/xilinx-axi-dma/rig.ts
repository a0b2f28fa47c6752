// Shared set-up of the AXI DMA specs: offsets and bits by PG021's names, an SG clock of
// 100 MHz (10 ns a cycle, QEMU's petalogix-ml605), and the device's events.
import { XilinxAxiDma, type XilinxAxiDmaDataPath } from '../../../devices/xilinx-axi-dma';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const MM2S_DMACR = 0x00;
export const MM2S_DMASR = 0x04;
export const MM2S_CURDESC = 0x08;
export const MM2S_TAILDESC = 0x10;
export const S2MM_DMACR = 0x30;
export const S2MM_DMASR = 0x34;
export const S2MM_CURDESC = 0x38;
export const S2MM_TAILDESC = 0x40;

/** DMACR bits. */
export const RS = 1 << 0;
export const TAILPEN = 1 << 1;
export const RESET = 1 << 2;
export const IOC_IRQEN = 1 << 12;
export const DLY_IRQEN = 1 << 13;
export const ERR_IRQEN = 1 << 14;
/** DMACR with IRQDelay `delay` and IRQThreshold `threshold` and the given low bits. */
export const dmacr = (delay: number, threshold: number, bits: number): number => ((delay << 24) | (threshold << 16) | bits) >>> 0;

/** DMASR bits. */
export const HALTED = 1 << 0;
export const IDLE = 1 << 1;
export const SGINCLD = 1 << 3;
export const IOC_IRQ = 1 << 12;
export const DLY_IRQ = 1 << 13;
export const ERR_IRQ = 1 << 14;
export const ALL_IRQ = IOC_IRQ | DLY_IRQ | ERR_IRQ;

export const SG_HZ = 100_000_000;
/** One SG clock, ns. */
export const CYCLE = 10;

export interface Rig {
  readonly clock: VirtualClock;
  readonly sgclk: ClockInput;
  readonly device: XilinxAxiDma;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** S2MM: [IRQDelaySts, IRQThresholdSts, DMASR bits 15:0, s2mm_introut]. */
  s2mm(): [number, number, number, boolean];
}

export const makeRig = (
  options: { clock?: VirtualClock; hz?: number; resolution?: number; dataPath?: XilinxAxiDmaDataPath; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const sgclk = new ClockInput('sgclk', options.hz ?? SG_HZ);
  const device = new XilinxAxiDma(clock, {
    sgclk,
    delayTimerResolution: options.resolution,
    dataPath: options.dataPath,
    delivery: options.delivery ?? 'sync',
    timing: options.timing,
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return {
    clock,
    sgclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value),
    s2mm: () => {
      const sr = r(S2MM_DMASR);
      return [sr >>> 24, (sr >>> 16) & 0xff, sr & 0xffff, device.lines.s2mm_introut.level];
    },
  };
};
