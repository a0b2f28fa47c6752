// Shared set-up of the GPTIMER specs: register offsets (GR712RC §11.3: SCALER 0x00, SRELOAD
// 0x04, CONFIG 0x08, timer n's block at 0x10·n), TCTRL bits, and a core on a 40 MHz clock
// (25 ns a cycle, QEMU's leon3_generic) with its events.
import { GrlibGptimer, type GrlibGptimerOptions } from '../../../devices/grlib-gptimer';
import { ClockInput, VirtualClock, type TraceEvent } from '../../../index';

export const SCALER = 0x00;
export const SRELOAD = 0x04;
export const CONFIG = 0x08;
export const LATCHCFG = 0x0c;
/** Timer n's (1-based) TCNTVAL, TRLDVAL, TCTRL, TLATCH. */
export const tcnt = (n: number): number => 0x10 * n;
export const trld = (n: number): number => 0x10 * n + 0x04;
export const tctrl = (n: number): number => 0x10 * n + 0x08;
export const tlatch = (n: number): number => 0x10 * n + 0x0c;

/** TCTRL bits (GR712RC table 54). */
export const EN = 1 << 0;
export const RS = 1 << 1;
export const LD = 1 << 2;
export const IE = 1 << 3;
export const IP = 1 << 4;
export const CH = 1 << 5;
export const DH = 1 << 6;
/** CONFIG.DF. */
export const DF = 1 << 9;

export const HZ = 40_000_000;
/** One clock cycle at 40 MHz, ns. */
export const CYCLE = 25;

export interface Rig {
  readonly clock: VirtualClock;
  readonly clk: ClockInput;
  readonly device: GrlibGptimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** The level of the line named `irq<number>`. */
  line(irq: number): boolean;
}

export const makeRig = (options: Omit<GrlibGptimerOptions, 'clk'> & { readonly clock?: VirtualClock; readonly hz?: number } = {}): Rig => {
  const { clock: given, hz, ...rest } = options;
  const clock = given ?? new VirtualClock();
  const clk = new ClockInput('clk', hz ?? HZ);
  const device = new GrlibGptimer(clock, { clk, delivery: 'sync', ...rest });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    clk,
    device,
    events,
    r: (offset) => device.read(offset, 4),
    w: (offset, value) => device.write(offset, 4, value),
    line: (irq) => device.lines[`irq${irq}`]!.level,
  };
};
