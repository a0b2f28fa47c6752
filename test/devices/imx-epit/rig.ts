// Shared set-up of the i.MX EPIT specs: offsets (manual names), CR bits, and a device at
// ipg = 50 MHz (20 ns per cycle with PRESCALER 0).
import { ImxEpit } from '../../../devices/imx-epit';
import { ClockInput, VirtualClock, type TraceEvent, type TriggerDelivery } from '../../../index';

export const CR = 0x00;
export const SR = 0x04;
export const LR = 0x08;
export const CMPR = 0x0c;
export const CNR = 0x10;

export const EN = 1 << 0;
export const ENMOD = 1 << 1;
export const OCIEN = 1 << 2;
export const RLD = 1 << 3;
export const prescaler = (n: number): number => n << 4;
export const SWR = 1 << 16;
export const IOVW = 1 << 17;
export const WAITEN = 1 << 19;
export const OM = (n: number): number => n << 22;
export const CLKSRC_IPG = 1 << 24;
export const CLKSRC_HF = 2 << 24;
export const CLKSRC_32K = 3 << 24;

export const HZ = 50_000_000;
export const TICK = 20;

export interface Rig {
  readonly clock: VirtualClock;
  readonly ipg: ClockInput;
  readonly hf: ClockInput;
  readonly k32: ClockInput;
  readonly device: ImxEpit;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [CNR, SR, line]. */
  state(): [number, number, boolean];
}

export const makeRig = (options: { clock?: VirtualClock; delivery?: TriggerDelivery } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const ipg = new ClockInput('ipg', HZ);
  const hf = new ClockInput('ipg_highfreq', 24_000_000);
  const k32 = new ClockInput('ipg_32k', 32_768);
  const device = new ImxEpit(clock, { ipg, ipgHighfreq: hf, ipg32k: k32, delivery: options.delivery ?? 'sync' });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return { clock, ipg, hf, k32, device, events, r, w: (o, v) => device.write(o, 4, v), state: () => [r(CNR), r(SR), device.irq.level] };
};
