import { SystemConfigError } from '../errors';
import { allwinnerA10Pit } from './allwinnerA10Pit';
import { allwinnerSun4iWdt } from './allwinnerSun4iWdt';
import { allwinnerSun6iWdt } from './allwinnerSun6iWdt';
import { alteraAvalonTimer } from './alteraAvalonTimer';
import { armMptimer } from './armMptimer';
import { armv7mSystick } from './armv7mSystick';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { cmsdkApbDualtimer } from './cmsdkApbDualtimer';
import { cmsdkApbTimer } from './cmsdkApbTimer';
import { cmsdkApbWatchdog } from './cmsdkApbWatchdog';
import { exynos4210Mct } from './exynos4210Mct';
import { grlibGptimer } from './grlibGptimer';
import { digicTimer } from './digicTimer';
import { etraxfsTimer } from './etraxfsTimer';
import { fslEtsecTimer } from './fslEtsecTimer';
import { exynos4210Pwm } from './exynos4210Pwm';
import { exynos4210Rtc } from './exynos4210Rtc';
import { imx2Wdt } from './imx2Wdt';
import { imxEpit } from './imxEpit';
import { imxGpt } from './imxGpt';
import { integratorPit } from './integratorPit';
import { lan9118Gpt } from './lan9118Gpt';
import { luminaryWatchdog } from './luminaryWatchdog';
import { mcf5206Timer } from './mcf5206Timer';
import { mcf5208Pit } from './mcf5208Pit';
import { minimalTimer } from './minimalTimer';
import { mv88w8618Pit } from './mv88w8618Pit';
import { mssTimer } from './mssTimer';
import { slavioTimer } from './slavioTimer';
import { shTmu } from './shTmu';
import { sp804 } from './sp804';
import { xilinxAxiDma } from './xilinxAxiDma';
import { xilinxAxiTimer } from './xilinxAxiTimer';
import { xlnxVersalCanfd, xlnxZynqmpCan } from './xlnxCanTimestamp';
import { xlnxCsuDma } from './xlnxCsuDma';

/**
 * Every device model scenarios and the CLI can name, each with its clocks and
 * its counters' driver recipes. Each `type` is the device's folder name, or
 * a name of its own for a variant of a folder's model (`luminary-watchdog`;
 * `xlnx-zynqmp-can` and `xlnx-versal-canfd` of `xlnx-can-timestamp`;
 * `allwinner-sun4i-wdt` and `allwinner-sun6i-wdt` of `allwinner-wdt`). A type
 * may have no channel: a counter with no interrupt has nothing a driver recipe
 * can acknowledge or race, whether no register shows it on demand
 * (`xlnx-zynqmp-can`) or one does (`digic-timer`: no status to compare the
 * count with).
 */
export const DEVICE_TYPES: readonly CatalogueDeviceType[] = Object.freeze([
  minimalTimer,
  cmsdkApbTimer,
  cmsdkApbDualtimer,
  cmsdkApbWatchdog,
  sp804,
  armMptimer,
  xilinxAxiTimer,
  allwinnerA10Pit,
  imxEpit,
  alteraAvalonTimer,
  armv7mSystick,
  luminaryWatchdog,
  integratorPit,
  mssTimer,
  imxGpt,
  xlnxZynqmpCan,
  xlnxVersalCanfd,
  lan9118Gpt,
  imx2Wdt,
  allwinnerSun4iWdt,
  allwinnerSun6iWdt,
  xilinxAxiDma,
  xlnxCsuDma,
  slavioTimer,
  shTmu,
  exynos4210Mct,
  grlibGptimer,
  digicTimer,
  mcf5206Timer,
  mcf5208Pit,
  mv88w8618Pit,
  fslEtsecTimer,
  etraxfsTimer,
  exynos4210Pwm,
  exynos4210Rtc,
]);

/**
 * The catalogue entry named `name`.
 * @param name - a device folder name, e.g. `'sp804'`
 * @returns its device type
 * @throws SystemConfigError for an unknown name, listing the known ones
 */
export const deviceType = (name: string): CatalogueDeviceType => {
  const found = DEVICE_TYPES.find((t) => t.type === name);
  if (found === undefined) {
    throw new SystemConfigError(name, `is not a catalogue device type; known types: ${DEVICE_TYPES.map((t) => t.type).join(', ')}`, 'deviceType(name)');
  }
  return found;
};
