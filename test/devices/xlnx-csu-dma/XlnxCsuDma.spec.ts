// The CSU DMA's SRC stream timeout walked through like UG1087: program CTRL/CTRL2, stall the
// stream (the data path's input), step to just before and just after a tick, read what the
// guest would (and the counter, through the probe: no register shows it). clk 400 MHz
// (2.5 ns); TIMEOUT_PRE 3 makes a tick of 4 cycles = 10 ns unless a test says otherwise.
import { describe, expect, it } from 'vitest';
import { XLNX_CSU_DMA_POLICY, XlnxCsuDma } from '../../../devices/xlnx-csu-dma';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  DONE,
  DST_CTRL,
  DST_CTRL2,
  DST_I_MASK,
  DST_I_STS,
  makeRig,
  PAUSE_STRM,
  SRC_CTRL,
  SRC_CTRL2,
  SRC_I_DIS,
  SRC_I_EN,
  SRC_I_MASK,
  SRC_I_STS,
  TIMEOUT_EN,
  TIMEOUT_MEM,
  TIMEOUT_STRM,
  timeoutPre,
  timeoutVal,
  type Rig,
} from './rig';

const TICK = 10; // TIMEOUT_PRE 3: 4 cycles of 2.5 ns

/** TIMEOUT_VAL `n`, TIMEOUT_STRM unmasked, the timeout enabled with ticks of 4 cycles; the stream stalled from the start. */
const armed = (n: number, options: Parameters<typeof makeRig>[0] = {}): Rig => {
  const rig = makeRig({ stalled: true, ...options });
  rig.w(SRC_CTRL, timeoutVal(n));
  rig.w(SRC_I_EN, TIMEOUT_STRM);
  rig.w(SRC_CTRL2, TIMEOUT_EN | timeoutPre(3));
  return rig;
};

const expiries = (rig: Rig): number[] => rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time);

describe('XlnxCsuDma', () => {
  it('policy is N+O (each flag justified in the header)', () => {
    expect([...XLNX_CSU_DMA_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('reset: the UG1087 reset values, everything masked, nothing pending, the counter cleared; the stream not stalled', () => {
    const { r, device } = makeRig();
    expect([r(SRC_CTRL), r(SRC_CTRL2), r(SRC_I_STS), r(SRC_I_MASK), r(DST_CTRL), r(DST_CTRL2), r(DST_I_STS), r(DST_I_MASK)]).toEqual([
      0x003f_fa00, 0x081b_fff8, 0, 0x7f, 0x803f_fa00, 0x081b_fff8, 0, 0xfe,
    ]);
    expect([device.irq.level, device.streamStalled, device.timer.mode, device.clk.hz]).toEqual([false, false, 'stopped', 400_000_000]);
  });

  it.each([
    [{ streamStalled: 1 }, 'XlnxCsuDma(options.streamStalled): 1 is invalid: must be a boolean'],
    [{ clk: 400e6 }, 'XlnxCsuDma(options.clk): 400000000 is invalid: must be a ClockInput'],
    [{ name: '' }, 'XlnxCsuDma(options.name): "" is invalid: must be a non-empty string'],
  ])('bad options are refused naming the option and the rule: %j', (options, message) => {
    const error = thrown(() => new XlnxCsuDma(new VirtualClock(), options as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    expect((error as Error).message).toBe(message);
  });

  describe('C1 the timeout length', () => {
    it('C1: TIMEOUT_VAL 100, ticks of 4 cycles: TIMEOUT_STRM and the line 100 × 10 ns after the enable, not before', () => {
      const rig = armed(100);
      const at = (t: number) => {
        rig.clock.advanceTo(t);
        return rig.state();
      };
      expect(at(0)).toEqual([0, 100, false]);
      expect(at(TICK)).toEqual([0, 100, false]); //            the probe shows the hardware-like ticks left
      expect(at(TICK + 1)).toEqual([0, 99, false]);
      expect(at(100 * TICK - 1)).toEqual([0, 1, false]);
      expect(at(100 * TICK)).toEqual([TIMEOUT_STRM, 100, true]); // the timeout; the counter has started over (C2)
    });

    it.each([
      ['TIMEOUT_VAL 1, one cycle a tick', 2.5, 1, 0],
      ['TIMEOUT_VAL 0 counts like 1 (QEMU: at once)', 2.5, 0, 0],
      ['TIMEOUT_PRE 0xFFF: ticks of 4096 cycles, TIMEOUT_VAL 2', 2 * 4096 * 2.5, 2, 0xfff],
      ['TIMEOUT_VAL 0xFFE, the largest', 0xffe * 2.5, 0xffe, 0],
    ])('C1: %s: the first timeout %d ns after the enable (at the ns it falls in)', (_name, ns, n, pre) => {
      const rig = makeRig({ stalled: true });
      rig.w(SRC_CTRL, timeoutVal(n));
      rig.w(SRC_CTRL2, TIMEOUT_EN | timeoutPre(pre));
      rig.clock.advanceTo(Math.floor(ns) - 1);
      expect(rig.r(SRC_I_STS)).toBe(0);
      rig.clock.advanceTo(Math.floor(ns));
      expect(rig.r(SRC_I_STS)).toBe(TIMEOUT_STRM);
      expect(expiries(rig)).toEqual([Math.floor(ns)]);
    });

    it('C1: TIMEOUT_VAL 0xFFF holds the counter cleared: nothing counts, nothing times out', () => {
      const rig = makeRig({ stalled: true });
      rig.w(SRC_CTRL, timeoutVal(0xfff));
      rig.w(SRC_CTRL2, TIMEOUT_EN);
      rig.clock.advanceTo(1_000_000);
      expect(rig.state()).toEqual([0, 0, false]);
      expect(rig.device.timer.mode).toBe('stopped');
    });
  });

  describe('C2 repeated timeouts while the stall lasts', () => {
    it('C2: acknowledged or not, TIMEOUT_STRM comes every TIMEOUT_VAL ticks (QEMU: once per stall)', () => {
      const rig = armed(5);
      const rises: number[] = [];
      rig.device.irq.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(SRC_I_STS, TIMEOUT_STRM);
      });
      rig.clock.advanceTo(5 * 5 * TICK);
      expect(rises).toEqual([1, 2, 3, 4, 5].map((k) => k * 5 * TICK));
      rig.device.irq.watch(() => undefined);
      expect(expiries(rig)).toHaveLength(5);
    });

    it('C2: left pending, the counter keeps timing out; the status just stays set', () => {
      const rig = armed(5);
      rig.clock.advanceTo(3 * 5 * TICK);
      expect(expiries(rig)).toEqual([50, 100, 150]);
      expect(rig.state()).toEqual([TIMEOUT_STRM, 5, true]);
    });
  });

  describe('C3 the stall', () => {
    it('C3: the stall ending clears the count (no timeout); a new stall counts from 0', () => {
      const rig = armed(10);
      rig.clock.advanceTo(7 * TICK + 1);
      expect(rig.state()[1]).toBe(3);
      rig.device.setStreamStalled(false);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.clock.advanceTo(50 * TICK);
      expect(expiries(rig)).toEqual([]);
      rig.device.setStreamStalled(true);
      rig.clock.advanceTo(60 * TICK - 1);
      expect(rig.r(SRC_I_STS)).toBe(0);
      rig.clock.advanceTo(60 * TICK);
      expect(rig.r(SRC_I_STS)).toBe(TIMEOUT_STRM);
    });

    it('C3: the same level again changes nothing: the count goes on', () => {
      const rig = armed(10);
      rig.clock.advanceTo(4 * TICK + 1);
      rig.device.setStreamStalled(true);
      rig.clock.advanceTo(10 * TICK);
      expect(expiries(rig)).toEqual([10 * TICK]);
    });

    it('C3: PAUSE_STRM = 1 offers no data: the counter is held cleared; cleared, it counts from 0', () => {
      const rig = armed(10);
      rig.clock.advanceTo(5 * TICK);
      rig.w(SRC_CTRL, timeoutVal(10) | PAUSE_STRM);
      rig.clock.advanceTo(40 * TICK);
      expect(rig.state()).toEqual([0, 0, false]);
      rig.w(SRC_CTRL, timeoutVal(10));
      rig.clock.advanceTo(50 * TICK);
      expect(expiries(rig)).toEqual([50 * TICK]);
    });

    it('C3: without a stall nothing counts, whatever the registers say', () => {
      const rig = armed(3, { stalled: false });
      rig.clock.advanceTo(1_000);
      expect(rig.state()).toEqual([0, 0, false]);
    });

    it('C3: setStreamStalled takes a boolean only', () => {
      const error = thrown(() => makeRig().device.setStreamStalled(1 as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toBe('XlnxCsuDma.setStreamStalled(stalled): 1 is invalid: must be a boolean');
    });
  });

  describe('C4 rewriting the setting', () => {
    it('C4: a different TIMEOUT_VAL restarts the count from 0 against it; the same value changes nothing', () => {
      const rig = armed(10);
      rig.clock.advanceTo(6 * TICK + 1);
      rig.w(SRC_CTRL, timeoutVal(10));
      expect(rig.state()[1]).toBe(4);
      rig.w(SRC_CTRL, timeoutVal(20));
      expect(rig.state()[1]).toBe(20);
      rig.clock.advanceTo(6 * TICK + 1 + 20 * TICK);
      expect(expiries(rig)).toEqual([6 * TICK + 1 + 20 * TICK]);
    });

    it('C4: a different TIMEOUT_PRE restarts the count at the new tick; TIMEOUT_EN 0 clears it', () => {
      const rig = armed(10);
      rig.clock.advanceTo(6 * TICK + 1);
      rig.w(SRC_CTRL2, TIMEOUT_EN | timeoutPre(7)); // ticks of 8 cycles: 20 ns
      expect(rig.state()[1]).toBe(10);
      rig.clock.advanceTo(6 * TICK + 1 + 10 * 20);
      expect(expiries(rig)).toEqual([6 * TICK + 1 + 200]);
      rig.w(SRC_CTRL2, timeoutPre(7));
      expect(rig.state()[1]).toBe(0);
      rig.clock.advanceTo(10_000);
      expect(expiries(rig)).toHaveLength(1);
    });
  });

  describe('C5 what is not modelled', () => {
    it('C5: the DST channel: TIMEOUT_VAL stored, TIMEOUT_EN stored and reported; nothing counts; TIMEOUT_MEM never rises', () => {
      const rig = armed(5);
      rig.w(DST_CTRL, timeoutVal(3));
      rig.w(DST_CTRL2, TIMEOUT_EN);
      expect([rig.r(DST_CTRL), rig.r(DST_CTRL2)]).toEqual([timeoutVal(3), TIMEOUT_EN]);
      expect(rig.events).toEqual([{ kind: 'unimplemented', time: 0, source: 'xlnx-csu-dma', offset: DST_CTRL2, feature: 'DST_CTRL2.TIMEOUT_EN' }]);
      rig.clock.advanceTo(100 * TICK);
      expect(rig.r(DST_I_STS)).toBe(0);
      expect(rig.r(SRC_I_STS) & TIMEOUT_MEM).toBe(0);
    });
  });

  describe('C6 the interrupt registers', () => {
    it('C6: TIMEOUT_STRM rises masked without the line; I_EN unmasks it (the line rises), I_DIS masks it; I_STS is write-1-to-clear', () => {
      const rig = makeRig({ stalled: true });
      rig.w(SRC_CTRL, timeoutVal(2));
      rig.w(SRC_CTRL2, TIMEOUT_EN | timeoutPre(3));
      rig.clock.advanceTo(2 * TICK);
      expect(rig.state()).toEqual([TIMEOUT_STRM, 2, false]);
      rig.w(SRC_I_EN, TIMEOUT_STRM | DONE);
      expect([rig.r(SRC_I_MASK), rig.device.irq.level]).toEqual([0x7f & ~(TIMEOUT_STRM | DONE), true]);
      rig.w(SRC_I_DIS, TIMEOUT_STRM);
      expect([rig.r(SRC_I_MASK), rig.device.irq.level]).toEqual([0x7f & ~DONE, false]);
      rig.w(SRC_I_EN, TIMEOUT_STRM);
      rig.w(SRC_I_STS, 0);
      expect(rig.state()[0]).toBe(TIMEOUT_STRM); // a 0 clears nothing
      rig.w(SRC_I_STS, 0xffff_ffff);
      expect(rig.state()).toEqual([0, 2, false]);
    });
  });

  describe('clock changes', () => {
    it('clk stopped (0 Hz) freezes the count; restarted, it goes on with a fresh tick', () => {
      const rig = armed(10);
      rig.clock.advanceTo(3 * TICK + 4);
      rig.clk.setHz(0);
      rig.clock.advanceTo(1_000);
      expect(rig.state()).toEqual([0, 7, false]);
      rig.clk.setHz(400_000_000);
      rig.clock.advanceTo(1_000 + 7 * TICK - 1);
      expect(rig.state()[0]).toBe(0);
      rig.clock.advanceTo(1_000 + 7 * TICK);
      expect(rig.state()[0]).toBe(TIMEOUT_STRM);
    });
  });

  describe('timing', () => {
    it("exact by default; 'qemu' floors each countdown: TIMEOUT_VAL 3 at one 30 MHz cycle a tick times out every 100 ns exactly, in QEMU timing every 99 ns", () => {
      for (const [timing, period] of [
        ['exact', 100],
        ['qemu', 99],
      ] as const) {
        const clock = new VirtualClock();
        const dma = new XlnxCsuDma(clock, { clk: new ClockInput('clk', 30_000_000), streamStalled: true, timing });
        const seen: number[] = [];
        dma.events$.subscribe((e) => {
          if (e.kind === 'expiry') seen.push(e.time);
        });
        dma.write(SRC_CTRL, 4, timeoutVal(3));
        dma.write(SRC_CTRL2, 4, TIMEOUT_EN);
        clock.advanceTo(400);
        expect(seen).toEqual([1, 2, 3, 4].map((k) => k * period));
      }
    });
  });

  it('reset() keeps the stream input (the board\'s) and clears everything else; dispose() releases the timer and the clock watch', () => {
    const rig = armed(4);
    rig.clock.advanceTo(4 * TICK);
    rig.device.reset();
    expect([rig.r(SRC_CTRL2), rig.r(SRC_I_STS), rig.r(SRC_I_MASK), rig.device.irq.level, rig.device.streamStalled]).toEqual([0x081b_fff8, 0, 0x7f, false, true]);
    expect(rig.device.timer.mode).toBe('stopped');
    rig.device.dispose();
    expect(rig.clock.pending).toBe(0);
  });
});
