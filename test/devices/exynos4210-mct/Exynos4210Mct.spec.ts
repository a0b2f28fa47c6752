// Datasheet walk-through of the Exynos4210 MCT on fin at 25 MHz (40 ns a counter cycle with
// MCT_CFG 0). The global counter counts up from 0 once per cycle; comparator n matches when the
// counter steps into G_COMPn (X1). A local timer's tick lasts TCNTB + 1 cycles and ICNT counts
// ICNTB + 1 ticks per interrupt (X5).
import { describe, expect, it } from 'vitest';
import { Exynos4210Mct, EXYNOS4210_MCT_REGISTERS } from '../../../devices/exynos4210-mct';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import {
  AUTO_INC,
  COMP_ENABLE,
  FRC,
  FRC_START,
  FRCNTB,
  FRCNTO,
  G_CNT_L,
  G_CNT_U,
  G_CNT_WSTAT,
  G_COMP_ADD_INCR,
  G_COMP_L,
  G_COMP_U,
  G_INT_CSTAT,
  G_INT_ENB,
  G_TCON,
  G_WSTAT,
  ICNT,
  ICNTB,
  ICNTO,
  INT_CSTAT,
  INT_ENB,
  INT_START,
  INTERVAL_MODE,
  L,
  makeRig,
  MANUAL_UPDATE,
  MCT_CFG,
  stored,
  TCNTB,
  TCNTO,
  TCON,
  TICK,
  TIMER_ENABLE,
  TIMER_START,
  type Rig,
} from './rig';

/** Comparator 0 at `comp` (auto-incrementing by `incr` if given), its interrupt enabled, the counter started at the clock's time. */
const comparing = (comp: number, incr?: number, rig: Rig = makeRig()): Rig => {
  if (incr !== undefined) rig.w(G_COMP_ADD_INCR(0), incr);
  rig.w(G_COMP_L(0), comp);
  rig.w(G_INT_ENB, 1);
  rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0) | (incr === undefined ? 0 : AUTO_INC(0)));
  return rig;
};

/** Local timer 0 with TCNTB `tcntb`, ICNT loaded with `icntb` (manual update), its interrupt enabled, started in `mode` (interval by default). */
const ticking = (tcntb: number, icntb: number, tcon = TIMER_START | INT_START | INTERVAL_MODE, rig: Rig = makeRig()): Rig => {
  rig.w(L(0, TCNTB), tcntb);
  rig.w(L(0, ICNTB), MANUAL_UPDATE | icntb);
  rig.w(L(0, INT_ENB), ICNT);
  rig.w(L(0, TCON), tcon);
  return rig;
};

/** [TCNTO, ICNTO] of local timer 0. */
const counters = (rig: Rig): [number, number] => [rig.r(L(0, TCNTO)), rig.r(L(0, ICNTO))];

describe('Exynos4210Mct', () => {
  it('reset values: every register 0, the counters frozen at 0, every line low, no event', () => {
    const rig = makeRig();
    rig.clock.advanceTo(10_000);
    for (const r of EXYNOS4210_MCT_REGISTERS.registers) expect([r.name, rig.r(r.offset)]).toEqual([r.name, 0]);
    expect(rig.gcnt()).toBe(0n);
    expect(rig.lines()).toEqual([false, false, false, false, false, false]);
    expect(rig.events).toEqual([]);
    expect(rig.clock.pending).toBe(0);
  });

  describe('X1: the global counter and its comparators', () => {
    it('X1 counts up from 0 once per cycle; comparator 0 matches as the counter steps into G_COMP0: the status bit, then the line with G_INT_ENB', () => {
      const rig = comparing(4);
      const at = (ns: number): [number, number, boolean] => {
        rig.clock.advanceTo(ns);
        return [rig.r(G_CNT_L), rig.r(G_INT_CSTAT), rig.device.lines.g0.level];
      };
      expect(at(0)).toEqual([0, 0, false]); // the start value throughout the first cycle
      expect(at(TICK)).toEqual([0, 0, false]); // a read at a step's instant shows the value before it
      expect(at(TICK + 1)).toEqual([1, 0, false]);
      expect(at(4 * TICK - 1)).toEqual([3, 0, false]);
      expect(at(4 * TICK)).toEqual([4, 1, true]); // the match's expiry step: the new value with its status bit
      expect(at(100 * TICK + 1)).toEqual([100, 1, true]); // no auto-increment: one match
      rig.w(G_INT_CSTAT, 1);
      expect(rig.device.lines.g0.level).toBe(false);
    });

    it('X1 a comparator below the counter matches after the counter wraps through 2^64', () => {
      const rig = makeRig();
      rig.w(G_CNT_U, 0xffff_ffff);
      rig.w(G_CNT_L, 0xffff_fffd); // 2^64 - 3
      rig.w(G_COMP_L(2), 1);
      rig.w(G_INT_ENB, 1 << 2);
      rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(2));
      rig.clock.advanceTo(3 * TICK + 1);
      expect(rig.gcnt()).toBe(0n);
      expect(rig.r(G_INT_CSTAT)).toBe(0);
      rig.clock.advanceTo(4 * TICK);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT), rig.device.lines.g2.level]).toEqual([1n, 4, true]);
    });

    it('X1 a comparator written equal to the value the counter reads does not match at the next edge (a full wrap away)', () => {
      const rig = comparing(1_000);
      rig.clock.advanceTo(10 * TICK + 5);
      rig.w(G_COMP_L(0), rig.r(G_CNT_L)); // 10
      rig.clock.advanceTo(2_000 * TICK + 6); // the write re-planned from 10 with a fresh cycle (X4)
      expect(rig.r(G_INT_CSTAT)).toBe(0);
      expect(rig.r(G_CNT_L)).toBe(2_000);
    });

    it('X1 a disabled comparator never matches, even equal to an enabled one at its match (QEMU sets both status bits)', () => {
      const rig = makeRig();
      rig.w(G_COMP_L(0), 6);
      rig.w(G_COMP_L(1), 3);
      rig.w(G_COMP_L(3), 6);
      rig.w(G_INT_ENB, 0xf);
      rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0));
      rig.clock.advanceTo(5 * TICK);
      expect(rig.r(G_INT_CSTAT)).toBe(0);
      rig.clock.advanceTo(6 * TICK);
      expect(rig.r(G_INT_CSTAT)).toBe(1);
      expect(rig.lines()).toEqual([true, false, false, false, false, false]);
    });

    it('X1 comparators equal to one another match at one edge', () => {
      const rig = makeRig();
      for (const n of [0, 1, 2, 3]) rig.w(G_COMP_L(n), 7);
      rig.w(G_INT_ENB, 0b1010);
      rig.w(G_TCON, TIMER_ENABLE | 0x55);
      rig.clock.advanceTo(7 * TICK - 1);
      expect(rig.r(G_INT_CSTAT)).toBe(0);
      rig.clock.advanceTo(7 * TICK);
      expect(rig.r(G_INT_CSTAT)).toBe(0xf);
      expect(rig.lines()).toEqual([false, true, false, true, false, false]);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    });

    it('X1 with TIMER_ENABLE 0 nothing counts and nothing matches', () => {
      const rig = makeRig();
      rig.w(G_COMP_L(0), 2);
      rig.w(G_TCON, COMP_ENABLE(0));
      rig.clock.advanceTo(100 * TICK);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT)]).toEqual([0n, 0]);
      expect(rig.clock.pending).toBe(0);
    });
  });

  describe('X2: auto-increment', () => {
    it('X2 each match adds G_COMP0_ADD_INCR to the comparator: a match every ADD_INCR cycles, the status bit staying set until cleared', () => {
      const rig = comparing(5, 5);
      const rises: number[] = [];
      rig.device.lines.g0.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(G_INT_CSTAT, 1);
      });
      rig.clock.advanceTo(5 * TICK);
      expect(rig.r(G_COMP_L(0))).toBe(10);
      rig.clock.advanceTo(20 * TICK);
      expect(rises).toEqual([5, 10, 15, 20].map((k) => k * TICK));
      expect(rig.r(G_COMP_L(0))).toBe(25);
    });

    it('X2 the increment carries into G_COMPn_U', () => {
      const rig = makeRig();
      rig.w(G_CNT_L, 0xffff_fffb);
      rig.w(G_COMP_ADD_INCR(1), 4);
      rig.w(G_COMP_L(1), 0xffff_fffe);
      rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(1) | AUTO_INC(1));
      rig.clock.advanceTo(3 * TICK);
      expect([rig.r(G_INT_CSTAT), rig.r(G_COMP_U(1)), rig.r(G_COMP_L(1))]).toEqual([2, 1, 2]);
      rig.w(G_INT_CSTAT, 2);
      rig.clock.advanceTo(7 * TICK);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT), rig.r(G_COMP_L(1))]).toEqual([0x1_0000_0002n, 2, 6]);
    });

    it('X2 ADD_INCR 0 leaves the comparator where it is: one match', () => {
      const rig = comparing(3, 0);
      rig.clock.advanceTo(3 * TICK);
      rig.w(G_INT_CSTAT, 1);
      rig.clock.advanceTo(1_000 * TICK);
      expect([rig.r(G_INT_CSTAT), rig.r(G_COMP_L(0))]).toEqual([0, 3]);
    });
  });

  describe('X3: G_CNT writes and TIMER_ENABLE', () => {
    it('X3 stopped, a G_CNT half written holds; the registers store nothing (reads are the counter)', () => {
      const rig = makeRig();
      rig.w(G_CNT_U, 0x12);
      rig.w(G_CNT_L, 0x3456_789a);
      rig.clock.advanceTo(50 * TICK);
      expect(rig.gcnt()).toBe(0x12_3456_789an);
      expect([stored(rig)['G_CNT_L'], stored(rig)['G_CNT_U']]).toEqual([0, 0]);
    });

    it('X3 counting, a G_CNT_L write replaces the low half and the count goes on from it with a fresh cycle', () => {
      const rig = makeRig();
      rig.w(G_TCON, TIMER_ENABLE);
      rig.clock.advanceTo(10 * TICK + 20); // 10, halfway through a cycle
      rig.w(G_CNT_L, 100);
      expect(rig.r(G_CNT_L)).toBe(100);
      rig.clock.advanceTo(11 * TICK + 20);
      expect(rig.r(G_CNT_L)).toBe(100); // a full cycle from the write
      rig.clock.advanceTo(11 * TICK + 21);
      expect(rig.r(G_CNT_L)).toBe(101);
    });

    it('X3 TIMER_ENABLE 0 freezes the counter; 1 resumes it with a fresh cycle', () => {
      const rig = makeRig();
      rig.w(G_TCON, TIMER_ENABLE);
      rig.clock.advanceTo(7 * TICK + 10);
      rig.w(G_TCON, 0);
      rig.clock.advanceTo(50 * TICK);
      expect(rig.gcnt()).toBe(7n);
      rig.w(G_TCON, TIMER_ENABLE);
      rig.clock.advanceTo(51 * TICK);
      expect(rig.gcnt()).toBe(7n);
      rig.clock.advanceTo(51 * TICK + 1);
      expect(rig.gcnt()).toBe(8n);
    });
  });

  describe('X4: re-timing', () => {
    it('X4 a write to an enabled comparator re-plans from the value read: the partial cycle is lost', () => {
      const rig = comparing(100);
      rig.clock.advanceTo(2 * TICK + 20); // G_CNT 2, halfway
      rig.w(G_COMP_L(0), 6);
      rig.clock.advanceTo(2 * TICK + 20 + 4 * TICK - 1);
      expect([rig.r(G_CNT_L), rig.r(G_INT_CSTAT)]).toEqual([5, 0]);
      rig.clock.advanceTo(2 * TICK + 20 + 4 * TICK); // 20 ns later than a counter that lost nothing
      expect([rig.r(G_CNT_L), rig.r(G_INT_CSTAT)]).toEqual([6, 1]);
    });

    it('X4 writes to ADD_INCR, AUTO_INC and a disabled comparator change no countdown in progress and lose nothing', () => {
      const rig = comparing(10, 10);
      const rises: number[] = [];
      rig.device.lines.g0.watch((high) => {
        if (high) rises.push(rig.clock.now());
        if (high) rig.w(G_INT_CSTAT, 1);
      });
      rig.clock.advanceTo(3 * TICK + 20);
      rig.w(G_COMP_ADD_INCR(0), 4); // the match at 10 adds 4: the next at 14
      rig.w(G_COMP_L(1), 12); // disabled
      rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0) | AUTO_INC(0) | AUTO_INC(3));
      rig.clock.advanceTo(22 * TICK);
      expect(rises).toEqual([10, 14, 18, 22].map((k) => k * TICK));
      expect(rig.gcnt()).toBe(22n);
    });
  });

  describe('X5-X8: a local timer', () => {
    it('X5 TCNT counts TCNTB … 0, ICNT one per tick ICNTB … 0; the tick leaving ICNT 0 interrupts: (TCNTB + 1)·(ICNTB + 1) cycles', () => {
      const rig = ticking(2, 3);
      const seen: [number, number][] = [];
      for (let k = 0; k < 13; k++) {
        rig.clock.advanceTo(k * TICK + 1);
        seen.push(counters(rig));
      }
      expect(seen).toEqual([
        [2, 3], [1, 3], [0, 3],
        [2, 2], [1, 2], [0, 2],
        [2, 1], [1, 1], [0, 1],
        [2, 0], [1, 0], [0, 0],
        [2, 3], // 12 cycles: the interrupt, ICNT reloaded (interval mode)
      ]);
      expect(rig.r(L(0, INT_CSTAT))).toBe(ICNT);
      expect(rig.device.lines.l0.level).toBe(true);
    });

    it("X5 Linux's TICK_BASE_CNT: TCNTB 1 and ICNTB = cycles interrupt after 2·(cycles + 1) cycles, one tick later than asked", () => {
      const rig = ticking(1, 10);
      rig.clock.advanceTo(22 * TICK - 1);
      expect(rig.r(L(0, INT_CSTAT))).toBe(0);
      rig.clock.advanceTo(22 * TICK);
      expect(rig.r(L(0, INT_CSTAT))).toBe(ICNT);
    });

    it('X6 a TCNTB write leaves the current tick and re-plans from TCNTO/ICNTO with a fresh cycle; later ticks take the new length', () => {
      const rig = ticking(3, 2);
      rig.clock.advanceTo(TICK + 20); // TCNT 2, ICNT 2, halfway through a cycle
      rig.w(L(0, TCNTB), 0);
      expect(counters(rig)).toEqual([2, 2]);
      // From the write: TCNT 2, 1, 0 (3 cycles), then ticks of 1 cycle: ICNT 1, 0, then the interrupt.
      const t0 = TICK + 20;
      rig.clock.advanceTo(t0 + 3 * TICK + 1);
      expect(counters(rig)).toEqual([0, 1]);
      rig.clock.advanceTo(t0 + 5 * TICK - 1);
      expect([rig.r(L(0, INT_CSTAT)), ...counters(rig)]).toEqual([0, 0, 0]);
      rig.clock.advanceTo(t0 + 5 * TICK);
      expect([rig.r(L(0, INT_CSTAT)), ...counters(rig)]).toEqual([ICNT, 0, 2]);
    });

    it('X7 MANUAL_UPDATE loads ICNT at once and reads 0; without it ICNTB waits for the next interval reload', () => {
      const rig = ticking(0, 4);
      rig.clock.advanceTo(2 * TICK + 1);
      expect(counters(rig)).toEqual([0, 2]);
      rig.w(L(0, ICNTB), 9);
      expect([rig.r(L(0, ICNTB)), rig.r(L(0, ICNTO))]).toEqual([9, 2]); // ICNTB stored, ICNT unchanged
      rig.clock.advanceTo(5 * TICK);
      expect([rig.r(L(0, INT_CSTAT)), rig.r(L(0, ICNTO))]).toEqual([ICNT, 9]); // reloaded at the interrupt
      rig.w(L(0, ICNTB), MANUAL_UPDATE | 3);
      expect([rig.r(L(0, ICNTB)), rig.r(L(0, ICNTO))]).toEqual([3, 3]);
      expect(stored(rig)['L0_ICNTB']).toBe(3);
    });

    it('X8 TIMER_START 1 -> 0 freezes TCNT and ICNT; 0 -> 1 reloads TCNT from TCNTB and resumes ICNT', () => {
      const rig = ticking(4, 5);
      rig.clock.advanceTo(7 * TICK + 1); // TCNT 2, ICNT 4
      rig.w(L(0, TCON), INT_START | INTERVAL_MODE);
      rig.clock.advanceTo(100 * TICK);
      expect(counters(rig)).toEqual([2, 4]);
      rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE);
      expect(counters(rig)).toEqual([4, 4]);
      rig.clock.advanceTo(100 * TICK + 25 * TICK + 1); // 5 ticks: ICNT 4 … 0, then the interrupt
      expect(rig.r(L(0, INT_CSTAT))).toBe(ICNT);
    });

    it('X8 INT_START 0: TCNT goes round, ICNT holds and nothing interrupts', () => {
      const rig = ticking(2, 1, TIMER_START | INTERVAL_MODE);
      rig.clock.advanceTo(1_001 * TICK + 1);
      expect([...counters(rig), rig.r(L(0, INT_CSTAT))]).toEqual([0, 1, 0]); // 1001 cycles: 333 ticks of 3 and 2 cycles into the next
      expect(rig.events.filter((e) => e.kind === 'expiry')).toEqual([]);
    });

    it('X8 one-shot (INTERVAL_MODE 0): one interrupt, then ICNT stops at 0 while TCNT goes on; INT_START 0 -> 1 or MANUAL_UPDATE restarts it', () => {
      const rig = ticking(1, 1, TIMER_START | INT_START);
      rig.clock.advanceTo(4 * TICK);
      expect([rig.r(L(0, INT_CSTAT)), ...counters(rig)]).toEqual([ICNT, 1, 0]);
      rig.w(L(0, INT_CSTAT), ICNT);
      rig.clock.advanceTo(101 * TICK - 1);
      expect([rig.r(L(0, INT_CSTAT)), ...counters(rig)]).toEqual([0, 1, 0]); // 96 cycles after the interrupt: TCNT 1, 0, … 1
      rig.clock.advanceTo(101 * TICK); // a read at the step's instant shows TCNT 1 still; the writes re-plan from it (X4, X6)
      rig.w(L(0, TCON), TIMER_START);
      rig.w(L(0, TCON), TIMER_START | INT_START); // ICNT 0 counts again from TCNT 1: the tick leaving 0 interrupts
      rig.clock.advanceTo(103 * TICK - 1);
      expect(rig.r(L(0, INT_CSTAT))).toBe(0);
      rig.clock.advanceTo(103 * TICK);
      expect([rig.r(L(0, INT_CSTAT)), ...counters(rig)]).toEqual([ICNT, 1, 0]);
      rig.w(L(0, INT_CSTAT), ICNT);
      rig.w(L(0, ICNTB), MANUAL_UPDATE | 2); // from TCNT 1, ICNT 2: 2 + 2·2 cycles
      rig.clock.advanceTo(109 * TICK - 1);
      expect(rig.r(L(0, INT_CSTAT))).toBe(0);
      rig.clock.advanceTo(109 * TICK);
      expect(rig.r(L(0, INT_CSTAT))).toBe(ICNT);
    });
  });

  describe('X9: the local free-running counter', () => {
    it('X9 FRC_START loads FRCNTB; FRCNTO counts down to 0, then FRC is set and FRCNTB reloaded: FRCNTB + 1 cycles a period', () => {
      const rig = makeRig();
      rig.w(L(1, FRCNTB), 4);
      rig.w(L(1, INT_ENB), FRC);
      rig.w(L(1, TCON), FRC_START);
      const seen: number[] = [];
      for (let k = 0; k <= 6; k++) {
        rig.clock.advanceTo(k * TICK + 1);
        seen.push(rig.r(L(1, FRCNTO)));
      }
      expect(seen).toEqual([4, 3, 2, 1, 0, 4, 3]);
      expect([rig.r(L(1, INT_CSTAT)), rig.device.lines.l1.level, rig.device.lines.l0.level]).toEqual([FRC, true, false]);
    });

    it('X9 an FRCNTB write applies at the next reload; FRC_START 1 -> 0 freezes FRCNTO', () => {
      const rig = makeRig();
      rig.w(L(0, FRCNTB), 9);
      rig.w(L(0, TCON), FRC_START);
      rig.clock.advanceTo(3 * TICK + 1);
      rig.w(L(0, FRCNTB), 1);
      expect(rig.r(L(0, FRCNTO))).toBe(6);
      rig.clock.advanceTo(10 * TICK + 1);
      expect(rig.r(L(0, FRCNTO))).toBe(1);
      rig.clock.advanceTo(12 * TICK + 1);
      expect(rig.r(L(0, FRCNTO))).toBe(1);
      rig.clock.advanceTo(13 * TICK + 1);
      rig.w(L(0, TCON), 0);
      rig.clock.advanceTo(50 * TICK);
      expect(rig.r(L(0, FRCNTO))).toBe(0);
    });
  });

  describe('X10: interrupts are levels', () => {
    it('X10 the status rises whatever the enable; enabling later raises the line, clearing the enable or the status lowers it', () => {
      const rig = makeRig();
      rig.w(G_COMP_L(0), 2);
      rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0));
      rig.clock.advanceTo(2 * TICK);
      expect([rig.r(G_INT_CSTAT), rig.device.lines.g0.level]).toEqual([1, false]);
      rig.w(G_INT_ENB, 1);
      expect(rig.device.lines.g0.level).toBe(true);
      rig.w(G_INT_ENB, 0);
      expect(rig.device.lines.g0.level).toBe(false);
      rig.w(G_INT_ENB, 1);
      rig.w(G_INT_CSTAT, 0xe); // other bits: no effect
      expect(rig.device.lines.g0.level).toBe(true);
      rig.w(G_INT_CSTAT, 1);
      expect([rig.r(G_INT_CSTAT), rig.device.lines.g0.level]).toEqual([0, false]);
    });

    it('X10 a local line is high while either of its sources is pending and enabled', () => {
      const rig = ticking(0, 1);
      rig.w(L(0, FRCNTB), 2);
      rig.w(L(0, INT_ENB), ICNT | FRC);
      rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE | FRC_START);
      rig.clock.advanceTo(3 * TICK);
      expect(rig.r(L(0, INT_CSTAT))).toBe(ICNT | FRC);
      rig.w(L(0, INT_CSTAT), ICNT);
      expect(rig.device.lines.l0.level).toBe(true);
      rig.w(L(0, INT_ENB), ICNT);
      expect(rig.device.lines.l0.level).toBe(false);
    });
  });

  describe('X11: write status', () => {
    it.each<[string, number, number, number]>([
      ['G_CNT_L', G_CNT_L, G_CNT_WSTAT, 1],
      ['G_CNT_U', G_CNT_U, G_CNT_WSTAT, 2],
      ['G_COMP0_L', G_COMP_L(0), G_WSTAT, 1 << 0],
      ['G_COMP0_U', G_COMP_U(0), G_WSTAT, 1 << 1],
      ['G_COMP0_ADD_INCR', G_COMP_ADD_INCR(0), G_WSTAT, 1 << 2],
      ['G_COMP3_L', G_COMP_L(3), G_WSTAT, 1 << 12],
      ['G_COMP3_U', G_COMP_U(3), G_WSTAT, 1 << 13],
      ['G_COMP3_ADD_INCR', G_COMP_ADD_INCR(3), G_WSTAT, 1 << 14],
      ['G_TCON', G_TCON, G_WSTAT, 1 << 16],
      ['L0_TCNTB', L(0, TCNTB), L(0, 0x40), 1 << 0],
      ['L0_ICNTB', L(0, ICNTB), L(0, 0x40), 1 << 1],
      ['L0_FRCNTB', L(0, FRCNTB), L(0, 0x40), 1 << 2],
      ['L1_TCON', L(1, TCON), L(1, 0x40), 1 << 3],
    ])('X11 a write to %s sets its bit within the access; writing 1 clears it', (_name, offset, wstat, bit) => {
      const rig = makeRig();
      rig.w(offset, 0);
      expect(rig.r(wstat)).toBe(bit);
      rig.w(wstat, ~bit);
      expect(rig.r(wstat)).toBe(bit);
      rig.w(wstat, bit);
      expect(rig.r(wstat)).toBe(0);
      for (const other of [G_CNT_WSTAT, G_WSTAT, L(0, 0x40), L(1, 0x40)]) if (other !== wstat) expect(rig.r(other)).toBe(0);
    });

    it('X11 writes to MCT_CFG, the status and enable registers set no write-status bit; a refused access sets none', () => {
      const rig = makeRig();
      for (const offset of [MCT_CFG, G_INT_CSTAT, G_INT_ENB, L(0, INT_CSTAT), L(0, INT_ENB)]) rig.w(offset, 0);
      rig.device.write(G_TCON, 2, 1);
      rig.w(L(0, TCNTO), 5);
      expect([rig.r(G_CNT_WSTAT), rig.r(G_WSTAT), rig.r(L(0, 0x40)), rig.r(L(1, 0x40))]).toEqual([0, 0, 0, 0]);
    });
  });

  describe('X12: the rate', () => {
    it('X12 fin / (PRESCALER + 1) / 2^DIVIDER for every counter', () => {
      const rig = makeRig();
      rig.w(MCT_CFG, (1 << 8) | 4); // ÷10: 400 ns a cycle
      rig.w(G_TCON, TIMER_ENABLE);
      ticking(0, 0, TIMER_START | INT_START | INTERVAL_MODE, rig);
      rig.clock.advanceTo(10 * TICK);
      expect([rig.gcnt(), rig.r(L(0, INT_CSTAT))]).toEqual([0n, ICNT]); // the local interrupt is an expiry step; the global step shows after the instant
      rig.clock.advanceTo(10 * TICK + 1);
      expect([rig.gcnt(), rig.r(L(0, INT_CSTAT))]).toEqual([1n, ICNT]);
    });

    it.each([
      [5, 32],
      [6, 64],
      [7, 128],
    ])('X12 DIVIDER %i divides by %i (2^n, as QEMU)', (divider, by) => {
      const rig = makeRig();
      rig.w(MCT_CFG, divider << 8);
      rig.w(G_TCON, TIMER_ENABLE);
      rig.clock.advanceTo(3 * by * TICK);
      expect(rig.gcnt()).toBe(2n);
      rig.clock.advanceTo(3 * by * TICK + 1);
      expect(rig.gcnt()).toBe(3n);
    });

    it('X12 fin at 0 Hz freezes every counter; running again, each goes on from its reading with a fresh cycle', () => {
      const rig = comparing(10);
      ticking(1, 2, TIMER_START | INT_START | INTERVAL_MODE, rig);
      rig.w(L(1, FRCNTB), 20);
      rig.w(L(1, TCON), FRC_START);
      rig.clock.advanceTo(3 * TICK + 10);
      rig.fin.setHz(0);
      const frozen = [rig.gcnt(), ...counters(rig), rig.r(L(1, FRCNTO))];
      expect(frozen).toEqual([3n, 0, 1, 17]);
      rig.clock.advanceTo(1_000 * TICK);
      expect([rig.gcnt(), ...counters(rig), rig.r(L(1, FRCNTO))]).toEqual(frozen);
      expect(rig.clock.pending).toBe(0);
      rig.fin.setHz(25_000_000);
      rig.clock.advanceTo(1_000 * TICK + 7 * TICK - 1);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT)]).toEqual([9n, 0]);
      rig.clock.advanceTo(1_000 * TICK + 7 * TICK);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT)]).toEqual([10n, 1]);
    });

    it('X12 a fin rate change re-times each running counter from its reading with a fresh cycle at the new rate', () => {
      const rig = comparing(10);
      rig.clock.advanceTo(4 * TICK + 20); // G_CNT 4
      rig.fin.setHz(50_000_000); // 20 ns a cycle from here
      rig.clock.advanceTo(4 * TICK + 20 + 6 * 20 - 1);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT)]).toEqual([9n, 0]);
      rig.clock.advanceTo(4 * TICK + 20 + 6 * 20);
      expect([rig.gcnt(), rig.r(G_INT_CSTAT)]).toEqual([10n, 1]);
    });
  });

  it('reset: registers, counters and lines back to their reset state, nothing left on the clock', () => {
    const rig = comparing(3, 3);
    ticking(0, 1, TIMER_START | INT_START | INTERVAL_MODE | FRC_START, rig);
    rig.w(MCT_CFG, 3);
    rig.clock.advanceTo(50 * TICK);
    expect(rig.lines().some((l) => l)).toBe(true);
    const fresh = makeRig({ clock: new VirtualClock({ start: rig.clock.now() }) });
    rig.device.reset();
    expect(rig.lines()).toEqual([false, false, false, false, false, false]);
    expect(rig.clock.pending).toBe(0);
    // A stopped ptimer's anchor instants say when it last ran: not state a guest can see.
    const state = (r: Rig): unknown =>
      JSON.parse(JSON.stringify(r.device.snapshot(), (key, value: unknown) => (['lastEvent', 'nextEvent', 'lastPhase', 'nextPhase'].includes(key) ? undefined : value)));
    expect(state(rig)).toEqual(state(fresh));
  });

  describe('options', () => {
    const fin = new ClockInput('fin', 24_000_000);
    it.each<[string, unknown, string]>([
      ['a fin that is not a ClockInput', { fin: 24_000_000 }, 'Exynos4210Mct(options.fin)'],
      ['no fin', {}, 'Exynos4210Mct(options.fin)'],
      ['an empty name', { fin, name: '' }, 'Exynos4210Mct(options.name)'],
      ['an unknown delivery', { fin, delivery: 'later' }, 'Exynos4210Mct(options.delivery)'],
      ['an unknown timing', { fin, timing: 'fast' }, 'Exynos4210Mct(options.timing)'],
      ['a misspelt option', { fin, delivry: 'sync' }, 'Exynos4210Mct(options.delivry)'],
    ])('%s is a DeviceConfigError naming it', (_what, options, field) => {
      const make = () => new Exynos4210Mct(new VirtualClock(), options as never);
      expect(make).toThrow(DeviceConfigError);
      expect(make).toThrow(field);
    });
  });

  describe('snapshots', () => {
    it('a snapshot of another instance, version or fin rate is refused at its field, changing nothing', () => {
      const rig = comparing(7, 7);
      rig.clock.advanceTo(20 * TICK + 3);
      const good = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      const target = makeRig({ clock: new VirtualClock({ start: rig.clock.now() }) });
      const before = JSON.stringify(target.device.snapshot());
      for (const [edit, field] of [
        [(s: Record<string, unknown>) => (s.device = 'other'), 'device'],
        [(s: Record<string, unknown>) => (s.version = 2), 'version'],
        [(s: Record<string, unknown>) => (s.finHz = 24_000_000), 'finHz'],
        [(s: Record<string, unknown>) => ((s.global as Record<string, unknown>).end = '18446744073709551616'), 'global.end'],
        [(s: Record<string, unknown>) => (s.locals = [(s.locals as unknown[])[0]]), 'locals'],
      ] as const) {
        const bad = structuredClone(good);
        edit(bad);
        let error: unknown;
        try {
          target.device.restore(bad);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RegisterSnapshotError);
        expect((error as RegisterSnapshotError).field).toBe(field);
        expect(JSON.stringify(target.device.snapshot())).toBe(before);
      }
      target.device.restore(good);
      expect(JSON.parse(JSON.stringify(target.device.snapshot()))).toEqual(good);
      target.clock.advanceTo(21 * TICK);
      expect([target.gcnt(), target.r(G_INT_CSTAT), target.r(G_COMP_L(0))]).toEqual([21n, 1, 28]);
    });
  });
});
