// Every bad guest access of the CMSDK APB timer: a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and its line unchanged.
// The timer has no write-only register and no lock, so those reasons cannot occur.
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_TIMER_REGISTERS } from '../../../devices/cmsdk-apb-timer';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CTRL, EN, INTCLEAR, INTSTATUS, IRQEN, makeRig, RELOAD, TICK, VALUE, type Rig } from './rig';

const AT = 100 * TICK + 5 * TICK + 3; // after the first step: INTSTATUS set, line high, counting

/** A timer counting with its interrupt pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(RELOAD, 100);
  rig.w(CTRL, EN | IRQEN);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

/** Performs the access and checks everything a refused access must leave as it was. */
const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = running();
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const counter = rig.r(VALUE);
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    {
      kind: 'guest-error',
      source: 'cmsdk-apb-timer',
      time: clock.now(),
      offset: access.offset,
      size: access.size,
      reason,
      detail: expect.any(String),
    },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(VALUE), rig.r(INTSTATUS), device.irq.level]).toEqual([counter, 1, true]);
};

const IDS = CMSDK_APB_TIMER_REGISTERS.registers.filter((r) => r.access === 'ro');

describe('CmsdkApbTimer guest errors', () => {
  describe('A8: offsets with no register are unmapped', () => {
    it.each([
      ['0x010, just after INTSTATUS', 0x010],
      ['0x800, in the middle of the region', 0x800],
      ['0xfcc, just before PID4', 0xfcc],
      ['0x1000, past the 4 KiB region', 0x1000],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('A7: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['CTRL', CTRL],
      ['VALUE', VALUE],
      ['RELOAD', RELOAD],
      ['INTSTATUS', INTSTATUS],
      ['PID0', 0xfe0],
    ] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of 1 to INTCLEAR does not clear the interrupt', () => {
      expectRefused({ kind: 'write', offset: INTCLEAR, size: 1, value: 1 }, 'bad-size');
    });
  });

  describe('a 32-bit access that does not start on a register is misaligned', () => {
    it.each([0x002, 0x006, 0x00a, 0x00d, 0xfe1].map((o) => [`0x${o.toString(16)}`, o] as const))('at %s', (_hex, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'misaligned');
      expectRefused({ kind: 'write', offset, size: 4, value: 0 }, 'misaligned');
    });
  });

  describe('A8: the ID registers are read-only', () => {
    it.each(IDS.map((r) => [r.name, r.offset, r.reset] as const))('%s', (_name, offset, reset) => {
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'read-only');
      const rig = running();
      expect(rig.r(offset)).toBe(reset);
      expect(rig.events).toEqual([]);
    });
  });

  it('A8: reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(CTRL, 0xffff_fff9); // EN | IRQEN and every reserved bit; SELEXTEN/SELEXTCLK clear
    expect(rig.r(CTRL)).toBe(EN | IRQEN);
    rig.w(INTCLEAR, 0xffff_fffe); // every bit but the interrupt: nothing cleared
    expect([rig.r(INTSTATUS), rig.device.irq.level]).toEqual([1, true]);
    expect(rig.events).toEqual([]);
  });

  it('the bad accesses of a whole sweep change nothing together either', () => {
    const rig = running();
    const before = JSON.stringify(rig.device.snapshot());
    for (const offset of [0x010, 0x002, 0xfe0, 0x1000]) {
      for (const size of [1, 2, 4, 8] as const) {
        if (offset === 0xfe0 && size === 4) continue; // a legal read (the write is refused below)
        rig.device.read(offset, size);
        rig.device.write(offset, size, 1);
      }
    }
    rig.device.write(0xfe0, 4, 1);
    expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    expect(rig.events.every((e) => e.kind === 'guest-error')).toBe(true);
    expect(rig.events).toHaveLength(31);
  });
});
