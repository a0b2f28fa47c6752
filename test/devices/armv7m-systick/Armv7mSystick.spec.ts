// The SysTick walked through like the manual (DDI 0403 §B3.3, DUI 0553 §4.4): program the
// registers, step to just before and just after a cycle boundary, read what the guest would.
// 25 MHz core clock: one cycle = 40 ns; 1 MHz reference clock: 1000 ns.
import { describe, expect, it } from 'vitest';
import { Armv7mSystick, ARMV7M_SYSTICK_POLICY } from '../../../devices/armv7m-systick';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { CALIB, CLKSOURCE, COUNTFLAG, CSR, CVR, ENABLE, ICSR, makeRig, PENDSTCLR, PENDSTSET, REF_TICK, RVR, TICK, TICKINT } from './rig';

describe('Armv7mSystick', () => {
  it('policy is W+D+R+O, as QEMU (each flag justified in the header)', () => {
    expect([...ARMV7M_SYSTICK_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD']);
  });

  it('reset: every register 0, CALIB computed from the 1 MHz refclk (TENMS 9999), line low', () => {
    const { r, device } = makeRig();
    expect([r(CSR), r(RVR), r(CVR), r(ICSR)]).toEqual([0, 0, 0, 0]);
    expect(r(CALIB)).toBe(9_999);
    expect(device.irq.level).toBe(false);
  });

  describe('S1 counting: RVR = 99, CVR = 0, CSR = 7 at 0 (the reference\'s worked timeline)', () => {
    const run = () => {
      const rig = makeRig();
      rig.w(RVR, 99);
      rig.w(CVR, 0);
      rig.w(CSR, CLKSOURCE | TICKINT | ENABLE);
      return rig;
    };

    it('S1: CVR holds 0 for the first cycle, loads 99 silently, counts down; the step to 0 at 100 cycles sets COUNTFLAG and pends', () => {
      const rig = run();
      const at = (t: number) => {
        rig.clock.advanceTo(t);
        return rig.state();
      };
      expect(at(TICK - 1)).toEqual([0, 0, false]); //              R: zero held one cycle
      expect(at(TICK)).toEqual([99, 0, false]); //                 O: the reload is silent
      expect(at(2 * TICK)).toEqual([99, 0, false]); //             D: 99 until the end of its cycle
      expect(at(2 * TICK + 1)).toEqual([98, 0, false]);
      expect(at(100 * TICK - 1)).toEqual([1, 0, false]);
      expect(at(100 * TICK)).toEqual([0, 1, true]); //             the step to 0
      expect(at(101 * TICK)).toEqual([0, 0, true]); //             W: 0 held one cycle (COUNTFLAG was read)
      expect(at(101 * TICK + 1)).toEqual([99, 0, true]);
      expect(at(200 * TICK - 1)).toEqual([1, 0, true]);
      expect(at(200 * TICK)).toEqual([0, 1, true]); //             a period is RVR + 1 = 100 cycles
    });

    it('S1: expiries every (RVR + 1) cycles, the first RVR + 1 cycles after an enable at CVR 0', () => {
      const rig = run();
      const rises: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(ICSR, PENDSTCLR);
      });
      rig.clock.advanceTo(500 * TICK);
      expect(rises).toEqual([100, 200, 300, 400, 500].map((k) => k * TICK));
    });
  });

  describe('S2 RVR = 0', () => {
    it('S2: the counter halts at 0 at its next wrap (COUNTFLAG and the pend still happen), ENABLE stays 1', () => {
      const rig = makeRig();
      rig.w(RVR, 3);
      rig.w(CSR, CLKSOURCE | TICKINT | ENABLE); // CVR 0: loads 3 at 40, steps to 0 at 160
      rig.clock.advanceTo(100);
      rig.w(RVR, 0); // applies at the next reload
      expect(rig.r(CVR)).toBe(2);
      rig.clock.advanceTo(4 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.state()).toEqual([0, 0, true]);
      expect(rig.device.timer.mode).toBe('stopped');
      expect(rig.r(CSR) & ENABLE).toBe(ENABLE);
    });

    it('S2: a non-zero RVR written while halted is loaded on the next cycle, silently (QEMU stays halted)', () => {
      const rig = makeRig();
      rig.w(CSR, CLKSOURCE | TICKINT | ENABLE); // RVR 0, CVR 0: halted at once
      rig.clock.advanceTo(1_000);
      expect(rig.device.timer.mode).toBe('stopped');
      rig.w(RVR, 5);
      rig.clock.advanceTo(1_000 + TICK - 1);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(1_000 + TICK);
      expect(rig.state()).toEqual([5, 0, false]);
      rig.clock.advanceTo(1_000 + 6 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });

    it('S2: RVR 0 written while CVR holds 0 halts at once: no event at the next cycle', () => {
      const rig = makeRig();
      rig.w(RVR, 9);
      rig.w(CSR, TICKINT | ENABLE | CLKSOURCE);
      rig.w(RVR, 0); // still in the first cycle at 0
      rig.clock.advanceTo(50 * TICK);
      expect(rig.state()).toEqual([0, 0, false]);
      expect(rig.device.timer.mode).toBe('stopped');
    });
  });

  describe('S3 ENABLE', () => {
    it('S3: clearing ENABLE freezes CVR; setting it resumes from the frozen value; a CSR write keeping ENABLE never reloads', () => {
      const rig = makeRig();
      rig.w(RVR, 99);
      rig.w(CSR, CLKSOURCE | ENABLE);
      rig.clock.advanceTo(50 * TICK + 1);
      const v = rig.r(CVR);
      expect(v).toBe(50);
      rig.w(CSR, CLKSOURCE);
      rig.clock.advanceTo(10_000);
      expect(rig.r(CVR)).toBe(v);
      rig.w(CSR, CLKSOURCE | ENABLE);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT); // keeps ENABLE: the count goes on
      rig.clock.advanceTo(10_000 + v * TICK - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(10_000 + v * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });
  });

  describe('S4 CVR writes and COUNTFLAG', () => {
    it('S4: any CVR write clears CVR and COUNTFLAG and never pends; CVR reads 0 one cycle, then RVR', () => {
      const rig = makeRig();
      rig.w(RVR, 9);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT);
      rig.clock.advanceTo(10 * TICK + 1); // after the first step to 0
      rig.w(ICSR, PENDSTCLR);
      rig.clock.advanceTo(15 * TICK);
      rig.w(CVR, 0x00ab_cdef); // the value is ignored
      expect(rig.r(CSR) & COUNTFLAG).toBe(0);
      expect(rig.r(CVR)).toBe(0);
      rig.clock.advanceTo(16 * TICK - 1);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(16 * TICK);
      expect(rig.state()).toEqual([9, 0, false]);
      rig.clock.advanceTo(26 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });

    it('S4: a CSR read returns COUNTFLAG and clears it; a CSR write leaves it', () => {
      const rig = makeRig();
      rig.w(RVR, 4);
      rig.w(CSR, CLKSOURCE | ENABLE);
      rig.clock.advanceTo(5 * TICK);
      rig.w(CSR, CLKSOURCE | ENABLE); // a write keeps COUNTFLAG
      expect(rig.r(CSR)).toBe(COUNTFLAG | CLKSOURCE | ENABLE);
      expect(rig.r(CSR)).toBe(CLKSOURCE | ENABLE);
      expect(rig.device.irq.level).toBe(false); // TICKINT 0: COUNTFLAG only
    });
  });

  describe('S5 the exception output: the latched pending state', () => {
    const pending = () => {
      const rig = makeRig();
      rig.w(RVR, 4);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.device.irq.level).toBe(true);
      expect(rig.r(ICSR)).toBe(PENDSTSET);
      return rig;
    };

    it('S5: clearing COUNTFLAG (CSR read, CVR write), TICKINT or ENABLE leaves it pending; PENDSTCLR clears it', () => {
      const rig = pending();
      rig.r(CSR);
      rig.w(CVR, 0);
      rig.w(CSR, CLKSOURCE);
      expect(rig.device.irq.level).toBe(true);
      rig.w(ICSR, 0); // 0s change nothing
      expect(rig.device.irq.level).toBe(true);
      rig.w(ICSR, PENDSTCLR);
      expect([rig.r(ICSR), rig.device.irq.level]).toEqual([0, false]);
    });

    it('S5: PENDSTSET written 1 pends (software); written with PENDSTCLR, PENDSTCLR wins; reset clears', () => {
      const rig = makeRig();
      rig.w(ICSR, PENDSTSET);
      expect(rig.device.irq.level).toBe(true);
      rig.w(ICSR, PENDSTSET | PENDSTCLR);
      expect(rig.device.irq.level).toBe(false);
      rig.w(ICSR, PENDSTSET);
      rig.device.reset();
      expect([rig.r(ICSR), rig.device.irq.level]).toEqual([0, false]);
    });

    it('S5: other ICSR bits read 0 and a write of 1 to them is an unimplemented event', () => {
      const rig = makeRig();
      rig.w(ICSR, 1 << 28); // PENDSVSET
      expect(rig.r(ICSR)).toBe(0);
      expect(rig.events.filter((e) => e.kind === 'unimplemented')).toHaveLength(1);
    });
  });

  describe('S6 clocks', () => {
    it('S6: CLKSOURCE 0 counts the reference clock (1000 ns a cycle)', () => {
      const rig = makeRig();
      rig.w(RVR, 9);
      rig.w(CSR, TICKINT | ENABLE);
      rig.clock.advanceTo(10 * REF_TICK - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(10 * REF_TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });

    it('S6: the selected clock at 0 Hz freezes CVR; running again, the count goes on with a fresh cycle', () => {
      const rig = makeRig();
      rig.w(RVR, 99);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT);
      rig.clock.advanceTo(50 * TICK + 1);
      const v = rig.r(CVR);
      rig.cpuclk.setHz(0);
      rig.clock.advanceTo(100_000);
      expect(rig.r(CVR)).toBe(v);
      rig.cpuclk.setHz(25_000_000);
      rig.clock.advanceTo(100_000 + v * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });

    it('S6: a rate change of the unselected clock changes nothing (QEMU re-times from it)', () => {
      const rig = makeRig();
      rig.w(RVR, 99);
      rig.w(CSR, CLKSOURCE | ENABLE);
      rig.clock.advanceTo(50 * TICK + 1);
      rig.refclk.setHz(32_768);
      rig.refclk.setHz(0);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.state()).toEqual([0, 1, false]);
    });

    it('S3/S6: one CSR write clearing ENABLE and switching to the 1 MHz refclk holds the count of that instant (50, not 2)', () => {
      const rig = makeRig();
      rig.w(RVR, 99);
      rig.w(CSR, CLKSOURCE | ENABLE);
      rig.clock.advanceTo(50 * TICK + 1);
      expect(rig.r(CVR)).toBe(50);
      rig.w(CSR, 0); // CLKSOURCE 0 and ENABLE 0 at once: the count is latched as the core clock counted it
      expect(rig.r(CVR)).toBe(50);
      rig.clock.advanceTo(10_000);
      expect(rig.r(CVR)).toBe(50);
      rig.w(CSR, TICKINT | ENABLE); // resumes from 50 on the reference clock, with a fresh cycle
      rig.clock.advanceTo(10_000 + 50 * REF_TICK - 1);
      expect(rig.state()).toEqual([1, 0, false]);
      rig.clock.advanceTo(10_000 + 50 * REF_TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });

    it('S6: one CSR write moving CLKSOURCE off a stopped clock and setting ENABLE counts (the QEMU < 7.0 bug)', () => {
      const rig = makeRig({ refHz: 0 });
      rig.w(RVR, 4);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
    });
  });

  describe('S7 CALIB', () => {
    it('S7: computed from refclk: TENMS = cycles in 10 ms - 1, SKEW when inexact, SKEW alone when stopped', () => {
      expect(makeRig({ refHz: 32_768 }).r(CALIB)).toBe((1 << 30) | 326);
      const rig = makeRig({ refHz: 0 });
      expect(rig.r(CALIB)).toBe(1 << 30);
      rig.refclk.setHz(8_000_000);
      expect(rig.r(CALIB)).toBe(79_999);
    });

    it('S7: the calib option is read back; with NOREF, CLKSOURCE reads 1 and ignores a 0', () => {
      const rig = makeRig({ calib: (0x8000_0000 | 249_999) >>> 0 });
      expect(rig.r(CALIB)).toBe((0x8000_0000 | 249_999) >>> 0);
      expect(rig.r(CSR)).toBe(CLKSOURCE);
      rig.w(CSR, ENABLE);
      expect(rig.r(CSR)).toBe(CLKSOURCE | ENABLE);
      rig.device.reset();
      expect(rig.r(CSR)).toBe(CLKSOURCE);
    });

    it('S7: a CALIB write is a read-only guest error', () => {
      const rig = makeRig();
      rig.w(CALIB, 5);
      expect(rig.events.map((e) => e.kind === 'guest-error' && e.reason)).toEqual(['read-only']);
      expect(rig.r(CALIB)).toBe(9_999);
    });

    it('refuses a calib with bits 29:24 set, or an unknown option, with a DeviceConfigError', () => {
      const clocks = { cpuclk: new ClockInput('c', 1), refclk: new ClockInput('r', 1) };
      expect(thrown(() => new Armv7mSystick(new VirtualClock(), { ...clocks, calib: 1 << 24 }))).toBeInstanceOf(DeviceConfigError);
      expect(thrown(() => new Armv7mSystick(new VirtualClock(), { ...clocks, calib: -1 }))).toBeInstanceOf(DeviceConfigError);
      expect(thrown(() => new Armv7mSystick(new VirtualClock(), { ...clocks, refclk: 5 } as never))).toBeInstanceOf(DeviceConfigError);
    });
  });

  describe('Timing', () => {
    // 24 MHz core clock: 41⅔ ns a cycle. RVR 999: rounds of 1000 cycles = 41 666⅔ ns.
    const wraps = (timing: 'exact' | 'qemu') => {
      const rig = makeRig({ cpuHz: 24_000_000, timing });
      rig.w(RVR, 999);
      rig.w(CSR, CLKSOURCE | ENABLE | TICKINT);
      const seen: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        seen.push(rig.clock.now());
        rig.w(ICSR, PENDSTCLR);
      });
      rig.clock.advanceTo(130_000);
      return seen;
    };

    it('Timing: exact by default: wrap k at ⌊k·125 000/3⌋ ns', () => {
      expect(wraps('exact')).toEqual([41_666, 83_333, 125_000]);
    });

    it("Timing: 'qemu': the first round floored in two countdowns (41 + 41 624 ns), later rounds 41 666 ns", () => {
      expect(wraps('qemu')).toEqual([41_665, 83_331, 124_997]);
    });
  });
});
