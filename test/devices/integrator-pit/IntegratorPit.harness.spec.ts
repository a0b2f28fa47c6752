// The catalogue checks (test/support/deviceHarness.ts) on the Integrator/CP counter/timers: the
// G1 read sweep on each timer, the fuzz (with TIMCLK changes), and the introspection members
// (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { INTEGRATOR_PIT_REGISTERS, IntegratorPit } from '../../../devices/integrator-pit';
import { ClockInput, VirtualClock } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { at, BGLOAD, CONTROL, ENABLE, IE, INTCLR, LOAD, makeRig, MIS, PERIODIC, RIS, SIZE32, VALUE } from './rig';

describe('IntegratorPit against the catalogue checks', () => {
  // 100 MHz TIMCLK on every timer: 10 ns ticks; Load 4 periodic reaches 0 (RIS) at E = 40 ns.
  const PERIOD = 10;
  const EXPIRY = 4 * PERIOD;
  const probe = (n: 0 | 1 | 2) => (clock: VirtualClock, delivery: 'sync' | 'bottom-half'): RaceProbe => {
    const device = new IntegratorPit(clock, { timclk: new ClockInput('timclk', 100_000_000), delivery });
    return {
      expiry: EXPIRY,
      start: () => {
        device.write(at(n, LOAD), 4, 4);
        device.write(at(n, CONTROL), 4, ENABLE | PERIODIC | IE | SIZE32);
      },
      readPair: () => [device.read(at(n, VALUE), 4), device.read(at(n, RIS), 4) === 1],
      showsExpiry: (counter, when) => counter === 0 || when > EXPIRY,
    };
  };

  describe.each([0, 1, 2] as const)('timer %i', (n) => {
    it('G1: synchronous delivery: no read around the expiry sees Value and RIS disagree', () => {
      const r = sweepRace(probe(n), 'sync', 3 * PERIOD);
      expect(r.reads).toBe(2 * (6 * PERIOD + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the sweep finds the stale read at the expiry instant', () => {
      expect(sweepRace(probe(n), 'bottom-half', 3 * PERIOD).where).toEqual(['E+0 after']);
    });
  });

  const OFFSETS = [LOAD, VALUE, CONTROL, INTCLR, RIS, MIS, BGLOAD].flatMap((o) => [at(0, o), at(1, o), at(2, o)]).concat([0x300, 0xfe0]);

  it('random accesses, instants and TIMCLK rates: nothing throws, the lines match the status registers, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const timclk = [new ClockInput('t0', 10_000_000_000), new ClockInput('t1', 1_000_000_000), new ClockInput('t2', 1_000_000)] as const;
        const device = new IntegratorPit(clock, { timclk });
        const stored = (): Record<string, number> => device.snapshot().registers.registers;
        return {
          device,
          irq: device.timint1,
          clocks: timclk,
          irqFromRegisters: () => {
            const r = stored();
            for (const [k, line] of [device.timint0, device.timint2].entries()) {
              const t = k === 0 ? 0 : 2;
              const expected = (r[`Timer${t}RIS`]! & 1) === 1 && (r[`Timer${t}Control`]! & IE) !== 0;
              if (line.level !== expected) throw new Error(`TIMINT${t} is ${line.level}, the registers say ${expected}`);
            }
            return (r.Timer1RIS! & 1) === 1 && (r.Timer1Control! & IE) !== 0;
          },
        };
      },
      {
        offsets: OFFSETS,
        region: 0x1000,
        maxAdvance: 100_000,
        hzChoices: [0, 7, 1_000_000, 333_333_333, 1_000_000_000, 10_000_000_000],
        values: [0, 1, 2, 5, 0xffff, 0xffff_ffff, 0xe2, 0xe3, 0xc2, 0xa3, 0x80, 0x84, 0x88, 0x8c],
        sizes: [4, 4, 4, 1],
        runs: 300,
      },
    );
  });

  it('introspection: the lines by name, one probe per timer reading what Value reads, the map registers', () => {
    const { device, w, r, clock } = makeRig();
    expect(device.lines).toEqual({ timint0: device.timint0, timint1: device.timint1, timint2: device.timint2 });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer0.value', 32],
      ['timer1.value', 32],
      ['timer2.value', 32],
    ]);
    expect(device.registers.map((x) => x.name)).toEqual(INTEGRATOR_PIT_REGISTERS.registers.map((x) => x.name));
    w(at(2, LOAD), 0xabcd_0005);
    w(at(2, CONTROL), ENABLE | PERIODIC); // 16-bit: Value[31:16] held
    clock.advanceTo(2_500);
    expect(device.probes[2]!.read()).toBe(BigInt(r(at(2, VALUE))));
    expect(device.probes[2]!.read()).toBe(0xabcd_0003n);
    expect(device.probes[0]!.read()).toBe(0xffff_ffffn);
  });
});
