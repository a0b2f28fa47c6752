// Every bad guest access of the AXI DMA (A8): a guest-error event naming the device, offset,
// size and reason; a read of 0; the state (snapshot) and the lines unchanged. And the core's
// registers this model leaves out: `unimplemented` events, never guest errors.
import { describe, expect, it } from 'vitest';
import { XILINX_AXI_DMA_UNMODELLED } from '../../../devices/xilinx-axi-dma';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CYCLE, DLY_IRQ, DLY_IRQEN, dmacr, IOC_IRQ, makeRig, MM2S_DMACR, MM2S_DMASR, MM2S_TAILDESC, RS, S2MM_DMACR, S2MM_DMASR, S2MM_TAILDESC, SGINCLD, type Rig } from './rig';

const UNIT = 125 * CYCLE;

/** S2MM counting a delay of 6 units (2 gone), Dly_Irq pending on MM2S, events cleared. */
const busy = (): Rig => {
  const rig = makeRig();
  rig.w(MM2S_DMACR, dmacr(1, 1, RS | DLY_IRQEN));
  rig.w(S2MM_DMACR, dmacr(6, 1, RS | DLY_IRQEN));
  rig.device.completePacket('mm2s');
  rig.device.completePacket('s2mm');
  rig.clock.advanceTo(2 * UNIT + 5);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const attempt = (rig: Rig, access: Access): number | undefined =>
  access.kind === 'read' ? rig.device.read(access.offset, access.size) : (rig.device.write(access.offset, access.size, access.value ?? 0), undefined);

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = busy();
  const before = JSON.stringify(rig.device.snapshot());
  const result = attempt(rig, access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(rig.events).toEqual([
    { kind: 'guest-error', source: 'xilinx-axi-dma', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  expect([rig.device.mm2sIntrout.level, rig.device.s2mmIntrout.level]).toEqual([true, false]);
};

describe('XilinxAxiDma guest errors', () => {
  describe('A8: offsets with no register of the core are unmapped', () => {
    it.each([
      ['0x20, a hole of the MM2S block', 0x20],
      ['0x24', 0x24],
      ['0x50, a hole of the S2MM block', 0x50],
      ['0x54', 0x54],
      ['0x5c, after S2MM_LENGTH', 0x5c],
      ['0x3fc, the end of the 1 KiB space', 0x3fc],
      ['0x400, past it', 0x400],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('A8: sizes', () => {
    it.each([
      ['MM2S_DMACR', MM2S_DMACR],
      ['MM2S_DMASR', MM2S_DMASR],
      ['S2MM_DMACR', S2MM_DMACR],
      ['S2MM_DMASR', S2MM_DMASR],
    ])('%s: 8-byte accesses, and 8- and 16-bit writes, are bad-size (narrow reads are fine)', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 8 }, 'bad-size');
      expectRefused({ kind: 'write', offset, size: 8, value: 1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: offset + 3, size: 1, value: 0xff }, 'bad-size');
      expectRefused({ kind: 'write', offset: offset + 2, size: 2, value: 0xffff }, 'bad-size');
    });

    it.each([
      ['MM2S_TAILDESC', MM2S_TAILDESC],
      ['S2MM_TAILDESC', S2MM_TAILDESC],
    ])('%s: 32-bit only', (_name, offset) => {
      for (const size of [1, 2, 8] as const) {
        expectRefused({ kind: 'read', offset, size }, 'bad-size');
        expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
      }
    });

    it('a halfword read not aligned to 2 is misaligned', () => {
      expectRefused({ kind: 'read', offset: S2MM_DMASR + 1, size: 2 }, 'misaligned');
    });

    it('byte and halfword reads of DMASR read its lanes, with no event: IRQDelaySts alone at +3', () => {
      const rig = busy();
      expect([rig.device.read(S2MM_DMASR + 3, 1), rig.device.read(S2MM_DMASR + 2, 1), rig.device.read(S2MM_DMASR + 2, 2), rig.device.read(S2MM_DMASR, 2)]).toEqual([
        2,
        1,
        0x0201,
        IOC_IRQ | SGINCLD,
      ]);
      expect(rig.events).toEqual([]);
    });
  });

  it('reserved bits and read-only fields ignore writes, without an event: DMACR bit 1 stays 1, DMASR status bits stay', () => {
    const rig = busy();
    rig.w(S2MM_DMACR, (dmacr(6, 1, RS | DLY_IRQEN) & ~0x2) | 0x8000 | 0x0fe0);
    expect(rig.r(S2MM_DMACR)).toBe(dmacr(6, 1, RS | DLY_IRQEN | 0x2));
    rig.w(S2MM_DMASR, 0x0fff_8fff & ~0x7000); // every status bit and reserved bit written 1, no interrupt bit
    expect(rig.r(S2MM_DMASR)).toBe((2 << 24) | (1 << 16) | IOC_IRQ | SGINCLD);
    expect(rig.events).toEqual([]);
    rig.w(S2MM_TAILDESC, 0xffff_ffff);
    expect(rig.r(S2MM_TAILDESC)).toBe(0xffff_ffc0);
    // The only event: the running channel's tail write, reported because the descriptor engine is not modelled (A9).
    expect(rig.events.map((e) => e.kind)).toEqual(['unimplemented']);
  });

  it('DMACR.Keyhole and CyclicBDEnable are stored and each write of a 1 is reported as unimplemented', () => {
    const rig = busy();
    rig.w(S2MM_DMACR, dmacr(6, 1, RS | DLY_IRQEN | 0x8 | 0x10));
    expect(rig.r(S2MM_DMACR) & 0x18).toBe(0x18);
    expect(rig.events.map((e) => (e as { feature?: string }).feature)).toEqual(['S2MM_DMACR.Keyhole', 'S2MM_DMACR.CyclicBDEnable']);
  });

  describe('the core\'s other registers (descriptor engine, data path) are unimplemented, not guest errors', () => {
    it.each(XILINX_AXI_DMA_UNMODELLED.map((r) => [r.name, r.offset] as const))('%s (0x%s): reads 0, a write changes nothing; each is reported', (name, offset) => {
      const rig = busy();
      const before = JSON.stringify(rig.device.snapshot());
      expect(rig.device.read(offset, 4)).toBe(0);
      rig.device.write(offset, 4, 0xdead_bee0);
      expect(rig.events).toEqual([
        { kind: 'unimplemented', time: rig.clock.now(), source: 'xilinx-axi-dma', offset, feature: `${name} (descriptor engine and data path)` },
        { kind: 'unimplemented', time: rig.clock.now(), source: 'xilinx-axi-dma', offset, feature: `${name} (descriptor engine and data path)` },
      ]);
      expect(JSON.stringify(rig.device.snapshot())).toBe(before);
    });

    it('a byte access to one of them is a bad-size guest error (the registers are 32-bit)', () => {
      expectRefused({ kind: 'read', offset: 0x08, size: 1 }, 'bad-size');
      expectRefused({ kind: 'write', offset: 0x5a, size: 2, value: 1 }, 'bad-size');
    });
  });

  it('the guest errors changed nothing: the delay timer still times out on time', () => {
    const rig = busy();
    for (const offset of [0x20, 0x5c, 0x400]) rig.device.write(offset, 4, 0xffff_ffff);
    rig.device.write(S2MM_DMACR + 3, 1, 0);
    rig.clock.advanceTo(6 * UNIT);
    expect(rig.s2mm()).toEqual([0, 1, IOC_IRQ | DLY_IRQ | SGINCLD, true]);
  });
});
