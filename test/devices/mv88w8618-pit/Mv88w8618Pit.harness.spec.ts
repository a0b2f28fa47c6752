// The catalogue checks (test/support/deviceHarness.ts) on the 88W8618 PIT: the G1 read sweep
// around an expiry (P6), snapshot continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { Mv88w8618Pit } from '../../../devices/mv88w8618-pit';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { BOARD_RESET, CONTROL, LENGTH, PIC, PIC_ENABLE_CLR, PIC_ENABLE_SET, PIC_STATUS, RUN, TCLK_HZ, TICK, VALUE } from './rig';

const N = 4; // LENGTH
const E1 = N * TICK;
const SPAN = 3 * TICK;

const device = (clock: VirtualClock, delivery: TriggerDelivery): Mv88w8618Pit =>
  new Mv88w8618Pit(clock, { tclk: new ClockInput('tclk', TCLK_HZ), delivery });

const firstExpiry = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(LENGTH[2], 4, N);
      d.write(CONTROL, 4, RUN(2));
      d.write(PIC_ENABLE_SET, 4, PIC(2));
    },
    // VALUE, then the PIC's status bit
    readPair: () => [d.read(VALUE[2], 4), (d.read(PIC_STATUS, 4) & PIC(2)) !== 0],
    // VALUE counts N … 1 until the step, which reloads N at once (read at E1, 1 before the step, N after)
    showsExpiry: (counter, at) => at > E1 || (at === E1 && counter === N),
  };
};

describe('Mv88w8618Pit against the catalogue checks', () => {
  it('P6 G1: synchronous delivery: no read sees VALUE and the PIC latch disagree', () => {
    const r = sweepRace(firstExpiry, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('P6: legacy bottom half: the read queued after the expiry sees VALUE reloaded and the latch clear', () => {
    expect(sweepRace(firstExpiry, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // The firmware's tick on timer 0 (25 µs) acknowledged in the PIC, timer 3 polled, a LENGTH
    // change while running, a stop, BOARD_RESET, and bad accesses.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(LENGTH[0], 25) },
      { at: 0, access: guestWrite(LENGTH[3], 7) },
      { at: 0, access: guestWrite(CONTROL, RUN(0) | RUN(3)) },
      { at: 0, access: guestWrite(PIC_ENABLE_SET, PIC(0) | PIC(3)) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: 3 + 1_301 * i, access: guestRead(i % 2 === 0 ? VALUE[0] : PIC_STATUS) })),
      ...Array.from({ length: 10 }, (_, i) => ({ at: 25_000 * (i + 1) + 2_000, access: guestWrite(PIC_ENABLE_CLR, PIC(0) | PIC(3)) })),
      ...Array.from({ length: 10 }, (_, i) => ({ at: 25_000 * (i + 1) + 2_001, access: guestWrite(PIC_ENABLE_SET, PIC(0)) })),
      { at: 60_000, access: guestWrite(LENGTH[3], 3) },
      { at: 90_000, access: guestWrite(CONTROL, RUN(0)) },
      { at: 120_000, access: guestRead(0x1030) },
      { at: 150_000, access: guestWrite(BOARD_RESET, 0x1_0000) },
      { at: 151_000, access: guestWrite(PIC_ENABLE_SET, 0x100) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-count', 12_517],
      ['at an expiry (after it), pending', 25_000],
      ['after the LENGTH change', 61_000],
      ['timer 3 stopped', 95_000],
      ['reset requested', 150_500],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 300_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, irq equals the PIC latch & enable, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const tclk = new ClockInput('tclk', TCLK_HZ);
        const d = new Mv88w8618Pit(clock, { tclk });
        return {
          device: d,
          irq: d.irq,
          clocks: [tclk],
          irqFromRegisters: () => {
            const { level, enabled } = d.snapshot().pic;
            return (level & enabled) !== 0;
          },
        };
      },
      {
        offsets: [PIC_STATUS, PIC_ENABLE_SET, PIC_ENABLE_CLR, ...LENGTH, CONTROL, ...VALUE, BOARD_RESET],
        region: 0x2000,
        maxAdvance: 200 * TICK,
        hzChoices: [0, 3, 32_768, 1_000_000, 3_000_000],
        values: [0, 1, 3, 10, 0x10, 0xf0, 0x1111, 0x10000],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });
});
