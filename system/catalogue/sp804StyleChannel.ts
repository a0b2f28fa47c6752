import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

/** The registers of one SP804-style counter (SP804 and the CMSDK dual timer share the layout). */
export interface Sp804StyleRegisters {
  readonly load: { readonly offset: number };
  readonly value: { readonly offset: number };
  readonly control: { readonly offset: number };
  readonly intClr: { readonly offset: number };
  readonly ris: { readonly offset: number };
  readonly bgLoad: { readonly offset: number };
}

const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

/**
 * The recipe for one counter of an SP804-style timer. Periodic rounds last
 * Load + 1 ticks (the count rests at 0 for one) and the first round after a
 * Load write lasts Load ticks, so `start(ticks)` writes Load = ticks (the
 * count) and then BGLoad = ticks - 1 (the reload only): every round is `ticks`
 * TIMCLK cycles at ÷1. A reload of 0 holds the counter at 0, hence `minTicks`
 * 2. Status is TimerXRIS (set whatever IntEnable says); the line TIMINTn.
 * @param device - the type name, for error messages
 * @param n - which counter (1 or 2; the Integrator/CP's 0, 1 or 2): its channel is `timer<n>`, its line `timint<n>`
 * @param reg - its registers
 * @param setup - Control for 32-bit periodic ÷1, disabled (written first, so Load is not cut to 16 bits)
 * @param run - Control for the same, enabled with its interrupt
 * @param clock - the clock input it counts (default `timclk`)
 */
export const sp804StyleChannel = (device: string, n: number, reg: Sp804StyleRegisters, setup: number, run: number, clock = 'timclk'): CatalogueChannel => ({
  name: `timer${n}`,
  kind: 'timer',
  clock,
  minTicks: MIN_TICKS,
  maxTicks: MAX_TICKS,
  start: (ticks) => {
    checkTicks(ticks, MIN_TICKS, MAX_TICKS, `${device}.timer${n}.start(ticks)`);
    return [
      guestWrite(reg.control.offset, setup),
      guestWrite(reg.load.offset, ticks), // the count restarts from it: the first round is `ticks`
      guestWrite(reg.bgLoad.offset, ticks - 1), // the reload only: later rounds are Load + 1
      guestWrite(reg.intClr.offset, 1),
      guestWrite(reg.control.offset, run),
    ];
  },
  counter: { offset: reg.value.offset, size: 4, direction: 'down' },
  status: { offset: reg.ris.offset, size: 4, mask: 1 },
  acknowledge: [guestWrite(reg.intClr.offset, 1)],
  line: `timint${n}`,
});
