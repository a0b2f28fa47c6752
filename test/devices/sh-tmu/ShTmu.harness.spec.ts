// The catalogue checks (test/support/deviceHarness.ts) on the SuperH TMU: the G1 read sweep on
// each channel (X9), the fuzz (every width, clock selections, all three clock inputs changing),
// and the introspection members (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { SH_TMU_REGISTERS, ShTmu } from '../../../devices/sh-tmu';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { COUNT, makeRig, program, tcnt, tcr, UNF, UNIE } from './rig';

const N = 3; // TCOR = TCNT = 3: the first underflow at 4 counts
const EXPIRY = (N + 1) * COUNT;
const SPAN = 3 * COUNT;

/** Channel n started with TCOR = TCNT = N; the guest reads TCNTn, then TCRn. */
const probe = (n: number) => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const device = new ShTmu(clock, { pclk: new ClockInput('pclk', 40_000_000), delivery });
  return {
    expiry: EXPIRY,
    start: () => {
      device.write(tcr(n), 2, UNIE);
      device.write(tcr(n) - 8, 4, N); // TCORn
      device.write(tcnt(n), 4, N);
      device.write(0x04, 1, 1 << n);
    },
    readPair: () => [device.read(tcnt(n), 4), (device.read(tcr(n), 2) & UNF) !== 0],
    // TCNT reads 0 through the last count (also at the underflow instant, before its step), then TCOR = N, N - 1, …
    showsExpiry: (value, at) => at >= EXPIRY && value !== 0,
  };
};

describe('ShTmu against the catalogue checks', () => {
  describe.each([0, 1, 2])('channel %i', (n) => {
    it('X9 G1: synchronous delivery: no read around the underflow sees TCNT and UNF disagree', () => {
      const r = sweepRace(probe(n), 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the sweep finds the stale read at the underflow', () => {
      expect(sweepRace(probe(n), 'bottom-half', SPAN).where).toEqual(['E+0 after']);
    });
  });

  const OFFSETS = SH_TMU_REGISTERS.registers.map((r) => r.offset).concat([0x01, 0x12, 0x30, 0xffc]);

  it('random accesses of every width, instants and rates of Pφ, the RTC clock and TCLK: nothing throws, each line matches its TCR, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const pclk = new ClockInput('pclk', 40_000_000);
        const rtcclk = new ClockInput('rtcclk', 1_000_000);
        const tclk = new ClockInput('tclk', 0);
        const device = new ShTmu(clock, { pclk, rtcclk, tclk });
        const raised = (n: number): boolean => {
          const value = device.snapshot().registers.registers[`TCR${n}`]!;
          return (value & UNF) !== 0 && (value & UNIE) !== 0;
        };
        return {
          device,
          irq: device.tuni0,
          clocks: [pclk, rtcclk, tclk],
          irqFromRegisters: () => {
            for (const [n, line] of [[1, device.tuni1] as const, [2, device.tuni2] as const]) {
              if (line.level !== raised(n)) throw new Error(`TUNI${n} is ${line.level}, TCR${n} says ${raised(n)}`);
            }
            return raised(0);
          },
        };
      },
      {
        offsets: OFFSETS,
        region: 0x1000,
        maxAdvance: 10_000,
        hzChoices: [0, 7, 16_384, 1_000_000, 40_000_000],
        values: [0, 1, 2, 3, 7, 0x20, 0x21, 0x25, 0x26, 0x37, 0x100, 0x120, 0xc0, 0xffff_ffff],
        sizes: [4, 2, 1, 4, 2, 1, 8],
        runs: 200,
      },
    );
  });

  it('introspection: the lines by name, a probe per channel reading what the guest reads, the map registers', () => {
    const rig = makeRig();
    const { device } = rig;
    expect(device.lines).toEqual({ tuni0: device.tuni0, tuni1: device.tuni1, tuni2: device.tuni2 });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['tmu0.tcnt', 32],
      ['tmu1.tcnt', 32],
      ['tmu2.tcnt', 32],
    ]);
    expect(device.registers.map((x) => [x.name, x.offset, x.size])).toEqual(SH_TMU_REGISTERS.registers.map((x) => [x.name, x.offset, x.width / 8]));
    program(rig, 1, 1_000);
    rig.clock.advanceTo(25 * COUNT + 1);
    expect(device.probes[1]!.read()).toBe(BigInt(rig.r32(tcnt(1))));
    expect(device.probes.map((p) => p.read())).toEqual([0xffff_ffffn, 975n, 0xffff_ffffn]);
    expect(rig.events).toEqual([]); // probes are no accesses
  });
});
