// Every bad guest access of the MCF5208 PIT (P8): a guest-error event naming the device, offset,
// size and reason; a read of 0; the device's state (snapshot) and its line unchanged. The
// registers are 16-bit big-endian; the bus carries values, so only the 16-bit accesses the
// drivers make are accepted (the byte lanes of an 8- or 32-bit access are never guessed).
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { EN, loadAndRun, makeRig, PCNTR, PCSR, PIE, PIF, PMR, RLD, TICK, type Rig } from './rig';

const AT = 7 * TICK + 3; // after the step to 0 at 5 µs: PIF pending, counting again

/** A PIT that has interrupted and counts on, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  loadAndRun(rig, 5, EN | RLD | PIE);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const attempt = (access: Access) => {
  const rig = running();
  const before = JSON.stringify(rig.device.snapshot());
  const result = access.kind === 'read' ? rig.device.read(access.offset, access.size) : rig.device.write(access.offset, access.size, access.value ?? 0);
  return { rig, result, events: [...rig.events], unchanged: JSON.stringify(rig.device.snapshot()) === before && rig.device.irq.level };
};

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const { rig, result, events, unchanged } = attempt(access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'mcf5208-pit', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(unchanged).toBe(true);
};

describe('Mcf5208Pit guest errors', () => {
  describe('P8: offsets past PCNTR in the 16 KiB window are unmapped', () => {
    it.each([
      ['0x06, right after PCNTR', 0x06],
      ['0x08', 0x08],
      ['0x3ffe, the last half-word of the window', 0x3ffe],
      ['0x4000, PIT1 (another instance)', 0x4000],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 2 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 2, value: 0xffff }, 'unmapped');
    });
  });

  describe('P8: 16-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [['PCSR', PCSR], ['PMR', PMR], ['PCNTR', PCNTR]] as const) for (const size of [1, 4, 8] as const) cases.push([name, offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write at PCSR + 1 (PCSR[7:0] on the big-endian lanes: PIF among them) does not acknowledge; a long-word write at 0 (PCSR:PMR) does not reprogram', () => {
      expectRefused({ kind: 'write', offset: PCSR + 1, size: 1, value: PIF }, 'bad-size');
      expectRefused({ kind: 'write', offset: PCSR, size: 4, value: 0x000b_0010 }, 'bad-size');
    });

    it('a 16-bit access at an odd offset is misaligned', () => {
      expectRefused({ kind: 'read', offset: PMR + 1, size: 2 }, 'misaligned');
    });
  });

  it('P8: a PCNTR write is read-only (the manual: writes have no effect on the counter)', () => {
    expectRefused({ kind: 'write', offset: PCNTR, size: 2, value: 0x1234 }, 'read-only');
  });

  it('reserved bits (PCSR[7], [15:12]) read 0 and ignore writes without an event', () => {
    const rig = running();
    rig.w(PCSR, 0xf080 | EN | RLD | PIE);
    expect(rig.r(PCSR)).toBe(EN | RLD | PIE | PIF);
    expect(rig.events).toEqual([]);
  });
});
