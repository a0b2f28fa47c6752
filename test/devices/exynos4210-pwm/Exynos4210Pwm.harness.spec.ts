// The catalogue checks (test/support/deviceHarness.ts) on the Exynos4210 PWM timers: the G1 read
// sweep on each timer (P8), the fuzz (with PCLK changes), and the introspection members (lines,
// probes, registers).
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_PWM_REGISTERS, Exynos4210Pwm } from '../../../devices/exynos4210-pwm';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { AUTO_RELOAD, INT_EN, INT_STAT, makeRig, MANUAL_UPDATE, START, TCFG0, TCFG1, TCMPB, TCNTB, TCNTO, TCON, TINT_CSTAT } from './rig';

const TIMERS = [0, 1, 2, 3, 4] as const;

describe('Exynos4210Pwm against the catalogue checks', () => {
  // 100 MHz PCLK, prescalers ÷1: 10 ns ticks; TCNTB 4 with auto-reload reaches 0 (the status) at E = 40 ns.
  const PERIOD = 10;
  const EXPIRY = 4 * PERIOD;
  const probe = (n: (typeof TIMERS)[number]) => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
    const device = new Exynos4210Pwm(clock, { pclk: new ClockInput('pclk', 100_000_000), delivery });
    return {
      expiry: EXPIRY,
      start: () => {
        device.write(TCFG0, 4, 0);
        device.write(TCNTB(n), 4, 4);
        device.write(TCON, 4, MANUAL_UPDATE(n));
        device.write(TINT_CSTAT, 4, INT_EN(n));
        device.write(TCON, 4, START(n) | AUTO_RELOAD(n));
      },
      readPair: () => [device.read(TCNTO(n), 4), (device.read(TINT_CSTAT, 4) & INT_STAT(n)) !== 0],
      // 4, 3, 2, 1, then 0 from the expiry (resting a tick), then 4 again after the expiry
      showsExpiry: (counter, when) => counter === 0 || when > EXPIRY,
    };
  };

  describe.each(TIMERS)('timer %i', (n) => {
    it('P8 G1: synchronous delivery: no read around the expiry sees TCNTO and the status disagree', () => {
      const r = sweepRace(probe(n), 'sync', 3 * PERIOD);
      expect(r.reads).toBe(2 * (6 * PERIOD + 1));
      expect(r.where).toEqual([]);
    });

    it('P8: legacy bottom half: the sweep finds the stale read at the expiry instant', () => {
      expect(sweepRace(probe(n), 'bottom-half', 3 * PERIOD).where).toEqual(['E+0 after']);
    });
  });

  const OFFSETS = [TCFG0, TCFG1, TCON, TINT_CSTAT, ...TIMERS.flatMap((n) => [TCNTB(n), TCNTO(n), ...(n < 4 ? [TCMPB(n)] : [])]), 0x48];
  const TCON_VALUES = [
    ...TIMERS.map((n) => MANUAL_UPDATE(n)),
    ...TIMERS.map((n) => START(n) | AUTO_RELOAD(n)),
    ...TIMERS.map((n) => START(n)),
    0x00ff_ffff & ~0xe0 & ~(1 << 23),
    START(0) | START(1) | START(2) | START(3) | START(4) | AUTO_RELOAD(0) | AUTO_RELOAD(3),
  ];

  it('random accesses, instants and PCLK rates: nothing throws, every line is STAT && EN, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const pclk = new ClockInput('pclk', 100_000_000);
        const device = new Exynos4210Pwm(clock, { pclk });
        return {
          device,
          irq: device.irq3,
          clocks: [pclk],
          irqFromRegisters: () => {
            const cstat = device.snapshot().registers.registers.TINT_CSTAT!;
            const level = (n: number): boolean => (cstat & INT_STAT(n)) !== 0 && (cstat & INT_EN(n)) !== 0;
            for (const n of [0, 1, 2, 4]) {
              const line = device.lines[`irq${n}` as 'irq0'];
              if (line.level !== level(n)) throw new Error(`irq${n} is ${line.level}, the registers say ${level(n)}`);
            }
            return level(3);
          },
        };
      },
      {
        offsets: OFFSETS,
        region: 0x100,
        maxAdvance: 2_000,
        hzChoices: [0, 7, 24_000_000, 100_000_000, 333_333_333, 1_000_000_000],
        values: [0, 1, 2, 3, 5, 0x1f, 0x3e0, 0x3ff, 0x101, 5 << 12, 0xffff_ffff, ...TCON_VALUES],
        sizes: [4, 4, 4, 1],
        runs: 300,
      },
    );
  });

  it('introspection: the lines by name, one probe per timer reading what TCNTO reads, the map registers', () => {
    const { device, clock, start, r } = makeRig();
    expect(device.lines).toEqual({ irq0: device.irq0, irq1: device.irq1, irq2: device.irq2, irq3: device.irq3, irq4: device.irq4 });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual(TIMERS.map((n) => [`timer${n}.count`, 32]));
    expect(device.registers.map((x) => x.name)).toEqual(EXYNOS4210_PWM_REGISTERS.registers.map((x) => x.name));
    start(2, 0xabcd_0005, true);
    clock.advanceTo(25);
    expect(device.probes[2]!.read()).toBe(BigInt(r(TCNTO(2))));
    expect(device.probes[2]!.read()).toBe(0xabcd_0003n);
    expect(device.probes[0]!.read()).toBe(0n);
  });
});
