// Shared set-up of the CMSDK APB timer specs: register offsets (TRM names), the 25 MHz PCLK
// of QEMU's mps2-an385 qtest (40 ns per cycle), and a device with its events.
import { CmsdkApbTimer } from '../../../devices/cmsdk-apb-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const CTRL = 0x000;
export const VALUE = 0x004;
export const RELOAD = 0x008;
/** INTSTATUS when read, INTCLEAR when written. */
export const INTSTATUS = 0x00c;
export const INTCLEAR = 0x00c;

/** CTRL bits. */
export const EN = 0b0001;
export const SELEXTEN = 0b0010;
export const SELEXTCLK = 0b0100;
export const IRQEN = 0b1000;

/** 25 MHz: one PCLK cycle every 40 ns. */
export const HZ = 25_000_000;
export const TICK = 40;

export interface Rig {
  readonly clock: VirtualClock;
  readonly pclk: ClockInput;
  readonly device: CmsdkApbTimer;
  /** Everything `device.events$` emitted. */
  readonly events: TraceEvent[];
  /** A 32-bit guest read. */
  r(offset: number): number;
  /** A 32-bit guest write. */
  w(offset: number, value: number): void;
  /** Guest-visible state in one read each: [VALUE, INTSTATUS, line]. */
  state(): [number, number, boolean];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const pclk = new ClockInput('pclk', options.hz ?? HZ);
  const device = new CmsdkApbTimer(clock, { pclk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return {
    clock,
    pclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value),
    state: () => [r(VALUE), r(INTSTATUS), device.irq.level],
  };
};
