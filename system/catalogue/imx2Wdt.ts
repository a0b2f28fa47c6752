import { Imx2Wdt, IMX2_WDT_STEP_CYCLES } from '../../devices/imx2-wdt/Imx2Wdt';
import { IMX2_WDT_REGISTERS, IMX2_WDT_SERVICE_KEYS } from '../../devices/imx2-wdt/IMX2_WDT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { WCR, WSR, WICR, WMCR } = IMX2_WDT_REGISTERS.byName;
const { WDE, SRS, WDA } = WCR.fieldByName;
const { WIE, WTIS } = WICR.fieldByName;
/** WICR with the pre-timeout one step (0.5 s) before the timeout, enabled; the WTIS bit clears the status. */
const WICR_VALUE = WIE.mask | WTIS.mask | 1;
/** WT is 8 bits: with WICT 1 the interrupt comes WT steps after the service. */
const MAX_TICKS = 0xff;
const [KEY1, KEY2] = IMX2_WDT_SERVICE_KEYS;
/** The service sequence (device decision X4): it reloads the counter and the pre-timeout point. */
const SERVICE = [guestWrite(WSR.offset, KEY1, 2), guestWrite(WSR.offset, KEY2, 2)];

/**
 * NXP i.MX2+ watchdog, driven like Linux's imx2_wdt with a pre-timeout: the channel is the
 * pre-timeout interrupt (`wdog_int`, status WICR.WTIS). The counter steps every 16384 cycles of
 * `ckil` (half a second at 32.768 kHz: `divisor`), so `ticks` are half-seconds. `start(ticks)`
 * turns the power-down counter off (WMCR = 0, as Linux's probe does), sets the pre-timeout one
 * step before the timeout (WICR = WIE | WICT 1, clearing WTIS; the first WICR write locks WIE
 * and WICT, later ones only clear WTIS), writes WT = ticks with WDE (the first time WDE rises
 * the counter loads; WDA and SRS 1 assert nothing), then services: the interrupt comes `ticks`
 * steps later. The acknowledge writes WTIS (write-1-to-clear, the same WICR value) and
 * services, so an acknowledged interrupt comes every `ticks` steps; left unfed, `wdog_rst`
 * rises one step (0.5 s) after the interrupt. Started again while running, the new WT applies
 * at the service (device decision X2). `ticks` from 1 (WT = 1: a 1 s timeout) to 255. The WDOG
 * has no counter register a guest can read, so the channel has no `counter`.
 */
export const imx2Wdt: CatalogueDeviceType<Imx2Wdt> = {
  type: 'imx2-wdt',
  summary: 'NXP i.MX2+ watchdog (WDOG): half-second timeout on the 32.768 kHz clock, WSR service, pre-timeout interrupt, power-down counter',
  clocks: [{ name: 'ckil', hz: 32_768 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Imx2Wdt(scheduler, { name, ckil: clocks['ckil']!, delivery, timing }),
  channels: [
    {
      name: 'watchdog',
      kind: 'watchdog',
      clock: 'ckil',
      divisor: IMX2_WDT_STEP_CYCLES,
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'imx2-wdt.watchdog.start(ticks)');
        return [
          guestWrite(WMCR.offset, 0, 2),
          guestWrite(WICR.offset, WICR_VALUE, 2),
          guestWrite(WCR.offset, (ticks << WCR.fieldByName.WT.lsb) | WDA.mask | SRS.mask | WDE.mask, 2),
          ...SERVICE,
        ];
      },
      status: { offset: WICR.offset, size: 2, mask: WTIS.mask },
      acknowledge: [guestWrite(WICR.offset, WICR_VALUE, 2), ...SERVICE],
      line: 'wdog_int',
    },
  ],
};
