// The catalogue checks (test/support/deviceHarness.ts) on the ETRAX FS timer block: the G1 read
// sweep around an expiry (E15), snapshot continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { EtraxfsTimer } from '../../../devices/etraxfs-timer';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { ACK_INTR, ctrl, CTRL, CYCLE, DATA, DIV, F32, HOLD, INTR_MASK, LD, MASKED_INTR, R_INTR, R_TIME, RUN, wd, WD_CTRL, WD_STAT, WD_STEP_NS } from './rig';

const N = 4; // div
const E1 = N * CYCLE * 100; // at 1 MHz on ext: 4 µs
const SPAN = 300;

const clocks = () => ({ f100: new ClockInput('f100', 100_000_000), ext: new ClockInput('ext', 1_000_000) });

const firstExpiry = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = new EtraxfsTimer(clock, { ...clocks(), delivery });
  return {
    expiry: E1,
    start: () => {
      d.write(DIV[1], 4, N);
      d.write(CTRL[1], 4, ctrl(LD, 1));
      d.write(CTRL[1], 4, ctrl(RUN, 1));
      d.write(INTR_MASK, 4, 2);
    },
    readPair: () => [d.read(DATA[1], 4), (d.read(R_INTR, 4) & 2) !== 0],
    // data counts N … 1 until the step, which reloads N at once (read at E1: 1 before the step, N after)
    showsExpiry: (counter, at) => at > E1 || (at === E1 && counter === N),
  };
};

describe('EtraxfsTimer against the catalogue checks', () => {
  it('E15 G1: synchronous delivery: no read sees data and r_intr disagree', () => {
    const r = sweepRace(firstExpiry, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('E15: legacy bottom half: the read queued after the expiry sees data reloaded and r_intr clear', () => {
    expect(sweepRace(firstExpiry, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // Linux's tick on timer 0 (20 µs) acked by the handler at +1 µs, timer 1 as a clockevent on f32,
    // r_time reads, the watchdog fed with alternating keys, then let bite, and bad accesses.
    const feeds = Array.from({ length: 6 }, (_, i) => ({ at: 500_000 * (i + 1), access: guestWrite(WD_CTRL, wd(3, 1, i % 2 === 0 ? 0x55 : 0x2a)) }));
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(DIV[0], 2_000) },
      { at: 0, access: guestWrite(CTRL[0], ctrl(LD)) },
      { at: 0, access: guestWrite(CTRL[0], ctrl(RUN)) },
      { at: 0, access: guestWrite(INTR_MASK, 3) },
      { at: 0, access: guestWrite(WD_CTRL, wd(3, 1, 0x2a)) },
      ...Array.from({ length: 30 }, (_, i) => ({ at: 21_000 * (i + 1), access: guestWrite(ACK_INTR, 1) })),
      ...Array.from({ length: 30 }, (_, i) => ({ at: 7 + 23_011 * i, access: guestRead([DATA[0], R_TIME, WD_STAT, MASKED_INTR][i % 4]!) })),
      { at: 100_000, access: guestWrite(DIV[1], 700) },
      { at: 100_000, access: guestWrite(CTRL[1], ctrl(LD, F32)) },
      { at: 100_000, access: guestWrite(CTRL[1], ctrl(RUN, F32)) },
      { at: 150_000, access: guestWrite(CTRL[1], ctrl(HOLD, F32)) },
      { at: 150_001, access: guestWrite(ACK_INTR, 2) },
      ...feeds,
      { at: 3_100_000, access: guestRead(0x5c) },
      { at: 3_200_000, access: guestWrite(0x30, 1) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new EtraxfsTimer(clock, clocks());
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-count', 12_517],
      ['at a tick (after it), pending', 20_000],
      ['timer 1 held', 160_000],
      ['watchdog fed', 1_700_000],
      ['watchdog in its last step, NMI raised', 3_000_000 + 2 * WD_STEP_NS + 10],
      ['watchdog bitten', 3_000_000 + 3 * WD_STEP_NS + 10],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 8_000_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, irq equals r_intr & rw_intr_mask, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const c = { ...clocks(), f32: new ClockInput('f32', 32_000_000) };
        const d = new EtraxfsTimer(clock, c);
        return {
          device: d,
          irq: d.irq,
          clocks: [c.f100, c.ext, c.f32],
          irqFromRegisters: () => {
            const r = d.snapshot().registers.registers;
            return (r['r_intr']! & r['rw_intr_mask']!) !== 0;
          },
        };
      },
      {
        offsets: [...DIV, ...DATA, ...CTRL, R_TIME, WD_CTRL, WD_STAT, INTR_MASK, ACK_INTR, R_INTR, MASKED_INTR, 0x20, 0x58],
        region: 0x100,
        maxAdvance: 20_000,
        hzChoices: [0, 3, 1_000_000, 29_493_000, 100_000_000],
        values: [0, 1, 2, 3, 5, 0x1c, 0x1d, 0x1e, 0x1f, 0x06, 0x104, 0x1ff, 100, wd(2, 1, 0), wd(2, 1, 0x7f), wd(0, 0, 0x7f)],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });
});
