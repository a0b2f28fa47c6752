// The catalogue checks (test/support/deviceHarness.ts) on the MSS timer: the G1 read sweep on
// each counter (X13), the fuzz (both modes, with PCLK0 changes), and the introspection members
// (lines, probes, registers).
import { describe, expect, it } from 'vitest';
import { MSS_TIMER_REGISTERS, MssTimer } from '../../../devices/mss-timer';
import { ClockInput, VirtualClock, type TriggerDelivery } from '../../../index';
import { fuzzDevice, sweepRace, type RaceProbe } from '../../support/deviceHarness';
import { CTRL, ENABLE, INTEN, LOADVAL, makeRig, read64, RIS, TICK, tim, TIM64_CTRL, TIM64_LOADVAL_L, TIM64_LOADVAL_U, TIM64_MODE, TIM64_RIS, TIM64_VAL_L, VAL } from './rig';

const RUN = INTEN | ENABLE;
const N = 4; // LOADVAL: the first zero at 4 ticks
const EXPIRY = N * TICK;
const SPAN = 3 * TICK;

type Counter = 'timer1' | 'timer2' | 'timer64';

/** The counter started periodic with LOADVAL N; the guest reads its value register, then its RIS. */
const probe = (counter: Counter) => (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const device = new MssTimer(clock, { pclk: new ClockInput('pclk', 100_000_000), delivery });
  const n = counter === 'timer2' ? 2 : 1;
  return {
    expiry: EXPIRY,
    start: () => {
      if (counter === 'timer64') {
        device.write(TIM64_MODE, 4, 1);
        device.write(TIM64_LOADVAL_U, 4, 0);
        device.write(TIM64_LOADVAL_L, 4, N);
        device.write(TIM64_CTRL, 4, RUN);
      } else {
        device.write(tim(n, LOADVAL), 4, N);
        device.write(tim(n, CTRL), 4, RUN);
      }
    },
    readPair: () =>
      counter === 'timer64'
        ? [device.read(TIM64_VAL_L, 4), device.read(TIM64_RIS, 4) === 1]
        : [device.read(tim(n, VAL), 4), device.read(tim(n, RIS), 4) === 1],
    // The count reads 1 up to the zero (also at it, before the expiry step), then the reloaded N, N - 1, …
    showsExpiry: (value, at) => at >= EXPIRY && value !== 1,
  };
};

describe('MssTimer against the catalogue checks', () => {
  describe.each(['timer1', 'timer2', 'timer64'] as const)('%s', (counter) => {
    it('X13 G1: synchronous delivery: no read around the zero sees the count and RIS disagree', () => {
      const r = sweepRace(probe(counter), 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the sweep finds the stale read at the zero', () => {
      expect(sweepRace(probe(counter), 'bottom-half', SPAN).where).toEqual(['E+0 after']);
    });
  });

  const OFFSETS = MSS_TIMER_REGISTERS.registers.map((r) => r.offset).concat([0x58, 0xffc]);

  it('random accesses in both modes, instants and PCLK0 rates: nothing throws, the lines match the status registers, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const pclk = new ClockInput('pclk', 100_000_000);
        const device = new MssTimer(clock, { pclk });
        const stored = (): Record<string, number> => device.snapshot().registers.registers;
        const raised = (r: Record<string, number>, ris: string, ctrl: string): boolean => (r[ris]! & 1) === 1 && (r[ctrl]! & INTEN) !== 0;
        return {
          device,
          irq: device.timer1int,
          clocks: [pclk],
          irqFromRegisters: () => {
            const r = stored();
            const two = raised(r, 'TIM2_RIS', 'TIM2_CTRL');
            if (device.timer2int.level !== two) throw new Error(`TIMER2INT is ${device.timer2int.level}, the registers say ${two}`);
            return raised(r, 'TIM1_RIS', 'TIM1_CTRL') || raised(r, 'TIM64_RIS', 'TIM64_CTRL');
          },
        };
      },
      {
        offsets: OFFSETS,
        region: 0x1000,
        maxAdvance: 10_000,
        hzChoices: [0, 7, 1_000_000, 71_000_000, 100_000_000, 400_000_000],
        values: [0, 1, 2, 3, 5, 7, 100, 0xffff_ffff, RUN, RUN | 2, ENABLE, 2],
        sizes: [4, 4, 4, 1],
        runs: 200,
      },
    );
  });

  it('introspection: the lines by name, a probe per counter reading what the guest reads, the map registers', () => {
    const rig = makeRig();
    const { device } = rig;
    expect(device.lines).toEqual({ timer1int: device.timer1int, timer2int: device.timer2int });
    expect(device.probes.map((p) => [p.name, p.width])).toEqual([
      ['timer1.value', 32],
      ['timer2.value', 32],
      ['timer64.value', 64],
    ]);
    expect(device.registers.map((x) => x.name)).toEqual(MSS_TIMER_REGISTERS.registers.map((x) => x.name));
    rig.w(tim(2, LOADVAL), 1_000);
    rig.w(tim(2, CTRL), ENABLE);
    rig.clock.advanceTo(25 * TICK + 1);
    expect(device.probes[1]!.read()).toBe(BigInt(rig.r(tim(2, VAL))));
    expect(device.probes[1]!.read()).toBe(975n);
    rig.w(TIM64_MODE, 1);
    rig.w(TIM64_LOADVAL_U, 3);
    rig.w(TIM64_LOADVAL_L, 4);
    expect(device.probes[2]!.read()).toBe(read64(rig));
    expect(device.probes.map((p) => p.read())).toEqual([0n, 0n, 0x3_0000_0004n]);
  });
});
