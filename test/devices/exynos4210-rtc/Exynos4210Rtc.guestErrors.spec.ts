// Every way a guest access to the Exynos4210 RTC can be refused (R8): a guest-error event naming
// the device, offset, size and reason; a read of 0; the state (snapshot) and the line unchanged.
// Then the calendar and alarm registers, which are not modelled: `unimplemented` events, never
// guest errors (R6); reserved bits (ignored, silently); RTCCON's calendar and pin bits (stored,
// reported, R4). There is no lock, so `locked` cannot happen.
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_RTC_UNMODELLED } from '../../../devices/exynos4210-rtc';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CLKOUTEN, CLKRST, CLKSEL, CNTSEL, CTLEN, CURTICCNT, INTP, makeRig, RTCCON, TIC, tick, TICCNT, TICEN, type Rig } from './rig';

type Access = readonly ['read' | 'write', number, AccessSize];

/** The tick counting (TICCNT 10), its first interrupt pending, events cleared. */
const busy = (): Rig => {
  const rig = makeRig();
  rig.w(TICCNT, 10);
  rig.w(RTCCON, TICEN);
  rig.clock.advanceTo(tick(13));
  rig.events.length = 0;
  return rig;
};

describe('Exynos4210Rtc guest errors', () => {
  it.each<[string, Access, GuestErrorReason, string]>([
    ['R8: a read below INTP', ['read', 0x00, 4], 'unmapped', 'no register at 0x0'],
    ['R8: a write between INTP and RTCCON', ['write', 0x34, 4], 'unmapped', 'no register at 0x34'],
    ['R8: a read after TICCNT', ['read', 0x48, 4], 'unmapped', 'no register at 0x48'],
    ['R8: a byte read between the calendar and CURTICCNT', ['read', 0x8c, 1], 'unmapped', 'no register at 0x8c'],
    ['R8: a write past the 256-byte region', ['write', 0x100, 4], 'unmapped', 'no register at 0x100'],
    ['R8: a doubleword read of RTCCON', ['read', RTCCON, 8], 'bad-size', 'RTCCON accepts 1/2/4-byte accesses, not 8'],
    ['R8: a doubleword write of TICCNT', ['write', TICCNT, 8], 'bad-size', 'TICCNT accepts 1/2/4-byte accesses, not 8'],
    ['R8: a halfword read at RTCCON + 1', ['read', RTCCON + 1, 2], 'misaligned', 'RTCCON: a 2-byte access at 0x41 is not aligned to 2'],
    ['R8: a word write at TICCNT + 2', ['write', TICCNT + 2, 4], 'misaligned', 'TICCNT: a 4-byte access at 0x46 is not aligned to 4'],
    ['R8: a write to CURTICCNT', ['write', CURTICCNT, 4], 'read-only', 'CURTICCNT is read-only'],
    ['R8: a byte write to CURTICCNT', ['write', CURTICCNT + 1, 1], 'read-only', 'CURTICCNT is read-only'],
    ['R6: a doubleword read of BCDSEC (a size the calendar registers do not take either)', ['read', 0x70, 8], 'bad-size', 'BCDSEC takes 1/2/4-byte accesses, not 8'],
    ['R6: a halfword write at ALMSEC + 1', ['write', 0x55, 2], 'misaligned', 'ALMSEC: a 2-byte access at 0x55 is not aligned to 2'],
  ])('%s', (_name, [kind, offset, size], reason, detail) => {
    const { device, events, clock } = busy();
    const before = JSON.stringify(device.snapshot());
    const result = kind === 'read' ? device.read(offset, size) : (device.write(offset, size, 0), 0);
    expect(result).toBe(0);
    expect(events).toEqual([{ kind: 'guest-error', time: clock.now(), source: 'exynos4210-rtc', offset, size, reason, detail }]);
    expect(JSON.stringify(device.snapshot())).toBe(before);
    expect(device.tick.level).toBe(true);
  });

  it.each(EXYNOS4210_RTC_UNMODELLED.map((r) => [r.name, r.offset] as const))('R6: %s (the calendar) is not modelled: reads 0, writes change nothing, each an unimplemented event', (name, offset) => {
    const { device, events, clock, r, w } = busy();
    const before = JSON.stringify(device.snapshot());
    expect(r(offset, 1)).toBe(0);
    w(offset, 0x59, 1);
    expect(r(offset, 4)).toBe(0);
    const feature = `${name} (the calendar and the alarm)`;
    expect(events).toEqual([0, 1, 2].map(() => ({ kind: 'unimplemented', time: clock.now(), source: 'exynos4210-rtc', offset, feature })));
    expect(JSON.stringify(device.snapshot())).toBe(before);
  });

  it('reserved bits read 0 and ignore writes, without an event; INTP.ALM is never set', () => {
    const { w, r, events } = busy();
    w(RTCCON, (0xffff_fc00 | TICEN) >>> 0);
    w(INTP, 0xffff_fffc);
    expect([r(RTCCON), r(INTP), events]).toEqual([TICEN, TIC, []]);
  });

  it("R4: RTCCON's calendar and pin bits are stored and each write of a 1 is reported; CTLEN is plain storage; the tick goes on", () => {
    const { w, r, events, clock } = busy();
    const count = r(CURTICCNT);
    w(RTCCON, TICEN | CTLEN | CLKSEL | CNTSEL | CLKRST | CLKOUTEN, 2);
    expect(r(RTCCON)).toBe(TICEN | CTLEN | CLKSEL | CNTSEL | CLKRST | CLKOUTEN);
    expect(events).toEqual(
      ['CLKSEL', 'CNTSEL', 'CLKRST', 'CLKOUTEN'].map((f) => ({ kind: 'unimplemented', time: clock.now(), source: 'exynos4210-rtc', offset: RTCCON, feature: `RTCCON.${f}` })),
    );
    expect(r(CURTICCNT)).toBe(count);
    clock.advanceTo(tick(22));
    expect(r(CURTICCNT)).toBe(0); // the second interrupt, at tick 10 + 11 + 1
  });

  it('R8: byte, halfword and word accesses reach the bytes they address (little-endian)', () => {
    const { w, r } = busy();
    w(TICCNT + 2, 0x12, 1);
    w(TICCNT, 0x3456, 2);
    expect([r(TICCNT), r(TICCNT + 2, 2), r(TICCNT + 3, 1), r(RTCCON + 1, 1)]).toEqual([0x0012_3456, 0x0012, 0, TICEN >> 8]);
  });
});
