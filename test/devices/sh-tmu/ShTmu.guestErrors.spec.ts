// Every bad guest access of the SuperH TMU (X8): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) and its lines unchanged. And what
// is not a guest error: reserved bits, and the features that are not modelled (X4, X11, X12).
import { describe, expect, it } from 'vitest';
import { SH_TMU_REGISTERS } from '../../../devices/sh-tmu';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { makeRig, program, state, TCPR2, tcr, TSTR, UNIE, type Rig } from './rig';

const AT = 450; // after channel 0's first underflow (4 counts): UNF set, counting

/** Channel 0 counting with its interrupt pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  program(rig, 0, 3);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = running();
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'sh-tmu', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(state(rig, 0)).toEqual([3, 1, true]);
};

describe('ShTmu guest errors', () => {
  describe('X8: offsets with no register are unmapped', () => {
    it.each([
      ['0x01, inside the TOCR word', 0x01],
      ['0x03', 0x03],
      ['0x05, inside the TSTR word', 0x05],
      ['0x12, after TCR0', 0x12],
      ['0x1e, after TCR1', 0x1e],
      ['0x2a, after TCR2', 0x2a],
      ['0x30, after TCPR2', 0x30],
      ['0xffc', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 1 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 1, value: 0xff }, 'unmapped');
    });
  });

  describe('X8: each register takes its own width only (TOCR, TSTR 8-bit; TCRn 16-bit; the rest 32-bit)', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const r of SH_TMU_REGISTERS.registers) {
      for (const size of [1, 2, 4, 8] as const) if (size !== r.width / 8) cases.push([r.name, r.offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 0 }, 'bad-size');
    });

    it('a 32-bit write over TSTR does not stop channel 0; a byte write of TCR0 does not clear UNF; the upper TCR0 byte is no register either', () => {
      expectRefused({ kind: 'write', offset: TSTR, size: 4, value: 0 }, 'bad-size');
      expectRefused({ kind: 'write', offset: tcr(0), size: 1, value: 0 }, 'bad-size');
      expectRefused({ kind: 'write', offset: tcr(0) + 1, size: 1, value: 0 }, 'bad-size');
    });
  });

  it('X8, X12: a TCPR2 write is read-only', () => {
    expectRefused({ kind: 'write', offset: TCPR2, size: 4, value: 0x1234 }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w8(TSTR, 0xf9); // STR0 kept, STR1/STR2 cleared, bits 7:3 reserved
    rig.w16(tcr(0), 0xfec0 | UNIE | 0x100); // UNF written 1 (kept), reserved bits 15:9 and 7:6
    expect([rig.r8(TSTR), rig.r16(tcr(0))]).toEqual([1, 0x100 | UNIE]);
    expect(rig.events).toEqual([]);
    expect(state(rig, 0)).toEqual([3, 1, true]);
  });
});
