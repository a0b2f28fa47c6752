// The minimal timer at register level: a datasheet walk-through, its guest errors, reset and
// snapshot/restore.
import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../../devices';
import { ClockInput, DeviceConfigError, Trace, VirtualClock, type TraceEvent } from '../../../index';

const LOAD = 0x0;
const VALUE = 0x4;
const CTRL = 0x8;
const INTSTATUS = 0xc;

const make = (clock = new VirtualClock()) => {
  const device = new MinimalTimer(clock, { periodNs: 100 });
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, device, events };
};

describe('MinimalTimer', () => {
  it('counts down from LOAD one tick per period, sets INTSTATUS at the expiry and raises IRQ when enabled', () => {
    const { clock, device } = make();
    device.write(LOAD, 4, 3);
    device.write(CTRL, 4, 0b11); // EN | IRQEN at t = 0
    expect(device.read(VALUE, 4)).toBe(3);
    clock.advanceTo(100); // one tick: legacy reads 2 on the boundary
    expect(device.read(VALUE, 4)).toBe(2);
    clock.advanceTo(299);
    expect([device.read(VALUE, 4), device.read(INTSTATUS, 4), device.irq.level]).toEqual([0, 0, false]);
    clock.advanceTo(300); // expiry: reloaded and pending in one step
    expect([device.read(VALUE, 4), device.read(INTSTATUS, 4), device.irq.level]).toEqual([3, 1, true]);
    device.write(INTSTATUS, 4, 1); // write 1 to clear
    expect([device.read(INTSTATUS, 4), device.irq.level]).toEqual([0, false]);
  });

  it('keeps the line low while IRQEN is clear, and raises it when IRQEN is set with the status pending', () => {
    const { clock, device } = make();
    device.write(LOAD, 4, 1);
    device.write(CTRL, 4, 0b01);
    clock.advanceTo(100);
    expect([device.read(INTSTATUS, 4), device.irq.level]).toEqual([1, false]);
    device.write(CTRL, 4, 0b11);
    expect(device.irq.level).toBe(true);
  });

  it('stops counting when EN is cleared (the count is latched)', () => {
    const { clock, device } = make();
    device.write(LOAD, 4, 10);
    device.write(CTRL, 4, 1);
    clock.advanceTo(350);
    device.write(CTRL, 4, 0);
    const held = device.read(VALUE, 4);
    clock.advanceTo(5_000);
    expect(device.read(VALUE, 4)).toBe(held);
  });

  describe('guest errors: a guest-error event, a read of 0, nothing changed', () => {
    it.each([
      ['write to the read-only VALUE', (d: MinimalTimer) => d.write(VALUE, 4, 9), 'read-only'],
      ['unmapped offset', (d: MinimalTimer) => d.write(0x10, 4, 1), 'unmapped'],
      ['byte access', (d: MinimalTimer) => d.write(CTRL, 1, 1), 'bad-size'],
      ['misaligned offset', (d: MinimalTimer) => d.read(0x2, 4), 'misaligned'],
    ] as const)('%s', (_name, access, reason) => {
      const { clock, device, events } = make();
      device.write(LOAD, 4, 5);
      device.write(CTRL, 4, 1);
      clock.advanceTo(120);
      const before = JSON.stringify(device.snapshot());
      const value = access(device);
      expect(value ?? 0).toBe(0);
      expect(JSON.stringify(device.snapshot())).toBe(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'guest-error', source: 'minimal-timer', reason, time: 120 });
    });
  });

  it('reset() stops the timer and restores the reset values', () => {
    const { clock, device } = make();
    device.write(LOAD, 4, 2);
    device.write(CTRL, 4, 0b11);
    clock.advanceTo(200);
    device.reset();
    expect([device.read(LOAD, 4), device.read(VALUE, 4), device.read(CTRL, 4), device.read(INTSTATUS, 4)]).toEqual([0, 0, 0, 0]);
    expect(device.irq.level).toBe(false);
    expect(device.timer.mode).toBe('stopped');
  });

  it('a snapshot taken mid-run restores into a fresh system whose continuation has the same digest', () => {
    const continuation = (clock: VirtualClock, device: MinimalTimer): string => {
      const trace = new Trace();
      device.timer.triggers$.subscribe(({ time }) =>
        trace.record({ kind: 'expiry', time, source: device.name, timer: device.timer.name, cause: 'expiry' }),
      );
      for (let t = clock.now(); t <= 3_000; t += 70) {
        clock.advanceTo(t);
        trace.record({ kind: 'read', time: t, source: device.name, offset: VALUE, size: 4, value: device.read(VALUE, 4) });
        if (device.read(INTSTATUS, 4) === 1) device.write(INTSTATUS, 4, 1);
      }
      return trace.digest();
    };
    const { clock, device } = make();
    device.write(LOAD, 4, 7);
    device.write(CTRL, 4, 0b11);
    clock.advanceTo(1_234);
    const snapshot = JSON.parse(JSON.stringify(device.snapshot()));
    const fresh = make(new VirtualClock({ start: 1_234 }));
    fresh.device.restore(snapshot);
    expect(continuation(fresh.clock, fresh.device)).toBe(continuation(clock, device));
  });

  describe('options: every one is checked, a bad one is a DeviceConfigError naming it (#13)', () => {
    it.each([
      ['an unknown option key', { periodNs: 100, clk: new ClockInput('clk', 1_000_000) }, 'MinimalTimer(options.clk)'],
      ['a misspelt option key', { periodNs: 100, delivrey: 'sync' }, 'MinimalTimer(options.delivrey)'],
      ['a missing periodNs', {}, 'MinimalTimer(options.periodNs)'],
      ['a periodNs of 0 (the timer would never run)', { periodNs: 0 }, 'MinimalTimer(options.periodNs)'],
      ['a fractional periodNs', { periodNs: 2.5 }, 'MinimalTimer(options.periodNs)'],
      ['a ClockInput where periodNs is expected', { periodNs: new ClockInput('clk', 1_000_000) }, 'MinimalTimer(options.periodNs)'],
      ['an empty name', { periodNs: 100, name: '' }, 'MinimalTimer(options.name)'],
      ['a bad delivery', { periodNs: 100, delivery: 'later' }, 'MinimalTimer(options.delivery)'],
    ] as const)('%s', (_name, options, what) => {
      const make = () => new MinimalTimer(new VirtualClock(), options as never);
      expect(make).toThrow(DeviceConfigError);
      expect(make).toThrow(what);
    });
  });

  it('dispose() stops the timer mid-run: no expiry, no work left on the clock, events$ completes (#13)', () => {
    const { clock, device, events } = make();
    let completed = false;
    device.events$.subscribe({ complete: () => (completed = true) });
    device.write(LOAD, 4, 3);
    device.write(CTRL, 4, 0b11);
    clock.advanceTo(350); // one expiry at 300
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
    device.dispose();
    expect(completed).toBe(true);
    expect(clock.pending).toBe(0);
    clock.advanceTo(5_000);
    expect(events.filter((e) => e.kind === 'expiry')).toHaveLength(1);
  });
});
