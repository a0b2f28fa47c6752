import { SlavioTimer } from '../../devices/slavio-timer/SlavioTimer';
import { slavioTimerRegisters } from '../../devices/slavio-timer/SLAVIO_TIMER_REGISTERS';
import { guestRead, guestWrite, type GuestAccess } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

/** Two processor counters: a SPARCstation 10/20 with two CPU modules. */
const CPUS = 2;
const MAP = slavioTimerRegisters(CPUS, 'compact');
const R = MAP.byName;
const COUNT = R.SYS_COUNTER.fieldByName.COUNT;
const LIMIT_REACHED = R.SYS_COUNTER.fieldByName.LIMIT_REACHED.mask;
const MIN_TICKS = 1;
/** The largest limit, 0x3FFFFF, gives the longest period: one step less. */
const MAX_TICKS = 0x3f_fffe;

/** Linux's timer_value: the limit word for a period of `ticks` steps, (ticks + 1) << 9 (device header X1). */
const limitWord = (ticks: number): number => (ticks + 1) * 2 ** COUNT.lsb;

/** One counter/timer as Linux drives it: `limit` is its limit register, `counter` its counter register. */
const channel = (name: string, limit: number, counter: number, setup: readonly GuestAccess[]): CatalogueChannel => ({
  name,
  kind: 'timer',
  clock: 'clk',
  minTicks: MIN_TICKS,
  maxTicks: MAX_TICKS,
  start: (ticks) => {
    checkTicks(ticks, MIN_TICKS, MAX_TICKS, `slavio-timer.${name}.start(ticks)`);
    return [...setup, guestWrite(limit, limitWord(ticks))];
  },
  counter: { offset: counter, size: 4, direction: 'up' },
  counterField: { lsb: COUNT.lsb, width: COUNT.width },
  status: { offset: counter, size: 4, mask: LIMIT_REACHED },
  acknowledge: [guestRead(limit, 4)],
  line: name,
});

/**
 * Sun4m SLAVIO counter/timers with two CPUs, in the compact layout (the system block at 0x4000,
 * so the block fits a 64 KiB window; device header X11), on the 2 MHz `clk` of every sun4m
 * machine (500 ns steps). Each channel is driven as Linux's sun4m code drives it: `start(ticks)`
 * writes the limit register with timer_value(ticks) = (ticks + 1) << 9, which restarts the count
 * at 1 and clears limit reached; the counter (bits 30:9, counting up from 1) reaches the limit
 * `ticks` steps later (X1, X3). The status is the counter register's limit-reached bit (bit 31,
 * which a counter read leaves alone), the acknowledge a read of the limit register (X4), the
 * line the counter's own. `system` is the level-10 system counter (line `system`); `cpu0` and
 * `cpu1` the processor counters (lines `cpu0`, `cpu1`), whose `start` first writes TIMER_CONFIG
 * 0, as sun4m_init_timers does, putting every processor counter in counter/timer mode (X6).
 */
export const slavioTimer: CatalogueDeviceType<SlavioTimer> = {
  type: 'slavio-timer',
  summary: 'Sun4m SLAVIO counter/timers (NCR89C105): a system counter and two processor counters, 22-bit up-counters of 500 ns to a limit, limit reached cleared by reading the limit; 54-bit user timers',
  clocks: [{ name: 'clk', hz: 2_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new SlavioTimer(scheduler, { name, cpus: CPUS, layout: 'compact', clk: clocks['clk']!, delivery, timing }),
  channels: [
    channel('system', R.SYS_LIMIT.offset, R.SYS_COUNTER.offset, []),
    ...Array.from({ length: CPUS }, (_, n) => {
      const names = MAP.channel('CPU', n);
      return channel(`cpu${n}`, R[names.LIMIT].offset, R[names.COUNTER].offset, [guestWrite(R.TIMER_CONFIG.offset, 0)]);
    }),
  ],
};
