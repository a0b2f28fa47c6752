// The catalogue checks (test/support/deviceHarness.ts) on the eTSEC poll timer: the G1 read sweep
// around a poll (T6; no register shows the interval, so the pair is the poll probe and IEVENT),
// snapshot continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { FslEtsecTimer } from '../../../devices/fsl-etsec-timer';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { DMACTRL, GTS, GTSC, IEVENT, IMASK, TSTAT, TXCLK_HZ, TXF, WOP } from './rig';

const CYCLES = 4;
const E1 = CYCLES * 8; // 4 clocks of 8 ns
const SPAN = 24;

const firstPoll = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = new FslEtsecTimer(clock, { txclk: new ClockInput('txclk', TXCLK_HZ), pollCycles: CYCLES, txRing: 'endless', delivery });
  return {
    expiry: E1,
    start: () => {
      d.write(IMASK, 4, TXF);
      d.write(DMACTRL, 4, 0);
    },
    // The clocks left (the probe: no register shows them), then TXF.
    readPair: () => [Number(d.probes[0]!.read()), (d.read(IEVENT, 4) & TXF) !== 0],
    // The countdown reads 4 … 1, reloading 4 at the poll (read at E1: 1 before the poll, 4 after)
    showsExpiry: (counter, at) => at > E1 || (at === E1 && counter === CYCLES),
  };
};

describe('FslEtsecTimer against the catalogue checks', () => {
  it('T6 G1: synchronous delivery: no read sees the interval restart without TXF, or the reverse', () => {
    const r = sweepRace(firstPoll, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('T6: legacy bottom half: the read queued after the poll sees the interval restarted and TXF clear', () => {
    expect(sweepRace(firstPoll, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(IMASK, TXF | GTSC) },
      { at: 0, access: guestWrite(DMACTRL, 0) },
      ...Array.from({ length: 20 }, (_, i) => ({ at: 4_096 * (i + 1) + 500, access: guestWrite(IEVENT, TXF) })),
      ...Array.from({ length: 20 }, (_, i) => ({ at: 3 + 4_001 * i, access: guestRead(IEVENT) })),
      { at: 30_000, access: guestWrite(DMACTRL, GTS) },
      { at: 31_000, access: guestWrite(IEVENT, GTSC) },
      { at: 40_000, access: guestWrite(DMACTRL, 0) },
      { at: 60_000, access: guestWrite(DMACTRL, WOP) },
      { at: 61_000, access: guestWrite(TSTAT, 0x8000_0000) },
      { at: 70_000, access: guestWrite(DMACTRL, 0) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new FslEtsecTimer(clock, { txclk: new ClockInput('txclk', TXCLK_HZ), txRing: 'endless' });
      return { device: d, irq: d.tx };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-interval', 2_517],
      ['at a poll (after it), pending', 8_192],
      ['gracefully stopped', 35_000],
      ['polling again', 50_001],
      ['waiting (WOP 1)', 65_000],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 120_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, tx equals IEVENT & IMASK over TXF/TXB, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const txclk = new ClockInput('txclk', TXCLK_HZ);
        const d = new FslEtsecTimer(clock, { txclk, txRing: 'endless', pollCycles: 16 });
        return {
          device: d,
          irq: d.tx,
          clocks: [txclk],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            return (r['IEVENT']! & r['IMASK']! & (TXF | (1 << 21))) !== 0;
          },
        };
      },
      {
        offsets: [IEVENT, IMASK, DMACTRL, TSTAT, 0x000],
        region: 0x1000,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 2_500_000, 25_000_000, 125_000_000],
        values: [0, WOP, GTS, WOP | GTS, 0xc3, TXF, GTSC, 0xffff_ffff],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });
});
