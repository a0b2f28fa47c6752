// Shared set-up of the Exynos4210 RTC tick timer specs: offsets (manual names), INTP and RTCCON
// bits, and an RTC on its 32 768 Hz crystal (a tick of 30 517.578125 ns) with its events.
import { Exynos4210Rtc } from '../../../devices/exynos4210-rtc';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const INTP = 0x30;
export const RTCCON = 0x40;
export const TICCNT = 0x44;
export const CURTICCNT = 0x90;

/** INTP bits. */
export const TIC = 1 << 0;
export const ALM = 1 << 1;
/** RTCCON bits. */
export const CTLEN = 1 << 0;
export const CLKSEL = 1 << 1;
export const CNTSEL = 1 << 2;
export const CLKRST = 1 << 3;
export const TICCKSEL = (n: number): number => n << 4;
export const TICEN = 1 << 8;
export const CLKOUTEN = 1 << 9;

export const XTAL_HZ = 32_768;
/** The instant of the k-th tick boundary after a start at `from` (exact timing: ⌊k·10^9/32 768⌋ ns after it). */
export const tick = (k: number, from = 0): number => from + Math.floor((k * 1e9) / XTAL_HZ);

export interface Rig {
  readonly clock: VirtualClock;
  readonly xtal: ClockInput;
  readonly device: Exynos4210Rtc;
  readonly events: TraceEvent[];
  /** A read or write of `size` bytes (default 4). */
  r(offset: number, size?: 1 | 2 | 4): number;
  w(offset: number, value: number, size?: 1 | 2 | 4): void;
  /** The expiry instants so far. */
  expiries(): number[];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const xtal = new ClockInput('xtal', options.hz ?? XTAL_HZ);
  const device = new Exynos4210Rtc(clock, { xtal, delivery: options.delivery ?? 'sync', ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    xtal,
    device,
    events,
    r: (offset, size = 4) => device.read(offset, size),
    w: (offset, value, size = 4) => device.write(offset, size, value),
    expiries: () => events.filter((e) => e.kind === 'expiry').map((e) => e.time),
  };
};
