// The CMSDK APB timer walked through like its datasheet: program the registers, step to just
// before and just past each PCLK edge that matters (+1 ns), and check what the guest reads.
// Titles starting with a tag (A1 …) pin the decision of the same tag in the device header.
// PCLK is 25 MHz (40 ns per cycle) unless a test says otherwise.
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_TIMER_POLICY, CMSDK_APB_TIMER_REGISTERS, CmsdkApbTimer } from '../../../devices/cmsdk-apb-timer';
import { ClockInput, PTimerSnapshotError, RegisterSnapshotError, VirtualClock } from '../../../index';
import { thrown } from '../../support/errors';
import { CTRL, EN, HZ, INTCLEAR, INTSTATUS, IRQEN, makeRig, RELOAD, SELEXTCLK, SELEXTEN, TICK, VALUE } from './rig';

describe('CmsdkApbTimer', () => {
  it('has the register values of the TRM after reset, and the ID registers of part 0x822', () => {
    const { r } = makeRig();
    expect([r(CTRL), r(VALUE), r(RELOAD), r(INTSTATUS)]).toEqual([0, 0, 0, 0]);
    const ids = [0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(r);
    expect(ids).toEqual([0x04, 0x00, 0x00, 0x00, 0x22, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  });

  it('uses the W+O+R+D policy, as QEMU', () => {
    expect([...CMSDK_APB_TIMER_POLICY].sort()).toEqual(
      ['NO_COUNTER_ROUND_DOWN', 'NO_IMMEDIATE_RELOAD', 'TRIGGER_ONLY_ON_DECREMENT', 'WRAP_AFTER_ONE_PERIOD'],
    );
    expect(makeRig().device.timer.policy).toEqual(CMSDK_APB_TIMER_POLICY);
  });

  // 40 ns cycles are whole ns: exact timing (the default) and QEMU's give QEMU's figures alike.
  it.each(['exact', 'qemu'] as const)("A1: QEMU's qtest: RELOAD = 1000, CTRL = EN | IRQEN at 25 MHz (timing %s)", (timing) => {
    const { clock, r, w, device } = makeRig({ clock: new VirtualClock({ start: 7_777 }), timing });
    const t0 = clock.now();
    w(RELOAD, 1000);
    w(CTRL, EN | IRQEN);
    // half way, 1 ns into cycle 501: 500 left, no interrupt
    clock.advanceTo(t0 + TICK * 500 + 1);
    expect([r(VALUE), r(INTSTATUS)]).toEqual([500, 0]);
    // 1 ns past the 1 -> 0 step: interrupt set, VALUE holds 0
    clock.advanceBy(TICK * 500);
    expect([r(INTSTATUS), r(VALUE), device.irq.level]).toEqual([1, 0, true]);
    // one cycle later the counter has reloaded
    clock.advanceBy(TICK);
    expect(r(VALUE)).toBe(1000);
    // INTCLEAR: writing 0 keeps the interrupt, writing 1 clears it
    w(INTCLEAR, 0);
    expect([r(INTSTATUS), device.irq.level]).toEqual([1, true]);
    w(INTCLEAR, 1);
    expect([r(INTSTATUS), device.irq.level]).toEqual([0, false]);
  });

  it('A1: the interrupt rises on the 1 -> 0 step, not 1 ns earlier; VALUE rests at 0 one cycle; later rounds are RELOAD + 1 cycles', () => {
    const { clock, w, state, events } = makeRig({ clock: new VirtualClock({ start: 1_000_003 }) });
    const t0 = clock.now();
    const e1 = t0 + 4 * TICK; // first round: 4 cycles from the write
    const e2 = e1 + 5 * TICK; // later rounds: 4 + 1 (the cycle at 0)
    w(RELOAD, 4); // also loads VALUE (A3)
    w(CTRL, EN | IRQEN);
    expect(state()).toEqual([4, 0, false]);
    // VALUE changes 1 ns after each edge: 4 up to t0 + 40, 3 from t0 + 41 (A9)
    clock.advanceTo(t0 + TICK);
    expect(state()[0]).toBe(4);
    clock.advanceTo(t0 + TICK + 1);
    expect(state()[0]).toBe(3);
    clock.advanceTo(t0 + 3 * TICK + 1);
    expect(state()[0]).toBe(1);
    // last ns before the 1 -> 0 step
    clock.advanceTo(e1 - 1);
    expect(state()).toEqual([1, 0, false]);
    // the step: interrupt and line together with VALUE 0
    clock.advanceTo(e1);
    expect(state()).toEqual([0, 1, true]);
    expect(events).toEqual([
      { kind: 'expiry', time: e1, source: 'cmsdk-apb-timer', timer: 'cmsdk-apb-timer.counter', cause: 'expiry' },
    ]);
    // VALUE holds 0 for a whole cycle, then shows RELOAD
    clock.advanceTo(e1 + TICK);
    expect(state()[0]).toBe(0);
    clock.advanceTo(e1 + TICK + 1);
    expect(state()[0]).toBe(4);
    // the handler clears the interrupt
    w(INTCLEAR, 1);
    expect(state()).toEqual([4, 0, false]);
    // second round: 5 cycles after the first step
    clock.advanceTo(e2 - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(e2);
    expect(state()).toEqual([0, 1, true]);
  });

  it('A2: with IRQEN = 0 the 1 -> 0 step does not set INTSTATUS, and setting IRQEN later raises nothing', () => {
    const { clock, w, state, r } = makeRig();
    w(RELOAD, 4);
    w(CTRL, EN);
    // the step happens (VALUE 0) but leaves no interrupt
    clock.advanceTo(4 * TICK);
    expect(state()).toEqual([0, 0, false]);
    // enabling the interrupt now changes nothing, and does not restart the count
    clock.advanceTo(4 * TICK + 1);
    w(CTRL, EN | IRQEN);
    expect(state()).toEqual([0, 0, false]);
    expect(r(CTRL)).toBe(EN | IRQEN);
    // the next step, 5 cycles later, sets it
    clock.advanceTo(9 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(9 * TICK);
    expect(state()).toEqual([0, 1, true]);
  });

  it('A2: TIMERINT is INTSTATUS: clearing IRQEN keeps the line high until INTCLEAR', () => {
    const { clock, w, state } = makeRig();
    w(RELOAD, 4);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(4 * TICK);
    expect(state()).toEqual([0, 1, true]);
    // IRQEN off: the pending interrupt and the line stay
    w(CTRL, EN);
    expect(state()).toEqual([0, 1, true]);
    // only INTCLEAR lowers them
    w(INTCLEAR, 1);
    expect(state()).toEqual([0, 0, false]);
  });

  it('A3: a RELOAD write while counting also loads VALUE: the count restarts from it at once', () => {
    const { clock, w, state, r } = makeRig();
    w(RELOAD, 1000);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(10 * TICK + 1);
    expect(state()[0]).toBe(990);
    // new reload value, written 1 ns into a cycle
    w(RELOAD, 100);
    expect([r(RELOAD), r(VALUE)]).toEqual([100, 100]);
    // 100 cycles from the write to the 1 -> 0 step
    clock.advanceTo(10 * TICK + 1 + 100 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceBy(1);
    expect(state()).toEqual([0, 1, true]);
  });

  it('A4: RELOAD = 0: VALUE counts down once, interrupts once, then holds 0; a VALUE write restarts it; a RELOAD write makes it periodic', () => {
    const { clock, w, state, events } = makeRig();
    // one-shot from 3
    w(VALUE, 3);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(3 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(3 * TICK);
    expect(state()).toEqual([0, 1, true]);
    // no further 1 -> 0 step: VALUE stays 0, one interrupt in all
    w(INTCLEAR, 1);
    clock.advanceTo(1_000_000);
    expect(state()).toEqual([0, 0, false]);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    // a VALUE write starts another single countdown
    w(VALUE, 2);
    clock.advanceTo(1_000_000 + 2 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(1_000_000 + 2 * TICK);
    expect(state()).toEqual([0, 1, true]);
    w(INTCLEAR, 1);
    // a non-zero RELOAD: periodic from it (rounds of 5, then 6 cycles)
    const t = 2_000_000;
    clock.advanceTo(t);
    w(RELOAD, 5);
    clock.advanceTo(t + 5 * TICK);
    expect(state()).toEqual([0, 1, true]);
    w(INTCLEAR, 1);
    clock.advanceTo(t + 11 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(t + 11 * TICK);
    expect(state()).toEqual([0, 1, true]);
    // RELOAD = 0 while counting: VALUE 0, nothing more
    w(INTCLEAR, 1);
    w(RELOAD, 0);
    clock.advanceTo(t + 1_000_000);
    expect(state()).toEqual([0, 0, false]);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(4);
  });

  describe('A5: INTCLEAR at the instant of a 1 -> 0 step', () => {
    // RELOAD 4 from t = 0: steps at 160 and 360; INTSTATUS is already 1 from the first
    const E2 = 4 * TICK + 5 * TICK;

    it('ordered before the step (same cycle): the set wins, INTSTATUS stays 1', () => {
      const { clock, w, state, device } = makeRig();
      const levels: boolean[] = [];
      device.irq.level$.subscribe((level) => levels.push(level));
      // queued at t = 0, before the counter re-arms for 360 (it does so at 160): at 360 it runs first
      clock.schedule(() => w(INTCLEAR, 1), E2);
      w(RELOAD, 4);
      w(CTRL, EN | IRQEN);
      clock.advanceTo(E2 - 1);
      expect(state()).toEqual([1, 1, true]); // pending since the first step
      clock.advanceTo(E2);
      expect(state()).toEqual([0, 1, true]);
      // the clear did happen, and the step set the interrupt again at the same instant
      expect(levels).toEqual([false, true, false, true]);
    });

    it('ordered after the step (a later cycle): the clear wins, INTSTATUS is 0', () => {
      const { clock, w, state } = makeRig();
      w(RELOAD, 4);
      w(CTRL, EN | IRQEN);
      clock.advanceTo(4 * TICK + 1);
      // queued at 161, after the counter re-armed for 360 at 160: runs after the step
      clock.schedule(() => w(INTCLEAR, 1), E2 - clock.now());
      clock.advanceTo(E2);
      expect(state()).toEqual([0, 0, false]);
    });
  });

  it('A6: SELEXTEN and SELEXTCLK are stored and reported unimplemented; the counter still counts PCLK', () => {
    const { clock, w, r, state, events } = makeRig();
    w(RELOAD, 1000);
    w(CTRL, EN | IRQEN | SELEXTEN | SELEXTCLK);
    expect(r(CTRL)).toBe(0xf);
    expect(events).toEqual([
      { kind: 'unimplemented', time: 0, source: 'cmsdk-apb-timer', offset: CTRL, feature: 'CTRL.SELEXTEN' },
      { kind: 'unimplemented', time: 0, source: 'cmsdk-apb-timer', offset: CTRL, feature: 'CTRL.SELEXTCLK' },
    ]);
    clock.advanceTo(10 * TICK + 1);
    expect(state()).toEqual([990, 0, false]);
    // each write of a 1 is reported again; clearing the bits is not reported
    w(CTRL, EN | IRQEN | SELEXTCLK);
    w(CTRL, EN | IRQEN);
    expect(events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual([
      'CTRL.SELEXTEN',
      'CTRL.SELEXTCLK',
      'CTRL.SELEXTCLK',
    ]);
    expect(state()).toEqual([990, 0, false]);
  });

  it('A9: at the instant of the step, a read queued before it sees VALUE 1 / INTSTATUS 0, one queued after sees 0 / 1', () => {
    const { clock, w, r } = makeRig();
    const seen: number[][] = [];
    clock.schedule(() => seen.push([r(VALUE), r(INTSTATUS)]), 4 * TICK); // queued before the counter is armed
    w(RELOAD, 4);
    w(CTRL, EN | IRQEN);
    clock.schedule(() => seen.push([r(VALUE), r(INTSTATUS)]), 4 * TICK); // queued after
    clock.advanceTo(4 * TICK);
    expect(seen).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('A10: VALUE = 0 written while counting: 0 for one cycle, then a silent reload, then RELOAD cycles to the interrupt', () => {
    const { clock, w, state, events } = makeRig();
    w(RELOAD, 10);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(3 * TICK + 1);
    expect(state()[0]).toBe(7);
    const t = clock.now();
    w(VALUE, 0);
    expect(state()).toEqual([0, 0, false]);
    // 0 until the next edge; the reload at that edge raises nothing
    clock.advanceTo(t + TICK - 1);
    expect(state()).toEqual([0, 0, false]);
    clock.advanceTo(t + TICK);
    expect(state()).toEqual([10, 0, false]);
    clock.advanceTo(t + 2 * TICK);
    expect(state()[0]).toBe(10);
    clock.advanceTo(t + 2 * TICK + 1);
    expect(state()[0]).toBe(9);
    expect(events).toEqual([]);
    // the interrupt: 10 cycles after the reload
    clock.advanceTo(t + 11 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(t + 11 * TICK);
    expect(state()).toEqual([0, 1, true]);
  });

  it('A11: EN = 0 freezes VALUE, EN = 1 resumes from it; a CTRL write that keeps EN does not restart the count', () => {
    const { clock, w, state } = makeRig();
    w(RELOAD, 100);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(10 * TICK + 1);
    expect(state()[0]).toBe(90);
    // disable: frozen
    w(CTRL, IRQEN);
    clock.advanceTo(10_000);
    expect(state()).toEqual([90, 0, false]);
    // enable: 90 for a full cycle, then 89 …
    w(CTRL, EN | IRQEN);
    clock.advanceTo(10_000 + TICK);
    expect(state()[0]).toBe(90);
    clock.advanceTo(10_000 + TICK + 1);
    expect(state()[0]).toBe(89);
    // rewriting CTRL with EN kept changes nothing
    w(CTRL, EN | IRQEN);
    expect(state()[0]).toBe(89);
    // … and the 1 -> 0 step comes 90 cycles after the enable
    clock.advanceTo(10_000 + 90 * TICK - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(10_000 + 90 * TICK);
    expect(state()).toEqual([0, 1, true]);
  });

  describe('A12: PCLK changes at run time', () => {
    it('25 -> 50 MHz mid-count: the count goes on from its value, one fresh 20 ns cycle at a time', () => {
      const { clock, pclk, w, state } = makeRig();
      w(RELOAD, 1000);
      w(CTRL, EN | IRQEN);
      clock.advanceTo(500 * TICK + 1);
      expect(state()[0]).toBe(500);
      const t = clock.now();
      pclk.setHz(50_000_000);
      // 500 for a whole new 20 ns cycle, then 499
      expect(state()[0]).toBe(500);
      clock.advanceTo(t + 20);
      expect(state()[0]).toBe(500);
      clock.advanceTo(t + 21);
      expect(state()[0]).toBe(499);
      // the step: 500 cycles of 20 ns after the change
      clock.advanceTo(t + 500 * 20 - 1);
      expect(state()).toEqual([1, 0, false]);
      clock.advanceTo(t + 500 * 20);
      expect(state()).toEqual([0, 1, true]);
      // the zero cycle is 20 ns now, and later rounds are 1001 cycles of 20 ns
      clock.advanceTo(t + 500 * 20 + 20);
      expect(state()[0]).toBe(0);
      clock.advanceTo(t + 500 * 20 + 21);
      expect(state()[0]).toBe(1000);
      w(INTCLEAR, 1);
      clock.advanceTo(t + 500 * 20 + 1001 * 20 - 1);
      expect(state()).toEqual([1, 0, false]);
      clock.advanceTo(t + 500 * 20 + 1001 * 20);
      expect(state()).toEqual([0, 1, true]);
    });

    it('0 Hz stops the counter with VALUE frozen; registers still work; PCLK back resumes from VALUE', () => {
      const { clock, pclk, w, state, events } = makeRig();
      w(RELOAD, 1000);
      w(CTRL, EN | IRQEN);
      clock.advanceTo(300 * TICK + 1);
      expect(state()[0]).toBe(700);
      pclk.setHz(0);
      clock.advanceTo(1_000_000_000);
      expect(state()).toEqual([700, 0, false]);
      expect(events).toEqual([]);
      // the register interface runs on PCLKG: a VALUE write lands while the counter is stopped
      w(VALUE, 10);
      expect(state()[0]).toBe(10);
      // PCLK at 1 MHz: 10 cycles of 1000 ns from now
      pclk.setHz(1_000_000);
      clock.advanceTo(1_000_000_000 + 1000);
      expect(state()[0]).toBe(10);
      clock.advanceTo(1_000_000_000 + 1001);
      expect(state()[0]).toBe(9);
      clock.advanceTo(1_000_000_000 + 10_000 - 1);
      expect(state()).toEqual([1, 0, false]);
      clock.advanceTo(1_000_000_000 + 10_000);
      expect(state()).toEqual([0, 1, true]);
    });

    it('a device made on a stopped PCLK counts nothing until the clock starts', () => {
      const { clock, pclk, w, state } = makeRig({ hz: 0 });
      w(RELOAD, 2);
      w(CTRL, EN | IRQEN);
      clock.advanceTo(1_000_000);
      expect(state()).toEqual([2, 0, false]);
      pclk.setHz(HZ);
      clock.advanceTo(1_000_000 + 2 * TICK);
      expect(state()).toEqual([0, 1, true]);
    });
  });

  it('has no prescaler: VALUE steps at the PCLK rate, and CTRL[7:4] (a prescale field on the SP804) is reserved', () => {
    const { clock, w, r, state, events } = makeRig({ hz: 1_000_000 });
    w(RELOAD, 3);
    w(CTRL, 0xf0 | EN | IRQEN);
    expect(r(CTRL)).toBe(EN | IRQEN);
    expect(events).toEqual([]);
    clock.advanceTo(1000);
    expect(state()[0]).toBe(3);
    clock.advanceTo(1001);
    expect(state()[0]).toBe(2);
    clock.advanceTo(3000 - 1);
    expect(state()).toEqual([1, 0, false]);
    clock.advanceTo(3000);
    expect(state()).toEqual([0, 1, true]);
  });

  it('reset(): every register to its reset value, the line low, the counter stopped; PCLK is kept', () => {
    const { clock, device, w, r, state, events } = makeRig();
    w(RELOAD, 4);
    w(CTRL, EN | IRQEN | SELEXTEN);
    clock.advanceTo(4 * TICK + 1);
    expect(state()).toEqual([0, 1, true]);
    events.length = 0;
    device.reset();
    const resets = CMSDK_APB_TIMER_REGISTERS.registers.map((reg) => reg.reset);
    expect(CMSDK_APB_TIMER_REGISTERS.registers.map((reg) => r(reg.offset))).toEqual(resets);
    expect(device.irq.level).toBe(false);
    clock.advanceTo(1_000_000);
    expect(state()).toEqual([0, 0, false]);
    expect(events).toEqual([]);
    // the device works again from scratch, at the same PCLK
    w(RELOAD, 2);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(1_000_000 + 2 * TICK);
    expect(state()).toEqual([0, 1, true]);
  });

  it('an interrupt handler run synchronously from the line, inside the expiry step, may access the device', () => {
    const { clock, device, w, state } = makeRig();
    const levels: boolean[] = [];
    device.irq.level$.subscribe((level) => {
      levels.push(level);
      if (level) {
        // the handler: clear, and load the next countdown (the timer is in its callback context)
        w(INTCLEAR, 1);
        w(VALUE, 50);
      }
    });
    w(RELOAD, 4);
    w(CTRL, EN | IRQEN);
    clock.advanceTo(4 * TICK);
    expect(levels).toEqual([false, true, false]);
    expect(state()).toEqual([50, 0, false]);
    clock.advanceTo(4 * TICK + 50 * TICK);
    expect(state()).toEqual([50, 0, false]);
    expect(levels).toEqual([false, true, false, true, false]);
  });

  describe('snapshot / restore', () => {
    const running = () => {
      const rig = makeRig();
      rig.w(RELOAD, 100);
      rig.w(CTRL, EN | IRQEN);
      rig.clock.advanceTo(100 * TICK + 7 * TICK + 3);
      return rig;
    };

    it('a restored device on a fresh clock at the same time reads and expires like the original', () => {
      const a = running();
      const snap = JSON.parse(JSON.stringify(a.device.snapshot())) as unknown;
      const b = makeRig({ clock: new VirtualClock({ start: a.clock.now() }) });
      b.device.restore(snap);
      expect(b.state()).toEqual(a.state());
      expect(b.r(CTRL)).toBe(EN | IRQEN);
      for (const t of [a.clock.now() + 1, 201 * TICK - 1, 201 * TICK, 201 * TICK + TICK + 1]) {
        a.clock.advanceTo(t);
        b.clock.advanceTo(t);
        expect(b.state()).toEqual(a.state());
      }
    });

    it.each([
      ['not an object', null, RegisterSnapshotError],
      ['another version', { version: 2 }, RegisterSnapshotError],
    ])('refuses %s', (_name, bad, error) => {
      const rig = running();
      const before = JSON.stringify(rig.device.snapshot());
      expect(() => rig.device.restore(bad)).toThrow(error);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    });

    it('refuses a snapshot taken at another PCLK, a counter whose limit is not RELOAD, or a malformed counter, changing nothing', () => {
      const rig = running();
      const good = JSON.parse(JSON.stringify(rig.device.snapshot())) as Record<string, unknown>;
      const before = JSON.stringify(rig.device.snapshot());
      const timer = good.timer as Record<string, unknown>;
      const registers = good.registers as { registers: Record<string, number> };
      expect(() => rig.device.restore({ ...good, pclkHz: 50_000_000 })).toThrow(/pclkHz/);
      expect(() => rig.device.restore({ ...good, timer: { ...timer, limit: '99' } })).toThrow(/timer\.limit/);
      // The counter's own refusal, at its full path, the counter's error as cause (#14)
      const e = thrown(() => rig.device.restore({ ...good, timer: { ...timer, delta: 'x' } })) as RegisterSnapshotError;
      expect(e).toBeInstanceOf(RegisterSnapshotError);
      expect(e.field).toBe('timer.delta');
      expect(e.cause).toBeInstanceOf(PTimerSnapshotError);
      // registers changed in the snapshot but a bad counter: nothing is loaded
      const otherRegs = { ...registers, registers: { ...registers.registers, CTRL: 0, INTSTATUS: 1 } };
      expect(() => rig.device.restore({ ...good, registers: otherRegs, timer: { ...timer, mode: 'bad' } })).toThrow(/'timer\.mode'/);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    });
  });

  it('names its line and its events after the instance', () => {
    const device = new CmsdkApbTimer(new VirtualClock(), { pclk: new ClockInput('pclk', HZ), name: 'timer0' });
    expect([device.name, device.irq.name, device.timer.name]).toEqual(['timer0', 'timer0.timerint', 'timer0.counter']);
  });
});
