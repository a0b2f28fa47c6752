// Shared set-up of the Cortex-A9 private timer and watchdog specs: register offsets (ARM's
// CMSIS-Core names, from the block's base PERIPHBASE + 0x600), control bits, a 100 MHz
// PERIPHCLK (10 ns per cycle, so a tick is 10 * (PRESCALER + 1) ns), and a device with its events.
import { CortexA9TimerWatchdog } from '../../../devices/arm-mptimer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

// Private timer.
export const LOAD = 0x00;
export const COUNTER = 0x04;
export const CONTROL = 0x08;
export const ISR = 0x0c;
// Watchdog.
export const WLOAD = 0x20;
export const WCOUNTER = 0x24;
export const WCONTROL = 0x28;
export const WISR = 0x2c;
export const WRESET = 0x30;
export const WDISABLE = 0x34;

/** Control bits (CONTROL and WCONTROL; WD_MODE only in WCONTROL). */
export const ENABLE = 0b0001;
export const AUTO_RELOAD = 0b0010;
export const IRQ_ENABLE = 0b0100;
export const WD_MODE = 0b1000;
/** The PRESCALER field [15:8]. */
export const prescaler = (p: number): number => p << 8;

export const KEY1 = 0x1234_5678;
export const KEY2 = 0x8765_4321;

/** 100 MHz: one PERIPHCLK cycle every 10 ns. */
export const HZ = 100_000_000;
export const CYCLE = 10;

export interface Rig {
  readonly clock: VirtualClock;
  readonly periphclk: ClockInput;
  readonly device: CortexA9TimerWatchdog;
  /** Everything `device.events$` emitted. */
  readonly events: TraceEvent[];
  /** A 32-bit guest read. */
  r(offset: number): number;
  /** A 32-bit guest write. */
  w(offset: number, value: number): void;
  /** Advances virtual time to `t` ns. */
  at(t: number): Rig;
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const periphclk = new ClockInput('periphclk', options.hz ?? HZ);
  const device = new CortexA9TimerWatchdog(clock, { periphclk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const rig: Rig = {
    clock,
    periphclk,
    device,
    events,
    r: (offset) => device.read(offset, 4),
    w: (offset, value) => device.write(offset, 4, value),
    at: (t) => {
      clock.advanceTo(t);
      return rig;
    },
  };
  return rig;
};
