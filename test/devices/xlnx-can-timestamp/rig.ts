// Shared set-up of the Xilinx CAN timestamp specs: register offsets (manual names), a 25 MHz CAN
// clock (40 ns per cycle, whole ns, so every instant below is exact; the ZynqMP catalogue's
// 24 MHz is in the timing tests), and the device's events.
import { XlnxCanTimestamp, type XlnxCanTimestampVariant } from '../../../devices/xlnx-can-timestamp';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const SRR = 0x000;
export const MSR = 0x004;
export const BRPR = 0x008;
export const BTR = 0x00c;
export const SR = 0x018;
export const ISR = 0x01c;
export const IER = 0x020;
export const ICR = 0x024;
/** ZynqMP TCR, Versal TSR. */
export const TCR = 0x028;
export const TSR = 0x028;
/** ZynqMP RX FIFO words. */
export const RXFIFO_ID = 0x050;
export const RXFIFO_DLC = 0x054;
export const RXFIFO_DATA1 = 0x058;
export const RXFIFO_DATA2 = 0x05c;
/** Versal RX FIFO 0, message buffer 0. */
export const RB_ID = 0x2100;
export const RB_DLC = 0x2104;
export const RB_DW0 = 0x2108;

/** SRR bits. */
export const SRST = 1 << 0;
export const CEN = 1 << 1;
/** SR.CONFIG. */
export const CONFIG = 1 << 0;
/** TCR/TSR.CTS. */
export const CTS = 1 << 0;
/** ISR.TSCNT_OFLW, IER.ETSCNT_OFLW, ICR.CTSCNT_OFLW (Versal). */
export const TSCNT_OFLW = 1 << 5;

export const HZ = 25_000_000;
export const TICK = 40;
/** One wrap of the 16-bit counter: 2^16 cycles. */
export const WRAP = 65_536;
export const WRAP_NS = WRAP * TICK;

export const VARIANTS = ['zynqmp', 'versal'] as const satisfies readonly XlnxCanTimestampVariant[];

export interface Rig {
  readonly clock: VirtualClock;
  readonly canClk: ClockInput;
  readonly device: XlnxCanTimestamp;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** The counter as a guest sees it: TSR.TIMESTAMP_CNT (Versal), or a stored frame's RX timestamp (ZynqMP: captures one). */
  stamp(): number;
}

export const makeRig = (
  options: { variant?: XlnxCanTimestampVariant; clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const canClk = new ClockInput('can_clk', options.hz ?? HZ);
  const variant = options.variant ?? 'zynqmp';
  const device = new XlnxCanTimestamp(clock, { canClk, variant, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const stamp = (): number => {
    if (variant === 'versal') return r(TSR) >>> 16;
    device.captureRxTimestamp();
    return r(RXFIFO_DLC) & 0xffff;
  };
  return { clock, canClk, device, events, r, w: (offset, value) => device.write(offset, 4, value), stamp };
};
