// Shared set-up of the 88W8618 PIT specs: offsets from the PIC's base (the PIT page at 0x1000),
// a 1 MHz tclk (1 µs a tick, QEMU's rate), and the device's events.
import { Mv88w8618Pit } from '../../../devices/mv88w8618-pit';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const PIC_STATUS = 0x000;
export const PIC_ENABLE_SET = 0x008;
export const PIC_ENABLE_CLR = 0x00c;
export const LENGTH = [0x1000, 0x1004, 0x1008, 0x100c] as const;
export const CONTROL = 0x1010;
export const VALUE = [0x1014, 0x1018, 0x101c, 0x1020] as const;
export const BOARD_RESET = 0x1034;

/** Timer n's PIC bit (IRQ 4 + n). */
export const PIC = (n: number): number => 1 << (4 + n);
/** CONTROL's nibble for timer n with its lowest bit set (any bit runs it). */
export const RUN = (n: number): number => 1 << (4 * n);

export const TCLK_HZ = 1_000_000;
export const TICK = 1_000;

export interface Rig {
  readonly clock: VirtualClock;
  readonly tclk: ClockInput;
  readonly device: Mv88w8618Pit;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const tclk = new ClockInput('tclk', options.hz ?? TCLK_HZ);
  const device = new Mv88w8618Pit(clock, { tclk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, tclk, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};

/** Timer n running periodically every `length` ticks from now, its PIC input enabled (the firmware's tick set-up). */
export const startTimer = (rig: Rig, n: number, length: number): void => {
  rig.w(PIC_ENABLE_CLR, PIC(n));
  rig.w(LENGTH[n]!, length);
  rig.w(CONTROL, rig.r(CONTROL) | RUN(n));
  rig.w(PIC_ENABLE_SET, PIC(n));
};
