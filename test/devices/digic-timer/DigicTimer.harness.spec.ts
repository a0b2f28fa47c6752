// The catalogue checks (test/support/deviceHarness.ts) on the DIGIC timer: snapshot
// continuation and random accesses with clock changes. The G1 read sweep needs a status to
// compare the count with, and the timer has none (D7): in its place, the sweep below shows that
// a read at every ns around a step to 0 sees the same VALUE under either delivery (D11).
import { describe, expect, it } from 'vitest';
import { DigicTimer } from '../../../devices/digic-timer';
import { ClockInput, guestRead, guestWrite, IrqLine, VirtualClock, type TriggerDelivery } from '../../../index';
import { continuationDigests, fuzzDevice, type ScriptStep } from '../../support/deviceHarness';
import { CONTROL, EN, HZ, RELVALUE, RST, TICK, UNKNOWN_04, UNKNOWN_10, UNKNOWN_14, VALUE } from './rig';

const FAST_HZ = 25_000_000; // 40 ns a step: a span of three steps is 120 ns
const FAST_TICK = 40;
const N = 4;
const E1 = N * FAST_TICK; // the first step to 0
const SPAN = 3 * FAST_TICK;

/** No line: the fuzz and the continuation check watch one that never moves (D7). */
const NO_LINE = new IrqLine('digic-timer.none');

describe('DigicTimer against the catalogue checks', () => {
  it('D11: reads at every ns around a step to 0, queued before and after the expiry, see 1 before the step and 0 after, the same under either delivery', () => {
    const readAt = (at: number, placement: 'before' | 'after', delivery: TriggerDelivery): number => {
      const clock = new VirtualClock();
      let seen = -1;
      let device: DigicTimer | undefined;
      const read = () => {
        seen = device!.read(VALUE, 4);
      };
      if (placement === 'before') clock.schedule(read, at);
      device = new DigicTimer(clock, { clk: new ClockInput('clk', FAST_HZ), delivery });
      device.write(RELVALUE, 4, N);
      device.write(CONTROL, 4, EN);
      if (placement === 'after') clock.schedule(read, at);
      clock.advanceTo(at + SPAN);
      return seen;
    };
    const wrong: string[] = [];
    for (let at = E1 - SPAN; at <= E1 + SPAN; at++) {
      for (const placement of ['before', 'after'] as const) {
        const sync = readAt(at, placement, 'sync');
        if (readAt(at, placement, 'bottom-half') !== sync) wrong.push(`E${at - E1} ${placement}: deliveries differ`);
        const stepped = at > E1 || (at === E1 && placement === 'after');
        if (at <= E1 + FAST_TICK && (sync === 0) !== stepped) wrong.push(`E${at - E1} ${placement}: VALUE ${sync}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  describe('a snapshot mid-run continues in a fresh system with the same digest', () => {
    // barebox's set-up, a DryOS-like timer, a freeze and resume, RELVALUE rewrites, a reset, bad accesses.
    const at = (steps: number) => Math.round(steps * TICK);
    const script: ScriptStep[] = [
      { at: 0, access: guestWrite(CONTROL, RST) },
      { at: 0, access: guestWrite(UNKNOWN_04, 2) },
      { at: 0, access: guestWrite(RELVALUE, 20) },
      { at: 0, access: guestWrite(CONTROL, EN) },
      ...Array.from({ length: 40 }, (_, i) => ({ at: at(1 + 1.3 * i) + 3, access: guestRead(VALUE) })),
      { at: at(25), access: guestWrite(CONTROL, 0) },
      { at: at(30), access: guestWrite(CONTROL, EN) },
      { at: at(33), access: guestWrite(RELVALUE, 7) },
      { at: at(40) + 5, access: guestRead(UNKNOWN_10) },
      { at: at(41), access: guestWrite(RELVALUE, 0) },
      { at: at(45), access: guestWrite(RELVALUE, 12) },
      { at: at(47), access: guestWrite(UNKNOWN_14, 3) },
      { at: at(48), access: guestWrite(VALUE, 1) },
      { at: at(55), access: guestWrite(CONTROL, (RST | EN) >>> 0) },
      { at: at(56), access: guestWrite(RELVALUE, 5) },
      { at: at(56), access: guestWrite(CONTROL, EN) },
    ];
    const make = (clock: VirtualClock) => ({ device: new DigicTimer(clock, { clk: new ClockInput('clk', HZ) }), irq: NO_LINE });
    it.each([
      ['before anything runs', 0],
      ['mid-count', at(4.5)],
      ['at a step to 0 (after it)', at(20)],
      ['holding 0 after the step', at(20.5)],
      ['frozen by EN 0', at(27)],
      ['resting at 0 with RELVALUE 0', at(43)],
      ['reset, then counting from 5', at(57)],
    ])('%s (%i ns)', (_name, time) => {
      const { original, restored } = continuationDigests(make, script, time, at(120));
      expect(restored).toBe(original);
    });
  });

  it('random accesses, instants and clock changes: nothing throws, runs are deterministic', () => {
    fuzzDevice(
      (clock) => {
        const clk = new ClockInput('clk', FAST_HZ);
        return { device: new DigicTimer(clock, { clk }), irq: NO_LINE, clocks: [clk], irqFromRegisters: () => false };
      },
      {
        offsets: [CONTROL, UNKNOWN_04, RELVALUE, VALUE, UNKNOWN_10, UNKNOWN_14, 0x18, 0xfc],
        region: 0x110,
        maxAdvance: 2_000,
        hzChoices: [0, 3, 1_000_000, 3_000_000, 25_000_000],
        values: [EN, 0, RST, 3, 1, 0xffff, 0x1_0005, 0xffff_ffff],
        sizes: [4, 4, 4, 4, 2, 1],
        runs: 200,
      },
    );
  });
});
