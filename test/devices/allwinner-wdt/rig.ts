// Shared set-up of the Allwinner watchdog specs: each variant's offsets (manual names; sun4i's
// relative to the A10 timer block's base, W1), HOSC at 24 MHz (a watchdog tick, HOSC ÷ 750, is
// 31 250 ns; half a second is 16 000 ticks), and the device's events.
import { AllwinnerWdt, type AllwinnerWdtVariant } from '../../../devices/allwinner-wdt';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

/** A variant's registers and bits, as a driver knows them. */
export interface Regs {
  readonly variant: AllwinnerWdtVariant;
  /** The interrupt enable register, and the watchdog's bit in it. */
  readonly IRQ_EN: number;
  /** The interrupt status register (write 1 to clear), and the watchdog's bit in it. */
  readonly IRQ_STA: number;
  /** The watchdog's bit in both. */
  readonly BIT: number;
  readonly CTRL: number;
  /** sun6i's WDOG_CFG_REG; on sun4i Linux configures the reset in WDOG_MODE_REG. */
  readonly CFG: number;
  readonly MODE: number;
  /** WDOG_INTV_VALUE's lowest bit in WDOG_MODE_REG. */
  readonly INTV: number;
  /** What Linux clears and sets in CFG to make a timeout reset the system. */
  readonly RESET_MASK: number;
  readonly RESET_VAL: number;
}

/** A10 timer block offsets (W1): the watchdog's bit 8 of TMR_IRQ_EN/STA, WDOG_CTRL/MODE at 0x90/0x94 (Linux's base is 0x90). */
export const SUN4I: Regs = { variant: 'sun4i', IRQ_EN: 0x00, IRQ_STA: 0x04, BIT: 1 << 8, CTRL: 0x90, CFG: 0x94, MODE: 0x94, INTV: 3, RESET_MASK: 0x2, RESET_VAL: 0x2 };
export const SUN6I: Regs = { variant: 'sun6i', IRQ_EN: 0x00, IRQ_STA: 0x04, BIT: 1, CTRL: 0x10, CFG: 0x14, MODE: 0x18, INTV: 4, RESET_MASK: 0x3, RESET_VAL: 0x1 };
export const REGS: Readonly<Record<AllwinnerWdtVariant, Regs>> = { sun4i: SUN4I, sun6i: SUN6I };

/** WDOG_MODE_REG.WDOG_EN and sun4i's WDOG_RST_EN. */
export const EN = 1 << 0;
export const RST_EN = 1 << 1;
/** The kick: key 0xA57 in bits 12:1, WDOG_RSTART. */
export const KICK = (0xa57 << 1) | 1;

export const HOSC_HZ = 24_000_000;
/** One watchdog tick at 24 MHz (750 HOSC cycles). */
export const TICK = 31_250;
/** Half a second: 16 000 ticks. */
export const HALF = 500_000_000;
/** The table's intervals in ns at 24 MHz, by WDOG_INTV_VALUE. */
export const INTERVALS_NS = [1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 28, 32].map((h) => h * HALF);

export interface Rig {
  readonly regs: Regs;
  readonly clock: VirtualClock;
  readonly hosc: ClockInput;
  readonly device: AllwinnerWdt;
  readonly events: TraceEvent[];
  r(offset: number): number;
  w(offset: number, value: number): void;
  /** Interval `intv`, enabled: the countdown restarts; with `reset`, a timeout resets the system (sun6i WDOG_CONFIG 01, sun4i WDOG_RST_EN). */
  enable(intv: number, options?: { readonly reset?: boolean; readonly irq?: boolean }): void;
  kick(): void;
  /** [pending bit, irq line, reset line]. */
  state(): [boolean, boolean, boolean];
  /** The times of the timeouts so far (`expiry` events). */
  timeouts(): number[];
}

export const makeRig = (
  variant: AllwinnerWdtVariant,
  options: { clock?: VirtualClock; hz?: number; delivery?: TriggerDelivery; timing?: PTimerTiming } = {},
): Rig => {
  const regs = REGS[variant];
  const clock = options.clock ?? new VirtualClock();
  const hosc = new ClockInput('hosc', options.hz ?? HOSC_HZ);
  const device = new AllwinnerWdt(clock, { variant, hosc, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  const r = (offset: number): number => device.read(offset, 4);
  const w = (offset: number, value: number): void => device.write(offset, 4, value);
  return {
    regs,
    clock,
    hosc,
    device,
    events,
    r,
    w,
    enable: (intv, { reset = false, irq = false } = {}) => {
      if (irq) w(regs.IRQ_EN, regs.BIT);
      if (variant === 'sun6i') {
        if (reset) w(regs.CFG, 0b01);
        w(regs.MODE, (intv << regs.INTV) | EN);
      } else {
        w(regs.MODE, (intv << regs.INTV) | (reset ? RST_EN : 0) | EN);
      }
    },
    kick: () => w(regs.CTRL, KICK),
    state: () => [(r(regs.IRQ_STA) & regs.BIT) !== 0, device.irq.level, device.resetRequest.level],
    timeouts: () => events.filter((e) => e.kind === 'expiry').map((e) => e.time),
  };
};
