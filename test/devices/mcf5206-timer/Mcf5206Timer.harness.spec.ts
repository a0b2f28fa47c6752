// The catalogue checks (test/support/deviceHarness.ts) on the MCF5206 timer module: the G1 read
// sweep around a reference event (TCN, then TER.REF), snapshot continuation, and random accesses
// with system clock changes. 25 MHz, ÷1: 40 ns a step.
import { describe, expect, it } from 'vitest';
import { Mcf5206Timer } from '../../../devices/mcf5206-timer';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { CAP, CE, CLK1, CLK16, CLK_TIN, FRR, HZ, ORI, PS, REF, RST, TCN, TCR, TER, TICK, TMR, TRR } from './rig';

const N = 4; // steps a round: TRR = 3
const E1 = N * TICK;
const SPAN = 3 * TICK;

const firstEvent = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = new Mcf5206Timer(clock, { sysclk: new ClockInput('sysclk', HZ), delivery });
  return {
    expiry: E1,
    start: () => {
      d.write(TMR(2), 2, 0);
      d.write(TRR(2), 2, N - 1);
      d.write(TMR(2), 2, ORI | FRR | CLK1 | RST);
    },
    readPair: () => [d.read(TCN(2), 2), (d.read(TER(2), 1) & REF) !== 0],
    // TCN reads TRR (3) in the last step (also at E1 when read before the event), then 0, 1, …
    showsExpiry: (counter, at) => at >= E1 && counter !== N - 1,
  };
};

describe('Mcf5206Timer against the catalogue checks', () => {
  it('G1 (M10): synchronous delivery: no read sees TCN and REF disagree', () => {
    const r = sweepRace(firstEvent, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('legacy bottom half: the read queued right after the event sees TCN back at 0 and REF clear (LP #1777777)', () => {
    expect(sweepRace(firstEvent, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // Linux-like on timer 1 (÷16, acknowledged), timer 2 free-running, TRR and TCN writes, a reset through RST, bad accesses.
    const at = (steps: number) => Math.round(steps * TICK);
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(TMR(1), 0, 2) },
      { at: 0, access: guestWrite(TRR(1), 1, 2) },
      { at: 0, access: guestWrite(TMR(1), ORI | CLK16 | FRR | RST, 2) },
      { at: 0, access: guestWrite(TRR(2), 9, 2) },
      { at: 0, access: guestWrite(TMR(2), ORI | CLK1 | RST, 2) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: at(1 + 1.7 * i) + 3, access: guestRead(i % 3 === 2 ? TER(i % 2 === 0 ? 1 : 2) : TCN(i % 2 === 0 ? 1 : 2), i % 3 === 2 ? 1 : 2) })),
      { at: at(32), access: guestWrite(TER(1), CAP | REF, 1) },
      { at: at(33), access: guestWrite(TRR(2), 5, 2) },
      { at: at(40), access: guestWrite(TCN(2), 7, 2) },
      { at: at(45), access: guestWrite(TMR(1), ORI | CLK1 | FRR | PS(2) | RST, 2) },
      { at: at(50), access: guestWrite(TMR(2), ORI | CLK_TIN | RST, 2) },
      { at: at(52), access: guestWrite(TMR(2), CE(2) | ORI | CLK1 | RST, 2) },
      { at: at(55), access: guestWrite(TCR(1), 1, 2) },
      { at: at(60), access: guestWrite(TMR(1), ORI, 2) },
      { at: at(64), access: guestWrite(TMR(1), ORI | CLK1 | FRR | RST, 2) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new Mcf5206Timer(clock, { sysclk: new ClockInput('sysclk', HZ) });
      return { device: d, irq: d.timer1 };
    };
    it.each([
      ['before anything runs', 0],
      ['both counting', at(4.5)],
      ['at timer 1\'s reference event (after it), pending', at(32)],
      ['after a TRR write below TCN', at(34)],
      ['timer 2 held by CLK 11', at(51)],
      ['timer 1 in reset', at(62)],
      ['timer 1 out of reset again', at(66)],
    ])('%s (%i ns)', (_name, time) => {
      const { original, restored } = continuationDigests(make, script, time, at(400));
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and system clock changes: nothing throws, each line equals its timer\'s request, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const sysclk = new ClockInput('sysclk', HZ);
        const d = new Mcf5206Timer(clock, { sysclk });
        return {
          device: d,
          irq: d.timer1,
          clocks: [sysclk],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            return ((r.TMR1! & ORI) !== 0 && (r.TER1! & REF) !== 0) || ((r.TMR1! & (3 << 6)) !== 0 && (r.TER1! & CAP) !== 0);
          },
        };
      },
      {
        offsets: [TMR(1), TRR(1), TCR(1), TCN(1), TER(1), TMR(2), TRR(2), TCN(2), TER(2), 0x10, 0x40],
        region: 0x50,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 25_000_000, 33_000_000, 66_000_000],
        values: [0, ORI | FRR | CLK1 | RST, ORI | CLK1 | RST, ORI | FRR | CLK16 | RST, CLK_TIN | RST, 3, 9, 0xffff, CAP | REF, REF],
        sizes: [2, 2, 2, 1, 1, 4],
        runs: 200,
      },
    );
  });
});
