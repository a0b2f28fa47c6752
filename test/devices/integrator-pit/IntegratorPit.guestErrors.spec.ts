// Every way a guest access to the Integrator/CP counter/timers can be refused (ambiguities 3, 4,
// 5): a guest-error event naming the device, offset, size and reason; a read of 0; the device's
// state (snapshot) and lines unchanged. There is no lock register, so `locked` cannot happen.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { at, CONTROL, INTCLR, LOAD, makeRig, MIS, RIS, VALUE } from './rig';

type Access = readonly ['read' | 'write', number, AccessSize];

/** All three timers running, timer 1's interrupt pending, 1 500 ns in. */
const busy = () => {
  const rig = makeRig();
  rig.w(at(0, LOAD), 1_000);
  rig.w(at(0, CONTROL), 0xc2);
  rig.w(at(1, LOAD), 1);
  rig.w(at(1, CONTROL), 0xe2);
  rig.w(at(2, LOAD), 100);
  rig.w(at(2, CONTROL), 0xe2);
  rig.clock.advanceTo(1_500);
  rig.events.length = 0;
  return rig;
};

describe('IntegratorPit guest errors', () => {
  it.each<[string, Access, GuestErrorReason, string]>([
    ['3: a read of the gap after timer 0', ['read', 0x1c, 4], 'unmapped', 'no register at 0x1c'],
    ['3: a write at 0x20 (the SP804 has its timer 2 there, this block does not)', ['write', 0x20, 4], 'unmapped', 'no register at 0x20'],
    ['3: a read of a fourth timer (QEMU: "bad timer")', ['read', 0x300, 4], 'unmapped', 'no register at 0x300'],
    ['3: a write to where the SP804 has TimerITCR', ['write', 0xf00, 4], 'unmapped', 'no register at 0xf00'],
    ['3: a read of where the SP804 has PeriphID0 (no ID registers)', ['read', 0xfe0, 4], 'unmapped', 'no register at 0xfe0'],
    ['3: a read of where the SP804 has PCellID3', ['read', 0xffc, 4], 'unmapped', 'no register at 0xffc'],
    ['3: a write past the 4 KiB region', ['write', 0x1000, 4], 'unmapped', 'no register at 0x1000'],
    ['5: a byte read of Value', ['read', at(0, VALUE), 1], 'bad-size', 'Timer0Value accepts 4-byte accesses, not 1'],
    ['5: a halfword write of timer 2 Control', ['write', at(2, CONTROL), 2], 'bad-size', 'Timer2Control accepts 4-byte accesses, not 2'],
    ['5: a doubleword read of timer 1 Load', ['read', at(1, LOAD), 8], 'bad-size', 'Timer1Load accepts 4-byte accesses, not 8'],
    ['5: a word read at Load + 2', ['read', at(1, LOAD) + 2, 4], 'misaligned', 'Timer1Load: a 4-byte access at 0x102 is not aligned to 4'],
    ['4: a write to Value', ['write', at(0, VALUE), 4], 'read-only', 'Timer0Value is read-only'],
    ['4: a write to timer 2 Value', ['write', at(2, VALUE), 4], 'read-only', 'Timer2Value is read-only'],
    ['a write to RIS', ['write', at(1, RIS), 4], 'read-only', 'Timer1RIS is read-only'],
    ['a write to MIS', ['write', at(1, MIS), 4], 'read-only', 'Timer1MIS is read-only'],
    ['a read of IntClr', ['read', at(1, INTCLR), 4], 'write-only', 'Timer1IntClr is write-only'],
  ])('%s', (_name, [kind, offset, size], reason, detail) => {
    const { device, events, clock } = busy();
    const before = JSON.stringify(device.snapshot());
    const lines = [device.timint0.level, device.timint1.level, device.timint2.level];
    const result = kind === 'read' ? device.read(offset, size) : (device.write(offset, size, 0), 0);
    expect(result).toBe(0);
    expect(events).toEqual([{ kind: 'guest-error', time: clock.now(), source: 'integrator-pit', offset, size, reason, detail }]);
    expect(JSON.stringify(device.snapshot())).toBe(before);
    expect([device.timint0.level, device.timint1.level, device.timint2.level]).toEqual(lines);
  });

  it('reserved Control bits are ignored without an event', () => {
    const { w, r, events } = busy();
    w(at(2, CONTROL), (0xffff_ff00 | 0x10 | 0xe2) >>> 0);
    expect([r(at(2, CONTROL)), events]).toEqual([0xe2, []]);
  });

  it('TimerPre = 11 is stored, counted ÷256 and reported unimplemented, naming the timer', () => {
    const { w, r, events } = busy();
    w(at(2, CONTROL), 0xe2 | 0x0c);
    expect(r(at(2, CONTROL))).toBe(0xee);
    expect(events).toEqual([expect.objectContaining({ kind: 'unimplemented', offset: at(2, CONTROL), feature: 'Timer2Control.TimerPre=0b11 (undefined; counts ÷256)' })]);
  });
});
