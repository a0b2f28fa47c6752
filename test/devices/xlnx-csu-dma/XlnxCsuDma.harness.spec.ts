// The catalogue checks (test/support/deviceHarness.ts) on the CSU DMA: the G1 read sweep
// around a timeout (the counter read through its probe: no register shows it), snapshot
// continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { XlnxCsuDma } from '../../../devices/xlnx-csu-dma';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { CLK_HZ, DST_CTRL2, DST_I_EN, PAUSE_STRM, SRC_CTRL, SRC_CTRL2, SRC_I_DIS, SRC_I_EN, SRC_I_MASK, SRC_I_STS, TIMEOUT_EN, TIMEOUT_STRM, timeoutPre, timeoutVal } from './rig';

const N = 4; // TIMEOUT_VAL
const TICK = 10; // TIMEOUT_PRE 3 at 400 MHz
const E1 = N * TICK;
const SPAN = 3 * TICK;

const device = (clock: VirtualClock, delivery: TriggerDelivery): XlnxCsuDma =>
  new XlnxCsuDma(clock, { clk: new ClockInput('clk', CLK_HZ), streamStalled: true, delivery });

const firstTimeout = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(SRC_CTRL, 4, timeoutVal(N));
      d.write(SRC_CTRL2, 4, TIMEOUT_EN | timeoutPre(3));
    },
    // The ticks left (the probe: a side-effect-free read), then TIMEOUT_STRM.
    readPair: () => [Number(d.probes[0]!.read()), (d.read(SRC_I_STS, 4) & TIMEOUT_STRM) !== 0],
    // The counter reads 1 through the last tick (also at E1 before the timeout), then N again.
    showsExpiry: (counter, at) => at >= E1 && counter !== 1,
  };
};

describe('XlnxCsuDma against the catalogue checks', () => {
  it('G1: synchronous delivery: no read sees the counter started over with TIMEOUT_STRM clear, nor the reverse', () => {
    const r = sweepRace(firstTimeout, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it("legacy bottom half: the read queued after the timeout at its instant sees the counter started over with TIMEOUT_STRM still clear ('E+0 after')", () => {
    expect(sweepRace(firstTimeout, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // xcsudma-like: configure, enable the interrupt, timeouts acknowledged by a handler,
    // a pause of the stream, a new TIMEOUT_VAL and prescaler, a disable, bad accesses.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(SRC_CTRL, timeoutVal(6)) },
      { at: 0, access: guestWrite(SRC_I_EN, TIMEOUT_STRM) },
      { at: 0, access: guestWrite(SRC_CTRL2, TIMEOUT_EN | timeoutPre(3)) },
      ...Array.from({ length: 30 }, (_, i) => ({ at: 5 + 37 * i, access: guestRead(i % 3 === 2 ? SRC_I_MASK : SRC_I_STS) })),
      { at: 65, access: guestWrite(SRC_I_STS, TIMEOUT_STRM) },
      { at: 130, access: guestWrite(SRC_I_STS, TIMEOUT_STRM) },
      { at: 200, access: guestWrite(SRC_CTRL, timeoutVal(6) | PAUSE_STRM) },
      { at: 300, access: guestWrite(SRC_CTRL, timeoutVal(9)) },
      { at: 420, access: guestWrite(SRC_CTRL2, TIMEOUT_EN | timeoutPre(1)) },
      { at: 500, access: guestWrite(SRC_I_DIS, TIMEOUT_STRM) },
      { at: 510, access: guestWrite(DST_CTRL2, TIMEOUT_EN) },
      { at: 520, access: guestRead(0x400) },
      { at: 600, access: guestWrite(SRC_I_EN, TIMEOUT_STRM) },
      { at: 700, access: guestWrite(SRC_CTRL2, timeoutPre(1)) },
      { at: 800, access: guestWrite(DST_I_EN, 2) },
      { at: 900, access: guestWrite(SRC_CTRL2, TIMEOUT_EN) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['counting', 31],
      ['TIMEOUT_STRM pending', 62],
      ['paused', 250],
      ['after the new TIMEOUT_VAL', 350],
      ['masked, pending', 550],
      ['disabled', 750],
      ['counting again', 930],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 2_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, the line equals the unmasked status, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const clk = new ClockInput('clk', CLK_HZ);
        const d = new XlnxCsuDma(clock, { clk, streamStalled: true });
        return {
          device: d,
          irq: d.irq,
          clocks: [clk],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            return ((r['SRC_I_STS']! & ~r['SRC_I_MASK']!) | (r['DST_I_STS']! & ~r['DST_I_MASK']!) & 0xff) !== 0;
          },
        };
      },
      {
        offsets: [SRC_CTRL, SRC_CTRL2, SRC_I_STS, SRC_I_EN, SRC_I_DIS, SRC_I_MASK, 0x814, 0x818, 0x824, 0x008],
        region: 0x1000,
        maxAdvance: 500,
        sizes: [4],
        values: [timeoutVal(3), timeoutVal(1), timeoutVal(0xfff), timeoutVal(5) | PAUSE_STRM, TIMEOUT_EN, TIMEOUT_EN | timeoutPre(1), TIMEOUT_STRM, 0x7f],
        hzChoices: [0, 3, 1_000_000, 30_000_000, 400_000_000],
        runs: 200,
      },
    );
  });
});
