import { MINIMAL_TIMER_REGISTERS, MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { guestWrite } from '../../src/bus/GuestAccess';
import { SystemConfigError } from '../errors';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { LOAD, VALUE, CTRL, INTSTATUS } = MINIMAL_TIMER_REGISTERS.byName;
const EN = CTRL.fieldByName.EN.mask;
const IRQEN = CTRL.fieldByName.IRQEN.mask;
const MAX_TICKS = 0xffff_ffff;

/**
 * The minimal timer (LEGACY_POLICY: the count reloads at 0 at once, so every
 * round, the first included, is LOAD cycles): `start(ticks)` writes LOAD =
 * ticks. The device takes a tick period in whole ns rather than a clock input,
 * so its `clk` must have a period of whole ns (1e9 / hz) and is read once, at
 * creation: a later rate change does not reach the device.
 */
export const minimalTimer: CatalogueDeviceType<MinimalTimer> = {
  type: 'minimal-timer',
  summary: 'Minimal timer (this project): 32-bit down-counter with LEGACY_POLICY, the device of the bottom-half race',
  clocks: [{ name: 'clk', hz: 1_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => {
    const hz = clocks['clk']!.hz;
    const periodNs = 1e9 / hz;
    if (!Number.isSafeInteger(periodNs) || periodNs < 1) {
      throw new SystemConfigError(hz, 'must be a frequency whose period is a whole number of ns (1e9 / hz), e.g. 1 MHz', `minimal-timer(${name}).clocks.clk`);
    }
    return new MinimalTimer(scheduler, { name, periodNs, delivery, timing });
  },
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'clk',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'minimal-timer.timer.start(ticks)');
        return [guestWrite(CTRL.offset, 0), guestWrite(LOAD.offset, ticks), guestWrite(INTSTATUS.offset, 1), guestWrite(CTRL.offset, EN | IRQEN)];
      },
      counter: { offset: VALUE.offset, size: 4, direction: 'down' },
      status: { offset: INTSTATUS.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(INTSTATUS.offset, 1)],
      line: 'irq',
    },
  ],
};
