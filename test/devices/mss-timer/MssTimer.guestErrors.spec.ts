// Every bad guest access of the MSS timer (X10): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) and its lines unchanged. And what
// is not a guest error: reserved bits, and the other mode's registers (X7).
import { describe, expect, it } from 'vitest';
import { MSS_TIMER_REGISTERS } from '../../../devices/mss-timer';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CTRL, ENABLE, INTEN, LOADVAL, makeRig, MIS, RIS, TICK, tim, TIM64_MIS, TIM64_MODE, TIM64_VAL_L, TIM64_VAL_U, VAL, type Rig } from './rig';

const AT = 12 * TICK + 3; // after timer 1's first zero: RIS set, counting

/** Timer 1 counting with its interrupt pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(tim(1, LOADVAL), 10);
  rig.w(tim(1, CTRL), ENABLE | INTEN);
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
    { kind: 'guest-error', source: 'mss-timer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(tim(1, RIS)), device.timer1int.level]).toEqual([1, true]);
};

describe('MssTimer guest errors', () => {
  describe('X10: offsets with no register are unmapped', () => {
    it.each([
      ['0x058, just after TIM64_MODE', 0x058],
      ['0x100, inside the 4 KiB window', 0x100],
      ['0xffc, the window\'s last word', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('X10: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const r of MSS_TIMER_REGISTERS.registers) for (const size of [1, 2, 8] as const) cases.push([r.name, r.offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of TIM1_RIS does not clear it; a halfword write of TIM64_MODE does not switch mode', () => {
      expectRefused({ kind: 'write', offset: tim(1, RIS), size: 1, value: 1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: TIM64_MODE, size: 2, value: 1 }, 'bad-size');
    });
  });

  it.each([
    ['TIM1_VAL', tim(1, VAL)],
    ['TIM2_VAL', tim(2, VAL)],
    ['TIM1_MIS', tim(1, MIS)],
    ['TIM2_MIS', tim(2, MIS)],
    ['TIM64_VAL_U', TIM64_VAL_U],
    ['TIM64_VAL_L', TIM64_VAL_L],
    ['TIM64_MIS', TIM64_MIS],
  ])('X10: a write to %s (the manual: no effect) is read-only', (_name, offset) => {
    expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'read-only');
  });

  it('X10: a write to TIM1_VAL in 64-bit mode is read-only too', () => {
    const rig = makeRig();
    rig.w(TIM64_MODE, 1);
    rig.w(tim(1, VAL), 5);
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'guest-error', reason: 'read-only', offset: tim(1, VAL) })]);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(tim(1, CTRL), 0xffff_fffd); // all but MODE: reserved bits written 1
    expect(rig.r(tim(1, CTRL))).toBe(ENABLE | INTEN);
    rig.w(TIM64_MODE, 0xffff_fffe); // bit 0 clear: the mode it is in, reserved bits 1
    expect(rig.r(TIM64_MODE)).toBe(0);
    expect([rig.r(tim(1, RIS)), rig.device.timer1int.level]).toEqual([1, true]); // no mode change happened
    expect(rig.events).toEqual([]);
  });

  it('X7: the other mode\'s registers are no guest error: ignored without an event (MSS_TIM64_init writes TIM1_RIS, TIM2_RIS)', () => {
    const rig = makeRig();
    rig.w(TIM64_MODE, 1);
    rig.w(tim(1, RIS), 1);
    rig.w(tim(2, RIS), 1);
    rig.w(tim(1, LOADVAL), 3);
    expect(rig.events).toEqual([]);
    expect(rig.r(tim(1, LOADVAL))).toBe(0);
  });
});
