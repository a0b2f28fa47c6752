// The probes' forecasts (#15): a waveform draws, at every ns, IRQDelaySts (DMASR bits 31:24) as a
// guest read returns it then: 0 while the delay timer is off, the units since a packet's end
// while it counts, restarted by the next packet, and held once Dly_Irq is set.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { dmacr, DLY_IRQ, DLY_IRQEN, makeRig, RS, S2MM_DMACR, S2MM_DMASR, type Rig } from './rig';

const checks = (rig: Rig) => [{ probe: probeNamed(rig.device, 's2mm.delay'), truth: () => BigInt(rig.r(S2MM_DMASR) >>> 24) }];

describe('XilinxAxiDma probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: IRQDelaySts at every ns equals a guest read, across packets and the delay interrupt', (delivery) => {
    const rig = makeRig({ delivery, resolution: 2 }); // a unit of 2 SG clock cycles
    rig.w(S2MM_DMACR, dmacr(5, 4, DLY_IRQEN | RS));
    let changes = expectForecastsHold(rig.clock, checks(rig), 3_000);
    expect(changes['s2mm.delay']).toBe(0); // no packet yet: the timer is off
    rig.device.completePacket('s2mm'); // 5 units of 20 ns, then Dly_Irq stops the timer
    changes = expectForecastsHold(rig.clock, checks(rig), 4_000);
    expect(changes['s2mm.delay']).toBe(5); // 1, 2, 3, 4, then 0 at the timeout
    rig.w(S2MM_DMASR, DLY_IRQ); // acknowledged: the next packet starts it again
    rig.device.completePacket('s2mm');
    changes = expectForecastsHold(rig.clock, checks(rig), 4_050);
    rig.device.completePacket('s2mm'); // mid-count: from 0 again
    changes = expectForecastsHold(rig.clock, checks(rig), 5_000);
    expect(changes['s2mm.delay']).toBe(5);
  });
});
