// The probes' forecasts (#15): a waveform draws, at every ns, the TCN a guest read returns then:
// the up-counter shown as TRR + 1 less its ptimer's count, in restart and free-run mode, with
// the prescaler (PS) and the ÷16 input changed mid-count, held (CLK 00) and resumed. 25 MHz:
// a step of CLK1 with PS 0 is 40 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CLK1, CLK16, CLK_STOP, FRR, makeRig, ORI, program, PS, RST, TCN, TMR, TRR, type Rig } from './rig';

const checks = (rig: Rig) => [1, 2].map((n) => ({ probe: probeNamed(rig.device, `timer${n}.tcn`), truth: () => BigInt(rig.r(TCN(n as 1 | 2))) }));

describe('Mcf5206Timer probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: TCN at every ns equals a guest read, across references, prescaler changes and a hold', (delivery) => {
    const rig = makeRig({ delivery });
    program(rig, 1, 9, ORI | FRR | CLK1 | RST); // restart mode: 0 … 9
    program(rig, 2, 5, ORI | CLK1 | RST); // free-run: on past TRR
    let changes = expectForecastsHold(rig.clock, checks(rig), 3_000);
    expect([changes['timer1.tcn']! > 50, changes['timer2.tcn']! > 50]).toEqual([true, true]);
    rig.w(TMR(1), ORI | FRR | CLK1 | PS(2) | RST); // ÷3 from here
    rig.w(TMR(2), ORI | CLK16 | RST); // the ÷16 input
    rig.w(TRR(1), 4);
    changes = expectForecastsHold(rig.clock, checks(rig), 8_000);
    expect([changes['timer1.tcn']! > 20, changes['timer2.tcn']! > 5]).toEqual([true, true]);
    rig.w(TMR(1), ORI | FRR | CLK_STOP | RST);
    changes = expectForecastsHold(rig.clock, checks(rig), 9_000);
    expect(changes['timer1.tcn']).toBe(0);
  });
});
