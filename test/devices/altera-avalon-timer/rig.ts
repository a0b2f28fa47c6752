// Shared set-up of the interval timer specs: register offsets (the guide's names), a 50 MHz
// clk (20 ns per cycle, the usual Nios II system clock), and a device with its events.
import { AlteraAvalonTimer } from '../../../devices/altera-avalon-timer';
import { ClockInput, VirtualClock, type TraceEvent, type TriggerDelivery } from '../../../index';

export const STATUS = 0x00;
export const CONTROL = 0x04;
export const PERIODL = 0x08;
export const PERIODH = 0x0c;
export const SNAPL = 0x10;
export const SNAPH = 0x14;

/** status bits. */
export const TO = 0b01;
export const RUN = 0b10;
/** control bits. */
export const ITO = 0b0001;
export const CONT = 0b0010;
export const START = 0b0100;
export const STOP = 0b1000;

/** 50 MHz: one clk cycle every 20 ns. */
export const HZ = 50_000_000;
export const TICK = 20;

export interface Rig {
  readonly clock: VirtualClock;
  readonly clk: ClockInput;
  readonly device: AlteraAvalonTimer;
  /** Everything `device.events$` emitted. */
  readonly events: TraceEvent[];
  /** A 32-bit guest read. */
  r(offset: number): number;
  /** A 32-bit guest write. */
  w(offset: number, value: number): void;
  /** Writes the period registers (P = timeout cycles - 1), low half first. */
  period(p: number): void;
  /** The counter as a driver reads it: a snapl write, then snapl and snaph. */
  snap(): number;
  /** Guest-visible state: [counter (via snap), status, line]. */
  state(): [number, number, boolean];
}

export const makeRig = (
  options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; initialPeriod?: number } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const clk = new ClockInput('clk', options.hz ?? HZ);
  const device = new AlteraAvalonTimer(clock, {
    clk,
    delivery: options.delivery ?? 'sync',
    ...(options.initialPeriod !== undefined ? { initialPeriod: options.initialPeriod } : {}),
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const w = (offset: number, value: number): void => device.write(offset, 4, value);
  const snap = (): number => {
    w(SNAPL, 0);
    return (r(SNAPL) | (r(SNAPH) << 16)) >>> 0;
  };
  return {
    clock,
    clk,
    device,
    events,
    r,
    w,
    period: (p) => {
      w(PERIODL, p & 0xffff);
      w(PERIODH, p >>> 16);
    },
    snap,
    state: () => [snap(), r(STATUS), device.irq.level],
  };
};
