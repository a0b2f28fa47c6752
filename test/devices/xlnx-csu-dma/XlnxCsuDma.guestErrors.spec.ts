// Every bad guest access of the CSU DMA (C6, C7): a guest-error event naming the device,
// offset, size and reason; a read of 0; the state (snapshot) and the line unchanged. And the
// block's registers this model leaves out: `unimplemented` events, never guest errors.
import { describe, expect, it } from 'vitest';
import { XLNX_CSU_DMA_REGISTERS, XLNX_CSU_DMA_UNMODELLED } from '../../../devices/xlnx-csu-dma';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { DST_I_EN, DST_I_MASK, makeRig, SRC_CTRL, SRC_CTRL2, SRC_I_DIS, SRC_I_EN, SRC_I_MASK, SRC_I_STS, TIMEOUT_EN, TIMEOUT_STRM, timeoutPre, timeoutVal, type Rig } from './rig';

/** The timeout counting (TIMEOUT_VAL 10, ticks of 10 ns), TIMEOUT_STRM pending and unmasked, events cleared. */
const busy = (): Rig => {
  const rig = makeRig({ stalled: true });
  rig.w(SRC_CTRL, timeoutVal(10));
  rig.w(SRC_I_EN, TIMEOUT_STRM);
  rig.w(SRC_CTRL2, TIMEOUT_EN | timeoutPre(3));
  rig.clock.advanceTo(135);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = busy();
  const before = JSON.stringify(rig.device.snapshot());
  if (access.kind === 'read') expect(rig.device.read(access.offset, access.size)).toBe(0);
  else rig.device.write(access.offset, access.size, access.value ?? 0);
  expect(rig.events).toEqual([
    { kind: 'guest-error', source: 'xlnx-csu-dma', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  expect(rig.device.irq.level).toBe(true);
};

describe('XlnxCsuDma guest errors', () => {
  describe('offsets with no register of the block are unmapped (the hardware would also raise INVALID_APB: not modelled)', () => {
    it.each([
      ['0x02c, after SRC_ADDR_MSB', 0x02c],
      ['0x400, between the channels', 0x400],
      ['0x810, DST has no CRC', 0x810],
      ['0x82c', 0x82c],
      ['0xff4', 0xff4],
      ['0x1000, past the 4 KiB module', 0x1000],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('C7: 32-bit accesses only', () => {
    it.each(XLNX_CSU_DMA_REGISTERS.registers.filter((r) => r.access === 'rw').map((r) => [r.name, r.offset] as const))('%s', (_name, offset) => {
      for (const size of [1, 2, 8] as const) {
        expectRefused({ kind: 'read', offset, size }, 'bad-size');
        expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
      }
    });
  });

  it('C6: reading I_EN or I_DIS is a write-only guest error; writing I_MASK is a read-only guest error', () => {
    expectRefused({ kind: 'read', offset: SRC_I_EN, size: 4 }, 'write-only');
    expectRefused({ kind: 'read', offset: SRC_I_DIS, size: 4 }, 'write-only');
    expectRefused({ kind: 'read', offset: DST_I_EN, size: 4 }, 'write-only');
    expectRefused({ kind: 'write', offset: SRC_I_MASK, size: 4, value: 0 }, 'read-only');
    expectRefused({ kind: 'write', offset: DST_I_MASK, size: 4, value: 0 }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = busy();
    rig.w(SRC_CTRL, (timeoutVal(10) | 0xfe00_0000) >>> 0);
    rig.w(SRC_CTRL2, (TIMEOUT_EN | timeoutPre(3) | 0xf000_0000) >>> 0);
    rig.w(SRC_I_STS, 0xffff_ff80);
    expect([rig.r(SRC_CTRL), rig.r(SRC_CTRL2), rig.r(SRC_I_STS)]).toEqual([timeoutVal(10), TIMEOUT_EN | timeoutPre(3), TIMEOUT_STRM]);
    expect(rig.events.filter((e) => e.kind !== 'expiry')).toEqual([]);
  });

  describe("the block's other registers (the data path) are unimplemented, not guest errors", () => {
    it.each(XLNX_CSU_DMA_UNMODELLED.map((r) => [r.name, r.offset] as const))('%s: reads 0, a write changes nothing; each is reported', (name, offset) => {
      const rig = busy();
      const before = JSON.stringify(rig.device.snapshot());
      expect(rig.device.read(offset, 4)).toBe(0);
      rig.device.write(offset, 4, 0x100);
      const report = { kind: 'unimplemented', time: rig.clock.now(), source: 'xlnx-csu-dma', offset, feature: `${name} (data path)` };
      expect(rig.events).toEqual([report, report]);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    });

    it('a halfword access to one of them is a bad-size guest error', () => {
      expectRefused({ kind: 'read', offset: 0x004, size: 2 }, 'bad-size');
    });
  });

  it('the refused accesses changed nothing: the counter still times out on time', () => {
    const rig = busy();
    rig.w(SRC_I_STS, TIMEOUT_STRM);
    rig.device.write(SRC_CTRL, 1, 0);
    rig.device.write(0x400, 4, 1);
    rig.clock.advanceTo(200);
    expect(rig.r(SRC_I_STS)).toBe(TIMEOUT_STRM);
  });
});
