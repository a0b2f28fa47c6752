import { MssTimer } from '../../devices/mss-timer/MssTimer';
import { MSS_TIMER_REGISTERS } from '../../devices/mss-timer/MSS_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = MSS_TIMER_REGISTERS.byName;
const CTRL = R.TIM1_CTRL.fieldByName;
/** Periodic (MODE 0), interrupt enabled, counting. */
const RUN = CTRL.INTEN.mask | CTRL.ENABLE.mask;
const RIS = R.TIM1_RIS.fieldByName.RIS.mask;
const MAX32 = 0xffff_ffff;
/** The 64-bit counter's value must be a safe number once its halves are joined. */
const MAX64 = Number.MAX_SAFE_INTEGER;

/** Timer n (1 or 2) driven as MSS_TIMx_init(periodic), load_immediate(ticks), enable_irq, start do. */
const timer = (n: 1 | 2): CatalogueChannel => {
  const c = MSS_TIMER_REGISTERS.channel('TIM', n - 1);
  const what = `mss-timer.timer${n}.start(ticks)`;
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'pclk',
    minTicks: 1,
    maxTicks: MAX32,
    start: (ticks) => {
      checkTicks(ticks, 1, MAX32, what);
      return [
        guestWrite(R.TIM64_MODE.offset, 0),
        guestWrite(R[c.CTRL].offset, 0),
        guestWrite(R[c.RIS].offset, RIS),
        guestWrite(R[c.LOADVAL].offset, ticks),
        guestWrite(R[c.CTRL].offset, RUN),
      ];
    },
    counter: { offset: R[c.VAL].offset, size: 4, direction: 'down' },
    status: { offset: R[c.RIS].offset, size: 4, mask: RIS },
    acknowledge: [guestWrite(R[c.RIS].offset, RIS)],
    line: `timer${n}int`,
  };
};

/** The 64-bit timer driven as MSS_TIM64_init(periodic), load_immediate(upper, lower), enable_irq, start do. */
const timer64: CatalogueChannel = {
  name: 'timer64',
  kind: 'timer',
  clock: 'pclk',
  minTicks: 1,
  maxTicks: MAX64,
  start: (ticks) => {
    checkTicks(ticks, 1, MAX64, 'mss-timer.timer64.start(ticks)');
    return [
      guestWrite(R.TIM64_MODE.offset, 1),
      guestWrite(R.TIM64_CTRL.offset, 0),
      guestWrite(R.TIM64_RIS.offset, RIS),
      guestWrite(R.TIM64_LOADVAL_U.offset, Math.floor(ticks / 2 ** 32)),
      guestWrite(R.TIM64_LOADVAL_L.offset, ticks % 2 ** 32),
      guestWrite(R.TIM64_CTRL.offset, RUN),
    ];
  },
  counter: { offset: R.TIM64_VAL_L.offset, size: 4, direction: 'down' },
  status: { offset: R.TIM64_RIS.offset, size: 4, mask: RIS },
  acknowledge: [guestWrite(R.TIM64_RIS.offset, RIS)],
  line: 'timer1int',
  // Reading TIM64_VAL_L latches the upper half into TIM64_VAL_U (device header X9): no access before.
  latch: { accesses: [], high: { offset: R.TIM64_VAL_U.offset, size: 4 }, shift: 32 },
};

/**
 * Microsemi SmartFusion2 MSS timer, driven as Microchip's bare-metal `mss_timer` driver does
 * (device header X1: a period is LOADVAL cycles, the first one from the LOADVAL write, so
 * `start(ticks)` loads `ticks`; `minTicks` 1). Channels `timer1` and `timer2` (32-bit, lines
 * `timer1int` and `timer2int`) select 32-bit mode first, as MSS_TIMx_init does; `timer64`
 * selects 64-bit mode, which puts timers 1 and 2 back to reset (X7), and interrupts on
 * `timer1int` (X6); its counter is read low half first, which latches the high half (X9).
 * PCLK0 (`pclk`) at 100 MHz, the manual's worked examples and QEMU's default.
 */
export const mssTimer: CatalogueDeviceType<MssTimer> = {
  type: 'mss-timer',
  summary: 'Microsemi SmartFusion2 MSS timer (UG0331 ch. 18): two 32-bit down-counters, or one 64-bit, on PCLK0',
  clocks: [{ name: 'pclk', hz: 100_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new MssTimer(scheduler, { name, pclk: clocks['pclk']!, delivery, timing }),
  channels: [timer(1), timer(2), timer64],
};
