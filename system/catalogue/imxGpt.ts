import { ImxGpt } from '../../devices/imx-gpt/ImxGpt';
import { IMX_GPT_REGISTERS } from '../../devices/imx-gpt/IMX_GPT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { CR, PR, SR, IR, OCR1, CNT } = IMX_GPT_REGISTERS.byName;
const F = CR.fieldByName;
/** CLKSRC 001 (ipg_clk), restart mode (FRR 0), ENMOD, EN. */
const RUN = (1 << F.CLKSRC.lsb) | F.ENMOD.mask | F.EN.mask;
const OF1 = SR.fieldByName.OF1.mask;
const MAX_TICKS = 2 ** 32;

/**
 * NXP i.MX GPT (the `'imx6'` variant, i.MX6Dual/Quad) in restart mode on ipg_clk ÷1: the
 * counter counts 0 … OCR1 and the compare on channel 1 (OF1, the channel's status) sends it
 * back to 0, a round of OCR1 + 1 cycles (device header X1). So `start(ticks)` disables the GPT
 * (CR = 0: restart mode), clears PR and the flags, sets OCR1 = ticks - 1, enables OF1IE and
 * then the GPT with ENMOD, which starts the count at 0: every round, the first included, is
 * `ticks` ipg cycles. With ticks = 1 (OCR1 = 0) every edge is a compare, so `minTicks` is 1;
 * OCR1 = 0xFFFFFFFF gives 2^32. The counter counts up. No GPT_CLK pad is wired (CLKSRC 011
 * has no clock); the 24 MHz crystal is.
 */
export const imxGpt: CatalogueDeviceType<ImxGpt> = {
  type: 'imx-gpt',
  summary: 'NXP i.MX GPT (IMX6DQRM): 32-bit up-counter with prescaler, three output compares, two input captures',
  clocks: [
    { name: 'ipg', hz: 66_000_000 },
    { name: 'ipgHighfreq', hz: 24_000_000 },
    { name: 'ipg32k', hz: 32_768 },
    { name: 'osc', hz: 24_000_000 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new ImxGpt(scheduler, {
      name,
      ipg: clocks['ipg']!,
      ipgHighfreq: clocks['ipgHighfreq']!,
      ipg32k: clocks['ipg32k']!,
      osc: clocks['osc']!,
      variant: 'imx6',
      delivery,
      timing,
    }),
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'ipg',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'imx-gpt.timer.start(ticks)');
        return [
          guestWrite(CR.offset, 0), // disabled, restart mode, no clock
          guestWrite(PR.offset, 0),
          guestWrite(OCR1.offset, ticks - 1), // rounds of OCR1 + 1 cycles
          guestWrite(SR.offset, 0x3f),
          guestWrite(IR.offset, IR.fieldByName.OF1IE.mask),
          guestWrite(CR.offset, RUN), // ENMOD: CNT 0 at the enable
        ];
      },
      counter: { offset: CNT.offset, size: 4, direction: 'up' },
      status: { offset: SR.offset, size: 4, mask: OF1 },
      acknowledge: [guestWrite(SR.offset, OF1)],
      line: 'irq',
    },
  ],
};
