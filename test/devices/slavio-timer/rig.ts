// Shared set-up of the SLAVIO counter/timer specs: register offsets (the chip's layout: processor
// counter n at 0x1000·n, the system counter at 0x1_0000), the word encodings the drivers use, and
// a device on a 2 MHz clock (500 ns steps, every sun4m machine's) with its events.
import { SlavioTimer, type SlavioTimerLayout } from '../../../devices/slavio-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

/** The system block in the chip's layout. */
export const SYS = 0x1_0000;
export const SYS_LIMIT = SYS + 0x00;
export const SYS_COUNTER = SYS + 0x04;
export const SYS_LIMIT_NR = SYS + 0x08;
export const TIMER_CONFIG = SYS + 0x10;

/** Processor counter n's block. */
export const cpu = (n: number): number => 0x1000 * n;
export const LIMIT = 0x00;
export const COUNTER = 0x04;
export const LIMIT_NR = 0x08;
export const START_STOP = 0x0c;

/** Bit 31 of a counter word: limit reached. */
export const REACHED = 0x8000_0000;

export const HZ = 2_000_000;
/** One step of the counters: 500 ns. */
export const STEP = 500;

/** The limit word for a period of `cycles` steps: Linux's timer_value, (cycles + 1) << 9 (X1). */
export const limitFor = (cycles: number): number => (cycles + 1) * 512;
/** A counter word showing `count` steps (and limit reached when `reached`). */
export const word = (count: number, reached = false): number => (count * 512 + (reached ? REACHED : 0)) >>> 0;

export interface Rig {
  readonly clock: VirtualClock;
  readonly clk: ClockInput;
  readonly device: SlavioTimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export interface RigOptions {
  readonly clock?: VirtualClock;
  readonly hz?: number;
  readonly cpus?: number;
  readonly layout?: SlavioTimerLayout;
  readonly delivery?: TriggerDelivery;
  readonly timing?: PTimerTiming;
}

export const makeRig = (options: RigOptions = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const clk = new ClockInput('clk', options.hz ?? HZ);
  const device = new SlavioTimer(clock, {
    clk,
    delivery: options.delivery ?? 'sync',
    ...(options.cpus === undefined ? {} : { cpus: options.cpus }),
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, clk, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};

/** The count a counter word shows (bits 30:9). */
export const countOf = (value: number): number => Math.floor(value / 512) % 0x40_0000;
