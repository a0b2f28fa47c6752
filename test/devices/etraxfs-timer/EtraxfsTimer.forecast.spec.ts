// The probes' forecasts (#15): a waveform draws, at every ns, what a guest read returns then:
// rw_tmr0_data and rw_tmr1_data across ld, run and hold; the watchdog's cnt field of r_wd_stat
// (the stored value while stopped, the count + 1 while counting, the last step, 0 once bitten);
// r_time, the free-running count of f100 cycles, across a change of f100's rate.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CTRL, ctrl, DATA, DIV, HOLD, LD, makeRig, R_TIME, RUN, wd, WD_CTRL, WD_STAT, WD_STEP_NS, type Rig } from './rig';

const checks = (rig: Rig) => [
  { probe: probeNamed(rig.device, 'tmr0.data'), truth: () => BigInt(rig.r(DATA[0])) },
  { probe: probeNamed(rig.device, 'tmr1.data'), truth: () => BigInt(rig.r(DATA[1])) },
  { probe: probeNamed(rig.device, 'watchdog.cnt'), truth: () => BigInt(rig.r(WD_STAT) & 0xff) },
  { probe: probeNamed(rig.device, 'time'), truth: () => BigInt(rig.r(R_TIME)) },
];

describe('EtraxfsTimer probes: forecasts (#15)', () => {
  it('the timers, the watchdog count and r_time equal guest reads at every ns', () => {
    const rig = makeRig();
    rig.w(DIV[0], 100);
    rig.w(CTRL[0], ctrl(LD));
    rig.w(CTRL[0], ctrl(RUN));
    rig.w(DIV[1], 7);
    rig.w(CTRL[1], ctrl(LD));
    rig.w(CTRL[1], ctrl(RUN));
    rig.w(WD_CTRL, wd(3, 1, 0x55));
    let changes = expectForecastsHold(rig.clock, checks(rig), 5_000);
    expect([changes['tmr0.data']! > 50, changes['tmr1.data']! > 50, changes['time']! > 400]).toEqual([true, true, true]);
    // Timer 0 held, f100 halved: r_time goes on at the new rate from where it was.
    rig.w(CTRL[0], ctrl(HOLD));
    rig.f100.setHz(50_000_000);
    changes = expectForecastsHold(rig.clock, checks(rig), 8_000);
    expect([changes['tmr0.data'], changes['time']! > 100]).toEqual([0, true]);
  });

  it('the watchdog count through its steps to the bite equals r_wd_stat.cnt around each step', () => {
    const rig = makeRig();
    rig.w(WD_CTRL, wd(3, 1, 0x55));
    // A step is 1.3 ms: the instants around each step's edge, and some between.
    const instants = [1, 2, 3].flatMap((k) => [k * WD_STEP_NS - 400_000, ...Array.from({ length: 7 }, (_, i) => k * WD_STEP_NS - 3 + i)]);
    const changes = expectForecastsHold(rig.clock, checks(rig).slice(2, 3), 3 * WD_STEP_NS + 3, instants);
    expect(changes['watchdog.cnt']).toBe(3); // 3, 2, 1, then 0 once bitten
    expect(rig.r(WD_STAT)).toBe(0x100);
  });
});
