import { GrlibGptimer } from '../../devices/grlib-gptimer/GrlibGptimer';
import { GRLIB_GPTIMER_DEFAULT_LAYOUT, GRLIB_GPTIMER_REGISTERS } from '../../devices/grlib-gptimer/GRLIB_GPTIMER_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = GRLIB_GPTIMER_REGISTERS.byName;
/** A register's offset (the map's timer registers are named for any number of timers, so the lookup is checked here). */
const at = (name: keyof typeof R): number => R[name]!.offset;
const CTRL = R['TCTRL1']!.fieldByName;
const EN = CTRL.EN.mask;
const RS = CTRL.RS.mask;
const LD = CTRL.LD.mask;
const IE = CTRL.IE.mask;
const IP = CTRL.IP.mask;
const MIN_TICKS = 1;
const MAX_TICKS = 2 ** 32;
const { irq, timers } = GRLIB_GPTIMER_DEFAULT_LAYOUT;

/** Timer n (1-based) driven as RTEMS's GPTIMER timer library drives its clock timer. */
const timer = (n: number): CatalogueChannel => {
  const names = GRLIB_GPTIMER_REGISTERS.channel('T', n - 1);
  const what = `grlib-gptimer.timer${n}.start(ticks)`;
  const ctrl = at(names.TCTRL);
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'clk',
    minTicks: MIN_TICKS,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, MIN_TICKS, MAX_TICKS, what);
      return [
        guestWrite(R.SRELOAD.offset, 0), // the prescaler ÷1: a tick every clock cycle, its count restarted now
        guestWrite(at(names.TRLDVAL), ticks - 1),
        guestWrite(ctrl, EN | RS | LD | IE | IP), // load and start periodic; a stale IP cleared (write 1)
      ];
    },
    counter: { offset: at(names.TCNTVAL), size: 4, direction: 'down' },
    status: { offset: ctrl, size: 4, mask: IP },
    acknowledge: [guestWrite(ctrl, EN | RS | IE | IP)],
    line: `irq${irq + n - 1}`,
  };
};

/**
 * Gaisler GRLIB GPTIMER in the default layout (4 timers, a 16-bit prescaler, IRQ 8, separate
 * interrupts, revision 1: IP write-1-to-clear), on a 40 MHz `clk` (QEMU's leon3_generic).
 * `start(ticks)` writes SRELOAD = 0, so the timers count clock cycles (a division below the
 * manual's minimum of timers + 1, which the model counts as programmed, device header X1) and
 * the prescaler's count restarts at the write (X1), then TRLDVALn = ticks - 1 and TCTRLn =
 * EN | RS | LD | IE (and IP, clearing a stale one), as RTEMS's gptimer_tlib_start does: the
 * first underflow `ticks` cycles later, then every `ticks`. The acknowledge writes EN | RS |
 * IE | IP (IP's 1 clears it; the count goes on, X4). A SRELOAD write re-times running timers
 * only if their count changes (at ÷1 it does not), so the channels run side by side. Each
 * channel's line is its timer's interrupt, `irq8` … `irq11`.
 */
export const grlibGptimer: CatalogueDeviceType<GrlibGptimer> = {
  type: 'grlib-gptimer',
  summary: 'Gaisler GRLIB GPTIMER (LEON3/4): a shared prescaler and 4 32-bit down-counters with reload, chaining and separate interrupts',
  clocks: [{ name: 'clk', hz: 40_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new GrlibGptimer(scheduler, { name, clk: clocks['clk']!, delivery, timing }),
  channels: Array.from({ length: timers }, (_, i) => timer(i + 1)),
};
