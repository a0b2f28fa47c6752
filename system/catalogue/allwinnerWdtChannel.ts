import {
  ALLWINNER_WDT_HOSC_DIVISOR,
  ALLWINNER_WDT_INTERVALS,
  ALLWINNER_WDT_TICKS_PER_HALF_SECOND,
  type AllwinnerWdtVariant,
} from '../../devices/allwinner-wdt/AllwinnerWdt';
import { ALLWINNER_WDT_KEY, ALLWINNER_WDT_REGISTERS } from '../../devices/allwinner-wdt/ALLWINNER_WDT_REGISTERS';
import { guestWrite, type GuestWrite } from '../../src/bus/GuestAccess';
import { SystemConfigError } from '../errors';
import type { CatalogueChannel } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

/** Each interval of the table in HOSC cycles (ticks of HOSC ÷ 750), by WDOG_INTV_VALUE: 0.5 s … 16 s at 24 MHz. */
const TABLE: readonly number[] = Object.freeze(ALLWINNER_WDT_INTERVALS.map((h) => h * ALLWINNER_WDT_TICKS_PER_HALF_SECOND * ALLWINNER_WDT_HOSC_DIVISOR));

/** The kick Linux writes: the key in bits 12:1 and WDOG_RSTART. */
const KICK = ((ALLWINNER_WDT_KEY << 1) | 1) >>> 0;

/** A variant's registers and bits for the recipe. */
interface Recipe {
  readonly status: { readonly offset: number; readonly mask: number };
  readonly enable: { readonly offset: number; readonly mask: number };
  readonly ctrl: number;
  readonly mode: number;
  /** The WDOG_INTV_VALUE field's lowest bit in WDOG_MODE_REG. */
  readonly intvLsb: number;
  /** Accesses (before enabling) that make a timeout request a system reset: sun6i's WDOG_CFG_REG write; none on sun4i. */
  readonly resetConfig: readonly GuestWrite[];
  /** WDOG_MODE_REG's bits besides the interval that start it: WDOG_EN (and sun4i's WDOG_RST_EN). */
  readonly modeRun: number;
}

const recipeOf = (variant: AllwinnerWdtVariant): Recipe => {
  if (variant === 'sun4i') {
    const R = ALLWINNER_WDT_REGISTERS.sun4i.byName;
    const mode = R.WDOG_MODE_REG.fieldByName;
    return {
      status: { offset: R.TMR_IRQ_STA_REG.offset, mask: R.TMR_IRQ_STA_REG.fieldByName.WDOG_IRQ_PEND.mask },
      enable: { offset: R.TMR_IRQ_EN_REG.offset, mask: R.TMR_IRQ_EN_REG.fieldByName.WDOG_IRQ_EN.mask },
      ctrl: R.WDOG_CTRL_REG.offset,
      mode: R.WDOG_MODE_REG.offset,
      intvLsb: mode.WDOG_INTV_VALUE.lsb,
      resetConfig: [],
      modeRun: mode.WDOG_RST_EN.mask | mode.WDOG_EN.mask,
    };
  }
  const R = ALLWINNER_WDT_REGISTERS.sun6i.byName;
  const mode = R.WDOG_MODE_REG.fieldByName;
  return {
    status: { offset: R.WDOG_IRQ_STA_REG.offset, mask: R.WDOG_IRQ_STA_REG.fieldByName.WDOG_IRQ_PEND.mask },
    enable: { offset: R.WDOG_IRQ_EN_REG.offset, mask: R.WDOG_IRQ_EN_REG.fieldByName.WDOG_IRQ_EN.mask },
    ctrl: R.WDOG_CTRL_REG.offset,
    mode: R.WDOG_MODE_REG.offset,
    intvLsb: mode.WDOG_INTV_VALUE.lsb,
    resetConfig: [guestWrite(R.WDOG_CFG_REG.offset, 0b01)], // WDOG_CONFIG 01: to whole system
    modeRun: mode.WDOG_EN.mask,
  };
};

/**
 * The recipe of an Allwinner watchdog (either variant), driven as Linux's sunxi_wdt driver
 * sets it up, with the interrupt enabled too. The timeout comes from the interval table, so
 * `start(ticks)` takes only its entries ({@link CatalogueChannel.ticksTable}): interval n is
 * ALLWINNER_WDT_INTERVALS[n] half-seconds of 16 000 ticks of HOSC ÷ 750, i.e. n·12 000 000
 * HOSC cycles (0.5 s at 24 MHz) up to 384 000 000 (16 s). It stops the watchdog (WDOG_EN
 * 1 -> 0), clears and enables its interrupt, sets the timeout to reset the system (sun6i
 * WDOG_CONFIG 01; sun4i WDOG_RST_EN) and enables it with the interval (WDOG_EN 0 -> 1
 * restarts the countdown): the timeout comes `ticks` cycles later, setting the pending bit
 * (the status), raising `irq` and the `reset` line. The acknowledge clears the pending bit
 * and kicks (the keyed restart), so a handler that acknowledges at once gets the next timeout
 * `ticks` cycles later; a feeder that kicks in time never sees one.
 *
 * The watchdog has no counter register (the channel has no `counter`): the status is the
 * guest's one sign of a timeout. On sun4i it is bit 8 of the A10 timer block's
 * TMR_IRQ_STA_REG, which the sun4i variant decodes for that reason (device decision W1).
 * @param variant - the layout
 * @param type - the catalogue type's name, for error messages
 * @returns the channel `watchdog`, line `irq`
 */
export const allwinnerWdtChannel = (variant: AllwinnerWdtVariant, type: string): CatalogueChannel => {
  const r = recipeOf(variant);
  const min = TABLE[0]!;
  const max = TABLE[TABLE.length - 1]!;
  return {
    name: 'watchdog',
    kind: 'watchdog',
    clock: 'hosc',
    minTicks: min,
    maxTicks: max,
    ticksTable: TABLE,
    start: (ticks) => {
      const what = `${type}.watchdog.start(ticks)`;
      checkTicks(ticks, min, max, what);
      const interval = TABLE.indexOf(ticks);
      if (interval < 0) throw new SystemConfigError(ticks, `must be one of the interval table's cycle counts (${TABLE.join(', ')})`, what);
      return [
        guestWrite(r.mode, 0), // WDOG_EN 1 -> 0 stops it
        guestWrite(r.status.offset, r.status.mask), // write 1 to clear
        guestWrite(r.enable.offset, r.enable.mask),
        ...r.resetConfig,
        guestWrite(r.mode, ((interval << r.intvLsb) | r.modeRun) >>> 0), // WDOG_EN 0 -> 1 restarts the countdown
      ];
    },
    status: { offset: r.status.offset, size: 4, mask: r.status.mask },
    acknowledge: [guestWrite(r.status.offset, r.status.mask), guestWrite(r.ctrl, KICK)],
    line: 'irq',
  };
};
