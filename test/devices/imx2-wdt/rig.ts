// Shared set-up of the i.MX2+ WDOG specs: register offsets and bits (manual names), a
// 32.768 kHz ckil (a half-second step is 500 000 000 ns exactly), and the device's events.
import { Imx2Wdt } from '../../../devices/imx2-wdt';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const WCR = 0x00;
export const WSR = 0x02;
export const WRSR = 0x04;
export const WICR = 0x06;
export const WMCR = 0x08;

/** WCR bits. */
export const WDZST = 1 << 0;
export const WDBG = 1 << 1;
export const WDE = 1 << 2;
export const WDT = 1 << 3;
export const SRS = 1 << 4;
export const WDA = 1 << 5;
export const SRE = 1 << 6;
export const WDW = 1 << 7;
/** WCR.WT: (WT + 1) half-seconds. */
export const wt = (n: number): number => n << 8;
/** WRSR bits. */
export const SFTW = 1 << 0;
export const TOUT = 1 << 1;
export const POR = 1 << 4;
/** WICR bits; WICT is bits 7:0. */
export const WTIS = 1 << 14;
export const WIE = 1 << 15;
/** WMCR.PDE. */
export const PDE = 1;

export const CKIL_HZ = 32_768;
/** One WT/WICT step at 32.768 kHz: 16384 cycles. */
export const STEP = 500_000_000;
/** One ckil cycle at 32.768 kHz (not a whole number of ns). */
export const CYCLE = 1e9 / CKIL_HZ;
/** The power-down counter: 2^19 cycles = 16 s. */
export const POWER_DOWN = 16_000_000_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly ckil: ClockInput;
  readonly device: Imx2Wdt;
  readonly events: TraceEvent[];
  /** A 16-bit read. */
  r(offset: number): number;
  /** A 16-bit write. */
  w(offset: number, value: number): void;
  /** The service sequence: 0x5555, then 0xAAAA. */
  service(): void;
  /** [wdog_int, wdog_rst, wdog_b]. */
  lines(): [boolean, boolean, boolean];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const ckil = new ClockInput('ckil', options.hz ?? CKIL_HZ);
  const device = new Imx2Wdt(clock, { ckil, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const w = (offset: number, value: number): void => device.write(offset, 2, value);
  return {
    clock,
    ckil,
    device,
    events,
    r: (offset) => device.read(offset, 2),
    w,
    service: () => {
      w(WSR, 0x5555);
      w(WSR, 0xaaaa);
    },
    lines: () => [device.irq.level, device.rst.level, device.wdogB.level],
  };
};
