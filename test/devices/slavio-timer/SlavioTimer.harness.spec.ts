// The catalogue checks (test/support/deviceHarness.ts) on the SLAVIO counter/timers: the G1 read
// sweep on the system counter and on a processor counter (X13), the fuzz (both modes of the
// processor counters, with clk changes), and the introspection members (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { SlavioTimer, slavioTimerRegisters, type SlavioTimerSnapshot } from '../../../devices/slavio-timer';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { COUNTER, countOf, cpu, HZ, LIMIT, limitFor, makeRig, REACHED, STEP, SYS, SYS_COUNTER, SYS_LIMIT, TIMER_CONFIG } from './rig';

// The sweep reads at every ns: a 100 MHz clk (10 ns steps) keeps it short; the instants are the same in steps.
const SWEEP_HZ = 100_000_000;
const SWEEP_STEP = 10;
const N = 8; // steps per period: the first match at 8 steps
const EXPIRY = N * SWEEP_STEP;
const SPAN = 3 * SWEEP_STEP;

/** The counter started with a period of N steps; the guest reads its counter word twice: the count, then limit reached. */
const probe = (which: 'system' | 'cpu1') => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const device = new SlavioTimer(clock, { cpus: 2, clk: new ClockInput('clk', SWEEP_HZ), delivery });
  const counter = which === 'system' ? SYS_COUNTER : cpu(1) + COUNTER;
  return {
    expiry: EXPIRY,
    start: () => {
      device.write(TIMER_CONFIG, 4, 0);
      device.write(which === 'system' ? SYS_LIMIT : cpu(1) + LIMIT, 4, limitFor(N));
    },
    readPair: () => [countOf(device.read(counter, 4)), device.read(counter, 4) >= REACHED],
    // The count reads N up to the match (also at it, before the expiry step), then 1, 2, …
    showsExpiry: (value, at) => at >= EXPIRY && value !== N,
  };
};

describe('SlavioTimer against the catalogue checks', () => {
  describe.each(['system', 'cpu1'] as const)('%s counter', (which) => {
    it('X13 G1: synchronous delivery: no read around the match sees the count and limit reached disagree', () => {
      const r = sweepRace(probe(which), 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the sweep finds the stale read at the match', () => {
      expect(sweepRace(probe(which), 'bottom-half', SPAN).where).toEqual(['E+0 after']);
    });
  });

  const map = slavioTimerRegisters(2, 'chip');
  const OFFSETS = map.registers.map((r) => r.offset).concat([0x10, 0x2000, SYS + 0x0c, SYS + 0x14]);

  it('random accesses in both modes, instants and clk rates: nothing throws, the lines match the limit-reached bits, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const clk = new ClockInput('clk', HZ);
        const device = new SlavioTimer(clock, { cpus: 2, clk });
        return {
          device,
          irq: device.systemIrq,
          clocks: [clk],
          irqFromRegisters: () => {
            const s = device.snapshot() as SlavioTimerSnapshot;
            const config = s.registers.registers['TIMER_CONFIG']!;
            device.processorIrqs.forEach((line, n) => {
              const want = s.reached[n + 1]! && ((config >>> n) & 1) === 0;
              if (line.level !== want) throw new Error(`cpu${n} line is ${line.level}, limit reached and TIMER_CONFIG say ${want}`);
            });
            return s.reached[0]!;
          },
        };
      },
      {
        offsets: OFFSETS,
        region: SYS + 0x1000,
        maxAdvance: 10_000,
        hzChoices: [0, 1_000_000, 2_000_000, 3_000_000],
        values: [0, 1, 2, 3, 0x200, limitFor(1), limitFor(2), limitFor(5), limitFor(13), 0x7fff_fe00, 0xffff_ffff, 0xffff_fe00],
        sizes: [4, 4, 4, 4, 1, 8],
        runs: 200,
      },
    );
  });

  it('introspection: the lines by name, a probe per counter reading what the guest reads, the map registers', () => {
    const rig = makeRig({ cpus: 2 });
    const { device } = rig;
    expect(device.lines).toEqual({ system: device.systemIrq, cpu0: device.processorIrqs[0], cpu1: device.processorIrqs[1] });
    expect(device.processorIrqs.map((l) => l.name)).toEqual(['slavio-timer.cpu0', 'slavio-timer.cpu1']);
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['system.count', 22],
      ['cpu0.count', 54],
      ['cpu1.count', 54],
    ]);
    expect(device.registers).toEqual(map.registers.map((r) => ({ name: r.name, offset: r.offset, size: 4 })));
    rig.w(SYS_LIMIT, limitFor(1_000));
    rig.w(TIMER_CONFIG, 2);
    rig.w(cpu(1) + LIMIT, 0x40); // the user timer's most significant word
    rig.clock.advanceTo(25 * STEP + 1);
    expect(device.probes[0]!.read()).toBe(BigInt(countOf(rig.r(SYS_COUNTER))));
    expect(device.probes.map((p) => p.read())).toEqual([26n, 25n, (0x40n << 23n) + 25n]);
    expect(rig.events).toEqual([]); // probes read nothing through the bus
  });
});
