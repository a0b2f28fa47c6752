// The probe's forecast (#15): a waveform draws, at every ns, the CURTICCNT a guest read returns
// then: across reloads of TICCNT, a TICCNT write in the tick at 0 (where it reads 0), a change
// of TICCKSEL mid-count, and TICEN 0 holding the count. The crystal runs at 10 MHz here so that
// a tick is 100 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CURTICCNT, makeRig, RTCCON, TICCKSEL, TICCNT, TICEN, type Rig } from './rig';

const checks = (rig: Rig) => [{ probe: probeNamed(rig.device, 'tick.count'), truth: () => BigInt(rig.r(CURTICCNT)) }];

describe('Exynos4210Rtc probe: forecast (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: CURTICCNT at every ns equals a guest read, through reloads, the tick at 0, TICCKSEL and TICEN', (delivery) => {
    const rig = makeRig({ delivery, hz: 10_000_000 });
    rig.w(TICCNT, 5);
    rig.w(RTCCON, TICEN);
    let changes = expectForecastsHold(rig.clock, checks(rig), 1_730); // 5 at 0, an interrupt every 600 ns from 500: in the tick at 0 after the 3rd (1700 … 1800)
    expect(changes['tick.count']).toBeGreaterThan(10);
    rig.w(TICCNT, 9);
    expect(rig.r(CURTICCNT)).toBe(0);
    changes = expectForecastsHold(rig.clock, checks(rig), 5_000);
    expect(changes['tick.count']).toBeGreaterThan(20);
    rig.w(RTCCON, TICEN | TICCKSEL(2)); // ÷4
    changes = expectForecastsHold(rig.clock, checks(rig), 12_000);
    expect(changes['tick.count']).toBeGreaterThan(10);
    rig.w(RTCCON, TICCKSEL(2)); // TICEN 0: held
    changes = expectForecastsHold(rig.clock, checks(rig), 13_000);
    expect(changes['tick.count']).toBe(0);
  });
});
