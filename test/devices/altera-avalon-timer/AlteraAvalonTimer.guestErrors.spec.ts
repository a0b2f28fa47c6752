// Every bad guest access of the interval timer: a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and its line unchanged.
// The core has no read-only register (every slot takes writes), no write-only one and no
// lock, so those reasons cannot occur.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CONT, CONTROL, ITO, makeRig, PERIODH, PERIODL, RUN, SNAPH, SNAPL, START, STATUS, TICK, TO, type Rig } from './rig';

const AT = 10 * TICK + 3 * TICK + 3; // after the first timeout: TO set, line high, counting

/** A timer counting with its interrupt pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.period(9);
  rig.w(CONTROL, START | CONT | ITO);
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
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'altera-avalon-timer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(STATUS), device.irq.level]).toEqual([RUN | TO, true]);
};

describe('AlteraAvalonTimer guest errors', () => {
  describe('B9: offsets with no register are unmapped', () => {
    it.each([
      ['0x18, just after snaph', 0x18],
      ['0x1c, the last word the 3-bit address would reach', 0x1c],
      ['0x100, far out', 0x100],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('B8: byte and 8-byte accesses are refused', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['status', STATUS],
      ['control', CONTROL],
      ['periodl', PERIODL],
      ['periodh', PERIODH],
      ['snapl', SNAPL],
      ['snaph', SNAPH],
    ] as const) {
      for (const size of [1, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 0 }, 'bad-size');
    });

    it('a byte write of 0 to status does not clear TO', () => {
      expectRefused({ kind: 'write', offset: STATUS, size: 1, value: 0 }, 'bad-size');
    });
  });

  describe('an access that does not start on its size is misaligned', () => {
    it.each([0x001, 0x003, 0x006, 0x00a, 0x012].map((o) => [`0x${o.toString(16).padStart(2, '0')}`, o] as const))('32-bit at %s', (_hex, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'misaligned');
      expectRefused({ kind: 'write', offset, size: 4, value: 0 }, 'misaligned');
    });
    it.each([0x001, 0x005, 0x013].map((o) => [`0x${o.toString(16).padStart(2, '0')}`, o] as const))('16-bit at %s', (_hex, offset) => {
      expectRefused({ kind: 'read', offset, size: 2 }, 'misaligned');
      expectRefused({ kind: 'write', offset, size: 2, value: 0 }, 'misaligned');
    });
  });

  it('B8: 16-bit accesses work; the upper half reads 0 and a write there is a strobe that stores nothing', () => {
    const rig = running();
    const { device } = rig;
    expect(device.read(STATUS, 2)).toBe(RUN | TO);
    expect(device.read(STATUS + 2, 2)).toBe(0);
    expect(device.read(PERIODL, 2)).toBe(9);
    device.write(STATUS + 2, 2, 0xffff); // clears TO (any write to status)
    expect([rig.r(STATUS), device.irq.level]).toEqual([RUN, false]);
    device.write(PERIODL + 2, 2, 0xffff); // stops and reloads the unchanged period
    expect([rig.r(PERIODL), rig.r(STATUS), rig.snap()]).toEqual([9, 0, 9]);
    expect(rig.events).toEqual([]);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(CONTROL, 0xffff_fff3); // ITO | CONT and every reserved bit; no strobe
    expect(rig.r(CONTROL)).toBe(ITO | CONT);
    rig.w(PERIODH, 0xffff_0000); // reserved bits only: PERIODH becomes 0
    expect(rig.r(PERIODH)).toBe(0);
    expect(rig.events).toEqual([]);
  });

  it('the bad accesses of a whole sweep change nothing together either', () => {
    const rig = running();
    const before = JSON.stringify(rig.device.snapshot());
    for (const offset of [0x18, 0x01, 0x06, 0x100]) {
      for (const size of [1, 2, 4, 8] as const) {
        if (offset === 0x06 && size === 2) continue; // a legal access to control's upper half
        rig.device.read(offset, size);
        rig.device.write(offset, size, 1);
      }
    }
    expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    expect(rig.events.every((e) => e.kind === 'guest-error')).toBe(true);
    expect(rig.events).toHaveLength(30);
  });
});
