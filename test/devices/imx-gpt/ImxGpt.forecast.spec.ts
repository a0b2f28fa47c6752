// The probes' forecasts (#15): a waveform draws, at every ns, the CNT a guest read returns then:
// the up-counter in restart mode across compare edges, in free-run mode, with the prescaler
// changed mid-count, frozen by EN 0 and resumed (ENMOD 0). ipg at 50 MHz: a cycle is 20 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CNT, CR, EN, ENMOD, FRR, IPG, IR, makeRig, OCR1, OF1, PR, type Rig } from './rig';

const checks = (rig: Rig) => [{ probe: probeNamed(rig.device, 'counter'), truth: () => BigInt(rig.r(CNT)) }];

describe('ImxGpt probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: CNT at every ns equals a guest read, through restart edges, free-run, a prescaler change and a freeze', (delivery) => {
    const rig = makeRig({ delivery });
    rig.w(OCR1, 30);
    rig.w(IR, OF1);
    rig.w(CR, IPG | ENMOD | EN); // restart mode: back to 0 after OCR1
    let changes = expectForecastsHold(rig.clock, checks(rig), 3_000);
    expect(changes['counter']).toBeGreaterThan(100);
    rig.w(CR, IPG | FRR | ENMOD | EN); // free-run: on past OCR1
    rig.w(PR, 4); // ÷5 from now
    changes = expectForecastsHold(rig.clock, checks(rig), 8_000);
    expect(changes['counter']).toBeGreaterThan(40);
    rig.w(CR, IPG | FRR); // EN 0 with ENMOD 0: frozen
    changes = expectForecastsHold(rig.clock, checks(rig), 9_000);
    expect(changes['counter']).toBe(0);
    rig.w(CR, IPG | FRR | EN); // resumes from the frozen value
    changes = expectForecastsHold(rig.clock, checks(rig), 12_000);
    expect(changes['counter']).toBeGreaterThan(20);
  });
});
