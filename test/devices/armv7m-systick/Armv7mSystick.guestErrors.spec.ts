// Every bad guest access of the SysTick (S9): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) and its line unchanged.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CALIB, CLKSOURCE, CSR, CVR, ENABLE, ICSR, makeRig, PENDSTSET, RVR, TICK, TICKINT, type Rig } from './rig';

const AT = 105 * TICK + 3; // after the first step to 0: pending, counting

/** A SysTick counting with its exception pending, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(RVR, 99);
  rig.w(CSR, CLKSOURCE | TICKINT | ENABLE);
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
    { kind: 'guest-error', source: 'armv7m-systick', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(ICSR), device.irq.level]).toEqual([PENDSTSET, true]);
};

describe('Armv7mSystick guest errors', () => {
  describe('S9: offsets with no register are unmapped', () => {
    it.each([
      ['0x010, just after CALIB (NVIC space in hardware)', 0x010],
      ['0xcf0, just before ICSR', 0xcf0],
      ['0xcf8, just after ICSR', 0xcf8],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('S9: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['CSR', CSR],
      ['RVR', RVR],
      ['CVR', CVR],
      ['CALIB', CALIB],
      ['ICSR', ICSR],
    ] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte read of CSR does not clear COUNTFLAG; a byte write of CVR does not clear the counter', () => {
      expectRefused({ kind: 'read', offset: CSR + 2, size: 1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: CVR, size: 1, value: 0 }, 'bad-size');
    });
  });

  it('S9: a CALIB write is read-only', () => {
    expectRefused({ kind: 'write', offset: CALIB, size: 4, value: 0xffff_ffff }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event; COUNTFLAG ignores writes', () => {
    const rig = running();
    rig.w(RVR, 0xffff_ffff);
    expect(rig.r(RVR)).toBe(0x00ff_ffff);
    expect(rig.r(CSR)).toBe((1 << 16) | CLKSOURCE | TICKINT | ENABLE); // COUNTFLAG from the wrap, cleared by this read
    rig.w(CSR, 0xffff_ffff); // reserved bits and COUNTFLAG written 1
    expect(rig.r(CSR)).toBe(CLKSOURCE | TICKINT | ENABLE); // a write never sets COUNTFLAG
    expect(rig.events).toEqual([]);
  });
});
