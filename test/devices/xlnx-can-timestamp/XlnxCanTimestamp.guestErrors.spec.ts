// Every bad guest access of the Xilinx CAN timestamp model (X9): a guest-error event naming the
// device, offset, size and reason, a read of 0, the state (snapshot) and the line unchanged. And
// the rest of the controller: each 32-bit access to a register it does not model is an
// `unimplemented` event naming the register, reading 0 and changing nothing.
import { describe, expect, it } from 'vitest';
import { XLNX_VERSAL_CANFD_NOT_MODELLED, XLNX_ZYNQMP_CAN_NOT_MODELLED, type XlnxCanTimestampVariant } from '../../../devices/xlnx-can-timestamp';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { BRPR, CEN, ICR, IER, ISR, makeRig, MSR, RB_DLC, RXFIFO_DLC, SR, SRR, TCR, TICK, TSCNT_OFLW, WRAP_NS, type Rig } from './rig';

const AT = WRAP_NS + 77 * TICK + 3; // after the first wrap: counting, the Versal's overflow pending and enabled

/** A controller counting since 0 (the Versal's overflow interrupt pending), at `AT`, events cleared. */
const running = (variant: XlnxCanTimestampVariant): Rig => {
  const rig = makeRig({ variant });
  if (variant === 'versal') rig.w(IER, TSCNT_OFLW);
  rig.w(SRR, CEN);
  rig.clock.advanceTo(AT);
  rig.device.captureRxTimestamp();
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const perform = (rig: Rig, access: Access): number | undefined =>
  access.kind === 'read' ? rig.device.read(access.offset, access.size) : void rig.device.write(access.offset, access.size, access.value ?? 0);

const expectRefused = (variant: XlnxCanTimestampVariant, access: Access, reason: GuestErrorReason): void => {
  const rig = running(variant);
  const before = JSON.stringify(rig.device.snapshot());
  const line = rig.device.irq.level;
  const result = perform(rig, access);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(rig.events).toEqual([
    { kind: 'guest-error', source: rig.device.name, time: rig.clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  expect(rig.device.irq.level).toBe(line);
  expect(line).toBe(variant === 'versal');
};

const MODELLED: Readonly<Record<XlnxCanTimestampVariant, readonly [string, number][]>> = {
  zynqmp: [
    ['SRR', SRR],
    ['SR', SR],
    ['TCR', TCR],
    ['RXFIFO_DLC', RXFIFO_DLC],
  ],
  versal: [
    ['SRR', SRR],
    ['SR', SR],
    ['ISR', ISR],
    ['IER', IER],
    ['ICR', ICR],
    ['TSR', TCR],
    ['RB_DLC', RB_DLC],
  ],
};

describe.each(['zynqmp', 'versal'] as const)('XlnxCanTimestamp guest errors (%s)', (variant) => {
  const notModelled = variant === 'versal' ? XLNX_VERSAL_CANFD_NOT_MODELLED : XLNX_ZYNQMP_CAN_NOT_MODELLED;

  describe('X9: every register takes 32-bit accesses only, modelled or not', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [...MODELLED[variant], ['MSR', MSR], ['BRPR', BRPR]] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused(variant, { kind: 'read', offset, size }, 'bad-size');
      expectRefused(variant, { kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a 4-byte access off a 4-byte boundary is misaligned, modelled register or not', () => {
      expectRefused(variant, { kind: 'read', offset: SR + 2, size: 4 }, 'misaligned');
      expectRefused(variant, { kind: 'write', offset: SRR + 1, size: 4, value: 0 }, 'misaligned');
      expectRefused(variant, { kind: 'read', offset: BRPR + 2, size: 4 }, 'misaligned');
    });
  });

  it('X9: offsets that hold no register of the controller are unmapped', () => {
    const offsets = variant === 'versal' ? [0x02c, 0x084, 0x0fc, 0x1000, 0x3300, 0x5300] : [0x084, 0x0fc, 0xffc];
    for (const offset of offsets) {
      expectRefused(variant, { kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused(variant, { kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    }
  });

  it('X9: writes to SR and the RX DLC word are read-only', () => {
    expectRefused(variant, { kind: 'write', offset: SR, size: 4, value: 0 }, 'read-only');
    expectRefused(variant, { kind: 'write', offset: variant === 'versal' ? RB_DLC : RXFIFO_DLC, size: 4, value: 0xffff }, 'read-only');
    if (variant === 'versal') {
      expectRefused(variant, { kind: 'write', offset: ISR, size: 4, value: 0 }, 'read-only');
      expectRefused(variant, { kind: 'read', offset: ICR, size: 4 }, 'write-only');
    }
  });

  it('reserved bits read 0 and ignore writes, without an event', () => {
    const rig = running(variant);
    rig.w(SRR, (0xffff_fffc | CEN) >>> 0);
    expect(rig.r(SRR)).toBe(CEN);
    rig.w(TCR, 0xffff_fffe);
    expect(rig.r(TCR) & 0xffff).toBe(0);
    expect(rig.events).toEqual([]);
  });

  it('the rest of the controller: each 32-bit access to a register it does not model is an unimplemented event naming it, reading 0, changing nothing', () => {
    for (const block of notModelled) {
      for (const offset of [block.from, block.to - 4]) {
        const rig = running(variant);
        const before = JSON.stringify(rig.device.snapshot());
        expect(rig.device.read(offset, 4)).toBe(0);
        rig.device.write(offset, 4, 0xffff_ffff);
        rig.device.write(offset, 4, 0);
        expect(rig.events.map((e) => e.kind === 'unimplemented' && e.offset === offset && e.feature)).toEqual([
          `${block.name} (CAN controller read: not modelled)`,
          `${block.name} (CAN controller write: not modelled)`,
          `${block.name} (CAN controller write: not modelled)`,
        ]);
        expect(JSON.stringify(rig.device.snapshot())).toBe(before);
      }
    }
  });

  it('the modelled registers inside a not-modelled block are the model: the RX DLC word reads the timestamp, without an event', () => {
    const rig = running(variant);
    expect(rig.r(variant === 'versal' ? RB_DLC : RXFIFO_DLC)).toBe(77);
    expect(rig.events).toEqual([]);
  });
});
