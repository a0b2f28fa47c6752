// The catalogue checks (test/support/deviceHarness.ts) on the CMSDK APB timer: the G1 read
// sweep around a 1 -> 0 step, snapshot continuation, and random accesses with PCLK changes.
import { describe, expect, it } from 'vitest';
import { CmsdkApbTimer } from '../../../devices/cmsdk-apb-timer';
import { ClockInput, guestRead, guestWrite, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, sweepRace, type RaceProbe, type ScriptStep } from '../../support/deviceHarness';
import { CTRL, EN, HZ, INTCLEAR, INTSTATUS, IRQEN, RELOAD, SELEXTEN, TICK, VALUE } from './rig';

const N = 4; // RELOAD
const E1 = N * TICK; // first 1 -> 0 step: 160 ns
const E2 = E1 + (N + 1) * TICK; // second: 360 ns (a periodic round lasts RELOAD + 1 cycles)
const SPAN = 3 * TICK;

const device = (clock: VirtualClock, delivery: TriggerDelivery): CmsdkApbTimer =>
  new CmsdkApbTimer(clock, { pclk: new ClockInput('pclk', HZ), delivery });

/** The guest reads VALUE, then INTSTATUS. */
const readPair = (d: CmsdkApbTimer): readonly [number, boolean] => [d.read(VALUE, 4), d.read(INTSTATUS, 4) === 1];

/**
 * Around a step at `e`, VALUE reads 1 until the step (also at `e` when read before it), then
 * 0 for a cycle, then RELOAD, RELOAD - 1 … (never 1 again within the sweep): so at or after
 * `e` any value but 1 shows the step.
 */
const showsStepAt =
  (e: number) =>
  (counter: number, at: number): boolean =>
    at >= e && counter !== 1;

/** The first step, counted down from the RELOAD write. */
const firstStep = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E1,
    start: () => {
      d.write(RELOAD, 4, N);
      d.write(CTRL, 4, EN | IRQEN);
    },
    readPair: () => readPair(d),
    showsExpiry: showsStepAt(E1),
  };
};

/** The second step: a periodic round after the zero cycle and the reload (W and R at work); IRQEN is set between the two. */
const secondStep = (clock: VirtualClock, delivery: TriggerDelivery): RaceProbe => {
  const d = device(clock, delivery);
  return {
    expiry: E2,
    start: () => {
      d.write(RELOAD, 4, N);
      d.write(CTRL, 4, EN);
      clock.schedule(() => d.write(CTRL, 4, EN | IRQEN), E1 + TICK);
    },
    readPair: () => readPair(d),
    showsExpiry: showsStepAt(E2),
  };
};

/**
 * Local complement of `sweepRace` (which queues its reads at t = 0, before or after `start`):
 * the same read pair at every ns in [expiry - span, expiry + span], but queued from a step at
 * `queueAt`. For a periodic step, queueing after the counter re-armed (at the previous step)
 * is the only way to read after the step at its own instant; `sweepRace`'s two placements are
 * both queued before that re-arm, so both read before the step.
 */
const sweepQueuedAt = (
  make: (clock: VirtualClock, delivery: TriggerDelivery) => RaceProbe,
  delivery: TriggerDelivery,
  span: number,
  queueAt: number,
): string[] => {
  const where: string[] = [];
  const { expiry } = make(new VirtualClock(), delivery);
  for (let at = expiry - span; at <= expiry + span; at++) {
    if (at <= queueAt) throw new Error(`read at ${at} ns cannot be queued at ${queueAt} ns`);
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

describe('CmsdkApbTimer against the catalogue checks', () => {
  describe('G1 read sweep around the first step (from the RELOAD write)', () => {
    it('G1: synchronous delivery: no read sees VALUE and INTSTATUS disagree', () => {
      const r = sweepRace(firstStep, 'sync', SPAN);
      expect(r.reads).toBe(2 * (2 * SPAN + 1));
      expect(r.where).toEqual([]);
    });

    it('legacy bottom half: the stale read is exactly at the step, by the read queued after it (VALUE 0, INTSTATUS 0)', () => {
      expect(sweepRace(firstStep, 'bottom-half', SPAN).where).toEqual(['E+0 after']);
    });
  });

  describe('G1 read sweep around a periodic step (after the zero cycle and the reload)', () => {
    it('G1: synchronous delivery: no read sees VALUE and INTSTATUS disagree, wherever it is queued', () => {
      expect(sweepRace(secondStep, 'sync', SPAN).where).toEqual([]);
      expect(sweepQueuedAt(secondStep, 'sync', SPAN, E1 + 1)).toEqual([]);
    });

    it('legacy bottom half: a read queued after the re-arm finds the stale read at the step; sweepRace cannot reach it', () => {
      // sweepRace queues both placements at t = 0, before the counter re-arms at E1: both read before the step at E2
      expect(sweepRace(secondStep, 'bottom-half', SPAN).where).toEqual([]);
      expect(sweepQueuedAt(secondStep, 'bottom-half', SPAN, E1 + 1)).toEqual(['E+0']);
    });
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // A Linux-like run: periodic clockevent of 25 cycles, clocksource-style reads of VALUE,
    // the handler's INTSTATUS read + INTCLEAR, then a reprogramming, IRQEN off, a one-shot
    // VALUE load, EXTIN selected (unimplemented) and a bad access (guest error).
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(CTRL, 0) },
      { at: 0, access: guestWrite(RELOAD, 25) },
      { at: 0, access: guestWrite(VALUE, 25) },
      { at: 0, access: guestWrite(CTRL, EN | IRQEN) },
      ...Array.from({ length: 90 }, (_, i) => ({ at: 3 + 41 * i, access: guestRead(i % 3 === 2 ? INTSTATUS : VALUE) })),
      { at: 1000, access: guestRead(INTSTATUS) },
      { at: 1000, access: guestWrite(INTCLEAR, 1) },
      { at: 1500, access: guestWrite(RELOAD, 7) },
      { at: 2100, access: guestWrite(INTCLEAR, 1) },
      { at: 2600, access: guestWrite(CTRL, EN) },
      { at: 3000, access: guestWrite(VALUE, 3) },
      { at: 3300, access: guestWrite(CTRL, EN | IRQEN | SELEXTEN) },
      { at: 3500, access: guestRead(0x010) },
      { at: 3600, access: guestWrite(INTCLEAR, 1) },
    ];
    const make = (clock: VirtualClock) => {
      const d = new CmsdkApbTimer(clock, { pclk: new ClockInput('pclk', HZ) });
      return { device: d, irq: d.irq };
    };
    it.each([
      ['before anything runs', 0],
      ['mid-count', 517],
      ['at the first step (after it)', 1000],
      ['in the zero cycle', 1020],
      ['after the RELOAD change, interrupt pending', 1800],
      ['with IRQEN off', 2800],
      ['in a one-shot countdown', 3001],
    ])('%s (%i ns)', (_name, at) => {
      const { original, restored } = continuationDigests(make, script, at, 6_000);
      expect(restored).toBe(original);
    });
  });

  // fuzzDevice draws uniform 32-bit values at random offsets and sizes: on this device its
  // counters practically never reach zero (none in these 300 runs, measured), so it checks the
  // refused accesses, the unimplemented reports, clock changes and determinism; the expiry paths
  // are fuzzed against a reference model in CmsdkApbTimer.model.spec.ts.
  it('random accesses, instants and PCLK changes: nothing throws, the line equals INTSTATUS, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const pclk = new ClockInput('pclk', HZ);
        const d = new CmsdkApbTimer(clock, { pclk });
        return {
          device: d,
          irq: d.irq,
          clocks: [pclk],
          // INTSTATUS as stored (device side: no read hook, no side effect)
          irqFromRegisters: () => (d.snapshot().registers.registers.INTSTATUS! & 1) === 1,
        };
      },
      {
        offsets: [CTRL, VALUE, RELOAD, INTSTATUS, 0xfd0, 0xfe0, 0xffc],
        region: 0x1010,
        maxAdvance: 1_000_000,
        // 0 Hz (stopped), fractional cycles (3 Hz, 24 MHz), whole 1000 / 40 / 20 ns cycles
        hzChoices: [0, 3, 1_000_000, 24_000_000, 25_000_000, 50_000_000],
        runs: 300,
      },
    );
  });
});
