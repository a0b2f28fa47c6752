// The eTSEC drivers' sequences as far as the poll timer is concerned, replayed: Linux's gianfar and
// U-Boot's tsec start the controller with DMACTRL |= DMACTRL_INIT_SETTINGS (0xC3: TDSEN, TBDSEN,
// WWR, WOP) and then clear GRS and GTS, so they never poll: every transmit restarts the ring with a
// TSTAT write (THLT0). Their halt path (gfar_halt) sets GRS and GTS on the reset value first, with
// WOP still 0. A driver that leaves WOP 0 (the manual's polling mode) is the poll timer's user.
import { describe, expect, it } from 'vitest';
import { DMACTRL, GRS, GTS, GTSC, IEVENT, IMASK, INIT_SETTINGS, makeRig, POLL_NS, TSTAT, TXF } from './rig';

const IEVENT_INIT_CLEAR = 0xffff_ffff;

describe('FslEtsecTimer: the drivers', () => {
  it('gianfar/tsec start-up: halt (GRS | GTS, WOP 0), IEVENT cleared, DMACTRL |= 0xC3, GRS and GTS cleared, TSTAT = THLT0: the poll timer never runs', () => {
    const rig = makeRig({ txRing: 'empty' });
    rig.w(IMASK, 0);
    rig.w(DMACTRL, rig.r(DMACTRL) | GRS | GTS); // gfar_halt
    expect(rig.r(IEVENT) & GTSC).toBe(GTSC); // the graceful stop completes at once
    rig.w(IEVENT, IEVENT_INIT_CLEAR);
    rig.w(DMACTRL, rig.r(DMACTRL) | INIT_SETTINGS);
    rig.w(DMACTRL, rig.r(DMACTRL) & ~(GRS | GTS));
    rig.w(TSTAT, 0x8000_0000); // TSTAT_CLEAR_THALT: the ring is not modelled
    rig.w(IMASK, TXF);
    rig.device.queueFrames(2); // descriptors marked ready: without a poll they wait for a TSTAT write
    rig.clock.advanceTo(1_000 * POLL_NS);
    expect([rig.r(DMACTRL), rig.device.timer.mode, rig.r(IEVENT)]).toEqual([INIT_SETTINGS, 'stopped', 0]);
    expect(rig.events.filter((e) => e.kind !== 'expiry').map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual([
      'DMACTRL.GRS', // gfar_halt
      'DMACTRL.WWR', // |= INIT_SETTINGS, GRS still set
      'DMACTRL.GRS',
      'DMACTRL.TBDSEN',
      'DMACTRL.TDSEN',
      'DMACTRL.WWR', // &= ~(GRS | GTS)
      'DMACTRL.TBDSEN',
      'DMACTRL.TDSEN',
      'TSTAT (the rest of the eTSEC)',
    ]);
  });

  it('between the halt and DMACTRL_INIT_SETTINGS the controller would poll (WOP 0) but GTS holds it: no poll, as in QEMU', () => {
    const rig = makeRig();
    rig.w(IMASK, TXF);
    rig.w(DMACTRL, GRS | GTS);
    rig.clock.advanceTo(50 * POLL_NS);
    expect(rig.r(IEVENT) & TXF).toBe(0);
  });

  it('a polling driver (WOP 0): transmit by marking descriptors ready, the TXF interrupt at the next poll, acknowledged by writing TXF to IEVENT', () => {
    const rig = makeRig({ txRing: 'empty' });
    const interrupts: number[] = [];
    rig.device.tx.watch((high) => {
      if (!high) return;
      interrupts.push(rig.clock.now());
      rig.w(IEVENT, TXF);
    });
    rig.w(IEVENT, IEVENT_INIT_CLEAR);
    rig.w(IMASK, TXF);
    rig.w(DMACTRL, 0xc2); // snooping and WWR, polling
    rig.clock.advanceTo(10_000);
    rig.device.queueFrames(1); // at 10 000 ns: the poll at 3 × 4 096 = 12 288 ns sends it
    rig.clock.advanceTo(30_000);
    rig.device.queueFrames(4);
    rig.clock.advanceTo(60_000);
    expect(interrupts).toEqual([3 * POLL_NS, 8 * POLL_NS]);
  });

  it('a polling driver stops with GTS, waits for GTSC (already set: nothing is in flight), and restarts with GTS 0', () => {
    const rig = makeRig();
    rig.w(IMASK, GTSC);
    rig.w(DMACTRL, 0);
    rig.clock.advanceTo(2 * POLL_NS + 5);
    rig.w(DMACTRL, GTS);
    expect([rig.r(IEVENT) & GTSC, rig.device.err.level]).toEqual([GTSC, true]);
    rig.w(IEVENT, GTSC | TXF);
    rig.clock.advanceTo(10 * POLL_NS);
    expect(rig.r(IEVENT)).toBe(0);
    rig.w(DMACTRL, 0);
    rig.clock.advanceTo(11 * POLL_NS + 5);
    expect(rig.r(IEVENT)).toBe(TXF);
  });
});
