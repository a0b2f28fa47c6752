import { SystemConfigError } from '../errors';
import { allwinnerA10Pit } from './allwinnerA10Pit';
import { alteraAvalonTimer } from './alteraAvalonTimer';
import { armMptimer } from './armMptimer';
import { armv7mSystick } from './armv7mSystick';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { cmsdkApbDualtimer } from './cmsdkApbDualtimer';
import { cmsdkApbTimer } from './cmsdkApbTimer';
import { cmsdkApbWatchdog } from './cmsdkApbWatchdog';
import { imxEpit } from './imxEpit';
import { integratorPit } from './integratorPit';
import { luminaryWatchdog } from './luminaryWatchdog';
import { minimalTimer } from './minimalTimer';
import { sp804 } from './sp804';
import { xilinxAxiDma } from './xilinxAxiDma';
import { xilinxAxiTimer } from './xilinxAxiTimer';
import { xlnxCsuDma } from './xlnxCsuDma';

/**
 * Every device model scenarios and the CLI can name, each with its clocks and
 * its counters' driver recipes. Each `type` is the device's folder name, or
 * a name of its own for a variant of a folder's model (`luminary-watchdog`).
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
  xilinxAxiDma,
  xlnxCsuDma,
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
