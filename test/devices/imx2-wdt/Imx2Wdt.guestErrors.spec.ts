// Every bad guest access of the i.MX2+ WDOG (X10): a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and its lines unchanged.
// Locked write-once bits are not guest errors (X3: in the device spec).
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { makeRig, POR, SRS, STEP, WCR, WDA, WDE, WICR, WIE, WMCR, WRSR, WSR, wt, WTIS, type Rig } from './rig';

/** Counting (WT 5: 3 s) with the pre-timeout pending (WICT 2: at 2 s), at 2.25 s, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(WICR, WIE | 2);
  rig.w(WCR, wt(5) | WDA | SRS | WDE);
  rig.clock.advanceTo(4.5 * STEP);
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
  expect(events).toEqual([{ kind: 'guest-error', source: 'imx2-wdt', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) }]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(rig.lines()).toEqual([true, false, false]);
};

describe('Imx2Wdt guest errors', () => {
  describe('X10: offsets past WMCR are unmapped', () => {
    it.each([
      ['0x0a, just after WMCR', 0x0a],
      ['0x10', 0x10],
      ['0x3ffe, the end of the 16 KiB region', 0x3ffe],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 2 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 2, value: 0xffff }, 'unmapped');
    });
  });

  describe('X10: the registers take 16-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['WCR', WCR],
      ['WSR', WSR],
      ['WRSR', WRSR],
      ['WICR', WICR],
      ['WMCR', WMCR],
    ] as const) {
      for (const size of [1, 4, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of WSR is not half a service; a 32-bit write of WCR and WSR together is refused whole', () => {
      expectRefused({ kind: 'write', offset: WSR, size: 1, value: 0x55 }, 'bad-size');
      expectRefused({ kind: 'write', offset: WCR, size: 4, value: 0x5555_0000 }, 'bad-size');
    });

    it('a 16-bit access at an odd offset is misaligned', () => {
      expectRefused({ kind: 'read', offset: WICR + 1, size: 2 }, 'misaligned');
      expectRefused({ kind: 'write', offset: WCR + 1, size: 2, value: 0 }, 'misaligned');
    });
  });

  it('X10: a WRSR write is read-only (QEMU ignores it silently)', () => {
    expectRefused({ kind: 'write', offset: WRSR, size: 2, value: 0xffff }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event; WRSR reads its reset cause', () => {
    const rig = running();
    rig.w(WICR, 0x3f00 | WTIS); // WICR[13:8] reserved; the WTIS bit acknowledges
    expect(rig.r(WICR)).toBe(WIE | 2);
    rig.w(WMCR, 0xffff); // WMCR[15:1] reserved; PDE written 1: kept
    expect(rig.r(WMCR)).toBe(1);
    expect(rig.r(WRSR)).toBe(POR);
    expect(rig.events).toEqual([]);
  });
});
