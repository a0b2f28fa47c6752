import { Mv88w8618Pit } from '../../devices/mv88w8618-pit/Mv88w8618Pit';
import { MV88W8618_PIT_REGISTERS } from '../../devices/mv88w8618-pit/MV88W8618_PIT_REGISTERS';
import { guestWrite } from '../../src/bus/GuestAccess';
import type { CatalogueChannel, CatalogueDeviceType } from './CatalogueChannel';
import { checkTicks } from './checkTicks';

const R = MV88W8618_PIT_REGISTERS.byName;
const MAX_TICKS = 0xffff_ffff;
/** Every CONTROL nibble set: a timer whose LENGTH is 0 stays stopped, and one already running keeps its count (device header P3). */
const ALL_RUN = 0x1111;

const channel = (n: 0 | 1 | 2 | 3): CatalogueChannel => {
  const length = R[`TIMER${n}_LENGTH`];
  const value = R[`TIMER${n}_VALUE`];
  const input = R.PIC_STATUS.fieldByName[`TIMER${n}`].mask;
  return {
    name: `timer${n}`,
    kind: 'timer',
    clock: 'tclk',
    minTicks: 1,
    maxTicks: MAX_TICKS,
    start: (ticks) => {
      checkTicks(ticks, 1, MAX_TICKS, `mv88w8618-pit.timer${n}.start(ticks)`);
      return [
        guestWrite(R.PIC_ENABLE_CLR.offset, input), // a stale latch would read as an interrupt at once
        guestWrite(length.offset, ticks), // loads the count: the first round is `ticks`
        guestWrite(R.CONTROL.offset, ALL_RUN),
        guestWrite(R.PIC_ENABLE_SET.offset, input),
      ];
    },
    counter: { offset: value.offset, size: 4, direction: 'down' },
    status: { offset: R.PIC_STATUS.offset, size: 4, mask: input },
    acknowledge: [guestWrite(R.PIC_ENABLE_CLR.offset, input), guestWrite(R.PIC_ENABLE_SET.offset, input)],
    line: `timer${n}`,
  };
};

/**
 * Marvell 88W8618 PIT (Freecom MusicPal), mapped from the PIC's base: the PIC page at 0x0000
 * (only the timers' inputs 4-7 modelled) and the PIT page at 0x1000. Four channels `timer0` …
 * `timer3` on `tclk` (1 MHz, QEMU's rate for all four), each on its own line (the PIC input,
 * latched and enabled). `start(ticks)` clears the input's latch, writes TIMERn_LENGTH = ticks
 * (every round is LENGTH ticks, the first from this write), sets every CONTROL nibble (the
 * register is shared; timers with LENGTH 0 stay stopped) and enables the input. The status is
 * PIC STATUS; the acknowledge is the firmware's: ENABLE_CLR (drops the latch), then ENABLE_SET.
 */
export const mv88w8618Pit: CatalogueDeviceType<Mv88w8618Pit> = {
  type: 'mv88w8618-pit',
  summary: 'Marvell 88W8618 PIT (Freecom MusicPal): four 32-bit down-counters at 1 MHz, acknowledged in the PIC, and the board reset',
  clocks: [{ name: 'tclk', hz: 1_000_000 }],
  create: (scheduler, { name, clocks, delivery, timing }) => new Mv88w8618Pit(scheduler, { name, tclk: clocks['tclk']!, delivery, timing }),
  channels: [channel(0), channel(1), channel(2), channel(3)],
};
