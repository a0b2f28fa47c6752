// Every bad guest access of the LAN9118 GP timer (X9, X10): a guest-error event naming the
// device, offset, size and reason; a read of 0; the device's state (snapshot) and its line
// unchanged. And the other side of X10: an access to a register of the controller that is not
// modelled is an `unimplemented` event naming it, not a guest error, and changes nothing.
import { describe, expect, it } from 'vitest';
import { LAN9118_NOT_MODELLED } from '../../../devices/lan9118-gpt';
import type { AccessSize, GuestErrorReason } from '../../../index';
import {
  BYTE_TEST,
  enableGptInterrupt,
  GPT_CFG,
  GPT_CNT,
  GPT_INT,
  ID_REV,
  INT_EN,
  INT_STS,
  IRQ_CFG,
  makeRig,
  PMT_CTRL,
  TICK,
  TIMER_EN,
  type Rig,
} from './rig';

const AT = 7 * TICK + 3; // after the step to 0 at 5 ticks: GPT_INT pending, the count wrapped

/** A GP timer that has interrupted and counts on, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  enableGptInterrupt(rig);
  rig.w(GPT_CFG, TIMER_EN | 5);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

/** Makes the access on a running device; returns the read value, the events and whether state and line stayed. */
const attempt = (access: Access) => {
  const rig = running();
  const { device, events } = rig;
  const before = JSON.stringify(device.snapshot());
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  return { rig, result, events: [...events], unchanged: JSON.stringify(device.snapshot()) === before && device.irq.level && rig.r(INT_STS) === GPT_INT };
};

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const { rig, result, events, unchanged } = attempt(access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'lan9118-gpt', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(unchanged).toBe(true);
};

const MODELLED: readonly [string, number][] = [
  ['ID_REV', ID_REV],
  ['IRQ_CFG', IRQ_CFG],
  ['INT_STS', INT_STS],
  ['INT_EN', INT_EN],
  ['BYTE_TEST', BYTE_TEST],
  ['PMT_CTRL', PMT_CTRL],
  ['GPT_CFG', GPT_CFG],
  ['GPT_CNT', GPT_CNT],
];

describe('Lan9118Gpt guest errors', () => {
  describe('X10: reserved offsets and offsets past the 256-byte window are unmapped', () => {
    it.each([
      ['0x60, reserved between INT_EN and BYTE_TEST', 0x60],
      ['0x94, reserved after GPT_CNT', 0x94],
      ['0xb8, the first reserved word after E2P_DATA', 0xb8],
      ['0xfc, the last word of the window', 0xfc],
      ['0x100, past the window', 0x100],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('X9: every register takes 32-bit accesses only (the 16-bit bus mode is not modelled)', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [...MODELLED, ['HW_CFG (not modelled)', 0x74] as const, ['RX_DATA_FIFO (not modelled)', 0x00] as const]) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of INT_STS does not acknowledge GPT_INT; a 16-bit write of GPT_CFG does not restart the count', () => {
      expectRefused({ kind: 'write', offset: INT_STS + 2, size: 1, value: 0x08 }, 'bad-size');
      expectRefused({ kind: 'write', offset: GPT_CFG, size: 2, value: 3 }, 'bad-size');
    });

    it('a misaligned 32-bit access to a not-modelled register is misaligned', () => {
      expectRefused({ kind: 'read', offset: 0x76, size: 4 }, 'misaligned');
      expectRefused({ kind: 'write', offset: 0x02, size: 4, value: 1 }, 'misaligned');
    });
  });

  it.each([
    ['ID_REV', ID_REV],
    ['GPT_CNT', GPT_CNT],
  ])('X10: a %s write is read-only', (_name, offset) => {
    expectRefused({ kind: 'write', offset, size: 4, value: 0x1234 }, 'read-only');
  });

  it('reserved bits read 0 and ignore writes, without an event; read-only fields ignore writes', () => {
    const rig = running();
    rig.w(GPT_CFG, (0xdfff_0000 | 5) >>> 0); // TIMER_EN 0 and every reserved bit 1
    expect(rig.r(GPT_CFG)).toBe(5);
    rig.w(INT_STS, 0x7c00_1000); // reserved bits 30:26 and 12
    rig.w(PMT_CTRL, 0);
    expect([rig.r(INT_STS), rig.r(PMT_CTRL)]).toEqual([GPT_INT, 1]);
    expect(rig.events).toEqual([]);
  });

  describe('X10, X11: the rest of the controller is unimplemented, not a guest error', () => {
    it.each(LAN9118_NOT_MODELLED.map((r) => [r.name, r.offset.toString(16), r.offset, r.part] as const))('%s at 0x%s: read 0, write ignored, each an unimplemented event', (name, _hex, offset, part) => {
      const { rig, result, events, unchanged } = attempt({ kind: 'read', offset, size: 4 });
      expect(result).toBe(0);
      const event = { kind: 'unimplemented', source: 'lan9118-gpt', time: rig.clock.now(), offset, feature: `${name} (${part})` };
      expect(events).toEqual([event]);
      expect(unchanged).toBe(true);
      const write = attempt({ kind: 'write', offset, size: 4, value: 0xffff_ffff });
      expect(write.events).toEqual([event]);
      expect(write.unchanged).toBe(true);
    });

    it('every word of a FIFO port window (aliases) is the port', () => {
      const rig = running();
      for (const offset of [0x04, 0x1c, 0x24, 0x3c]) rig.r(offset);
      expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual([
        'RX_DATA_FIFO (receive data FIFO port)',
        'RX_DATA_FIFO (receive data FIFO port)',
        'TX_DATA_FIFO (transmit data FIFO port)',
        'TX_DATA_FIFO (transmit data FIFO port)',
      ]);
    });

    it('X11: a BYTE_TEST write (the power-saving wake-up) and 1s written to PMT_CTRL bits other than READY are unimplemented and change nothing', () => {
      const { rig, events, unchanged } = attempt({ kind: 'write', offset: BYTE_TEST, size: 4, value: 0 });
      expect(events).toEqual([{ kind: 'unimplemented', source: 'lan9118-gpt', time: rig.clock.now(), offset: BYTE_TEST, feature: 'BYTE_TEST write (the wake-up from a power-saving state)' }]);
      expect([unchanged, rig.r(BYTE_TEST)]).toEqual([true, 0x8765_4321]);
      const pmt = attempt({ kind: 'write', offset: PMT_CTRL, size: 4, value: 0x401 }); // PHY_RST, as Linux's PHY reset
      expect(pmt.events).toEqual([{ kind: 'unimplemented', source: 'lan9118-gpt', time: pmt.rig.clock.now(), offset: PMT_CTRL, feature: 'PMT_CTRL[31:1]' }]);
      expect([pmt.unchanged, pmt.rig.r(PMT_CTRL)]).toEqual([true, 1]);
    });
  });
});
