import { EtraxfsTimer } from '../../devices/etraxfs-timer/EtraxfsTimer';
import { ETRAXFS_TIMER_FREQ, ETRAXFS_TIMER_OP, ETRAXFS_TIMER_REGISTERS } from '../../devices/etraxfs-timer/ETRAXFS_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = ETRAXFS_TIMER_REGISTERS.byName;
const MAX_TICKS = 0xffff_ffff;
const ctrl = (op: number): number => op | (ETRAXFS_TIMER_FREQ.f100 << R.rw_tmr0_ctrl.fieldByName.freq.lsb);
/** Both timers' mask bits: rw_intr_mask is shared, and a timer that was never started never sets its bit. */
const BOTH = R.rw_intr_mask.fieldByName.tmr0.mask | R.rw_intr_mask.fieldByName.tmr1.mask;

const channel = (i: 0 | 1): CatalogueChannel => {
  const div = R[`rw_tmr${i}_div`];
  const data = R[`r_tmr${i}_data`];
  const control = R[`rw_tmr${i}_ctrl`];
  const bit = 1 << i;
  return {
    name: `timer${i}`,
    kind: 'timer',
    clock: 'f100',
    minTicks: 1,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, 1, MAX_TICKS, `etraxfs-timer.timer${i}.start(ticks)`);
      return [
        guestWrite(control.offset, ctrl(ETRAXFS_TIMER_OP.hold)),
        guestWrite(div.offset, ticks),
        guestWrite(control.offset, ctrl(ETRAXFS_TIMER_OP.ld)), // the counter takes div
        guestWrite(R.rw_ack_intr.offset, bit),
        guestWrite(R.rw_intr_mask.offset, BOTH),
        guestWrite(control.offset, ctrl(ETRAXFS_TIMER_OP.run)), // counts from here: every round is div cycles
      ];
    },
    counter: { offset: data.offset, size: 4, direction: 'down' },
    status: { offset: R.r_intr.offset, size: 4, mask: bit },
    acknowledge: [guestWrite(R.rw_ack_intr.offset, bit)],
    line: 'irq',
  };
};

/**
 * Axis ETRAX FS timer block: channels `timer0` and `timer1` on the 100 MHz clock (`f100`), both
 * on the block's one interrupt line `irq`. `start(ticks)` is Linux's clockevent set-up made
 * periodic: hold, rw_tmrN_div = ticks, load, acknowledge, unmask both timers (the mask register
 * is shared), run: every round is `ticks` cycles, the first from the run write. The status is
 * r_intr's bit, the acknowledge rw_ack_intr's. The watchdog is not a channel: no register shows
 * its NMI pending (its stage is read through r_wd_stat's count), so a recipe could not poll or
 * acknowledge it; scenarios drive it by register accesses. The other timer clocks (`f29_493`,
 * `f32`, `f32_768`) are inputs for guests that select them.
 */
export const etraxfsTimer: CatalogueDeviceType<EtraxfsTimer> = {
  type: 'etraxfs-timer',
  summary: 'Axis ETRAX FS timer block (CRIS v32): two 32-bit down-counters with clock select, the 100 MHz r_time, the keyed watchdog',
  clocks: [
    { name: 'f100', hz: 100_000_000 },
    { name: 'f29_493', hz: 29_493_000 },
    { name: 'f32', hz: 32_000_000 },
    { name: 'f32_768', hz: 32_768_000 },
  ],
  create: (scheduler, { name, clocks, delivery, timing }) =>
    new EtraxfsTimer(scheduler, { name, f100: clocks['f100']!, f29_493: clocks['f29_493']!, f32: clocks['f32']!, f32_768: clocks['f32_768']!, delivery, timing }),
  channels: [channel(0), channel(1)],
};
