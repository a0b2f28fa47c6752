// The catalogue checks (test/support/deviceHarness.ts) on the i.MX GPT: the G1 read sweep around
// a compare in restart mode and in free-run mode, snapshot continuation, and random accesses with
// clock changes on the 'imx6' and 'imx6dl' layouts.
import { describe, expect, it } from 'vitest';
import { ImxGpt, type ImxGptVariant } from '../../../devices/imx-gpt';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { clksrc, CNT, CR, EN, EN_24M, ENMOD, FRR, HZ, IM1, IPG, IR, K32, OCR1, OCR2, OCR3, OF1, OF2, PR, prescaler24m, SR, SWR, TICK, WAITEN } from './rig';

const inputs = () => ({
  ipg: new ClockInput('ipg', HZ),
  ipgHighfreq: new ClockInput('hf', 24_000_000),
  ext: new ClockInput('ext', 1_000_000),
  ipg32k: new ClockInput('32k', 32_768),
  osc: new ClockInput('osc', 24_000_000),
});

const make = (clock: VirtualClock, delivery: TriggerDelivery = 'sync', variant: ImxGptVariant = 'imx6') => new ImxGpt(clock, { ...inputs(), variant, delivery });

/** Restart mode, OCR1 = 4: CNT reads 4 until E, then 0 with OF1 (X1). */
const restartProbe = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = make(clock, delivery);
  const E = 5 * TICK;
  return {
    expiry: E,
    start: () => {
      d.write(OCR1, 4, 4);
      d.write(IR, 4, OF1);
      d.write(CR, 4, IPG | ENMOD | EN);
    },
    readPair: () => [d.read(CNT, 4), (d.read(SR, 4) & OF1) !== 0],
    showsExpiry: (counter, at) => at >= E && counter !== 4,
  };
};

/** Free-run mode, OCR2 = 6: CNT reads 6 until E, then 7 with OF2. */
const freeRunProbe = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = make(clock, delivery);
  const E = 7 * TICK;
  return {
    expiry: E,
    start: () => {
      d.write(OCR2, 4, 6);
      d.write(IR, 4, OF2);
      d.write(CR, 4, IPG | FRR | ENMOD | EN);
    },
    readPair: () => [d.read(CNT, 4), (d.read(SR, 4) & OF2) !== 0],
    showsExpiry: (counter, at) => at >= E && counter !== 6,
  };
};

describe('ImxGpt against the catalogue checks', () => {
  describe.each([
    ['restart mode, OCR1', restartProbe],
    ['free-run mode, OCR2', freeRunProbe],
  ] as const)('%s', (_name, probe) => {
    it('G1: synchronous delivery: no read sees CNT and the flag disagree around a compare', () => {
      const r = sweepRace(probe, 'sync', 3 * TICK);
      expect(r.reads).toBe(2 * (6 * TICK + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the read queued after the edge at its instant sees CNT moved on but the flag clear', () => {
      expect(sweepRace(probe, 'bottom-half', 3 * TICK).where).toEqual(['E+0 after']);
    });
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // A Linux-like free-running clocksource with clockevents on OCR1, then restart-mode rounds,
    // a prescaler change, a switch to the 32 kHz clock, an SWR and bad accesses.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(CR, 0) },
      { at: 0, access: guestWrite(PR, 0) },
      { at: 0, access: guestWrite(CR, IPG | FRR | WAITEN | EN) },
      ...Array.from({ length: 60 }, (_, i) => ({ at: 3 + 37 * i, access: guestRead(i % 3 === 2 ? SR : CNT) })),
      { at: 100, access: guestWrite(IR, 0) },
      { at: 100, access: guestWrite(OCR1, 2) },
      { at: 100, access: guestWrite(SR, OF1) },
      { at: 100, access: guestWrite(IR, OF1) },
      { at: 150, access: guestWrite(OCR1, 30) },
      { at: 700, access: guestWrite(SR, OF1) },
      { at: 800, access: guestWrite(OCR3, 45) },
      { at: 1200, access: guestWrite(CR, IPG | ENMOD | EN | IM1(3)) },
      { at: 1201, access: guestWrite(OCR1, 9) },
      { at: 1500, access: guestWrite(SR, OF1) },
      { at: 1700, access: guestWrite(PR, 2) },
      { at: 1900, access: guestWrite(CR, K32 | ENMOD | EN) },
      { at: 2500, access: guestRead(0x28) },
      { at: 40_000, access: guestWrite(CR, IPG | EN | SWR) },
      { at: 40_100, access: guestWrite(OCR2, 3) },
    ];
    const rig = (clock: VirtualClock) => {
      const d = make(clock);
      return { device: d, irq: d.irq };
    };
    it.each([0, 99, 160, 650, 1000, 1201, 1350, 1800, 1950, 2600, 40_050])('at %i ns', (at) => {
      const { original, restored } = continuationDigests(rig, script, at, 140_000);
      expect(restored).toBe(original);
    });
  });

  describe.each<[ImxGptVariant, number[]]>([
    ['imx6', [IPG | ENMOD | EN, IPG | FRR | ENMOD | EN, clksrc(5) | FRR | EN, clksrc(7) | ENMOD | EN, K32 | EN]],
    ['imx6dl', [IPG | ENMOD | EN, clksrc(5) | EN_24M | FRR | ENMOD | EN, clksrc(5) | FRR | EN, prescaler24m(3) | 1]],
  ])('%s: random accesses, instants and clock changes', (variant, patterns) => {
    it('nothing throws, the line equals (SR & IR) != 0, runs are deterministic; most runs meet edges', () => {
      // Devices (two per run: the run and its replay) in which the counter met an edge.
      let active = 0;
      fuzzDevice(
        (clock) => {
          const clocks = inputs();
          const d = new ImxGpt(clock, { ...clocks, variant });
          // Each run starts from a counting GPT (restart mode, compares at 15 and 40), which its random steps then disturb.
          d.write(OCR2, 4, 15);
          d.write(OCR1, 4, 40);
          d.write(IR, 4, 0x3f);
          d.write(CR, 4, IPG | ENMOD | EN);
          let met = false;
          d.events$.subscribe((e) => {
            if (e.kind === 'expiry' && !met) {
              met = true;
              active++;
            }
          });
          return {
            device: d,
            irq: d.irq,
            clocks: Object.values(clocks),
            irqFromRegisters: () => {
              const r = d.snapshot().registers.registers;
              return (r.SR! & r.IR!) !== 0;
            },
          };
        },
        {
          // CR and the compare registers drawn more often (repeats weigh), and the enable patterns several times over: the counter runs and meets compares.
          offsets: [CR, CR, CR, PR, SR, IR, OCR1, OCR1, OCR2, OCR2, OCR3, CNT],
          region: 0x40,
          maxAdvance: 100_000,
          sizes: [4],
          values: [0, 1, 2, 3, 5, 20, 100, 0x3f, 0xffff_fff0, 0xffff_ffff, SWR | EN, ...patterns, ...patterns, ...patterns],
          hzChoices: [0, 1_000_000, 24_000_000, 66_000_000],
          runs: 150,
        },
      );
      expect(active).toBeGreaterThan(200); // 238 of the 301 devices measured, so a change that silences the counter fails here
    });
  });
});
