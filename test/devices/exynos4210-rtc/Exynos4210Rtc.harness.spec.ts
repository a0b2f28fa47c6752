// The catalogue checks (test/support/deviceHarness.ts) on the Exynos4210 RTC tick timer: the G1
// read sweep around a decrement to 0 (R7), the fuzz (with crystal changes), and the
// introspection members (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_RTC_REGISTERS, Exynos4210Rtc } from '../../../devices/exynos4210-rtc';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { CTLEN, CURTICCNT, INTP, makeRig, RTCCON, TIC, tick, TICCKSEL, TICCNT, TICEN } from './rig';

describe('Exynos4210Rtc against the catalogue checks', () => {
  // A 100 MHz tick clock keeps the sweep short: 10 ns ticks; TICCNT 4 reaches 0 (INTP.TIC) at E = 40 ns.
  const PERIOD = 10;
  const EXPIRY = 4 * PERIOD;
  const probe = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
    const device = new Exynos4210Rtc(clock, { xtal: new ClockInput('xtal', 100_000_000), delivery });
    return {
      expiry: EXPIRY,
      start: () => {
        device.write(TICCNT, 4, 4);
        device.write(RTCCON, 2, TICEN);
      },
      readPair: () => [device.read(CURTICCNT, 4), (device.read(INTP, 1) & TIC) !== 0],
      showsExpiry: (counter, when) => counter === 0 || when > EXPIRY,
    };
  };

  it('R7 G1: synchronous delivery: no read around the expiry sees CURTICCNT and INTP.TIC disagree', () => {
    const r = sweepRace(probe, 'sync', 3 * PERIOD);
    expect(r.reads).toBe(2 * (6 * PERIOD + 1));
    expect(r.where).toEqual([]);
  });

  it('R7: legacy bottom half: the sweep finds the stale read at the expiry instant', () => {
    expect(sweepRace(probe, 'bottom-half', 3 * PERIOD).where).toEqual(['E+0 after']);
  });

  it('random accesses, instants and crystal rates: nothing throws, the line is INTP.TIC, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const xtal = new ClockInput('xtal', 32_768);
        const device = new Exynos4210Rtc(clock, { xtal });
        return {
          device,
          irq: device.tick,
          clocks: [xtal],
          irqFromRegisters: () => (device.snapshot().registers.registers.INTP! & TIC) !== 0,
        };
      },
      {
        offsets: [INTP, RTCCON, TICCNT, CURTICCNT, 0x41, 0x70, 0x88, 0x4c],
        region: 0x100,
        maxAdvance: 2_000_000,
        hzChoices: [0, 1, 32_768, 1_000_000, 100_000_000],
        values: [0, 1, 2, 3, 31, TIC, TICEN, TICEN | CTLEN, TICEN | TICCKSEL(1), TICEN | TICCKSEL(15), 0x3ff, 0xffff_ffff],
        sizes: [4, 2, 1, 4],
        runs: 300,
      },
    );
  });

  it('introspection: the line by name, one probe reading what CURTICCNT reads, the map registers', () => {
    const { device, clock, w, r } = makeRig();
    expect(device.lines).toEqual({ tick: device.tick });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([['tick.count', 32]]);
    expect(device.registers.map((x) => x.name)).toEqual(EXYNOS4210_RTC_REGISTERS.registers.map((x) => x.name));
    w(TICCNT, 0xabcd_0005);
    w(RTCCON, TICEN);
    clock.advanceTo(tick(2) + 1);
    expect(device.probes[0]!.read()).toBe(BigInt(r(CURTICCNT)));
    expect(device.probes[0]!.read()).toBe(0xabcd_0003n);
  });
});
