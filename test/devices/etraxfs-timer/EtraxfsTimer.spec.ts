// The ETRAX FS timer block walked through register by register: program, step to just before and
// just after a cycle boundary, read what the guest would. f100 = 100 MHz: 1 cycle = 10 ns. Titles
// start with the decision they pin (device header E1-E14).
import { describe, expect, it } from 'vitest';
import { ETRAXFS_TIMER_POLICY, EtraxfsTimer } from '../../../devices/etraxfs-timer';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  ACK_INTR,
  ctrl,
  CTRL,
  CYCLE,
  DATA,
  DIV,
  EXT,
  F29,
  F32,
  HOLD,
  INTR_MASK,
  LD,
  makeRig,
  MASKED_INTR,
  R_INTR,
  R_TIME,
  RUN,
  startTimer,
  wd,
  WD_CTRL,
  WD_STAT,
  WD_STEP_NS,
} from './rig';

describe('EtraxfsTimer', () => {
  it('policy is NO_COUNTER_ROUND_DOWN alone (QEMU: LEGACY)', () => {
    expect([...ETRAXFS_TIMER_POLICY]).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  it('reset: every register reads 0, the counters and the watchdog are stopped, no line is high', () => {
    const { r, device } = makeRig();
    expect([...DIV, ...DATA, ...CTRL, R_TIME, WD_CTRL, WD_STAT, INTR_MASK, ACK_INTR, R_INTR, MASKED_INTR].map(r)).toEqual(Array(13).fill(0));
    expect(device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(Object.values(device.lines).map((l) => l.level)).toEqual([false, false, false]);
  });

  describe('options', () => {
    it('without clocks it makes its own at the chip rates, ext at 0 Hz (not connected)', () => {
      const device = new EtraxfsTimer(new VirtualClock(), { name: 'etrax' });
      expect(Object.fromEntries(Object.entries(device.clocks).map(([k, c]) => [k, c.hz]))).toEqual({ f100: 100_000_000, f29_493: 29_493_000, f32: 32_000_000, f32_768: 32_768_000, ext: 0 });
      expect(device.clocks.f100.name).toBe('etrax.f100');
    });

    it.each([
      [{ f100: 100e6 }, 'EtraxfsTimer(options.f100)'],
      [{ ext: 'pin' }, 'EtraxfsTimer(options.ext)'],
      [{ name: '' }, 'EtraxfsTimer(options.name)'],
      [{ delivery: 'later' }, 'EtraxfsTimer(options.delivery)'],
      [{ timing: 'fast' }, 'EtraxfsTimer(options.timing)'],
      [{ f50: new ClockInput('f50', 50e6) }, 'EtraxfsTimer(options.f50)'],
    ])('%j is refused with a DeviceConfigError naming %s', (options, where) => {
      const error = thrown(() => new EtraxfsTimer(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toContain(where);
    });
  });

  describe('E1 op', () => {
    it('E1: ld loads div and holds it; run counts from there; hold freezes the count', () => {
      const rig = makeRig();
      rig.w(DIV[0], 100);
      rig.w(CTRL[0], ctrl(LD));
      rig.clock.advanceTo(50 * CYCLE);
      expect(rig.r(DATA[0])).toBe(100);
      rig.w(CTRL[0], ctrl(RUN));
      rig.clock.advanceTo(80 * CYCLE + 1);
      expect(rig.r(DATA[0])).toBe(70);
      rig.w(CTRL[0], ctrl(HOLD));
      rig.clock.advanceTo(500 * CYCLE);
      expect(rig.r(DATA[0])).toBe(70);
    });

    it('E1: under ld a div write is loaded at once (the counter keeps taking div)', () => {
      const rig = makeRig();
      rig.w(CTRL[1], ctrl(LD));
      rig.w(DIV[1], 9);
      expect(rig.r(DATA[1])).toBe(9);
      rig.w(DIV[1], 3);
      expect(rig.r(DATA[1])).toBe(3);
    });

    it('E1: ld while running loads div and stops the counter (QEMU: keeps it running)', () => {
      const rig = makeRig();
      startTimer(rig, 1, 100);
      rig.clock.advanceTo(30 * CYCLE + 1);
      rig.w(DIV[1], 40);
      rig.w(CTRL[1], ctrl(LD));
      rig.clock.advanceTo(1_000 * CYCLE);
      expect([rig.r(DATA[1]), rig.r(R_INTR)]).toEqual([40, 0]);
    });
  });

  describe('E2 counting', () => {
    it('E2: data reads div for the first cycle, 1 for the last; at div cycles it reloads and r_intr.tmr0 rises in the same step', () => {
      const rig = makeRig();
      startTimer(rig, 0, 4);
      const at = (t: number): [number, number, boolean] => {
        rig.clock.advanceTo(t);
        return [rig.r(DATA[0]), rig.r(R_INTR), rig.device.irq.level];
      };
      expect(at(CYCLE)).toEqual([4, 0, false]);
      expect(at(CYCLE + 1)).toEqual([3, 0, false]);
      expect(at(4 * CYCLE - 1)).toEqual([1, 0, false]);
      expect(at(4 * CYCLE)).toEqual([4, 1, true]);
      expect(rig.r(MASKED_INTR)).toBe(1);
    });

    it('E2: HZ = 100 at 100 MHz (div 10^6): a tick every 10 ms, each acknowledged with rw_ack_intr.tmr0', () => {
      const rig = makeRig();
      const ticks: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        ticks.push(rig.clock.now());
        rig.w(ACK_INTR, 1);
      });
      startTimer(rig, 0, 1_000_000);
      rig.clock.advanceTo(35_000_000);
      expect(ticks).toEqual([10_000_000, 20_000_000, 30_000_000]);
    });

    it('E2: r_intr is set whatever the mask; the line follows r_intr & rw_intr_mask', () => {
      const rig = makeRig();
      rig.w(DIV[1], 5);
      rig.w(CTRL[1], ctrl(LD));
      rig.w(CTRL[1], ctrl(RUN));
      rig.clock.advanceTo(5 * CYCLE);
      expect([rig.r(R_INTR), rig.r(MASKED_INTR), rig.device.irq.level]).toEqual([2, 0, false]);
      rig.w(INTR_MASK, 2);
      expect([rig.r(MASKED_INTR), rig.device.irq.level]).toEqual([2, true]);
    });
  });

  it('E3: a div write while running takes effect at the next reload', () => {
    const rig = makeRig();
    startTimer(rig, 0, 10);
    rig.clock.advanceTo(3 * CYCLE + 1);
    rig.w(DIV[0], 20);
    expect(rig.r(DATA[0])).toBe(7);
    rig.clock.advanceTo(10 * CYCLE);
    expect([rig.r(DATA[0]), rig.r(R_INTR)]).toEqual([20, 1]);
    rig.w(ACK_INTR, 1);
    rig.clock.advanceTo(30 * CYCLE - 1);
    expect(rig.r(R_INTR)).toBe(0);
    rig.clock.advanceTo(30 * CYCLE);
    expect(rig.r(R_INTR)).toBe(1);
  });

  describe('E4 the counter at 0', () => {
    it('E4: reset leaves op at ld (0): a div write loads the counter, so run counts from it', () => {
      const rig = makeRig();
      rig.w(DIV[0], 5);
      rig.w(CTRL[0], ctrl(RUN));
      expect([rig.r(DATA[0]), rig.r(R_INTR)]).toEqual([5, 0]);
    });

    it('E4: run with data 0 (div 0 loaded, then held) and div 5 interrupts and reloads at once', () => {
      const rig = makeRig();
      rig.w(CTRL[0], ctrl(HOLD));
      rig.w(DIV[0], 5);
      rig.w(CTRL[0], ctrl(RUN));
      expect([rig.r(DATA[0]), rig.r(R_INTR)]).toEqual([5, 1]);
    });

    it('E4: run with div 0 at data 0 holds without an interrupt; a count reaching 0 with div 0 interrupts and holds', () => {
      const rig = makeRig();
      rig.w(CTRL[0], ctrl(RUN));
      rig.clock.advanceTo(100 * CYCLE);
      expect([rig.r(DATA[0]), rig.r(R_INTR), rig.device.timers[0].mode]).toEqual([0, 0, 'stopped']);
      startTimer(rig, 1, 5);
      rig.clock.advanceTo(102 * CYCLE + 1);
      rig.w(DIV[1], 0);
      rig.clock.advanceTo(105 * CYCLE);
      expect([rig.r(DATA[1]), rig.r(R_INTR), rig.device.timers[1].mode]).toEqual([0, 2, 'stopped']);
      rig.w(ACK_INTR, 2);
      rig.clock.advanceTo(200 * CYCLE);
      expect(rig.r(R_INTR)).toBe(0);
    });
  });

  describe('E5 the clock select', () => {
    it('E5: freq 0 (off) holds the counter silently; freq 1 counts ext, at 0 Hz until connected', () => {
      const rig = makeRig();
      rig.w(DIV[0], 100);
      rig.w(CTRL[0], ctrl(LD, 0));
      rig.w(CTRL[0], ctrl(RUN, 0));
      rig.clock.advanceTo(1_000);
      expect(rig.r(DATA[0])).toBe(100);
      rig.w(CTRL[0], ctrl(RUN, EXT));
      rig.clock.advanceTo(2_000);
      expect(rig.r(DATA[0])).toBe(100);
      rig.ext.setHz(1_000_000); // 1 µs a cycle
      rig.clock.advanceTo(12_000 + 1);
      expect(rig.r(DATA[0])).toBe(90);
      expect(rig.events).toEqual([]);
    });

    it('E5: freq 2 or 3 and op 3 hold the counter and are reported as unimplemented (QEMU aborts)', () => {
      const rig = makeRig();
      startTimer(rig, 0, 100);
      rig.clock.advanceTo(10 * CYCLE + 1);
      rig.w(CTRL[0], ctrl(RUN, 2));
      rig.clock.advanceTo(50 * CYCLE);
      expect(rig.r(DATA[0])).toBe(90);
      rig.w(CTRL[0], ctrl(3, 3));
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual([
        'rw_tmr0_ctrl.freq 2 (reserved encoding: the counter holds)',
        'rw_tmr0_ctrl.op 3 (reserved encoding: the counter holds)',
        'rw_tmr0_ctrl.freq 3 (reserved encoding: the counter holds)',
      ]);
    });

    it('timing: at 29.493 MHz (not whole ns a cycle) exact timing is exact; QEMU timing floors each round', () => {
      const rises = (timing: 'exact' | 'qemu'): number[] => {
        const rig = makeRig({ timing });
        const seen: number[] = [];
        rig.device.irq.watch((high) => {
          if (!high) return;
          seen.push(rig.clock.now());
          rig.w(ACK_INTR, 1);
        });
        rig.w(DIV[0], 29_493); // 1 ms
        rig.w(CTRL[0], ctrl(LD, F29));
        rig.w(CTRL[0], ctrl(RUN, F29));
        rig.w(INTR_MASK, 1);
        rig.clock.advanceTo(3_000_000);
        return seen;
      };
      expect(rises('exact')).toEqual([1_000_000, 2_000_000, 3_000_000]);
      expect(rises('qemu')).toEqual([999_999, 1_999_998, 2_999_997]);
    });
  });

  describe('E6 ctrl rewritten', () => {
    it('E6: the same run value leaves the count; a clock change re-times it from its reading with a fresh cycle', () => {
      const rig = makeRig();
      startTimer(rig, 0, 100);
      rig.clock.advanceTo(40 * CYCLE + 5);
      rig.w(CTRL[0], ctrl(RUN));
      expect(rig.r(DATA[0])).toBe(60);
      rig.w(CTRL[0], ctrl(RUN, F32)); // 31.25 ns a cycle from here
      rig.clock.advanceTo(405 + 60 * 31.25 - 1);
      expect(rig.r(R_INTR)).toBe(0);
      rig.clock.advanceTo(405 + 60 * 31.25);
      expect(rig.r(R_INTR)).toBe(1);
    });
  });

  it('E7: rw_ack_intr clears only the bits written 1 and reads 0', () => {
    const rig = makeRig();
    startTimer(rig, 0, 5);
    startTimer(rig, 1, 5);
    rig.clock.advanceTo(5 * CYCLE);
    expect(rig.r(R_INTR)).toBe(3);
    rig.w(ACK_INTR, 2);
    expect([rig.r(R_INTR), rig.r(ACK_INTR), rig.device.irq.level]).toEqual([1, 0, true]);
    rig.w(ACK_INTR, 0xfffffffc);
    expect(rig.r(R_INTR)).toBe(1);
    rig.w(ACK_INTR, 1);
    expect(rig.device.irq.level).toBe(false);
  });

  it('E8: r_intr is readable (QEMU reads 0); the cnt and trig mask bits are stored and reported', () => {
    const rig = makeRig();
    rig.w(INTR_MASK, 0xf);
    expect(rig.r(INTR_MASK)).toBe(0xf);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['rw_intr_mask.cnt', 'rw_intr_mask.trig']);
  });

  describe('E9 the watchdog', () => {
    it('E9: started with cnt 3: r_wd_stat counts 3, 2, then 1 with the NMI, then the reset request at 0 (one step each)', () => {
      const rig = makeRig();
      rig.w(WD_CTRL, wd(3, 1, 0x55));
      const at = (t: number): [number, boolean, boolean] => {
        rig.clock.advanceTo(t);
        return [rig.r(WD_STAT), rig.device.nmi.level, rig.device.resetRequest.level];
      };
      expect(at(1)).toEqual([0x103, false, false]);
      expect(at(WD_STEP_NS + 1)).toEqual([0x102, false, false]);
      expect(at(2 * WD_STEP_NS - 1)).toEqual([0x102, false, false]);
      expect(at(2 * WD_STEP_NS)).toEqual([0x101, true, false]);
      expect(at(3 * WD_STEP_NS - 1)).toEqual([0x101, true, false]);
      expect(at(3 * WD_STEP_NS)).toEqual([0x100, true, true]);
      expect(at(100 * WD_STEP_NS)).toEqual([0x100, true, true]);
    });

    it('E9: the key rule: while started, a write must carry the complement of the last key, else it is a locked guest error and changes nothing', () => {
      const rig = makeRig();
      rig.w(WD_CTRL, wd(10, 1, 42));
      rig.clock.advanceTo(3 * WD_STEP_NS + 1);
      rig.w(WD_CTRL, wd(10, 1, 42));
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'locked', offset: WD_CTRL })]);
      expect(rig.r(WD_STAT)).toBe(0x107);
      rig.w(WD_CTRL, wd(10, 1, 42 ^ 0x7f)); // the feed
      expect(rig.r(WD_STAT)).toBe(0x10a);
      expect(rig.r(WD_CTRL)).toBe(wd(10, 1, 42 ^ 0x7f)); // E11
    });

    it('E9: a feed in the last step lowers the NMI and restarts; a stop (with the right key) frees the next key', () => {
      const rig = makeRig();
      rig.w(WD_CTRL, wd(2, 1, 1));
      rig.clock.advanceTo(WD_STEP_NS);
      expect(rig.device.nmi.level).toBe(true);
      rig.w(WD_CTRL, wd(2, 1, 0x7e));
      expect([rig.device.nmi.level, rig.r(WD_STAT)]).toEqual([false, 0x102]);
      rig.w(WD_CTRL, wd(9, 0, 0x01)); // stop
      rig.clock.advanceTo(50 * WD_STEP_NS);
      expect([rig.r(WD_STAT), rig.device.resetRequest.level]).toEqual([9, false]);
      rig.w(WD_CTRL, wd(4, 1, 0x33)); // any key while stopped
      expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
    });

    it('E9: cnt 0 counts as 256 (the NMI after 255 steps); cnt 1 requests the reset after one step without an NMI', () => {
      const rig = makeRig();
      rig.w(WD_CTRL, wd(0, 1, 0));
      rig.clock.advanceTo(1);
      expect(rig.r(WD_STAT)).toBe(0x100);
      rig.clock.advanceTo(255 * WD_STEP_NS - 1);
      expect(rig.device.nmi.level).toBe(false);
      rig.clock.advanceTo(255 * WD_STEP_NS);
      expect(rig.device.nmi.level).toBe(true);
      const one = makeRig();
      one.w(WD_CTRL, wd(1, 1, 0));
      one.clock.advanceTo(WD_STEP_NS);
      expect([one.device.nmi.level, one.device.resetRequest.level]).toEqual([false, true]);
    });

    it('E9: f100 at 0 Hz freezes the watchdog', () => {
      const rig = makeRig();
      rig.w(WD_CTRL, wd(3, 1, 0));
      rig.clock.advanceTo(WD_STEP_NS + 1);
      rig.f100.setHz(0);
      rig.clock.advanceTo(1_000 * WD_STEP_NS);
      expect([rig.r(WD_STAT), rig.device.nmi.level]).toEqual([0x102, false]);
    });
  });

  it('E10: r_wd_stat while stopped reads the loaded cnt and cmd 0', () => {
    const rig = makeRig();
    rig.w(WD_CTRL, wd(77, 0, 5));
    expect(rig.r(WD_STAT)).toBe(77);
  });

  describe('E14 r_time', () => {
    it('E14: counts f100 cycles from 0 at reset, wraps at 2^32; a rate change goes on from its reading', () => {
      const rig = makeRig();
      rig.clock.advanceTo(1_234_567);
      expect(rig.r(R_TIME)).toBe(123_456);
      rig.f100.setHz(50_000_000);
      rig.clock.advanceTo(1_234_567 + 1_000);
      expect(rig.r(R_TIME)).toBe(123_456 + 50);
      rig.device.reset();
      expect(rig.r(R_TIME)).toBe(0);
      rig.clock.advanceBy(2 ** 32 * 20 + 40); // at 50 MHz: 2^32 + 2 cycles
      expect(rig.r(R_TIME)).toBe(2);
    });
  });
});
