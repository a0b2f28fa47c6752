// Every bad guest access of the DIGIC timer (D8): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) unchanged. And the other side of
// D5/D6: the words of unknown purpose and the bits of unknown meaning are `unimplemented`
// events, not guest errors, and change nothing.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CONTROL, EN, makeRig, RELVALUE, TICK, UNKNOWN_04, UNKNOWN_10, UNKNOWN_14, VALUE, type Rig } from './rig';

const AT = 7 * TICK + 3;

/** A counting timer at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(RELVALUE, 100);
  rig.w(CONTROL, EN);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const attempt = (access: Access) => {
  const rig = running();
  const before = JSON.stringify(rig.device.snapshot());
  const result = access.kind === 'read' ? rig.device.read(access.offset, access.size) : rig.device.write(access.offset, access.size, access.value ?? 0);
  return { rig, result, events: [...rig.events], unchanged: JSON.stringify(rig.device.snapshot()) === before };
};

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const { rig, result, events, unchanged } = attempt(access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'digic-timer', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(unchanged).toBe(true);
};

const REGISTERS: readonly [string, number][] = [
  ['CONTROL', CONTROL],
  ['RELVALUE', RELVALUE],
  ['VALUE', VALUE],
  ['UNKNOWN_04 (not modelled)', UNKNOWN_04],
  ['UNKNOWN_10 (not modelled)', UNKNOWN_10],
];

describe('DigicTimer guest errors', () => {
  describe('D8: offsets outside the six words are unmapped', () => {
    it.each([
      ['0x18, after the last known word', 0x18],
      ['0x80', 0x80],
      ['0xfc, the last word of the window', 0xfc],
      ['0x100, the next timer (another instance)', 0x100],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('D8: 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of REGISTERS) for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a 16-bit write of RELVALUE does not load the counter; a byte write of CONTROL does not stop it', () => {
      expectRefused({ kind: 'write', offset: RELVALUE, size: 2, value: 5 }, 'bad-size');
      expectRefused({ kind: 'write', offset: CONTROL, size: 1, value: 0 }, 'bad-size');
    });

    it('a 32-bit access off a word boundary is misaligned, on a modelled register and on an unknown word alike', () => {
      expectRefused({ kind: 'read', offset: VALUE + 2, size: 4 }, 'misaligned');
      expectRefused({ kind: 'write', offset: UNKNOWN_14 + 1, size: 4, value: 1 }, 'misaligned');
    });
  });

  it('D8: a VALUE write is read-only (barebox never writes it)', () => {
    expectRefused({ kind: 'write', offset: VALUE, size: 4, value: 0x1234 }, 'read-only');
  });

  describe('D5: the words of unknown purpose are unimplemented, not guest errors', () => {
    it.each([
      ['UNKNOWN_04', UNKNOWN_04],
      ['UNKNOWN_10', UNKNOWN_10],
      ['UNKNOWN_14', UNKNOWN_14],
    ])('%s: read 0, write ignored, each an unimplemented event naming it', (name, offset) => {
      const read = attempt({ kind: 'read', offset, size: 4 });
      const event = { kind: 'unimplemented', source: 'digic-timer', time: read.rig.clock.now(), offset, feature: `${name} (purpose unknown)` };
      expect([read.result, read.events, read.unchanged]).toEqual([0, [event], true]);
      const write = attempt({ kind: 'write', offset, size: 4, value: 3 });
      expect([write.events, write.unchanged]).toEqual([[event], true]);
    });
  });

  it('D6: 1s written to CONTROL[30:1] or RELVALUE[31:16] are unimplemented events; the bits read 0 and the rest of the write applies', () => {
    const rig = running();
    rig.w(CONTROL, 0x7fff_fffe | EN);
    rig.w(RELVALUE, 0xabcd_0010);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['CONTROL[30:1]', 'RELVALUE[31:16]']);
    expect([rig.r(CONTROL), rig.r(RELVALUE), rig.r(VALUE)]).toEqual([EN, 0x10, 0x10]);
  });
});
