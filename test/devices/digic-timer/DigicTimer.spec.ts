// The DIGIC timer walked through like a datasheet would be (there is none: the facts are the
// reverse-engineered ones of devices-2.md §17): program the registers, step to just before and
// just after a cycle boundary, read what the guest would. 1 MHz clock: one step = 1000 ns.
import { describe, expect, it } from 'vitest';
import { DIGIC_TIMER_POLICY, DigicTimer } from '../../../devices/digic-timer';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { CONTROL, EN, makeRig, RELVALUE, RST, TICK, VALUE } from './rig';

describe('DigicTimer', () => {
  it('policy is W+D+R+O (each flag justified in the header); QEMU runs it LEGACY', () => {
    expect([...DIGIC_TIMER_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD']);
  });

  it('reset: every register 0, the counter stopped at 0, no line and no expiry however long it waits', () => {
    const rig = makeRig();
    expect([rig.r(CONTROL), rig.r(RELVALUE), rig.r(VALUE)]).toEqual([0, 0, 0]);
    rig.clock.advanceTo(1_000_000);
    expect([rig.r(VALUE), rig.device.timer.mode, rig.expiries()]).toEqual([0, 'stopped', []]);
    expect(rig.device.lines).toEqual({});
  });

  describe('D1 counting: RELVALUE = 9, CONTROL = EN at 0', () => {
    const run = () => {
      const rig = makeRig();
      rig.w(RELVALUE, 9);
      rig.w(CONTROL, EN);
      return rig;
    };
    const at = (rig: ReturnType<typeof run>, t: number) => {
      rig.clock.advanceTo(t);
      return rig.r(VALUE);
    };

    it('D1: VALUE shows 9 for the first step, counts down, steps to 0 at 9 µs, holds 0 one step, then 9 again: 10 steps a period', () => {
      const rig = run();
      expect(at(rig, 0)).toBe(9); //               the loaded value at once (D3)
      expect(at(rig, TICK)).toBe(9); //            D: 9 until the end of its step
      expect(at(rig, TICK + 1)).toBe(8);
      expect(at(rig, 9 * TICK - 1)).toBe(1);
      expect(at(rig, 9 * TICK)).toBe(0); //        the step to 0 (the expiry)
      expect(at(rig, 10 * TICK)).toBe(0); //       W: 0 for a whole step
      expect(at(rig, 10 * TICK + 1)).toBe(9); //   O: the reload changes nothing else
      expect(at(rig, 19 * TICK)).toBe(0);
      expect(rig.expiries()).toEqual([9 * TICK, 19 * TICK]);
    });

    it('D1: the expiries (steps to 0) come every RELVALUE + 1 steps; QEMU would make it RELVALUE', () => {
      const rig = run();
      rig.clock.advanceTo(60 * TICK);
      expect(rig.expiries()).toEqual([9, 19, 29, 39, 49, 59].map((k) => k * TICK));
    });

    it('D1: RELVALUE 0xFFFF (barebox): VALUE takes every 16-bit value, 0xFFFF - VALUE counts up and wraps after 65 536 steps', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 0xffff);
      rig.w(CONTROL, EN);
      expect(at(rig, 0.5 * TICK)).toBe(0xffff);
      expect(at(rig, 0xffff * TICK + 1)).toBe(0); // 0xFFFF steps down: 0
      expect(at(rig, 0x1_0000 * TICK + 1)).toBe(0xffff); // one step later: wrapped
      expect(rig.expiries()).toEqual([0xffff * TICK]);
    });
  });

  describe('D2 EN', () => {
    it('D2: EN 0 freezes VALUE at its reading; EN 1 resumes from it with a fresh step (QEMU keeps counting)', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 99);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(30 * TICK + 500);
      expect(rig.r(VALUE)).toBe(69);
      rig.w(CONTROL, 0);
      rig.clock.advanceTo(500_000);
      expect([rig.r(VALUE), rig.device.timer.mode]).toEqual([69, 'stopped']);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(500_000 + 69 * TICK - 1);
      expect(rig.r(VALUE)).toBe(1);
      rig.clock.advanceTo(500_000 + 69 * TICK);
      expect(rig.r(VALUE)).toBe(0);
      expect(rig.expiries()).toEqual([500_000 + 69 * TICK]);
    });

    it('D2: a CONTROL write that keeps EN does not disturb the count', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 99);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(10 * TICK + 300);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(99 * TICK);
      expect(rig.expiries()).toEqual([99 * TICK]);
    });

    it('D2: frozen at 0 and enabled again: 0 for one step, then RELVALUE loaded, silently', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 4);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(4 * TICK + 10); // stepped to 0 at 4 µs
      rig.w(CONTROL, 0);
      rig.clock.advanceTo(50 * TICK);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(51 * TICK - 1);
      expect(rig.r(VALUE)).toBe(0);
      rig.clock.advanceTo(51 * TICK); // the load is a step of its own: RELVALUE from its instant
      expect(rig.r(VALUE)).toBe(4);
      rig.clock.advanceTo(55 * TICK);
      expect(rig.expiries()).toEqual([4 * TICK, 55 * TICK]);
    });
  });

  describe('D3 RELVALUE writes', () => {
    it('D3: a RELVALUE write loads the counter at once, disabled or counting, and later rounds reload it', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 500);
      expect(rig.r(VALUE)).toBe(500); // loaded while disabled: barebox reads it before enabling
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(100 * TICK + 1);
      expect(rig.r(VALUE)).toBe(400);
      rig.w(RELVALUE, 20); // counting: restarts from 20 with a fresh step
      expect([rig.r(RELVALUE), rig.r(VALUE)]).toEqual([20, 20]);
      rig.clock.advanceTo(100 * TICK + 1 + 20 * TICK);
      expect(rig.r(VALUE)).toBe(0);
      rig.clock.advanceTo(100 * TICK + 1 + 41 * TICK);
      expect(rig.expiries()).toEqual([100 * TICK + 1 + 20 * TICK, 100 * TICK + 1 + 41 * TICK]);
    });
  });

  describe('D4 RST', () => {
    it('D4: CONTROL.RST resets the timer whatever else the write says; RST reads 0', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 50);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(10 * TICK + 1);
      rig.w(CONTROL, (RST | EN) >>> 0);
      expect([rig.r(CONTROL), rig.r(RELVALUE), rig.r(VALUE), rig.device.timer.mode]).toEqual([0, 0, 0, 'stopped']);
      rig.clock.advanceTo(1_000 * TICK);
      expect(rig.expiries()).toEqual([]);
    });

    it('D4: reset() is the same reset', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 50);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(10 * TICK + 1);
      rig.device.reset();
      expect([rig.r(CONTROL), rig.r(RELVALUE), rig.r(VALUE), rig.device.timer.mode]).toEqual([0, 0, 0, 'stopped']);
    });
  });

  it('D7: no output line; an expiry changes no register: the snapshot registers just before and just after it are equal', () => {
    const rig = makeRig();
    rig.w(RELVALUE, 5);
    rig.w(CONTROL, EN);
    rig.clock.advanceTo(5 * TICK - 1);
    const before = rig.device.snapshot().registers;
    rig.clock.advanceTo(5 * TICK);
    expect(rig.expiries()).toEqual([5 * TICK]);
    expect(rig.device.snapshot().registers).toEqual(before);
    expect(Object.keys(rig.device.lines)).toEqual([]);
  });

  describe('D9 RELVALUE 0', () => {
    it('D9: the counter steps to 0 once and rests there (stopped); a non-zero RELVALUE write restarts it', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 3);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(TICK + 1);
      rig.device.write(RELVALUE, 4, 0); // holds 0 at once: nothing to count
      expect([rig.r(VALUE), rig.device.timer.mode]).toEqual([0, 'stopped']);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.expiries()).toEqual([]);
      rig.w(RELVALUE, 2);
      rig.clock.advanceTo(102 * TICK);
      expect(rig.expiries()).toEqual([102 * TICK]);
    });

    it('D9: EN with RELVALUE 0 (as after reset) rests at 0: no expiry', () => {
      const rig = makeRig();
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(100 * TICK);
      expect([rig.r(VALUE), rig.device.timer.mode, rig.expiries()]).toEqual([0, 'stopped', []]);
    });
  });

  describe('D10 the clock', () => {
    it('D10: clk at 0 Hz freezes VALUE; running again the count goes on with a fresh step', () => {
      const rig = makeRig();
      rig.w(RELVALUE, 99);
      rig.w(CONTROL, EN);
      rig.clock.advanceTo(40 * TICK + 300);
      rig.clk.setHz(0);
      rig.clock.advanceTo(1_000_000);
      expect(rig.r(VALUE)).toBe(59);
      rig.clk.setHz(2_000_000); // 500 ns a step
      rig.clock.advanceTo(1_000_000 + 59 * 500);
      expect(rig.expiries()).toEqual([1_000_000 + 59 * 500]);
    });

    it('D10: exact by default at 3 MHz (333⅓ ns a step); timing qemu floors each countdown', () => {
      const steps = (timing: 'exact' | 'qemu') => {
        const rig = makeRig({ hz: 3_000_000, timing });
        rig.w(RELVALUE, 999);
        rig.w(CONTROL, EN);
        rig.clock.advanceTo(1_000_000);
        return rig.expiries();
      };
      // 999 steps to the first 0 (333 000 ns), then rounds of 1000 steps (333 333⅓ ns)
      expect(steps('exact')).toEqual([333_000, 666_333, 999_666]);
      // QEMU: ⌊999·P⌋ = 332 999, then ⌊1000·P⌋ = 333 333 a round
      expect(steps('qemu')).toEqual([332_999, 666_332, 999_665]);
    });
  });

  it('refuses a clk that is not a ClockInput, an unknown option or delivery, with a DeviceConfigError naming it', () => {
    const error = thrown(() => new DigicTimer(new VirtualClock(), { clk: 5 } as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    expect((error as Error).message).toMatch(/DigicTimer\(options\.clk\)/);
    expect(thrown(() => new DigicTimer(new VirtualClock(), { prescale: 2 } as never))).toBeInstanceOf(DeviceConfigError);
    expect(thrown(() => new DigicTimer(new VirtualClock(), { delivery: 'later' } as never))).toBeInstanceOf(DeviceConfigError);
    expect(new DigicTimer(new VirtualClock(), { clk: new ClockInput('c', 1) }).name).toBe('digic-timer');
  });
});
