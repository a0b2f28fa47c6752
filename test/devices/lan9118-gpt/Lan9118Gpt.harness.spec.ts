// The catalogue checks (test/support/deviceHarness.ts) on the LAN9118 GP timer: the G1 read
// sweep around a step to 0 (GPT_CNT, then INT_STS.GPT_INT), snapshot continuation, and random
// accesses with time base changes. The sweep runs the time base at 25 MHz (40 ns a tick) so
// that a span of three ticks is 120 ns, not 300 µs: ordering does not depend on the rate.
import { describe, expect, it } from 'vitest';
import { Lan9118Gpt } from '../../../devices/lan9118-gpt';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { BYTE_TEST, GPT_CFG, GPT_CNT, GPT_INT, HZ, ID_REV, INT_EN, INT_STS, IRQ_CFG, IRQ_EN, PMT_CTRL, SW_INT, TICK, TIMER_EN } from './rig';

const FAST_HZ = 25_000_000;
const FAST_TICK = 40;
const N = 4; // GPT_LOAD
const E1 = N * FAST_TICK; // the step to 0: GPT_LOAD ticks after the load
const SPAN = 3 * FAST_TICK;

const fast = (clock: VirtualClock, delivery: TriggerDelivery): Lan9118Gpt => new Lan9118Gpt(clock, { gptclk: new ClockInput('gptclk', FAST_HZ), delivery });

const firstStep = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = fast(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(INT_EN, 4, GPT_INT);
      d.write(IRQ_CFG, 4, IRQ_EN);
      d.write(GPT_CFG, 4, (TIMER_EN | N) >>> 0);
    },
    // GPT_CNT, then the status (INT_STS.GPT_INT)
    readPair: () => [d.read(GPT_CNT, 4), (d.read(INT_STS, 4) & GPT_INT) !== 0],
    // GPT_CNT reads 1 until the step (also at E1 when read before it), then 0 for a tick, then 0xFFFF…
    showsExpiry: (counter, at) => at >= E1 && counter !== 1,
  };
};

describe('Lan9118Gpt against the catalogue checks', () => {
  it('G1: synchronous delivery: no read sees GPT_CNT and GPT_INT disagree', () => {
    const r = sweepRace(firstStep, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('legacy bottom half: the read queued right after the step sees GPT_CNT at 0 and GPT_INT clear (LP #1777777)', () => {
    expect(sweepRace(firstStep, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // smc911x-like: a GP timer re-armed in its handler, a software interrupt, acknowledges, a
    // rewrite while running, a disable and re-enable with GPT_LOAD 0, and bad accesses.
    const at = (ticks: number) => Math.round(ticks * TICK);
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(INT_EN, GPT_INT) },
      { at: 0, access: guestWrite(IRQ_CFG, IRQ_EN) },
      { at: 0, access: guestWrite(GPT_CFG, (TIMER_EN | 10) >>> 0) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: at(1 + 0.7 * i) + 3, access: guestRead(i % 4 === 3 ? INT_STS : GPT_CNT) })),
      { at: at(10), access: guestWrite(GPT_CFG, (TIMER_EN | 10) >>> 0) },
      { at: at(10), access: guestWrite(INT_STS, GPT_INT) },
      { at: at(15), access: guestWrite(INT_EN, (GPT_INT | SW_INT) >>> 0) },
      { at: at(15) + 5, access: guestWrite(INT_STS, SW_INT) },
      { at: at(17), access: guestWrite(GPT_CFG, (TIMER_EN | 3) >>> 0) },
      { at: at(21), access: guestWrite(INT_STS, GPT_INT) },
      { at: at(22), access: guestWrite(GPT_CFG, 3) },
      { at: at(23), access: guestRead(ID_REV) },
      { at: at(24), access: guestWrite(GPT_CFG, TIMER_EN) },
      { at: at(24) + 1, access: guestRead(0x60) },
      { at: at(26), access: guestWrite(0x74, 1) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new Lan9118Gpt(clock, { gptclk: new ClockInput('gptclk', HZ) });
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-count', at(4.5)],
      ['at the step to 0 (after it), pending', at(10)],
      ['holding 0 after the step', at(20.5)],
      ['software interrupt pending', at(15) + 1],
      ['disabled', at(22.5)],
      ['GPT_LOAD 0 holding 0', at(24) + 10],
      ['wrapped to 0xFFFF', at(30)],
    ])('%s (%i ns)', (_name, time) => {
      const { original, restored } = continuationDigests(make, script, time, at(100));
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and time base changes: nothing throws, the line equals IRQ_EN && (INT_STS & INT_EN), runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const gptclk = new ClockInput('gptclk', FAST_HZ);
        const d = new Lan9118Gpt(clock, { gptclk });
        return {
          device: d,
          irq: d.irq,
          clocks: [gptclk],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            return (r.IRQ_CFG! & IRQ_EN) !== 0 && (r.INT_STS! & r.INT_EN!) !== 0;
          },
        };
      },
      {
        offsets: [ID_REV, IRQ_CFG, INT_STS, INT_EN, BYTE_TEST, PMT_CTRL, GPT_CFG, GPT_CNT, 0x00, 0x60, 0x74, 0x9c],
        region: 0x110,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 10_000, 24_000_000, 25_000_000],
        values: [(TIMER_EN | 1) >>> 0, (TIMER_EN | 3) >>> 0, TIMER_EN, 3, GPT_INT, SW_INT, (GPT_INT | SW_INT) >>> 0, IRQ_EN, 0xffff_ffff, 0],
        sizes: [4, 4, 4, 4, 2, 1],
        runs: 200,
      },
    );
  });
});
