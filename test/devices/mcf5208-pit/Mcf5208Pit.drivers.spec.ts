// The register sequences Linux's ColdFire PIT driver (arch/m68k/coldfire/pit.c) issues on PIT0,
// replayed on the model with what it must read. Written from what the driver does (which
// registers, in which order, with which values: reference devices-2.md §23), not from its code:
// - the counter runs at FREQ = bus clock / 64 (PCSR.PRE 6); a jiffy is FREQ / HZ steps;
// - periodic: PCSR = 0; PMR = FREQ / HZ; PCSR = EN | PIE | OVW | RLD | PRE 6 (0x061B);
// - one-shot: PCSR = 0; PCSR = EN | PIE | OVW | PRE 6 (0x0619); each next event: PMR = delta;
// - shutdown: PCSR = 0; the interrupt handler: PCSR = PCSR | PIF (a read-modify-write), then
//   its jiffy count += FREQ / HZ;
// - the clocksource: jiffy count + FREQ / HZ - PCNTR.
// The M5208EVB's bus clock: 166.67 MHz / 2 = 83 333 333 Hz, so a step (÷64) is
// 64·10^9/83 333 333 = 768.000003 ns and FREQ = 1 302 083; HZ = 100: a jiffy is 13 020 steps.
import { describe, expect, it } from 'vitest';
import { EN, makeRig, OVW, PCNTR, PCSR, PIE, PIF, PMR, PRE, RLD, type Rig } from './rig';

const BUSCLK = 83_333_333;
const FREQ = Math.floor(BUSCLK / 64);
const HZ = 100;
const CYCLES_PER_JIFFY = Math.floor(FREQ / HZ); // 13 020
const PERIODIC = EN | PIE | OVW | RLD | PRE(6); // 0x061B
const ONESHOT = EN | PIE | OVW | PRE(6); // 0x0619
const T0 = 2_000_000; // the driver starts 2 ms after boot

/** The instant `steps` PIT steps after `from` (exact timing: whole ns floored). */
const after = (from: number, steps: number): number => from + Number((BigInt(steps) * 64_000_000_000n) / BigInt(BUSCLK));

const board = (): Rig => {
  const rig = makeRig({ hz: BUSCLK });
  rig.clock.advanceTo(T0);
  return rig;
};

/** pit_tick: acknowledge with a read-modify-write of PCSR, count a jiffy; records the instants. */
const handler = (rig: Rig, jiffies: { count: number; at: number[] }): void => {
  rig.device.irq.watch((high) => {
    if (!high) return;
    rig.w(PCSR, rig.r(PCSR) | PIF);
    jiffies.count += CYCLES_PER_JIFFY;
    jiffies.at.push(rig.clock.now());
  });
};

/** The driver's set periodic: PCSR = 0; PMR = a jiffy; PCSR = PERIODIC. */
const setPeriodic = (rig: Rig): void => {
  rig.w(PCSR, 0);
  rig.w(PMR, CYCLES_PER_JIFFY);
  rig.w(PCSR, PERIODIC);
};

/** The board at T0 with the tick handler installed: its jiffy count and tick instants. */
const booted = () => {
  const rig = board();
  const jiffies = { count: 0, at: [] as number[] };
  handler(rig, jiffies);
  /** The clocksource: jiffy count + a jiffy - PCNTR. */
  const read = (): number => jiffies.count + CYCLES_PER_JIFFY - rig.r(PCNTR);
  return { rig, jiffies, read };
};

/** {@link booted}, then the driver's set periodic. */
const periodic = () => {
  const b = booted();
  setPeriodic(b.rig);
  return b;
};

/** {@link booted}, then the driver's set one-shot: PCSR = 0; PCSR = ONESHOT. */
const oneshot = () => {
  const b = booted();
  b.rig.w(PCSR, 0);
  b.rig.w(PCSR, ONESHOT);
  return b;
};

describe('Linux pit.c, periodic', () => {
  it('set-up after reset: PMR 13 020 is stored, the enable counts down the held 0xFFFF first, then a tick every PMR + 1 = 13 021 steps', () => {
    expect(CYCLES_PER_JIFFY).toBe(13_020);
    const { rig, jiffies } = periodic();
    expect([rig.r(PCSR), rig.r(PMR), rig.r(PCNTR)]).toEqual([0x061b, 13_020, 0xffff]);
    rig.clock.advanceTo(after(T0, 65_535 + 3 * 13_021));
    expect(jiffies.at).toEqual([0, 1, 2, 3].map((k) => after(T0, 65_535 + k * 13_021)));
    expect([rig.device.irq.level, rig.r(PCSR) & PIF]).toEqual([false, 0]);
    expect(rig.events.filter((e) => e.kind === 'guest-error')).toEqual([]);
  });

  it('shutdown (PCSR = 0) holds the count; set periodic again resumes from it (PMR is loaded only at the next reload)', () => {
    const { rig, jiffies } = periodic();
    const t1 = after(T0, 1_000) + 1; // 1000 steps in
    rig.clock.advanceTo(t1);
    rig.w(PCSR, 0);
    const held = rig.r(PCNTR);
    expect(held).toBe(0xffff - 1_000);
    rig.clock.advanceTo(T0 + 100_000_000);
    expect([rig.r(PCNTR), jiffies.at]).toEqual([held, []]);
    setPeriodic(rig);
    rig.clock.advanceTo(after(T0 + 100_000_000, held + 13_021));
    expect(jiffies.at).toEqual([after(T0 + 100_000_000, held), after(T0 + 100_000_000, held + 13_021)]);
  });

  it('the clocksource (jiffies + 13 020 - PCNTR) never goes back outside the step PCNTR shows 0 after a tick, and advances 13 020 per tick of 13 021 steps', () => {
    const { rig, jiffies, read } = periodic();
    const first = after(T0, 65_535);
    let last = -Infinity;
    for (let t = first + 1_000; t < first + 5 * 10_000_000; t += 9_973) {
      rig.clock.advanceTo(t);
      if (rig.r(PCNTR) === 0) continue; // the step at 0 after a tick: see below
      const now = read();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
    expect(jiffies.at).toHaveLength(5);
  });

  it('the clocksource advances 13 020 per tick of 13 021 steps: the driver writes PMR = a jiffy, the counter counts PMR + 1 a tick (P1), so it runs 1/13 021 slow', () => {
    const { rig, read } = periodic();
    const first = after(T0, 65_535);
    rig.clock.advanceTo(after(first, 13_021 + 100) + 1);
    const r1 = read();
    rig.clock.advanceTo(after(first, 2 * 13_021 + 100) + 1);
    expect(read() - r1).toBe(13_020);
  });

  it('in the step PCNTR shows 0 after a tick, the clocksource reads a jiffy ahead: the driver assumes the reload comes with PIF, the manual sets PIF on reaching 0, a step before the reload (P1)', () => {
    const { rig, read } = periodic();
    const tick = after(T0, 65_535 + 13_021);
    rig.clock.advanceTo(tick - 1); // PCNTR 1, the last step before the tick
    const before = read();
    rig.clock.advanceTo(tick); // the handler has run: PCNTR 0 for a step
    expect(read() - before).toBe(CYCLES_PER_JIFFY + 1);
    rig.clock.advanceTo(after(T0, 65_535 + 13_022) + 1); // reloaded: back in line
    expect(read() - before).toBe(1);
  });
});

describe('Linux pit.c, one-shot', () => {
  it('set one-shot, then each next event PMR = delta (OVW loads it): PIF delta steps after the write', () => {
    const { rig, jiffies } = oneshot();
    rig.w(PMR, 5_000);
    rig.clock.advanceTo(after(T0, 5_000));
    expect(jiffies.at).toEqual([after(T0, 5_000)]);
    const t1 = rig.clock.now() + 12_345;
    rig.clock.advanceTo(t1);
    rig.w(PMR, 300);
    rig.clock.advanceTo(after(t1, 300));
    expect(jiffies.at).toEqual([after(T0, 5_000), after(t1, 300)]);
  });

  it('no next event programmed: after its event the counter rolls over to 0xFFFF (RLD 0) and interrupts again 65 536 steps later', () => {
    const { rig, jiffies } = oneshot();
    rig.w(PMR, 100);
    rig.clock.advanceTo(after(T0, 100 + 65_536));
    expect(jiffies.at).toEqual([after(T0, 100), after(T0, 100 + 65_536)]);
  });

  it('shutdown (PCSR = 0) stops the interrupts; a pending PIF stays set but no longer drives the line', () => {
    const rig = board();
    rig.w(PCSR, ONESHOT);
    rig.w(PMR, 10);
    rig.clock.advanceTo(after(T0, 10));
    expect(rig.device.irq.level).toBe(true);
    rig.w(PCSR, 0);
    expect([rig.device.irq.level, rig.r(PCSR)]).toEqual([false, PIF]);
    rig.clock.advanceTo(T0 + 1_000_000_000);
    expect(rig.events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
  });
});
