// Timing in the CMSDK APB timer's snapshots (#14): the counter's snapshot says how it keeps
// time, and a device keeping time the other way refuses it, naming the field, changing
// nothing. (Its k-th interrupt at a 24 MHz PCLK: test/devices/catalogue.timing.spec.ts.)
import { describe, expect, it } from 'vitest';
import { VirtualClock, type PTimerTiming } from '../../../index';
import { CTRL, EN, IRQEN, makeRig, RELOAD, TICK } from './rig';

/** A running timer (RELOAD 100) 107 cycles and 3 ns in, and its snapshot as JSON. */
const running = (timing?: PTimerTiming) => {
  const rig = makeRig(timing === undefined ? {} : { timing });
  rig.w(RELOAD, 100);
  rig.w(CTRL, EN | IRQEN);
  rig.clock.advanceTo(107 * TICK + 3);
  return { rig, snap: JSON.parse(JSON.stringify(rig.device.snapshot())) as { timer: { timing: string } } };
};

describe('CmsdkApbTimer timing in snapshots (#14)', () => {
  it('the counter snapshot carries the timing: exact by default, qemu when asked', () => {
    expect(running().snap.timer.timing).toBe('exact');
    expect(running('qemu').snap.timer.timing).toBe('qemu');
  });

  it.each([
    ['exact', 'qemu'],
    ['qemu', 'exact'],
  ] as const)("a snapshot of a device in %s timing is refused by one in %s timing, naming 'timing', changing nothing", (from, to) => {
    const { rig: source, snap } = running(from);
    const target = makeRig({ clock: new VirtualClock({ start: source.clock.now() }), timing: to });
    target.w(RELOAD, 7);
    const before = JSON.stringify(target.device.snapshot());
    expect(() => target.device.restore(snap)).toThrow(/timing/);
    expect(JSON.stringify(target.device.snapshot())).toBe(before);
    // The same timing restores.
    const twin = makeRig({ clock: new VirtualClock({ start: source.clock.now() }), timing: from });
    twin.device.restore(snap);
    expect(twin.state()).toEqual(source.state());
  });
});
