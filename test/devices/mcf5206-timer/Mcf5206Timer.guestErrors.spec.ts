// Every bad guest access of the MCF5206 timer module (M8): a guest-error event naming the device,
// offset, size and reason; a read of 0; the device's state (snapshot) and its lines unchanged.
// The registers are big-endian; the bus carries values, so each takes only accesses of its own
// width (16-bit, TER 8-bit), the ones Linux makes: an 8-bit access to a 16-bit register, or a
// 16-bit one to TER, is refused rather than given a guessed byte lane.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CLK1, FRR, makeRig, ORI, program, REF, RST, TCN, TCR, TER, TICK, TMR, TRR, type Rig } from './rig';

const AT = 7 * TICK + 3; // after timer 1's reference event at 5 steps: REF pending, counting again

/** Timer 1 has interrupted and counts on, at `AT`, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  program(rig, 1, 4, ORI | FRR | CLK1 | RST);
  rig.clock.advanceTo(AT);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const attempt = (access: Access) => {
  const rig = running();
  const before = JSON.stringify(rig.device.snapshot());
  const result = access.kind === 'read' ? rig.device.read(access.offset, access.size) : rig.device.write(access.offset, access.size, access.value ?? 0);
  return { rig, result, events: [...rig.events], unchanged: JSON.stringify(rig.device.snapshot()) === before && rig.device.timer1.level };
};

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const { rig, result, events, unchanged } = attempt(access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'mcf5206-timer', time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(unchanged).toBe(true);
};

const SIXTEEN: readonly [string, number][] = [
  ['TMR1', TMR(1)],
  ['TRR1', TRR(1)],
  ['TCR1', TCR(1)],
  ['TCN1', TCN(1)],
  ['TMR2', TMR(2)],
  ['TCN2', TCN(2)],
];

describe('Mcf5206Timer guest errors', () => {
  describe('M8: offsets between and after the registers are unmapped', () => {
    it.each([
      ['0x02, after TMR1', 0x02],
      ['0x06, after TRR1', 0x06],
      ['0x0e, after TCN1', 0x0e],
      ['0x10, the byte before TER1', 0x10],
      ['0x12, after TER1', 0x12],
      ['0x1e, the end of timer 1', 0x1e],
      ['0x3e, the end of timer 2', 0x3e],
      ['0x40, past the module (MBAR + 0x140: UART1)', 0x40],
    ])('%s', (_name, offset) => {
      const size = offset % 2 === 0 ? 2 : 1;
      expectRefused({ kind: 'read', offset, size }, 'unmapped');
      expectRefused({ kind: 'write', offset, size, value: 0xff }, 'unmapped');
    });
  });

  describe('M8: each register takes accesses of its own width only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of SIXTEEN) for (const size of [1, 4, 8] as const) cases.push([name, offset, size]);
    for (const size of [2, 4, 8] as const) cases.push(['TER1', TER(1), size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      // The size is checked before the alignment (RegisterBank's order): a 16-bit access at TER's odd offset is bad-size.
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write at TMR1 + 1 (TMR[7:0] on the big-endian lanes: RST among them) does not reset the timer; a 32-bit write at TMR1 does not reprogram it', () => {
      expectRefused({ kind: 'write', offset: TMR(1) + 1, size: 1, value: 0 }, 'bad-size');
      expectRefused({ kind: 'write', offset: TMR(1), size: 4, value: 0 }, 'bad-size');
    });

    it('a 16-bit access at an odd offset of a 16-bit register is misaligned', () => {
      expectRefused({ kind: 'read', offset: TRR(1) + 1, size: 2 }, 'misaligned');
    });
  });

  it('M8: a TCR write is read-only (the capture register)', () => {
    expectRefused({ kind: 'write', offset: TCR(1), size: 2, value: 0x1234 }, 'read-only');
  });

  it('reserved TER bits read 0 and ignore writes without an event', () => {
    const rig = running();
    rig.w(TER(1), 0xfc);
    expect([rig.r(TER(1)), rig.events]).toEqual([REF, []]);
  });
});
