// Shared set-up of the SysTick specs: offsets from 0xE000E010 (manual names), a 25 MHz core
// clock (40 ns per cycle, QEMU's mps2-an385) and a 1 MHz reference clock, and the device's events.
import { Armv7mSystick } from '../../../devices/armv7m-systick';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const CSR = 0x000;
export const RVR = 0x004;
export const CVR = 0x008;
export const CALIB = 0x00c;
/** ICSR (0xE000ED04), relative to the SysTick base. */
export const ICSR = 0xcf4;

/** CSR bits. */
export const ENABLE = 1 << 0;
export const TICKINT = 1 << 1;
export const CLKSOURCE = 1 << 2;
export const COUNTFLAG = 1 << 16;
/** ICSR bits. */
export const PENDSTSET = 1 << 26;
export const PENDSTCLR = 1 << 25;

export const CPU_HZ = 25_000_000;
export const TICK = 40;
export const REF_HZ = 1_000_000;
export const REF_TICK = 1_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly cpuclk: ClockInput;
  readonly refclk: ClockInput;
  readonly device: Armv7mSystick;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [CVR, COUNTFLAG (read: clears it), line]. */
  state(): [number, number, boolean];
}

export const makeRig = (
  options: { clock?: VirtualClock; cpuHz?: number; refHz?: number; calib?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const cpuclk = new ClockInput('cpuclk', options.cpuHz ?? CPU_HZ);
  const refclk = new ClockInput('refclk', options.refHz ?? REF_HZ);
  const device = new Armv7mSystick(clock, { cpuclk, refclk, calib: options.calib, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return {
    clock,
    cpuclk,
    refclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value),
    state: () => [r(CVR), (r(CSR) & COUNTFLAG) >>> 16, device.irq.level],
  };
};
