// The catalogue checks (test/support/deviceHarness.ts) on the Xilinx CAN timestamp model: the G1
// read sweep around the Versal's first wrap (X11), snapshot continuation on both variants, and
// random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { XlnxCanTimestamp, type XlnxCanTimestampVariant } from '../../../devices/xlnx-can-timestamp';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { BRPR, CEN, CTS, HZ, ICR, IER, ISR, RB_DLC, RXFIFO_DLC, SR, SRR, SRST, TICK, TSCNT_OFLW, TSR, WRAP_NS } from './rig';

const SPAN = 3 * TICK;

const device = (clock: VirtualClock, variant: XlnxCanTimestampVariant, delivery: TriggerDelivery = 'sync'): XlnxCanTimestamp =>
  new XlnxCanTimestamp(clock, { canClk: new ClockInput('can_clk', HZ), variant, delivery });

/** The Versal started at 0 with its overflow interrupt enabled: the first wrap at 2^16 cycles. */
const firstWrap = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, 'versal', delivery);
  return {
    expiry: WRAP_NS,
    start: () => {
      d.write(IER, 4, TSCNT_OFLW);
      d.write(SRR, 4, CEN);
    },
    // TSR.TIMESTAMP_CNT, then ISR.TSCNT_OFLW (reading it clears nothing)
    readPair: () => [d.read(TSR, 4) >>> 16, (d.read(ISR, 4) & TSCNT_OFLW) !== 0],
    // 0xFFFF until the wrap (also at its instant when read before it), then 0, 1, …
    showsExpiry: (counter, at) => at >= WRAP_NS && counter !== 0xffff,
  };
};

describe('XlnxCanTimestamp against the catalogue checks', () => {
  it('X11 G1: synchronous delivery: no read sees TSR.TIMESTAMP_CNT and ISR.TSCNT_OFLW disagree', () => {
    const r = sweepRace(firstWrap, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('X11: legacy bottom half: the read queued after the wrap sees the counter at 0 with TSCNT_OFLW still clear (LP #1777777)', () => {
    expect(sweepRace(firstWrap, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe.each(['zynqmp', 'versal'] as const)('a snapshot mid-run continues in a fresh system with the same digest (%s)', (variant) => {
    const rx = variant === 'versal' ? RB_DLC : RXFIFO_DLC;
    // A Linux-like start (reset, CEN), timestamp reads, a clear, a stop and a restart, the
    // overflow acknowledged (Versal), a not-modelled register and a bad access.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(SRR, SRST) },
      { at: 0, access: guestRead(SR) },
      { at: 0, access: guestWrite(IER, TSCNT_OFLW) },
      { at: 0, access: guestWrite(SRR, CEN) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: 7 + 199_999 * i, access: guestRead(i % 2 === 0 ? TSR : rx) })),
      { at: 3_000_000, access: guestWrite(ICR, TSCNT_OFLW) },
      { at: 3_500_000, access: guestWrite(TSR, CTS) },
      { at: 4_000_000, access: guestRead(BRPR) },
      { at: 5_000_000, access: guestWrite(SRR, 0) },
      { at: 5_000_000, access: guestRead(SR) },
      { at: 5_600_000, access: guestWrite(SRR, CEN) },
      { at: 6_000_000, access: guestRead(0x0fc, 2) },
      { at: 7_000_000, access: guestWrite(ISR, 0) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, variant);
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['in the first cycle', 20],
      ['mid-count', 1_234_567],
      ['at the first wrap (after it)', WRAP_NS],
      ['after the clear', 3_600_000],
      ['held in configuration mode', 5_300_000],
      ['restarted', 5_700_000],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 12_000_000);
      expect(restored).toBe(original);
    });
  });

  it.each(['zynqmp', 'versal'] as const)('random accesses, instants and clock changes (%s): nothing throws, the line equals TSCNT_OFLW && ETSCNT_OFLW, runs are deterministic', (variant) => {
    fuzzDevice(
      (clock) => {
        const canClk = new ClockInput('can_clk', HZ);
        const d = new XlnxCanTimestamp(clock, { canClk, variant });
        return {
          device: d,
          irq: d.irq,
          clocks: [canClk],
          irqFromRegisters: () => {
            if (variant === 'zynqmp') return false;
            const r = d.snapshot().registers.registers;
            return (r['ISR']! & r['IER']! & TSCNT_OFLW) !== 0;
          },
        };
      },
      {
        offsets: variant === 'versal' ? [SRR, SR, ISR, IER, ICR, TSR, RB_DLC, BRPR] : [SRR, SR, TSR, RXFIFO_DLC, BRPR],
        region: variant === 'versal' ? 0x5400 : 0x100,
        maxAdvance: 2 * WRAP_NS,
        hzChoices: [0, 3, 1_000_000, 24_000_000, 25_000_000, 80_000_000],
        values: [0, CEN, SRST, SRST | CEN, CTS, TSCNT_OFLW, 0xffff_ffff],
        sizes: [4, 4, 4, 1, 2, 8],
        runs: 200,
      },
    );
  });
});
