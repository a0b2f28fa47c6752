// The MCF5208 PIT walked through like the manual's chapter (reference devices-2.md §23): program
// the registers, step to just before and just after a step boundary, read what the guest would.
// 1 MHz bus clock, PRE 0: one step = 1000 ns.
import { describe, expect, it } from 'vitest';
import { MCF5208_PIT_POLICY, Mcf5208Pit } from '../../../devices/mcf5208-pit';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { DBG, DOZE, EN, loadAndRun, makeRig, OVW, PCNTR, PCSR, PIE, PIF, PMR, PRE, RLD, TICK, type Rig } from './rig';

const at = (rig: Rig, t: number) => {
  rig.clock.advanceTo(t);
  return rig.state();
};

/** Rising edges of the line, each acknowledged at once as Linux's handler does (PCSR |= PIF). */
const acknowledged = (rig: Rig): number[] => {
  const rises: number[] = [];
  rig.device.irq.watch((high) => {
    if (!high) return;
    rises.push(rig.clock.now());
    rig.w(PCSR, rig.r(PCSR) | PIF);
  });
  return rises;
};

describe('Mcf5208Pit', () => {
  it('policy is W+D+R+O (each flag justified in the header); QEMU runs it LEGACY', () => {
    expect([...MCF5208_PIT_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD']);
  });

  it('reset: PCSR 0, PMR 0xFFFF, PCNTR 0xFFFF held, line low', () => {
    const rig = makeRig();
    expect([rig.r(PCSR), rig.r(PMR), rig.r(PCNTR), rig.device.timer.mode, rig.device.irq.level]).toEqual([0, 0xffff, 0xffff, 'stopped', false]);
  });

  describe('P1 counting', () => {
    it('P1: RLD 1: PCNTR shows the loaded 9 for a step, steps to 0 at 9 µs (PIF, line), holds 0 a step, then PMR: PMR + 1 steps a period', () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | RLD | PIE);
      expect(at(rig, TICK)).toEqual([9, 0, false]); //            D: 9 until the end of its step
      expect(at(rig, TICK + 1)).toEqual([8, 0, false]);
      expect(at(rig, 9 * TICK - 1)).toEqual([1, 0, false]);
      expect(at(rig, 9 * TICK)).toEqual([0, 1, true]); //        the step to 0
      expect(at(rig, 10 * TICK)).toEqual([0, 1, true]); //       W: 0 for a whole step
      expect(at(rig, 10 * TICK + 1)).toEqual([9, 1, true]); //   O: the reload sets nothing
      rig.w(PCSR, rig.r(PCSR) | PIF);
      expect(at(rig, 19 * TICK)).toEqual([0, 1, true]); //       a period is PMR + 1 = 10 steps
    });

    it('P1: RLD 0 (free-running): after the step to 0 the counter rolls over to 0xFFFF: 65 536 steps to the next PIF', () => {
      const rig = makeRig();
      loadAndRun(rig, 5, EN | PIE);
      const rises = acknowledged(rig);
      expect(at(rig, 6 * TICK + 1)).toEqual([0xffff, 0, false]);
      rig.clock.advanceTo(5 * TICK + 2 * 65_536 * TICK);
      expect(rises).toEqual([5 * TICK, 5 * TICK + 65_536 * TICK, 5 * TICK + 2 * 65_536 * TICK]);
    });

    it('P1: PRE divides the bus clock by 2^PRE: PRE 3 steps every 8 µs', () => {
      const rig = makeRig();
      loadAndRun(rig, 4, EN | RLD | PIE | PRE(3));
      expect(at(rig, 32 * TICK - 1)).toEqual([1, 0, false]);
      expect(at(rig, 32 * TICK)).toEqual([0, 1, true]);
    });
  });

  describe('P2 EN', () => {
    it('P2: EN 0 holds PCNTR; EN 1 resumes from it with a fresh step; no PMR load at the enable', () => {
      const rig = makeRig();
      loadAndRun(rig, 99, EN | RLD | PIE);
      rig.clock.advanceTo(30 * TICK + 500);
      expect(rig.r(PCNTR)).toBe(69);
      rig.w(PCSR, RLD | PIE);
      rig.clock.advanceTo(1_000_000);
      expect([rig.r(PCNTR), rig.device.timer.mode]).toEqual([69, 'stopped']);
      rig.w(PCSR, EN | RLD | PIE);
      expect(at(rig, 1_000_000 + 69 * TICK - 1)).toEqual([1, 0, false]);
      expect(at(rig, 1_000_000 + 69 * TICK)).toEqual([0, 1, true]);
    });

    it('P2: after reset an enable counts down the held 0xFFFF: the first PIF 65 535 steps later (QEMU: at once), then every PMR + 1', () => {
      const rig = makeRig();
      const rises = acknowledged(rig);
      rig.w(PCSR, 0);
      rig.w(PMR, 999); // OVW 0: loaded at the next reload only
      rig.w(PCSR, EN | PIE | OVW | RLD);
      rig.clock.advanceTo(65_535 * TICK + 3_000 * TICK);
      expect(rises).toEqual([65_535 * TICK, 66_535 * TICK, 67_535 * TICK, 68_535 * TICK]);
    });

    it('P2: held at 0 and enabled again: 0 for one step, then PMR loaded, with no PIF', () => {
      const rig = makeRig();
      loadAndRun(rig, 3, EN | RLD);
      rig.clock.advanceTo(3 * TICK + 10);
      rig.w(PCSR, RLD | PIF); // stop at 0 and clear PIF
      rig.clock.advanceTo(50 * TICK);
      rig.w(PCSR, EN | RLD);
      expect(at(rig, 51 * TICK - 1)).toEqual([0, 0, false]);
      expect(at(rig, 51 * TICK)).toEqual([3, 0, false]);
      expect(at(rig, 54 * TICK)).toEqual([0, 1, false]);
    });
  });

  describe('P3 PMR writes', () => {
    it('P3: with OVW a PMR write loads the counter at once (a fresh step), enabled or not, and clears PIF', () => {
      const rig = makeRig();
      loadAndRun(rig, 5, EN | RLD | PIE | OVW);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.clock.advanceTo(7 * TICK + 500);
      rig.w(PMR, 20);
      expect(rig.state()).toEqual([20, 0, false]);
      expect(at(rig, 27 * TICK + 500)).toEqual([0, 1, true]);
      expect(at(rig, 48 * TICK + 500)).toEqual([0, 1, true]); // 20 + 1 steps later
    });

    it('P3: with OVW 0 a PMR write only stores: the counter loads it at the next reload; PIF clears anyway', () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | RLD | PIE);
      rig.clock.advanceTo(9 * TICK);
      rig.w(PMR, 4); // during the step at 0: loaded at the end of a fresh step at 0
      expect(rig.state()).toEqual([0, 0, false]);
      expect(at(rig, 10 * TICK - 1)).toEqual([0, 0, false]);
      expect(at(rig, 10 * TICK)).toEqual([4, 0, false]);
      rig.clock.advanceTo(12 * TICK + 1);
      rig.w(PMR, 7); // counting: stored for the next reload
      expect(at(rig, 14 * TICK)).toEqual([0, 1, true]);
      expect(at(rig, 15 * TICK + 1)).toEqual([7, 1, true]);
    });

    it('P3: a load of 0 sets no PIF; with RLD 0 the counter shows 0 for a step and rolls over', () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | PIE | OVW);
      rig.clock.advanceTo(2 * TICK + 1);
      rig.w(PMR, 0);
      expect(at(rig, 3 * TICK)).toEqual([0, 0, false]);
      expect(at(rig, 3 * TICK + 1)).toEqual([0xffff, 0, false]); // the load is a step of its own
    });
  });

  describe('P4 PCSR writes', () => {
    it("P4: Linux's handler rewriting PCSR with PIF set clears PIF and leaves the count alone", () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | RLD | PIE);
      const rises = acknowledged(rig);
      rig.clock.advanceTo(12 * TICK + 300);
      rig.w(PCSR, rig.r(PCSR) | PIF | OVW | DBG); // OVW and DBG changes do not touch the count either
      rig.clock.advanceTo(40 * TICK);
      expect(rises).toEqual([9, 19, 29, 39].map((k) => k * TICK));
    });

    it('P4: a PRE change while counting re-times the count from its reading with a fresh step', () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | RLD | PIE);
      rig.clock.advanceTo(4 * TICK + 500); // reads 5
      rig.w(PCSR, EN | RLD | PIE | PRE(1)); // 2 µs a step from here
      expect(at(rig, 4 * TICK + 500 + 5 * 2 * TICK - 1)).toEqual([1, 0, false]);
      expect(at(rig, 4 * TICK + 500 + 5 * 2 * TICK)).toEqual([0, 1, true]);
    });

    it('P4: one PCSR write that clears EN and changes PRE holds the count it had (the stop comes before the re-timing)', () => {
      const rig = makeRig();
      loadAndRun(rig, 999, EN | RLD | PRE(6)); // 64 µs a step
      rig.clock.advanceTo(100 * 64 * TICK + 5);
      expect(rig.r(PCNTR)).toBe(899);
      rig.w(PCSR, RLD); // EN 0 and PRE 0 together
      expect([rig.r(PCNTR), rig.device.timer.mode]).toEqual([899, 'stopped']);
      rig.w(PCSR, EN | RLD);
      expect(at(rig, 100 * 64 * TICK + 5 + 899 * TICK)).toEqual([0, 1, false]);
    });

    it('P4: an RLD change applies at the next step to 0', () => {
      const rig = makeRig();
      loadAndRun(rig, 9, EN | RLD);
      rig.clock.advanceTo(3 * TICK);
      rig.w(PCSR, EN);
      expect(at(rig, 9 * TICK)).toEqual([0, 1, false]);
      expect(at(rig, 10 * TICK + 1)).toEqual([0xffff, 1, false]);
    });
  });

  describe('P5 the interrupt', () => {
    it('P5: PIF is set whatever PIE says; PIE set later raises the line; PIF written 1 lowers it; PIF written 0 changes nothing', () => {
      const rig = makeRig();
      loadAndRun(rig, 4, EN | RLD);
      expect(at(rig, 4 * TICK)).toEqual([0, 1, false]);
      rig.w(PCSR, EN | RLD | PIE);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.w(PCSR, EN | RLD | PIE); // PIF written 0
      expect(rig.device.irq.level).toBe(true);
      rig.w(PCSR, EN | RLD | PIE | PIF);
      expect(rig.state()).toEqual([0, 0, false]);
    });

    it('P5: a PMR write lowers a pending line (it clears PIF)', () => {
      const rig = makeRig();
      loadAndRun(rig, 4, EN | RLD | PIE);
      rig.clock.advanceTo(4 * TICK);
      expect(rig.device.irq.level).toBe(true);
      rig.w(PMR, 4);
      expect(rig.device.irq.level).toBe(false);
    });
  });

  describe('P6 PMR 0 with RLD 1', () => {
    it('P6: the counter steps to 0 (one PIF) and rests there; a non-zero PMR written while it rests is loaded at the next step', () => {
      const rig = makeRig();
      loadAndRun(rig, 3, EN | RLD | PIE);
      rig.w(PMR, 0); // OVW 0: the reload value only
      rig.clock.advanceTo(3 * TICK);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.w(PCSR, EN | RLD | PIE | PIF);
      rig.clock.advanceTo(100 * TICK);
      expect([...rig.state(), rig.device.timer.mode]).toEqual([0, 0, false, 'stopped']);
      rig.w(PMR, 5);
      expect(at(rig, 101 * TICK - 1)).toEqual([0, 0, false]);
      expect(at(rig, 101 * TICK)).toEqual([5, 0, false]);
      expect(at(rig, 106 * TICK)).toEqual([0, 1, true]);
    });

    it('P6: PMR 0 written with OVW holds the counter at 0 at once: no PIF', () => {
      const rig = makeRig();
      loadAndRun(rig, 30, EN | RLD | PIE | OVW);
      rig.clock.advanceTo(5 * TICK);
      rig.w(PMR, 0);
      rig.clock.advanceTo(100 * TICK);
      expect([...rig.state(), rig.device.timer.mode]).toEqual([0, 0, false, 'stopped']);
    });
  });

  it('P7: DBG and DOZE store and read back, each 1 written is an unimplemented event, and the counter never halts for them', () => {
    const rig = makeRig();
    loadAndRun(rig, 4, EN | RLD | DBG | DOZE);
    expect(rig.r(PCSR)).toBe(EN | RLD | DBG | DOZE);
    expect(rig.events.filter((e) => e.kind === 'unimplemented').map((e) => e.kind === 'unimplemented' && e.feature)).toEqual(['PCSR.DBG', 'PCSR.DOZE']);
    expect(at(rig, 4 * TICK)).toEqual([0, 1, false]);
  });

  describe('P9 the clock', () => {
    it('P9: busclk at 0 Hz freezes PCNTR; running again, the count goes on with a fresh step', () => {
      const rig = makeRig();
      loadAndRun(rig, 99, EN | RLD | PIE);
      rig.clock.advanceTo(40 * TICK + 300);
      rig.busclk.setHz(0);
      rig.clock.advanceTo(1_000_000);
      expect(rig.state()).toEqual([59, 0, false]);
      rig.busclk.setHz(4_000_000); // 250 ns a step
      expect(at(rig, 1_000_000 + 59 * 250)).toEqual([0, 1, true]);
    });

    it('P9: exact by default at the 83.33 MHz bus clock with PRE 6 (768.000003 ns a step); timing qemu floors each countdown', () => {
      const rises = (timing: 'exact' | 'qemu') => {
        const rig = makeRig({ hz: 83_333_333, timing });
        loadAndRun(rig, 13_020, EN | RLD | PIE | PRE(6));
        rig.w(PMR, 13_019); // OVW 0: every later round is 13 020 steps too
        const seen = acknowledged(rig);
        rig.clock.advanceTo(4 * 10_000_000);
        return seen;
      };
      // A round: 13 020·64·10^9/83 333 333 = 9 999 360.04 ns; k rounds floored.
      const exact = [1, 2, 3].map((k) => Number((BigInt(k) * 13_020n * 64_000_000_000n) / 83_333_333n));
      expect(rises('exact').slice(0, 3)).toEqual(exact);
      const qemu = rises('qemu').slice(0, 3);
      expect(qemu.map((t, i) => exact[i]! - t)).toEqual(qemu.map((_, i) => expect.toSatisfy((d: number) => d >= 0 && d <= i + 1)));
    });
  });

  it('refuses a busclk that is not a ClockInput, an unknown option or timing, with a DeviceConfigError naming it', () => {
    const error = thrown(() => new Mcf5208Pit(new VirtualClock(), { busclk: 83_333_333 } as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    expect((error as Error).message).toMatch(/Mcf5208Pit\(options\.busclk\)/);
    expect(thrown(() => new Mcf5208Pit(new VirtualClock(), { prescale: 6 } as never))).toBeInstanceOf(DeviceConfigError);
    expect(thrown(() => new Mcf5208Pit(new VirtualClock(), { timing: 'fast' } as never))).toBeInstanceOf(DeviceConfigError);
    expect(new Mcf5208Pit(new VirtualClock(), { busclk: new ClockInput('b', 1) }).name).toBe('mcf5208-pit');
  });
});
