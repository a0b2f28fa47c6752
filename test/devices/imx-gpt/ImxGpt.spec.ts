// Datasheet walk-through of the i.MX GPT (IMX6DQRM, GPT chapter): ipg at 50 MHz, 20 ns per cycle.
// Restart mode with OCR1 = 4 counts 0, 1, 2, 3, 4 and leaves 4 for 0 at the fifth edge, setting OF1
// there (X1): a round of OCR1 + 1 cycles.
import { describe, expect, it } from 'vitest';
import { ImxGpt, IMX6DL_GPT_REGISTERS, IMX_GPT_REGISTERS, type ImxGptVariant } from '../../../devices/imx-gpt';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import {
  clksrc,
  CNT,
  CR,
  DOZEEN,
  EN,
  EN_24M,
  ENMOD,
  EXT,
  FO1,
  FRR,
  HIGHFREQ,
  ICR1,
  ICR2,
  IF1,
  IF2,
  IM1,
  IM2,
  IPG,
  IR,
  K32,
  makeRig,
  MAX,
  OCR1,
  OCR2,
  OCR3,
  OF1,
  OF2,
  OF3,
  OM1,
  PR,
  prescaler24m,
  ROV,
  SR,
  SWR,
  TICK,
  WAITEN,
  type Rig,
} from './rig';

const RESTART = IPG | ENMOD | EN;
const FREE_RUN = IPG | FRR | ENMOD | EN;
/** Where a counter started at 0 is back at 0 after 2^32 cycles of 20 ns. */
const WRAP = 2 ** 32 * TICK;

/** Restart mode, OCR1 = `ocr1`, OF1IE, enabled (ENMOD) at the clock's current time. */
const restartRig = (ocr1: number, options: Parameters<typeof makeRig>[0] = {}): Rig => {
  const rig = makeRig(options);
  rig.w(OCR1, ocr1);
  rig.w(IR, OF1);
  rig.w(CR, RESTART);
  return rig;
};

describe('ImxGpt', () => {
  describe('X1: counting and compare timing', () => {
    it('X1: restart mode counts 0 … OCR1, reads OCR1 for a cycle, then OF1 is set as it goes to 0: a round of OCR1 + 1 cycles', () => {
      const rig = restartRig(4);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(TICK); // an edge: a read at its instant shows the value before it
      expect(rig.r(CNT)).toBe(0);
      rig.clock.advanceTo(TICK + 1);
      expect(rig.r(CNT)).toBe(1);
      rig.clock.advanceTo(4 * TICK + 1);
      expect(rig.state()).toEqual([4, 0, false]);
      rig.clock.advanceTo(5 * TICK - 1);
      expect(rig.state()).toEqual([4, 0, false]); // OCR1 itself is read for a whole cycle (QEMU never shows it)
      rig.clock.advanceTo(5 * TICK); // the edge leaving OCR1: the compare and the restart, together
      expect(rig.state()).toEqual([0, OF1, true]);
      rig.w(SR, OF1); // the ISR acknowledges
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(10 * TICK - 1);
      expect(rig.state()).toEqual([4, 0, false]);
      rig.clock.advanceTo(10 * TICK); // OCR1 + 1 = 5 cycles later (QEMU: 4)
      expect(rig.state()).toEqual([0, OF1, true]);
    });

    it('X1: free-run mode counts on past OCR1 (OF1 as it leaves OCR1) to 0xFFFFFFFF and rolls over to 0 (ROV)', () => {
      const rig = makeRig();
      rig.w(OCR1, 4);
      rig.w(IR, OF1);
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([5, OF1, true]);
      rig.w(SR, OF1);
      rig.clock.advanceTo(6 * TICK + 1);
      expect(rig.r(CNT)).toBe(6);
      rig.clock.advanceTo(WRAP - 1);
      expect(rig.state()).toEqual([MAX, 0, false]);
      rig.clock.advanceTo(WRAP); // leaves 0xFFFFFFFF: ROV (ROVIE off: no line), and OF2, OF3 (their reset value is 0xFFFFFFFF)
      expect(rig.state()).toEqual([0, ROV | OF2 | OF3, false]);
      rig.clock.advanceTo(WRAP + 5 * TICK); // and OCR1 again, one wrap later
      expect(rig.state()).toEqual([5, ROV | OF2 | OF3 | OF1, true]);
    });

    it('X1: an OCR written equal to CNT fires at the next edge (Linux counts that as in time)', () => {
      const rig = makeRig();
      rig.w(IR, OF2);
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(10 * TICK + 5);
      expect(rig.r(CNT)).toBe(10);
      rig.w(OCR2, 10); // a fresh cycle starts at the write (X6)
      rig.clock.advanceTo(11 * TICK + 4);
      expect(rig.state()).toEqual([10, 0, false]);
      rig.clock.advanceTo(11 * TICK + 5);
      expect(rig.state()).toEqual([11, OF2, true]);
    });

    it('X1: OCR1 = 0 in restart mode compares at every edge; CNT stays 0', () => {
      const rig = restartRig(0);
      rig.clock.advanceTo(TICK - 1);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(TICK);
      expect(rig.state()).toEqual([0, OF1, true]);
      rig.w(SR, OF1);
      rig.clock.advanceTo(2 * TICK - 1);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(2 * TICK);
      expect(rig.state()).toEqual([0, OF1, true]);
    });
  });

  describe('X3: flags', () => {
    it('X3: OFn is set whatever IR says; the line follows IR (X8)', () => {
      const rig = makeRig();
      rig.w(OCR1, 4);
      rig.w(CR, RESTART);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([0, OF1, false]); // QEMU: not compared without OF1IE, so no flag and no restart
      rig.w(IR, OF1);
      expect(rig.device.irq.level).toBe(true);
      rig.w(IR, OF2 | ROV);
      expect(rig.device.irq.level).toBe(false);
    });

    it('X3: in restart mode OCR2 below OCR1 compares every round, OCR3 above it never; equal OCRs flag together', () => {
      const rig = makeRig();
      rig.w(OCR1, 4);
      rig.w(OCR2, 2);
      rig.w(OCR3, 7);
      rig.w(CR, RESTART);
      rig.clock.advanceTo(3 * TICK - 1);
      expect(rig.r(SR)).toBe(0);
      rig.clock.advanceTo(3 * TICK); // leaves 2
      expect(rig.state()).toEqual([3, OF2, false]);
      rig.w(SR, OF2);
      rig.clock.advanceTo(8 * TICK); // the next round's edge leaving 2
      expect(rig.state()).toEqual([3, OF1 | OF2, false]);
      rig.clock.advanceTo(1000 * TICK);
      expect(rig.r(SR) & OF3).toBe(0);
      rig.w(SR, 0x3f); // at 1000 cycles: a round's end, CNT 0
      expect(rig.r(CNT)).toBe(0);
      rig.w(OCR3, 4); // equal to OCR1: a fresh cycle from the write (X6), then OF2 at the edge leaving 2, OF1 and OF3 at the one leaving 4
      rig.clock.advanceTo(1005 * TICK);
      expect(rig.state()).toEqual([0, OF1 | OF2 | OF3, false]);
    });

    it('X3: ROV is set in restart mode too when the counter leaves 0xFFFFFFFF (OCR1 at its reset value): with OF1', () => {
      const rig = makeRig();
      rig.w(IR, ROV);
      rig.w(CR, RESTART);
      rig.clock.advanceTo(WRAP - 1);
      expect(rig.state()).toEqual([MAX, 0, false]);
      rig.clock.advanceTo(WRAP); // every OCR is at its reset value 0xFFFFFFFF: all three compare there too
      expect(rig.state()).toEqual([0, OF1 | OF2 | OF3 | ROV, true]);
    });
  });

  describe('X2: clock sources by variant', () => {
    /** CNT 1 ms + 1 ns after an enable with ENMOD at 0, under `variant`, with CR and PR as given. */
    const countAfter1ms = (variant: ImxGptVariant, cr: number, pr = 0, more: Parameters<typeof makeRig>[0] = {}): number => {
      const rig = makeRig({ variant, ...more });
      rig.w(PR, pr);
      rig.w(CR, cr | ENMOD | EN);
      rig.clock.advanceTo(1_000_001);
      return rig.r(CNT);
    };
    // ipg 50 MHz, ipgHighfreq 24 MHz, ext 1 MHz, ipg32k 32.768 kHz, osc 24 MHz.
    it.each<[ImxGptVariant, number, number]>([
      ['imx31', 0, 0],
      ['imx31', 1, 50_000],
      ['imx31', 2, 24_000],
      ['imx31', 3, 1_000],
      ['imx31', 4, 32],
      ['imx31', 5, 32], // 1xx: the 32 kHz clock (QEMU imx31.gpt: no clock)
      ['imx31', 6, 32],
      ['imx31', 7, 32],
      ['imx6', 0, 0],
      ['imx6', 1, 50_000],
      ['imx6', 2, 24_000],
      ['imx6', 3, 1_000],
      ['imx6', 4, 32],
      ['imx6', 5, 3_000], // the crystal ÷ 8
      ['imx6', 6, 0], // reserved
      ['imx6', 7, 24_000], // the crystal
      ['imx6dl', 1, 50_000],
      ['imx6dl', 2, 24_000],
      ['imx6dl', 3, 1_000],
      ['imx6dl', 4, 32],
      ['imx6dl', 5, 0], // the crystal, gated off without EN_24M
      ['imx6dl', 6, 0],
      ['imx6dl', 7, 0], // reserved on this layout
    ])('X2: %s CLKSRC %i counts %i in 1 ms', (variant, source, counts) => {
      expect(countAfter1ms(variant, clksrc(source))).toBe(counts);
    });

    it("X2: 'imx6dl' CLKSRC 101 with EN_24M is the crystal ÷ (PRESCALER24M + 1), then ÷ (PRESCALER + 1)", () => {
      expect(countAfter1ms('imx6dl', clksrc(5) | EN_24M)).toBe(24_000);
      expect(countAfter1ms('imx6dl', clksrc(5) | EN_24M, prescaler24m(7))).toBe(3_000); // Linux's 3 MHz
      expect(countAfter1ms('imx6dl', clksrc(5) | EN_24M, prescaler24m(7) | 2)).toBe(1_000);
      expect(countAfter1ms('imx6dl', IPG, prescaler24m(7) | 4)).toBe(10_000); // PRESCALER24M only divides the crystal
    });

    it('X2: an input left out has no clock (ext, osc); the crystal bits are reserved on the other layouts', () => {
      expect(countAfter1ms('imx6', EXT, 0, { noExt: true })).toBe(0);
      expect(countAfter1ms('imx6', clksrc(7), 0, { noOsc: true })).toBe(0);
      const rig = makeRig({ variant: 'imx6' });
      rig.w(CR, EN_24M | IPG);
      rig.w(PR, prescaler24m(7) | 3);
      expect([rig.r(CR), rig.r(PR)]).toEqual([IPG, 3]);
      expect(rig.events).toEqual([]); // reserved bits are ignored silently
      expect(rig.device.registers).toBe(makeRig({ variant: 'imx31' }).device.registers);
      expect(makeRig({ variant: 'imx6dl' }).device.registers.map((r) => r.name)).toEqual(IMX6DL_GPT_REGISTERS.registers.map((r) => r.name));
      expect(IMX_GPT_REGISTERS.byName.CR.fieldByName.EN_24M.mode).toBe('reserved');
      expect(IMX6DL_GPT_REGISTERS.byName.CR.fieldByName.EN_24M.mode).toBe('rw');
    });

    it('X2: a CLKSRC switch while counting re-times from the value read; a switch to an input at the same rate changes nothing', () => {
      const rig = makeRig({ variant: 'imx6' });
      rig.hf.setHz(50_000_000); // the same rate as ipg
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(10 * TICK + 7);
      rig.w(CR, HIGHFREQ | FRR | ENMOD | EN); // same rate: the phase is kept
      rig.clock.advanceTo(11 * TICK + 1);
      expect(rig.r(CNT)).toBe(11);
      rig.clock.advanceTo(11 * TICK + 7);
      rig.w(CR, K32 | FRR | ENMOD | EN); // 32.768 kHz: 30 517.578 125 ns a cycle, from the write
      const t0 = rig.clock.now();
      rig.clock.advanceTo(t0 + 30_517);
      expect(rig.r(CNT)).toBe(11);
      rig.clock.advanceTo(t0 + 30_518);
      expect(rig.r(CNT)).toBe(12);
      rig.ipg.setHz(1); // not selected: nothing happens
      rig.k32.setHz(0); // the selected input stops: CNT freezes
      rig.clock.advanceBy(10_000_000);
      expect(rig.r(CNT)).toBe(12);
      rig.k32.setHz(1_000_000); // runs again: a fresh cycle
      const t1 = rig.clock.now();
      rig.clock.advanceTo(t1 + 1000);
      expect(rig.r(CNT)).toBe(12);
      rig.clock.advanceTo(t1 + 1001);
      expect(rig.r(CNT)).toBe(13);
      rig.w(CR, FRR | ENMOD | EN); // CLKSRC 000: no clock
      rig.clock.advanceBy(10_000_000);
      expect(rig.r(CNT)).toBe(13);
    });
  });

  describe('X4, X5: enable and restart', () => {
    it('X4: EN = 0 freezes CNT (ENMOD or not); enabling with ENMOD = 1 starts from 0, with ENMOD = 0 resumes the frozen value', () => {
      const rig = makeRig();
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(10 * TICK + 5);
      rig.w(CR, IPG | FRR | ENMOD); // disabled
      expect(rig.r(CNT)).toBe(10);
      rig.clock.advanceTo(50 * TICK);
      expect(rig.r(CNT)).toBe(10); // not 0 while disabled: the manual's ENMOD text, not its value table
      rig.w(CR, FREE_RUN);
      expect(rig.r(CNT)).toBe(0);
      rig.clock.advanceTo(53 * TICK + 1);
      expect(rig.r(CNT)).toBe(3);
      rig.w(CR, IPG | FRR); // ENMOD = 0, disabled
      rig.clock.advanceTo(60 * TICK + 3);
      rig.w(CR, IPG | FRR | EN); // resumes 3 with a fresh cycle
      expect(rig.r(CNT)).toBe(3);
      rig.clock.advanceTo(61 * TICK + 2);
      expect(rig.r(CNT)).toBe(3);
      rig.clock.advanceTo(61 * TICK + 4);
      expect(rig.r(CNT)).toBe(4);
    });

    it('X4: an OCR written while disabled is planned at the enable (QEMU keeps the event planned before the disable)', () => {
      const rig = makeRig();
      rig.w(IR, OF1);
      rig.w(CR, IPG | FRR | EN);
      rig.clock.advanceTo(10 * TICK + 5);
      rig.w(CR, IPG | FRR); // frozen at 10
      rig.w(OCR1, 15);
      rig.clock.advanceTo(100 * TICK);
      rig.w(CR, IPG | FRR | EN); // ENMOD = 0: resumes 10; 15 is left 6 edges later
      rig.clock.advanceTo(106 * TICK - 1);
      expect(rig.state()).toEqual([15, 0, false]);
      rig.clock.advanceTo(106 * TICK);
      expect(rig.state()).toEqual([16, OF1, true]);
    });

    it('X5: in restart mode any OCR1 write sets CNT to 0 with a fresh cycle, also while disabled; in free-run mode it does not', () => {
      const rig = restartRig(9);
      rig.clock.advanceTo(3 * TICK + 5);
      expect(rig.r(CNT)).toBe(3);
      rig.w(OCR1, 9); // the same value: still a restart
      expect(rig.r(CNT)).toBe(0);
      rig.clock.advanceTo(3 * TICK + 5 + 10 * TICK - 1);
      expect(rig.state()).toEqual([9, 0, false]);
      rig.clock.advanceTo(3 * TICK + 5 + 10 * TICK);
      expect(rig.state()).toEqual([0, OF1, true]);
      rig.clock.advanceTo(20 * TICK);
      rig.w(CR, IPG); // disabled, restart mode
      expect(rig.r(CNT)).not.toBe(0);
      rig.w(OCR1, 9);
      expect(rig.r(CNT)).toBe(0);
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(25 * TICK);
      const cnt = rig.r(CNT);
      rig.w(OCR1, 100);
      expect(rig.r(CNT)).toBe(cnt);
    });
  });

  describe('X6: what re-times the counter', () => {
    it('X6: an OCR write while counting starts a fresh cycle at the write (at most one cycle lost); IR, SR and same-rate CR writes keep the phase', () => {
      const rig = makeRig();
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(10 * TICK + 7);
      rig.w(CR, FREE_RUN | WAITEN | DOZEEN | IM1(1)); // no rate change
      rig.w(IR, 0x3f);
      rig.w(SR, 0x3f);
      rig.clock.advanceTo(11 * TICK + 1);
      expect(rig.r(CNT)).toBe(11); // the phase is kept
      rig.clock.advanceTo(11 * TICK + 7);
      rig.w(OCR3, 1000); // re-times: the next edge is a whole cycle after the write
      rig.clock.advanceTo(12 * TICK + 1);
      expect(rig.r(CNT)).toBe(11); // the manual's counter would read 12 here
      rig.clock.advanceTo(12 * TICK + 8);
      expect(rig.r(CNT)).toBe(12);
    });

    it('X6: an FRR change keeps the phase and decides where the counter goes at the next OCR1 edge', () => {
      const rig = restartRig(4);
      rig.clock.advanceTo(2 * TICK + 7);
      rig.w(CR, FREE_RUN); // to free-run, mid-round
      rig.clock.advanceTo(3 * TICK + 1);
      expect(rig.r(CNT)).toBe(3);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([5, OF1, true]); // counts on past OCR1
      rig.w(SR, OF1);
      rig.w(CR, RESTART); // back to restart mode above OCR1: on to 0xFFFFFFFF, then the restarts at OCR1
      rig.clock.advanceTo(WRAP); // OCR2 and OCR3 (0xFFFFFFFF) compare with the rollover
      expect(rig.state()).toEqual([0, ROV | OF2 | OF3, false]);
      rig.clock.advanceTo(WRAP + 5 * TICK);
      expect(rig.state()).toEqual([0, ROV | OF2 | OF3 | OF1, true]);
    });

    it('X6: a PRESCALER change re-times from the value read (the manual: a new count period starts immediately); the same value again does not', () => {
      const rig = makeRig();
      rig.w(CR, FREE_RUN);
      rig.clock.advanceTo(10 * TICK + 1);
      rig.w(PR, 1); // ÷2: 40 ns a cycle, from the write
      expect(rig.r(CNT)).toBe(10);
      rig.clock.advanceTo(10 * TICK + 1 + 40 * 5);
      expect(rig.r(CNT)).toBe(14);
      rig.clock.advanceTo(10 * TICK + 1 + 40 * 5 + 1);
      expect(rig.r(CNT)).toBe(15);
      rig.clock.advanceTo(10 * TICK + 1 + 40 * 5 + 20);
      rig.w(PR, 1); // unchanged: the phase is kept
      rig.clock.advanceTo(10 * TICK + 1 + 40 * 6 + 1);
      expect(rig.r(CNT)).toBe(16);
    });
  });

  describe('X7: software reset', () => {
    it('X7: SWR resets everything but EN, ENMOD, DBGEN, WAITEN, DOZEEN, STOPEN and CLKSRC; CNT 0 and, EN kept, counting on', () => {
      const rig = restartRig(4);
      rig.w(PR, 1);
      rig.w(CR, RESTART | WAITEN | DOZEEN | OM1(1) | IM1(1));
      rig.clock.advanceTo(5 * 40 + 10);
      expect(rig.state()).toEqual([0, OF1, true]);
      expect(() => rig.w(CR, RESTART | WAITEN | DOZEEN | SWR | FRR | IM2(2))).not.toThrow();
      expect(rig.r(CR)).toBe(RESTART | WAITEN | DOZEEN);
      expect([rig.r(PR), rig.r(SR), rig.r(IR), rig.r(OCR1), rig.r(OCR2), rig.r(OCR3), rig.r(ICR1), rig.r(CNT), rig.device.irq.level]).toEqual([
        0,
        0,
        0,
        MAX,
        MAX,
        MAX,
        0,
        0,
        false,
      ]);
      rig.clock.advanceTo(5 * 40 + 10 + TICK + 1); // PR = 0: 20 ns a cycle again
      expect(rig.r(CNT)).toBe(1);
      expect(rig.device.timer.inTransaction).toBe(false);
    });

    it('X7: SWR written by an interrupt subscriber inside the compare step; without EN the counter stays at 0', () => {
      const rig = restartRig(4);
      rig.device.irq.level$.subscribe((high) => {
        if (high) rig.w(CR, IPG | SWR);
      });
      expect(() => rig.clock.advanceTo(10 * TICK)).not.toThrow();
      expect([rig.r(CR), rig.r(CNT), rig.r(SR), rig.r(OCR1)]).toEqual([IPG, 0, 0, MAX]);
      rig.clock.advanceBy(100 * TICK);
      expect(rig.r(CNT)).toBe(0);
    });
  });

  it('X8: the line is (SR & IR) != 0, not gated by EN: a pending flag survives a disable until it is cleared', () => {
    const rig = restartRig(4);
    rig.clock.advanceTo(5 * TICK);
    rig.w(CR, IPG); // QEMU lowers the line here
    expect(rig.device.irq.level).toBe(true);
    rig.w(SR, OF1);
    expect(rig.device.irq.level).toBe(false);
  });

  describe('X9: input capture', () => {
    it('X9: an edge IMn selects copies CNT to ICRn and sets IFn; other edges, IMn = 00 and a disabled GPT capture nothing', () => {
      const rig = makeRig();
      rig.w(IR, IF1);
      rig.w(CR, FREE_RUN | IM1(1) | IM2(3));
      rig.clock.advanceTo(10 * TICK + 5);
      expect(rig.device.capture(1, 'rising')).toBe(true);
      expect([rig.r(ICR1), rig.r(SR), rig.device.irq.level]).toEqual([10, IF1, true]);
      rig.clock.advanceTo(12 * TICK + 5);
      expect(rig.device.capture(1, 'falling')).toBe(false); // IM1 = 01: rising edges only
      expect(rig.r(ICR1)).toBe(10);
      rig.device.capture(2, 'falling'); // IM2 = 11: both
      rig.clock.advanceTo(13 * TICK + 5);
      rig.device.capture(2, 'rising');
      expect([rig.r(ICR1), rig.r(ICR2), rig.r(SR), rig.device.irq.level]).toEqual([10, 13, IF1 | IF2, true]);
      rig.w(SR, IF1);
      expect(rig.device.irq.level).toBe(false); // IF2IE is off
      rig.w(CR, IPG | FRR | IM1(2)); // disabled, IM1 = falling
      rig.device.capture(1, 'falling');
      rig.w(CR, FREE_RUN | IM1(2) | IM2(0));
      rig.device.capture(2, 'rising');
      expect([rig.r(ICR1), rig.r(ICR2), rig.r(SR)]).toEqual([10, 13, IF2]);
      rig.clock.advanceTo(20 * TICK + 6); // 7 edges after the enable at 13 TICK + 5
      rig.device.capture(1, 'falling');
      expect([rig.r(ICR1), rig.r(SR)]).toEqual([7, IF1 | IF2]);
      const marks = rig.events.filter((e) => e.kind === 'mark');
      expect(marks.map((e) => (e.kind === 'mark' ? e.data : undefined))).toEqual([
        { channel: 1, edge: 'rising', captured: 10 },
        { channel: 1, edge: 'falling', captured: null },
        { channel: 2, edge: 'falling', captured: 12 },
        { channel: 2, edge: 'rising', captured: 13 },
        { channel: 1, edge: 'falling', captured: null },
        { channel: 2, edge: 'rising', captured: null },
        { channel: 1, edge: 'falling', captured: 7 },
      ]);
      expect(marks.every((e) => e.kind === 'mark' && e.label === 'capture' && e.source === 'imx-gpt')).toBe(true);
    });

    it('X9: ICR1 and ICR2 are read-only to the guest; a capture takes the value a read at its instant shows, after the compare step', () => {
      const rig = restartRig(4);
      rig.w(CR, RESTART | IM1(1));
      rig.w(ICR1, 99);
      expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', offset: ICR1, reason: 'read-only' })]);
      rig.clock.advanceTo(5 * TICK); // after the compare step: CNT 0
      rig.device.capture(1, 'rising');
      expect(rig.r(ICR1)).toBe(0);
      rig.clock.advanceTo(10 * TICK - 1);
      rig.device.capture(1, 'rising');
      expect(rig.r(ICR1)).toBe(4);
      rig.clock.advanceTo(10 * TICK); // after the next compare step
      rig.device.capture(1, 'rising');
      expect(rig.r(ICR1)).toBe(0);
    });

    it('X9: a channel other than 1 or 2, or an unknown edge, is a DeviceConfigError', () => {
      const rig = makeRig();
      expect(() => rig.device.capture(3 as 1, 'rising')).toThrow(DeviceConfigError);
      expect(() => rig.device.capture(1, 'up' as 'rising')).toThrow('ImxGpt.capture(edge)');
      expect(rig.events).toEqual([]);
    });
  });

  it('OM and FO writes are reported as unimplemented; FO reads 0 and sets no flag', () => {
    const rig = restartRig(4);
    rig.events.length = 0;
    rig.w(CR, RESTART | OM1(1) | FO1);
    expect(rig.r(CR)).toBe(RESTART | OM1(1));
    expect(rig.r(SR)).toBe(0);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['CR.OM1', 'CR.FO1']);
  });

  it('reset(): registers to their reset values, the counter stopped at 0, the line low', () => {
    const rig = restartRig(4);
    rig.w(PR, 3);
    rig.clock.advanceTo(20 * 4 * TICK);
    expect(rig.device.irq.level).toBe(true);
    rig.device.reset();
    expect([rig.r(CR), rig.r(PR), rig.r(SR), rig.r(IR), rig.r(OCR1), rig.r(CNT), rig.device.irq.level]).toEqual([0, 0, 0, 0, MAX, 0, false]);
    rig.clock.advanceBy(100 * TICK);
    expect(rig.r(CNT)).toBe(0);
    expect(rig.device.snapshot()).toMatchObject({ appliedHz: 0, appliedDiv: 1, end: 0 });
    rig.w(CR, RESTART); // runs again at the same input's rate
    rig.clock.advanceBy(TICK + 1);
    expect(rig.r(CNT)).toBe(1);
  });

  describe('Timing', () => {
    /** Compare instants of restart rounds of 1000 cycles on the 24 MHz crystal (CLKSRC 111, 'imx6'). */
    const rounds = (timing: 'exact' | 'qemu', n: number): number[] => {
      const rig = makeRig({ timing });
      const seen: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        seen.push(rig.clock.now());
        rig.w(SR, OF1);
      });
      rig.w(OCR1, 999);
      rig.w(IR, OF1);
      rig.w(CR, clksrc(7) | ENMOD | EN);
      rig.clock.advanceTo(n * 41_667 + 1);
      return seen;
    };

    it('exact timing (the default): round k ends at ⌊k·125 000/3⌋ ns, however many rounds run', () => {
      expect(rounds('exact', 300)).toEqual(Array.from({ length: 300 }, (_, i) => Math.floor(((i + 1) * 125_000) / 3)));
    });

    it("timing 'qemu': each round is QEMU's floored countdown, 41 666 ns", () => {
      expect(rounds('qemu', 300)).toEqual(Array.from({ length: 300 }, (_, i) => 41_666 * (i + 1)));
    });
  });

  describe('options, snapshot checks and dispose', () => {
    const inputs = () => ({ ipg: new ClockInput('ipg', 50_000_000), ipgHighfreq: new ClockInput('hf', 24_000_000), ipg32k: new ClockInput('32k', 32_768) });
    const make = (options: unknown) => () => new ImxGpt(new VirtualClock(), options as ConstructorParameters<typeof ImxGpt>[1]);

    it.each([
      ['an unknown option', { ...inputs(), prescaler: 2 }, 'ImxGpt(options.prescaler)'],
      ['an ipg that is not a ClockInput', { ...inputs(), ipg: 50_000_000 }, 'ImxGpt(options.ipg)'],
      ['a missing ipg32k', { ...inputs(), ipg32k: undefined }, 'ImxGpt(options.ipg32k)'],
      ['an ext that is not a ClockInput', { ...inputs(), ext: { hz: 1 } }, 'ImxGpt(options.ext)'],
      ['an unknown variant', { ...inputs(), variant: 'imx7' }, 'ImxGpt(options.variant)'],
      ["an osc on the 'imx31' variant", { ...inputs(), variant: 'imx31', osc: new ClockInput('osc', 24_000_000) }, 'ImxGpt(options.osc)'],
      ['a bad delivery', { ...inputs(), delivery: 'later' }, 'ImxGpt(options.delivery)'],
      ['a bad timing', { ...inputs(), timing: 'fast' }, 'ImxGpt(options.timing)'],
      ['an empty name', { ...inputs(), name: '' }, 'ImxGpt(options.name)'],
    ])('%s is a DeviceConfigError naming it', (_what, options, field) => {
      expect(make(options)).toThrow(DeviceConfigError);
      expect(make(options)).toThrow(field);
    });

    /** The field a restore refuses, or '(restored)' after checking the copy reads back as given. */
    const restoreInto = (rig: Rig, snapshot: unknown): string => {
      try {
        rig.device.restore(snapshot);
      } catch (error) {
        expect(error).toBeInstanceOf(RegisterSnapshotError);
        return (error as RegisterSnapshotError).field;
      }
      expect(JSON.parse(JSON.stringify(rig.device.snapshot()))).toEqual(snapshot);
      return '(restored)';
    };

    it('restore names the field that disagrees: variant (checked first), appliedHz, appliedDiv; nothing changes', () => {
      const rig = makeRig();
      rig.w(PR, 3);
      rig.w(CR, clksrc(5) | ENMOD | EN); // the crystal ÷ 8 ÷ 4
      rig.clock.advanceTo(10_000);
      const good = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      expect(good).toMatchObject({ variant: 'imx6', appliedHz: 24_000_000, appliedDiv: 32 });
      const before = JSON.stringify(rig.device.snapshot());
      expect(restoreInto(rig, { ...good, appliedDiv: 4 })).toBe('appliedDiv');
      expect(restoreInto(rig, { ...good, appliedHz: 50_000_000 })).toBe('appliedHz');
      expect(restoreInto(rig, { ...good, variant: 'imx31' })).toBe('variant');
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      rig.osc.setHz(19_200_000); // the input no longer runs at the snapshot's rate
      expect(restoreInto(rig, good)).toBe('appliedHz');
      rig.osc.setHz(24_000_000);
      const copy = makeRig({ clock: new VirtualClock({ start: 10_000 }) });
      expect(restoreInto(copy, good)).toBe('(restored)');
    });

    it("a snapshot of one variant is refused by the others at 'variant', though 'imx31' and 'imx6' share a layout", () => {
      const snapshotOf = (variant: ImxGptVariant) => {
        const rig = restartRig(4, { variant });
        rig.clock.advanceTo(2 * TICK + 3);
        return JSON.parse(JSON.stringify(rig.device.snapshot())) as unknown;
      };
      const at = (variant: ImxGptVariant) => makeRig({ variant, clock: new VirtualClock({ start: 2 * TICK + 3 }) });
      for (const from of ['imx31', 'imx6', 'imx6dl'] as const) {
        for (const into of ['imx31', 'imx6', 'imx6dl'] as const) {
          expect(restoreInto(at(into), snapshotOf(from)), `${from} into ${into}`).toBe(from === into ? '(restored)' : 'variant');
        }
      }
    });

    it('Structure: under sync the timer runs periodic with the next countdown as its reload value, under bottom-half one-shot; each restores only into its own delivery', () => {
      const at = 2 * TICK + 7;
      const run = (delivery: 'sync' | 'bottom-half') => {
        const rig = makeRig({ delivery });
        rig.w(OCR1, 4);
        rig.w(OCR2, 1);
        rig.w(CR, RESTART); // 0 … 1 (OF2), then 2 … 4 (OF1, restart)
        rig.clock.advanceTo(at);
        return JSON.parse(JSON.stringify(rig.device.snapshot())) as { timer: Record<string, unknown>; end: number };
      };
      const sync = run('sync');
      const bottomHalf = run('bottom-half');
      expect(sync.end).toBe(4);
      expect(sync.timer).toMatchObject({ mode: 'periodic', delta: '3', limit: '2' }); // next: 0 … 1
      expect(bottomHalf.end).toBe(4);
      expect(bottomHalf.timer).toMatchObject({ mode: 'oneshot', delta: '3', limit: '0' });
      const into = (delivery: 'sync' | 'bottom-half', snapshot: unknown) => restoreInto(makeRig({ delivery, clock: new VirtualClock({ start: at }) }), snapshot);
      expect(into('sync', sync)).toBe('(restored)');
      expect(into('bottom-half', bottomHalf)).toBe('(restored)');
      expect(into('bottom-half', sync)).toBe('timer.mode');
      expect(into('sync', bottomHalf)).toBe('timer.mode');
      expect(into('sync', { ...sync, end: 3 })).toBe('end');
    });

    it('legacy bottom half: a write that re-times the counter between an edge and its bottom half takes the edge\'s place (its flag is lost)', () => {
      const rig = restartRig(4, { delivery: 'bottom-half' });
      rig.clock.schedule(() => rig.w(OCR2, 50), 5 * TICK); // after the edge's expiry step, before its bottom half
      rig.clock.advanceTo(5 * TICK);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(10 * TICK); // the next round's edge is delivered
      expect(rig.state()).toEqual([0, OF1, true]);
    });

    it('dispose() releases every clock input and the counter; the line keeps its last level', () => {
      const rig = restartRig(4);
      rig.clock.advanceTo(5 * TICK);
      expect(rig.device.irq.level).toBe(true);
      const seen = rig.events.length;
      rig.device.dispose();
      for (const input of [rig.ipg, rig.hf, rig.ext, rig.k32, rig.osc]) input.setHz(1_000_000);
      expect(rig.clock.pending).toBe(0);
      rig.clock.advanceBy(100 * TICK);
      expect(rig.events.length).toBe(seen);
      expect(rig.device.irq.level).toBe(true);
    });
  });
});
