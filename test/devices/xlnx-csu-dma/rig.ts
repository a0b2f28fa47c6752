// Shared set-up of the CSU DMA specs: offsets and bits by UG1087's names, the DMA clock at
// 400 MHz (2.5 ns a cycle, the references' "clk ~2.5 ns"), and the device's events.
import { XlnxCsuDma } from '../../../devices/xlnx-csu-dma';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const SRC_ADDR = 0x000;
export const SRC_SIZE = 0x004;
export const SRC_STS = 0x008;
export const SRC_CTRL = 0x00c;
export const SRC_I_STS = 0x014;
export const SRC_I_EN = 0x018;
export const SRC_I_DIS = 0x01c;
export const SRC_I_MASK = 0x020;
export const SRC_CTRL2 = 0x024;
export const DST_ADDR = 0x800;
export const DST_SIZE = 0x804;
export const DST_STS = 0x808;
export const DST_CTRL = 0x80c;
export const DST_I_STS = 0x814;
export const DST_I_EN = 0x818;
export const DST_I_DIS = 0x81c;
export const DST_I_MASK = 0x820;
export const DST_CTRL2 = 0x824;
export const DST_ADDR_MSB = 0x828;

/** CTRL fields. */
export const PAUSE_STRM = 1 << 1;
export const timeoutVal = (n: number): number => (n << 10) >>> 0;
/** CTRL2 fields. */
export const TIMEOUT_EN = 1 << 22;
export const timeoutPre = (n: number): number => (n << 4) >>> 0;
/** Interrupt bits. */
export const DONE = 1 << 1;
export const TIMEOUT_STRM = 1 << 3;
export const TIMEOUT_MEM = 1 << 4;

export const CLK_HZ = 400_000_000;
/** One clk cycle is 2.5 ns: times below are in whole ns for even cycle counts. */
export const cycles = (n: number): number => (n * 5) / 2;

export interface Rig {
  readonly clock: VirtualClock;
  readonly clk: ClockInput;
  readonly device: XlnxCsuDma;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [SRC_I_STS, the counter's ticks left (probe), irq]. */
  state(): [number, number, boolean];
}

export const makeRig = (
  options: { clock?: VirtualClock; hz?: number; stalled?: boolean; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const clk = new ClockInput('clk', options.hz ?? CLK_HZ);
  const device = new XlnxCsuDma(clock, { clk, streamStalled: options.stalled, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return {
    clock,
    clk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value),
    state: () => [r(SRC_I_STS), Number(device.probes[0]!.read()), device.irq.level],
  };
};
