// The probes' forecasts (#15): a waveform draws, at every ns, the count a guest read returns
// then: the system counter's 22 bits in COUNTER bits 30:9, a processor counter as a 54-bit user
// timer (bits 53:23 in LIMIT, 22:0 in COUNTER bits 31:9) across its overflow and a RUN stop,
// then back in counter/timer mode. 2 MHz: one count is 500 ns.
import { describe, expect, it } from 'vitest';
import { expectForecastsHold, probeNamed } from '../../support/forecasts';
import { COUNTER, cpu, LIMIT, limitFor, makeRig, START_STOP, SYS_COUNTER, SYS_LIMIT, TIMER_CONFIG, type Rig } from './rig';

/** The count in COUNTER bits 30:9 (counter/timer mode). */
const counted = (word: number): bigint => BigInt((word >>> 9) & 0x3f_ffff);

const checks = (rig: Rig) => [
  { probe: probeNamed(rig.device, 'system.count'), truth: () => counted(rig.r(SYS_COUNTER)) },
  {
    probe: probeNamed(rig.device, 'cpu0.count'),
    // User-timer mode: bits 53:23 in LIMIT, 22:0 in COUNTER bits 31:9; counter/timer mode: COUNTER bits 30:9.
    truth: () => ((rig.r(TIMER_CONFIG) & 1) === 1 ? (BigInt(rig.r(cpu(0) + LIMIT) & 0x7fff_ffff) << 23n) | BigInt(rig.r(cpu(0) + COUNTER) >>> 9) : counted(rig.r(cpu(0) + COUNTER))),
  },
];

describe('SlavioTimer probes: forecasts (#15)', () => {
  it('the system counter, and a processor counter as a 54-bit user timer and back, equal guest reads at every ns', () => {
    const rig = makeRig();
    rig.w(TIMER_CONFIG, 0);
    rig.w(SYS_LIMIT, limitFor(6));
    rig.w(cpu(0) + LIMIT, limitFor(9));
    let changes = expectForecastsHold(rig.clock, checks(rig), 20_000);
    expect([changes['system.count']! > 20, changes['cpu0.count']! > 20]).toEqual([true, true]);
    // A user timer 40 counts below its 54-bit overflow.
    rig.w(TIMER_CONFIG, 1);
    rig.w(cpu(0) + LIMIT, 0x7fff_ffff);
    rig.w(cpu(0) + COUNTER, ((0x7f_ffff - 40) << 9) >>> 0);
    changes = expectForecastsHold(rig.clock, checks(rig), 50_000);
    expect(changes['cpu0.count']).toBeGreaterThan(50);
    expect(rig.r(cpu(0) + LIMIT) >>> 31).toBe(1); // it overflowed: limit reached
    // RUN 0 holds the count; back in counter/timer mode it counts to its kept limit.
    rig.w(cpu(0) + START_STOP, 0);
    changes = expectForecastsHold(rig.clock, checks(rig), 55_000);
    expect(changes['cpu0.count']).toBe(0);
    rig.w(TIMER_CONFIG, 0);
    changes = expectForecastsHold(rig.clock, checks(rig), 70_000);
    expect(changes['cpu0.count']).toBeGreaterThan(20);
  });
});
