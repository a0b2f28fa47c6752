// Every guest error of the A10 timer block: each is a `guest-error` event naming the device,
// offset, size and reason; a refused read returns 0; nothing changes (the snapshot, with two
// timers running and an interrupt pending, is the same before and after).
//
// The block has no read-only, write-only or lockable register (the manual makes every one
// read/write), so `read-only`, `write-only` and `locked` cannot happen here: the map is checked
// for that below.
import { describe, expect, it } from 'vitest';
import { ALLWINNER_A10_PIT_REGISTERS } from '../../../devices/allwinner-a10-pit';
import type { AccessSize } from '../../../index';
import { CTRL, CUR, EN, INTV, LOSC_DIV64, LOSC_TICK, makeRig, RELOAD, TMR_IRQ_EN_REG, TMR_IRQ_STA_REG } from './rig';

type Case = readonly [name: string, kind: 'read' | 'write', offset: number, size: AccessSize, reason: string];

const CASES: readonly Case[] = [
  ['read of the hole at 0x08', 'read', 0x08, 4, 'unmapped'],
  ['write to the hole at 0x0C', 'write', 0x0c, 4, 'unmapped'],
  ['read of timer 0 +0xC', 'read', 0x1c, 4, 'unmapped'],
  ['write to timer 5 +0xC', 'write', 0x6c, 4, 'unmapped'],
  ['write to the hole at 0x70', 'write', 0x70, 4, 'unmapped'],
  ['read of the hole after the watchdog (0x98)', 'read', 0x98, 4, 'unmapped'],
  ['write to the hole after the 64-bit counter (0xAC)', 'write', 0xac, 4, 'unmapped'],
  ['read past the RTC window (0x140)', 'read', 0x140, 4, 'unmapped'],
  ['write at the end of the 1 KiB region (0x3FC)', 'write', 0x3fc, 4, 'unmapped'],
  ['read outside the region (0x400)', 'read', 0x400, 4, 'unmapped'],
  ['byte read of TMR0_CTRL', 'read', CTRL(0), 1, 'bad-size'],
  ['halfword write of TMR0_INTV_VALUE', 'write', INTV(0), 2, 'bad-size'],
  ['byte write to bits 31:24 of TMR0_CTRL', 'write', CTRL(0) + 3, 1, 'bad-size'],
  ['8-byte read of TMR0_CUR_VALUE', 'read', CUR(0), 8, 'bad-size'],
  ['8-byte write of TMR_IRQ_STA', 'write', TMR_IRQ_STA_REG, 8, 'bad-size'],
  ['word read at TMR0_CTRL + 2', 'read', CTRL(0) + 2, 4, 'misaligned'],
  ['word write at TMR0_INTV_VALUE + 2 (must not change the interval)', 'write', INTV(0) + 2, 4, 'misaligned'],
  ['word write at TMR_IRQ_STA + 1 (must not clear the pending bit)', 'write', TMR_IRQ_STA_REG + 1, 4, 'misaligned'],
];

describe('AllwinnerA10Pit guest errors: an event, a read of 0, nothing changed', () => {
  it.each(CASES)('%s', (_name, kind, offset, size, reason) => {
    const { clock, device, events, r, w } = makeRig();
    w(TMR_IRQ_EN_REG, 0b11);
    w(INTV(0), 2);
    w(INTV(1), 100);
    w(CTRL(0), LOSC_DIV64 | RELOAD | EN);
    w(CTRL(1), LOSC_DIV64 | RELOAD | EN);
    clock.advanceTo(2 * LOSC_TICK + 123); // timer 0 pending, timer 1 counting
    expect([r(TMR_IRQ_STA_REG), device.irq.level]).toEqual([1, true]);
    const before = JSON.stringify(device.snapshot());
    events.length = 0;

    const value = kind === 'read' ? device.read(offset, size) : (device.write(offset, size, size === 8 ? 0xff : 2 ** (8 * size) - 1), 0);

    expect(value).toBe(0);
    expect(JSON.stringify(device.snapshot())).toBe(before);
    expect([r(TMR_IRQ_STA_REG), device.irq.level, r(CUR(1))]).toEqual([1, true, 98]);
    expect(events).toEqual([
      { kind: 'guest-error', time: 2 * LOSC_TICK + 123, source: 'allwinner-a10-pit', offset, size, reason, detail: expect.any(String) },
    ]);
  });

  it('names the register or the hole in the detail', () => {
    const { device, events } = makeRig();
    device.read(0x08, 4);
    device.read(CTRL(0), 1);
    device.read(CTRL(0) + 2, 4);
    expect(events.map((e) => (e.kind === 'guest-error' ? e.detail : ''))).toEqual([
      'no register at 0x8',
      'TMR0_CTRL_REG accepts 4-byte accesses, not 1',
      'TMR0_CTRL_REG: a 4-byte access at 0x12 is not aligned to 4',
    ]);
  });

  it('has no read-only, write-only or lockable register, so those reasons never occur', () => {
    expect(ALLWINNER_A10_PIT_REGISTERS.registers.filter((reg) => reg.access !== 'rw')).toEqual([]);
    expect(new Set(ALLWINNER_A10_PIT_REGISTERS.registers.map((reg) => reg.sizes.join()))).toEqual(new Set(['4']));
  });

  it('malformed calls no bus could make are our caller’s bugs: they throw', () => {
    const { device } = makeRig();
    expect(() => device.read(-4, 4)).toThrow(RangeError);
    expect(() => device.read(0x104, 3 as AccessSize)).toThrow(RangeError); // also inside the RTC window
    expect(() => device.write(0x104, 1, 0x100)).toThrow(RangeError);
  });
});
