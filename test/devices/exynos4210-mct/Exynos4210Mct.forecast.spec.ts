// The probes' forecasts (#15): a waveform draws, at every ns, the value a guest read of G_CNT
// (64 bits, U:L), TCNTO, ICNTO and FRCNTO returns then: the global counter across its 2^64
// wrap and a comparator's auto-increment, the local tick and interrupt counters across
// interval reloads and a stop, the free-running counter. 25 MHz: one cycle is 40 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import {
  AUTO_INC,
  COMP_ENABLE,
  FRC_START,
  FRCNTB,
  FRCNTO,
  G_CNT_L,
  G_CNT_U,
  G_COMP_ADD_INCR,
  G_COMP_L,
  G_COMP_U,
  G_INT_ENB,
  G_TCON,
  ICNT,
  ICNTB,
  ICNTO,
  INT_ENB,
  INT_START,
  INTERVAL_MODE,
  L,
  makeRig,
  MANUAL_UPDATE,
  TCNTB,
  TCNTO,
  TCON,
  TIMER_ENABLE,
  TIMER_START,
  type Rig,
} from './rig';

const checks = (rig: Rig) => [
  { probe: probeNamed(rig.device, 'gcnt'), truth: () => (BigInt(rig.r(G_CNT_U)) << 32n) | BigInt(rig.r(G_CNT_L)) },
  { probe: probeNamed(rig.device, 'l0.tcnto'), truth: () => BigInt(rig.r(L(0, TCNTO))) },
  { probe: probeNamed(rig.device, 'l0.icnto'), truth: () => BigInt(rig.r(L(0, ICNTO))) },
  { probe: probeNamed(rig.device, 'l0.frcnto'), truth: () => BigInt(rig.r(L(0, FRCNTO))) },
];

describe('Exynos4210Mct probes: forecasts (#15)', () => {
  it.each(['sync', 'bottom-half'] as const)('%s delivery: G_CNT across its 64-bit wrap and the local counters equal guest reads at every ns', (delivery) => {
    const rig = makeRig({ delivery });
    // The global counter 8 cycles below 2^64, comparator 0 just past the wrap, auto-incrementing by 5.
    rig.w(G_CNT_U, 0xffff_ffff);
    rig.w(G_CNT_L, 0xffff_fff8);
    rig.w(G_COMP_U(0), 0);
    rig.w(G_COMP_L(0), 3);
    rig.w(G_COMP_ADD_INCR(0), 5);
    rig.w(G_INT_ENB, 1);
    rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0) | AUTO_INC(0));
    // Local timer 0: ticks of 4 cycles, 3 ticks an interrupt, interval mode; its free-running counter reloading 9.
    rig.w(L(0, TCNTB), 3);
    rig.w(L(0, ICNTB), MANUAL_UPDATE | 3);
    rig.w(L(0, INT_ENB), ICNT);
    rig.w(L(0, FRCNTB), 9);
    rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE | FRC_START);
    let changes = expectForecastsHold(rig.clock, checks(rig), 4_000);
    expect(changes['gcnt']).toBeGreaterThan(90); // one per cycle, through 2^64 - 1 -> 0
    expect(changes['l0.tcnto']).toBeGreaterThan(50);
    expect(changes['l0.icnto']).toBeGreaterThan(5);
    expect(changes['l0.frcnto']).toBeGreaterThan(50);
    expect((BigInt(rig.r(G_CNT_U)) << 32n) | BigInt(rig.r(G_CNT_L))).toBeLessThan(200n); // it wrapped
    // The tick timer stopped: TCNTO and ICNTO hold; the global counter frozen: G_CNT holds.
    rig.w(L(0, TCON), FRC_START);
    rig.w(G_TCON, COMP_ENABLE(0));
    changes = expectForecastsHold(rig.clock, checks(rig), 5_000);
    expect([changes['gcnt'], changes['l0.tcnto'], changes['l0.icnto']]).toEqual([0, 0, 0]);
    expect(changes['l0.frcnto']).toBeGreaterThan(10);
  });

  it('ICNTO with long ticks (TCNTB 999): each nextChange of its forecast is a real change, the first instant of the next value', () => {
    const rig = makeRig();
    rig.w(L(0, TCNTB), 999);
    rig.w(L(0, ICNTB), MANUAL_UPDATE | 20);
    rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE);
    rig.clock.advanceTo(100);
    const f = probeNamed(rig.device, 'l0.icnto').forecast();
    const seen: bigint[] = [];
    for (let t = f.nextChange(100); t !== undefined && seen.length < 4; t = f.nextChange(t)) {
      expect(f.valueAt(t)).toBe(f.valueAt(t - 1) - 1n);
      seen.push(f.valueAt(t));
    }
    expect(seen).toEqual([19n, 18n, 17n, 16n]);
  });
});
