// The eTSEC poll timer walked through: DMACTRL starts and stops polling, each poll finds the ring's
// stand-in and sets IEVENT.TXF, GTS completes a graceful stop. 125 MHz: a poll every 4 096 ns.
// Titles start with the decision they pin (device header T1-T8).
import { describe, expect, it } from 'vitest';
import { FSL_ETSEC_TIMER_POLICY, FslEtsecTimer } from '../../../devices/fsl-etsec-timer';
import { DeviceConfigError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { DMACTRL, GTS, GTSC, IEVENT, IMASK, makeRig, POLL_NS, TOD, TXB, TXF, WOP } from './rig';

const TXCLK_MHZ_25 = 25_000_000; // 40 ns a clock

/** The instants of `tx`'s rising edges, each acknowledged at once. */
const txEdges = (rig: ReturnType<typeof makeRig>): number[] => {
  const seen: number[] = [];
  rig.device.tx.watch((high) => {
    if (!high) return;
    seen.push(rig.clock.now());
    rig.w(IEVENT, TXF);
  });
  return seen;
};

describe('FslEtsecTimer', () => {
  it('policy is D+O', () => {
    expect([...FSL_ETSEC_TIMER_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
  });

  it('reset: IEVENT, IMASK, DMACTRL 0; not polling (the interval rests full); no line high', () => {
    const rig = makeRig();
    expect([IEVENT, IMASK, DMACTRL].map(rig.r)).toEqual([0, 0, 0]);
    expect([rig.device.timer.mode, rig.device.probes[0]!.read()]).toEqual(['stopped', 512n]);
    rig.clock.advanceTo(100 * POLL_NS);
    expect(Object.values(rig.device.lines).map((l) => l.level)).toEqual([false, false, false]);
  });

  describe('options', () => {
    it('defaults: a 125 MHz txclk of its own, 512 clocks a poll, an empty ring', () => {
      const device = new FslEtsecTimer(new VirtualClock(), { name: 'etsec' });
      expect([device.txclk.hz, device.txclk.name, device.pollCycles, device.txRing]).toEqual([125_000_000, 'etsec.txclk', 512, 'empty']);
    });

    it.each([
      [{ txclk: 125e6 }, 'FslEtsecTimer(options.txclk)'],
      [{ pollCycles: 0 }, 'FslEtsecTimer(options.pollCycles)'],
      [{ pollCycles: 2 ** 32 }, 'FslEtsecTimer(options.pollCycles)'],
      [{ txRing: 'full' }, 'FslEtsecTimer(options.txRing)'],
      [{ name: '' }, 'FslEtsecTimer(options.name)'],
      [{ delivery: 'later' }, 'FslEtsecTimer(options.delivery)'],
      [{ timing: 'fast' }, 'FslEtsecTimer(options.timing)'],
      [{ poll: 3 }, 'FslEtsecTimer(options.poll)'],
    ])('%j is refused with a DeviceConfigError naming %s', (options, where) => {
      const error = thrown(() => new FslEtsecTimer(new VirtualClock(), options as never));
      expect(error).toBeInstanceOf(DeviceConfigError);
      expect((error as Error).message).toContain(where);
    });

    it('queueFrames refuses a count that is not a positive whole number', () => {
      const device = new FslEtsecTimer(new VirtualClock());
      for (const count of [0, -1, 1.5, Number.NaN]) expect(thrown(() => device.queueFrames(count))).toBeInstanceOf(DeviceConfigError);
    });
  });

  describe('T1 the interval', () => {
    it('T1: a poll every 512 transmit clocks (4 096 ns at 125 MHz), the first one interval after the DMACTRL write', () => {
      const rig = makeRig();
      const edges = txEdges(rig);
      rig.clock.advanceTo(1_000);
      rig.w(IMASK, TXF);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(1_000 + 3 * POLL_NS);
      expect(edges).toEqual([1, 2, 3].map((k) => 1_000 + k * POLL_NS));
    });

    it('T1: pollCycles sets the interval (QEMU-like: 10 ms at 125 MHz is 1 250 000 clocks)', () => {
      const rig = makeRig({ pollCycles: 1_250_000 });
      const edges = txEdges(rig);
      rig.w(IMASK, TXF);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(25_000_000);
      expect(edges).toEqual([10_000_000, 20_000_000]);
    });

    it('timing: at 24 MHz (41⅔ ns a clock) exact timing puts poll k at ⌊k·512·125/3⌋; QEMU timing floors each interval', () => {
      const edges = (timing: 'exact' | 'qemu'): number[] => {
        const rig = makeRig({ hz: 24_000_000, timing });
        const seen = txEdges(rig);
        rig.w(IMASK, TXF);
        rig.w(DMACTRL, 0);
        rig.clock.advanceTo(64_000);
        return seen;
      };
      expect(edges('exact')).toEqual([21_333, 42_666, 64_000]);
      expect(edges('qemu')).toEqual([21_333, 42_666, 63_999]);
    });
  });

  describe('T2 when it polls', () => {
    it('T2: WOP 1 stops polling; a write keeping it polling leaves the phase; WOP 0 again starts a fresh interval', () => {
      const rig = makeRig();
      const edges = txEdges(rig);
      rig.w(IMASK, TXF);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(POLL_NS + 100);
      rig.w(DMACTRL, 0); // still polling: no restart (QEMU restarts)
      rig.clock.advanceTo(2 * POLL_NS + 100);
      rig.w(DMACTRL, WOP);
      rig.clock.advanceTo(10 * POLL_NS);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(11 * POLL_NS);
      expect(edges).toEqual([POLL_NS, 2 * POLL_NS, 11 * POLL_NS]);
    });

    it('T2: reset leaves DMACTRL 0 but does not poll until the first DMACTRL write', () => {
      const rig = makeRig();
      rig.w(IMASK, TXF);
      rig.clock.advanceTo(10 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(0);
      expect(rig.device.timer.mode).toBe('stopped');
    });
  });

  describe('T3 the ring stand-in', () => {
    it("T3: with an empty ring a poll finds nothing; frames queued are sent at the next poll, TXF once", () => {
      const rig = makeRig({ txRing: 'empty' });
      rig.w(IMASK, TXF);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(3 * POLL_NS + 10);
      expect(rig.r(IEVENT)).toBe(0);
      rig.device.queueFrames(3);
      rig.clock.advanceTo(4 * POLL_NS - 1);
      expect(rig.r(IEVENT)).toBe(0);
      rig.clock.advanceTo(4 * POLL_NS);
      expect([rig.r(IEVENT), rig.device.tx.level]).toEqual([TXF, true]);
      rig.w(IEVENT, TXF);
      rig.clock.advanceTo(6 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(0);
      expect(rig.device.snapshot().pendingFrames).toBe(0);
    });

    it('T3: frames queued while WOP is 1 wait for polling (the TSTAT restart is not modelled)', () => {
      const rig = makeRig({ txRing: 'empty' });
      rig.w(DMACTRL, WOP);
      rig.device.queueFrames(1);
      rig.clock.advanceTo(100 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(0);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(101 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(TXF);
    });
  });

  describe('T4 graceful transmit stop', () => {
    it('T4: GTS 0 → 1 sets GTSC at once and stops polling; GTS kept at 1 sets nothing again (QEMU: at every write); GTS 0 resumes', () => {
      const rig = makeRig();
      rig.w(IMASK, TXF | GTSC);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(POLL_NS + 1);
      rig.w(IEVENT, TXF);
      rig.w(DMACTRL, GTS);
      expect([rig.r(IEVENT), rig.device.err.level, rig.device.tx.level]).toEqual([GTSC, true, false]);
      rig.w(IEVENT, GTSC);
      rig.w(DMACTRL, GTS);
      rig.clock.advanceTo(20 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(0);
      rig.w(DMACTRL, 0);
      rig.clock.advanceTo(21 * POLL_NS);
      expect(rig.r(IEVENT)).toBe(TXF);
    });
  });

  it('T5: IEVENT clears where written 1; IMASK masks each line; TXB and TXF drive tx, GTSC err', () => {
    const rig = makeRig();
    rig.w(DMACTRL, 0);
    rig.clock.advanceTo(POLL_NS);
    expect([rig.r(IEVENT), rig.device.tx.level]).toEqual([TXF, false]);
    rig.w(IMASK, TXB);
    expect(rig.device.tx.level).toBe(false);
    rig.w(IMASK, TXF);
    expect([rig.r(IMASK), rig.device.tx.level]).toEqual([TXF, true]);
    rig.w(IEVENT, ~TXF >>> 0);
    expect(rig.r(IEVENT)).toBe(TXF);
    rig.w(IEVENT, TXF);
    expect([rig.r(IEVENT), rig.device.tx.level]).toEqual([0, false]);
  });

  it('T7: txclk at 0 Hz freezes the interval; running again it goes on from its reading', () => {
    const rig = makeRig();
    rig.w(DMACTRL, 0);
    rig.clock.advanceTo(100 * 8 + 3); // 100 clocks in
    rig.txclk.setHz(0);
    rig.clock.advanceTo(1_000_000);
    expect(rig.r(IEVENT)).toBe(0);
    rig.txclk.setHz(TXCLK_MHZ_25);
    rig.clock.advanceTo(1_000_000 + 412 * 40 - 1);
    expect(rig.r(IEVENT)).toBe(0);
    rig.clock.advanceTo(1_000_000 + 412 * 40);
    expect(rig.r(IEVENT)).toBe(TXF);
  });

  it('T8: TOD is stored and reported, and polls nothing', () => {
    const rig = makeRig();
    rig.w(DMACTRL, WOP | TOD);
    expect(rig.r(DMACTRL)).toBe(WOP | TOD);
    expect(rig.r(IEVENT)).toBe(0);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['DMACTRL.TOD']);
  });
});
