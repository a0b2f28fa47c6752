// Every bad guest access of the 88W8618 PIT (P5, P7, P9): a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and its lines unchanged.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { BOARD_RESET, CONTROL, LENGTH, makeRig, PIC, PIC_ENABLE_CLR, PIC_ENABLE_SET, PIC_STATUS, startTimer, TICK, VALUE, type Rig } from './rig';

/** Timer 1 running, its tick pending, at 25 µs; events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  startTimer(rig, 1, 10);
  rig.clock.advanceTo(25 * TICK + 3);
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
    { kind: 'guest-error', source: 'mv88w8618-pit', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(PIC_STATUS), device.lines.timer1.level]).toEqual([PIC(1), true]);
};

describe('Mv88w8618Pit guest errors', () => {
  describe('offsets with no register are unmapped', () => {
    it.each([
      ['0x004, between PIC STATUS and ENABLE_SET', 0x004],
      ['0x010, after the PIC registers', 0x010],
      ['0x0ffc, the end of the PIC page', 0xffc],
      ['0x1024, after TIMER3_VALUE', 0x1024],
      ['0x1030, just before BOARD_RESET', 0x1030],
      ['0x1038, after BOARD_RESET', 0x1038],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('P9: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['PIC_STATUS', PIC_STATUS],
      ['TIMER0_LENGTH', LENGTH[0]],
      ['CONTROL', CONTROL],
      ['TIMER1_VALUE', VALUE[1]],
    ] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of PIC ENABLE_CLR does not acknowledge; a byte write of BOARD_RESET does not reboot', () => {
      expectRefused({ kind: 'write', offset: PIC_ENABLE_CLR, size: 1, value: PIC(1) }, 'bad-size');
      expectRefused({ kind: 'write', offset: BOARD_RESET + 2, size: 1, value: 1 }, 'bad-size');
    });
  });

  it.each([
    ['PIC STATUS', PIC_STATUS],
    ['TIMER0_VALUE', VALUE[0]],
    ['TIMER3_VALUE', VALUE[3]],
  ])('P9: a write to %s is read-only', (_name, offset) => {
    expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'read-only');
  });

  it.each([
    ['PIC ENABLE_SET', PIC_ENABLE_SET],
    ['PIC ENABLE_CLR', PIC_ENABLE_CLR],
    ['BOARD_RESET', BOARD_RESET],
  ])('P5, P7: a read of %s is write-only', (_name, offset) => {
    expectRefused({ kind: 'read', offset, size: 4 }, 'write-only');
  });
});
