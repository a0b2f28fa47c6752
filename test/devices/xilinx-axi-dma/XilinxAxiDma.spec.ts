// The AXI DMA's interrupt coalescing walked through like PG021: program DMACR, end packets
// (the data path's input), step to just before and just after a delay unit, read what the
// guest would. SG clock 100 MHz (10 ns); C_DLYTMR_RESOLUTION 125 (a unit of 1250 ns) unless a
// test says otherwise.
import { describe, expect, it } from 'vitest';
import { XILINX_AXI_DMA_POLICY, XilinxAxiDma } from '../../../devices/xilinx-axi-dma';
import { ClockInput, DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import {
  ALL_IRQ,
  CYCLE,
  DLY_IRQ,
  DLY_IRQEN,
  dmacr,
  ERR_IRQEN,
  HALTED,
  IDLE,
  IOC_IRQ,
  IOC_IRQEN,
  makeRig,
  MM2S_DMACR,
  MM2S_DMASR,
  MM2S_TAILDESC,
  RESET,
  RS,
  S2MM_DMACR,
  S2MM_DMASR,
  S2MM_TAILDESC,
  SGINCLD,
  TAILPEN,
  type Rig,
} from './rig';

const UNIT = 125 * CYCLE; // one delay unit at the default resolution: 1250 ns

/** S2MM running with IRQDelay `delay`, IRQThreshold `threshold`, Dly_IrqEn (and `bits`). */
const running = (delay: number, threshold = 1, bits = 0, options: Parameters<typeof makeRig>[0] = {}): Rig => {
  const rig = makeRig(options);
  rig.w(S2MM_DMACR, dmacr(delay, threshold, DLY_IRQEN | RS | bits));
  return rig;
};

describe('XilinxAxiDma', () => {
  it('policy is N+O (each flag justified in the header)', () => {
    expect([...XILINX_AXI_DMA_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('reset: DMACR 0x00010002 (threshold 1, bit 1 fixed), DMASR 0x00010009 (Halted, SGIncld, count 1), lines low, timers stopped', () => {
    const { r, device } = makeRig();
    expect([r(MM2S_DMACR), r(MM2S_DMASR), r(MM2S_TAILDESC), r(S2MM_DMACR), r(S2MM_DMASR), r(S2MM_TAILDESC)]).toEqual([
      0x0001_0002, 0x0001_0009, 0, 0x0001_0002, 0x0001_0009, 0,
    ]);
    expect([device.lines.mm2s_introut.level, device.lines.s2mm_introut.level]).toEqual([false, false]);
    expect(device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped']);
    expect([device.resolution, device.dataPath, device.sgclk.hz]).toEqual([125, 'none', 100_000_000]);
  });

  it.each([
    [{ delayTimerResolution: 0 }, 'XilinxAxiDma(options.delayTimerResolution): 0 is invalid: must be an integer in [1, 100000]'],
    [{ delayTimerResolution: 100_001 }, 'XilinxAxiDma(options.delayTimerResolution): 100001 is invalid: must be an integer in [1, 100000]'],
    [{ dataPath: 'dma' }, `XilinxAxiDma(options.dataPath): "dma" is invalid: must be one of 'none', 'instant'`],
    [{ sgclk: 100_000_000 }, 'XilinxAxiDma(options.sgclk): 100000000 is invalid: must be a ClockInput'],
    [{ irqDelay: 3 }, /XilinxAxiDma\(options\.irqDelay\): 3 is invalid: is not an option of XilinxAxiDma/],
  ])('bad options are refused naming the option and the rule: %j', (options, message) => {
    const error = thrown(() => new XilinxAxiDma(new VirtualClock(), options as never));
    expect(error).toBeInstanceOf(DeviceConfigError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  describe('A1 the delay unit: IRQDelay × C_DLYTMR_RESOLUTION SG clocks after the packet', () => {
    it('A1: IRQDelay 8 at the default resolution: Dly_Irq and the line 8 × 125 clocks = 10 µs after the packet, not before', () => {
      const rig = running(8);
      rig.clock.advanceTo(1_000);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(1_000 + 8 * UNIT - 1);
      expect(rig.s2mm()).toEqual([7, 1, IOC_IRQ | SGINCLD, false]); //    the last unit; the packet was also an IOC event
      rig.clock.advanceTo(1_000 + 8 * UNIT);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | DLY_IRQ | SGINCLD, true]); // the timeout: the count clears
      expect(rig.device.timers[1].mode).toBe('stopped');
    });

    it('A1: IRQDelaySts counts the units up from 0: 0 through the first unit, 1 from just after it', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      const at = (t: number) => {
        rig.clock.advanceTo(t);
        return rig.s2mm()[0];
      };
      expect([at(0), at(UNIT), at(UNIT + 1), at(2 * UNIT + 1), at(3 * UNIT + 1), at(4 * UNIT - 1), at(4 * UNIT)]).toEqual([0, 0, 1, 2, 3, 3, 0]);
    });

    it.each([
      [1, 5, 5 * CYCLE],
      [125, 5, 5 * UNIT],
      [1250, 2, 2 * 1250 * CYCLE],
    ])('A1: resolution %i, IRQDelay %i: the timeout after %i ns (QEMU: IRQDelay clocks whatever the resolution)', (resolution, delay, ns) => {
      const rig = running(delay, 1, 0, { resolution });
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(ns - 1);
      expect(rig.device.lines.s2mm_introut.level).toBe(false);
      rig.clock.advanceTo(ns);
      expect(rig.device.lines.s2mm_introut.level).toBe(true);
    });
  });

  describe('A2 one-shot per packet', () => {
    it('A2: a later packet restarts the count from 0; the timeout is IRQDelay units after the last packet', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(3 * UNIT + 7);
      expect(rig.s2mm()[0]).toBe(3);
      rig.device.completePacket('s2mm');
      expect(rig.s2mm()[0]).toBe(0);
      rig.clock.advanceTo(3 * UNIT + 7 + 4 * UNIT - 1);
      expect(rig.s2mm()[3]).toBe(false);
      rig.clock.advanceTo(3 * UNIT + 7 + 4 * UNIT);
      expect(rig.s2mm()[3]).toBe(true);
    });

    it('A2: after the timeout the timer stays stopped: no second Dly_Irq without a packet', () => {
      const rig = running(2);
      const rises: number[] = [];
      rig.device.lines.s2mm_introut.watch((high) => {
        if (!high) return;
        rises.push(rig.clock.now());
        rig.w(S2MM_DMASR, DLY_IRQ);
      });
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(100 * UNIT);
      expect(rises).toEqual([2 * UNIT]);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | SGINCLD, false]);
    });

    it('A2: RS cleared while counting: halted, the count stops and clears; no timeout', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(2 * UNIT + 1);
      expect(rig.s2mm()[0]).toBe(2);
      rig.w(S2MM_DMACR, dmacr(4, 1, DLY_IRQEN));
      expect(rig.s2mm()).toEqual([0, 1, HALTED | IOC_IRQ | SGINCLD, false]);
      rig.clock.advanceTo(100 * UNIT);
      expect(rig.s2mm()[3]).toBe(false);
    });

    it('A2: IRQDelay written 0 while counting disables the timer; 0 from the start never starts it', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(UNIT + 1);
      rig.w(S2MM_DMACR, dmacr(0, 1, DLY_IRQEN | RS));
      expect(rig.device.timers[1].mode).toBe('stopped');
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(100 * UNIT);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | SGINCLD, false]);
    });

    it('A2: the timer counts whatever Dly_IrqEn says: the status rises without the line', () => {
      const rig = makeRig();
      rig.w(S2MM_DMACR, dmacr(3, 1, RS));
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(3 * UNIT);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | DLY_IRQ | SGINCLD, false]);
      rig.w(S2MM_DMACR, dmacr(3, 1, RS | DLY_IRQEN));
      expect(rig.s2mm()[3]).toBe(true);
    });
  });

  describe('A3 a pending Dly_Irq holds the delay timer off', () => {
    it('A3: a packet while Dly_Irq is pending does not start it; clearing Dly_Irq does not either; the next packet does (QEMU restarts it at once)', () => {
      const rig = running(2);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(2 * UNIT); // Dly_Irq
      rig.device.completePacket('s2mm'); // held off
      expect(rig.device.timers[1].mode).toBe('stopped');
      rig.clock.advanceTo(10 * UNIT);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
      rig.w(S2MM_DMASR, DLY_IRQ); // cleared: still nothing counts
      expect(rig.device.timers[1].mode).toBe('stopped');
      rig.clock.advanceTo(20 * UNIT);
      expect(rig.s2mm()[3]).toBe(false);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(22 * UNIT);
      expect(rig.s2mm()[3]).toBe(true);
      expect(rig.events.filter((e) => e.kind === 'expiry').map((e) => e.time)).toEqual([2 * UNIT, 22 * UNIT]);
    });
  });

  describe('A4 the coalescing count', () => {
    it('A4: IRQThreshold 3: DMASR[23:16] counts 3, 2, 1 over the packets; the third sets IOC_Irq and reloads 3', () => {
      const rig = running(0, 3, IOC_IRQEN);
      expect(rig.s2mm()[1]).toBe(3); // the write changed IRQThreshold: reloaded
      rig.device.completePacket('s2mm');
      rig.device.completePacket('s2mm');
      expect(rig.s2mm()).toEqual([0, 1, SGINCLD, false]);
      rig.device.completePacket('s2mm');
      expect(rig.s2mm()).toEqual([0, 3, IOC_IRQ | SGINCLD, true]);
    });

    it('A4: a delay timeout reloads the count (the coalescing restarts after a quiet spell)', () => {
      const rig = running(2, 4, IOC_IRQEN);
      rig.device.completePacket('s2mm');
      rig.device.completePacket('s2mm');
      expect(rig.s2mm()[1]).toBe(2);
      rig.clock.advanceTo(2 * UNIT);
      expect(rig.s2mm()).toEqual([0, 4, DLY_IRQ | SGINCLD, true]);
    });

    it('A4: a DMACR write with the same IRQThreshold keeps the count; a different one reloads it (QEMU reloads at every write)', () => {
      const rig = running(0, 5);
      rig.device.completePacket('s2mm');
      rig.device.completePacket('s2mm');
      rig.w(S2MM_DMACR, dmacr(0, 5, RS | IOC_IRQEN));
      expect(rig.s2mm()[1]).toBe(3);
      rig.w(S2MM_DMACR, dmacr(0, 6, RS | IOC_IRQEN));
      expect(rig.s2mm()[1]).toBe(6);
    });

    it('A4: a write of IRQThreshold 0 stores 1 and reloads the count to 1', () => {
      const rig = running(0, 5);
      rig.device.completePacket('s2mm');
      rig.w(S2MM_DMACR, dmacr(0, 0, RS));
      expect((rig.r(S2MM_DMACR) >>> 16) & 0xff).toBe(1);
      expect(rig.s2mm()[1]).toBe(1);
      rig.device.completePacket('s2mm');
      expect(rig.s2mm()[2] & IOC_IRQ).toBe(IOC_IRQ);
    });
  });

  describe('A5 DMASR writes', () => {
    it('A5: only the interrupt bits written 1 clear; bits written 0 and the status bits are kept (QEMU overwrites them)', () => {
      const rig = running(1, 1, IOC_IRQEN);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(UNIT);
      expect(rig.s2mm()[2]).toBe(IOC_IRQ | DLY_IRQ | SGINCLD);
      rig.w(S2MM_DMASR, 0); // Linux never does this; QEMU would clear both interrupts and the status
      expect(rig.s2mm()[2]).toBe(IOC_IRQ | DLY_IRQ | SGINCLD);
      rig.w(S2MM_DMASR, (0xffff_ffff & ~IOC_IRQ) >>> 0);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | SGINCLD, true]);
      rig.w(S2MM_DMASR, IOC_IRQ);
      expect(rig.s2mm()).toEqual([0, 1, SGINCLD, false]);
      expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
    });
  });

  describe('A6 IRQDelay rewritten while counting', () => {
    it('A6: a different value restarts the count from 0 against it; the same value changes nothing', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(2 * UNIT + 1);
      rig.w(S2MM_DMACR, dmacr(4, 1, DLY_IRQEN | RS)); // same: counting on
      expect(rig.s2mm()[0]).toBe(2);
      rig.w(S2MM_DMACR, dmacr(6, 1, DLY_IRQEN | RS)); // different: from 0, 6 units
      expect(rig.s2mm()[0]).toBe(0);
      rig.clock.advanceTo(2 * UNIT + 1 + 6 * UNIT - 1);
      expect(rig.s2mm()).toEqual([5, 1, IOC_IRQ | SGINCLD, false]);
      rig.clock.advanceTo(2 * UNIT + 1 + 6 * UNIT);
      expect(rig.s2mm()[3]).toBe(true);
    });
  });

  describe('A7 run/stop and the soft reset', () => {
    it('A7: RS 1 clears Halted at once, RS 0 sets it; bit 1 stays 1; Idle is 0 until a tail write is processed', () => {
      const rig = makeRig();
      rig.w(MM2S_DMACR, RS);
      expect([rig.r(MM2S_DMACR), rig.r(MM2S_DMASR) & 0xffff]).toEqual([0x0001_0000 | TAILPEN | RS, SGINCLD]);
      rig.w(MM2S_DMACR, 0);
      expect([rig.r(MM2S_DMACR), rig.r(MM2S_DMASR) & 0xffff]).toEqual([0x0001_0000 | TAILPEN, HALTED | SGINCLD]);
    });

    it('A7: DMACR.Reset on one channel resets the whole core at once: both channels, counts and timers; it reads back 0', () => {
      const rig = running(4, 3, IOC_IRQEN);
      rig.w(MM2S_DMACR, dmacr(9, 2, RS | DLY_IRQEN));
      rig.device.completePacket('s2mm');
      rig.device.completePacket('mm2s');
      rig.clock.advanceTo(UNIT + 1);
      rig.w(MM2S_DMACR, RESET);
      expect([rig.r(MM2S_DMACR), rig.r(MM2S_DMASR), rig.r(S2MM_DMACR), rig.r(S2MM_DMASR)]).toEqual([0x0001_0002, 0x0001_0009, 0x0001_0002, 0x0001_0009]);
      expect(rig.device.timers.map((t) => t.mode)).toEqual(['stopped', 'stopped']);
      rig.clock.advanceTo(100 * UNIT);
      expect(rig.events.filter((e) => e.kind === 'expiry')).toEqual([]);
    });
  });

  describe('A9 the data path stand-in', () => {
    it("A9: completePacket on a halted channel is ignored (returns false); a bad channel name is a DeviceConfigError", () => {
      const rig = makeRig();
      rig.w(S2MM_DMACR, dmacr(3, 1, DLY_IRQEN)); // RS 0
      expect(rig.device.completePacket('s2mm')).toBe(false);
      expect(rig.s2mm()).toEqual([0, 1, HALTED | SGINCLD, false]);
      const error = thrown(() => rig.device.completePacket('tx' as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toBe(`XilinxAxiDma.completePacket(channel): "tx" is invalid: must be 'mm2s' or 's2mm'`);
    });

    it("A9: dataPath 'instant': a TAILDESC write on a running channel is one packet (IOC event, delay restart) and sets Idle; halted, it is stored only", () => {
      const rig = makeRig({ dataPath: 'instant' });
      rig.w(S2MM_TAILDESC, 0x1000_0040);
      expect([rig.r(S2MM_TAILDESC), rig.s2mm()[2]]).toEqual([0x1000_0040, HALTED | SGINCLD]);
      rig.w(S2MM_DMACR, dmacr(2, 1, DLY_IRQEN | IOC_IRQEN | RS));
      rig.w(S2MM_TAILDESC, 0x1000_0080);
      expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | IDLE | SGINCLD, true]);
      rig.w(S2MM_DMASR, ALL_IRQ);
      rig.clock.advanceTo(2 * UNIT);
      expect(rig.s2mm()).toEqual([0, 1, DLY_IRQ | IDLE | SGINCLD, true]);
      expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
    });

    it("A9: dataPath 'none' (the default): a TAILDESC write on a running channel is stored and reported; no packet ends", () => {
      const rig = makeRig();
      rig.w(S2MM_DMACR, dmacr(2, 1, DLY_IRQEN | RS));
      rig.w(S2MM_TAILDESC, 0x40);
      expect(rig.r(S2MM_TAILDESC)).toBe(0x40);
      expect(rig.events).toEqual([
        {
          kind: 'unimplemented',
          time: 0,
          source: 'xilinx-axi-dma',
          offset: S2MM_TAILDESC,
          feature: "S2MM_TAILDESC (descriptor processing: with dataPath 'none' packets end through completePacket())",
        },
      ]);
      rig.clock.advanceTo(10 * UNIT);
      expect(rig.s2mm()).toEqual([0, 1, SGINCLD, false]);
    });
  });

  describe('A10 one interrupt output per channel', () => {
    it('A10: each line is its channel\'s (DMASR & DMACR) over bits 14:12; the channels are independent', () => {
      const rig = makeRig();
      rig.w(MM2S_DMACR, dmacr(1, 1, RS | IOC_IRQEN));
      rig.w(S2MM_DMACR, dmacr(3, 1, RS | DLY_IRQEN | ERR_IRQEN));
      rig.device.completePacket('mm2s');
      rig.device.completePacket('s2mm');
      expect([rig.device.mm2sIntrout.level, rig.device.s2mmIntrout.level]).toEqual([true, false]); // S2MM's IOC is not enabled
      rig.clock.advanceTo(UNIT);
      expect([rig.device.mm2sIntrout.level, rig.device.s2mmIntrout.level]).toEqual([true, false]); // MM2S Dly_Irq, not enabled
      rig.clock.advanceTo(3 * UNIT);
      expect([rig.device.mm2sIntrout.level, rig.device.s2mmIntrout.level]).toEqual([true, true]);
      rig.w(MM2S_DMACR, dmacr(1, 1, RS));
      expect([rig.device.mm2sIntrout.level, rig.device.s2mmIntrout.level]).toEqual([false, true]);
    });
  });

  describe('clock changes', () => {
    it('the SG clock stopped (0 Hz) freezes the count; restarted, it goes on with a fresh unit', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(UNIT + 300);
      rig.sgclk.setHz(0);
      rig.clock.advanceTo(50 * UNIT);
      expect(rig.s2mm()).toEqual([1, 1, IOC_IRQ | SGINCLD, false]);
      rig.sgclk.setHz(100_000_000); // 3 units left, from now
      rig.clock.advanceTo(53 * UNIT - 1);
      expect(rig.s2mm()[3]).toBe(false);
      rig.clock.advanceTo(53 * UNIT);
      expect(rig.s2mm()[3]).toBe(true);
    });

    it('a rate change re-times the count from its reading: 2 units left at 50 MHz last 2 × 2500 ns (the partial unit is lost)', () => {
      const rig = running(4);
      rig.device.completePacket('s2mm');
      const at = 2 * UNIT + 1; // IRQDelaySts 2: 2 units left
      rig.clock.advanceTo(at);
      expect(rig.s2mm()[0]).toBe(2);
      rig.sgclk.setHz(50_000_000);
      rig.clock.advanceTo(at + 2 * 2 * UNIT - 1);
      expect(rig.s2mm()).toEqual([3, 1, IOC_IRQ | SGINCLD, false]);
      rig.clock.advanceTo(at + 2 * 2 * UNIT);
      expect(rig.s2mm()[3]).toBe(true);
    });

    it('a clock change with no timer counting changes nothing but the rate the next count starts at', () => {
      const rig = running(2);
      rig.sgclk.setHz(10_000_000);
      rig.device.completePacket('s2mm');
      rig.clock.advanceTo(2 * 125 * 100 - 1);
      expect(rig.s2mm()[3]).toBe(false);
      rig.clock.advanceTo(2 * 125 * 100);
      expect(rig.s2mm()[3]).toBe(true);
    });
  });

  describe('timing', () => {
    it("exact by default; 'qemu' floors each countdown: 3 units of one 30 MHz clock end at 100 ns exactly, in QEMU timing at 99 ns", () => {
      for (const [timing, at] of [
        ['exact', 100],
        ['qemu', 99],
      ] as const) {
        const clock = new VirtualClock();
        const dma = new XilinxAxiDma(clock, { sgclk: new ClockInput('sgclk', 30_000_000), delayTimerResolution: 1, timing });
        dma.write(S2MM_DMACR, 4, dmacr(3, 1, RS | DLY_IRQEN));
        dma.completePacket('s2mm');
        clock.advanceTo(at - 1);
        expect(dma.s2mmIntrout.level).toBe(false);
        clock.advanceTo(at);
        expect(dma.s2mmIntrout.level).toBe(true);
        expect(dma.snapshot().timers[1].timing).toBe(timing);
      }
    });
  });

  it('reset() clears everything back to the reset values, and dispose() releases the timers and the clock watch', () => {
    const rig = running(4, 2, IOC_IRQEN);
    rig.device.completePacket('s2mm');
    rig.device.reset();
    expect([rig.r(S2MM_DMACR), rig.r(S2MM_DMASR), rig.device.s2mmIntrout.level]).toEqual([0x0001_0002, 0x0001_0009, false]);
    rig.device.dispose();
    expect(rig.clock.pending).toBe(0);
  });
});
