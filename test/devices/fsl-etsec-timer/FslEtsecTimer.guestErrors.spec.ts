// Every bad guest access of the eTSEC poll timer (T9): a guest-error event naming the device,
// offset, size and reason; a read of 0; the state (snapshot) and the lines unchanged. The rest of
// the controller is `unimplemented` events instead.
import { describe, expect, it } from 'vitest';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { DMACTRL, IEVENT, IMASK, MACCFG1, makeRig, POLL_NS, TSTAT, TXF, type Rig } from './rig';

/** Polling, TXF pending and unmasked, mid-interval; events cleared. */
const polling = (): Rig => {
  const rig = makeRig();
  rig.w(IMASK, TXF);
  rig.w(DMACTRL, 0);
  rig.clock.advanceTo(POLL_NS + 700);
  rig.events.length = 0;
  return rig;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };

const expectRefused = (access: Access, reason: GuestErrorReason): void => {
  const rig = polling();
  const { device, events, clock } = rig;
  const before = JSON.stringify(device.snapshot());
  const result = access.kind === 'read' ? device.read(access.offset, access.size) : device.write(access.offset, access.size, access.value ?? 0);
  if (access.kind === 'read') expect(result).toBe(0);
  expect(events).toEqual([
    { kind: 'guest-error', source: 'fsl-etsec-timer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(IEVENT), device.tx.level]).toEqual([TXF, true]);
};

describe('FslEtsecTimer guest errors', () => {
  describe('offsets with no register are unmapped', () => {
    it.each([
      ['0x008, between TSEC_ID2 and IEVENT', 0x008],
      ['0x01c, after EDIS', 0x01c],
      ['0x024, between ECNTRL and PTV', 0x024],
      ['0x710, the RMON gap', 0x710],
      ['0xffc, the end of the block', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('T9: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const [name, offset] of [
      ['IEVENT', IEVENT],
      ['IMASK', IMASK],
      ['DMACTRL', DMACTRL],
      ['TSTAT (not modelled)', TSTAT],
    ] as const) {
      for (const size of [1, 2, 8] as const) cases.push([name, offset, size]);
    }
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });
  });

  it.each([
    ['TSTAT', TSTAT],
    ['MACCFG1', MACCFG1],
    ['TBASE0', 0x204],
    ['TMR_CTRL', 0xe00],
    ['RREJ', 0x740],
  ])('%s is not modelled: an unimplemented event reading 0, no state change', (name, offset) => {
    const rig = polling();
    const before = JSON.stringify(rig.device.snapshot());
    expect(rig.device.read(offset, 4)).toBe(0);
    rig.device.write(offset, 4, 0xffff_ffff);
    const event = { kind: 'unimplemented', source: 'fsl-etsec-timer', time: rig.clock.now(), offset, feature: `${name} (the rest of the eTSEC)` };
    expect(rig.events).toEqual([event, event]);
    expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  });

  it('IEVENT and IMASK gaps are reserved: all-ones writes (IEVENT_INIT_CLEAR) are silent; DMACTRL bits without a field are reported', () => {
    const rig = polling();
    rig.w(IMASK, 0xffff_ffff);
    expect(rig.r(IMASK)).toBe(0xf7f7_8f9f);
    rig.w(IEVENT, 0xffff_ffff);
    expect(rig.events).toEqual([]);
    rig.w(DMACTRL, 0x8000_0000);
    expect(rig.events.map((e) => (e.kind === 'unimplemented' ? e.feature : e.kind))).toEqual(['DMACTRL[31:16]']);
  });
});
