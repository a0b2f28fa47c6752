import { AlteraAvalonTimer } from '../../devices/altera-avalon-timer/AlteraAvalonTimer';
import { ALTERA_AVALON_TIMER_REGISTERS } from '../../devices/altera-avalon-timer/ALTERA_AVALON_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const { STATUS, CONTROL, PERIODL, PERIODH, SNAPL, SNAPH } = ALTERA_AVALON_TIMER_REGISTERS.byName;
const C = CONTROL.fieldByName;
const MAX_TICKS = 0x1_0000_0000;

/**
 * Intel (Altera) Avalon interval timer. Every timeout, the first included,
 * comes period + 1 cycles after the last (B1), so `start(ticks)` writes the
 * period registers with ticks - 1 (each write stops and loads the counter,
 * B3), clears TO and strobes START with CONT and ITO: every round is `ticks`
 * clk cycles. TO is cleared by any write to status (B2). The counter is read
 * through the snapshot latch: a write to snapl latches it, then snapl and snaph
 * hold its halves (B5), hence the channel's `latch`.
 */
export const alteraAvalonTimer: CatalogueDeviceType<AlteraAvalonTimer> = {
  type: 'altera-avalon-timer',
  summary: 'Intel (Altera) Avalon-MM interval timer (UG-01085): 32-bit down-counter on clk',
  clocks: [{ name: 'clk', hz: 50_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new AlteraAvalonTimer(scheduler, { name, clk: clocks['clk']!, delivery, timing }),
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'clk',
      minTicks: 1,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, 1, MAX_TICKS, 'altera-avalon-timer.timer.start(ticks)');
        const period = ticks - 1;
        return [
          guestWrite(CONTROL.offset, C.STOP.mask),
          guestWrite(PERIODL.offset, period % 0x1_0000),
          guestWrite(PERIODH.offset, Math.floor(period / 0x1_0000)),
          guestWrite(STATUS.offset, 0),
          guestWrite(CONTROL.offset, C.ITO.mask | C.CONT.mask | C.START.mask),
        ];
      },
      counter: { offset: SNAPL.offset, size: 4, direction: 'down' },
      status: { offset: STATUS.offset, size: 4, mask: STATUS.fieldByName.TO.mask },
      acknowledge: [guestWrite(STATUS.offset, 0)],
      line: 'irq',
      latch: { accesses: [guestWrite(SNAPL.offset, 0)], high: { offset: SNAPH.offset, size: 4 }, shift: 16 },
    },
  ],
};
