// Shared set-up of the SuperH TMU specs: register offsets (SH7750 TMU block: TOCR 0x00, TSTR
// 0x04, channel n's TCOR/TCNT/TCR at 0x08/0x0C/0x10 + 0x0C·n, TCPR2 0x2C), TCR bits, and a
// device on a 40 MHz Pφ (Pφ/4 counts of 100 ns) with its events. Each register is accessed at
// its own width: TOCR and TSTR bytes, TCR halfwords, the rest words.
import { ShTmu } from '../../../devices/sh-tmu';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const TOCR = 0x00;
export const TSTR = 0x04;
export const TCPR2 = 0x2c;
/** Channel n's TCOR. */
export const tcor = (n: number): number => 0x08 + 0x0c * n;
/** Channel n's TCNT. */
export const tcnt = (n: number): number => 0x0c + 0x0c * n;
/** Channel n's TCR. */
export const tcr = (n: number): number => 0x10 + 0x0c * n;

/** TCR.TPSC values. */
export const PCLK_4 = 0;
export const PCLK_16 = 1;
export const PCLK_64 = 2;
export const PCLK_256 = 3;
export const PCLK_1024 = 4;
export const TPSC_RESERVED = 5;
export const RTC = 6;
export const TCLK = 7;
/** TCR.CKEG values (bits 4:3). */
export const CKEG_RISING = 0 << 3;
export const CKEG_FALLING = 1 << 3;
export const CKEG_BOTH = 2 << 3;
/** TCR bits. */
export const UNIE = 1 << 5;
export const ICPE = 3 << 6;
export const UNF = 1 << 8;
export const ICPF = 1 << 9;

/** Pφ of the walk-through: 40 MHz, so a Pφ/4 count is 100 ns. */
export const HZ = 40_000_000;
export const COUNT = 100;

export interface Rig {
  readonly clock: VirtualClock;
  readonly pclk: ClockInput;
  readonly rtcclk: ClockInput;
  readonly tclk: ClockInput;
  readonly device: ShTmu;
  readonly events: TraceEvent[];
  /** TCORn, TCNTn, TCPR2: 32-bit. */
  r32(offset: number): number;
  w32(offset: number, value: number): void;
  /** TCRn: 16-bit. */
  r16(offset: number): number;
  w16(offset: number, value: number): void;
  /** TOCR, TSTR: 8-bit. */
  r8(offset: number): number;
  w8(offset: number, value: number): void;
}

export const makeRig = (
  options: { clock?: VirtualClock; hz?: number; rtcHz?: number; tclkHz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const pclk = new ClockInput('pclk', options.hz ?? HZ);
  const rtcclk = new ClockInput('rtcclk', options.rtcHz ?? 16_384);
  const tclk = new ClockInput('tclk', options.tclkHz ?? 0);
  const device = new ShTmu(clock, {
    pclk,
    rtcclk,
    tclk,
    delivery: options.delivery ?? 'sync',
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    pclk,
    rtcclk,
    tclk,
    device,
    events,
    r32: (offset) => device.read(offset, 4),
    w32: (offset, value) => device.write(offset, 4, value),
    r16: (offset) => device.read(offset, 2),
    w16: (offset, value) => device.write(offset, 2, value),
    r8: (offset) => device.read(offset, 1),
    w8: (offset, value) => device.write(offset, 1, value),
  };
};

/** Channel n programmed to count from `count` with `constant` reloads on `tpsc`, its interrupt enabled, and started. */
export const program = (rig: Rig, n: number, constant: number, count = constant, control: number = UNIE | PCLK_4): void => {
  rig.w16(tcr(n), control);
  rig.w32(tcor(n), constant);
  rig.w32(tcnt(n), count);
  rig.w8(TSTR, rig.r8(TSTR) | (1 << n));
};

/** [TCNT, TCR.UNF, TUNIn] of channel n. */
export const state = (rig: Rig, n: number): [number, number, boolean] => [
  rig.r32(tcnt(n)),
  (rig.r16(tcr(n)) & UNF) === 0 ? 0 : 1,
  [rig.device.tuni0, rig.device.tuni1, rig.device.tuni2][n]!.level,
];
