// Every way a guest access to the Exynos4210 PWM timers can be refused (P9): a guest-error event
// naming the device, offset, size and reason; a read of 0; the block's state (snapshot) and lines
// unchanged. Then what is accepted without being modelled: reserved bits (ignored, silently) and
// the output-pin fields (stored, reported as `unimplemented`). There is no lock, so `locked`
// cannot happen.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { AUTO_RELOAD, INT_EN, INVERTER, makeRig, START, TCFG0, TCFG1, TCMPB, TCNTB, TCNTO, TCON, TINT_CSTAT, type Rig } from './rig';

type Access = readonly ['read' | 'write', number, AccessSize];

/** Timers 1 and 4 counting, timer 3's interrupt pending, 555 ns in, events cleared. */
const busy = (): Rig => {
  const rig = makeRig();
  rig.start(1, 1_000, true);
  rig.start(3, 5, false);
  rig.start(4, 0xffff_ffff, true);
  rig.clock.advanceTo(555);
  rig.events.length = 0;
  return rig;
};

describe('Exynos4210Pwm guest errors', () => {
  it.each<[string, Access, GuestErrorReason, string]>([
    ['P9: a read past TINT_CSTAT', ['read', 0x48, 4], 'unmapped', 'no register at 0x48'],
    ['P9: a write at the end of the 4 KiB region', ['write', 0xffc, 4], 'unmapped', 'no register at 0xffc'],
    ['P9: a read past the region', ['read', 0x1000, 4], 'unmapped', 'no register at 0x1000'],
    ['P9: a byte read of TCON', ['read', TCON, 1], 'bad-size', 'TCON accepts 4-byte accesses, not 1'],
    ['P9: a halfword write of TCNTB0', ['write', TCNTB(0), 2], 'bad-size', 'TCNTB0 accepts 4-byte accesses, not 2'],
    ['P9: a doubleword read of TINT_CSTAT', ['read', TINT_CSTAT, 8], 'bad-size', 'TINT_CSTAT accepts 4-byte accesses, not 8'],
    ['P9: a word read at TCFG1 + 2', ['read', TCFG1 + 2, 4], 'misaligned', 'TCFG1: a 4-byte access at 0x6 is not aligned to 4'],
    ['P9: a write to TCNTO1', ['write', TCNTO(1), 4], 'read-only', 'TCNTO1 is read-only'],
    // Linux's set-up writes its TCMPB(4), which lands on TCNTO4 (timer 4 has no compare buffer).
    ['P9: a write to TCNTO4 (where a TCMPB4 would be)', ['write', TCNTO(4), 4], 'read-only', 'TCNTO4 is read-only'],
  ])('%s', (_name, [kind, offset, size], reason, detail) => {
    const { device, events, clock, lines } = busy();
    const before = JSON.stringify(device.snapshot());
    const levels = lines();
    const result = kind === 'read' ? device.read(offset, size) : (device.write(offset, size, 0), 0);
    expect(result).toBe(0);
    expect(events).toEqual([{ kind: 'guest-error', time: clock.now(), source: 'exynos4210-pwm', offset, size, reason, detail }]);
    expect(JSON.stringify(device.snapshot())).toBe(before);
    expect(lines()).toEqual(levels);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const { w, r, events } = busy();
    w(TCFG0, 0xff00_0000);
    w(TCFG1, 0xfff0_0000);
    w(TCON, (r(TCON) | 0xff80_00e0) >>> 0);
    w(TINT_CSTAT, (0xffff_fc00 | INT_EN(1) | INT_EN(3)) >>> 0);
    expect([r(TCFG0), r(TCFG1), r(TCON), r(TINT_CSTAT) & ~0x3e0]).toEqual([0, 0, START(1) | AUTO_RELOAD(1) | START(3) | START(4) | AUTO_RELOAD(4), INT_EN(1) | INT_EN(3)]);
    expect(events).toEqual([]);
  });

  it('the output-pin fields (inverters, dead zone) are stored and each write of a 1 is reported; the counts go on', () => {
    const { w, r, events, clock } = busy();
    w(TCON, r(TCON) | INVERTER(1) | (1 << 4));
    w(TCFG0, 0x0012_0000);
    expect([r(TCON) & (INVERTER(1) | (1 << 4)), r(TCFG0)]).toEqual([INVERTER(1) | (1 << 4), 0x0012_0000]);
    expect(events).toEqual([
      { kind: 'unimplemented', time: clock.now(), source: 'exynos4210-pwm', offset: TCON, feature: 'TCON.DEAD_ZONE' },
      { kind: 'unimplemented', time: clock.now(), source: 'exynos4210-pwm', offset: TCON, feature: 'TCON.INVERTER1' },
      { kind: 'unimplemented', time: clock.now(), source: 'exynos4210-pwm', offset: TCFG0, feature: 'TCFG0.DEAD_ZONE_LENGTH' },
    ]);
    expect(r(TCNTO(1))).toBe(1_000 - 55);
  });

  it('P7: TCMPB writes are plain storage (no event)', () => {
    const { w, r, events } = busy();
    w(TCMPB(2), 0xdead_beef);
    expect([r(TCMPB(2)), events]).toEqual([0xdead_beef, []]);
  });
});
