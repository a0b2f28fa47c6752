// Every bad guest access of the Allwinner watchdog (W4, W11): a guest-error event naming the
// device, offset, size and reason; a read of 0; the device's state (snapshot) and its lines
// unchanged. And the sun4i variant's view of the rest of the A10 timer block (W1): every access
// there is an `unimplemented` event that reads 0 and changes nothing.
import { describe, expect, it } from 'vitest';
import type { AllwinnerWdtVariant } from '../../../devices/allwinner-wdt';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { HALF, KICK, makeRig, REGS, type Rig } from './rig';

/** Mid-countdown after a first timeout and a kick: pending, interrupt and reset request high, counting. */
const AT = HALF + 123_456_789;

const running = (variant: AllwinnerWdtVariant): Rig => {
  const rig = makeRig(variant);
  rig.enable(1, { reset: true, irq: true }); // 1 s
  rig.clock.advanceTo(HALF * 2);
  rig.kick();
  rig.clock.advanceTo(AT + HALF);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

/** Makes the access on a running watchdog and checks it was refused (`reason`) or reported unimplemented (`feature`) and changed nothing. */
const expectIgnored = (variant: AllwinnerWdtVariant, access: Access, expected: { reason: GuestErrorReason } | { feature: string }): void => {
  const rig = running(variant);
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  const event =
    'reason' in expected
      ? { kind: 'guest-error', source: device.name, time: clock.now(), offset: access.offset, size: access.size, reason: expected.reason, detail: expect.any(String) }
      : { kind: 'unimplemented', source: device.name, time: clock.now(), offset: access.offset, feature: expected.feature };
  expect(events).toEqual([event]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect(rig.state()).toEqual([true, true, true]);
  // Still counting: the kick at 1 s times out at 2 s.
  clock.advanceTo(3 * HALF * 2);
  expect(rig.timeouts()).toEqual([HALF * 4]);
};

describe.each(['sun4i', 'sun6i'] as const)('AllwinnerWdt %s guest errors', (variant) => {
  const regs = REGS[variant];
  const registers = makeRig(variant).device.registers;

  describe('W11: every register takes 32-bit accesses only', () => {
    const cases = registers.flatMap((r) => ([1, 2, 8] as const).map((size) => [r.name, r.offset.toString(16), size] as const));
    it.each(cases)('%s (0x%s), %i-byte read and write: bad-size', (_name, hex, size) => {
      const offset = Number.parseInt(hex, 16);
      expectIgnored(variant, { kind: 'read', offset, size }, { reason: 'bad-size' });
      expectIgnored(variant, { kind: 'write', offset, size, value: 1 }, { reason: 'bad-size' });
    });

    it('a 32-bit access not on a register boundary is misaligned', () => {
      expectIgnored(variant, { kind: 'read', offset: regs.MODE + 1, size: 4 }, { reason: 'misaligned' });
      expectIgnored(variant, { kind: 'write', offset: regs.CTRL + 2, size: 4, value: 0 }, { reason: 'misaligned' });
    });

    it('a byte write of the kick does not kick', () => {
      expectIgnored(variant, { kind: 'write', offset: regs.CTRL, size: 1, value: KICK & 0xff }, { reason: 'bad-size' });
    });
  });

  it.each([
    ['RSTART without the key', 1],
    ['a wrong key with RSTART', (0xa58 << 1) | 1],
    ['the key in the wrong bits', (0xa57 << 2) | 1],
    ['zero', 0],
  ])('W4: a WDOG_CTRL_REG write of %s is locked', (_name, value) => {
    expectIgnored(variant, { kind: 'write', offset: regs.CTRL, size: 4, value }, { reason: 'locked' });
  });

  it('W9: a WDOG_CTRL_REG read is no error: it reads 0', () => {
    const rig = running(variant);
    expect(rig.r(regs.CTRL)).toBe(0);
    expect(rig.events).toEqual([]);
  });
});

describe('AllwinnerWdt sun6i: offsets with no register are unmapped (W11)', () => {
  it.each([
    ['0x08 (QEMU: an alias of WDOG_IRQ_EN_REG)', 0x08],
    ['0x0c (QEMU: an alias of WDOG_IRQ_EN_REG)', 0x0c],
    ['0x1c, after WDOG_MODE_REG', 0x1c],
    ['0x20, past the block', 0x20],
    ['0xffc, the end of the page', 0xffc],
  ])('%s', (_name, offset) => {
    expectIgnored('sun6i', { kind: 'read', offset, size: 4 }, { reason: 'unmapped' });
    expectIgnored('sun6i', { kind: 'write', offset, size: 4, value: 0xffff_ffff }, { reason: 'unmapped' });
  });
});

describe('AllwinnerWdt sun4i: the A10 timer block around the watchdog (W1)', () => {
  it.each([
    ['0x08, a hole of the block', 0x08],
    ['0x1c, after timer 0', 0x1c],
    ['0x70, between timer 5 and the AVS counters', 0x70],
    ['0x98, after WDOG_MODE_REG', 0x98],
    ['0x9c', 0x9c],
    ['0xac, after the 64-bit counter', 0xac],
    ['0x140, after the RTC window', 0x140],
    ['0xffc, the end of the page', 0xffc],
  ])('%s: unmapped', (_name, offset) => {
    expectIgnored('sun4i', { kind: 'read', offset, size: 4 }, { reason: 'unmapped' });
    expectIgnored('sun4i', { kind: 'write', offset, size: 4, value: 0xffff_ffff }, { reason: 'unmapped' });
  });

  const elsewhere = (name: string) => `${name} (A10 timer block, outside the watchdog: see AllwinnerA10Pit)`;
  const RTC = 'RTC/alarm/general-purpose/CPU-config registers (0x100-0x13F, A10 timer block)';
  it.each([
    ['TMR0_CTRL_REG', 0x10, 4, elsewhere('TMR0_CTRL_REG')],
    ['TMR0_INTV_VALUE_REG, one byte', 0x15, 1, elsewhere('TMR0_INTV_VALUE_REG')],
    ['TMR5_CUR_VALUE_REG', 0x68, 4, elsewhere('TMR5_CUR_VALUE_REG')],
    ['AVS_CNT_DIV_REG', 0x8c, 4, elsewhere('AVS_CNT_DIV_REG')],
    ['CNT64_CTRL_REG', 0xa0, 4, elsewhere('CNT64_CTRL_REG')],
    ['CNT64_HI_REG, 8 bytes', 0xa8, 8, elsewhere('CNT64_HI_REG')],
    ['the LOSC control register at 0x100', 0x100, 4, RTC],
    ['the CPU configuration register at 0x13c', 0x13c, 2, RTC],
  ] as const)('%s: every access is unimplemented, reads 0 and changes nothing', (_name, offset, size, feature) => {
    expectIgnored('sun4i', { kind: 'read', offset, size }, { feature });
    expectIgnored('sun4i', { kind: 'write', offset, size, value: 1 }, { feature });
  });
});
