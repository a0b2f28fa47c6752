// Shared set-up of the eTSEC poll timer specs: offsets in the controller's block, a 125 MHz
// transmit clock (8 ns a clock, a poll every 512 clocks = 4 096 ns), and the device's events.
import { FslEtsecTimer, type FslEtsecTxRing } from '../../../devices/fsl-etsec-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const IEVENT = 0x010;
export const IMASK = 0x014;
export const DMACTRL = 0x02c;
export const TSTAT = 0x104;
export const MACCFG1 = 0x500;

/** IEVENT/IMASK bits. */
export const TXF = 1 << 20;
export const TXB = 1 << 21;
export const GTSC = 1 << 25;
/** DMACTRL bits. */
export const WOP = 1 << 0;
export const WWR = 1 << 1;
export const TOD = 1 << 2;
export const GTS = 1 << 3;
export const GRS = 1 << 4;
/** gianfar's and U-Boot's DMACTRL_INIT_SETTINGS: TDSEN | TBDSEN | WWR | WOP. */
export const INIT_SETTINGS = 0xc3;

export const TXCLK_HZ = 125_000_000;
export const POLL_NS = 4_096;

export interface Rig {
  readonly clock: VirtualClock;
  readonly txclk: ClockInput;
  readonly device: FslEtsecTimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; txRing?: FslEtsecTxRing; hz?: number; pollCycles?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const txclk = new ClockInput('txclk', options.hz ?? TXCLK_HZ);
  const device = new FslEtsecTimer(clock, {
    txclk,
    txRing: options.txRing ?? 'endless',
    pollCycles: options.pollCycles,
    delivery: options.delivery ?? 'sync',
    timing: options.timing,
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, txclk, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};
