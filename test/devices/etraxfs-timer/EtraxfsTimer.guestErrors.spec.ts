// Every bad guest access of the ETRAX FS timer block (E9, E12, E13): a guest-error event naming the
// device, offset, size and reason; a read of 0; the state (snapshot) and the lines unchanged. The
// registers the model leaves out are `unimplemented` events instead.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { ACK_INTR, CTRL, DATA, DIV, INTR_MASK, makeRig, MASKED_INTR, R_INTR, R_TIME, startTimer, wd, WD_CTRL, WD_STAT, type Rig } from './rig';

/** Timer 0 running with its interrupt pending, the watchdog started with key 5; events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  startTimer(rig, 0, 10);
  rig.w(WD_CTRL, wd(100, 1, 5));
  rig.clock.advanceTo(150);
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
    { kind: 'guest-error', source: 'etraxfs-timer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(R_INTR), device.irq.level]).toEqual([1, true]);
};

describe('EtraxfsTimer guest errors', () => {
  describe('offsets with no register are unmapped', () => {
    it.each([
      ['0x0c, after rw_tmr0_ctrl', 0x0c],
      ['0x1c, after rw_tmr1_ctrl', 0x1c],
      ['0x2c, between rw_cnt_cfg and rw_trig', 0x2c],
      ['0x5c, past the block', 0x5c],
      ['0xffc', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('E12: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['rw_tmr0_div', DIV[0]],
      ['r_tmr0_data', DATA[0]],
      ['rw_tmr1_ctrl', CTRL[1]],
      ['r_time', R_TIME],
      ['rw_wd_ctrl', WD_CTRL],
      ['rw_ack_intr', ACK_INTR],
    ] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });
  });

  it.each([
    ['r_tmr0_data', DATA[0]],
    ['r_tmr1_data', DATA[1]],
    ['r_time', R_TIME],
    ['r_wd_stat', WD_STAT],
    ['r_intr', R_INTR],
    ['r_masked_intr', MASKED_INTR],
  ])('E12: a write to %s is read-only', (_name, offset) => {
    expectRefused({ kind: 'write', offset, size: 4, value: 0 }, 'read-only');
  });

  it('E9: a rw_wd_ctrl write with the same key (not its complement) while the watchdog runs is locked', () => {
    expectRefused({ kind: 'write', offset: WD_CTRL, size: 4, value: wd(100, 1, 5) }, 'locked');
    expectRefused({ kind: 'write', offset: WD_CTRL, size: 4, value: wd(0, 0, 0) }, 'locked');
  });

  it.each([
    ['rs_cnt_data', 0x20],
    ['r_cnt_data', 0x24],
    ['rw_cnt_cfg', 0x28],
    ['rw_trig', 0x30],
    ['rw_trig_cfg', 0x34],
    ['rw_out', 0x3c],
    ['rw_test', 0x58],
  ])('E13: %s is not modelled: an unimplemented event reading 0, no state change', (name, offset) => {
    const rig = running();
    const before = JSON.stringify(rig.device.snapshot());
    expect(rig.device.read(offset, 4)).toBe(0);
    rig.device.write(offset, 4, 0xffff_ffff);
    expect(rig.events).toEqual([
      { kind: 'unimplemented', source: 'etraxfs-timer', time: rig.clock.now(), offset, feature: `${name} (counter, trigger and output units)` },
      { kind: 'unimplemented', source: 'etraxfs-timer', time: rig.clock.now(), offset, feature: `${name} (counter, trigger and output units)` },
    ]);
    expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running();
    rig.w(DIV[1], 0xffff_ffff);
    rig.w(CTRL[1], 0xffff_ffe1); // op 1 (hold), freq 0, reserved bits set
    rig.w(INTR_MASK, 0xffff_fff3);
    expect([rig.r(DIV[1]), rig.r(CTRL[1]), rig.r(INTR_MASK)]).toEqual([0xffff_ffff, 1, 3]);
    expect(rig.events).toEqual([]);
  });
});
