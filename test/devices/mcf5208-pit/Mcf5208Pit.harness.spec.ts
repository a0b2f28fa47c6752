// The catalogue checks (test/support/deviceHarness.ts) on the MCF5208 PIT: the G1 read sweep
// around a step to 0 (PCNTR, then PCSR.PIF), snapshot continuation, and random accesses with bus
// clock changes. The sweep runs the bus clock at 25 MHz (40 ns a step).
import { describe, expect, it } from 'vitest';
import { Mcf5208Pit } from '../../../devices/mcf5208-pit';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { DBG, EN, HZ, OVW, PCNTR, PCSR, PIE, PIF, PMR, PRE, RLD, TICK } from './rig';

const FAST_HZ = 25_000_000;
const FAST_TICK = 40;
const N = 4;
const E1 = N * FAST_TICK; // the first step to 0: the load of 4 counts down in 4 steps
const SPAN = 3 * FAST_TICK;

const w = (d: Mcf5208Pit, offset: number, value: number) => d.write(offset, 2, value);

const firstStep = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = new Mcf5208Pit(clock, { busclk: new ClockInput('busclk', FAST_HZ), delivery });
  return {
    expiry: E1,
    start: () => {
      w(d, PCSR, OVW | RLD);
      w(d, PMR, N);
      w(d, PCSR, EN | RLD | PIE);
    },
    readPair: () => [d.read(PCNTR, 2), (d.read(PCSR, 2) & PIF) !== 0],
    // PCNTR reads 1 until the step (also at E1 when read before it), then 0 for a step, then 4 …
    showsExpiry: (counter, at) => at >= E1 && counter !== 1,
  };
};

describe('Mcf5208Pit against the catalogue checks', () => {
  it('G1 (P10): synchronous delivery: no read sees PCNTR and PIF disagree', () => {
    const r = sweepRace(firstStep, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('legacy bottom half: the read queued right after the step sees PCNTR at 0 and PIF clear (LP #1777777)', () => {
    expect(sweepRace(firstStep, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // Linux-like: periodic, handler read-modify-writes, a one-shot phase, PMR 0 resting, a PRE change, bad accesses.
    const at = (steps: number) => Math.round(steps * TICK);
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(PCSR, OVW | RLD, 2) },
      { at: 0, access: guestWrite(PMR, 9, 2) },
      { at: 0, access: guestWrite(PCSR, EN | RLD | PIE, 2) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: at(1 + 0.7 * i) + 3, access: guestRead(i % 4 === 3 ? PCSR : PCNTR, 2) })),
      { at: at(9), access: guestWrite(PCSR, EN | RLD | PIE | PIF, 2) },
      { at: at(15), access: guestWrite(PCSR, EN | PIE | OVW, 2) },
      { at: at(16), access: guestWrite(PMR, 3, 2) },
      { at: at(19) + 5, access: guestWrite(PCSR, EN | PIE | OVW | PIF | DBG, 2) },
      { at: at(22), access: guestWrite(PCSR, EN | RLD | PIE | PRE(2), 2) },
      { at: at(23), access: guestWrite(PMR, 0, 2) },
      { at: at(40), access: guestWrite(PMR, 6, 2) },
      { at: at(41), access: guestRead(PCSR, 4) },
      { at: at(42), access: guestWrite(PCSR, 0, 2) },
      { at: at(44), access: guestWrite(PCSR, EN | RLD | PIE | PIF, 2) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new Mcf5208Pit(clock, { busclk: new ClockInput('busclk', HZ) });
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-count', at(4.5)],
      ['at the step to 0 (after it), pending', at(9)],
      ['holding 0 after the step', at(9.5)],
      ['free-running after a one-shot event', at(20)],
      ['PMR 0: resting at 0', at(38)],
      ['disabled, PIF pending', at(43)],
    ])('%s (%i ns)', (_name, time) => {
      const { original, restored } = continuationDigests(make, script, time, at(120));
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and bus clock changes: nothing throws, the line equals PIF && PIE, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const busclk = new ClockInput('busclk', FAST_HZ);
        const d = new Mcf5208Pit(clock, { busclk });
        return {
          device: d,
          irq: d.irq,
          clocks: [busclk],
          irqFromRegisters: () => {
            const pcsr = d.snapshot().registers.registers.PCSR!;
            return (pcsr & PIF) !== 0 && (pcsr & PIE) !== 0;
          },
        };
      },
      {
        offsets: [PCSR, PMR, PCNTR, 0x06, 0x3ffe],
        region: 0x4010,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 1_000_000, 83_333_333, 25_000_000],
        values: [EN | RLD | PIE, EN | PIE | OVW, OVW | RLD, EN | RLD | PIE | PIF, EN | RLD | PRE(2), 0, 1, 3, 0xffff],
        sizes: [2, 2, 2, 2, 4, 1],
        runs: 200,
      },
    );
  });
});
