// The probes' forecasts (#15): a waveform draws, at every ns, the TCNT a guest read returns then
// (the ptimer holds TCNT + 1): across underflows reloading TCOR, a TCNT write while counting, a
// change of the count source (Pφ/4 to Pφ/16, then the RTC clock) and a stop (TSTR).
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { makeRig, PCLK_16, PCLK_4, RTC, tcnt, tcor, tcr, TSTR, type Rig } from './rig';

const checks = (rig: Rig) => [0, 1].map((n) => ({ probe: probeNamed(rig.device, `tmu${n}.tcnt`), truth: () => BigInt(rig.r32(tcnt(n))) }));

describe('ShTmu probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: TCNT at every ns equals a guest read, across reloads, writes, source changes and a stop', (delivery) => {
    const rig = makeRig({ delivery });
    for (const n of [0, 1]) {
      rig.w32(tcor(n), 20 + 30 * n);
      rig.w32(tcnt(n), 20 + 30 * n);
      rig.w16(tcr(n), PCLK_4);
    }
    rig.w8(TSTR, 0b011);
    let changes = expectForecastsHold(rig.clock, checks(rig), 4_000);
    expect([changes['tmu0.tcnt']! > 20, changes['tmu1.tcnt']! > 20]).toEqual([true, true]);
    rig.w32(tcnt(0), 3);
    rig.w16(tcr(1), PCLK_16);
    changes = expectForecastsHold(rig.clock, checks(rig), 9_000);
    expect([changes['tmu0.tcnt']! > 20, changes['tmu1.tcnt']! > 5]).toEqual([true, true]);
    rig.w16(tcr(1), RTC);
    rig.w8(TSTR, 0b010); // channel 0 stops
    changes = expectForecastsHold(rig.clock, checks(rig), 10_000);
    expect(changes['tmu0.tcnt']).toBe(0);
  });
});
