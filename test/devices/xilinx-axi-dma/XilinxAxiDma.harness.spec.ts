// The catalogue checks (test/support/deviceHarness.ts) on the AXI DMA: the G1 read sweep
// around a delay timeout, snapshot continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { XilinxAxiDma } from '../../../devices/xilinx-axi-dma';
import { anyOf } from '../../../src/irq';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import {
  ALL_IRQ,
  CYCLE,
  DLY_IRQ,
  DLY_IRQEN,
  dmacr,
  IOC_IRQEN,
  MM2S_DMACR,
  MM2S_DMASR,
  MM2S_TAILDESC,
  RS,
  S2MM_CURDESC,
  S2MM_DMACR,
  S2MM_DMASR,
  S2MM_TAILDESC,
  SG_HZ,
} from './rig';

const D = 4; // IRQDelay
const E1 = D * CYCLE; // resolution 1: the timeout 4 SG clocks after the packet
const SPAN = 3 * CYCLE;

const device = (clock: VirtualClock, delivery: TriggerDelivery): XilinxAxiDma =>
  new XilinxAxiDma(clock, { sgclk: new ClockInput('sgclk', SG_HZ), delayTimerResolution: 1, dataPath: 'instant', delivery });

const firstTimeout = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(S2MM_DMACR, 4, dmacr(D, 1, RS | DLY_IRQEN));
      d.write(S2MM_TAILDESC, 4, 0); // the packet: the delay timer counts from here
    },
    // IRQDelaySts (a byte read), then Dly_Irq (DMASR: reading it clears nothing)
    readPair: () => [d.read(S2MM_DMASR + 3, 1), (d.read(S2MM_DMASR, 4) & DLY_IRQ) !== 0],
    // IRQDelaySts reads D - 1 through the last unit (also at E1 when read before the timeout), then 0.
    showsExpiry: (counter, at) => at >= E1 && counter !== D - 1,
  };
};

describe('XilinxAxiDma against the catalogue checks', () => {
  it('G1: synchronous delivery: no read sees IRQDelaySts and Dly_Irq disagree', () => {
    const r = sweepRace(firstTimeout, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it("legacy bottom half: the read queued after the timeout at its instant sees the count cleared with Dly_Irq still clear ('E+0 after')", () => {
    expect(sweepRace(firstTimeout, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // Linux-like: enables, coalescing 3 with a delay of 6 on S2MM, packets (tail writes), the
    // handler's write-backs, an MM2S channel started and stopped, a soft reset, bad accesses.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(S2MM_DMACR, dmacr(6, 3, IOC_IRQEN | DLY_IRQEN)) },
      { at: 0, access: guestWrite(S2MM_CURDESC, 0x40) },
      { at: 0, access: guestWrite(S2MM_DMACR, dmacr(6, 3, IOC_IRQEN | DLY_IRQEN | RS)) },
      ...Array.from({ length: 8 }, (_, i) => ({ at: 30 + 50 * i, access: guestWrite(S2MM_TAILDESC, 0x40 * (i + 2)) })),
      ...Array.from({ length: 40 }, (_, i) => ({ at: 7 + 23 * i, access: guestRead(i % 4 === 3 ? S2MM_DMACR : S2MM_DMASR) })),
      { at: 200, access: guestWrite(S2MM_DMASR, ALL_IRQ) },
      { at: 333, access: guestWrite(MM2S_DMACR, dmacr(2, 1, DLY_IRQEN | RS)) },
      { at: 340, access: guestWrite(MM2S_TAILDESC, 0x80) },
      { at: 360, access: guestRead(MM2S_DMASR + 3, 1) },
      { at: 500, access: guestWrite(S2MM_DMASR, ALL_IRQ) },
      { at: 700, access: guestWrite(MM2S_DMACR, dmacr(2, 1, DLY_IRQEN)) },
      { at: 720, access: guestRead(0x20) },
      { at: 800, access: guestWrite(S2MM_DMASR, ALL_IRQ) },
      { at: 900, access: guestWrite(S2MM_TAILDESC, 0x1000) },
      { at: 905, access: guestWrite(S2MM_DMACR, dmacr(9, 3, IOC_IRQEN | DLY_IRQEN | RS)) },
      { at: 1_200, access: guestWrite(MM2S_DMACR, 0x4) },
      { at: 1_300, access: guestWrite(S2MM_DMACR, dmacr(3, 2, IOC_IRQEN | DLY_IRQEN | RS)) },
      { at: 1_310, access: guestWrite(S2MM_TAILDESC, 0x40) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: anyOf('introut', d.mm2sIntrout, d.s2mmIntrout) };
    };
    it.each([
      ['before anything runs', 0],
      ['between packets, the delay counting', 55],
      ['IOC_Irq pending', 140],
      ['both channels counting', 345],
      ['Dly_Irq pending (held off)', 560],
      ['after the new IRQDelay', 950],
      ['after the soft reset', 1_250],
      ['counting again', 1_320],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 3_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, the lines equal (DMASR & DMACR) over 14:12, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const sgclk = new ClockInput('sgclk', SG_HZ);
        const d = new XilinxAxiDma(clock, { sgclk, delayTimerResolution: 3, dataPath: 'instant' });
        const level = (cr: string, sr: string): boolean => {
          const r = d.snapshot().registers.registers;
          return (r[cr]! & r[sr]! & 0x7000) !== 0;
        };
        return {
          device: d,
          irq: anyOf('introut', d.mm2sIntrout, d.s2mmIntrout),
          clocks: [sgclk],
          irqFromRegisters: () => level('MM2S_DMACR', 'MM2S_DMASR') || level('S2MM_DMACR', 'S2MM_DMASR'),
        };
      },
      {
        offsets: [MM2S_DMACR, MM2S_DMASR, MM2S_TAILDESC, S2MM_DMACR, S2MM_DMASR, S2MM_TAILDESC, S2MM_DMASR + 3, 0x08, 0x58],
        region: 0x400,
        maxAdvance: 2_000,
        sizes: [4, 4, 4, 1],
        values: [dmacr(3, 2, 0x7001), dmacr(1, 1, 0x7001), dmacr(0, 4, 0x1001), 0x7000, 0x2000, 0x4, 0x1, 0x40],
        hzChoices: [0, 3, 1_000_000, 24_000_000, 100_000_000],
        runs: 200,
      },
    );
  });
});
