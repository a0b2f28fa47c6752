// The 88W8618 PIT walked through register by register: program, step to just before and just
// after a tick boundary, read what the guest would. 1 tick = 1 µs (tclk 1 MHz). Titles start with
// the decision they pin (device header P1-P8).
import { describe, expect, it } from 'vitest';
import { MV88W8618_PIT_POLICY, Mv88w8618Pit } from '../../../devices/mv88w8618-pit';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { BOARD_RESET, CONTROL, LENGTH, makeRig, PIC, PIC_ENABLE_CLR, PIC_ENABLE_SET, PIC_STATUS, RUN, startTimer, TICK, VALUE } from './rig';

describe('Mv88w8618Pit', () => {
  it('policy is NO_COUNTER_ROUND_DOWN alone (QEMU: LEGACY)', () => {
    expect([...MV88W8618_PIT_POLICY]).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  it('reset: every register reads 0, the timers are stopped, no line is high', () => {
    const { r, device } = makeRig();
    expect([PIC_STATUS, ...LENGTH, CONTROL, ...VALUE].map(r)).toEqual(Array(10).fill(0));
    expect(device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    expect(Object.values(device.lines).map((l) => l.level)).toEqual([false, false, false, false, false, false]);
  });

  describe('options', () => {
    it('without a tclk it counts on a 1 MHz input of its own, named after the device', () => {
      const device = new Mv88w8618Pit(new VirtualClock(), { name: 'mp' });
      expect([device.tclk.hz, device.tclk.name, device.name]).toEqual([1_000_000, 'mp.tclk', 'mp']);
    });

    it.each([
      [{ tclk: 1_000_000 }, 'Mv88w8618Pit(options.tclk)'],
      [{ name: '' }, 'Mv88w8618Pit(options.name)'],
      [{ delivery: 'later' }, 'Mv88w8618Pit(options.delivery)'],
      [{ timing: 'fast' }, 'Mv88w8618Pit(options.timing)'],
      [{ period: 3 }, 'Mv88w8618Pit(options.period)'],
    ])('%j is refused with a DeviceConfigError naming %s', (options, where) => {
      const error = thrown(() => new Mv88w8618Pit(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toContain(where);
    });
  });

  describe('P1 counting', () => {
    it('P1: VALUE reads LENGTH for the first tick and 1 for the last; at LENGTH ticks it reloads and the latch rises in the same step', () => {
      const rig = makeRig();
      startTimer(rig, 0, 3);
      const at = (t: number): [number, number] => {
        rig.clock.advanceTo(t);
        return [rig.r(VALUE[0]), rig.r(PIC_STATUS)];
      };
      expect(at(0)).toEqual([3, 0]);
      expect(at(TICK)).toEqual([3, 0]); // a read at a tick's instant is ordered before it
      expect(at(TICK + 1)).toEqual([2, 0]);
      expect(at(3 * TICK - 1)).toEqual([1, 0]);
      expect(at(3 * TICK)).toEqual([3, PIC(0)]);
      expect(rig.device.lines.timer0.level).toBe(true);
      expect(rig.device.irq.level).toBe(true);
    });

    it('P1: one interrupt every LENGTH ticks, each acknowledged as the firmware does (ENABLE_CLR, ENABLE_SET)', () => {
      const rig = makeRig();
      const rises: number[] = [];
      rig.device.lines.timer2.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(PIC_ENABLE_CLR, PIC(2));
        rig.w(PIC_ENABLE_SET, PIC(2));
      });
      startTimer(rig, 2, 250);
      rig.clock.advanceTo(1_000 * TICK);
      expect(rises).toEqual([1, 2, 3, 4].map((k) => k * 250 * TICK));
    });
  });

  describe('P2 LENGTH', () => {
    it('P2: a non-zero LENGTH written while running reloads the count at once; the next interrupt is LENGTH ticks later', () => {
      const rig = makeRig();
      startTimer(rig, 1, 100);
      rig.clock.advanceTo(40 * TICK);
      rig.w(LENGTH[1], 10);
      expect(rig.r(VALUE[1])).toBe(10);
      rig.clock.advanceTo(50 * TICK - 1);
      expect(rig.r(PIC_STATUS)).toBe(0);
      rig.clock.advanceTo(50 * TICK);
      expect(rig.r(PIC_STATUS)).toBe(PIC(1));
    });

    it('P2: LENGTH 0 stops the timer where it is; a later LENGTH loads the count and the still-set nibble runs it', () => {
      const rig = makeRig();
      startTimer(rig, 0, 100);
      rig.clock.advanceTo(30 * TICK + 1);
      rig.w(LENGTH[0], 0);
      expect(rig.device.timers[0].mode).toBe('stopped');
      rig.clock.advanceTo(500 * TICK);
      expect([rig.r(VALUE[0]), rig.r(PIC_STATUS)]).toEqual([70, 0]);
      rig.w(LENGTH[0], 5);
      rig.clock.advanceTo(505 * TICK);
      expect(rig.r(PIC_STATUS)).toBe(PIC(0));
    });
  });

  describe('P3 CONTROL', () => {
    it('P3: any bit of the nibble runs the timer; a nibble of 0 stops it keeping its count; running again it goes on from there', () => {
      for (const bit of [0, 1, 2, 3]) {
        const rig = makeRig();
        rig.w(LENGTH[3], 20);
        rig.w(CONTROL, 1 << (12 + bit));
        rig.clock.advanceTo(5 * TICK + 1);
        expect(rig.r(VALUE[3])).toBe(15);
      }
      const rig = makeRig();
      rig.w(LENGTH[3], 20);
      rig.w(CONTROL, RUN(3));
      rig.clock.advanceTo(5 * TICK + 300);
      rig.w(CONTROL, 0);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.r(VALUE[3])).toBe(15);
      rig.w(CONTROL, RUN(3));
      rig.clock.advanceTo(115 * TICK - 1);
      expect(rig.r(VALUE[3])).toBe(1);
      rig.w(PIC_ENABLE_SET, PIC(3));
      rig.clock.advanceTo(115 * TICK);
      expect([rig.r(VALUE[3]), rig.device.lines.timer3.level]).toEqual([20, true]);
    });

    it('P3: a CONTROL write that keeps a running timer enabled leaves its count; the one that enables another starts only that one', () => {
      const rig = makeRig();
      startTimer(rig, 0, 100);
      rig.clock.advanceTo(60 * TICK + 1);
      startTimer(rig, 1, 100); // CONTROL = RUN(0) | RUN(1)
      expect([rig.r(VALUE[0]), rig.r(VALUE[1])]).toEqual([40, 100]);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.r(PIC_STATUS)).toBe(PIC(0));
    });

    it('P3: a nibble set with LENGTH 0 runs nothing; bits 31:16 are reported as unimplemented', () => {
      const rig = makeRig();
      rig.w(CONTROL, 0xffff_ffff);
      expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['CONTROL[31:16]']);
    });
  });

  it('P4: LENGTH and CONTROL read back what was written (QEMU reads 0)', () => {
    const rig = makeRig();
    rig.w(LENGTH[2], 0xdead_beef);
    rig.w(CONTROL, 0x4321);
    expect([rig.r(LENGTH[2]), rig.r(CONTROL)]).toEqual([0xdead_beef, 0x4321]);
  });

  describe('P5 the PIC latch', () => {
    it('P5: an expiry latches its input even while it is disabled; ENABLE_SET then shows it; STATUS is latch & enable', () => {
      const rig = makeRig();
      rig.w(LENGTH[1], 10);
      rig.w(CONTROL, RUN(1));
      rig.clock.advanceTo(10 * TICK);
      expect([rig.r(PIC_STATUS), rig.device.lines.timer1.level]).toEqual([0, false]);
      rig.w(PIC_ENABLE_SET, PIC(1));
      expect([rig.r(PIC_STATUS), rig.device.lines.timer1.level]).toEqual([PIC(1), true]);
    });

    it('P5: ENABLE_CLR drops the latch and the enable; ENABLE_SET alone does not bring the old latch back; nothing in the PIT lowers a line', () => {
      const rig = makeRig();
      startTimer(rig, 0, 10);
      rig.clock.advanceTo(10 * TICK);
      rig.w(CONTROL, 0); // stopping the timer leaves the latch
      expect(rig.device.lines.timer0.level).toBe(true);
      rig.w(PIC_ENABLE_CLR, PIC(0));
      expect(rig.device.lines.timer0.level).toBe(false);
      rig.w(PIC_ENABLE_SET, PIC(0));
      expect(rig.r(PIC_STATUS)).toBe(0);
    });

    it('P5: two timers pending: irq stays high until both are acknowledged', () => {
      const rig = makeRig();
      startTimer(rig, 0, 10);
      startTimer(rig, 3, 10);
      rig.clock.advanceTo(10 * TICK);
      expect(rig.r(PIC_STATUS)).toBe(PIC(0) | PIC(3));
      rig.w(PIC_ENABLE_CLR, PIC(0));
      expect(rig.device.irq.level).toBe(true);
      rig.w(PIC_ENABLE_CLR, PIC(3));
      expect(rig.device.irq.level).toBe(false);
    });

    it('P5: 1s written to the other inputs\' bits are unimplemented events and change nothing', () => {
      const rig = makeRig();
      rig.w(PIC_ENABLE_SET, 0xffff_ffff);
      expect(rig.r(PIC_STATUS)).toBe(0);
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['PIC_ENABLE_SET[3:0]', 'PIC_ENABLE_SET[31:8]']);
    });
  });

  describe('P7 BOARD_RESET', () => {
    it('P7: 0x10000 raises reset until reset(); reset() also clears every register and timer', () => {
      const rig = makeRig();
      startTimer(rig, 0, 10);
      rig.w(BOARD_RESET, 0x1_0000);
      expect(rig.device.resetRequest.level).toBe(true);
      expect(rig.events).toEqual([]);
      rig.device.reset();
      expect([rig.device.resetRequest.level, rig.r(LENGTH[0]), rig.r(CONTROL), rig.device.timers[0].mode]).toEqual([false, 0, 0, 'stopped']);
    });

    it('P7: another value changes nothing and is reported as unimplemented', () => {
      const rig = makeRig();
      rig.w(BOARD_RESET, 0x1);
      expect(rig.device.resetRequest.level).toBe(false);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented', offset: BOARD_RESET, feature: expect.stringContaining('BOARD_RESET value 0x1') })]);
    });
  });

  describe('P8 the clock', () => {
    it('P8: tclk at 0 Hz freezes the count; running again it goes on with a fresh tick from the change', () => {
      const rig = makeRig();
      startTimer(rig, 0, 10);
      rig.clock.advanceTo(3 * TICK + 400);
      rig.tclk.setHz(0);
      rig.clock.advanceTo(1_000 * TICK);
      expect(rig.r(VALUE[0])).toBe(7);
      rig.tclk.setHz(2_000_000); // 500 ns a tick
      rig.clock.advanceTo(1_000 * TICK + 7 * 500 - 1);
      expect(rig.r(PIC_STATUS)).toBe(0);
      rig.clock.advanceTo(1_000 * TICK + 7 * 500);
      expect(rig.r(PIC_STATUS)).toBe(PIC(0));
    });

    it('timing: at 3 MHz (333⅓ ns a tick) exact timing puts interrupt k at ⌊k·LENGTH·1000/3⌋; QEMU timing floors each round', () => {
      const rises = (timing: 'exact' | 'qemu'): number[] => {
        const clock = new VirtualClock();
        const device = new Mv88w8618Pit(clock, { tclk: new ClockInput('tclk', 3_000_000), timing });
        const seen: number[] = [];
        device.lines.timer0.watch((high) => {
          if (!high) return;
          seen.push(clock.now());
          device.write(PIC_ENABLE_CLR, 4, PIC(0));
          device.write(PIC_ENABLE_SET, 4, PIC(0));
        });
        device.write(LENGTH[0], 4, 100);
        device.write(CONTROL, 4, RUN(0));
        device.write(PIC_ENABLE_SET, 4, PIC(0));
        clock.advanceTo(3 * 33_334);
        return seen;
      };
      expect(rises('exact')).toEqual([33_333, 66_666, 100_000]);
      expect(rises('qemu')).toEqual([33_333, 66_666, 99_999]);
    });
  });
});
