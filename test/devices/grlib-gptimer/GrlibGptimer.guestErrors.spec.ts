// Every bad guest access of the GPTIMER (X11): a guest-error event naming the device, offset,
// size and reason; a read of 0; the core's state (snapshot) and its lines unchanged. And what is
// not a guest error: read-only and reserved fields (ignored silently), the latch registers and
// the CONFIG timer-enable bits this model leaves out (`unimplemented` events).
import { describe, expect, it } from 'vitest';
import { GRLIB_GPTIMER_REGISTERS } from '../../../devices/grlib-gptimer';
import type { AccessSize, GuestErrorReason } from '../../../index';
import { CONFIG, CYCLE, DF, DH, EN, IE, IP, LATCHCFG, LD, makeRig, RS, SCALER, SRELOAD, tcnt, tctrl, tlatch, trld, type Rig } from './rig';

/** Timer 1 counting periodic with its interrupt pending, at 13 cycles + 3 ns, events cleared. */
const running = (): Rig => {
  const rig = makeRig();
  rig.w(SRELOAD, 0);
  rig.w(trld(1), 9);
  rig.w(tctrl(1), EN | RS | LD | IE);
  rig.clock.advanceTo(13 * CYCLE + 3);
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
  expect(events).toEqual([
    { kind: 'guest-error', source: 'grlib-gptimer', time: clock.now(), offset: access.offset, size: access.size, reason, detail: expect.any(String) },
  ]);
  expect(JSON.stringify(device.snapshot())).toBe(before);
  expect([rig.r(tctrl(1)) & IP, rig.line(8)]).toEqual([IP, true]);
};

describe('GrlibGptimer guest errors', () => {
  describe('X11: offsets past the last timer are unmapped', () => {
    it.each([
      ['0x50, where a fifth timer would be', 0x50],
      ['0x58', 0x58],
      ['0x80', 0x80],
      ['0xffc, the 4 KiB page\'s last word', 0xffc],
    ])('%s', (_name, offset) => {
      expectRefused({ kind: 'read', offset, size: 4 }, 'unmapped');
      expectRefused({ kind: 'write', offset, size: 4, value: 0xffff_ffff }, 'unmapped');
    });
  });

  describe('X11: registers take 32-bit accesses only', () => {
    const cases: [string, number, AccessSize][] = [];
    for (const r of GRLIB_GPTIMER_REGISTERS.registers) for (const size of [1, 2, 8] as const) cases.push([r.name, r.offset, size]);
    it.each(cases)('%s, %i-byte read and write', (_name, offset, size) => {
      expectRefused({ kind: 'read', offset, size }, 'bad-size');
      expectRefused({ kind: 'write', offset, size, value: 1 }, 'bad-size');
    });

    it('a byte write of TCTRL1 with IP does not clear it; a halfword write of SRELOAD does not restart the prescaler', () => {
      expectRefused({ kind: 'write', offset: tctrl(1), size: 1, value: IP }, 'bad-size');
      expectRefused({ kind: 'write', offset: SRELOAD, size: 2, value: 5 }, 'bad-size');
    });
  });

  it('X11: TIMERS, IRQ and SI ignore writes and DH reads 0, without an event; DF stores; reserved bits read 0', () => {
    const rig = running();
    rig.w(CONFIG, 0x0000_ffff); // TIMERS, IRQ, SI written; DF 1; the option bits 10-13, reserved 14-15
    expect(rig.r(CONFIG)).toBe(4 | (8 << 3) | (1 << 8) | DF);
    rig.w(tctrl(2), (0xffff_ff80 | DH) >>> 0); // reserved bits and DH
    expect(rig.r(tctrl(2))).toBe(0);
    rig.w(SCALER, 0xffff_0000); // above the 16-bit prescaler
    expect(rig.r(SCALER)).toBe(0);
    expect(rig.events).toEqual([]);
  });

  it('the latch registers (LATCHCFG, TLATCHn; not built): unimplemented events reading 0; a bad size is still a guest error', () => {
    const rig = running();
    const before = JSON.stringify(rig.device.snapshot());
    expect(rig.r(LATCHCFG)).toBe(0);
    rig.w(tlatch(3), 7);
    expect(rig.r(tlatch(4))).toBe(0);
    rig.device.read(tlatch(1), 2);
    expect(rig.events.map((e) => [e.kind, 'feature' in e ? e.feature : (e as { reason: string }).reason])).toEqual([
      ['unimplemented', 'LATCHCFG (time latch)'],
      ['unimplemented', 'TLATCH3 (time latch)'],
      ['unimplemented', 'TLATCH4 (time latch)'],
      ['guest-error', 'bad-size'],
    ]);
    expect(JSON.stringify(rig.device.snapshot())).toBe(before);
  });

  it('CONFIG bits 16 to 15 + timers (a later core\'s timer enables): unimplemented, nothing starts', () => {
    const rig = makeRig();
    rig.w(CONFIG, 0x000f_0000);
    expect(rig.events).toEqual([expect.objectContaining({ kind: 'unimplemented', feature: 'CONFIG[19:16]' })]);
    expect([rig.r(CONFIG) >>> 16, rig.r(tctrl(1)) & EN, rig.device.timers[0]!.mode]).toEqual([0, 0, 'stopped']);
    rig.events.length = 0;
    rig.w(CONFIG, 0xfff0_0000); // above them: reserved
    expect(rig.events).toEqual([]);
  });

  it('TCNTVAL and TRLDVAL take any 32-bit value: no guest error', () => {
    const rig = running();
    rig.w(trld(2), 0xffff_ffff);
    rig.w(tcnt(2), 0xffff_ffff);
    expect([rig.r(trld(2)), rig.r(tcnt(2)), rig.events]).toEqual([0xffff_ffff, 0xffff_ffff, []]);
    expect(rig.r(tctrl(1)) & (EN | RS | IE)).toBe(EN | RS | IE);
  });
});
