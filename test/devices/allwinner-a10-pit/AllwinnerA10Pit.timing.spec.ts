// Exact and QEMU timing on the A10 timer block (#14) at OSC24M, 41⅔ ns a tick (ambiguity 10):
// what CUR shows at the instants a count is loaded, where QEMU's floored countdown reads one
// tick too few. (Every timer's k-th interrupt: test/devices/catalogue.timing.spec.ts.)
import { describe, expect, it } from 'vitest';
import { VirtualClock, type PTimerTiming } from '../../../index';
import { CTRL, CUR, EN, INTV, makeRig, RELOAD, SRC_OSC24M } from './rig';

/** Timer 0 continuous on OSC24M ÷1, INTV = `interval`, loaded and started at `start`. */
const started = (interval: number, start: number, timing?: PTimerTiming) => {
  const rig = makeRig({ clock: new VirtualClock({ start }), ...(timing === undefined ? {} : { timing }) });
  rig.w(INTV(0), interval);
  rig.w(CTRL(0), SRC_OSC24M | RELOAD | EN);
  return rig;
};

describe('AllwinnerA10Pit timing (#14)', () => {
  it('exact (the default): CUR shows INTV at the load instant, and 0 at the instant a continuous count reaches it', () => {
    const load = started(1_000, 1_000);
    expect(load.r(CUR(0))).toBe(1_000);
    load.clock.advanceTo(1_041); // 41 ns into the 41⅔ ns tick
    expect(load.r(CUR(0))).toBe(1_000);
    // INTV = 3 from 0: 3 ticks = 125 ns exactly; CUR reaches 0 there and rests one tick.
    const wrap = started(3, 0);
    wrap.clock.advanceTo(124);
    expect(wrap.r(CUR(0))).toBe(1);
    wrap.clock.advanceTo(125);
    expect(wrap.r(CUR(0))).toBe(0);
  });

  it("timing 'qemu': one less at the load instant (999, then 1000), and INTV at the reload instant instead of 0 (QEMU's floored countdown)", () => {
    const load = started(1_000, 1_000, 'qemu');
    expect(load.r(CUR(0))).toBe(999);
    load.clock.advanceTo(1_001);
    expect(load.r(CUR(0))).toBe(1_000);
    // 3 ticks of QEMU's 41.666666666511 ns are 124.99999999 ns, floored: the interrupt is at 124
    // ns, where the re-anchored countdown (4 ticks, floored to 166 ns) reads INTV = 3; 0 from 125.
    const wrap = started(3, 0, 'qemu');
    wrap.clock.advanceTo(123);
    expect(wrap.r(CUR(0))).toBe(1);
    wrap.clock.advanceTo(124);
    expect(wrap.r(CUR(0))).toBe(3);
    wrap.clock.advanceTo(125);
    expect(wrap.r(CUR(0))).toBe(0);
  });
});
