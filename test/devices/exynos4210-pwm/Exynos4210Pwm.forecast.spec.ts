// The probes' forecasts (#15): a waveform draws, at every ns, the count a guest read of TCNTOn
// returns then: across reloads, a TCNTB write in the tick at 0 after an interrupt (where the
// count reads 0 though the ptimer shows more, P4), prescaler and divider changes mid-count, a
// manual update held, a stop, and a one-shot count resting at 0. 100 MHz: a cycle is 10 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { AUTO_RELOAD, makeRig, MANUAL_UPDATE, START, TCFG0, TCFG1, TCNTB, TCNTO, TCON, type Rig } from './rig';

const checks = (rig: Rig, timers: readonly number[]) =>
  timers.map((n) => ({ probe: probeNamed(rig.device, `timer${n}.count`), truth: () => BigInt(rig.r(TCNTO(n))) }));

describe('Exynos4210Pwm probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: TCNTOn at every ns equals a guest read, through the tick at 0, prescaler and divider changes, a hold and a stop', (delivery) => {
    const rig = makeRig({ delivery });
    rig.start(4, 7, true);
    rig.start(0, 20, false); // one-shot: rests at 0
    rig.clock.advanceTo(73); // in the tick at 0 after timer 4's interrupt at 70
    rig.w(TCNTB(4), 5);
    let changes = expectForecastsHold(rig.clock, checks(rig, [0, 4]), 400);
    expect(changes['timer4.count']).toBeGreaterThan(30);
    expect(changes['timer0.count']).toBe(13); // 13 at 73 ns, one less per 10 ns, resting at 0
    expect(rig.r(TCNTO(0))).toBe(0);
    // Prescaler 0 (timers 0, 1) to ÷3 and timer 4's divider to ÷4, mid-count.
    rig.start(0, 50, true);
    rig.clock.advanceTo(455);
    rig.w(TCFG0, 2);
    rig.w(TCFG1, 2 << 16);
    changes = expectForecastsHold(rig.clock, checks(rig, [0, 4]), 3_000);
    expect([changes['timer0.count']! > 20, changes['timer4.count']! > 20]).toEqual([true, true]);
    // A manual update held: the count is TCNTB and does not move; then a stop holds it where it is.
    rig.w(TCON, rig.r(TCON) | MANUAL_UPDATE(0));
    rig.w(TCON, (rig.r(TCON) & ~START(4) & ~AUTO_RELOAD(4)) >>> 0);
    changes = expectForecastsHold(rig.clock, checks(rig, [0, 4]), 4_000);
    expect([changes['timer0.count'], changes['timer4.count']]).toEqual([0, 0]);
  });
});
