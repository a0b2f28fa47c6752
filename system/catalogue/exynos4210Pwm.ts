import { Exynos4210Pwm } from '../../devices/exynos4210-pwm/Exynos4210Pwm';
import { EXYNOS4210_PWM_REGISTERS } from '../../devices/exynos4210-pwm/EXYNOS4210_PWM_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = EXYNOS4210_PWM_REGISTERS.byName;
const TCON = R.TCON.fieldByName;
const CSTAT = R.TINT_CSTAT.fieldByName;
const TIMERS = [0, 1, 2, 3, 4] as const;
/** Every timer's START and AUTO_RELOAD bits: a recipe's TCON writes keep all five counting (see `start`). */
const ALL_RUN = TIMERS.reduce<number>((v, n) => v | TCON[`START${n}`].mask | TCON[`AUTO_RELOAD${n}`].mask, 0) >>> 0;
/** All five interrupt enables (see `start`). */
const ALL_ENABLES = TIMERS.reduce<number>((v, n) => v | CSTAT[`TIMER${n}_INT_EN`].mask, 0);
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

const channel = (n: (typeof TIMERS)[number]): CatalogueChannel => {
  const tcntb = n < 4 ? R[EXYNOS4210_PWM_REGISTERS.channel('T', n).TCNTB] : R.TCNTB4;
  const tcnto = n < 4 ? R[EXYNOS4210_PWM_REGISTERS.channel('T', n).TCNTO] : R.TCNTO4;
  const status = CSTAT[`TIMER${n}_INT_STAT`].mask;
  /** Timer n stopped; the other timers' bits as ALL_RUN leaves them. */
  const stopped = (ALL_RUN & ~TCON[`START${n}`].mask & ~TCON[`AUTO_RELOAD${n}`].mask) >>> 0;
  /** The same, with timer n's count loaded from TCNTBn by a manual update. */
  const update = (stopped | TCON[`MANUAL_UPDATE${n}`].mask) >>> 0;
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'pclk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, `exynos4210-pwm.timer${n}.start(ticks)`);
      return [
        guestWrite(R.TCFG0.offset, 0), // both prescalers ÷1
        guestWrite(R.TCFG1.offset, 0), // every divider ÷1
        guestWrite(tcntb.offset, ticks), // the first round: the count decrements from ticks to 0
        guestWrite(R.TCON.offset, update), // manual update: the count is TCNTBn
        guestWrite(R.TCON.offset, stopped), // the manual update cleared: the count stays (P3)
        guestWrite(tcntb.offset, ticks - 1), // the reload: later rounds of TCNTBn + 1 ticks
        guestWrite(R.TINT_CSTAT.offset, ALL_ENABLES | status),
        guestWrite(R.TCON.offset, ALL_RUN), // START with auto-reload, the manual update cleared
      ];
    },
    counter: { offset: tcnto.offset, size: 4, direction: 'down' },
    status: { offset: R.TINT_CSTAT.offset, size: 4, mask: status },
    acknowledge: [guestWrite(R.TINT_CSTAT.offset, ALL_ENABLES | status)],
    line: `irq${n}`,
  };
};

/**
 * Samsung Exynos4210 PWM timers, timers 0-4 on PCLK ÷1 (both prescalers 0, every divider ÷1),
 * auto-reload. The count decrements from the value a manual update loads to 0 and a round with
 * auto-reload is TCNTBn + 1 ticks (device header P1), so `start(ticks)` writes TCNTBn = ticks,
 * loads it with a manual update (set, then cleared: while it is set the count follows TCNTBn,
 * P3), writes TCNTBn = ticks - 1 (the double-buffered reload) and starts the timer: every round, the first included, is `ticks` PCLK cycles. A reload of 0 never
 * interrupts again (P2), hence `minTicks` 2; the count is 32 bits, so `maxTicks` is 2^32 - 1.
 *
 * TCON and TINT_CSTAT are each one register for the five timers and a recipe is a fixed access
 * list (no read-modify-write), so every TCON write of a recipe keeps the START and AUTO_RELOAD
 * bits of the other four timers set, and TINT_CSTAT writes set all five enables: a timer nobody
 * loaded holds 0 and never interrupts (P2), and one started by its own recipe counts on. The
 * status is TIMERn_INT_STAT, acknowledged by writing it 1; the counter is TCNTOn, counting down.
 */
export const exynos4210Pwm: CatalogueDeviceType<Exynos4210Pwm> = {
  type: 'exynos4210-pwm',
  summary: 'Samsung Exynos4210 PWM timers: five 32-bit down-counters with prescalers, dividers, manual update and auto-reload',
  clocks: [{ name: 'pclk', hz: 100_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Exynos4210Pwm(scheduler, { name, pclk: clocks['pclk']!, delivery, timing }),
  channels: TIMERS.map(channel),
};
