import { ImxEpit } from '../../devices/imx-epit/ImxEpit';
import { IMX_EPIT_REGISTERS } from '../../devices/imx-epit/IMX_EPIT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { CR, SR, LR, CMPR, CNR } = IMX_EPIT_REGISTERS.byName;
const F = CR.fieldByName;
/** CLKSRC = 1 (ipg_clk), PRESCALER 0 (÷1), set-and-forget (RLD), compare interrupt enabled. */
const SETUP = (1 << F.CLKSRC.lsb) | F.RLD.mask | F.OCIEN.mask;
const MAX_TICKS = 0xffff_ffff;

/**
 * NXP i.MX EPIT in set-and-forget mode on ipg_clk ÷1, compare at 0 (CMPR = 0):
 * OCIF is set when the counter steps to 0. A round counts LR … 1, 0 (LR + 1
 * cycles, E1) and the first one counts down the value loaded, so `start(ticks)`
 * loads the counter with ticks (an LR write with IOVW, E4), then sets LR =
 * ticks - 1 without IOVW (used at the next reload) and enables with ENMOD = 0,
 * which resumes the loaded value (E3): every round is `ticks` ipg cycles. With
 * ticks = 1 (LR = 0, CMPR = 0) every cycle's reload is a compare (E11), so
 * `minTicks` is 1.
 */
export const imxEpit: CatalogueDeviceType<ImxEpit> = {
  type: 'imx-epit',
  summary: 'NXP i.MX EPIT (IMX6DQRM): 32-bit down-counter with prescaler, reload and compare',
  clocks: [
    { name: 'ipg', hz: 66_000_000 },
    { name: 'ipgHighfreq', hz: 24_000_000 },
    { name: 'ipg32k', hz: 32_768 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new ImxEpit(scheduler, { name, ipg: clocks['ipg']!, ipgHighfreq: clocks['ipgHighfreq']!, ipg32k: clocks['ipg32k']!, delivery, timing }),
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'ipg',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'imx-epit.timer.start(ticks)');
        return [
          guestWrite(CR.offset, SETUP | F.IOVW.mask), // disabled; LR writes load the counter
          guestWrite(LR.offset, ticks), // the counter: the first round
          guestWrite(CR.offset, SETUP), // IOVW off: LR is only the reload now
          guestWrite(LR.offset, ticks - 1), // the reload: rounds of LR + 1
          guestWrite(CMPR.offset, 0),
          guestWrite(SR.offset, 1),
          guestWrite(CR.offset, SETUP | F.EN.mask), // ENMOD = 0: resumes the loaded count
        ];
      },
      counter: { offset: CNR.offset, size: 4, direction: 'down' },
      status: { offset: SR.offset, size: 4, mask: SR.fieldByName.OCIF.mask },
      acknowledge: [guestWrite(SR.offset, 1)],
      line: 'irq',
    },
  ],
};
