import { AllwinnerWdt } from '../../devices/allwinner-wdt/AllwinnerWdt';
import { allwinnerWdtChannel } from './allwinnerWdtChannel';
import type { CatalogueDeviceType } from './CatalogueChannel';

/**
 * Allwinner A10/A20/R40 watchdog: the `'sun4i'` variant of the Allwinner watchdog model, mapped
 * at the A10 timer block's base (its registers are at 0x90/0x94 and bit 8 of 0x00/0x04 there;
 * the block's timers are not modelled by it). The recipe is system/catalogue/allwinnerWdtChannel.ts.
 */
export const allwinnerSun4iWdt: CatalogueDeviceType<AllwinnerWdt> = {
  type: 'allwinner-sun4i-wdt',
  summary: 'Allwinner A10/A20 watchdog (sun4i) in the A10 timer block: 0.5-16 s from a table on HOSC/750, interrupt and system reset',
  clocks: [{ name: 'hosc', hz: 24_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new AllwinnerWdt(scheduler, { variant: 'sun4i', name, hosc: clocks['hosc']!, delivery, timing }),
  channels: [allwinnerWdtChannel('sun4i', 'allwinner-sun4i-wdt')],
};
