// Shared set-up of the Allwinner A10 timer specs: register offsets and CTRL bits (manual
// names), the two clock inputs, and a device with its events.
import { AllwinnerA10Pit } from '../../../devices/allwinner-a10-pit';
import { ClockInput, VirtualClock, type PTimerTiming, type TraceEvent, type TriggerDelivery } from '../../../index';

export const TMR_IRQ_EN_REG = 0x00;
export const TMR_IRQ_STA_REG = 0x04;
/** TMRn_CTRL_REG, TMRn_INTV_VALUE_REG, TMRn_CUR_VALUE_REG of timer n. */
export const CTRL = (n: number): number => 0x10 + 0x10 * n;
export const INTV = (n: number): number => 0x14 + 0x10 * n;
export const CUR = (n: number): number => 0x18 + 0x10 * n;
export const AVS_CNT_CTL_REG = 0x80;
export const AVS_CNT0_REG = 0x84;
export const AVS_CNT_DIV_REG = 0x8c;
export const WDOG_CTRL_REG = 0x90;
export const WDOG_MODE_REG = 0x94;
export const CNT64_CTRL_REG = 0xa0;
export const CNT64_LO_REG = 0xa4;
export const CNT64_HI_REG = 0xa8;

/** TMRn_CTRL bits. */
export const EN = 1 << 0;
export const RELOAD = 1 << 1;
export const SRC_LOSC = 0 << 2;
export const SRC_OSC24M = 1 << 2;
export const PRES = (n: number): number => n << 4; // divide by 2^n
export const SINGLE = 1 << 7;

/** CNT64_CTRL bits. */
export const CNT64_CLR_EN = 1 << 0;
export const CNT64_RL_EN = 1 << 1;

/** LOSC ÷64: 64 / 32 768 Hz = 1 953 125 ns exactly, so every tick boundary is a whole ns. */
export const LOSC_DIV64 = SRC_LOSC | PRES(6);
export const LOSC_TICK = 1_953_125;

export interface Rig {
  readonly clock: VirtualClock;
  readonly losc: ClockInput;
  readonly osc24m: ClockInput;
  readonly device: AllwinnerA10Pit;
  /** Everything `device.events$` emitted. */
  readonly events: TraceEvent[];
  /** A 32-bit guest read. */
  r(offset: number): number;
  /** A 32-bit guest write. */
  w(offset: number, value: number): void;
}

export const makeRig = (options: { clock?: VirtualClock; delivery?: TriggerDelivery; timing?: PTimerTiming } = {}): Rig => {
  const clock = options.clock ?? new VirtualClock();
  const losc = new ClockInput('losc', 32_768);
  const osc24m = new ClockInput('osc24m', 24_000_000);
  const device = new AllwinnerA10Pit(clock, { losc, osc24m, delivery: options.delivery ?? 'sync', timing: options.timing });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return {
    clock,
    losc,
    osc24m,
    device,
    events,
    r: (offset) => device.read(offset, 4),
    w: (offset, value) => device.write(offset, 4, value),
  };
};

/** The stored register values, read device-side (no hooks, no side effects). */
export const storedRegisters = (device: AllwinnerA10Pit): Record<string, number> =>
  (device.snapshot() as unknown as { registers: { registers: Record<string, number> } }).registers.registers;
