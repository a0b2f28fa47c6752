// Shared set-up of the DIGIC timer specs: the registers' offsets in one timer's window, a 1 MHz
// clock (1 µs a step, 1000 ns: QEMU's and barebox's rate), and the device's events.
import { DigicTimer } from '../../../devices/digic-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const CONTROL = 0x00;
export const RELVALUE = 0x08;
export const VALUE = 0x0c;
/** The words barebox writes whose purpose is unknown. */
export const UNKNOWN_04 = 0x04;
export const UNKNOWN_10 = 0x10;
export const UNKNOWN_14 = 0x14;

/** CONTROL bits. */
export const EN = 1 << 0;
export const RST = 0x8000_0000;

export const HZ = 1_000_000;
/** One counter step: 1 µs. */
export const TICK = 1_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly clk: ClockInput;
  readonly device: DigicTimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** The instants of the counter's expiries (its steps to 0) so far. */
  expiries(): number[];
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const clk = new ClockInput('clk', options.hz ?? HZ);
  const device = new DigicTimer(clock, { clk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    clk,
    device,
    events,
    r: (offset) => device.read(offset, 4),
    w: (offset, value) => device.write(offset, 4, value),
    expiries: () => events.filter((e) => e.kind === 'expiry').map((e) => e.time),
  };
};
