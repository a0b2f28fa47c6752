// Shared set-up of the Integrator/CP counter/timer specs: register offsets (timer n at 0x100·n),
// Control bits, and a device on the board's clocks (timer 0 at 25 MHz: 40 ns; timers 1 and 2 at
// 1 MHz: 1 µs) with its events.
import { IntegratorPit } from '../../../devices/integrator-pit';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

/** Timer n's register at `reg` (0x00 Load … 0x18 BGLoad). */
export const at = (n: number, reg: number): number => 0x100 * n + reg;
export const LOAD = 0x00;
export const VALUE = 0x04;
export const CONTROL = 0x08;
export const INTCLR = 0x0c;
export const RIS = 0x10;
export const MIS = 0x14;
export const BGLOAD = 0x18;

/** Control bits. */
export const ONESHOT = 0x01;
export const SIZE32 = 0x02;
export const PRE16 = 0x04;
export const IE = 0x20;
export const PERIODIC = 0x40;
export const ENABLE = 0x80;

export const HZ = [25_000_000, 1_000_000, 1_000_000] as const;
export const TICK = [40, 1_000, 1_000] as const;

export interface Rig {
  readonly clock: VirtualClock;
  readonly timclk: readonly [ClockInput, ClockInput, ClockInput];
  readonly device: IntegratorPit;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; hz?: readonly [number, number, number]; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const hz = options.hz ?? HZ;
  const timclk = [new ClockInput('timclk0', hz[0]), new ClockInput('timclk1', hz[1]), new ClockInput('timclk2', hz[2])] as const;
  const device = new IntegratorPit(clock, { timclk, delivery: options.delivery ?? 'sync', ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, timclk, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};
