// The probes' forecasts (#15): a waveform draws, at every ns, the 16-bit timestamp counter a
// guest sees then (Versal's TSR bits 31:16, the value ZynqMP latches into a received frame):
// held at 0 until CEN, counting up through its 16-bit wrap, cleared by TCR/TSR.CTS.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { CEN, makeRig, SRR, TCR } from './rig';

describe('XlnxCanTimestamp probes: forecasts (#15)', () => {
  it.each(['zynqmp', 'versal'] as const)('%s: the timestamp at every ns equals what the guest sees, across its wrap and a clear', (variant) => {
    const rig = makeRig({ variant, hz: 1_000_000_000 }); // one count per ns: the 16-bit wrap in 65.5 µs
    const checks = [{ probe: probeNamed(rig.device, 'timestamp'), truth: () => BigInt(rig.stamp()) }];
    let changes = expectForecastsHold(rig.clock, checks, 1_000);
    expect(changes['timestamp']).toBe(0);
    rig.w(SRR, CEN);
    rig.clock.advanceTo(64_000);
    changes = expectForecastsHold(rig.clock, checks, 68_000);
    expect(changes['timestamp']).toBeGreaterThan(3_000);
    expect(rig.stamp()).toBeLessThan(3_000); // wrapped
    rig.w(TCR, 1); // CTS: back to 0
    changes = expectForecastsHold(rig.clock, checks, 69_000);
    expect(changes['timestamp']).toBeGreaterThan(900);
  });
});
