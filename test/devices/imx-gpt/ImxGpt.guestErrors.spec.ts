// Every bad guest access of the GPT (X10, X11): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) and its line unchanged.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CNT, CR, EN, ENMOD, ICR1, ICR2, IPG, IR, makeRig, OCR1, OCR2, OCR3, OF1, PR, SR, TICK, type Rig } from './rig';

const AT = 7 * TICK + 3; // after the first compare (restart mode, OCR1 = 4): pending, counting

/** A GPT counting in restart mode with OF1 pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(OCR1, 4);
  rig.w(IR, OF1);
  rig.w(CR, IPG | ENMOD | EN);
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
    { kind: 'guest-error', source: 'imx-gpt', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(rig.state()).toEqual([2, OF1, true]);
};

const REGISTERS = [
  ['CR', CR],
  ['PR', PR],
  ['SR', SR],
  ['IR', IR],
  ['OCR1', OCR1],
  ['OCR2', OCR2],
  ['OCR3', OCR3],
  ['ICR1', ICR1],
  ['ICR2', ICR2],
  ['CNT', CNT],
] as const;

describe('ImxGpt guest errors', () => {
  describe('X11: offsets past CNT are unmapped', () => {
    it.each([
      ['0x028, just after CNT', 0x028],
      ['0x02c', 0x02c],
      ['0xffc, the end of the 4 KiB region', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('X10: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of REGISTERS) for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of SR clears no flag; a byte write of OCR1 does not restart the counter (X5)', () => {
      expectRefused({ kind: 'write', offset: SR, size: 1, value: OF1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: OCR1, size: 1, value: 0 }, 'bad-size');
    });
  });

  it.each([
    ['ICR1', ICR1],
    ['ICR2', ICR2],
    ['CNT', CNT],
  ])('X10: a %s write is read-only', (_name, offset) => {
    expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(IR, 0xffff_ffff);
    expect(rig.r(IR)).toBe(0x3f);
    rig.w(PR, 0xffff_f000); // PRESCALER 0 kept; bits 31:12 reserved on the 'imx6' layout
    expect(rig.r(PR)).toBe(0);
    rig.w(SR, 0xffff_ffc0); // reserved bits written 1 clear nothing
    expect(rig.r(SR)).toBe(OF1);
    rig.w(CR, IPG | ENMOD | EN | (0x1f << 10)); // EN_24M (reserved here) and bits 14:11
    expect(rig.r(CR)).toBe(IPG | ENMOD | EN);
    expect(rig.events).toEqual([]);
    expect(rig.state()).toEqual([2, OF1, true]);
  });
});
