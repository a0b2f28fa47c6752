import { Exynos4210Mct } from '../../devices/exynos4210-mct/Exynos4210Mct';
import { EXYNOS4210_MCT_REGISTERS } from '../../devices/exynos4210-mct/EXYNOS4210_MCT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = EXYNOS4210_MCT_REGISTERS.byName;
const TCON = R.G_TCON.fieldByName;
/** G_TCON: the counter counting, comparator 0 enabled with auto-increment. */
const GLOBAL_RUN = TCON.TIMER_ENABLE.mask | TCON.COMP0_AUTO_INC.mask | TCON.COMP0_ENABLE.mask;
const COMP0 = R.G_INT_CSTAT.fieldByName.COMP0.mask;
/** G_COMP0_ADD_INCR is 32 bits. */
const MAX_COMPARE = 0xffff_ffff;
const L_TCON = R.L0_TCON.fieldByName;
/** Ln_TCON: tick and interrupt counters counting, interval mode. */
const LOCAL_RUN = L_TCON.TIMER_START.mask | L_TCON.INT_START.mask | L_TCON.INTERVAL_MODE.mask;
const ICNT = R.L0_INT_CSTAT.fieldByName.ICNT.mask;
const MANUAL_UPDATE = R.L0_ICNTB.fieldByName.MANUAL_UPDATE.mask;
/** ICNTB holds 31 bits: ICNTB + 1 ticks. */
const MAX_TICK = 2 ** 31;

/**
 * Comparator 0 driven as Linux's `mct-comp` clockevent in periodic mode (its older kernels'
 * clocksource start included): the block at fin ÷ 1 (MCT_CFG 0), the counter stopped, cleared
 * (G_CNT_L/U 0), G_COMP0 = G_COMP0_ADD_INCR = ticks, the stale status and the write-status bits
 * cleared, G_INT_ENB = 1, then G_TCON = TIMER_ENABLE | COMP0_AUTO_INC | COMP0_ENABLE: the counter
 * steps into `ticks` `ticks` cycles after that write (device header X1) and auto-increments keep
 * every match `ticks` cycles apart (X2). The acknowledge is Linux's ISR write of 1 to
 * G_INT_CSTAT. The counter read is G_CNT_L (newer kernels' 32-bit clocksource), counting up.
 */
const comparator0: CatalogueChannel = {
  name: 'comp0',
  kind: 'timer',
  clock: 'fin',
  minTicks: 1,
  maxTicks: MAX_COMPARE,
  start: (ticks) => {
    checkTicks(ticks, 1, MAX_COMPARE, 'exynos4210-mct.comp0.start(ticks)');
    return [
      guestWrite(R.MCT_CFG.offset, 0),
      guestWrite(R.G_TCON.offset, 0),
      guestWrite(R.G_CNT_L.offset, 0),
      guestWrite(R.G_CNT_U.offset, 0),
      guestWrite(R.G_COMP0_ADD_INCR.offset, ticks),
      guestWrite(R.G_COMP0_L.offset, ticks),
      guestWrite(R.G_COMP0_U.offset, 0),
      guestWrite(R.G_INT_CSTAT.offset, COMP0),
      guestWrite(R.G_INT_ENB.offset, COMP0),
      guestWrite(R.G_CNT_WSTAT.offset, 0x3),
      guestWrite(R.G_WSTAT.offset, 0x1_7777),
      guestWrite(R.G_TCON.offset, GLOBAL_RUN),
    ];
  },
  counter: { offset: R.G_CNT_L.offset, size: 4, direction: 'up' },
  status: { offset: R.G_INT_CSTAT.offset, size: 4, mask: COMP0 },
  acknowledge: [guestWrite(R.G_INT_CSTAT.offset, COMP0)],
  line: 'g0',
};

/**
 * Local timer i's tick driven as Linux's `mct_tick` clockevent starts it (`exynos4_mct_tick_start`),
 * with a tick of one cycle (TCNTB 0; Linux's TICK_BASE_CNT 1 makes two): the block at fin ÷ 1,
 * L_TCON 0 (stopped), TCNTB 0, ICNTB = (ticks - 1) | MANUAL_UPDATE, the status and write-status
 * bits cleared, L_INT_ENB.ICNTEIE, then L_TCON = TIMER_START | INT_START | INTERVAL_MODE: an
 * interrupt every (TCNTB + 1)·(ICNTB + 1) = `ticks` cycles from that write (device header X5, X8).
 * The acknowledge is the ISR's write of 1 to L_INT_CSTAT. The counter read is ICNTO, counting
 * down to 0 and reloading ICNTB at the interrupt.
 */
const tick = (i: 0 | 1): CatalogueChannel => {
  const l = EXYNOS4210_MCT_REGISTERS.channel('L', i);
  const at = (name: keyof typeof R): number => R[name].offset;
  return {
    name: `tick${i}`,
    kind: 'timer',
    clock: 'fin',
    minTicks: 1,
    maxTicks: MAX_TICK,
    start: (ticks) => {
      checkTicks(ticks, 1, MAX_TICK, `exynos4210-mct.tick${i}.start(ticks)`);
      return [
        guestWrite(R.MCT_CFG.offset, 0),
        guestWrite(at(l.TCON), 0),
        guestWrite(at(l.TCNTB), 0),
        guestWrite(at(l.ICNTB), ((ticks - 1) | MANUAL_UPDATE) >>> 0),
        guestWrite(at(l.INT_CSTAT), 0x3),
        guestWrite(at(l.INT_ENB), ICNT),
        guestWrite(at(l.WSTAT), 0xf),
        guestWrite(at(l.TCON), LOCAL_RUN),
      ];
    },
    counter: { offset: at(l.ICNTO), size: 4, direction: 'down' },
    status: { offset: at(l.INT_CSTAT), size: 4, mask: ICNT },
    acknowledge: [guestWrite(at(l.INT_CSTAT), ICNT)],
    line: `l${i}`,
  };
};

/**
 * Samsung Exynos4210 Multi Core Timer on its 24 MHz `fin` (XusbXTI): channel `comp0` is the global
 * counter with comparator 0 (line `g0`), `tick0` and `tick1` the two local timers' tick and
 * interrupt counters (lines `l0`, `l1`). The channels share MCT_CFG (each start writes it 0) and
 * nothing else.
 */
export const exynos4210Mct: CatalogueDeviceType<Exynos4210Mct> = {
  type: 'exynos4210-mct',
  summary: 'Samsung Exynos4210 Multi Core Timer: 64-bit global counter with four comparators, two local tick/interrupt/free-running timers',
  clocks: [{ name: 'fin', hz: 24_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Exynos4210Mct(scheduler, { name, fin: clocks['fin']!, delivery, timing }),
  channels: [comparator0, tick(0), tick(1)],
};
