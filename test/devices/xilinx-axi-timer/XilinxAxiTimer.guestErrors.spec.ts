// Every access the AXI Timer refuses: a guest-error event naming the device, offset, size and
// reason; the access reads 0; the device's state (registers and both counters) is unchanged;
// the counters keep running as before.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { ARHT, ENIT, ENT, LOAD, rig, TCR0, TCSR0, TCSR1, TINT, TLR0, TLR1, UDT } from './rig';

const make = () => {
  const { clock, timer, events, r, w } = rig({ name: 'axi0' });
  // Timer 0 down from 3, auto-reload, interrupt enabled (a carry every 5 clocks: 40, 90, 140 … ns);
  // timer 1 counting up from 0 without interrupt.
  w(TLR0, 3);
  w(TCSR0, LOAD);
  w(TCSR0, ENT | ENIT | ARHT | UDT);
  w(TLR1, 0);
  w(TCSR1, ENT);
  clock.advanceTo(45);
  events.length = 0;
  return { clock, timer, events, r, w };
};

type Case = readonly [what: string, kind: 'read' | 'write', offset: number, size: AccessSize, reason: GuestErrorReason];

const CASES: readonly Case[] = [
  // unmapped: the reserved words and everything from 0x20 (the decoder's aliases are not modelled)
  ['read of the reserved word after TCR0 (0x0C)', 'read', 0x0c, 4, 'unmapped'],
  ['write to the reserved word after TCR0 (0x0C)', 'write', 0x0c, 4, 'unmapped'],
  ['read of the reserved word after TCR1 (0x1C)', 'read', 0x1c, 4, 'unmapped'],
  ['write to the reserved word after TCR1 (0x1C)', 'write', 0x1c, 4, 'unmapped'],
  ['read at 0x20 (an alias of TCSR0 on the hardware)', 'read', 0x20, 4, 'unmapped'],
  ['write at 0x30 (an alias of TCSR1 on the hardware)', 'write', 0x30, 4, 'unmapped'],
  ['read far beyond the block (0x1_0000)', 'read', 0x1_0000, 4, 'unmapped'],
  // bad size: 32-bit accesses only (ambiguity 10)
  ['byte read of TCR0', 'read', 0x08, 1, 'bad-size'],
  ['byte write of TCSR0 (would set ENT in the hardware lane)', 'write', 0x00, 1, 'bad-size'],
  ['halfword read of TLR1', 'read', 0x14, 2, 'bad-size'],
  ['halfword write of TCSR1 upper half', 'write', 0x12, 2, 'bad-size'],
  ['8-byte read of TCSR0', 'read', 0x00, 8, 'bad-size'],
  ['8-byte write of TLR0', 'write', 0x00, 8, 'bad-size'],
  // misaligned
  ['4-byte read at TCSR0 + 2', 'read', 0x02, 4, 'misaligned'],
  ['4-byte write at TLR1 + 1', 'write', 0x15, 4, 'misaligned'],
  // read-only: the counters
  ['write to TCR0', 'write', 0x08, 4, 'read-only'],
  ['write to TCR1 (some bare-metal code zeroes it)', 'write', 0x18, 4, 'read-only'],
];

describe('XilinxAxiTimer guest errors: an event, a read of 0, nothing changed', () => {
  it.each(CASES)('%s', (_what, kind, offset, size, reason) => {
    const { clock, timer, events, r, w } = make();
    const before = JSON.stringify(timer.snapshot());
    const levels = [timer.timer0Irq.level, timer.timer1Irq.level, timer.interrupt.level];
    const value = kind === 'read' ? timer.read(offset, size) : (timer.write(offset, size, 0xff), 0);
    expect(value).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'guest-error', time: 45, source: 'axi0', offset, size, reason });
    expect(JSON.stringify(timer.snapshot())).toBe(before);
    expect([timer.timer0Irq.level, timer.timer1Irq.level, timer.interrupt.level]).toEqual(levels);
    // The counters were not disturbed: T0INT (set at 40 ns) is cleared, and set again at 90 ns.
    expect(r(TCSR0) & TINT).toBe(TINT);
    w(TCSR0, r(TCSR0));
    clock.advanceTo(89);
    expect([r(TCR0), r(TCSR0) & TINT]).toEqual([0, 0]);
    clock.advanceTo(90);
    expect([r(TCR0), r(TCSR0) & TINT, timer.interrupt.level]).toEqual([0xffff_ffff, TINT, true]);
    expect(r(0x18)).toBe(8); // TCR1: 90 ns is its 9th edge, shown from 1 ns later
  });

  it('writes to the reserved bits are ignored without an event; the block has no lock', () => {
    const { events, r, w } = make();
    // TCSR0[31:12] and TCSR1[31:11] are reserved.
    w(TCSR0, 0xffff_f000 | ENT | ENIT | ARHT | UDT);
    w(TCSR1, 0xffff_f800 | ENT);
    expect([r(TCSR0), r(TCSR1)]).toEqual([TINT | ENT | ENIT | ARHT | UDT, ENT]);
    // TLR is a plain 32-bit register.
    w(TLR1, 0xdead_beef);
    expect(r(TLR1)).toBe(0xdead_beef);
    expect(events).toEqual([]);
  });
});
