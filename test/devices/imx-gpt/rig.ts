// Shared set-up of the i.MX GPT specs: offsets and bits (manual names), and a device with
// ipg at 50 MHz (20 ns per cycle with PRESCALER 0), ipgHighfreq at 24 MHz, ext at 1 MHz,
// ipg32k at 32.768 kHz and the 24 MHz crystal (osc), of the variant asked for ('imx6' by default).
import { ImxGpt, type ImxGptVariant } from '../../../devices/imx-gpt';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const CR = 0x00;
export const PR = 0x04;
export const SR = 0x08;
export const IR = 0x0c;
export const OCR1 = 0x10;
export const OCR2 = 0x14;
export const OCR3 = 0x18;
export const ICR1 = 0x1c;
export const ICR2 = 0x20;
export const CNT = 0x24;

/** CR bits. */
export const EN = 1 << 0;
export const ENMOD = 1 << 1;
export const DBGEN = 1 << 2;
export const WAITEN = 1 << 3;
export const DOZEEN = 1 << 4;
export const STOPEN = 1 << 5;
export const clksrc = (n: number): number => n << 6;
export const FRR = 1 << 9;
export const EN_24M = 1 << 10;
export const SWR = 1 << 15;
export const IM1 = (n: number): number => n << 16;
export const IM2 = (n: number): number => n << 18;
export const OM1 = (n: number): number => n << 20;
export const FO1 = 1 << 29;
export const FO3 = 1 << 31;
/** CLKSRC values. */
export const IPG = clksrc(1);
export const HIGHFREQ = clksrc(2);
export const EXT = clksrc(3);
export const K32 = clksrc(4);
/** PR fields. */
export const prescaler24m = (n: number): number => n << 12;
/** SR / IR bits. */
export const OF1 = 1 << 0;
export const OF2 = 1 << 1;
export const OF3 = 1 << 2;
export const IF1 = 1 << 3;
export const IF2 = 1 << 4;
export const ROV = 1 << 5;

export const MAX = 0xffff_ffff;
export const HZ = 50_000_000;
export const TICK = 20;

export interface RigOptions {
  readonly clock?: VirtualClock;
  readonly variant?: ImxGptVariant;
  readonly delivery?: TriggerDelivery;
  readonly timing?: PTimerTiming;
  /** Leave the crystal input out (default: connected, unless the variant is 'imx31'). */
  readonly noOsc?: boolean;
  /** Leave the GPT_CLK pad input out. */
  readonly noExt?: boolean;
}

export interface Rig {
  readonly clock: VirtualClock;
  readonly ipg: ClockInput;
  readonly hf: ClockInput;
  readonly ext: ClockInput;
  readonly k32: ClockInput;
  readonly osc: ClockInput;
  readonly device: ImxGpt;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** [CNT, SR, line]. */
  state(): [number, number, boolean];
}

export const makeRig = (options: RigOptions = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const ipg = new ClockInput('ipg', HZ);
  const hf = new ClockInput('ipg_highfreq', 24_000_000);
  const ext = new ClockInput('gpt_clk', 1_000_000);
  const k32 = new ClockInput('ipg_32k', 32_768);
  const osc = new ClockInput('osc', 24_000_000);
  const variant = options.variant ?? 'imx6';
  const device = new ImxGpt(clock, {
    ipg,
    ipgHighfreq: hf,
    ipg32k: k32,
    ext: options.noExt === true ? undefined : ext,
    osc: options.noOsc === true || variant === 'imx31' ? undefined : osc,
    variant,
    delivery: options.delivery ?? 'sync',
    timing: options.timing,
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  return { clock, ipg, hf, ext, k32, osc, device, events, r, w: (o, v) => device.write(o, 4, v), state: () => [r(CNT), r(SR), device.irq.level] };
};
