// Every bad guest access of the CMSDK APB watchdog: a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and outputs unchanged.
// The lock (A8) is walked through register by register.
import { describe, expect, it } from 'vitest';
import { CMSDK_APB_WATCHDOG_REGISTERS } from '../../../devices/cmsdk-apb-watchdog';
import type { AccessSize, GuestErrorReason } from '../../../index';
import {
  INTEN,
  makeRig,
  RESEN,
  TICK,
  UNLOCK,
  WDOGCONTROL,
  WDOGINTCLR,
  WDOGITOP,
  WDOGLOAD,
  WDOGLOCK,
  WDOGRIS,
  WDOGVALUE,
  type Rig,
} from './rig';

const AT = 1000 * TICK + 5 * TICK; // after the first expiry: RIS set, line high, counting

/** A watchdog counting with its interrupt pending, at `AT`; locked if asked. */
const running = (locked: boolean): Rig => {
  const rig = makeRig();
  rig.w(WDOGLOAD, 1000);
  rig.w(WDOGCONTROL, INTEN | RESEN);
  rig.clock.advanceTo(AT);
  if (locked) rig.w(WDOGLOCK, 1);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

/** Performs the access and checks everything a refused access must leave as it was. */
const expectRefused = (rig: Rig, access: Access, reason: GuestErrorReason): void => {
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const lines = [device.irq.level, device.wdogres.level];
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    expect.objectContaining({ kind: 'guest-error', source: 'cmsdk-apb-watchdog', time: clock.now(), offset: access.offset, size: access.size, reason }),
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([device.irq.level, device.wdogres.level]).toEqual(lines);
};

describe('CmsdkApbWatchdog guest errors', () => {
  describe('unmapped offsets', () => {
    it.each([
      ['after WDOGMIS', 0x018],
      ['WDOGTEST, which only the Luminary variant has (#16)', 0x418],
      ['between WDOGLOCK and WDOGITCR', 0xc04],
      ['past the 4 KiB region', 0x1000],
    ])('%s', (_name, offset) => {
      expectRefused(running(false), { kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused(running(false), { kind: 'write', offset, size: 4, value: 1 }, 'unmapped');
    });
  });

  describe('A7: only 32-bit accesses', () => {
    it.each([
      ['byte read of WDOGVALUE', { kind: 'read', offset: WDOGVALUE, size: 1 }],
      ['byte read of the high byte of WDOGVALUE', { kind: 'read', offset: WDOGVALUE + 3, size: 1 }],
      ['halfword read of WDOGRIS', { kind: 'read', offset: WDOGRIS, size: 2 }],
      ['8-byte read at WDOGLOAD', { kind: 'read', offset: WDOGLOAD, size: 8 }],
      ['byte write of WDOGCONTROL', { kind: 'write', offset: WDOGCONTROL, size: 1, value: 0 }],
      ['halfword write of WDOGLOAD', { kind: 'write', offset: WDOGLOAD, size: 2, value: 5 }],
      ['byte write of WDOGINTCLR (would clear the interrupt)', { kind: 'write', offset: WDOGINTCLR, size: 1, value: 1 }],
      ['byte write of WDOGLOCK (would lock or unlock)', { kind: 'write', offset: WDOGLOCK, size: 1, value: 0x51 }],
    ] as const)('%s', (_name, access) => {
      expectRefused(running(false), access, 'bad-size');
    });

    it('a word access not aligned to 4 is misaligned', () => {
      expectRefused(running(false), { kind: 'read', offset: WDOGVALUE + 2, size: 4 }, 'misaligned');
      expectRefused(running(false), { kind: 'write', offset: WDOGLOAD + 2, size: 4, value: 1 }, 'misaligned');
    });
  });

  describe('writes to read-only registers', () => {
    const readOnly = CMSDK_APB_WATCHDOG_REGISTERS.registers.filter((r) => r.access === 'ro');
    it('covers WDOGVALUE, WDOGRIS, WDOGMIS and the 12 ID registers', () => {
      expect(readOnly.map((r) => r.name).slice(0, 3)).toEqual(['WDOGVALUE', 'WDOGRIS', 'WDOGMIS']);
      expect(readOnly).toHaveLength(15);
    });
    it.each(readOnly.map((r) => [r.name, r.offset] as const))('%s', (_name, offset) => {
      expectRefused(running(false), { kind: 'write', offset, size: 4, value: 0 }, 'read-only');
    });
    it('A8: while locked, a write to a read-only register still reports read-only', () => {
      expectRefused(running(true), { kind: 'write', offset: WDOGVALUE, size: 4, value: 7 }, 'read-only');
    });
  });

  describe('reads of write-only registers', () => {
    it.each([
      ['WDOGINTCLR', WDOGINTCLR],
      ['WDOGITOP', WDOGITOP],
    ])('%s', (_name, offset) => {
      expectRefused(running(false), { kind: 'read', offset, size: 4 }, 'write-only');
    });
  });

  describe('A8: while locked, every write but WDOGLOCK is refused', () => {
    const writable = CMSDK_APB_WATCHDOG_REGISTERS.registers.filter((r) => r.access !== 'ro' && r.name !== 'WDOGLOCK');
    it('covers WDOGLOAD, WDOGCONTROL, WDOGINTCLR, WDOGITCR and WDOGITOP', () => {
      expect(writable.map((r) => r.name)).toEqual(['WDOGLOAD', 'WDOGCONTROL', 'WDOGINTCLR', 'WDOGITCR', 'WDOGITOP']);
    });
    // Values chosen so that an accepted write would change something visible.
    const values: Record<string, number> = { WDOGLOAD: 5, WDOGCONTROL: 0, WDOGINTCLR: 1, WDOGITCR: 1, WDOGITOP: 0b11 };
    it.each(writable.map((r) => [r.name, r.offset] as const))('%s', (name, offset) => {
      const rig = running(true);
      expectRefused(rig, { kind: 'write', offset, size: 4, value: values[name]! }, 'locked');
      // The guest sees the watchdog exactly as it was: still counting, interrupt still pending.
      expect([rig.r(WDOGLOAD), rig.r(WDOGCONTROL), rig.r(WDOGRIS), rig.r(0xf00)]).toEqual([1000, INTEN | RESEN, 1, 0]);
      rig.clock.advanceBy(TICK + 1);
      expect(rig.r(WDOGVALUE)).toBe(995); // 997 at AT, two boundaries later
    });

    it('reads still work while locked', () => {
      const rig = running(true);
      expect([rig.r(WDOGLOAD), rig.r(WDOGVALUE), rig.r(WDOGCONTROL), rig.r(WDOGRIS), rig.r(WDOGLOCK)]).toEqual([
        1000,
        997,
        INTEN | RESEN,
        1,
        1,
      ]);
      expect(rig.events).toEqual([]);
    });

    it('WDOGLOCK stays writable: a wrong key keeps it locked, the key unlocks, and writes work again', () => {
      const rig = running(true);
      rig.w(WDOGLOCK, UNLOCK + 1); // not the key: (re)locks, no guest error
      expect([rig.r(WDOGLOCK), rig.events.length]).toEqual([1, 0]);
      rig.w(WDOGLOCK, UNLOCK);
      expect(rig.r(WDOGLOCK)).toBe(0);
      rig.w(WDOGINTCLR, 1);
      expect([rig.r(WDOGRIS), rig.r(WDOGVALUE), rig.device.irq.level]).toEqual([0, 1000, false]);
      expect(rig.events).toEqual([]);
    });
  });
});
