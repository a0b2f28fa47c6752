// The interval timer walked through like its guide: program the registers, step to just
// before and just past each clk edge that matters (+1 ns), and check what the guest reads.
// Titles starting with a tag (B1 …) pin the decision of the same tag in the device header.
// clk is 50 MHz (20 ns per cycle) unless a test says otherwise.
import { describe, expect, it } from 'vitest';
import { ALTERA_AVALON_TIMER_POLICY, AlteraAvalonTimer } from '../../../devices/altera-avalon-timer';
import { ClockInput, DeviceConfigError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { CONT, CONTROL, ITO, makeRig, PERIODH, PERIODL, RUN, SNAPH, SNAPL, START, STATUS, STOP, TICK, TO } from './rig';

describe('AlteraAvalonTimer', () => {
  it('B7: after reset: status, control and snapshot 0, period all ones, the counter stopped at it', () => {
    const { r, snap, device } = makeRig();
    expect([r(STATUS), r(CONTROL), r(PERIODL), r(PERIODH), r(SNAPL), r(SNAPH)]).toEqual([0, 0, 0xffff, 0xffff, 0, 0]);
    expect(snap()).toBe(0xffff_ffff);
    expect(device.timer.mode).toBe('stopped');
  });

  it('B7: initialPeriod sets the period registers and the counter; a bad one is our caller\'s error', () => {
    const rig = makeRig({ initialPeriod: 49_999 });
    expect([rig.r(PERIODL), rig.r(PERIODH), rig.snap()]).toEqual([49_999 & 0xffff, 0, 49_999]);
    const clk = new ClockInput('clk', 1);
    expect(() => new AlteraAvalonTimer(new VirtualClock(), { clk, initialPeriod: 2 ** 32 })).toThrow(DeviceConfigError);
  });

  it('uses the D+O policy, each flag with a reason', () => {
    expect([...ALTERA_AVALON_TIMER_POLICY].sort()).toEqual(['NO_COUNTER_ROUND_DOWN', 'TRIGGER_ONLY_ON_DECREMENT']);
    expect(makeRig().device.timer.policy).toEqual(ALTERA_AVALON_TIMER_POLICY);
  });

  it('B1: counts P … 0, TO and the reload P + 1 cycles after START, then every P + 1 cycles', () => {
    const { clock, w, period, state, events } = makeRig({ clock: new VirtualClock({ start: 1_000_003 }) });
    const t0 = clock.now();
    period(4); // a timeout every 5 cycles
    w(CONTROL, START | CONT | ITO);
    const e1 = t0 + 5 * TICK;
    const e2 = e1 + 5 * TICK;
    expect(state()).toEqual([4, RUN, false]);
    // the counter changes 1 ns after each edge
    clock.advanceTo(t0 + TICK);
    expect(state()[0]).toBe(4);
    clock.advanceTo(t0 + TICK + 1);
    expect(state()[0]).toBe(3);
    // the last cycle reads 0, TO not yet set
    clock.advanceTo(t0 + 4 * TICK + 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(e1 - 1);
    expect(state()).toEqual([0, RUN, false]);
    // the timeout: TO, the line and the reload together
    clock.advanceTo(e1);
    expect(state()).toEqual([4, RUN | TO, true]);
    expect(events).toEqual([
      { kind: 'expiry', time: e1, source: 'altera-avalon-timer', timer: 'altera-avalon-timer.counter', cause: 'expiry' },
    ]);
    clock.advanceTo(e1 + 1);
    expect(state()).toEqual([4, RUN | TO, true]);
    clock.advanceTo(e1 + TICK + 1);
    expect(state()[0]).toBe(3);
    // the handler clears TO; the next one comes P + 1 cycles later
    w(STATUS, 0);
    expect(state()).toEqual([3, RUN, false]);
    clock.advanceTo(e2 - 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(e2);
    expect(state()).toEqual([4, RUN | TO, true]);
  });

  it('B1: period 0 times out every cycle, the counter always reading 0', () => {
    const { clock, w, period, state } = makeRig();
    period(0);
    w(CONTROL, START | CONT);
    clock.advanceTo(TICK - 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(TICK);
    expect(state()).toEqual([0, RUN | TO, false]);
    w(STATUS, 0);
    clock.advanceTo(2 * TICK);
    expect(state()).toEqual([0, RUN | TO, false]);
  });

  it('B2: any write to status clears TO (0 or 1); clearing ITO lowers the line but keeps TO', () => {
    const { clock, w, r, period, device } = makeRig();
    period(9);
    w(CONTROL, START | CONT | ITO);
    clock.advanceTo(10 * TICK);
    expect([r(STATUS), device.irq.level]).toEqual([RUN | TO, true]);
    w(CONTROL, CONT); // ITO off: the line falls, TO stays
    expect([r(STATUS), device.irq.level]).toEqual([RUN | TO, false]);
    w(CONTROL, CONT | ITO); // ITO on again with TO set: the line rises
    expect(device.irq.level).toBe(true);
    w(STATUS, TO); // a 1 clears too: the data is ignored
    expect([r(STATUS), device.irq.level]).toEqual([RUN, false]);
    clock.advanceTo(20 * TICK);
    w(STATUS, RUN); // RUN is read-only; the write still clears TO
    expect([r(STATUS), device.irq.level]).toEqual([RUN, false]);
  });

  it('B2: ITO clear at the timeout: TO is set, the line stays low', () => {
    const { clock, w, r, period, device } = makeRig();
    period(9);
    w(CONTROL, START);
    clock.advanceTo(10 * TICK);
    expect([r(STATUS), device.irq.level]).toEqual([TO, false]);
  });

  it('B3: a period write stops the counter and loads the new period; TO is kept; START runs it', () => {
    const { clock, w, r, period, state } = makeRig();
    period(99);
    w(CONTROL, START | CONT | ITO);
    clock.advanceTo(100 * TICK + 30 * TICK + 1); // one timeout, then 30 cycles: 69
    expect(state()).toEqual([69, RUN | TO, true]);
    w(PERIODL, 9); // low half: stops, loads 9 (PERIODH is 0)
    expect(state()).toEqual([9, TO, true]);
    clock.advanceBy(50 * TICK);
    expect(state()).toEqual([9, TO, true]);
    w(STATUS, 0);
    const t = clock.now();
    w(CONTROL, START | CONT | ITO);
    expect(r(STATUS)).toBe(RUN);
    clock.advanceTo(t + 10 * TICK - 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(t + 10 * TICK);
    expect(state()).toEqual([9, RUN | TO, true]);
  });

  it('B3: the high half alone also stops and reloads; a 32-bit period is P + 1 cycles', () => {
    const { clock, w, period, state } = makeRig();
    period(0x0001_0000); // 65 537 cycles
    w(CONTROL, START);
    clock.advanceTo(0x1_0000 * TICK + 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(0x1_0001 * TICK);
    expect(state()).toEqual([0x1_0000, TO, false]);
    w(CONTROL, START);
    clock.advanceBy(5 * TICK + 1);
    w(PERIODH, 2);
    expect(state()).toEqual([0x2_0000, TO, false]);
  });

  it('B4: START and STOP read 0; STOP freezes the counter, START resumes from it; repeats do nothing', () => {
    const { clock, w, r, period, snap, device } = makeRig();
    period(99);
    w(CONTROL, START | CONT);
    expect(r(CONTROL)).toBe(CONT);
    clock.advanceTo(10 * TICK + 1);
    expect(snap()).toBe(89);
    w(CONTROL, START | CONT); // already running: nothing changes
    clock.advanceTo(20 * TICK + 1);
    expect(snap()).toBe(79);
    w(CONTROL, STOP | CONT);
    expect([r(CONTROL), r(STATUS)]).toEqual([CONT, 0]);
    clock.advanceTo(40 * TICK + 1);
    expect(snap()).toBe(79);
    w(CONTROL, STOP); // already stopped
    expect([snap(), device.timer.mode]).toEqual([79, 'stopped']);
    const t = clock.now();
    w(CONTROL, START | CONT); // resumes from 79: a fresh cycle, 80 cycles to the timeout
    clock.advanceTo(t + 80 * TICK - 1);
    expect([snap(), r(STATUS)]).toEqual([0, RUN]);
    clock.advanceTo(t + 80 * TICK);
    expect([snap(), r(STATUS)]).toEqual([99, RUN | TO]);
  });

  it('B4: START and STOP in one write: STOP wins', () => {
    const { clock, w, r, period, snap } = makeRig();
    period(99);
    w(CONTROL, START | STOP);
    clock.advanceTo(10 * TICK + 1);
    expect([snap(), r(STATUS)]).toEqual([99, 0]);
    w(CONTROL, START);
    clock.advanceTo(20 * TICK + 1);
    w(CONTROL, START | STOP | CONT);
    expect(r(STATUS)).toBe(0);
    expect(r(CONTROL)).toBe(CONT);
  });

  it('B4: CONT cleared while running applies at the next timeout; set again, the counter keeps going', () => {
    const { clock, w, r, period, snap } = makeRig();
    period(9);
    w(CONTROL, START | CONT);
    clock.advanceTo(5 * TICK + 1);
    w(CONTROL, 0); // one-shot from now: no restart
    expect(snap()).toBe(4);
    clock.advanceTo(10 * TICK);
    expect([snap(), r(STATUS)]).toEqual([9, TO]);
    clock.advanceTo(30 * TICK);
    expect([snap(), r(STATUS)]).toEqual([9, TO]);
    w(STATUS, 0);
    const t = clock.now();
    w(CONTROL, START);
    clock.advanceTo(t + 3 * TICK + 1);
    w(CONTROL, CONT); // periodic again, count unchanged
    expect(snap()).toBe(6);
    clock.advanceTo(t + 10 * TICK);
    clock.advanceTo(t + 20 * TICK);
    expect([snap(), r(STATUS)]).toEqual([9, RUN | TO]);
  });

  it('B5: snapl and snaph latch the whole counter on a write to either; reads do not change it', () => {
    const { clock, w, r, period } = makeRig();
    period(0x0003_0000);
    w(CONTROL, START);
    expect([r(SNAPL), r(SNAPH)]).toEqual([0, 0]); // nothing latched yet
    clock.advanceTo(2 * TICK + 1);
    w(SNAPH, 0xdead); // data ignored
    expect([r(SNAPL), r(SNAPH)]).toEqual([0xfffe, 0x2]);
    clock.advanceTo(5 * TICK + 1);
    expect([r(SNAPL), r(SNAPH)]).toEqual([0xfffe, 0x2]); // still the old latch
    w(SNAPL, 0);
    expect([r(SNAPL), r(SNAPH)]).toEqual([0xfffb, 0x2]);
    w(SNAPL, 0xffff);
    w(SNAPH, 0xffff);
    expect([r(SNAPL), r(SNAPH)]).toEqual([0xfffb, 0x2]);
  });

  it('B6: one-shot: TO, RUN falls, the counter holds P; START runs another P + 1 cycles', () => {
    const { clock, w, r, period, state, events } = makeRig();
    period(9);
    w(CONTROL, START | ITO);
    clock.advanceTo(10 * TICK - 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(10 * TICK);
    expect(state()).toEqual([9, TO, true]);
    clock.advanceTo(100 * TICK);
    expect(state()).toEqual([9, TO, true]);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    w(STATUS, 0);
    w(CONTROL, START | ITO);
    expect(r(STATUS)).toBe(RUN);
    clock.advanceTo(110 * TICK - 1);
    expect(state()).toEqual([0, RUN, false]);
    clock.advanceTo(110 * TICK);
    expect(state()).toEqual([9, TO, true]);
  });

  it('B10: clk at 0 Hz freezes the counter; back at a new rate it restarts from its reading', () => {
    const { clock, clk, w, r, period, snap } = makeRig();
    period(99);
    w(CONTROL, START | CONT | ITO);
    clock.advanceTo(10 * TICK + 1);
    expect(snap()).toBe(89);
    clk.setHz(0);
    clock.advanceTo(1_000_000);
    expect([snap(), r(STATUS)]).toEqual([89, RUN]);
    clk.setHz(100_000_000); // 10 ns per cycle: 90 cycles to the timeout
    const t = clock.now();
    clock.advanceTo(t + 900 - 1);
    expect([snap(), r(STATUS)]).toEqual([0, RUN]);
    clock.advanceTo(t + 900);
    expect([snap(), r(STATUS)]).toEqual([99, RUN | TO]);
    // rate change mid-count: 50 cycles done at 10 ns, the rest (49 + a fresh one) at 20 ns
    w(STATUS, 0);
    clock.advanceTo(t + 900 + 500 + 1);
    expect(snap()).toBe(49);
    clk.setHz(50_000_000);
    const u = clock.now();
    clock.advanceTo(u + 50 * TICK - 1);
    expect([snap(), r(STATUS)]).toEqual([0, RUN]);
    clock.advanceTo(u + 50 * TICK);
    expect([snap(), r(STATUS)]).toEqual([99, RUN | TO]);
  });

  it('reset stops everything, lowers the line and restores the reset values', () => {
    const { clock, w, r, period, device, snap } = makeRig({ initialPeriod: 1234 });
    period(9);
    w(CONTROL, START | CONT | ITO);
    clock.advanceTo(25 * TICK);
    w(SNAPL, 0);
    expect(device.irq.level).toBe(true);
    device.reset();
    expect([r(STATUS), r(CONTROL), r(PERIODL), r(PERIODH), r(SNAPL), r(SNAPH), device.irq.level]).toEqual([0, 0, 1234, 0, 0, 0, false]);
    expect(device.timer.mode).toBe('stopped');
    clock.advanceTo(1_000_000);
    expect([snap(), r(STATUS)]).toEqual([1234, 0]);
  });

  describe('snapshot / restore', () => {
    it('restores into a fresh device and continues the same', () => {
      const a = makeRig();
      a.period(9);
      a.w(CONTROL, START | CONT | ITO);
      a.clock.advanceTo(13 * TICK + 1);
      const snapshot = JSON.parse(JSON.stringify(a.device.snapshot())) as unknown;
      const b = makeRig({ clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(snapshot);
      expect(b.state()).toEqual(a.state());
      a.clock.advanceTo(40 * TICK + 1);
      b.clock.advanceTo(40 * TICK + 1);
      expect(b.state()).toEqual(a.state());
    });

    it('refuses malformed snapshots, a clk mismatch and an inconsistent limit, changing nothing', () => {
      const a = makeRig();
      a.period(9);
      a.w(CONTROL, START | CONT);
      const good = JSON.parse(JSON.stringify(a.device.snapshot())) as Record<string, unknown>;
      const b = makeRig();
      const before = JSON.stringify(b.device.snapshot());
      expect(() => b.device.restore(null)).toThrow(RegisterSnapshotError);
      expect(() => b.device.restore({ ...good, version: 2 })).toThrow(RegisterSnapshotError);
      expect(() => b.device.restore({ ...good, clkHz: 1 })).toThrow(RegisterSnapshotError);
      const registers = good.registers as { registers: Record<string, number> };
      const badPeriod = { ...good, registers: { ...registers, registers: { ...registers.registers, PERIODL: 8 } } };
      expect(() => b.device.restore(badPeriod)).toThrow(RegisterSnapshotError);
      expect(() => b.device.restore({ ...good, timer: { nonsense: true } })).toThrow();
      expect(JSON.stringify(b.device.snapshot())).toBe(before);
    });
  });

  describe('options and dispose (#13)', () => {
    const make = (options: unknown) => () =>
      new AlteraAvalonTimer(new VirtualClock(), options as ConstructorParameters<typeof AlteraAvalonTimer>[1]);
    const clk = new ClockInput('clk', 50_000_000);

    it.each([
      ['an unknown option', { clk, period: 99 }, 'AlteraAvalonTimer(options.period)'],
      ['a clk that is not a ClockInput', { clk: 50_000_000 }, 'AlteraAvalonTimer(options.clk)'],
      ['a missing clk', {}, 'AlteraAvalonTimer(options.clk)'],
      ['a bad delivery', { clk, delivery: 'later' }, 'AlteraAvalonTimer(options.delivery)'],
      ['an empty name', { clk, name: '' }, 'AlteraAvalonTimer(options.name)'],
      ['a negative initialPeriod', { clk, initialPeriod: -1 }, 'AlteraAvalonTimer(options.initialPeriod)'],
      ['a fractional initialPeriod', { clk, initialPeriod: 1.5 }, 'AlteraAvalonTimer(options.initialPeriod)'],
      ['an initialPeriod past 32 bits', { clk, initialPeriod: 2 ** 32 }, 'AlteraAvalonTimer(options.initialPeriod)'],
    ])('%s is a DeviceConfigError naming it', (_what, options, field) => {
      expect(make(options)).toThrow(DeviceConfigError);
      expect(make(options)).toThrow(field);
    });

    it('restore names the field that disagrees: clkHz or timer.limit', () => {
      const a = makeRig();
      a.period(9);
      a.w(CONTROL, START | CONT);
      const good = JSON.parse(JSON.stringify(a.device.snapshot())) as Record<string, unknown>;
      const fieldOf = (snapshot: unknown): string => {
        try {
          makeRig().device.restore(snapshot);
        } catch (error) {
          expect(error).toBeInstanceOf(RegisterSnapshotError);
          return (error as RegisterSnapshotError).field;
        }
        return '(accepted)';
      };
      expect(fieldOf(good)).toBe('(accepted)');
      expect(fieldOf({ ...good, clkHz: 1 })).toBe('clkHz');
      const registers = good.registers as { registers: Record<string, number> };
      expect(fieldOf({ ...good, registers: { ...registers, registers: { ...registers.registers, PERIODL: 8 } } })).toBe('timer.limit');
    });

    it('dispose() lets go of clk: a clock change no longer reaches it, the input keeps driving another device', () => {
      const rig = makeRig();
      const other = new AlteraAvalonTimer(rig.clock, { clk: rig.clk, name: 'other' });
      for (const d of [rig.device, other]) {
        d.write(PERIODL, 4, 9);
        d.write(PERIODH, 4, 0);
        d.write(CONTROL, 4, START | CONT);
      }
      rig.clock.advanceTo(5 * TICK + 1);
      rig.device.dispose();
      expect(() => rig.clk.setHz(100_000_000)).not.toThrow(); // 10 ns per cycle from here
      expect(rig.clock.pending).toBe(1); // the other device's timeout only
      const t = rig.clock.now();
      rig.clock.advanceTo(t + 5 * 10);
      expect(other.read(STATUS, 4)).toBe(RUN | TO);
      expect(rig.events).toEqual([]);
    });
  });
});
