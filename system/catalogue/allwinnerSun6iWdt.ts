import { AllwinnerWdt } from '../../devices/allwinner-wdt/AllwinnerWdt';
import { allwinnerWdtChannel } from './allwinnerWdtChannel';
import type { CatalogueDeviceType } from './CatalogueChannel';

/**
 * Allwinner A31/H3/H5/A64 watchdog: the `'sun6i'` variant of the Allwinner watchdog model, a
 * self-contained 0x20-byte block. The recipe is system/catalogue/allwinnerWdtChannel.ts.
 */
export const allwinnerSun6iWdt: CatalogueDeviceType<AllwinnerWdt> = {
  type: 'allwinner-sun6i-wdt',
  summary: 'Allwinner A31/H3 watchdog (sun6i): 0.5-16 s from a table on HOSC/750, interrupt (IRQ_EN/IRQ_STA) and system reset (CFG)',
  clocks: [{ name: 'hosc', hz: 24_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new AllwinnerWdt(scheduler, { variant: 'sun6i', name, hosc: clocks['hosc']!, delivery, timing }),
  channels: [allwinnerWdtChannel('sun6i', 'allwinner-sun6i-wdt')],
};
