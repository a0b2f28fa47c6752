import { FslEtsecTimer } from '../../devices/fsl-etsec-timer/FslEtsecTimer';
import { FSL_ETSEC_TIMER_REGISTERS } from '../../devices/fsl-etsec-timer/FSL_ETSEC_TIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = FSL_ETSEC_TIMER_REGISTERS.byName;
const TXF = R.IEVENT.fieldByName.TXF.mask;
const WOP = R.DMACTRL.fieldByName.WOP.mask;
/** The manual's poll interval, in transmit clocks: the only period the channel has. */
const POLL = 512;

/**
 * Freescale eTSEC, its transmit poll timer. The catalogue builds the controller with an endless
 * TxBD ring (`txRing: 'endless'`: every poll finds a ready frame and sends it), so each poll is an
 * interrupt: channel `poll` on `txclk` (125 MHz by default, 4 096 ns a poll), line `tx`. Its
 * period is the hardware's fixed 512 transmit clocks, so `start` takes only 512 (`minTicks` = `maxTicks`):
 * it stops polling (WOP 1: the next start is a fresh interval), clears IEVENT.TXF, unmasks TXF
 * and polls (DMACTRL 0). The status is IEVENT.TXF, the acknowledge gianfar's (write TXF back).
 * No register shows the interval's count (the channel has no `counter`), so the race experiment
 * does not race it; the harness spec shows the race on the poll probe.
 */
export const fslEtsecTimer: CatalogueDeviceType<FslEtsecTimer> = {
  type: 'fsl-etsec-timer',
  summary: 'Freescale eTSEC transmit poll timer: the TxBD ring polled every 512 transmit clocks while DMACTRL.WOP is 0 (IEVENT.TXF)',
  clocks: [{ name: 'txclk', hz: 125_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new FslEtsecTimer(scheduler, { name, txclk: clocks['txclk']!, txRing: 'endless', delivery, timing }),
  channels: [
    {
      name: 'poll',
      kind: 'timer',
      clock: 'txclk',
      minTicks: POLL,
      maxTicks: POLL,
      start: (ticks) => {
        const what = 'fsl-etsec-timer.poll.start(ticks)';
        checkTicks(ticks, POLL, POLL, what);
        return [guestWrite(R.DMACTRL.offset, WOP), guestWrite(R.IEVENT.offset, TXF), guestWrite(R.IMASK.offset, TXF), guestWrite(R.DMACTRL.offset, 0)];
      },
      status: { offset: R.IEVENT.offset, size: 4, mask: TXF },
      acknowledge: [guestWrite(R.IEVENT.offset, TXF)],
      line: 'tx',
    },
  ],
};
