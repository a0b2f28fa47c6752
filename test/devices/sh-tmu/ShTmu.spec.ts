// The SuperH TMU as a datasheet walk-through (SH7750 "Timer Unit (TMU)"): the register map,
// reset, each decision of the device header (X1-X12) at the count edges that matter, the clock
// selections, clock changes, exact and QEMU timing, options, snapshot, restore and continuation.
// Pφ runs at 40 MHz: one Pφ/4 count is 100 ns.
import { describe, expect, it } from 'vitest';
import { SH_TMU_POLICY, SH_TMU_REGISTERS, ShTmu } from '../../../devices/sh-tmu';
import { ClockInput, DeviceConfigError, guestRead, guestWrite, RegisterSnapshotError, VirtualClock, type IrqSignal } from '../../../index';
import { continuationDigests, type ScriptStep } from '../../support/deviceHarness';
import {
  CKEG_BOTH,
  CKEG_FALLING,
  CKEG_RISING,
  COUNT,
  ICPE,
  ICPF,
  makeRig,
  PCLK_1024,
  PCLK_16,
  PCLK_256,
  PCLK_4,
  PCLK_64,
  program,
  RTC,
  state,
  TCLK,
  tcnt,
  tcor,
  TCPR2,
  tcr,
  TOCR,
  TPSC_RESERVED,
  TSTR,
  UNF,
  UNIE,
  type Rig,
} from './rig';

/** The instants TUNIn rises, each acknowledged as Linux's periodic handler does (TCR = UNIE | TPSC, UNF 0). */
const rises = (rig: Rig, n: number, control = UNIE | PCLK_4): number[] => {
  const seen: number[] = [];
  [rig.device.tuni0, rig.device.tuni1, rig.device.tuni2][n]!.watch((high) => {
    if (!high) return;
    seen.push(rig.clock.now());
    rig.w16(tcr(n), control);
  });
  return seen;
};

describe('ShTmu', () => {
  it("has the manual's register map: TOCR and TSTR bytes, three channels 0x0C apart from 0x08, TCPR2 at 0x2C", () => {
    expect(SH_TMU_REGISTERS.registers.map((r) => [r.name, r.offset, r.width, r.sizes, r.reset])).toEqual([
      ['TOCR', 0x00, 8, [1], 0],
      ['TSTR', 0x04, 8, [1], 0],
      ...[0, 1, 2].flatMap((n) => [
        [`TCOR${n}`, 0x08 + 0x0c * n, 32, [4], 0xffff_ffff],
        [`TCNT${n}`, 0x0c + 0x0c * n, 32, [4], 0xffff_ffff],
        [`TCR${n}`, 0x10 + 0x0c * n, 16, [2], 0],
      ]),
      ['TCPR2', 0x2c, 32, [4], 0],
    ]);
    expect(SH_TMU_REGISTERS.channel('CH', 2)).toEqual({ TCOR: 'TCOR2', TCNT: 'TCNT2', TCR: 'TCR2' });
    expect(SH_TMU_POLICY).toEqual(['NO_COUNTER_ROUND_DOWN']);
  });

  it('X7: resets to the manual values, every channel held, lines low; reset() mid-run does it again', () => {
    const rig = makeRig();
    const resetValues = (): number[] => [rig.r8(TOCR), rig.r8(TSTR), ...[0, 1, 2].flatMap((n) => [rig.r32(tcor(n)), rig.r32(tcnt(n)), rig.r16(tcr(n))]), rig.r32(TCPR2)];
    const expected = [0, 0, ...[0, 1, 2].flatMap(() => [0xffff_ffff, 0xffff_ffff, 0]), 0];
    expect(resetValues()).toEqual(expected);
    rig.clock.advanceTo(1_000);
    expect(rig.r32(tcnt(0))).toBe(0xffff_ffff); // TSTR 0: nothing counts
    program(rig, 0, 3);
    program(rig, 2, 5, 5, UNIE | PCLK_16);
    rig.clock.advanceTo(1_400);
    expect(state(rig, 0)).toEqual([3, 1, true]);
    rig.device.reset();
    expect(resetValues()).toEqual(expected);
    expect([rig.device.tuni0.level, rig.device.tuni1.level, rig.device.tuni2.level]).toEqual([false, false, false]);
    expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped', 'stopped']);
    rig.clock.advanceTo(100_000);
    expect(resetValues()).toEqual(expected);
  });

  describe('X1: counting, the underflow and the period', () => {
    it('X1: TCOR = TCNT = 3 reads 3, 2, 1, 0 and underflows on the count after 0: TCNT takes TCOR and UNF rises every 4 counts', () => {
      const rig = makeRig();
      program(rig, 0, 3);
      expect(state(rig, 0)).toEqual([3, 0, false]);
      rig.clock.advanceTo(COUNT); // the first count ends: still 3 at the edge
      expect(rig.r32(tcnt(0))).toBe(3);
      rig.clock.advanceTo(COUNT + 1);
      expect(rig.r32(tcnt(0))).toBe(2);
      rig.clock.advanceTo(3 * COUNT + 1);
      expect(state(rig, 0)).toEqual([0, 0, false]); // TCNT reads 0 for a whole count
      rig.clock.advanceTo(4 * COUNT - 1);
      expect(state(rig, 0)).toEqual([0, 0, false]);
      rig.clock.advanceTo(4 * COUNT); // G1: the reload, UNF and TUNI0 in one step
      expect(state(rig, 0)).toEqual([3, 1, true]);
      rig.w16(tcr(0), UNIE);
      const values = new Set<number>();
      for (let t = 4 * COUNT + 1; t < 8 * COUNT; t += 7) {
        rig.clock.advanceTo(t);
        values.add(rig.r32(tcnt(0)));
      }
      expect([...values].sort()).toEqual([0, 1, 2, 3]);
      expect(state(rig, 0)).toEqual([0, 0, false]);
      rig.clock.advanceTo(8 * COUNT);
      expect(state(rig, 0)).toEqual([3, 1, true]);
    });

    it('X1: the first round after a TCNT write of N is N + 1 counts, every later one TCOR + 1 (QEMU: N, then TCOR)', () => {
      const rig = makeRig();
      const seen = rises(rig, 0);
      program(rig, 0, 9, 2);
      rig.clock.advanceTo(4_000);
      expect(seen).toEqual([3, 13, 23, 33].map((k) => k * COUNT));
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(4);
    });

    it('X1: TCOR = 0 underflows at every count; TCNT reads 0 throughout', () => {
      const rig = makeRig();
      const seen = rises(rig, 1);
      program(rig, 1, 0, 0);
      for (const t of [1, 50, 100, 101, 250]) {
        rig.clock.advanceTo(t);
        expect(rig.r32(tcnt(1))).toBe(0);
      }
      rig.clock.advanceTo(5 * COUNT);
      expect(seen).toEqual([1, 2, 3, 4, 5].map((k) => k * COUNT));
    });

    it('X1: TCOR = 0xFFFFFFFF counts 2^32 per round: the clocksource set-up underflows after 2^32 counts, reading 0xFFFFFFFF again', () => {
      const rig = makeRig();
      program(rig, 1, 0xffff_ffff, 0xffff_ffff, PCLK_4);
      const due = 2 ** 32 * COUNT;
      rig.clock.advanceTo(due - 1);
      expect(state(rig, 1)).toEqual([0, 0, false]);
      rig.clock.advanceTo(due);
      expect(state(rig, 1)).toEqual([0xffff_ffff, 1, false]); // UNIE 0: UNF only
    });
  });

  describe('X2: TCOR and TCNT writes', () => {
    it('X2: a TCOR write mid-round changes nothing until the underflow, which loads it', () => {
      const rig = makeRig();
      const seen = rises(rig, 0);
      program(rig, 0, 5);
      rig.clock.advanceTo(2 * COUNT + 1);
      rig.w32(tcor(0), 1);
      expect([rig.r32(tcnt(0)), rig.r32(tcor(0))]).toEqual([3, 1]);
      rig.clock.advanceTo(6 * COUNT);
      expect(rig.r32(tcnt(0))).toBe(1);
      rig.clock.advanceTo(10 * COUNT);
      expect(seen).toEqual([6, 8, 10].map((k) => k * COUNT));
    });

    it('X2: a TCNT write loads the counter at once: counting (a full count from the write), held, and 0 (the next count underflows)', () => {
      const rig = makeRig();
      const seen = rises(rig, 0);
      program(rig, 0, 100);
      rig.clock.advanceTo(1_050);
      expect(rig.r32(tcnt(0))).toBe(90);
      rig.w32(tcnt(0), 4);
      expect(rig.r32(tcnt(0))).toBe(4);
      rig.clock.advanceTo(1_150);
      expect(rig.r32(tcnt(0))).toBe(4);
      rig.clock.advanceTo(1_151);
      expect(rig.r32(tcnt(0))).toBe(3);
      rig.clock.advanceTo(1_550);
      expect(seen).toEqual([1_550]);
      rig.w8(TSTR, 0);
      rig.w32(tcnt(0), 7); // held: loaded, not counting
      rig.clock.advanceTo(2_000);
      expect(rig.r32(tcnt(0))).toBe(7);
      rig.w8(TSTR, 1);
      rig.clock.advanceTo(2_800);
      expect(seen).toEqual([1_550, 2_800]);
      rig.w32(tcnt(0), 0);
      rig.clock.advanceTo(2_900);
      expect(seen).toEqual([1_550, 2_800, 2_900]);
      expect(rig.r32(tcnt(0))).toBe(100);
    });
  });

  describe('X3: TSTR', () => {
    it('X3: STR0 = 0 holds TCNT; 1 resumes from it with a full count', () => {
      const rig = makeRig();
      const seen = rises(rig, 0);
      program(rig, 0, 10);
      rig.clock.advanceTo(350);
      rig.w8(TSTR, 0);
      expect(rig.r32(tcnt(0))).toBe(7);
      rig.clock.advanceTo(5_000);
      expect(state(rig, 0)).toEqual([7, 0, false]);
      rig.w8(TSTR, 1);
      rig.clock.advanceTo(5_100);
      expect(rig.r32(tcnt(0))).toBe(7);
      rig.clock.advanceTo(5_101);
      expect(rig.r32(tcnt(0))).toBe(6);
      rig.clock.advanceTo(6_000);
      expect(seen).toEqual([5_800]);
    });

    it('X3: a TSTR write that keeps STR0 (starting channel 1, or the same value again) leaves channel 0 counting on its phase', () => {
      const rig = makeRig();
      const zero = rises(rig, 0);
      const one = rises(rig, 1);
      program(rig, 0, 10);
      rig.w16(tcr(1), UNIE);
      rig.w32(tcor(1), 4);
      rig.w32(tcnt(1), 4);
      rig.clock.advanceTo(250);
      rig.w8(TSTR, 0b011);
      rig.clock.advanceTo(470);
      rig.w8(TSTR, 0b011);
      rig.w8(TSTR, 0xf9 | 0b011); // reserved bits 7:3 ignored, no event
      expect(rig.r8(TSTR)).toBe(0b011);
      rig.clock.advanceTo(2_300);
      expect(zero).toEqual([1_100, 2_200]);
      expect(one).toEqual([750, 1_250, 1_750, 2_250]);
      expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
    });
  });

  describe('X4: clock selection', () => {
    it.each([
      ['Pφ/4', PCLK_4, 4],
      ['Pφ/16', PCLK_16, 16],
      ['Pφ/64', PCLK_64, 64],
      ['Pφ/256', PCLK_256, 256],
      ['Pφ/1024', PCLK_1024, 1024],
    ])('X4: TPSC %s: TCOR = TCNT = 1 underflows after 2 counts of that many 25 ns Pφ cycles', (_name, tpsc, divisor) => {
      const rig = makeRig();
      const seen = rises(rig, 2, UNIE | tpsc);
      program(rig, 2, 1, 1, UNIE | tpsc);
      const round = 2 * divisor * 25;
      rig.clock.advanceTo(round - 1);
      expect(seen).toEqual([]);
      rig.clock.advanceTo(2 * round);
      expect(seen).toEqual([round, 2 * round]);
    });

    it('X4: TPSC 6 counts the RTC output clock (here 1 MHz); a Pφ change leaves it alone', () => {
      const rig = makeRig({ rtcHz: 1_000_000 });
      const seen = rises(rig, 0, UNIE | RTC);
      program(rig, 0, 4, 4, UNIE | RTC);
      rig.clock.advanceTo(2_500);
      rig.pclk.setHz(1_000);
      rig.clock.advanceTo(10_000);
      expect(seen).toEqual([5_000, 10_000]);
    });

    it.each([
      ['rising edge (CKEG 00): once per TCLK cycle', CKEG_RISING, 1_000],
      ['falling edge (CKEG 01): once per TCLK cycle', CKEG_FALLING, 1_000],
      ['both edges (CKEG 1x): twice per TCLK cycle', CKEG_BOTH, 500],
    ])('X4: TPSC 7 counts TCLK (here 1 MHz), %s', (_name, ckeg, countNs) => {
      const rig = makeRig({ tclkHz: 1_000_000 });
      const seen = rises(rig, 1, UNIE | ckeg | TCLK);
      program(rig, 1, 4, 4, UNIE | ckeg | TCLK);
      rig.clock.advanceTo(10 * countNs);
      expect(seen).toEqual([5 * countNs, 10 * countNs]);
    });

    it('X4: TPSC 5 (reserved) is stored, reported as unimplemented, and holds the channel until a valid selection', () => {
      const rig = makeRig();
      program(rig, 0, 10);
      rig.clock.advanceTo(250);
      rig.w16(tcr(0), UNIE | TPSC_RESERVED);
      expect(rig.events).toEqual([
        { kind: 'unimplemented', time: 250, source: 'sh-tmu', offset: tcr(0), feature: 'TCR0.TPSC=5 (reserved: the counter holds)' },
      ]);
      expect(rig.r16(tcr(0))).toBe(UNIE | TPSC_RESERVED);
      rig.clock.advanceTo(10_000);
      expect(state(rig, 0)).toEqual([8, 0, false]);
      expect(rig.device.timers[0].mode).toBe('stopped');
      rig.w16(tcr(0), UNIE | PCLK_4);
      rig.clock.advanceTo(10_900);
      expect(state(rig, 0)).toEqual([10, 1, true]);
    });

    it("X4: a TCR write that keeps the selection (Linux's handler clearing UNF) never moves the phase (QEMU restarts the count: its tick drifts)", () => {
      const rig = makeRig();
      const seen: number[] = [];
      rig.device.tuni0.watch((high) => {
        if (!high) return;
        seen.push(rig.clock.now());
        rig.clock.schedule(() => rig.w16(tcr(0), UNIE | PCLK_4), 50); // the handler runs 50 ns after the interrupt
      });
      program(rig, 0, 9);
      rig.clock.advanceTo(3_500);
      rig.w16(tcr(0), PCLK_4); // UNIE off and on again: no phase change either
      rig.w16(tcr(0), UNIE | PCLK_4);
      rig.clock.advanceTo(6_000);
      expect(seen).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000]);
    });

    it('X4: a TCR write that changes the rate re-times the channel from its reading with a full count at the new rate', () => {
      const rig = makeRig();
      const seen = rises(rig, 0, UNIE | PCLK_16);
      program(rig, 0, 9);
      rig.clock.advanceTo(250);
      rig.w16(tcr(0), UNIE | PCLK_16);
      expect(rig.r32(tcnt(0))).toBe(7);
      rig.clock.advanceTo(650);
      expect(rig.r32(tcnt(0))).toBe(7);
      rig.clock.advanceTo(651);
      expect(rig.r32(tcnt(0))).toBe(6);
      rig.clock.advanceTo(3_450);
      expect(seen).toEqual([3_450]);
    });
  });

  describe('X5: UNF and TUNIn', () => {
    it('X5: UNF rises with UNIE 0 (no interrupt); UNIE then raises TUNI0; writing 1 to UNF keeps it, reading clears nothing, writing 0 clears', () => {
      const rig = makeRig();
      program(rig, 0, 1, 1, PCLK_4);
      rig.clock.advanceTo(200);
      expect(state(rig, 0)).toEqual([1, 1, false]);
      rig.w16(tcr(0), UNF | UNIE | PCLK_4);
      expect(state(rig, 0)).toEqual([1, 1, true]);
      rig.r16(tcr(0));
      expect(rig.r16(tcr(0))).toBe(UNF | UNIE);
      rig.w16(tcr(0), 0xfe00 | UNIE); // UNF 0, reserved bits 1: ignored
      expect([rig.r16(tcr(0)), rig.device.tuni0.level]).toEqual([UNIE, false]);
      expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
    });

    it('X5: an underflow while UNF is set changes nothing: TUNI0 rises once for many underflows', () => {
      const rig = makeRig();
      const edges: boolean[] = [];
      rig.device.tuni0.watch((level) => edges.push(level));
      program(rig, 0, 2);
      rig.clock.advanceTo(3_000);
      expect(edges).toEqual([true]);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(10);
      rig.w16(tcr(0), UNIE);
      expect(edges).toEqual([true, false]);
    });

    it('X5: each channel has its own line', () => {
      const rig = makeRig();
      program(rig, 0, 3);
      program(rig, 1, 1);
      program(rig, 2, 7);
      rig.clock.advanceTo(200);
      expect([rig.device.tuni0.level, rig.device.tuni1.level, rig.device.tuni2.level]).toEqual([false, true, false]);
      rig.clock.advanceTo(400);
      expect([rig.device.tuni0.level, rig.device.tuni1.level, rig.device.tuni2.level]).toEqual([true, true, false]);
      rig.w16(tcr(1), UNIE);
      rig.clock.advanceTo(800);
      expect([rig.device.tuni0.level, rig.device.tuni1.level, rig.device.tuni2.level]).toEqual([true, true, true]);
      expect(Object.keys(rig.device.lines)).toEqual(['tuni0', 'tuni1', 'tuni2']);
    });
  });

  describe('X6: clocks', () => {
    it('X6: defaults are Pφ 60 MHz, the RTC output clock 16 384 Hz and TCLK 0 Hz', () => {
      const tmu = new ShTmu(new VirtualClock());
      expect([tmu.pclk.hz, tmu.rtcclk.hz, tmu.tclk.hz]).toEqual([60_000_000, 16_384, 0]);
    });

    it('X6: Pφ at 0 Hz holds the Pφ channels; a new rate counts on from the reading with a full count; other clocks change nothing', () => {
      const rig = makeRig({ rtcHz: 1_000_000 });
      program(rig, 0, 100);
      program(rig, 2, 100, 100, UNIE | RTC);
      rig.clock.advanceTo(1_050);
      rig.pclk.setHz(0);
      expect([rig.r32(tcnt(0)), rig.r32(tcnt(2))]).toEqual([90, 99]);
      rig.clock.advanceTo(9_000);
      expect([rig.r32(tcnt(0)), rig.r32(tcnt(2))]).toEqual([90, 92]);
      rig.pclk.setHz(20_000_000); // 200 ns counts from now
      rig.clock.advanceTo(9_200);
      expect(rig.r32(tcnt(0))).toBe(90);
      rig.clock.advanceTo(9_201);
      expect(rig.r32(tcnt(0))).toBe(89);
      rig.tclk.setHz(5_000_000);
      expect(rig.device.timers[2].deadline).toBe(101_000n); // the RTC channel's underflow, unmoved
    });

    it('X6: a channel on TCLK holds while TCLK is stopped and counts once it runs', () => {
      const rig = makeRig();
      program(rig, 1, 3, 3, UNIE | CKEG_RISING | TCLK);
      rig.clock.advanceTo(10_000);
      expect([rig.r32(tcnt(1)), rig.device.timers[1].mode]).toEqual([3, 'stopped']);
      rig.tclk.setHz(10_000_000); // 100 ns counts
      rig.clock.advanceTo(10_399);
      expect(state(rig, 1)).toEqual([0, 0, false]);
      rig.clock.advanceTo(10_400);
      expect(state(rig, 1)).toEqual([3, 1, true]);
    });
  });

  describe('X11, X12: what is not modelled', () => {
    it('X11: TOCR.TCOE stores and reads back; a 1 written is reported as unimplemented', () => {
      const rig = makeRig();
      rig.w8(TOCR, 0xff);
      expect(rig.r8(TOCR)).toBe(1);
      expect(rig.events).toEqual([{ kind: 'unimplemented', time: 0, source: 'sh-tmu', offset: TOCR, feature: 'TOCR.TCOE' }]);
    });

    it('X12: TCR2.ICPE stores (reported), ICPF never sets, TCPR2 reads 0; TCR0/1 bits 7:6 are reserved', () => {
      const rig = makeRig();
      rig.w16(tcr(2), ICPE | ICPF | UNIE);
      expect(rig.r16(tcr(2))).toBe(ICPE | UNIE);
      expect(rig.events).toEqual([{ kind: 'unimplemented', time: 0, source: 'sh-tmu', offset: tcr(2), feature: 'TCR2.ICPE' }]);
      rig.w16(tcr(0), ICPE | ICPF | UNIE);
      expect(rig.r16(tcr(0))).toBe(UNIE);
      expect(rig.r32(TCPR2)).toBe(0);
      expect(rig.events).toHaveLength(1);
    });
  });

  it('refuses bad options, naming the option', () => {
    expect(() => new ShTmu(new VirtualClock(), { pclk: 60_000_000 as never })).toThrow(DeviceConfigError);
    expect(() => new ShTmu(new VirtualClock(), { pclk: 60_000_000 as never })).toThrow('ShTmu(options.pclk)');
    expect(() => new ShTmu(new VirtualClock(), { rtcclk: 1 as never })).toThrow('ShTmu(options.rtcclk)');
    expect(() => new ShTmu(new VirtualClock(), { tclk: null as never })).toThrow('ShTmu(options.tclk)');
    expect(() => new ShTmu(new VirtualClock(), { name: '' })).toThrow('ShTmu(options.name)');
    expect(() => new ShTmu(new VirtualClock(), { delivery: 'later' as never })).toThrow('ShTmu(options.delivery)');
    expect(() => new ShTmu(new VirtualClock(), { timing: 'fast' as never })).toThrow('ShTmu(options.timing)');
    expect(() => new ShTmu(new VirtualClock(), { channels: 2 } as never)).toThrow('ShTmu(options.channels)');
  });

  describe('timing', () => {
    // Pφ 60 MHz (the default): a Pφ/4 count is 66⅔ ns; 100 counts a round (TCOR = TCNT = 99) = 6666⅔ ns.
    const loaded = (timing?: 'qemu') => {
      const rig = makeRig({ clock: new VirtualClock({ start: 1_000 }), hz: 60_000_000, ...(timing === undefined ? {} : { timing }) });
      const seen = rises(rig, 0);
      program(rig, 0, 99);
      rig.clock.advanceTo(1_000 + 6_667 * 30);
      return seen.slice(0, 30);
    };

    it('exact (the default) at 60 MHz: underflow k at 1000 + ⌊k·20 000/3⌋ ns', () => {
      const seen = loaded();
      expect(seen).toEqual(seen.map((_, i) => 1_000 + Math.floor(((i + 1) * 20_000) / 3)));
      expect(seen[2]).toBe(21_000);
    });

    it("timing 'qemu' at 60 MHz: QEMU's rounds of ⌊100·(66 + 2 863 311 528·2^-32)⌋ = 6666 ns, drifting early", () => {
      const seen = loaded('qemu');
      expect(seen).toEqual(seen.map((_, i) => 1_000 + 6_666 * (i + 1)));
      expect(seen[29]).toBeLessThan(201_000);
    });
  });

  describe('snapshot and restore', () => {
    const make = (clock: VirtualClock): { device: ShTmu; irq: IrqSignal } => {
      const device = new ShTmu(clock, { pclk: new ClockInput('pclk', 40_000_000), rtcclk: new ClockInput('rtcclk', 1_000_000), tclk: new ClockInput('tclk', 0) });
      return { device, irq: device.tuni0 };
    };
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(tcr(0), UNIE, 2) },
      { at: 0, access: guestWrite(tcor(0), 6) },
      { at: 0, access: guestWrite(tcnt(0), 6) },
      { at: 0, access: guestWrite(tcr(1), UNIE | PCLK_16, 2) },
      { at: 0, access: guestWrite(tcnt(1), 3) },
      { at: 0, access: guestWrite(tcr(2), RTC, 2) },
      { at: 0, access: guestWrite(tcor(2), 1) },
      { at: 0, access: guestWrite(TSTR, 0b111, 1) },
      { at: 705, access: guestWrite(tcr(0), UNIE, 2) },
      { at: 950, access: guestRead(tcnt(1)) },
      { at: 1_300, access: guestWrite(TSTR, 0b110, 1) },
      { at: 1_800, access: guestWrite(tcor(1), 2) },
      { at: 2_100, access: guestWrite(TSTR, 0b111, 1) },
      { at: 2_500, access: guestWrite(tcr(0), UNIE | PCLK_64, 2) },
      { at: 3_000, access: guestWrite(tcr(2), 0, 2) },
      { at: 4_000, access: guestRead(tcr(1), 2) },
    ];

    it.each([0, 350, 700, 701, 1_300, 2_000, 2_600, 3_500])('continues from a snapshot at %i ns with an equal digest', (snapshotAt) => {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 12_000);
      expect(restored).toBe(original);
    });

    it('is plain versioned data with three counters and the three clock rates', () => {
      const { device } = make(new VirtualClock());
      const s = JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
      expect(s).toMatchObject({ device: 'sh-tmu', version: 1, pclkHz: 40_000_000, rtcclkHz: 1_000_000, tclkHz: 0 });
      expect((s.timers as unknown[]).length).toBe(3);
    });

    const snapshotOf = (): Record<string, unknown> => {
      const clock = new VirtualClock();
      const { device } = make(clock);
      device.write(tcor(0), 4, 50);
      device.write(tcnt(0), 4, 50);
      device.write(tcr(0), 2, UNIE);
      device.write(TSTR, 1, 1);
      clock.advanceTo(2_500);
      return JSON.parse(JSON.stringify(device.snapshot())) as Record<string, unknown>;
    };
    const regs = (s: Record<string, unknown>): Record<string, number> => (s.registers as { registers: Record<string, number> }).registers;
    it.each<[string, (s: Record<string, unknown>) => void, string]>([
      ['another version', (s) => (s.version = 2), "'version'"],
      ['two counters', (s) => (s.timers = (s.timers as unknown[]).slice(0, 2)), "'timers'"],
      ['another Pφ rate', (s) => (s.pclkHz = 60_000_000), "'pclkHz'"],
      ['another RTC clock rate', (s) => (s.rtcclkHz = 16_384), "'rtcclkHz'"],
      ['STR0 cleared while counting', (s) => (regs(s).TSTR = 0), "'timers[0].mode'"],
      ['channel 1 started with nothing running', (s) => (regs(s).TSTR = 0b011), "'timers[1].mode'"],
      ['TCOR apart from the reload value', (s) => (regs(s).TCOR0 = 49), "'timers[0].limit'"],
      ['TCR selecting another prescaler', (s) => (regs(s).TCR0 = UNIE | PCLK_16), "'timers[0].periodNum'"],
      ['a stored TCNT', (s) => (regs(s).TCNT0 = 5), 'TCNT0'],
      ['a stored TCPR2', (s) => (regs(s).TCPR2 = 5), 'TCPR2'],
      ['ICPF set', (s) => (regs(s).TCR2 = ICPF), 'TCR2'],
      ['a TCR with reserved bits', (s) => (regs(s).TCR0 = 0x8000 | UNIE), 'TCR0'],
    ])('refuses %s at the field, changing nothing', (_name, edit, field) => {
      const s = snapshotOf();
      edit(s);
      const clock = new VirtualClock({ start: 2_500 });
      const { device } = make(clock);
      device.write(tcnt(2), 4, 77);
      const before = JSON.stringify(device.snapshot());
      expect(() => device.restore(s)).toThrow(RegisterSnapshotError);
      expect(() => device.restore(s)).toThrow(field);
      expect(JSON.stringify(device.snapshot())).toBe(before);
      device.restore(snapshotOf()); // the real one restores
      expect(device.read(tcnt(0), 4)).toBe(26);
    });
  });
});
