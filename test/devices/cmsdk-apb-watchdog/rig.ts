// Shared set-up of the CMSDK APB watchdog specs: register offsets (TRM names), the
// 25 MHz WDOGCLK of QEMU's mps2-an385 qtest (40 ns per tick), and a device with its events.
import { CmsdkApbWatchdog, type CmsdkApbWatchdogVariant } from '../../../devices/cmsdk-apb-watchdog';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const WDOGLOAD = 0x000;
export const WDOGVALUE = 0x004;
export const WDOGCONTROL = 0x008;
export const WDOGINTCLR = 0x00c;
export const WDOGRIS = 0x010;
export const WDOGMIS = 0x014;
/** Luminary variant only (the datasheet's WDTTEST). */
export const WDOGTEST = 0x418;
export const WDOGLOCK = 0xc00;
export const WDOGITCR = 0xf00;
export const WDOGITOP = 0xf04;

/** WDOGCONTROL bits. */
export const INTEN = 0b01;
export const RESEN = 0b10;

export const UNLOCK = 0x1acce551;

/** 25 MHz: one WDOGCLK tick every 40 ns. */
export const HZ = 25_000_000;
export const TICK = 40;

export interface Rig {
  readonly clock: VirtualClock;
  readonly wdogclk: ClockInput;
  readonly device: CmsdkApbWatchdog;
  /** Everything `device.events$` emitted. */
  readonly events: TraceEvent[];
  /** A 32-bit guest read. */
  r(offset: number): number;
  /** A 32-bit guest write. */
  w(offset: number, value: number): void;
}

export const makeRig = (
  options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming; variant?: CmsdkApbWatchdogVariant } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const wdogclk = new ClockInput('wdogclk', options.hz ?? HZ);
  const device = new CmsdkApbWatchdog(clock, {
    wdogclk,
    delivery: options.delivery ?? 'sync',
    timing: options.timing,
    ...(options.variant === undefined ? {} : { variant: options.variant }),
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    wdogclk,
    device,
    events,
    r: (offset) => device.read(offset, 4),
    w: (offset, value) => device.write(offset, 4, value),
  };
};
