// The MCF5206 timer module walked through like the manual's chapter (reference devices-2.md
// §22): program the registers, step to just before and just after a step boundary, read what
// the guest would. 25 MHz system clock, ÷1: one step = 40 ns.
import { describe, expect, it } from 'vitest';
import { MCF5206_TIMER_POLICY, Mcf5206Timer } from '../../../devices/mcf5206-timer';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { CAP, CE, CLK1, CLK16, CLK_STOP, CLK_TIN, FRR, makeRig, OM, ORI, program, PS, REF, RST, TCN, TCR, TER, TICK, TMR, TRR, type Rig } from './rig';

const at = (rig: Rig, t: number, n: 1 | 2 = 1) => {
  rig.clock.advanceTo(t);
  return rig.state(n);
};

/** Rising edges of timer n's line, each acknowledged at once as Linux's handler does (TER = CAP | REF). */
const acknowledged = (rig: Rig, n: 1 | 2 = 1): number[] => {
  const rises: number[] = [];
  rig.device.lines[`timer${n}`].watch((high) => {
    if (!high) return;
    rises.push(rig.clock.now());
    rig.w(TER(n), CAP | REF);
  });
  return rises;
};

describe('Mcf5206Timer', () => {
  it('policy is D+O, as the i.MX GPT (each flag justified in the header); QEMU runs it LEGACY', () => {
    expect([...MCF5206_TIMER_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('reset: TMR 0 (held in reset), TRR 0xFFFF, TCR, TCN, TER 0, both timers; lines low', () => {
    const rig = makeRig();
    for (const n of [1, 2] as const) expect([rig.r(TMR(n)), rig.r(TRR(n)), rig.r(TCR(n)), rig.r(TCN(n)), rig.r(TER(n))]).toEqual([0, 0xffff, 0, 0, 0]);
    rig.clock.advanceTo(10_000_000);
    expect([rig.state(1), rig.state(2)]).toEqual([
      [0, 0, false],
      [0, 0, false],
    ]);
  });

  describe('M1 counting and the reference event', () => {
    it('M1: restart mode, TRR 9: TCN 0 … 9, a step each; REF as TCN leaves 9 for 0: TRR + 1 = 10 steps a round', () => {
      const rig = makeRig();
      program(rig, 1, 9, ORI | FRR | CLK1 | RST);
      expect(at(rig, TICK)).toEqual([0, 0, false]); //             D: 0 until the end of its step
      expect(at(rig, TICK + 1)).toEqual([1, 0, false]);
      expect(at(rig, 10 * TICK - 1)).toEqual([9, 0, false]); //   TRR for a whole step
      expect(at(rig, 10 * TICK)).toEqual([0, 1, true]); //         the reference event: back to 0 with REF
      rig.w(TER(1), REF);
      expect(at(rig, 19 * TICK + 1)).toEqual([9, 0, false]);
      expect(at(rig, 20 * TICK)).toEqual([0, 1, true]);
    });

    it('M1: free-run mode: REF as TCN leaves TRR, TCN runs on through 0xFFFF to 0, unflagged: 65 536 steps between events', () => {
      const rig = makeRig();
      const rises = acknowledged(rig);
      program(rig, 1, 9, ORI | CLK1 | RST);
      expect(at(rig, 10 * TICK + 1)).toEqual([10, 0, false]);
      expect(at(rig, 65_536 * TICK + 1)).toEqual([0, 0, false]); // 0xFFFF → 0: no flag
      rig.clock.advanceTo(10 * TICK + 2 * 65_536 * TICK);
      expect(rises).toEqual([10 * TICK, (10 + 65_536) * TICK, (10 + 2 * 65_536) * TICK]);
    });

    it('M1: TRR 0 in restart mode: TCN stays 0 and every step is a reference event', () => {
      const rig = makeRig();
      const rises = acknowledged(rig);
      program(rig, 1, 0, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(4 * TICK);
      expect(rises).toEqual([1, 2, 3, 4].map((k) => k * TICK));
      expect(rig.r(TCN(1))).toBe(0);
    });

    it('M1: the two timers are independent', () => {
      const rig = makeRig();
      program(rig, 1, 4, ORI | FRR | CLK1 | RST);
      program(rig, 2, 6, ORI | FRR | CLK1 | RST);
      expect([at(rig, 5 * TICK, 1), rig.state(2)]).toEqual([
        [0, 1, true],
        [4, 0, false],
      ]);
      expect(at(rig, 7 * TICK, 2)).toEqual([0, 1, true]);
    });
  });

  describe('M2 the input clock', () => {
    it('M2: PS divides by PS + 1 and CLK 10 by 16 more: PS 3, CLK 10 is a step every 64 cycles', () => {
      const rig = makeRig();
      program(rig, 1, 4, ORI | FRR | CLK16 | PS(3) | RST);
      expect(at(rig, 5 * 64 * TICK - 1)).toEqual([4, 0, false]);
      expect(at(rig, 5 * 64 * TICK)).toEqual([0, 1, true]);
    });

    it('M2: CLK 00 holds TCN; CLK 01 again resumes from it with a fresh step', () => {
      const rig = makeRig();
      program(rig, 1, 99, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(30 * TICK + 5);
      rig.w(TMR(1), ORI | FRR | CLK_STOP | RST);
      rig.clock.advanceTo(10_000);
      expect(rig.r(TCN(1))).toBe(30);
      rig.w(TMR(1), ORI | FRR | CLK1 | RST);
      expect(at(rig, 10_000 + 70 * TICK - 1)).toEqual([99, 0, false]);
      expect(at(rig, 10_000 + 70 * TICK)).toEqual([0, 1, true]);
    });

    it('M2: CLK 11 (TIN) is an unimplemented event and holds the counter', () => {
      const rig = makeRig();
      program(rig, 1, 99, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(10 * TICK + 1);
      rig.w(TMR(1), ORI | FRR | CLK_TIN | RST);
      expect(rig.events.filter((e) => e.kind === 'unimplemented').map((e) => e.kind === 'unimplemented' && [e.offset, e.feature])).toEqual([[TMR(1), 'TMR1.CLK = 11 (the TIN input)']]);
      rig.clock.advanceTo(100_000);
      expect(rig.state()).toEqual([10, 0, false]);
    });

    it('M2: a PS change while counting re-times TCN from its reading with a fresh step', () => {
      const rig = makeRig();
      program(rig, 1, 19, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(10 * TICK + 5); // TCN 10
      rig.w(TMR(1), ORI | FRR | CLK1 | PS(1) | RST); // 80 ns a step from here
      expect(at(rig, 10 * TICK + 5 + 10 * 2 * TICK - 1)).toEqual([19, 0, false]);
      expect(at(rig, 10 * TICK + 5 + 10 * 2 * TICK)).toEqual([0, 1, true]);
    });
  });

  describe('M3 RST', () => {
    it('M3: RST 1 → 0 resets TRR to 0xFFFF, TCN, TCR and TER to 0 (TMR keeps the written bits); the line falls', () => {
      const rig = makeRig();
      program(rig, 1, 4, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(7 * TICK);
      expect(rig.state()).toEqual([1, 1, true]);
      rig.w(TMR(1), ORI | FRR | CLK1);
      expect([rig.r(TMR(1)), rig.r(TRR(1)), rig.r(TER(1)), ...rig.state()]).toEqual([ORI | FRR | CLK1, 0xffff, 0, 0, 0, false]);
      rig.clock.advanceTo(1_000_000);
      expect(rig.state()).toEqual([0, 0, false]);
    });

    it('M3: in reset TRR can be written and TCN stays 0; RST 0 → 1 counts from 0', () => {
      const rig = makeRig();
      rig.w(TRR(1), 3);
      rig.w(TCN(1), 0x55);
      rig.clock.advanceTo(5_000);
      expect([rig.r(TRR(1)), rig.r(TCN(1))]).toEqual([3, 0]);
      rig.w(TMR(1), ORI | FRR | CLK1 | RST);
      expect(at(rig, 5_000 + 4 * TICK)).toEqual([0, 1, true]);
    });

    it('M3: reset() resets the module the same way', () => {
      const rig = makeRig();
      program(rig, 2, 4, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(5 * TICK);
      rig.device.reset();
      expect([rig.r(TMR(2)), rig.r(TRR(2)), ...rig.state(2)]).toEqual([0, 0xffff, 0, 0, false]);
    });
  });

  it('M4: a TCN write of any value clears TCN (a fresh step); nothing is stored', () => {
    const rig = makeRig();
    program(rig, 1, 99, ORI | FRR | CLK1 | RST);
    rig.clock.advanceTo(50 * TICK + 5);
    rig.w(TCN(1), 0x1234);
    expect(rig.r(TCN(1))).toBe(0);
    expect(rig.device.snapshot().registers.registers.TCN1).toBe(0);
    expect(at(rig, 50 * TICK + 5 + 100 * TICK - 1)).toEqual([99, 0, false]);
    expect(at(rig, 50 * TICK + 5 + 100 * TICK)).toEqual([0, 1, true]);
  });

  describe('M5 TRR writes', () => {
    it('M5: TRR raised while counting: the event comes as TCN leaves the new TRR, counted from its reading', () => {
      const rig = makeRig();
      program(rig, 1, 9, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(5 * TICK + 5); // TCN 5
      rig.w(TRR(1), 19);
      expect(rig.r(TCN(1))).toBe(5);
      expect(at(rig, 5 * TICK + 5 + 15 * TICK - 1)).toEqual([19, 0, false]);
      expect(at(rig, 5 * TICK + 5 + 15 * TICK)).toEqual([0, 1, true]);
    });

    it('M5: TRR lowered below TCN: TCN runs on through 0xFFFF → 0 and the event comes when it next leaves TRR', () => {
      const rig = makeRig();
      program(rig, 1, 99, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(50 * TICK + 5); // TCN 50
      rig.w(TRR(1), 9);
      const steps = 0x1_0000 - 50 + 10;
      expect(at(rig, 50 * TICK + 5 + steps * TICK - 1)).toEqual([9, 0, false]);
      expect(at(rig, 50 * TICK + 5 + steps * TICK)).toEqual([0, 1, true]);
    });
  });

  describe('M6 TER and the lines', () => {
    it('M6: REF is set whatever ORI says; ORI set later raises the line; REF written 1 lowers it, 0 changes nothing', () => {
      const rig = makeRig();
      program(rig, 1, 4, FRR | CLK1 | RST);
      expect(at(rig, 5 * TICK)).toEqual([0, 1, false]);
      rig.w(TMR(1), ORI | FRR | CLK1 | RST);
      expect(rig.state()).toEqual([0, 1, true]);
      rig.w(TER(1), CAP);
      expect(rig.device.timer1.level).toBe(true);
      rig.w(TER(1), REF);
      expect(rig.state()).toEqual([0, 0, false]);
    });

    it("M6: Linux's acknowledge (TER = CAP | REF) every round keeps the period", () => {
      const rig = makeRig();
      const rises = acknowledged(rig);
      program(rig, 1, 24, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(100 * TICK);
      expect(rises).toEqual([25, 50, 75, 100].map((k) => k * TICK));
    });
  });

  describe('M7 mode changes while counting', () => {
    it('M7: ORI toggled and FRR set while counting leave TCN alone; the change of FRR applies after the next event', () => {
      const rig = makeRig();
      program(rig, 1, 9, ORI | CLK1 | RST); // free run
      rig.clock.advanceTo(3 * TICK + 5);
      rig.w(TMR(1), CLK1 | RST);
      rig.w(TMR(1), ORI | FRR | CLK1 | RST);
      expect(rig.r(TCN(1))).toBe(3);
      expect(at(rig, 10 * TICK)).toEqual([0, 1, true]); // restart mode now: back to 0
      rig.w(TER(1), REF);
      expect(at(rig, 20 * TICK)).toEqual([0, 1, true]);
    });

    it('M7: FRR cleared while counting: the round in progress ends at TRR, then TCN runs on', () => {
      const rig = makeRig();
      program(rig, 1, 9, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(3 * TICK + 5);
      rig.w(TMR(1), ORI | CLK1 | RST);
      expect(at(rig, 10 * TICK)).toEqual([10, 1, true]);
    });
  });

  describe('M9 the clock', () => {
    it('M9: sysclk at 0 Hz freezes both counters; running again they go on with a fresh step', () => {
      const rig = makeRig();
      program(rig, 1, 99, ORI | FRR | CLK1 | RST);
      program(rig, 2, 49, ORI | FRR | CLK1 | RST);
      rig.clock.advanceTo(40 * TICK + 5);
      rig.sysclk.setHz(0);
      rig.clock.advanceTo(1_000_000);
      expect([rig.r(TCN(1)), rig.r(TCN(2))]).toEqual([40, 40]);
      rig.sysclk.setHz(50_000_000); // 20 ns a step
      expect(at(rig, 1_000_000 + 10 * 20, 2)).toEqual([0, 1, true]);
      expect(at(rig, 1_000_000 + 60 * 20, 1)).toEqual([0, 1, true]);
    });

    it('M9: exact by default at 33 MHz (30.30 ns a step); timing qemu floors each round, drifting a ns every 33 rounds', () => {
      const rises = (timing: 'exact' | 'qemu') => {
        const rig = makeRig({ hz: 33_000_000, timing });
        const seen = acknowledged(rig);
        program(rig, 1, 999, ORI | FRR | CLK1 | RST);
        rig.clock.advanceTo(1_300_000);
        return seen;
      };
      // A round: 1000 steps = 30 303 1/33 ns. Exact: round k at ⌊k·30 303 1/33⌋; QEMU: ⌊1000·P⌋ = 30 303 ns a round.
      const exact = rises('exact');
      expect(exact).toHaveLength(42);
      expect(exact).toEqual(exact.map((_, i) => Math.floor(((i + 1) * 1_000_000) / 33)));
      expect(rises('qemu')).toEqual(exact.map((_, i) => (i + 1) * 30_303));
      expect(exact[39]! - 40 * 30_303).toBe(1);
    });
  });

  it('M11: CE and OM store and read back, a non-zero write is an unimplemented event; TCR stays 0 and CAP is never set', () => {
    const rig = makeRig();
    program(rig, 1, 4, CE(1) | OM | ORI | FRR | CLK1 | RST);
    expect(rig.r(TMR(1))).toBe(CE(1) | OM | ORI | FRR | CLK1 | RST);
    expect(rig.events.filter((e) => e.kind === 'unimplemented').map((e) => e.kind === 'unimplemented' && e.feature)).toEqual(['TMR1.OM', 'TMR1.CE']);
    rig.clock.advanceTo(100 * TICK);
    expect([rig.r(TCR(1)), rig.r(TER(1)) & CAP]).toEqual([0, 0]);
  });

  it('refuses a sysclk that is not a ClockInput, an unknown option or delivery, with a DeviceConfigError naming it', () => {
    const error = thrown(() => new Mcf5206Timer(new VirtualClock(), { sysclk: 25_000_000 } as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    expect((error as Error).message).toMatch(/Mcf5206Timer\(options\.sysclk\)/);
    expect(thrown(() => new Mcf5206Timer(new VirtualClock(), { timers: 3 } as never))).toBeInstanceOf(DeviceConfigError);
    expect(thrown(() => new Mcf5206Timer(new VirtualClock(), { delivery: 'soon' } as never))).toBeInstanceOf(DeviceConfigError);
    expect(new Mcf5206Timer(new VirtualClock(), { sysclk: new ClockInput('s', 1) }).name).toBe('mcf5206-timer');
  });
});
