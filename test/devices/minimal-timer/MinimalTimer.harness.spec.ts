// The catalogue checks (test/support/deviceHarness.ts) on the minimal device: the model
// every device spec follows.
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../../devices';
import { guestRead, guestWrite, type VirtualClock } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';

const PERIOD = 10;
const LOAD = 4;

const probe = (clock: VirtualClock, delivery: 'sync' | 'bottom-half'): RaceProbe => {
  const device = new MinimalTimer(clock, { periodNs: PERIOD, delivery });
  return {
    expiry: LOAD * PERIOD,
    start: () => {
      device.write(0x0, 4, LOAD);
      device.write(0x8, 4, 0b11);
    },
    readPair: () => [device.read(0x4, 4), device.read(0xc, 4) === 1],
    // Legacy counter: 0 just before the expiry (and when read before it at that instant); from the
    // expiry on it reads LOAD..1 until the next one, so any non-zero value at or after E is the reload.
    showsExpiry: (counter, at) => at >= LOAD * PERIOD && counter !== 0,
  };
};

describe('MinimalTimer against the catalogue checks', () => {
  it('G1: synchronous delivery: no read around the expiry sees counter and status disagree', () => {
    const r = sweepRace(probe, 'sync', 3 * PERIOD);
    expect(r.reads).toBe(2 * (6 * PERIOD + 1));
    expect(r.where).toEqual([]);
  });

  it('legacy bottom half: the sweep finds the stale read, exactly at the expiry instant after the expiry', () => {
    expect(sweepRace(probe, 'bottom-half', 3 * PERIOD).where).toEqual(['E+0 after']);
  });

  it('a snapshot mid-run continues in a fresh system with the same digest', () => {
    const script = [
      { at: 0, access: guestWrite(0x0, 7) },
      { at: 0, access: guestWrite(0x8, 3) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: 5 + 37 * i, access: guestRead(i % 2 === 0 ? 0x4 : 0xc) })),
      { at: 600, access: guestWrite(0xc, 1) },
      { at: 900, access: guestWrite(0x0, 3) },
    ];
    const make = (clock: VirtualClock) => {
      const device = new MinimalTimer(clock, { periodNs: 25 });
      return { device, irq: device.irq };
    };
    const { original, restored } = continuationDigests(make, script, 500, 1_600);
    expect(restored).toBe(original);
  });

  it('random accesses and instants: nothing throws, the line matches INTSTATUS && IRQEN, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const device = new MinimalTimer(clock, { periodNs: 7 });
        return {
          device,
          irq: device.irq,
          irqFromRegisters: () => {
            const snap = device.snapshot() as unknown as { registers: { registers: Record<string, number> } };
            return (snap.registers.registers.INTSTATUS! & 1) === 1 && (snap.registers.registers.CTRL! & 2) === 2;
          },
        };
      },
      { offsets: [0x0, 0x4, 0x8, 0xc], region: 0x20, maxAdvance: 100, runs: 200 },
    );
  });
});
