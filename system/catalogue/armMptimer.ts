import { CortexA9TimerWatchdog } from '../../devices/arm-mptimer/CortexA9TimerWatchdog';
import {
  CORTEX_A9_TIMER_WATCHDOG_REGISTERS,
  WDOG_DISABLE_KEY_1,
  WDOG_DISABLE_KEY_2,
} from '../../devices/arm-mptimer/CORTEX_A9_TIMER_WATCHDOG_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = CORTEX_A9_TIMER_WATCHDOG_REGISTERS.byName;
const C = R.CONTROL.fieldByName;
const W = R.WCONTROL.fieldByName;
const TIMER_RUN = C.ENABLE.mask | C.AUTO_RELOAD.mask | C.IRQ_ENABLE.mask;
const WATCHDOG_RUN = W.ENABLE.mask | W.AUTO_RELOAD.mask | W.IT_ENABLE.mask;
const MIN_TICKS = 2;
const MAX_TICKS = 0xffff_ffff;

/**
 * Arm Cortex-A9 MPCore private timer and watchdog (one CPU's block), PRESCALER
 * 0. In auto-reload a round lasts Load + 1 cycles and the first round after a
 * counter write lasts the written count (A1), so `start(ticks)` writes LOAD =
 * ticks - 1 and then COUNTER = ticks before enabling: every round is `ticks`
 * PERIPHCLK cycles. With PRESCALER 0 an auto-reload LOAD of 0 fires once and
 * stops (A2), hence `minTicks` 2.
 *
 * The `watchdog` channel is the watchdog block in timer mode (kind `timer`,
 * PPI 30), the same recipe on the W registers after the disable sequence (which
 * leaves watchdog mode, A5). Watchdog mode is not offered: its only keepalive is
 * a WLOAD write of the timeout itself (WCOUNTER writes are refused there, A4),
 * and a channel's `acknowledge` is a fixed access list that cannot carry the
 * timeout; its expiry also sets no status the guest can clear to lower
 * WDRESETREQ (A6).
 */
export const armMptimer: CatalogueDeviceType<CortexA9TimerWatchdog> = {
  type: 'arm-mptimer',
  summary: 'Arm Cortex-A9 MPCore private timer and watchdog (DDI 0407): two 32-bit down-counters on PERIPHCLK',
  clocks: [{ name: 'periphclk', hz: 100_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new CortexA9TimerWatchdog(scheduler, { name, periphclk: clocks['periphclk']!, delivery, timing }),
  channels: [
    {
      name: 'timer',
      kind: 'timer',
      clock: 'periphclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'arm-mptimer.timer.start(ticks)');
        return [
          guestWrite(R.CONTROL.offset, 0),
          guestWrite(R.ISR.offset, 1),
          guestWrite(R.LOAD.offset, ticks - 1), // the reload: later rounds are Load + 1
          guestWrite(R.COUNTER.offset, ticks), // the first round
          guestWrite(R.CONTROL.offset, TIMER_RUN),
        ];
      },
      counter: { offset: R.COUNTER.offset, size: 4, direction: 'down' },
      status: { offset: R.ISR.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(R.ISR.offset, 1)],
      line: 'ppi29',
    },
    {
      name: 'watchdog',
      kind: 'timer',
      clock: 'periphclk',
      minTicks: MIN_TICKS,
      maxTicks: MAX_TICKS,
      start: (ticks) => {
        checkTicks(ticks, MIN_TICKS, MAX_TICKS, 'arm-mptimer.watchdog.start(ticks)');
        return [
          guestWrite(R.WDISABLE.offset, WDOG_DISABLE_KEY_1),
          guestWrite(R.WDISABLE.offset, WDOG_DISABLE_KEY_2), // timer mode, whatever it was
          guestWrite(R.WCONTROL.offset, 0),
          guestWrite(R.WISR.offset, 1),
          guestWrite(R.WLOAD.offset, ticks - 1),
          guestWrite(R.WCOUNTER.offset, ticks),
          guestWrite(R.WCONTROL.offset, WATCHDOG_RUN),
        ];
      },
      counter: { offset: R.WCOUNTER.offset, size: 4, direction: 'down' },
      status: { offset: R.WISR.offset, size: 4, mask: 1 },
      acknowledge: [guestWrite(R.WISR.offset, 1)],
      line: 'ppi30',
    },
  ],
};
