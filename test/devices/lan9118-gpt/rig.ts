// Shared set-up of the LAN9118 GP timer specs: the datasheet's offsets and bits, the 10 kHz
// time base (100 µs a tick, 100 000 ns), and the device's events.
import { Lan9118Gpt } from '../../../devices/lan9118-gpt';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const ID_REV = 0x50;
export const IRQ_CFG = 0x54;
export const INT_STS = 0x58;
export const INT_EN = 0x5c;
export const BYTE_TEST = 0x64;
export const PMT_CTRL = 0x84;
export const GPT_CFG = 0x8c;
export const GPT_CNT = 0x90;
/** Not-modelled registers the drivers touch. */
export const HW_CFG = 0x74;
export const E2P_CMD = 0xb0;
export const MAC_CSR_CMD = 0xa4;
export const MAC_CSR_DATA = 0xa8;
export const FREE_RUN = 0x9c;

/** GPT_CFG bits. */
export const TIMER_EN = 1 << 29;
/** INT_STS / INT_EN bits. */
export const GPT_INT = 1 << 19;
export const SW_INT = 0x8000_0000;
export const RSFL = 1 << 3;
export const TDFA = 1 << 9;
export const RXSTOP_INT = 1 << 24;
/** IRQ_CFG bits. */
export const IRQ_TYPE = 1 << 0;
export const IRQ_POL = 1 << 4;
export const IRQ_EN = 1 << 8;
export const IRQ_INT = 1 << 12;

export const HZ = 10_000;
/** One GP timer tick: 100 µs. */
export const TICK = 100_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly gptclk: ClockInput;
  readonly device: Lan9118Gpt;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [GPT_CNT, INT_STS.GPT_INT, IRQ_CFG.IRQ_INT, line]. */
  state(): [number, number, number, boolean];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; idRev?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const gptclk = new ClockInput('gptclk', options.hz ?? HZ);
  const device = new Lan9118Gpt(clock, { gptclk, idRev: options.idRev, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return {
    clock,
    gptclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value),
    state: () => [r(GPT_CNT), (r(INT_STS) & GPT_INT) === 0 ? 0 : 1, (r(IRQ_CFG) & IRQ_INT) === 0 ? 0 : 1, device.irq.level],
  };
};

/** The interrupt path opened for the GP timer: INT_EN = GPT_INT_EN, IRQ_CFG = IRQ_EN. */
export const enableGptInterrupt = (rig: Rig): void => {
  rig.w(INT_EN, GPT_INT);
  rig.w(IRQ_CFG, IRQ_EN);
};
