import { Lan9118Gpt } from '../../devices/lan9118-gpt/Lan9118Gpt';
import { LAN9118_GPT_REGISTERS } from '../../devices/lan9118-gpt/LAN9118_GPT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { GPT_CFG, GPT_CNT, INT_STS, INT_EN, IRQ_CFG } = LAN9118_GPT_REGISTERS.byName;
const TIMER_EN = GPT_CFG.fieldByName.TIMER_EN.mask;
const GPT_INT = INT_STS.fieldByName.GPT_INT.mask;
const GPT_INT_EN = INT_EN.fieldByName.GPT_INT_EN.mask;
const IRQ_EN = IRQ_CFG.fieldByName.IRQ_EN.mask;
const MIN_TICKS = 1;
const MAX_TICKS = 0x1_0000;

/** GPT_CFG loading `ticks`: GPT_LOAD = ticks, or 0 for 65 536 (a load of 0 wraps after a tick at 0, device header X5). */
const load = (ticks: number) => guestWrite(GPT_CFG.offset, (TIMER_EN | (ticks & 0xffff)) >>> 0);

/**
 * SMSC LAN9118 GP timer, driven as Linux's smc911x driver drives it: `start(ticks)` stops the
 * timer, clears a stale GPT_INT, enables GPT_INT_EN and the IRQ pin (IRQ_CFG.IRQ_EN), then
 * writes GPT_CFG = TIMER_EN | ticks: the first interrupt comes `ticks` ticks of `gptclk`
 * (100 µs each) later (device header X1; GPT_LOAD 0 for 65 536 ticks, X5). The GP timer does
 * not reload GPT_LOAD (it wraps to 0xFFFF, X1), so its handler re-arms it before acknowledging,
 * as smc911x's does: `rearm(ticks)` rewrites GPT_CFG (a rewrite while enabled restarts the
 * count, X3), `acknowledge` writes 1 to INT_STS.GPT_INT. Re-armed at each interrupt's instant,
 * every round is `ticks` ticks; re-armed later, the next round counts from the re-arm. The
 * status is INT_STS.GPT_INT; the counter is GPT_CNT, 16 bits, counting down.
 */
export const lan9118Gpt: CatalogueDeviceType<Lan9118Gpt> = {
  type: 'lan9118-gpt',
  summary: 'SMSC LAN9118 general-purpose timer: 16-bit down-counter at 10 kHz, GPT_INT in the controller INT_STS',
  clocks: [{ name: 'gptclk', hz: 10_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Lan9118Gpt(scheduler, { name, gptclk: clocks['gptclk']!, delivery, timing }),
  channels: [
    {
      name: 'gpt',
      kind: 'timer',
      clock: 'gptclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'lan9118-gpt.gpt.start(ticks)');
        return [
          guestWrite(GPT_CFG.offset, 0),
          guestWrite(INT_STS.offset, GPT_INT),
          guestWrite(INT_EN.offset, GPT_INT_EN),
          guestWrite(IRQ_CFG.offset, IRQ_EN),
          load(ticks),
        ];
      },
      rearm: (ticks) => [load(checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'lan9118-gpt.gpt.rearm(ticks)'))],
      counter: { offset: GPT_CNT.offset, size: 4, direction: 'down' },
      status: { offset: INT_STS.offset, size: 4, mask: GPT_INT },
      acknowledge: [guestWrite(INT_STS.offset, GPT_INT)],
      line: 'irq',
    },
  ],
};
