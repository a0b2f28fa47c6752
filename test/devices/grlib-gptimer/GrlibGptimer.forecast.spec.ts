// The probes' forecasts (#15): a waveform draws, at every ns, the value a guest read of TCNTVALn
// and SCALER returns then. The timers' values change once per SRELOAD + 1 cycles of their
// ptimers' counts (a coarse mapping) and SCALER once per cycle, from where it was loaded: the
// checks step through prescaler rewrites, a stopped and a chained timer, a long first tick
// (X10), a clock change and QEMU timing. 40 MHz: one cycle is 25 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CH, EN, IE, LD, makeRig, RS, SCALER, SRELOAD, tcnt, tctrl, trld, type Rig } from './rig';

/** The three probes with guest reads of their registers as the truth. */
const checks = (rig: Rig) => [
  { probe: probeNamed(rig.device, 'timer1.value'), truth: () => BigInt(rig.r(tcnt(1))) },
  { probe: probeNamed(rig.device, 'timer2.value'), truth: () => BigInt(rig.r(tcnt(2))) },
  { probe: probeNamed(rig.device, 'scaler'), truth: () => BigInt(rig.r(SCALER)) },
];

describe('GrlibGptimer probes: forecasts (#15)', () => {
  it.each(['exact', 'qemu'] as const)('%s timing: the values at every ns equal guest reads, across SRELOAD and SCALER writes, EN 0 and a chained timer', (timing) => {
    const rig = makeRig({ timing, hz: timing === 'qemu' ? 48_000_000 : 40_000_000 });
    rig.w(SRELOAD, 3); // a tick every 4 cycles
    rig.w(trld(1), 5);
    rig.w(tctrl(1), EN | RS | LD | IE);
    rig.w(trld(2), 2);
    rig.w(tctrl(2), EN | RS | LD | CH); // counts timer 1's underflows
    let changes = expectForecastsHold(rig.clock, checks(rig), 3_000);
    expect(changes['timer1.value']).toBeGreaterThan(20);
    expect(changes['timer2.value']).toBeGreaterThan(3);
    expect(changes['scaler']).toBeGreaterThan(80);
    // A slower prescaler: a value now lasts 200 cycles (5 µs), far more counts than a step-through sees.
    rig.w(SRELOAD, 199);
    // Coarse: the forecast's next change is the value's, 200 counts on, not a count where it reads the same.
    const f = probeNamed(rig.device, 'timer1.value').forecast();
    const next = f.nextChange(rig.clock.now())!;
    expect(f.valueAt(next)).not.toBe(f.valueAt(next - 1));
    changes = expectForecastsHold(rig.clock, checks(rig), 30_000);
    expect(changes['timer1.value']).toBeGreaterThanOrEqual(4);
    // SCALER above SRELOAD (X10): the next tick is that many cycles away.
    rig.w(SCALER, 1_000);
    expectForecastsHold(rig.clock, checks(rig), 60_000);
    // Timer 1 stopped: its value holds, timer 2 (chained) with it; the prescaler runs while one is enabled.
    rig.w(tctrl(1), RS);
    changes = expectForecastsHold(rig.clock, checks(rig), 65_000);
    expect([changes['timer1.value'], changes['timer2.value']]).toEqual([0, 0]);
    // Enabled again, and the clock halved mid-count.
    rig.w(tctrl(1), EN | RS | IE);
    expectForecastsHold(rig.clock, checks(rig), 70_000);
    rig.clk.setHz(rig.clk.hz / 2);
    changes = expectForecastsHold(rig.clock, checks(rig), 100_000);
    expect(changes['timer1.value']).toBeGreaterThanOrEqual(2);
  });
});
