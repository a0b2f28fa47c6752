// Every bad guest access of the MCT (X13): a guest-error event naming the device, offset, size and
// reason; a read of 0; the device's state (snapshot), its write-status bits and its lines unchanged.
import { describe, expect, it } from 'vitest';
import { EXYNOS4210_MCT_REGISTERS } from '../../../devices/exynos4210-mct';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { COMP_ENABLE, FRCNTO, G_COMP_L, G_INT_ENB, G_TCON, ICNT, ICNTB, ICNTO, INT_ENB, INT_START, INTERVAL_MODE, L, makeRig, MANUAL_UPDATE, TCNTO, TCON, TICK, TIMER_ENABLE, TIMER_START, type Rig } from './rig';

const AT = 7 * TICK + 3; // after comparator 0's match at 4 and local 0's interrupt at 3: both pending, counting

/** Comparator 0 matched and local timer 0 interrupted, both still counting, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(G_COMP_L(0), 4);
  rig.w(G_INT_ENB, 1);
  rig.w(G_TCON, TIMER_ENABLE | COMP_ENABLE(0));
  rig.w(L(0, ICNTB), MANUAL_UPDATE | 2);
  rig.w(L(0, INT_ENB), ICNT);
  rig.w(L(0, TCON), TIMER_START | INT_START | INTERVAL_MODE);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = running();
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const levels = rig.lines();
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'exynos4210-mct', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(rig.lines()).toEqual(levels);
  expect(levels).toEqual([true, false, false, false, true, false]);
};

describe('Exynos4210Mct guest errors', () => {
  describe('X13: offsets of the 2 KiB window that hold no register are unmapped', () => {
    it.each([
      ['0x004, after MCT_CFG', 0x004],
      ['0x0fc, before G_CNT_L', 0x0fc],
      ['0x108, between G_CNT_U and G_CNT_WSTAT', 0x108],
      ['0x114, after G_CNT_WSTAT', 0x114],
      ['0x20c, after G_COMP0_ADD_INCR', 0x20c],
      ['0x23c, after G_COMP3_ADD_INCR', 0x23c],
      ['0x250, after G_WSTAT', 0x250],
      ['0x318, after L0_FRCNTO', 0x318],
      ['0x324, after L0_TCON', 0x324],
      ['0x338, after L0_INT_ENB', 0x338],
      ['0x344, after L0_WSTAT', 0x344],
      ['0x4fc, the end of local timer 1', 0x4fc],
      ['0x500, L2_TCNTB on the Exynos4412 only', 0x500],
      ['0x620, L3_TCON on the Exynos4412 only', 0x620],
      ['0x7fc, the end of the window', 0x7fc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('X13: registers take 32-bit accesses only', () => {
    it.each(EXYNOS4210_MCT_REGISTERS.registers.map((r) => [r.name, r.offset] as const))('%s', (_name, offset) => {
      for (const size of [1, 2, 8] as const) {
        expectRefused({ kind: 'read', offset, size }, 'bad-size');
        expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
      }
    });
  });

  describe('X13: the observation registers are read-only', () => {
    it.each([
      ['L0_TCNTO', L(0, TCNTO)],
      ['L0_ICNTO', L(0, ICNTO)],
      ['L0_FRCNTO', L(0, FRCNTO)],
      ['L1_TCNTO', L(1, TCNTO)],
      ['L1_ICNTO', L(1, ICNTO)],
      ['L1_FRCNTO', L(1, FRCNTO)],
    ])('a write to %s', (_name, offset) => {
      expectRefused({ kind: 'write', offset, size: 4, value: 5 }, 'read-only');
    });
  });
});
