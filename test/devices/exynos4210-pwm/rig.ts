// Shared set-up of the Exynos4210 PWM timer specs: offsets (manual names), TCON and TINT_CSTAT
// bits by timer, and a block on a 100 MHz PCLK (10 ns per PCLK cycle) with its events.
import { Exynos4210Pwm } from '../../../devices/exynos4210-pwm';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const TCFG0 = 0x00;
export const TCFG1 = 0x04;
export const TCON = 0x08;
export const TINT_CSTAT = 0x44;
/** Timer n's count buffer, compare buffer (n ≤ 3) and count observation. */
export const TCNTB = (n: number): number => (n < 4 ? 0x0c + 0x0c * n : 0x3c);
export const TCMPB = (n: number): number => 0x10 + 0x0c * n;
export const TCNTO = (n: number): number => (n < 4 ? 0x14 + 0x0c * n : 0x40);

/** Timer n's TCON bits (timer 0 at bit 0, timer n ≥ 1 at 4n + 4; timer 4's auto-reload is bit 22). */
const base = (n: number): number => (n === 0 ? 0 : 4 * n + 4);
export const START = (n: number): number => 1 << base(n);
export const MANUAL_UPDATE = (n: number): number => 1 << (base(n) + 1);
export const INVERTER = (n: number): number => 1 << (base(n) + 2);
export const AUTO_RELOAD = (n: number): number => (n === 4 ? 1 << 22 : 1 << (base(n) + 3));
/** TINT_CSTAT bits. */
export const INT_EN = (n: number): number => 1 << n;
export const INT_STAT = (n: number): number => 1 << (n + 5);

export const PCLK_HZ = 100_000_000;
/** One PCLK cycle, ns (the tick at prescaler 0, ÷1). */
export const CYCLE = 10;

export interface Rig {
  readonly clock: VirtualClock;
  readonly pclk: ClockInput;
  readonly device: Exynos4210Pwm;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** The five lines' levels, timer 0 first. */
  lines(): boolean[];
  /** Loads timer n with `tcnt` by a manual update and starts it (auto-reload as given), interrupt enabled: the Linux start. */
  start(n: number, tcnt: number, autoReload: boolean): void;
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming; prescalers?: number } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const pclk = new ClockInput('pclk', options.hz ?? PCLK_HZ);
  const device = new Exynos4210Pwm(clock, { pclk, delivery: options.delivery ?? 'sync', ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const w = (offset: number, value: number): void => device.write(offset, 4, value);
  // Prescalers ÷1 unless told: a tick is one PCLK cycle.
  w(TCFG0, options.prescalers ?? 0);
  return {
    clock,
    pclk,
    device,
    events,
    r,
    w,
    lines: () => [device.irq0.level, device.irq1.level, device.irq2.level, device.irq3.level, device.irq4.level],
    start: (n, tcnt, autoReload) => {
      w(TCNTB(n), tcnt);
      w(TCON, (r(TCON) & ~START(n) & ~AUTO_RELOAD(n)) | MANUAL_UPDATE(n));
      w(TINT_CSTAT, (r(TINT_CSTAT) & 0x1f) | INT_EN(n)); // the enables only: a status bit written 1 would clear
      w(TCON, ((r(TCON) & ~MANUAL_UPDATE(n)) | START(n) | (autoReload ? AUTO_RELOAD(n) : 0)) >>> 0);
    },
  };
};
