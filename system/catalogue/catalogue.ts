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
import { exynos4210Pwm } from './exynos4210Pwm';
import { exynos4210Rtc } from './exynos4210Rtc';
import { imx2Wdt } from './imx2Wdt';
import { imxEpit } from './imxEpit';
import { imxGpt } from './imxGpt';
import { integratorPit } from './integratorPit';
import { lan9118Gpt } from './lan9118Gpt';
import { luminaryWatchdog } from './luminaryWatchdog';
import { minimalTimer } from './minimalTimer';
import { mssTimer } from './mssTimer';
import { sp804 } from './sp804';
import { xilinxAxiDma } from './xilinxAxiDma';
import { xilinxAxiTimer } from './xilinxAxiTimer';
import { xlnxVersalCanfd, xlnxZynqmpCan } from './xlnxCanTimestamp';
import { xlnxCsuDma } from './xlnxCsuDma';

/**
 * Every device model scenarios and the CLI can name, each with its clocks and
 * its counters' driver recipes. Each `type` is the device's folder name, or
 * a name of its own for a variant of a folder's model (`luminary-watchdog`,
 * `xlnx-zynqmp-can`). A type may have no channel: a counter with no interrupt
 * that no register shows on demand (`xlnx-zynqmp-can`) has nothing a driver
 * recipe can start, acknowledge or race.
 * a name of its own for a variant of a folder's model (`luminary-watchdog`; the
 * `allwinner-wdt` folder's two variants are `allwinner-sun4i-wdt` and
 * `allwinner-sun6i-wdt`).
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
