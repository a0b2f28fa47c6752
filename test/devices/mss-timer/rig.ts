// Shared set-up of the MSS timer specs: register offsets (UG0331 §18.4; timer 1 at 0x00,
// timer 2 at 0x18), CTRL bits, and a device on a 100 MHz PCLK0 (10 ns ticks, the manual's
// worked examples) with its events.
import { MssTimer } from '../../../devices/mss-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

/** Timer n's (1 or 2) register at `reg` (0x00 VAL … 0x14 MIS). */
export const tim = (n: 1 | 2, reg: number): number => 0x18 * (n - 1) + reg;
export const VAL = 0x00;
export const LOADVAL = 0x04;
export const BGLOADVAL = 0x08;
export const CTRL = 0x0c;
export const RIS = 0x10;
export const MIS = 0x14;

export const TIM64_VAL_U = 0x30;
export const TIM64_VAL_L = 0x34;
export const TIM64_LOADVAL_U = 0x38;
export const TIM64_LOADVAL_L = 0x3c;
export const TIM64_BGLOADVAL_U = 0x40;
export const TIM64_BGLOADVAL_L = 0x44;
export const TIM64_CTRL = 0x48;
export const TIM64_RIS = 0x4c;
export const TIM64_MIS = 0x50;
export const TIM64_MODE = 0x54;

/** CTRL bits (TIMx_CTRL and TIM64_CTRL). */
export const ENABLE = 1 << 0;
export const ONESHOT = 1 << 1;
export const INTEN = 1 << 2;

export const HZ = 100_000_000;
export const TICK = 10;

export interface Rig {
  readonly clock: VirtualClock;
  readonly pclk: ClockInput;
  readonly device: MssTimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const pclk = new ClockInput('pclk', options.hz ?? HZ);
  const device = new MssTimer(clock, { pclk, delivery: options.delivery ?? 'sync', ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, pclk, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};

/** The 64-bit counter as MSS_TIM64_get_current_value reads it: TIM64_VAL_L, then TIM64_VAL_U. */
export const read64 = (rig: Rig): bigint => {
  const lower = rig.r(TIM64_VAL_L);
  const upper = rig.r(TIM64_VAL_U);
  return (BigInt(upper) << 32n) | BigInt(lower);
};
