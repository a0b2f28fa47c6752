// The register sequences Linux's drivers/clocksource/timer-sp804.c issues on the Integrator/CP
// path (compatible "arm,integrator-cp-timer"), written from what the driver does (which
// registers, in which order), not from its code: each node's probe writes Control = 0; the first
// node (timer 0, 25 MHz) becomes the clocksource, the second (timer 1, 1 MHz) the clockevent,
// the third is left alone. HZ = 100.
import { describe, expect, it } from 'vitest';
import { guestWrite, runDriver, waitForIrq, type AccessResult } from '../../../index';
import { at, CONTROL, INTCLR, LOAD, makeRig, RIS, TICK, VALUE, type Rig } from './rig';

const HZ_KERNEL = 100;
const CLOCKEVENT_RATE = 1_000_000;
const RELOAD = Math.round(CLOCKEVENT_RATE / HZ_KERNEL); // 10 000 ticks
const T0 = 1_000_000; // the driver probes 1 ms after boot

const CS_RUN = 0xc2; // 32-bit | periodic | enable
const CE_PERIODIC = 0xe2; // 32-bit | IE | periodic | enable
const CE_ONESHOT = 0xa3; // 32-bit | IE | one-shot | enable

/** Probe of the three nodes, then the clocksource set-up on timer 0. */
const boot = (rig: Rig): void => {
  rig.clock.advanceTo(T0);
  for (const n of [0, 1, 2]) rig.w(at(n, CONTROL), 0);
  rig.w(at(0, CONTROL), 0);
  rig.w(at(0, LOAD), 0xffff_ffff);
  rig.w(at(0, VALUE), 0xffff_ffff); // ambiguity 4: a read-only guest error (QEMU ignores it silently)
  rig.w(at(0, CONTROL), CS_RUN);
};

/** The clockevent interrupt handler on TIMINT1: IntClr = 1 at each interrupt. */
const isr = (rig: Rig, interrupts: number): AccessResult[] => {
  const results: AccessResult[] = [];
  runDriver(
    function* () {
      for (let n = 0; n < interrupts; n++) {
        yield waitForIrq(rig.device.timint1);
        yield guestWrite(at(1, INTCLR), 1);
      }
    },
    { device: rig.device, scheduler: rig.clock },
  ).subscribe((r) => results.push(r));
  return results;
};

describe('Linux timer-sp804 on the Integrator/CP', () => {
  it('clocksource (timer 0): reads count down at 25 MHz from 0xFFFFFFFF; the Value write is the one guest error', () => {
    const rig = makeRig();
    boot(rig);
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'read-only', offset: at(0, VALUE), time: T0 })]);
    expect(rig.r(at(0, VALUE))).toBe(0xffff_ffff);
    let last = 0;
    for (let k = 1; k <= 5; k++) {
      rig.clock.advanceTo(T0 + k * 1_000_000 + 1); // every ms: 25 000 ticks
      const cycles = (0xffff_ffff - rig.r(at(0, VALUE))) >>> 0; // the driver's ~Value
      expect(cycles).toBe(k * 25_000);
      expect(cycles).toBeGreaterThan(last);
      last = cycles;
    }
    expect(rig.device.timint0.level).toBe(false); // IE clear: the clocksource never interrupts
  });

  it('clocksource wrap: after 2^32 ticks (171.8 s) the count reloads 0xFFFFFFFF; RIS rises but TIMINT0 stays low', () => {
    const rig = makeRig();
    boot(rig);
    const zero = T0 + 0xffff_ffff * TICK[0];
    rig.clock.advanceTo(zero - 1);
    expect([rig.r(at(0, VALUE)), rig.r(at(0, RIS))]).toEqual([1, 0]);
    rig.clock.advanceTo(zero + TICK[0] + 1);
    expect([rig.r(at(0, VALUE)), rig.r(at(0, RIS)), rig.device.timint0.level]).toEqual([0xffff_ffff, 1, false]);
  });

  it('clockevent periodic (timer 1): Control 0, Load = rate/HZ, Control 0xE2; the handler clears each tick', () => {
    const rig = makeRig();
    boot(rig);
    rig.w(at(1, CONTROL), 0);
    rig.w(at(1, LOAD), RELOAD);
    rig.w(at(1, CONTROL), CE_PERIODIC);
    const results = isr(rig, 5);
    rig.clock.advanceTo(T0 + (RELOAD + 4 * (RELOAD + 1) + 100) * TICK[1]); // after the fifth tick, before the sixth
    // The first round is Load ticks from the Load write, later ones Load + 1 (the count rests at 0 for a tick).
    const ticks = results.map((r) => r.time);
    expect(ticks).toEqual([0, 1, 2, 3, 4].map((k) => T0 + (RELOAD + k * (RELOAD + 1)) * TICK[1]));
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(rig.device.timint1.level).toBe(false);
  });

  it('6: clockevent one-shot: Load = delta, then Control 0xA3 with no disable first: one interrupt delta ticks after the Load write', () => {
    const rig = makeRig();
    boot(rig);
    rig.w(at(1, CONTROL), 0); // set_state_oneshot
    const results = isr(rig, 3);
    const deltas = [0xf, 5_000, 123];
    let t = T0;
    for (const delta of deltas) {
      rig.w(at(1, LOAD), delta);
      rig.w(at(1, CONTROL), CE_ONESHOT);
      rig.clock.advanceTo(t + delta * TICK[1] - 1);
      expect(rig.device.timint1.level).toBe(false);
      rig.clock.advanceTo(t + delta * TICK[1] + 3 * TICK[1]); // halted at 0 after the interrupt
      expect(rig.r(at(1, VALUE))).toBe(0);
      t = rig.clock.now();
    }
    expect(results.map((r) => r.time)).toEqual([T0 + 0xf * TICK[1], T0 + (0xf + 3 + 5_000) * TICK[1], T0 + (0xf + 3 + 5_000 + 3 + 123) * TICK[1]]);
  });

  it('6: a next event programmed while the previous one-shot is still counting restarts from the Load write', () => {
    const rig = makeRig();
    boot(rig);
    rig.w(at(1, LOAD), 1_000);
    rig.w(at(1, CONTROL), CE_ONESHOT);
    rig.clock.advanceTo(T0 + 400 * TICK[1]);
    rig.w(at(1, LOAD), 300); // the count restarts here (QEMU: at the Control write below; same instant)
    rig.w(at(1, CONTROL), CE_ONESHOT); // no restart (ambiguity 6)
    rig.clock.advanceTo(T0 + 700 * TICK[1] - 1);
    expect(rig.r(at(1, RIS))).toBe(0);
    rig.clock.advanceTo(T0 + 700 * TICK[1]);
    expect(rig.r(at(1, RIS))).toBe(1);
  });

  it('shutdown: Control = 0 freezes the clockevent; timer 2, never touched after the probe, stays idle', () => {
    const rig = makeRig();
    boot(rig);
    rig.w(at(1, LOAD), RELOAD);
    rig.w(at(1, CONTROL), CE_PERIODIC);
    rig.clock.advanceTo(T0 + 100 * TICK[1] + 1);
    rig.w(at(1, CONTROL), 0);
    rig.clock.advanceTo(T0 + 10 * RELOAD * TICK[1]);
    expect([rig.r(at(1, VALUE)), rig.r(at(1, RIS)), rig.device.timint1.level]).toEqual([RELOAD - 100, 0, false]);
    expect([rig.r(at(2, CONTROL)), rig.r(at(2, VALUE)), rig.device.timint2.level]).toEqual([0, 0xffff_ffff, false]);
  });
});
