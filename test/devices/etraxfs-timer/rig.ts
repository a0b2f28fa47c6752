// Shared set-up of the ETRAX FS timer specs: offsets and encodings from the register description
// (timer_defs.h), the clocks at their chip rates (f100: 10 ns a cycle), and the device's events.
import { EtraxfsTimer } from '../../../devices/etraxfs-timer';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const DIV = [0x00, 0x10] as const;
export const DATA = [0x04, 0x14] as const;
export const CTRL = [0x08, 0x18] as const;
export const R_TIME = 0x38;
export const WD_CTRL = 0x40;
export const WD_STAT = 0x44;
export const INTR_MASK = 0x48;
export const ACK_INTR = 0x4c;
export const R_INTR = 0x50;
export const MASKED_INTR = 0x54;

export const LD = 0;
export const HOLD = 1;
export const RUN = 2;
export const F100 = 7;
export const F32 = 5;
export const F29 = 4;
export const F32K = 6;
export const EXT = 1;
/** rw_tmrN_ctrl = op | freq << 2. */
export const ctrl = (op: number, freq = F100): number => op | (freq << 2);
/** rw_wd_ctrl = cnt | cmd << 8 | key << 9. */
export const wd = (cnt: number, cmd: number, key: number): number => (cnt | (cmd << 8) | (key << 9)) >>> 0;

export const CYCLE = 10; // ns at 100 MHz
export const WD_STEP_NS = 1_310_720; // 131072 cycles of 10 ns

export interface Rig {
  readonly clock: VirtualClock;
  readonly f100: ClockInput;
  readonly ext: ClockInput;
  readonly device: EtraxfsTimer;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const f100 = new ClockInput('f100', 100_000_000);
  const ext = new ClockInput('ext', 0);
  const device = new EtraxfsTimer(clock, { f100, ext, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, f100, ext, device, events, r: (offset) => device.read(offset, 4), w: (offset, value) => device.write(offset, 4, value) };
};

/** Timer i periodic every `div` f100 cycles from now, its interrupt unmasked (Linux's set-up: ld, then run). */
export const startTimer = (rig: Rig, i: 0 | 1, div: number): void => {
  rig.w(DIV[i], div);
  rig.w(CTRL[i], ctrl(LD));
  rig.w(CTRL[i], ctrl(RUN));
  rig.w(INTR_MASK, rig.r(INTR_MASK) | (1 << i));
};
