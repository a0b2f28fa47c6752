// Every access the dual timer refuses: a guest-error event naming the device, offset, size and
// reason; the access reads 0; the device's state (registers and both counters) is unchanged; the
// counters keep running as before.
import { describe, expect, it } from 'vitest';
import { CmsdkApbDualTimer } from '../../../devices/cmsdk-apb-dualtimer';
import { ClockInput, VirtualClock, type AccessSize, type GuestErrorReason, type TraceEvent } from '../../../index';

const make = () => {
  const clock = new VirtualClock();
  const dual = new CmsdkApbDualTimer(clock, { timclk: new ClockInput('TIMCLK', 10_000_000), name: 'dual0' });
  const events: TraceEvent[] = [];
  dual.events$.subscribe((e) => events.push(e));
  // Both timers running, timer 1 with an interrupt pending, integration test mode off.
  dual.write(0x00, 4, 3);
  dual.write(0x08, 4, 0xe2);
  dual.write(0x20, 4, 0x1_0000 + 40);
  dual.write(0x28, 4, 0xa4);
  clock.advanceTo(350);
  events.length = 0;
  return { clock, dual, events };
};

type Case = readonly [what: string, kind: 'read' | 'write', offset: number, size: AccessSize, reason: GuestErrorReason];

const CASES: readonly Case[] = [
  // unmapped: the gaps of the map and beyond it
  ['read of the reserved word after TIMER1BGLOAD (0x1C)', 'read', 0x1c, 4, 'unmapped'],
  ['write to the reserved word after TIMER2BGLOAD (0x3C)', 'write', 0x3c, 4, 'unmapped'],
  ['read of the would-be timer 3 (0x40)', 'read', 0x40, 4, 'unmapped'],
  ['write between the timers and the test registers (0x800)', 'write', 0x800, 4, 'unmapped'],
  ['read after TIMERITOP (0xF08)', 'read', 0xf08, 4, 'unmapped'],
  ['write just below the ID registers (0xFCC)', 'write', 0xfcc, 4, 'unmapped'],
  ['read past the 4 KiB region (0x1000)', 'read', 0x1000, 4, 'unmapped'],
  // bad size: only 1, 2 and 4 bytes
  ['8-byte read of TIMER1LOAD', 'read', 0x00, 8, 'bad-size'],
  ['8-byte write of TIMER2CONTROL', 'write', 0x28, 8, 'bad-size'],
  // misaligned
  ['4-byte read at TIMER1VALUE + 2', 'read', 0x06, 4, 'misaligned'],
  ['2-byte write at TIMER1CONTROL + 1', 'write', 0x09, 2, 'misaligned'],
  // read-only registers
  ['write to TIMER1VALUE (Linux writes it: ignored by the hardware)', 'write', 0x04, 4, 'read-only'],
  ['write to TIMER2VALUE', 'write', 0x24, 4, 'read-only'],
  ['write to TIMER1RIS', 'write', 0x10, 4, 'read-only'],
  ['write to TIMER2MIS', 'write', 0x34, 4, 'read-only'],
  ['byte write to TIMERPERIPHID0', 'write', 0xfe0, 1, 'read-only'],
  ['write to TIMERPCELLID3', 'write', 0xffc, 4, 'read-only'],
  // write-only registers
  ['read of TIMER1INTCLR', 'read', 0x0c, 4, 'write-only'],
  ['read of TIMER2INTCLR', 'read', 0x2c, 2, 'write-only'],
  ['read of TIMERITOP (ambiguity 8)', 'read', 0xf04, 4, 'write-only'],
];

describe('CmsdkApbDualTimer guest errors: an event, a read of 0, nothing changed', () => {
  it.each(CASES)('%s', (_what, kind, offset, size, reason) => {
    const { clock, dual, events } = make();
    const before = JSON.stringify(dual.snapshot());
    const lines = [dual.timint1.level, dual.timint2.level, dual.timintc.level];
    const value = kind === 'read' ? dual.read(offset, size) : (dual.write(offset, size, 0xff), 0);
    expect(value).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'guest-error', time: 350, source: 'dual0', offset, size, reason });
    expect(JSON.stringify(dual.snapshot())).toBe(before);
    expect([dual.timint1.level, dual.timint2.level, dual.timintc.level]).toEqual(lines);
    // The counters were not disturbed: timer 1 (3-tick period + 1) interrupts again at 700 ns.
    dual.write(0x0c, 4, 1);
    clock.advanceTo(699);
    expect(dual.read(0x10, 4)).toBe(0);
    clock.advanceTo(700);
    expect(dual.read(0x10, 4)).toBe(1);
  });

  it('writes to reserved bits are ignored without an event; the block has no lock', () => {
    const { dual, events } = make();
    // CONTROL bit 4 and bits 31:8, TIMERITCR bits 31:1, TIMERITOP bits 31:2: reserved.
    dual.write(0x08, 4, (0xffff_ff00 | 0x10 | 0xe2) >>> 0);
    dual.write(0xf00, 4, 0xffff_fffe);
    dual.write(0xf04, 4, 0xffff_fffc);
    expect([dual.read(0x08, 4), dual.read(0xf00, 4)]).toEqual([0xe2, 0]);
    expect(events).toEqual([]);
  });
});
