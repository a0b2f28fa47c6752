// Shared set-up of the MCF5206 timer module specs: the manual's offsets (from MBAR + 0x100) and
// bits, 16-bit accesses (TER: 8-bit), a 25 MHz system clock (40 ns a step at ÷1), and the
// device's events.
import { Mcf5206Timer } from '../../../devices/mcf5206-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

/** Timer n's registers (n = 1, 2). */
export const TMR = (n: 1 | 2): number => (n - 1) * 0x20 + 0x00;
export const TRR = (n: 1 | 2): number => (n - 1) * 0x20 + 0x04;
export const TCR = (n: 1 | 2): number => (n - 1) * 0x20 + 0x08;
export const TCN = (n: 1 | 2): number => (n - 1) * 0x20 + 0x0c;
export const TER = (n: 1 | 2): number => (n - 1) * 0x20 + 0x11;

/** TMR bits and fields. */
export const RST = 1 << 0;
export const CLK_STOP = 0b00 << 1;
export const CLK1 = 0b01 << 1;
export const CLK16 = 0b10 << 1;
export const CLK_TIN = 0b11 << 1;
export const FRR = 1 << 3;
export const ORI = 1 << 4;
export const OM = 1 << 5;
export const CE = (n: number): number => n << 6;
export const PS = (n: number): number => n << 8;
/** TER bits. */
export const CAP = 1 << 0;
export const REF = 1 << 1;

export const HZ = 25_000_000;
/** One step at ÷1: 40 ns. */
export const TICK = 40;

export interface Rig {
  readonly clock: VirtualClock;
  readonly sysclk: ClockInput;
  readonly device: Mcf5206Timer;
  readonly events: TraceEvent[];
  /** A 16-bit read, or a byte read for TER. */
  r(offset: number): number;
  /** A 16-bit write, or a byte write for TER. */
  w(offset: number, value: number): void;
  /** Timer n's [TCN, TER.REF, line]. */
  state(n?: 1 | 2): [number, number, boolean];
}

const isTer = (offset: number): boolean => offset % 0x20 === 0x11;

export const makeRig = (options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const sysclk = new ClockInput('sysclk', options.hz ?? HZ);
  const device = new Mcf5206Timer(clock, { sysclk, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, isTer(offset) ? 1 : 2);
  return {
    clock,
    sysclk,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, isTer(offset) ? 1 : 2, value),
    state: (n = 1) => [r(TCN(n)), (r(TER(n)) & REF) === 0 ? 0 : 1, device.lines[`timer${n}`].level],
  };
};

/** Linux's set-up order: TMR = 0 (reset), TRR, then TMR = `mode` (with RST). */
export const program = (rig: Rig, n: 1 | 2, trr: number, mode: number): void => {
  rig.w(TMR(n), 0);
  rig.w(TRR(n), trr);
  rig.w(TMR(n), mode);
};
