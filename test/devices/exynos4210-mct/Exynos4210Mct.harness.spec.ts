// The catalogue checks (test/support/deviceHarness.ts) on the MCT: the G1 read sweep on each kind
// of counter (X14), snapshot continuation with an equal digest, the fuzz (with fin changes), and
// the introspection members (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_MCT_REGISTERS, Exynos4210Mct } from '../../../devices/exynos4210-mct';
import { ClockInput, guestRead, guestWrite, VirtualClock, type GuestAccess, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import {
  AUTO_INC,
  COMP_ENABLE,
  FRC,
  FRC_START,
  FRCNTB,
  FRCNTO,
  G_CNT_L,
  G_COMP_ADD_INCR,
  G_COMP_L,
  G_INT_CSTAT,
  G_INT_ENB,
  G_TCON,
  HZ,
  ICNT,
  ICNTB,
  ICNTO,
  INT_CSTAT,
  INT_ENB,
  INT_START,
  INTERVAL_MODE,
  L,
  makeRig,
  MANUAL_UPDATE,
  MCT_CFG,
  TCNTB,
  TCON,
  TICK,
  TIMER_ENABLE,
  TIMER_START,
} from './rig';

const N = 4; // cycles to the first expiry
const EXPIRY = N * TICK;
const SPAN = 3 * TICK;

type Counter = 'comparator' | 'tick' | 'frc';

/** A counter started at 0 to expire at N cycles; the guest reads its counter register, then its status. */
const probe = (counter: Counter) => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const device = new Exynos4210Mct(clock, { fin: new ClockInput('fin', HZ), delivery });
  const w = (offset: number, value: number): void => device.write(offset, 4, value >>> 0);
  const r = (offset: number): number => device.read(offset, 4);
  const starts: Record<Counter, () => void> = {
    comparator: () => {
      w(G_COMP_ADD_INCR(0), N);
      w(G_COMP_L(0), N);
      w(G_INT_ENB, 1);
      w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0) | AUTO_INC(0));
    },
    tick: () => {
      w(L(0, TCNTB), 0);
      w(L(0, ICNTB), MANUAL_UPDATE | (N - 1));
      w(L(0, INT_ENB), ICNT);
      w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE);
    },
    frc: () => {
      w(L(1, FRCNTB), N - 1);
      w(L(1, INT_ENB), FRC);
      w(L(1, TCON), FRC_START);
    },
  };
  const reads: Record<Counter, () => readonly [number, boolean]> = {
    comparator: () => [r(G_CNT_L), (r(G_INT_CSTAT) & 1) !== 0],
    tick: () => [r(L(0, ICNTO)), (r(L(0, INT_CSTAT)) & ICNT) !== 0],
    frc: () => [r(L(1, FRCNTO)), (r(L(1, INT_CSTAT)) & FRC) !== 0],
  };
  return {
    expiry: EXPIRY,
    start: starts[counter],
    readPair: reads[counter],
    // G_CNT reads N - 1 up to the match (at it too, before the expiry step), then N, N + 1, …;
    // ICNTO and FRCNTO read 0 in the last cycle, then reload N - 1.
    showsExpiry: counter === 'comparator' ? (value) => value >= N : (value, at) => at >= EXPIRY && value !== 0,
  };
};

describe('Exynos4210Mct against the catalogue checks', () => {
  describe.each(['comparator', 'tick', 'frc'] as const)('%s', (counter) => {
    it('X14 G1: synchronous delivery: no read around the expiry sees the counter and the status disagree', () => {
      const r = sweepRace(probe(counter), 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the sweep finds the stale read at the expiry', () => {
      expect(sweepRace(probe(counter), 'bottom-half', SPAN).where).toEqual(['E+0 after']);
    });
  });

  it('a snapshot mid-run, restored into a fresh MCT, continues with the same trace digest', () => {
    const at = (ns: number, access: GuestAccess) => ({ at: ns, access });
    const script = [
      at(0, guestWrite(MCT_CFG, 1)), // ÷2: 80 ns a cycle
      at(0, guestWrite(G_COMP_ADD_INCR(0), 7)),
      at(0, guestWrite(G_COMP_L(0), 7)),
      at(0, guestWrite(G_COMP_L(3), 30)),
      at(0, guestWrite(G_INT_ENB, 0x9)),
      at(0, guestWrite(G_TCON, TIMER_ENABLE | COMP_ENABLE(0) | AUTO_INC(0) | COMP_ENABLE(3))),
      at(0, guestWrite(L(0, TCNTB), 2)),
      at(0, guestWrite(L(0, ICNTB), (MANUAL_UPDATE | 3) >>> 0)),
      at(0, guestWrite(L(0, INT_ENB), ICNT | FRC)),
      at(0, guestWrite(L(0, FRCNTB), 11)),
      at(0, guestWrite(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE | FRC_START)),
      at(1_000, guestWrite(G_INT_CSTAT, 1)),
      at(2_000, guestWrite(L(0, INT_CSTAT), ICNT | FRC)),
      at(2_500, guestRead(G_CNT_L)),
      at(3_100, guestWrite(L(1, ICNTB), (MANUAL_UPDATE | 5) >>> 0)),
      at(3_100, guestWrite(L(1, TCON), TIMER_START | INT_START)),
      at(4_000, guestWrite(G_INT_CSTAT, 0xf)),
      at(5_000, guestWrite(L(0, TCNTB), 0)),
      at(6_000, guestRead(L(0, ICNTO))),
    ];
    const make = (clock: VirtualClock) => {
      const device = new Exynos4210Mct(clock, { fin: new ClockInput('fin', HZ) });
      return { device, irq: device.lines.g0 };
    };
    for (const snapshotAt of [1_500, 3_100, 4_321]) {
      const { original, restored } = continuationDigests(make, script, snapshotAt, 8_000);
      expect(restored).toBe(original);
    }
  });

  const OFFSETS = EXYNOS4210_MCT_REGISTERS.registers.map((r) => r.offset).concat([0x004, 0x500, 0x7fc]);

  it('random accesses, instants and fin rates: nothing throws, the lines match the status registers, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const fin = new ClockInput('fin', HZ);
        const device = new Exynos4210Mct(clock, { fin });
        const stored = (): Record<string, number> => device.snapshot().registers.registers;
        const levels = (r: Record<string, number>): boolean[] => {
          const g = r['G_INT_CSTAT']! & r['G_INT_ENB']!;
          return [0, 1, 2, 3].map((n) => ((g >>> n) & 1) === 1).concat([(r['L0_INT_CSTAT']! & r['L0_INT_ENB']!) !== 0, (r['L1_INT_CSTAT']! & r['L1_INT_ENB']!) !== 0]);
        };
        const { g0, g1, g2, g3, l0, l1 } = device.lines;
        return {
          device,
          irq: l0,
          clocks: [fin],
          irqFromRegisters: () => {
            const want = levels(stored());
            const have = [g0, g1, g2, g3, l0, l1].map((l) => l.level);
            for (const i of [0, 1, 2, 3, 5]) if (have[i] !== want[i]) throw new Error(`line ${i} is ${have[i]}, the registers say ${want[i]}`);
            return want[4]!;
          },
        };
      },
      {
        offsets: OFFSETS,
        region: 0x800,
        maxAdvance: 2_000,
        hzChoices: [0, 7, 1_000_000, 24_000_000, 25_000_000, 200_000_000],
        values: [0, 1, 2, 3, 5, 7, 0xf, 0x100, 0x103, 0x155, 0x1ff, 0x8000_0003, 0xffff_ffff, 0xffff_fffe],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });

  it('introspection: the lines by name, a probe per counter reading what the guest reads, the map registers', () => {
    const rig = makeRig();
    const { device } = rig;
    expect(Object.keys(device.lines)).toEqual(['g0', 'g1', 'g2', 'g3', 'l0', 'l1']);
    expect(Object.isFrozen(device.lines)).toBe(true);
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['gcnt', 64],
      ['l0.tcnto', 32],
      ['l0.icnto', 31],
      ['l0.frcnto', 32],
      ['l1.tcnto', 32],
      ['l1.icnto', 31],
      ['l1.frcnto', 32],
    ]);
    expect(device.registers.map((x) => x.name)).toEqual(EXYNOS4210_MCT_REGISTERS.registers.map((x) => x.name));
    rig.w(0x104, 3);
    rig.w(G_TCON, TIMER_ENABLE);
    rig.w(L(1, TCNTB), 5);
    rig.w(L(1, ICNTB), MANUAL_UPDATE | 9);
    rig.w(L(1, FRCNTB), 100);
    rig.w(L(1, TCON), TIMER_START | INT_START | FRC_START);
    rig.clock.advanceTo(13 * TICK + 1);
    const reads = [rig.gcnt(), ...[0x04, 0x0c, 0x14].map((reg) => BigInt(rig.r(L(1, reg))))];
    expect(reads).toEqual([0x3_0000_000dn, 4n, 7n, 87n]);
    expect([device.probes[0]!.read(), ...device.probes.slice(4).map((p) => p.read())]).toEqual(reads);
  });
});
