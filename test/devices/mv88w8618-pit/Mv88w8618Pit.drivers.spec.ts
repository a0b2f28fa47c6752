// The register sequences the MusicPal's firmware makes, replayed. The firmware (Freecom's Linux
// 2.6 image, and the U-Boot that boots it) never had its timer driver published: the sequences
// are the ones the reference (devices-2.md §21) and QEMU's reverse-engineered model describe,
// with the values a 1 MHz timer and HZ = 100 imply.
import { describe, expect, it } from 'vitest';
import { BOARD_RESET, CONTROL, LENGTH, makeRig, PIC, PIC_ENABLE_CLR, PIC_ENABLE_SET, PIC_STATUS, RUN, TICK, VALUE } from './rig';

const HZ = 100;
const LATCH = 1_000_000 / HZ; // ticks of 1 µs per jiffy

describe('Mv88w8618Pit: the firmware sequences', () => {
  it('system tick at HZ = 100: LENGTH0 = 10 000, CONTROL nibble 0, PIC ENABLE_SET bit 4; the handler acknowledges in the PIC (ENABLE_CLR, ENABLE_SET): a tick every 10 ms', () => {
    const rig = makeRig();
    const ticks: number[] = [];
    rig.device.lines.irq.watch((high) => {
      if (!high) return;
      ticks.push(rig.clock.now());
      expect(rig.r(PIC_STATUS)).toBe(PIC(0)); // the handler finds its source
      rig.w(PIC_ENABLE_CLR, PIC(0));
      rig.w(PIC_ENABLE_SET, PIC(0));
    });
    rig.w(LENGTH[0], LATCH);
    rig.w(CONTROL, RUN(0));
    rig.w(PIC_ENABLE_SET, PIC(0));
    rig.clock.advanceTo(50 * LATCH * TICK);
    expect(ticks).toEqual(Array.from({ length: 50 }, (_, k) => (k + 1) * LATCH * TICK));
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]); // no guest error, nothing unimplemented
  });

  it('the time between ticks from VALUE: (LATCH - VALUE) µs since the last tick, LATCH - 1 just before the next, 0 at the tick', () => {
    const rig = makeRig();
    rig.w(LENGTH[0], LATCH);
    rig.w(CONTROL, RUN(0));
    rig.clock.advanceTo(2_500 * TICK + 1);
    expect(LATCH - rig.r(VALUE[0])).toBe(2_500);
    rig.clock.advanceTo(LATCH * TICK - 1);
    expect(LATCH - rig.r(VALUE[0])).toBe(LATCH - 1);
    rig.clock.advanceTo(LATCH * TICK); // the step to 0 reloads LENGTH in the same instant
    expect(LATCH - rig.r(VALUE[0])).toBe(0);
  });

  it('without the acknowledge the input stays latched: one rising edge, the line high from the first tick on', () => {
    const rig = makeRig();
    let edges = 0;
    rig.device.lines.timer0.watch((high) => (edges += high ? 1 : 0));
    rig.w(LENGTH[0], LATCH);
    rig.w(CONTROL, RUN(0));
    rig.w(PIC_ENABLE_SET, PIC(0));
    rig.clock.advanceTo(5 * LATCH * TICK);
    expect([edges, rig.device.lines.timer0.level]).toEqual([1, true]);
  });

  it('shutdown: CONTROL = 0 stops every timer; a latched tick stays until acknowledged', () => {
    const rig = makeRig();
    rig.w(LENGTH[0], LATCH);
    rig.w(CONTROL, RUN(0));
    rig.w(PIC_ENABLE_SET, PIC(0));
    rig.clock.advanceTo(LATCH * TICK + 5);
    rig.w(CONTROL, 0);
    rig.clock.advanceTo(10 * LATCH * TICK);
    expect([rig.r(VALUE[0]), rig.r(PIC_STATUS)]).toEqual([LATCH, PIC(0)]);
    rig.w(PIC_ENABLE_CLR, PIC(0));
    expect(rig.device.irq.level).toBe(false);
  });

  it('reboot: BOARD_RESET = 0x10000 requests the system reset', () => {
    const rig = makeRig();
    rig.w(BOARD_RESET, 0x1_0000);
    expect(rig.device.lines.reset.level).toBe(true);
  });
});
