// Shared set-up of the AXI Timer specs: the device on a virtual clock, its register offsets
// and TCSR bits by PG079 mnemonic, and one-line accessors for the guest's 32-bit reads/writes.
import { XilinxAxiTimer } from '../../../devices/xilinx-axi-timer';
import { ClockInput, VirtualClock, type TraceEvent, type TriggerDelivery } from '../../../index';

/** One S_AXI_ACLK clock at the default 100 MHz, ns. */
export const CLOCK_NS = 10;

/** Register offsets (timer 0 at +0x00, timer 1 at +0x10). */
export const TCSR0 = 0x00;
export const TLR0 = 0x04;
export const TCR0 = 0x08;
export const TCSR1 = 0x10;
export const TLR1 = 0x14;
export const TCR1 = 0x18;

/** TCSR bits (the same positions in TCSR0 and TCSR1; CASC in TCSR0 only). */
export const MDT = 1 << 0;
export const UDT = 1 << 1;
export const GENT = 1 << 2;
export const CAPT = 1 << 3;
export const ARHT = 1 << 4;
export const LOAD = 1 << 5;
export const ENIT = 1 << 6;
export const ENT = 1 << 7;
export const TINT = 1 << 8;
export const PWMA = 1 << 9;
export const ENALL = 1 << 10;
export const CASC = 1 << 11;

export const MAX = 0xffff_ffff;

/** The device on a fresh clock (optionally started at `start` ns), with its events collected. */
export const rig = (options: { hz?: number; delivery?: TriggerDelivery; name?: string; start?: number } = {}) => {
  const clock = new VirtualClock({ start: options.start ?? 0 });
  const aclk = new ClockInput('S_AXI_ACLK', options.hz ?? 100_000_000);
  const timer = new XilinxAxiTimer(clock, { aclk, delivery: options.delivery ?? 'sync', name: options.name });
  const events: TraceEvent[] = [];
  timer.events$.subscribe((e) => events.push(e));
  return {
    clock,
    aclk,
    timer,
    events,
    /** A 32-bit guest read. */
    r: (offset: number): number => timer.read(offset, 4),
    /** A 32-bit guest write. */
    w: (offset: number, value: number): void => timer.write(offset, 4, value >>> 0),
  };
};
