// The catalogue checks (test/support/deviceHarness.ts) on the GPTIMER: the G1 read sweep around
// an underflow (X8) of a timer counting ticks and of a chained timer, the fuzz (both revisions,
// shared and separate interrupts, with clock changes), and the introspection members.
import { describe, expect, it } from 'vitest';
import { GrlibGptimer, grlibGptimerRegisters } from '../../../devices/grlib-gptimer';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { CH, CYCLE, EN, IE, IP, LD, makeRig, RS, SCALER, SRELOAD, tcnt, tctrl, trld } from './rig';

const START = EN | RS | LD | IE;
/** SRELOAD 1, TRLDVAL 3: the first underflow 2 + 3·2 = 8 cycles after the start. */
const EXPIRY = 8 * CYCLE;
const SPAN = 3 * CYCLE;

/**
 * Timer n started periodic from 3 (timer 2 chained to timer 1 from 0 when `chained`: it
 * underflows with timer 1's first underflow); the guest reads TCNTVALn, then TCTRLn.IP.
 */
const probe = (n: number, chained: boolean) => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const device = new GrlibGptimer(clock, { clk: new ClockInput('clk', 40_000_000), delivery });
  return {
    expiry: EXPIRY,
    start: () => {
      device.write(SRELOAD, 4, 1);
      device.write(trld(n), 4, 3);
      if (chained) {
        device.write(tctrl(n), 4, EN | RS | IE | CH);
        device.write(trld(1), 4, 3);
        device.write(tctrl(1), 4, EN | RS | LD);
      } else {
        device.write(tctrl(n), 4, START);
      }
    },
    readPair: () => [device.read(tcnt(n), 4), (device.read(tctrl(n), 4) & IP) !== 0],
    // The value reads 0 up to the underflow (also at it, before the expiry step), then the reloaded 3.
    showsExpiry: (value, at) => at >= EXPIRY && value !== 0,
  };
};

describe('GrlibGptimer against the catalogue checks', () => {
  describe.each([
    ['timer 1', 1, false],
    ['timer 3', 3, false],
    ['timer 2 chained to timer 1', 2, true],
  ] as const)('%s', (_name, n, chained) => {
    it('X8 G1: synchronous delivery: no read around the underflow sees the value and IP disagree', () => {
      const r = sweepRace(probe(n, chained), 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it(chained ? 'legacy bottom half: none either: a chained timer\'s value and IP both change in the delivery (X7)' : 'legacy bottom half: the sweep finds the stale read at the underflow', () => {
      expect(sweepRace(probe(n, chained), 'bottom-half', SPAN).where).toEqual(chained ? [] : ['E+0 after']);
    });
  });

  describe.each([
    ['revision 1, separate interrupts', { revision: 1 as const, separateInterrupts: true }],
    ['revision 0, a shared interrupt, 8-bit prescaler, 3 timers', { revision: 0 as const, separateInterrupts: false, scalerBits: 8, timers: 3 }],
  ])('%s', (_name, options) => {
    const layout = { timers: 4, scalerBits: 16, irq: 8, ...options };
    const map = grlibGptimerRegisters(layout);
    const offsets = map.registers.map((r) => r.offset).concat([0x0c, 0x1c, 0x10 * (layout.timers + 1), 0xffc]);
    it('random accesses, instants and clock rates: nothing throws, the lines match the IP bits, runs are deterministic', () => {
      fuzzDevice(
        (clock) => {
          const clk = new ClockInput('clk', 40_000_000);
          const device = new GrlibGptimer(clock, { clk, ...options });
          const pending = (): boolean[] => {
            const r = device.snapshot().registers.registers;
            return Array.from({ length: layout.timers }, (_, i) => (r[`TCTRL${i + 1}`]! & IP) !== 0);
          };
          return {
            device,
            irq: device.irqs[0]!,
            clocks: [clk],
            irqFromRegisters: () => {
              const ip = pending();
              if (!options.separateInterrupts) return ip.some(Boolean);
              device.irqs.forEach((line, i) => {
                if (line.level !== ip[i]) throw new Error(`${line.name} is ${line.level}, TCTRL${i + 1}.IP is ${ip[i]}`);
              });
              return ip[0]!;
            },
          };
        },
        {
          offsets,
          region: 0x1000,
          maxAdvance: 2_000,
          hzChoices: [0, 7, 1_000_000, 24_000_000, 40_000_000, 48_000_000],
          values: [0, 1, 2, 3, 5, 7, 0xffff_ffff, START, START | CH, EN | RS | IE | IP, EN | IE, EN | CH, RS | IE, LD, IP],
          sizes: [4, 4, 4, 1],
          runs: 150,
        },
      );
    });
  });

  it('introspection: the lines by name, a probe per timer and the prescaler reading what the guest reads, the map registers', () => {
    const rig = makeRig();
    const { device } = rig;
    expect(device.lines).toEqual({ irq8: device.irqs[0], irq9: device.irqs[1], irq10: device.irqs[2], irq11: device.irqs[3] });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer1.value', 32],
      ['timer2.value', 32],
      ['timer3.value', 32],
      ['timer4.value', 32],
      ['scaler', 16],
    ]);
    expect(device.registers.map((x) => x.name)).toEqual(grlibGptimerRegisters(device.layout).registers.map((x) => x.name));
    rig.w(SRELOAD, 9);
    rig.w(trld(2), 1_000);
    rig.w(tctrl(2), EN | LD);
    rig.clock.advanceTo(255 * CYCLE + 7);
    expect(device.probes[1]!.read()).toBe(BigInt(rig.r(tcnt(2))));
    expect(device.probes[1]!.read()).toBe(975n);
    expect(device.probes[4]!.read()).toBe(BigInt(rig.r(SCALER)));
    expect(device.probes[4]!.read()).toBe(4n);
  });
});
