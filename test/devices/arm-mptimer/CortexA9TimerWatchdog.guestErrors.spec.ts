// Every guest error of the Cortex-A9 private timer and watchdog: a `guest-error` event naming the
// device, offset, size and reason, a read of 0, and nothing changed (the snapshot and the lines
// are as before). Taken while both counters run, so a stray restart would show.
import { describe, expect, it } from 'vitest';
import type { AccessSize } from '../../../index';
import {
  AUTO_RELOAD,
  CONTROL,
  ENABLE,
  IRQ_ENABLE,
  KEY1,
  KEY2,
  LOAD,
  makeRig,
  WCONTROL,
  WCOUNTER,
  WD_MODE,
  WDISABLE,
  WLOAD,
  type Rig,
} from './rig';

/** Both counters running (the watchdog in watchdog mode), at 1 234 ns. */
const running = (): Rig => {
  const r = makeRig();
  r.w(LOAD, 50);
  r.w(CONTROL, ENABLE | AUTO_RELOAD | IRQ_ENABLE);
  r.w(WLOAD, 500);
  r.w(WCONTROL, ENABLE | WD_MODE);
  r.at(1_234);
  r.events.length = 0;
  return r;
};

type Access = { kind: 'read' | 'write'; offset: number; size: AccessSize; value?: number };
const read = (offset: number, size: AccessSize = 4): Access => ({ kind: 'read', offset, size });
const write = (offset: number, value: number, size: AccessSize = 4): Access => ({ kind: 'write', offset, size, value });

describe('CortexA9TimerWatchdog guest errors', () => {
  it.each([
    // Unmapped: the gap between the blocks and the rest of the 0x600-0x6ff region.
    ['a read of the gap at 0x10', read(0x10), 'unmapped'],
    ['a write to the gap at 0x1c', write(0x1c, 1), 'unmapped'],
    ['a read past the watchdog at 0x38', read(0x38), 'unmapped'],
    ['a write at the end of the region, 0xfc', write(0xfc, 0xffff_ffff), 'unmapped'],
    // A7: word registers only.
    ['a byte read of LOAD', read(LOAD, 1), 'bad-size'],
    ['a halfword write to CONTROL', write(CONTROL, 0x0101, 2), 'bad-size'],
    ['a byte write to the PRESCALER byte of CONTROL', write(CONTROL + 1, 0xff, 1), 'bad-size'],
    ['an 8-byte read of WLOAD', read(WLOAD, 8), 'bad-size'],
    ['a misaligned word read inside LOAD', read(0x02), 'misaligned'],
    ['a misaligned word write inside WCOUNTER', write(0x26, 0), 'misaligned'],
    // WDISABLE is write-only.
    ['a read of WDISABLE', read(WDISABLE), 'write-only'],
    // A4: in watchdog mode only WLOAD updates the counter.
    ['a WCOUNTER write in watchdog mode', write(WCOUNTER, 7), 'locked'],
  ] as const)('%s', (_name, access, reason) => {
    const r = running();
    const before = JSON.stringify(r.device.snapshot());
    const lines = [r.device.timerIrq.level, r.device.watchdogIrq.level, r.device.wdresetreq.level];
    const result =
      access.kind === 'read' ? r.device.read(access.offset, access.size) : r.device.write(access.offset, access.size, access.value!);
    expect(result ?? 0).toBe(0);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      kind: 'guest-error',
      source: 'arm-mptimer',
      time: 1_234,
      offset: access.offset,
      size: access.size,
      reason,
    });
    expect(JSON.stringify(r.device.snapshot())).toBe(before);
    expect([r.device.timerIrq.level, r.device.watchdogIrq.level, r.device.wdresetreq.level]).toEqual(lines);
  });

  it('the events name the register and the rule', () => {
    const r = running();
    r.device.read(LOAD, 1);
    r.device.read(WDISABLE, 4);
    r.device.write(WCOUNTER, 4, 7);
    expect(r.events.map((e) => (e.kind === 'guest-error' ? e.detail : ''))).toEqual([
      'LOAD accepts 4-byte accesses, not 1',
      'WDISABLE is write-only',
      'WCOUNTER is locked',
    ]);
  });

  it('A4: the WCOUNTER lock ends with watchdog mode (timer mode makes it writable)', () => {
    const r = running();
    r.w(WDISABLE, KEY1);
    r.w(WDISABLE, KEY2);
    r.w(WCOUNTER, 7);
    expect(r.events).toEqual([]);
    expect(r.r(WCOUNTER)).toBe(7);
  });

  it('reserved bits read 0 and ignore writes without an event', () => {
    const r = makeRig();
    r.w(CONTROL, 0xffff_fffe); // all but ENABLE
    expect(r.r(CONTROL)).toBe(0xff06);
    r.w(WCONTROL, 0xffff_fffe);
    expect(r.r(WCONTROL)).toBe(0xff0e);
    expect(r.events).toEqual([]);
  });
});
