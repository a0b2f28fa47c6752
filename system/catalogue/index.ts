export { DEVICE_TYPES, deviceType } from './catalogue';
export type { ClockSpec, CreateOptions, DeviceType, RegisterRef, TimerChannel } from './DeviceType';
export {
  acknowledgeOf,
  counterFieldOf,
  counterLatchOf,
  counterOf,
  divisorOf,
  minTicksOf,
  ticksAtLeast,
  ticksTableOf,
  type CatalogueChannel,
  type CatalogueDeviceType,
  type CounterField,
  type CounterLatch,
} from './CatalogueChannel';
export { checkTicks } from './checkTicks';
export { allwinnerA10Pit } from './allwinnerA10Pit';
export { allwinnerSun4iWdt } from './allwinnerSun4iWdt';
export { allwinnerSun6iWdt } from './allwinnerSun6iWdt';
export { alteraAvalonTimer } from './alteraAvalonTimer';
export { armMptimer } from './armMptimer';
export { armv7mSystick } from './armv7mSystick';
export { cmsdkApbDualtimer } from './cmsdkApbDualtimer';
export { cmsdkApbTimer } from './cmsdkApbTimer';
export { cmsdkApbWatchdog } from './cmsdkApbWatchdog';
export { imx2Wdt } from './imx2Wdt';
export { imxEpit } from './imxEpit';
export { imxGpt } from './imxGpt';
export { integratorPit } from './integratorPit';
export { lan9118Gpt } from './lan9118Gpt';
export { luminaryWatchdog } from './luminaryWatchdog';
export { minimalTimer } from './minimalTimer';
export { mssTimer } from './mssTimer';
export { sp804 } from './sp804';
export { xilinxAxiDma } from './xilinxAxiDma';
export { xilinxAxiTimer } from './xilinxAxiTimer';
export { xlnxVersalCanfd, xlnxZynqmpCan } from './xlnxCanTimestamp';
export { xlnxCsuDma } from './xlnxCsuDma';
export { slavioTimer } from './slavioTimer';
export { shTmu } from './shTmu';
export { exynos4210Mct } from './exynos4210Mct';
export { grlibGptimer } from './grlibGptimer';
export { digicTimer } from './digicTimer';
export { mcf5206Timer } from './mcf5206Timer';
export { mcf5208Pit } from './mcf5208Pit';
export { mv88w8618Pit } from './mv88w8618Pit';
export { etraxfsTimer } from './etraxfsTimer';
export { fslEtsecTimer } from './fslEtsecTimer';
export { exynos4210Pwm } from './exynos4210Pwm';
export { exynos4210Rtc } from './exynos4210Rtc';
