// Shared set-up of the MCF5208 PIT specs: the manual's offsets and bits, 16-bit accesses, a
// 1 MHz bus clock by default (1 µs a step at PRE 0: readable numbers; the drivers spec uses the
// M5208EVB's 83.33 MHz), and the device's events.
import { Mcf5208Pit } from '../../../devices/mcf5208-pit';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const PCSR = 0x00;
export const PMR = 0x02;
export const PCNTR = 0x04;

/** PCSR bits. */
export const EN = 1 << 0;
export const RLD = 1 << 1;
export const PIF = 1 << 2;
export const PIE = 1 << 3;
export const OVW = 1 << 4;
export const DBG = 1 << 5;
export const DOZE = 1 << 6;
export const PRE = (n: number): number => n << 8;

export const HZ = 1_000_000;
/** One step at PRE 0 and the default 1 MHz: 1000 ns. */
export const TICK = 1_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly busclk: ClockInput;
  readonly device: Mcf5208Pit;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [PCNTR, PCSR.PIF, line]. */
  state(): [number, number, boolean];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const busclk = new ClockInput('busclk', options.hz ?? HZ);
  const device = new Mcf5208Pit(clock, { busclk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 2);
  return {
    clock,
    busclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 2, value),
    state: () => [r(PCNTR), (r(PCSR) & PIF) === 0 ? 0 : 1, device.irq.level],
  };
};

/** Loads the counter with `count` (PCSR = OVW | RLD, disabled; PMR = count), then sets PCSR = `run`. */
export const loadAndRun = (rig: Rig, count: number, run: number): void => {
  rig.w(PCSR, OVW | RLD);
  rig.w(PMR, count);
  rig.w(PCSR, run);
};
