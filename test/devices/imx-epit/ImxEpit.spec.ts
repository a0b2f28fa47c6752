// Datasheet walk-through of the i.MX EPIT (IMX6DQRM, EPIT chapter): ipg at 50 MHz, 20 ns per cycle.
import { describe, expect, it } from 'vitest';
import { ImxEpit } from '../../../devices/imx-epit';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { CLKSRC_32K, CLKSRC_HF, CLKSRC_IPG, CMPR, CNR, CR, EN, ENMOD, IOVW, LR, makeRig, OCIEN, OM, prescaler, RLD, SR, SWR, TICK, WAITEN } from './rig';

const PERIODIC = CLKSRC_IPG | RLD | OCIEN | ENMOD | EN;

describe('ImxEpit', () => {
  it('E1: set-and-forget counts LR … 0 then LR again (LR + 1 cycles a round); reads at an edge show the value before it', () => {
    const rig = makeRig();
    rig.w(LR, 4);
    rig.w(CMPR, 0);
    rig.w(CR, PERIODIC);
    expect(rig.state()).toEqual([4, 0, false]); // loaded at enable (ENMOD)
    rig.clock.advanceTo(TICK); // edge 1: a read at the edge instant shows the value before it
    expect(rig.r(CNR)).toBe(4);
    rig.clock.advanceTo(TICK + 1);
    expect(rig.r(CNR)).toBe(3);
    rig.clock.advanceTo(4 * TICK - 1);
    expect(rig.state()).toEqual([1, 0, false]);
    rig.clock.advanceTo(4 * TICK); // steps to 0 = CMPR: compare event
    expect(rig.state()).toEqual([0, 1, true]);
    rig.clock.advanceTo(5 * TICK - 1);
    expect(rig.r(CNR)).toBe(0);
    rig.clock.advanceTo(5 * TICK); // reload edge
    expect(rig.r(CNR)).toBe(4);
    rig.w(SR, 1); // ISR clears the flag
    expect(rig.state()).toEqual([4, 0, false]);
    rig.clock.advanceTo(9 * TICK - 1);
    expect(rig.state()).toEqual([1, 0, false]);
    rig.clock.advanceTo(9 * TICK + 1); // next round: LR + 1 = 5 cycles later
    expect(rig.state()).toEqual([0, 1, true]);
  });

  it('E1: free-running rolls over from 0 to 0xFFFFFFFF whatever LR holds', () => {
    const rig = makeRig();
    rig.w(CR, CLKSRC_IPG | ENMOD | EN);
    rig.w(LR, 2); // without IOVW: no load, and RLD = 0 ignores LR at the roll-over
    rig.w(CR, CLKSRC_IPG | ENMOD | EN | IOVW);
    rig.w(LR, 2); // IOVW: loads the counter
    rig.clock.advanceTo(2 * TICK + 1);
    expect(rig.r(CNR)).toBe(0);
    rig.clock.advanceTo(3 * TICK + 1);
    expect(rig.r(CNR)).toBe(0xffff_ffff);
    expect(rig.r(SR)).toBe(1); // the step to 0 = CMPR at 2 cycles set OCIF
  });

  it('E2: the step to CMPR sets OCIF even with OCIEN = 0; the line follows OCIEN (E7)', () => {
    const rig = makeRig();
    rig.w(LR, 10);
    rig.w(CMPR, 6);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN);
    rig.clock.advanceTo(4 * TICK - 1);
    expect(rig.state()).toEqual([7, 0, false]);
    rig.clock.advanceTo(4 * TICK);
    expect(rig.state()).toEqual([6, 1, false]);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN | OCIEN);
    expect(rig.state()).toEqual([6, 1, true]);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | OCIEN); // E7: disabling keeps the line until SR is cleared
    expect(rig.device.irq.level).toBe(true);
    rig.w(SR, 1);
    expect(rig.device.irq.level).toBe(false);
  });

  it('E2: a load equal to CMPR is not a step; the reload to LR = CMPR is', () => {
    const rig = makeRig();
    rig.w(LR, 3);
    rig.w(CMPR, 3);
    rig.w(CR, PERIODIC);
    expect(rig.state()).toEqual([3, 0, false]);
    rig.clock.advanceTo(4 * TICK - 1);
    expect(rig.state()).toEqual([0, 0, false]);
    rig.clock.advanceTo(4 * TICK);
    expect(rig.state()).toEqual([3, 1, true]);
  });

  it('E2: RLD with CMPR > LR never compares (#1491: the one-shot condition must not be inverted)', () => {
    const rig = makeRig();
    const rises: number[] = [];
    rig.device.irq.watch((high) => high && rises.push(rig.clock.now()));
    rig.w(LR, 5);
    rig.w(CMPR, 9);
    rig.w(CR, PERIODIC);
    rig.clock.advanceTo(100 * TICK);
    expect(rig.r(SR)).toBe(0);
    // `expiry` events are segment ends since the device kit (#13), compares or not: the line (OCIEN = 1) tells compares.
    expect(rises).toEqual([]);
  });

  it('E3: ENMOD = 0 resumes from the frozen value; ENMOD = 1 reloads', () => {
    const rig = makeRig();
    rig.w(LR, 100);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN);
    rig.clock.advanceTo(30 * TICK + 5);
    rig.w(CR, CLKSRC_IPG | RLD); // disable: freezes
    expect(rig.r(CNR)).toBe(70);
    rig.clock.advanceTo(50 * TICK);
    expect(rig.r(CNR)).toBe(70);
    rig.w(CR, CLKSRC_IPG | RLD | EN); // ENMOD = 0: resume
    expect(rig.r(CNR)).toBe(70);
    rig.clock.advanceTo(51 * TICK + 1);
    expect(rig.r(CNR)).toBe(69);
    rig.w(CR, CLKSRC_IPG | RLD);
    rig.w(CR, CLKSRC_IPG | ENMOD | EN); // ENMOD = 1, RLD = 0: 0xFFFFFFFF
    expect(rig.r(CNR)).toBe(0xffff_ffff);
  });

  it('E4: an LR write loads the counter only with IOVW (#1263: the compare comes on time, from the committed count)', () => {
    const rig = makeRig();
    rig.w(CR, CLKSRC_IPG | RLD | OCIEN | ENMOD | EN); // LR = 0xFFFFFFFF, CMPR = 0
    rig.clock.advanceTo(10 * TICK + 1);
    rig.w(LR, 50); // no IOVW: counter unchanged
    expect(rig.r(CNR)).toBe(0xffff_ffff - 10);
    rig.w(CR, CLKSRC_IPG | RLD | OCIEN | ENMOD | EN | IOVW);
    rig.w(LR, 50); // seL4: period load while running
    expect(rig.r(CNR)).toBe(50);
    rig.clock.advanceTo(10 * TICK + 1 + 50 * TICK - 1);
    expect(rig.state()).toEqual([1, 0, false]);
    rig.clock.advanceTo(10 * TICK + 1 + 50 * TICK);
    expect(rig.state()).toEqual([0, 1, true]); // after 50 cycles, not after 2^32
  });

  it('E5: OCIEN / RLD / IOVW writes leave the counter phase alone; a CMPR write restarts the current cycle', () => {
    const rig = makeRig();
    rig.w(CR, CLKSRC_IPG | ENMOD | EN);
    rig.clock.advanceTo(10 * TICK + 7);
    rig.w(CR, CLKSRC_IPG | ENMOD | EN | OCIEN | IOVW | RLD | WAITEN);
    rig.clock.advanceTo(11 * TICK);
    expect(rig.r(CNR)).toBe(0xffff_ffff - 10); // at the edge: before it
    rig.clock.advanceTo(11 * TICK + 1);
    expect(rig.r(CNR)).toBe(0xffff_ffff - 11); // phase kept across the CR write
    rig.clock.advanceTo(11 * TICK + 7);
    rig.w(CMPR, 5); // fresh cycle from 11*TICK + 7
    rig.clock.advanceTo(12 * TICK + 7);
    expect(rig.r(CNR)).toBe(0xffff_ffff - 11);
    rig.clock.advanceTo(12 * TICK + 8);
    expect(rig.r(CNR)).toBe(0xffff_ffff - 12);
  });

  it('E5: prescaler and clock source changes at run time re-time from the value read', () => {
    const rig = makeRig();
    rig.w(LR, 1000);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN);
    rig.clock.advanceTo(10 * TICK + 1);
    rig.w(CR, CLKSRC_IPG | RLD | EN | prescaler(1)); // ÷2: 40 ns per cycle
    expect(rig.r(CNR)).toBe(990);
    rig.clock.advanceTo(10 * TICK + 1 + 40 * 5);
    expect(rig.r(CNR)).toBe(986);
    rig.clock.advanceTo(10 * TICK + 1 + 40 * 5 + 1);
    expect(rig.r(CNR)).toBe(985);
    rig.w(CR, CLKSRC_32K | RLD | EN); // 32.768 kHz: ~30517.578 ns per cycle
    const t0 = rig.clock.now();
    rig.clock.advanceTo(t0 + 30_517);
    expect(rig.r(CNR)).toBe(985);
    rig.clock.advanceTo(t0 + 30_518); // 30 517.578 ns after the change: past the edge
    expect(rig.r(CNR)).toBe(984);
    rig.ipg.setHz(1); // not selected: no effect
    rig.clock.advanceTo(t0 + 2 * 30_518);
    expect(rig.r(CNR)).toBe(983);
    rig.w(CR, CLKSRC_HF | RLD | EN); // 24 MHz
    rig.hf.setHz(0); // E8: selected source stops: frozen
    const frozen = rig.r(CNR);
    rig.clock.advanceBy(1_000_000);
    expect(rig.r(CNR)).toBe(frozen);
    rig.hf.setHz(24_000_000);
    rig.clock.advanceBy(42);
    expect(rig.r(CNR)).toBe(frozen - 1);
  });

  it('E8: CLKSRC = 0 freezes the counter', () => {
    const rig = makeRig();
    rig.w(CR, CLKSRC_IPG | ENMOD | EN);
    rig.clock.advanceTo(5 * TICK + 1);
    rig.w(CR, ENMOD | EN);
    rig.clock.advanceTo(500 * TICK);
    expect(rig.r(CNR)).toBe(0xffff_ffff - 5);
  });

  it('E5/E8: one CR write that changes the rate and clears EN holds the counter at the value it read (#14)', () => {
    // A long countdown at a fractional period (ipgHighfreq ÷ 3670: 152 916.67 ns a cycle), then CLKSRC, PRESCALER and EN changed at once.
    const rig = makeRig();
    rig.w(CR, CLKSRC_HF | prescaler(3669) | ENMOD | EN);
    rig.clock.advanceTo(10 * 152_917);
    const held = rig.r(CNR);
    expect(held).toBe(0xffff_ffff - 10);
    rig.w(CR, CLKSRC_IPG);
    expect(rig.r(CNR)).toBe(held); // the stop used to latch the count scaled by the ratio of the periods
    rig.clock.advanceBy(1_000_000);
    expect(rig.r(CNR)).toBe(held);
  });

  it('E6: CR.SWR while counting resets all but EN/ENMOD/low-power bits, stops the counter, no nested begin (#1880424)', () => {
    const rig = makeRig();
    rig.w(LR, 10);
    rig.w(CMPR, 3);
    rig.w(CR, PERIODIC | WAITEN | OM(1));
    rig.clock.advanceTo(7 * TICK);
    expect(rig.state()).toEqual([3, 1, true]);
    expect(() => rig.w(CR, PERIODIC | WAITEN | SWR)).not.toThrow();
    expect(rig.r(CR)).toBe(EN | ENMOD | WAITEN);
    expect([rig.r(SR), rig.r(LR), rig.r(CMPR), rig.r(CNR), rig.device.irq.level]).toEqual([0, 0xffff_ffff, 0, 0xffff_ffff, false]);
    rig.clock.advanceBy(1000 * TICK);
    expect(rig.r(CNR)).toBe(0xffff_ffff); // CLKSRC = 0
    expect(rig.device.timer.inTransaction).toBe(false);
  });

  it('E6: SWR written by an interrupt subscriber, inside the compare step (#1880424)', () => {
    const rig = makeRig();
    rig.device.irq.level$.subscribe((high) => {
      if (high) rig.w(CR, EN | SWR);
    });
    rig.w(LR, 4);
    rig.w(CR, PERIODIC);
    expect(() => rig.clock.advanceTo(10 * TICK)).not.toThrow();
    expect([rig.r(CR), rig.r(CNR), rig.r(SR)]).toEqual([EN, 0xffff_ffff, 0]);
  });

  it('reset(): registers to their reset values, counter stopped at 0xFFFFFFFF, line low', () => {
    const rig = makeRig();
    rig.w(LR, 4);
    rig.w(CR, PERIODIC);
    rig.clock.advanceTo(4 * TICK);
    expect(rig.device.irq.level).toBe(true);
    rig.device.reset();
    expect([rig.r(CR), rig.r(SR), rig.r(LR), rig.r(CMPR), rig.r(CNR), rig.device.irq.level]).toEqual([0, 0, 0xffff_ffff, 0, 0xffff_ffff, false]);
    rig.clock.advanceBy(100 * TICK);
    expect(rig.r(CNR)).toBe(0xffff_ffff);
  });

  it('E11: RLD with LR = 0 holds 0; CMPR = 0 compares every cycle', () => {
    const rig = makeRig();
    rig.w(LR, 0);
    rig.w(CMPR, 1);
    rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN | OCIEN);
    rig.clock.advanceTo(50 * TICK);
    expect(rig.state()).toEqual([0, 0, false]);
    rig.w(CMPR, 0);
    rig.clock.advanceTo(51 * TICK);
    expect(rig.state()).toEqual([0, 1, true]);
    rig.w(SR, 1);
    rig.clock.advanceTo(52 * TICK);
    expect(rig.state()).toEqual([0, 1, true]);
  });

  it('OM written non-zero is reported as unimplemented', () => {
    const rig = makeRig();
    rig.w(CR, OM(2));
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented' })]);
  });

  describe('options, snapshot checks and dispose (#13)', () => {
    const inputs = () => ({ ipg: new ClockInput('ipg', 50_000_000), ipgHighfreq: new ClockInput('hf', 24_000_000), ipg32k: new ClockInput('32k', 32_768) });
    const make = (options: unknown) => () => new ImxEpit(new VirtualClock(), options as ConstructorParameters<typeof ImxEpit>[1]);

    it.each([
      ['an unknown option', { ...inputs(), prescaler: 2 }, 'ImxEpit(options.prescaler)'],
      ['an ipg that is not a ClockInput', { ...inputs(), ipg: 50_000_000 }, 'ImxEpit(options.ipg)'],
      ['a missing ipgHighfreq', { ...inputs(), ipgHighfreq: undefined }, 'ImxEpit(options.ipgHighfreq)'],
      ['an ipg32k that is not a ClockInput', { ...inputs(), ipg32k: { hz: 32_768 } }, 'ImxEpit(options.ipg32k)'],
      ['a bad delivery', { ...inputs(), delivery: 'later' }, 'ImxEpit(options.delivery)'],
      ['an empty name', { ...inputs(), name: '' }, 'ImxEpit(options.name)'],
    ])('%s is a DeviceConfigError naming it', (_what, options, field) => {
      expect(make(options)).toThrow(DeviceConfigError);
      expect(make(options)).toThrow(field);
    });

    it('restore names the field that disagrees: appliedHz (a clock input not set first) or appliedDiv (not the snapshot\'s PRESCALER + 1)', () => {
      const rig = makeRig();
      rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN | prescaler(3));
      rig.clock.advanceTo(10 * TICK);
      const good = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      expect(good).toMatchObject({ appliedHz: 50_000_000, appliedDiv: 4 });
      const before = JSON.stringify(rig.device.snapshot());
      const fieldOf = (snapshot: unknown): string => {
        try {
          rig.device.restore(snapshot);
        } catch (error) {
          expect(error).toBeInstanceOf(RegisterSnapshotError);
          return (error as RegisterSnapshotError).field;
        }
        return '(accepted)';
      };
      expect(fieldOf({ ...good, appliedDiv: 1 })).toBe('appliedDiv');
      expect(fieldOf({ ...good, appliedHz: 24_000_000 })).toBe('appliedHz');
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      rig.ipg.setHz(66_000_000); // the input no longer runs at the snapshot's rate
      expect(fieldOf(good)).toBe('appliedHz');
      rig.ipg.setHz(50_000_000);
      expect(fieldOf(good)).toBe('(accepted)');
    });

    it('E8: reset() applies CLKSRC = 0 like a guest write: a snapshot taken after it restores', () => {
      const rig = makeRig();
      rig.w(CR, CLKSRC_IPG | RLD | ENMOD | EN | prescaler(1));
      rig.clock.advanceTo(10 * TICK);
      rig.device.reset();
      const snapshot = rig.device.snapshot();
      expect(snapshot).toMatchObject({ appliedHz: 0, appliedDiv: 1 });
      expect(() => rig.device.restore(snapshot)).not.toThrow();
      rig.w(CR, CLKSRC_IPG | ENMOD | EN); // the same input again: the counter runs at its rate
      rig.clock.advanceBy(TICK + 1);
      expect(rig.r(CNR)).toBe(0xffff_ffff - 1);
    });

    it('Structure (#14): under sync the segment timer runs periodic with the next segment as its reload value, under bottom-half one-shot without one; each restores only into its own delivery', () => {
      const at = 3 * TICK + 7;
      const run = (delivery: 'sync' | 'bottom-half') => {
        const rig = makeRig({ delivery });
        rig.w(LR, 6);
        rig.w(CMPR, 2);
        rig.w(CR, PERIODIC); // 6 … 2 (compare), then 2 … 0, then the wrap
        rig.clock.advanceTo(at);
        return JSON.parse(JSON.stringify(rig.device.snapshot())) as { timer: Record<string, unknown>; segment: unknown };
      };
      const sync = run('sync');
      const bottomHalf = run('bottom-half');
      expect(sync.segment).toEqual({ kind: 'down', target: 2 });
      expect(sync.timer).toMatchObject({ mode: 'periodic', limit: '2' }); // the next segment: 2 … 0
      expect(bottomHalf.segment).toEqual({ kind: 'down', target: 2 });
      expect(bottomHalf.timer).toMatchObject({ mode: 'oneshot', limit: '0' });
      const into = (delivery: 'sync' | 'bottom-half', snapshot: unknown) => {
        const rig = makeRig({ delivery, clock: new VirtualClock({ start: at }) });
        try {
          rig.device.restore(snapshot);
        } catch (error) {
          expect(error).toBeInstanceOf(RegisterSnapshotError);
          return (error as RegisterSnapshotError).field;
        }
        expect(JSON.parse(JSON.stringify(rig.device.snapshot()))).toEqual(snapshot);
        return '(restored)';
      };
      expect(into('sync', sync)).toBe('(restored)');
      expect(into('bottom-half', bottomHalf)).toBe('(restored)');
      expect(into('bottom-half', sync)).toBe('timer.mode');
      expect(into('sync', bottomHalf)).toBe('timer.mode');
    });

    it('Structure (#14): an LR write during the wrap does not re-plan the segment after it; such a snapshot restores and the wrap\'s end re-plans from the new LR', () => {
      const rig = makeRig();
      rig.w(LR, 4);
      rig.w(CMPR, 0);
      rig.w(CR, PERIODIC);
      rig.clock.advanceTo(4 * TICK + 5); // in the wrap (the cycle at 0), the next segment (4 … 0) planned as the reload value
      rig.w(LR, 9); // without IOVW: used at the reload
      const snapshot = JSON.parse(JSON.stringify(rig.device.snapshot())) as { timer: Record<string, unknown>; segment: unknown };
      expect(snapshot.segment).toEqual({ kind: 'wrap' });
      expect(snapshot.timer).toMatchObject({ mode: 'periodic', limit: '4' });
      const copy = makeRig({ clock: new VirtualClock({ start: rig.clock.now() }) });
      copy.device.restore(snapshot);
      expect(JSON.parse(JSON.stringify(copy.device.snapshot()))).toEqual(snapshot);
      for (const r of [rig, copy]) {
        r.clock.advanceTo(5 * TICK + 1);
        expect(r.r(CNR)).toBe(9);
        r.clock.advanceTo(14 * TICK + 1); // 9 cycles later: the step to 0 = CMPR
        expect(r.state()).toEqual([0, 1, true]);
      }
    });

    it('dispose() releases all three clock inputs and the counter; the line keeps its last level', () => {
      const rig = makeRig();
      rig.w(LR, 4);
      rig.w(CR, PERIODIC);
      rig.clock.advanceTo(4 * TICK);
      expect(rig.device.irq.level).toBe(true);
      const seen = rig.events.length;
      rig.device.dispose();
      for (const input of [rig.ipg, rig.hf, rig.k32]) input.setHz(1_000_000);
      expect(rig.clock.pending).toBe(0);
      rig.clock.advanceBy(100 * TICK);
      expect(rig.events.length).toBe(seen);
      expect(rig.device.irq.level).toBe(true);
    });
  });
});
