// Every way a guest access to the SP804 can be refused: a guest-error event naming the
// device, offset, size and reason; a read of 0; the device's state (snapshot) and lines
// unchanged. The SP804 has no lock register, so `locked` cannot happen.
import { describe, expect, it } from 'vitest';
import { Sp804 } from '../../../devices/sp804';
import { ClockInput, VirtualClock, type AccessSize, type GuestErrorReason, type TraceEvent } from '../../../index';

const LOAD = 0x00;
const VALUE = 0x04;
const CONTROL = 0x08;
const INTCLR = 0x0c;
const RIS = 0x10;
const MIS = 0x14;
const T2 = 0x20;
const ITOP = 0xf04;

/** Both timers running and timer 1's interrupt pending, 1 500 ns in. */
const busy = () => {
  const clock = new VirtualClock();
  const device = new Sp804(clock, { timclk: new ClockInput('timclk', 1_000_000) });
  device.write(LOAD, 4, 1);
  device.write(CONTROL, 4, 0xe2); // periodic, IntEnable, 32-bit
  device.write(T2 + LOAD, 4, 100);
  device.write(T2 + CONTROL, 4, 0xc2);
  clock.advanceTo(1_500);
  const events: TraceEvent[] = [];
  device.events$.subscribe((e) => events.push(e));
  return { clock, device, events };
};

type Access = readonly ['read' | 'write', number, AccessSize];

describe('Sp804 guest errors', () => {
  it.each<[string, Access, GuestErrorReason, string]>([
    ['a read of the gap after timer 1', ['read', 0x1c, 4], 'unmapped', 'no register at 0x1c'],
    ['a write past timer 2', ['write', 0x40, 4], 'unmapped', 'no register at 0x40'],
    ['a read between the test and ID registers', ['read', 0xf08, 4], 'unmapped', 'no register at 0xf08'],
    ['a read where the CMSDK timers have PID4 (not an SP804 register)', ['read', 0xfd0, 4], 'unmapped', 'no register at 0xfd0'],
    ['a write past the 4 KiB region', ['write', 0x1000, 4], 'unmapped', 'no register at 0x1000'],
    ['a byte read of Value', ['read', VALUE, 1], 'bad-size', 'Timer1Value accepts 4-byte accesses, not 1'],
    ['a halfword write of Control', ['write', CONTROL, 2], 'bad-size', 'Timer1Control accepts 4-byte accesses, not 2'],
    ['a doubleword read of Load', ['read', LOAD, 8], 'bad-size', 'Timer1Load accepts 4-byte accesses, not 8'],
    ['a byte write of a PeriphID register', ['write', 0xfe0, 1], 'bad-size', 'TimerPeriphID0 accepts 4-byte accesses, not 1'],
    ['a word read at Load + 2', ['read', LOAD + 2, 4], 'misaligned', 'Timer1Load: a 4-byte access at 0x2 is not aligned to 4'],
    ['a word write at timer 2 Control + 1', ['write', T2 + CONTROL + 1, 4], 'misaligned', 'Timer2Control: a 4-byte access at 0x29 is not aligned to 4'],
    ['a write to Value', ['write', VALUE, 4], 'read-only', 'Timer1Value is read-only'],
    ['a write to timer 2 Value', ['write', T2 + VALUE, 4], 'read-only', 'Timer2Value is read-only'],
    ['a write to RIS', ['write', RIS, 4], 'read-only', 'Timer1RIS is read-only'],
    ['a write to MIS', ['write', MIS, 4], 'read-only', 'Timer1MIS is read-only'],
    ['a write to PeriphID0', ['write', 0xfe0, 4], 'read-only', 'TimerPeriphID0 is read-only'],
    ['a write to PCellID3', ['write', 0xffc, 4], 'read-only', 'TimerPCellID3 is read-only'],
    ['a read of IntClr', ['read', INTCLR, 4], 'write-only', 'Timer1IntClr is write-only'],
    ['a read of timer 2 IntClr', ['read', T2 + INTCLR, 4], 'write-only', 'Timer2IntClr is write-only'],
    ['a read of TimerITOP', ['read', ITOP, 4], 'write-only', 'TimerITOP is write-only'],
  ])('%s', (_name, [kind, offset, size], reason, detail) => {
    const { device, events } = busy();
    const before = JSON.stringify(device.snapshot());
    const lines = [device.timint1.level, device.timint2.level];
    const result = kind === 'read' ? device.read(offset, size) : (device.write(offset, size, 0), 0);
    expect(result).toBe(0);
    expect(events).toEqual([{ kind: 'guest-error', time: 1_500, source: 'sp804', offset, size, reason, detail }]);
    expect(JSON.stringify(device.snapshot())).toBe(before);
    expect([device.timint1.level, device.timint2.level]).toEqual(lines);
  });

  it('reserved Control bits are ignored without an event; the defined bits still take effect', () => {
    const { device, events } = busy();
    device.write(CONTROL, 4, (0xffff_ff00 | 0x10 | 0xe2) >>> 0); // bits 31:8 and 4 reserved
    expect(device.read(CONTROL, 4)).toBe(0xe2);
    expect(events).toEqual([]);
  });

  it('a refused write does not count as a Load: no restart, no interrupt from a 0 written at a bad size', () => {
    const { device, events } = busy();
    device.write(LOAD, 4, 7); // a real Load: restart from 7
    device.write(INTCLR, 4, 1);
    device.write(LOAD, 2, 0); // refused
    expect([device.read(LOAD, 4), device.read(VALUE, 4), device.read(RIS, 4)]).toEqual([7, 7, 0]);
    expect(events.map((e) => e.kind)).toEqual(['guest-error']);
  });
});
