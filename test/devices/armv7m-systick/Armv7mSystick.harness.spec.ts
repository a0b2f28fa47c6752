// The catalogue checks (test/support/deviceHarness.ts) on the SysTick: the G1 read sweep
// around a step to 0 (S8), snapshot continuation, and random accesses with clock changes.
import { describe, expect, it } from 'vitest';
import { Armv7mSystick } from '../../../devices/armv7m-systick';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { CALIB, CLKSOURCE, CPU_HZ, CSR, CVR, ENABLE, ICSR, PENDSTCLR, PENDSTSET, REF_HZ, RVR, TICK, TICKINT } from './rig';

const N = 4; // RVR
const E1 = (N + 1) * TICK; // first step to 0 after an enable at CVR 0: a cycle at 0, then N
const SPAN = 3 * TICK;

const device = (clock: VirtualClock, delivery: TriggerDelivery): Armv7mSystick =>
  new Armv7mSystick(clock, { cpuclk: new ClockInput('cpuclk', CPU_HZ), refclk: new ClockInput('refclk', REF_HZ), delivery });

const firstStep = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(RVR, 4, N);
      d.write(CSR, 4, CLKSOURCE | TICKINT | ENABLE);
    },
    // CVR, then the pending state (ICSR.PENDSTSET: reading it clears nothing)
    readPair: () => [d.read(CVR, 4), (d.read(ICSR, 4) & PENDSTSET) !== 0],
    // CVR reads 1 until the step (also at E1 when read before it), then 0 for a cycle, then N…
    showsExpiry: (counter, at) => at >= E1 && counter !== 1,
  };
};

/**
 * The read pair at every ns in [expiry - span, expiry + span], queued from a step at `queueAt`
 * (after the counter re-armed for the expiry: the only way to read after the step at its own
 * instant). As CmsdkApbTimer.harness.spec's helper of the same name.
 */
const sweepQueuedAt = (make: (clock: VirtualClock, delivery: TriggerDelivery) => RaceProbe, delivery: TriggerDelivery, span: number, queueAt: number): string[] => {
  const where: string[] = [];
  const { expiry } = make(new VirtualClock(), delivery);
  for (let at = expiry - span; at <= expiry + span; at++) {
    const clock = new VirtualClock();
    const probe = make(clock, delivery);
    let seen: readonly [number, boolean] | undefined;
    probe.start();
    clock.schedule(() => clock.schedule(() => (seen = probe.readPair()), at - clock.now()), queueAt);
    clock.advanceTo(at + span + 1);
    const [counter, pending] = seen!;
    if (probe.showsExpiry(counter, at) !== pending) where.push(`E${at - expiry >= 0 ? '+' : ''}${at - expiry}`);
  }
  return where;
};

describe('Armv7mSystick against the catalogue checks', () => {
  it('S8 G1: synchronous delivery: no read sees CVR and the pending state disagree', () => {
    const r = sweepRace(firstStep, 'sync', SPAN);
    expect(r.reads).toBe(2 * (2 * SPAN + 1));
    expect(r.where).toEqual([]);
  });

  it('S8: legacy bottom half: sweepRace cannot reach the step (re-armed by the silent reload at one cycle); a read queued after it finds the stale read at the step', () => {
    expect(sweepRace(firstStep, 'bottom-half', SPAN).where).toEqual([]);
    expect(sweepQueuedAt(firstStep, 'bottom-half', SPAN, TICK + 1)).toEqual(['E+0']);
    expect(sweepQueuedAt(firstStep, 'sync', SPAN, TICK + 1)).toEqual([]);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // A Zephyr-like run: a periodic tick of 25 cycles taken by a handler (PENDSTCLR), VAL/CTRL
    // reads, a tickless reprogramming, a switch to the reference clock, RVR 0 (halt), a
    // restart, and bad accesses.
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(RVR, 24) },
      { at: 0, access: guestWrite(CVR, 0) },
      { at: 0, access: guestWrite(CSR, CLKSOURCE | TICKINT | ENABLE) },
      ...Array.from({ length: 60 }, (_, i) => ({ at: 3 + 41 * i, access: guestRead(i % 3 === 2 ? CSR : CVR) })),
      { at: 1000, access: guestWrite(ICSR, PENDSTCLR) },
      { at: 1500, access: guestWrite(RVR, 7) },
      { at: 1500, access: guestWrite(CVR, 0) },
      { at: 2100, access: guestWrite(ICSR, PENDSTCLR) },
      { at: 2600, access: guestWrite(CSR, TICKINT | ENABLE) },
      { at: 5000, access: guestRead(CALIB) },
      { at: 9000, access: guestWrite(RVR, 0) },
      { at: 20_000, access: guestWrite(ICSR, PENDSTCLR) },
      { at: 21_000, access: guestWrite(RVR, 3) },
      { at: 21_500, access: guestRead(0x010) },
      { at: 21_600, access: guestWrite(CSR, 0) },
    ];
    const make = (clock: VirtualClock) => {
      const d = device(clock, 'sync');
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['in the first cycle at 0', 20],
      ['mid-count', 517],
      ['at a step (after it), pending', 1000],
      ['after the reprogramming', 1800],
      ['on the reference clock', 3100],
      ['halted with RVR 0', 20_500],
      ['restarted', 21_200],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 40_000);
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, the line equals PENDSTSET, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const cpuclk = new ClockInput('cpuclk', CPU_HZ);
        const refclk = new ClockInput('refclk', REF_HZ);
        const d = new Armv7mSystick(clock, { cpuclk, refclk });
        return {
          device: d,
          irq: d.irq,
          clocks: [cpuclk, refclk],
          irqFromRegisters: () => (d.snapshot().registers.registers.ICSR! & PENDSTSET) !== 0,
        };
      },
      {
        offsets: [CSR, RVR, CVR, CALIB, ICSR],
        region: 0xd00,
        maxAdvance: 1_000_000,
        hzChoices: [0, 3, 32_768, 1_000_000, 24_000_000, 25_000_000],
        runs: 200,
      },
    );
  });
});
