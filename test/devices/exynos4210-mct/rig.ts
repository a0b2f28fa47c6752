// Shared set-up of the Exynos4210 MCT specs: offsets and bits (the names Linux's exynos_mct.c and
// QEMU use), and a device on fin at 25 MHz (40 ns a counter cycle with MCT_CFG 0, whole ns, so
// instants are exact) unless another rate is asked for.
import { Exynos4210Mct } from '../../../devices/exynos4210-mct';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const MCT_CFG = 0x000;
export const G_CNT_L = 0x100;
export const G_CNT_U = 0x104;
export const G_CNT_WSTAT = 0x110;
/** Comparator n's registers. */
export const G_COMP_L = (n: number): number => 0x200 + 0x10 * n;
export const G_COMP_U = (n: number): number => 0x204 + 0x10 * n;
export const G_COMP_ADD_INCR = (n: number): number => 0x208 + 0x10 * n;
export const G_TCON = 0x240;
export const G_INT_CSTAT = 0x244;
export const G_INT_ENB = 0x248;
export const G_WSTAT = 0x24c;

/** Local timer i's register at `reg` (TCNTB … WSTAT below). */
export const L = (i: number, reg: number): number => 0x300 + 0x100 * i + reg;
export const TCNTB = 0x00;
export const TCNTO = 0x04;
export const ICNTB = 0x08;
export const ICNTO = 0x0c;
export const FRCNTB = 0x10;
export const FRCNTO = 0x14;
export const TCON = 0x20;
export const INT_CSTAT = 0x30;
export const INT_ENB = 0x34;
export const WSTAT = 0x40;

/** G_TCON bits. */
export const COMP_ENABLE = (n: number): number => 1 << (2 * n);
export const AUTO_INC = (n: number): number => 1 << (2 * n + 1);
export const TIMER_ENABLE = 1 << 8;
/** G_WSTAT bits. */
export const WSTAT_COMP_L = (n: number): number => 1 << (4 * n);
export const WSTAT_COMP_U = (n: number): number => 1 << (4 * n + 1);
export const WSTAT_ADD_INCR = (n: number): number => 1 << (4 * n + 2);
export const WSTAT_TCON = 1 << 16;
/** L_TCON bits. */
export const TIMER_START = 1 << 0;
export const INT_START = 1 << 1;
export const INTERVAL_MODE = 1 << 2;
export const FRC_START = 1 << 3;
/** L_INT_CSTAT / L_INT_ENB bits. */
export const ICNT = 1 << 0;
export const FRC = 1 << 1;
/** ICNTB's manual update bit. */
export const MANUAL_UPDATE = 0x8000_0000;
/** Ln_WSTAT bits. */
export const LW_TCNTB = 1 << 0;
export const LW_ICNTB = 1 << 1;
export const LW_FRCNTB = 1 << 2;
export const LW_TCON = 1 << 3;

export const HZ = 25_000_000;
/** One counter cycle at 25 MHz with MCT_CFG 0 (ns). */
export const TICK = 40;

export interface RigOptions {
  readonly clock?: VirtualClock;
  readonly hz?: number;
  readonly delivery?: TriggerDelivery;
  readonly timing?: PTimerTiming;
}

export interface Rig {
  readonly clock: VirtualClock;
  readonly fin: ClockInput;
  readonly device: Exynos4210Mct;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** G_CNT as Linux's 64-bit read gets it (U, L, U until the two U agree). */
  gcnt(): bigint;
  /** The levels of g0-g3, l0, l1. */
  lines(): [boolean, boolean, boolean, boolean, boolean, boolean];
}

export const makeRig = (options: RigOptions = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const fin = new ClockInput('fin', options.hz ?? HZ);
  const device = new Exynos4210Mct(clock, { fin, delivery: options.delivery ?? 'sync', ...(options.timing === undefined ? {} : { timing: options.timing }) });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const gcnt = (): bigint => {
    let hi2 = r(G_CNT_U);
    for (;;) {
      const hi = hi2;
      const lo = r(G_CNT_L);
      hi2 = r(G_CNT_U);
      if (hi === hi2) return (BigInt(hi) << 32n) | BigInt(lo);
    }
  };
  const { g0, g1, g2, g3, l0, l1 } = device.lines;
  return {
    clock,
    fin,
    device,
    events,
    r,
    w: (offset, value) => device.write(offset, 4, value >>> 0),
    gcnt,
    lines: () => [g0.level, g1.level, g2.level, g3.level, l0.level, l1.level],
  };
};

/** The register bank's stored values (device-side, no read hooks). */
export const stored = (rig: Rig): Readonly<Record<string, number>> => rig.device.snapshot().registers.registers;
